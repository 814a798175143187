"""The checks that stop a bounded Whisper decode from passing a loop off as speech: a decode
that repeats itself (`looks_looped`, cut back to what came before by `cut_loop`), a run of
digits repeated faster than anyone reads digits (`cut_digit_loop`), and one whose text
compresses too well (`compression_ratio`, Whisper's own test for repetitive output). The engine
(whisper_engine) redoes a decode that still looks wrong through the padded 30 s path."""

from __future__ import annotations

import re
import zlib

_NUMBER_WORDS = frozenset(
    "zero oh one two three four five six seven eight nine ten double triple".split())


def _loop_start(text: str) -> int | None:
    """Character offset where a decode starts repeating itself, or None.

    `no_repeat_ngram_size` works on tokens, which differ with case and punctuation, so this
    compares words. A loop is a 3-word run seen before, after which (almost) everything to the
    end repeats earlier text: "Let me see what we have. Let me see, what we have!". A phrase
    said twice and then carried on ("I want to cancel, I want to cancel my order") is speech,
    and runs of numbers ("four four four four", "1 1 1 1") repeat by nature.
    """
    spans = [(m.start(), m.group().lower()) for m in re.finditer(r"[\w']+", text)]
    words = [w for _, w in spans]
    grams = [tuple(words[i:i + 3]) for i in range(len(words) - 2)]
    seen: set[tuple[str, ...]] = set()
    for i, gram in enumerate(grams):
        numeric = all(w.isdigit() or w in _NUMBER_WORDS for w in gram)
        if gram in seen and not numeric:
            earlier = set(grams[:i])
            tail = grams[i:]
            if sum(g in earlier for g in tail) >= 0.8 * len(tail):
                return spans[i][0]
        seen.add(gram)
    return None


def looks_looped(text: str) -> bool:
    """A decode that repeats itself ("and so my fellow Americans. And so, my")."""
    return _loop_start(text) is not None


def cut_loop(text: str) -> str:
    """The text before it starts repeating itself (what was actually said, as best we know)."""
    at = _loop_start(text)
    return text if at is None else text[:at].rstrip(" ,;-")


# Faster than digits are read out: a digit is a syllable or two ("seven"), and people read
# numbers slowly; a card read in one breath took 3.5 digits a second of speech (the card-reading
# set), and the audio a decode gets holds some silence around the speech too.
MAX_DIGITS_PER_SECOND = 5.0
# A number as one group: digits, with the separators Whisper writes inside one ("1,000,000").
_NUMBER = re.compile(r"\d+(?:[.,]\d{3})*")


def cut_digit_loop(text: str, duration: float) -> str:
    """`text` up to where a group of digits starts being said again, when the decode holds more
    digits than `duration` seconds of audio could have said (MAX_DIGITS_PER_SECOND) and that
    group comes three times: Whisper wrote a PIN read in 1.9 s (3.4 s of audio), "five five
    zero two", as "5502 5502 550 2 5502 550" (a blind call of heldout51), which the loop check
    leaves alone (runs of numbers repeat by nature) and which, joined to the account number read
    before it, made a run long enough to mask as a card. A group of one digit said over
    ("4111 1111 1111 1111", a test card read at any speed) is a number's, not a loop's."""
    if duration <= 0 or sum(c.isdigit() for c in text) <= MAX_DIGITS_PER_SECOND * duration:
        return text
    groups = list(_NUMBER.finditer(text))
    for i, g in enumerate(groups):
        again = [h for h in groups[i + 1:] if h.group() == g.group()]
        if len(set(g.group()) - {",", "."}) >= 2 and len(again) >= 2:
            return text[:again[0].start()].rstrip(" ,;-")
    return text


def compression_ratio(text: str) -> float:
    data = text.encode("utf-8")
    return len(data) / max(1, len(zlib.compress(data)))
