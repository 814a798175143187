"""Card numbers as Whisper writes them, split across captions: nothing but the last four survives.

The corpus is generated (fixed seed) from real test card numbers in many spoken and written
phrasings, then cut into 1-4 consecutive final captions of one speaker at random word boundaries,
the way the ASR cuts an utterance at pauses.
"""

from __future__ import annotations

import random
import re

import pytest

from copilot.privacy.redaction import Redactor, luhn_ok
from copilot.text.spoken_numbers import digit_runs

# (number, grouping as read out)
CARDS = [
    ("4111111111111111", (4, 4, 4, 4)),  # Visa
    ("4012888888881881", (4, 4, 4, 4)),  # Visa
    ("4242424242424242", (4, 4, 4, 4)),  # Visa
    ("4222222222222", (4, 4, 5)),  # Visa, 13 digits
    ("5555555555554444", (4, 4, 4, 4)),  # Mastercard
    ("5105105105105100", (4, 4, 4, 4)),  # Mastercard
    ("2223003122003222", (4, 4, 4, 4)),  # Mastercard 2-series
    ("378282246310005", (4, 6, 5)),  # Amex
    ("371449635398431", (4, 6, 5)),  # Amex
    ("6011111111111117", (4, 4, 4, 4)),  # Discover
    ("6011000990139424", (4, 4, 4, 4)),  # Discover
    ("36227206271667", (4, 6, 4)),  # Diners, 14 digits
    ("3530111333300000", (4, 4, 4, 4)),  # JCB
    ("6011000000000000001", (4, 4, 4, 4, 3)),  # 19 digits
]

WORD = "zero one two three four five six seven eight nine".split()
TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()
TEENS = "ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen".split()
FILLERS = ["um", "okay", "it's", "uh", "so", "um, okay"]


def groups(number: str, sizes: tuple[int, ...]) -> list[str]:
    out, pos = [], 0
    for n in sizes:
        out.append(number[pos : pos + n])
        pos += n
    return out


def words(group: str, zero: str = "zero") -> str:
    return " ".join(zero if d == "0" else WORD[int(d)] for d in group)


def words_with_repeats(group: str) -> str:
    """'5555' -> 'double five double five', '1000' -> 'one triple oh'."""
    out, i = [], 0
    while i < len(group):
        d = group[i]
        n = 1
        while i + n < len(group) and group[i + n] == d and n < 3:
            n += 1
        name = "oh" if d == "0" else WORD[int(d)]
        out.append({1: name, 2: f"double {name}", 3: f"triple {name}"}[n])
        i += n
    return " ".join(out)


def pairs(group: str) -> str:
    """'4111' -> 'forty-one eleven', the way some people read groups of four."""
    out = []
    for k in range(0, len(group) - 1, 2):
        a, b = group[k], group[k + 1]
        if a == "0":
            out.append(f"oh {WORD[int(b)]}")
        elif a == "1":
            out.append(TEENS[int(b)])
        else:
            out.append(TENS[int(a)] + ("" if b == "0" else f"-{WORD[int(b)]}"))
    if len(group) % 2:
        out.append(WORD[int(group[-1])])
    return " ".join(out)


def phrasings(number: str, sizes: tuple[int, ...], rng: random.Random) -> dict[str, str]:
    g = groups(number, sizes)
    return {
        "written spaced": " ".join(g),
        "written hyphens": "-".join(g),
        "written plain": number,
        "whisper commas": ", ".join(g) + ".",
        "single digits": ", ".join(" ".join(x) for x in g),
        "dashed digits": "-".join(number),
        "words oh": ", ".join(words(x, "oh") for x in g),
        "words zero": " ".join(words(x) for x in g),
        "double triple": ", ".join(words_with_repeats(x) for x in g),
        "mixed": ", ".join(words(x, "oh") if k % 2 == 0 else x for k, x in enumerate(g)),
        "pairs": ", ".join(pairs(x) for x in g),
        "fillers": f", {rng.choice(FILLERS)}, ".join(words(x, "oh") for x in g),
        "fillers digits": f" {rng.choice(FILLERS)} ".join(g),
    }


PREFIXES = ["", "It's ", "My card number is ", "Sure, the card is ", "Okay so it's ", "Yeah. "]
SUFFIXES = ["", ".", " Did you get that?", ", and that's it."]


def split_captions(text: str, rng: random.Random) -> list[str]:
    """Cut at 0-3 random spaces (the ASR cuts at pauses, never inside a word)."""
    spaces = [m.start() for m in re.finditer(" ", text)]
    cuts = sorted(rng.sample(spaces, min(len(spaces), rng.randint(0, 3))))
    pieces, pos = [], 0
    for c in cuts:
        pieces.append(text[pos:c])
        pos = c + 1
    pieces.append(text[pos:])
    return [p for p in pieces if p]


def build_corpus() -> list[tuple[str, str, list[str]]]:
    rng = random.Random(20240314)
    cases = []
    for number, sizes in CARDS:
        for style, said in phrasings(number, sizes, rng).items():
            text = rng.choice(PREFIXES) + said + rng.choice(SUFFIXES)
            cases.append((number, f"{number} {style}", split_captions(text, rng)))
    return cases


CORPUS = build_corpus()


def test_corpus_is_big_and_valid() -> None:
    assert len(CORPUS) >= 40
    assert all(luhn_ok(n) for n, _ in CARDS)
    assert sum(len(parts) > 1 for _, _, parts in CORPUS) >= 40


def run_stream(parts: list[str], step: float = 1.0) -> list[tuple[object, str]]:
    red = Redactor()
    out: list[tuple[object, str]] = []
    for i, part in enumerate(parts):
        out += [(k, r.text) for k, r in red.push_final("customer", i, part, now=i * step)]
        out += [(k, r.text) for _, k, r in red.tick(now=i * step + 0.5)]
    out += [(k, r.text) for _, k, r in red.flush()]
    return out


def assert_only_last_four(number: str, texts: list[str], lead: int = 0) -> None:
    """No card-length Luhn-valid digits anywhere; the last four shown once, in the label.

    `lead`: how many leading digits may show. A caption cut right after the first 1-3 digits
    ("It's four") is not held (the hold rule wants 4+ digits or a card cue), so those few
    digits are released; the rest is still joined to them and masked. Card rules (PCI DSS)
    allow showing the first six and last four."""
    joined = "\n".join(texts)
    for run in digit_runs(joined):
        for i in range(len(run)):
            for n in range(13, 20):
                assert i + n > len(run) or not luhn_ok(run[i : i + n]), joined
    left = "".join(digit_runs(joined))
    assert left in [number[:k] + number[-4:] for k in range(lead + 1)], joined
    assert joined.count(f"[card ending {number[-4:]}]") == 1, joined


@pytest.mark.parametrize(("number", "label", "parts"), CORPUS, ids=[c[1] for c in CORPUS])
def test_card_split_across_captions_keeps_only_last_four(
    number: str, label: str, parts: list[str]
) -> None:
    out = run_stream(parts)
    assert [k for k, _ in out] == list(range(len(parts)))  # each caption once, in order
    assert_only_last_four(number, [t for _, t in out], lead=3)


@pytest.mark.parametrize(("number", "label", "parts"), CORPUS[::3], ids=[c[1] for c in CORPUS[::3]])
def test_card_in_one_text_is_masked_by_stateless_redact(
    number: str, label: str, parts: list[str]
) -> None:
    red = Redactor()
    text = " ".join(parts)
    for final in (False, True):
        assert_only_last_four(number, [red.redact(text, final=final).text])


def test_whisper_like_digit_outputs() -> None:
    red = Redactor()
    for text in [
        "4111, 1111, 1111, 1111.",
        "4-1-1-1-1-1-1-1-1-1-1-1-1-1-1-1",
        "It's 4111 1111 1111 1111",
        "four one one one one one one one one one one one one one one one",
        "It's 4 1 1 1, 1 1 1 1, 1 1 1 1, 1 1 1 1.",
        "four one one one 1111 one one one one 1111",
        "Four, one, one, one. One, one, one, one. One, one, one, one. One, one, one, one.",
        "4,111,111,111,111,111",
        "My card is 4111 1111 1111 1111 and the expiry is, um, next year.",
    ]:
        assert_only_last_four("4111111111111111", [red.redact(text, final=True).text])
