"""Did any card number, security code or expiry date get past redaction? A checker for tests.

Why it exists: the redactor (copilot/privacy/redaction.py) decides what to mask from what Whisper
wrote; a test that asked the redactor itself whether its output is safe would share its blind
spots. This module is a second, independent and deliberately simple opinion, given the *known*
secrets of a test call (the card numbers and codes its script reads): it looks for their digits in
any text (captions, printed output, log lines) or in the raw bytes of files (the call database and
its -wal and -journal). Standard library only, no import from the engine.

What counts as digits (`digit_runs`):
- typed digits ("4111") and English number words as Whisper may write them: "four", "oh"/"o"/
  "zero" (0), "eleven" (11), "forty two" and "forty-two" (42), "forty" (40), "double five" (55),
  "seven hundred thirty seven" (737);
- "for", "to", "too" and "ate" right before a number start a run as 4, 2, 2 and 8: Whisper writes
  "It's for 1111" and "expires all for 28" for "four one one one" and "oh four twenty eight"
  (never in the middle or at the end of a run: "ending 1111 for 49" stays two runs);
- a *run* is a sequence of such pieces separated only by a few spaces, commas, dots, dashes,
  slashes or newlines ("4111, 1111", "4111-1111", "oh four/twenty eight", "04/28"); any other
  word or sign ends it, so "1111 and 737" is two runs;
- text inside "[...]" is ignored (the redactor's placeholders: "[card ending 1111]");
- machine-written quantities are not read-out numbers and are skipped: decimals with no space
  after the point ("0.4111", "12.75": timings in log lines and JSON) and ISO 8601 timestamps
  ("2026-05-10T10:23:45"). A card written with single dots and no spaces ("4111.1111") would be
  taken for a decimal; Whisper does not write numbers that way.

The card rule. A card may be shown by its last four digits only. A run leaks card C if it has a
piece S of at least `min_card` consecutive digits that occurs in C and is not exactly C's last
four. So "4111 1111" leaks 4111111111111111 (it contains "4111"), "11111" does too (five digits of
the card where only four may be shown), but "ending 1111" and "[card ending 1111]" do not, even
though "1111" also occurs elsewhere in that card: four ones reveal nothing beyond its last four.
"5444" leaks 5555555555554444: it carries a digit from before the last four.

The secret rule (security codes, expiry dates as said: "737", "0428"): a run leaks a secret of 3+
digits if it contains it; an expiry with a leading zero also leaks when the run is exactly the
secret without its zeros ("4/28" for "0428"). Month names are not parsed ("April 2028" is not
caught).

Texts (`leaks`) use `min_card=4`. Raw file bytes (`bytes_leaks`) are full of numbers the machine
wrote (ids, counters, timestamps, the binary of pages and WAL frames), where a 4-digit
coincidence with a card is likely; there the card rule needs 6 digits (`BYTES_MIN_CARD`), where a
coincidence is about one in 10^5 per window. So the bytes scan misses a lone 4- or 5-digit group
("Okay, 6011."): stored captions must also be read back through SQL and checked with `leaks` at 4
digits. That is the precise check; the bytes scan is the net under it, for what SQL no longer
shows (freed pages, old WAL frames, a rolled-back journal). Bytes are decoded as UTF-8 (SQLite's
text encoding); undecodable bytes and control characters end runs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

__all__ = ["BYTES_MIN_CARD", "Leak", "Run", "bytes_leaks", "card_exposure", "digit_runs",
           "leaks", "secret_exposure"]

BYTES_MIN_CARD = 6

_UNITS = {"zero": 0, "oh": 0, "o": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
          "six": 6, "seven": 7, "eight": 8, "nine": 9}
_TEENS = {"ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
          "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50, "sixty": 60,
         "seventy": 70, "eighty": 80, "ninety": 90}
_REPEAT = {"double": 2, "triple": 3}
_HOMOPHONES = {"for": "4", "to": "2", "too": "2", "ate": "8"}
_NUMBER_WORDS = frozenset(_UNITS) | frozenset(_TEENS) | frozenset(_TENS) | frozenset(_REPEAT)
_TOKEN = re.compile(r"[0-9]+|[A-Za-z]+")
_GAP = re.compile(r"[ \t\r\n,.\-/\u2013\u2014]{0,4}")  # what may sit between pieces of one number
_TIGHT = re.compile(r"[ \t\-]{1,2}")  # "forty two", "forty-two", "seven hundred"
_PLACEHOLDER = re.compile(r"\[[^\[\]]*\]")
_DECIMAL = re.compile(r"(?<![0-9])[0-9]+\.[0-9]+(?![0-9]|\.[0-9])")
_TIMESTAMP = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:[.,][0-9]+)?)?"
                        r"(?:Z|[+-][0-9]{2}:?[0-9]{2})?")


@dataclass(frozen=True)
class Run:
    digits: str
    start: int  # character span in the text
    end: int


@dataclass(frozen=True)
class Leak:
    where: str  # "text 3" (index in the texts given) or "FILE @ offset"
    kind: str  # "card" or "secret"
    of: str  # the card number or secret leaked
    shown: str  # the offending digits
    excerpt: str  # the text around it, as found

    def __str__(self) -> str:
        return f"{self.where}: {self.kind} {self.of} leaked as {self.shown!r} in {self.excerpt!r}"


def _blank(text: str, pattern: re.Pattern[str], fill: str = "#") -> str:
    """Replace what `pattern` matches by a same-length breaker (offsets stay valid)."""
    return pattern.sub(lambda m: fill * len(m.group()), text)


def _pieces(text: str) -> list[tuple[int, int, str]]:
    """(start, end, kind-or-digits) of every token: digits, a number word, or '' (any word)."""
    out = []
    for m in _TOKEN.finditer(text):
        tok = m.group()
        out.append((m.start(), m.end(), tok if tok[0].isdigit() else tok.lower()))
    return out


def _is_word(tok: str) -> bool:
    return not tok[0].isdigit()


def digit_runs(text: str) -> list[Run]:
    """Every run of digits in `text`, as defined in the module docstring."""
    text = _blank(text, _PLACEHOLDER)
    text = _blank(text, _TIMESTAMP)
    text = _blank(text, _DECIMAL)
    toks = _pieces(text)
    runs: list[Run] = []
    digits, start, end = "", -1, -1

    def close() -> None:
        nonlocal digits, start
        if digits:
            runs.append(Run(digits, start, end))
        digits, start = "", -1

    def tight(a: int, b: int) -> bool:
        return a == b or bool(_TIGHT.fullmatch(text, a, b))

    i = 0
    while i < len(toks):
        s, e, tok = toks[i]
        value: str | None = None
        used = 1
        if not _is_word(tok):
            value = tok
        elif tok in _UNITS:
            value = str(_UNITS[tok])
            nxt = toks[i + 1] if i + 1 < len(toks) else None
            if nxt and nxt[2] == "hundred" and _UNITS[tok] > 0 and tight(e, nxt[0]):
                rest, k = "00", i + 2
                if k < len(toks) and toks[k][2] == "and" and tight(nxt[1], toks[k][0]):
                    k += 1
                if k < len(toks) and tight(toks[k - 1][1], toks[k][0]):
                    tail = _two_digits(toks, k, tight)
                    if tail is not None:
                        rest, k = tail
                value, used = value + rest, k - i
        elif tok in _TEENS or tok in _TENS:
            value, end_k = _two_digits(toks, i, tight) or (None, i + 1)
            used = end_k - i
        elif tok in _REPEAT:
            nxt = toks[i + 1] if i + 1 < len(toks) else None
            if nxt and nxt[2] in _UNITS and tight(e, nxt[0]):
                value, used = str(_UNITS[nxt[2]]) * _REPEAT[tok], 2
        elif tok in _HOMOPHONES:
            nxt = toks[i + 1] if i + 1 < len(toks) else None
            if nxt and (not _is_word(nxt[2]) or nxt[2] in _NUMBER_WORDS) \
                    and _GAP.fullmatch(text, e, nxt[0]):
                close()  # only ever the first piece of a run
                value = _HOMOPHONES[tok]
        if value is None:
            close()
            i += 1
            continue
        last_end = toks[i + used - 1][1]
        if digits and not _GAP.fullmatch(text, end, s):
            close()
        if not digits:
            start = s
        digits += value
        end = last_end
        i += used
    close()
    return runs


def _two_digits(toks, i: int, tight) -> tuple[str, int] | None:
    """A teens word, a tens word (with its unit: "forty two"), or a unit, padded to two digits;
    returns (digits, index after it)."""
    s, e, tok = toks[i]
    if tok in _TEENS:
        return str(_TEENS[tok]), i + 1
    if tok in _TENS:
        nxt = toks[i + 1] if i + 1 < len(toks) else None
        if nxt and nxt[2] in _UNITS and _UNITS[nxt[2]] > 0 and tight(e, nxt[0]):
            return str(_TENS[tok] + _UNITS[nxt[2]]), i + 2
        return str(_TENS[tok]), i + 1
    if tok in _UNITS:
        return f"{_UNITS[tok]:02d}", i + 1
    if not _is_word(tok) and len(tok) <= 2:
        return tok.zfill(2), i + 1
    return None


def card_exposure(digits: str, card: str, min_card: int = 4) -> str:
    """The longest piece of `digits` (>= min_card long) that occurs in `card` and is not exactly
    its last four digits; "" if there is none (the run is safe for this card)."""
    best = ""
    last4 = card[-4:]
    for i in range(len(digits) - min_card + 1):
        j = i + min_card
        if digits[i:j] not in card:
            continue
        while j < len(digits) and digits[i:j + 1] in card:
            j += 1
        piece = digits[i:j]
        if piece == last4:
            continue
        if len(piece) > len(best):
            best = piece
    return best


def secret_exposure(digits: str, secret: str) -> bool:
    if len(secret) < 3:
        return False
    if secret in digits:
        return True
    bare = secret.lstrip("0")
    return bare != secret and len(bare) >= 3 and digits == bare


def _excerpt(text: str, run: Run, width: int = 40) -> str:
    return text[max(0, run.start - width):run.end + width]


def _check(text: str, where: str, cards: Sequence[str], secrets: Sequence[str],
           min_card: int) -> list[Leak]:
    out = []
    for run in digit_runs(text):
        if len(run.digits) < 3:
            continue
        for card in cards:
            shown = card_exposure(run.digits, card, min_card)
            if shown:
                out.append(Leak(where, "card", card, shown, _excerpt(text, run)))
        for secret in secrets:
            if secret_exposure(run.digits, secret):
                out.append(Leak(where, "secret", secret, run.digits, _excerpt(text, run)))
    return out


def _clean(values: Iterable[str]) -> list[str]:
    return ["".join(ch for ch in v if ch.isdigit()) for v in values]


def leaks(texts: Iterable[str], cards: Iterable[str], secrets: Iterable[str], *,
          min_card: int = 4) -> list[Leak]:
    """Every leak of `cards` (more than their last four digits) or `secrets` in `texts`."""
    cards, secrets = _clean(cards), _clean(secrets)
    out: list[Leak] = []
    for i, text in enumerate(texts):
        out.extend(_check(text, f"text {i}", cards, secrets, min_card))
    return out


_UNPRINTABLE = re.compile(r"[^\t\n\r\x20-\x7e\u00a0-\ufffc]")


def bytes_leaks(paths: Iterable[str | Path], cards: Iterable[str], secrets: Iterable[str], *,
                min_card: int = BYTES_MIN_CARD) -> list[Leak]:
    """Every leak in the raw bytes of `paths` (missing files are skipped: a -journal or -wal
    exists only at times). Bytes are decoded as UTF-8; anything undecodable or unprintable
    ends a run. Cards need `min_card` (6) digits, see the module docstring."""
    cards, secrets = _clean(cards), _clean(secrets)
    out: list[Leak] = []
    for path in paths:
        path = Path(path)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            continue
        text = _UNPRINTABLE.sub("\x00", data.decode("utf-8", errors="replace"))
        for leak in _check(text, str(path), cards, secrets, min_card):
            offset = len(text[:text.find(leak.excerpt)].encode("utf-8", errors="replace"))
            out.append(Leak(f"{path} @ ~{offset}", leak.kind, leak.of, leak.shown,
                            leak.excerpt.replace("\x00", ".")))
    return out
