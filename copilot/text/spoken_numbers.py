"""Digit runs in ASR text: said as words ("four one one one"), typed ("4111-1111"), or mixed.

Redaction works on *runs*: consecutive digits that a listener would hear as one number. Whisper
writes the same card number in many ways ("4111, 1111, 1111, 1111.", "4-1-1-1", "four one one
one", "forty-one eleven", "double one"), and callers pad the groups with filler ("um", "okay,
it's"). So an atom is one spoken or typed number piece with the digits it stands for and where it
sits in the text, and a run is a list of atoms whose gaps hold only punctuation and a little filler.
Only detection uses the digits; the text itself is never rewritten here.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from text_to_num import text2num

from copilot.text.sentences import WORD

# Number words are parsed by text2num (values of "four", "forty-one", "quatre-vingt-dix-neuf",
# "einundvierzig" in English, French, Spanish, German, Italian and Portuguese). What a listener
# hears as *one* piece of a read-out number is our rule on top of it: a word or a compound worth
# 0..99 ("fifty four twenty five" is 54, 25), a hundreds word after it ("eight hundred" is 800).
LANGS = ("en", "fr", "es", "de", "it", "pt")
# Longest compound worth < 100, in words: "forty one"; "cuarenta y uno"; "quatre vingt dix neuf".
# English stops at two so that "forty and one" stays 40, 1 (text2num would read 41).
_MAX_WORDS = {"en": 2, "fr": 4, "es": 3, "de": 3, "it": 2, "pt": 3}
# "oh" is read as 0 in digit runs ("four oh five"); text2num does not know it (it is mostly an
# interjection), so we add it. text2num already reads "o", "nought" and "zero".
_EXTRA_ZERO = {"en": frozenset({"oh"})}
MULTIPLIERS = {"double": 2, "triple": 3}
# Number words that are also everyday words ("Oh, okay"; French "un chat"; Italian "sei"): they
# only count as digits when glued to another digit.
_AMBIGUOUS = {
    "en": frozenset({"oh", "o"}),
    "fr": frozenset({"un", "une", "neuf"}),
    "es": frozenset({"un", "una", "uno"}),
    "de": frozenset({"ein", "eine"}),
    "it": frozenset({"un", "una", "uno", "sei"}),
    "pt": frozenset({"um", "uma"}),
}


@lru_cache(maxsize=8192)
def _value(phrase: str, lang: str) -> int | None:
    """text2num's value of a number phrase, None if it is not one."""
    if lang == "en" and any(w.endswith("s") and w != "six" for w in phrase.split()):
        return None  # text2num reads "ones", "tens", "fours" as numbers; in speech they are nouns
    if phrase in _EXTRA_ZERO.get(lang, ()):
        return 0
    try:
        return text2num(phrase, lang)
    except ValueError:
        return None


def _digit(word: str, lang: str) -> str | None:
    """The digit a single word stands for ("five", "oh"), for "double five"."""
    v = _value(word, lang)
    return str(v) if v is not None and v < 10 else None


def _piece(words: list[str], lang: str) -> tuple[str, int] | None:
    """(digits, words used) of the number piece that `words` start with, or None.

    The longest compound worth 0..99 wins, but never one that starts with a zero: text2num reads
    "zero one" as 1, a listener hears 0, 1. A single word may also be a whole hundreds number
    ("achthundert", "doscientos", "ottocento"); a bare hundreds word ("hundred", "cent") is not a
    piece on its own, and neither are larger scales ("thousand"), as before.
    """
    first = _value(words[0], lang)
    if first is None:
        return None
    if first >= 100:
        return (str(first), 1) if first < 1000 and first % 100 == 0 and first != 100 else None
    best = (str(first), 1)
    if first == 0:
        return best
    for k in range(2, min(len(words), _MAX_WORDS.get(lang, 2)) + 1):
        v = _value(" ".join(words[:k]), lang)
        if v is not None and v < 100:
            best = (str(v), k)
    return best


# Words people put between digit groups while reading a number out. They may bridge two atoms of
# one run, at most _MAX_FILLERS in a row; any other word ends the run. "double"/"triple" are here
# so that a caption cut right after "double" still counts as ending in digits.
FILLERS = frozenset(
    """um umm uh uhh uhm er erm ah hmm mm mhm okay ok so and then it's its is that's yeah yes
    right sorry like oh o let me see wait hold on sec it double triple""".split()
)
_MAX_FILLERS = 3
# Punctuation that may sit inside a spoken or typed number. "/" and ":" are left out on purpose:
# they make dates and times ("03/14/2024", "3:45"), which are not one number.
_SEPARATORS = frozenset(" \t\r\n,.-\u2013\u2014;!?\u2026")

_TOKEN = WORD  # one word rule (copilot/text/sentences.py)


@dataclass(frozen=True)
class Atom:
    start: int
    end: int
    digits: str
    written: bool  # typed digits ("4111"), as opposed to number words


@dataclass(frozen=True)
class Word:
    start: int
    end: int
    lower: str


@dataclass(frozen=True)
class Run:
    atoms: tuple[Atom, ...]
    at_start: bool  # only separators/fillers before it in the text
    at_end: bool  # only separators/fillers after it

    @property
    def digits(self) -> str:
        return "".join(a.digits for a in self.atoms)

    @property
    def start(self) -> int:
        return self.atoms[0].start

    @property
    def end(self) -> int:
        return self.atoms[-1].end


def _decimal(tok: str) -> str:
    # Non-ASCII digits (e.g. Arabic-Indic) normalised so Luhn and lengths work on them too.
    return "".join(str(unicodedata.decimal(c)) for c in tok)


def _tight(text: str, a: int, b: int) -> bool:
    """True when text[a:b] is only spaces or hyphens: the two pieces are said as one."""
    return text[a:b].strip(" \t\r\n-\u2010\u2011") == ""


def tokenize(
    text: str, excluded: Sequence[tuple[int, int]] = (), lang: str = "en"
) -> list[Atom | Word]:
    """Atoms and words in text order. Tokens inside `excluded` spans (cue phrases such as
    "three digits on the back") stay words, so the "three" of a cue is never read as a digit.
    `lang` is the language of the number words: one of LANGS (other values read as English)."""
    lang = lang if lang in LANGS else "en"
    toks: list[tuple[int, int, str]] = []
    for m in _TOKEN.finditer(text):
        toks.append((m.start(), m.end(), m.group()))

    spans = sorted(excluded)
    starts = [a for a, _ in spans]

    def is_excluded(s: int) -> bool:
        k = bisect.bisect_right(starts, s) - 1  # cue phrases never overlap each other
        return k >= 0 and s < spans[k][1]

    def cluster(i: int) -> list[str]:
        """Lowercased words from i on that are said as one (spaces or hyphens between)."""
        out = [toks[i][2].lower().replace("\u2019", "'")]
        j = i + 1
        while (
            j < len(toks)
            and len(out) < _MAX_WORDS[lang]
            and _tight(text, toks[j - 1][1], toks[j][0])
            and not is_excluded(toks[j][0])
        ):
            out.append(toks[j][2].lower())
            j += 1
        return out

    items: list[Atom | Word] = []
    i = 0
    while i < len(toks):
        s, e, raw = toks[i]
        low = raw.lower().replace("\u2019", "'")
        nxt = toks[i + 1] if i + 1 < len(toks) else None
        nxt_low = nxt[2].lower() if nxt else ""
        glued = nxt is not None and _tight(text, e, nxt[0]) and not is_excluded(nxt[0])
        if is_excluded(s):
            items.append(Word(s, e, low))
        elif raw.isdecimal():
            items.append(Atom(s, e, _decimal(raw), True))
        elif _value(low, lang) is not None and (piece := _piece(cluster(i), lang)):
            # "forty-one" is 41, but "forty" alone is 40 and "forty oh five" is 40, 05.
            digits, used = piece
            items.append(Atom(s, toks[i + used - 1][1], digits, False))
            i += used
            continue
        elif (
            low in MULTIPLIERS
            and glued
            and (_digit(nxt_low, lang) or (nxt[2].isdecimal() and len(nxt[2]) == 1))
        ):
            digit = _digit(nxt_low, lang) or _decimal(nxt[2])
            items.append(Atom(s, nxt[1], digit * MULTIPLIERS[low], False))
            i += 2
            continue
        elif (
            _value(low, lang) == 100
            and items
            and isinstance(items[-1], Atom)
            and not items[-1].written
            and _tight(text, items[-1].end, s)
        ):
            # "eight hundred" -> 800 (toll-free numbers, amounts): one atom, three digits.
            # Not text2num's "eight hundred five" = 805: read-out numbers go piece by piece.
            prev = items.pop()
            items.append(Atom(prev.start, e, prev.digits + "00", False))
        elif (
            _value(low, lang) == 1000
            and items
            and isinstance(items[-1], Atom)
            and not items[-1].written
            and len(items[-1].digits) == 1
            and items[-1].digits != "0"
            and _tight(text, items[-1].end, s)
        ):
            # "four thousand twelve" -> 4012: a card's first group read as a number, or a year
            # ("two thousand and five"). The tens after it, if any, fill the last two places;
            # without them the group is "4000". (The "and" of British English is skipped.)
            prev = items.pop()
            j = i + 1
            if j < len(toks) and toks[j][2].lower() == "and" and _tight(text, e, toks[j][0]):
                j += 1
            rest = _piece(cluster(j), lang) if j < len(toks) and _tight(
                text, toks[j - 1][1], toks[j][0]) and not is_excluded(toks[j][0]) else None
            if rest is not None and len(rest[0]) <= 2 and not rest[0].startswith("0"):
                items.append(Atom(prev.start, toks[j + rest[1] - 1][1],
                                  prev.digits + rest[0].zfill(3), False))
                i = j + rest[1]
                continue
            items.append(Atom(prev.start, e, prev.digits + "000", False))
        else:
            items.append(Word(s, e, low))
        i += 1
    return _drop_lonely_oh(text, items, lang)


def _drop_lonely_oh(text: str, items: list[Atom | Word], lang: str = "en") -> list[Atom | Word]:
    """Turn a lone "oh"/"o" (or another _AMBIGUOUS word) back into a word unless after a digit.

    "Oh, four one one one" does not start with a zero, but "five oh oh", "one one, oh oh oh oh"
    and "1111, oh" do contain zeros. A cluster is atoms glued by spaces or hyphens only."""
    out = list(items)
    i = 0
    while i < len(out):
        if not isinstance(out[i], Atom):
            i += 1
            continue
        j = i
        while (
            j + 1 < len(out)
            and isinstance(out[j + 1], Atom)
            and _tight(text, out[j].end, out[j + 1].start)
        ):
            j += 1
        a = out[i]
        lone = i == j and text[a.start : a.end].lower() in _AMBIGUOUS[lang]
        after_digit = (
            i > 0 and isinstance(out[i - 1], Atom) and _gap_ok(text, out[i - 1].end, a.start)
        )
        if lone and not after_digit:
            out[i] = Word(a.start, a.end, text[a.start : a.end].lower())
        i = j + 1
    return out


def _gap_ok(text: str, a: int, b: int) -> bool:
    """Whether the characters between two tokens may sit inside one number."""
    return all(c in _SEPARATORS for c in text[a:b])


def find_runs(
    text: str, excluded: Sequence[tuple[int, int]] = (), lang: str = "en"
) -> tuple[list[Run], list[Word]]:
    """Group atoms into runs; also return the words (for distance and cue bookkeeping)."""
    items = tokenize(text, excluded, lang)
    words = [it for it in items if isinstance(it, Word)]
    runs: list[Run] = []
    cur: list[Atom] = []
    fillers = 0
    cur_start_ok = True  # nothing but separators/fillers before the current run
    prefix_clean = True  # nothing but separators/fillers seen so far in the text
    last_end = 0

    def close() -> None:
        nonlocal cur
        if cur:
            runs.append(Run(tuple(cur), cur_start_ok, False))
        cur = []

    for it in items:
        gap_ok = _gap_ok(text, last_end, it.start)
        if isinstance(it, Word):
            if it.lower in FILLERS and gap_ok:
                fillers += 1
                if cur and fillers > _MAX_FILLERS:
                    close()
            else:
                close()
                prefix_clean = False
                fillers = 0
        else:
            if cur and (not gap_ok or fillers > _MAX_FILLERS):
                close()
                prefix_clean = False
            if not cur:
                cur_start_ok = prefix_clean and gap_ok
                prefix_clean = False
            cur.append(it)
            fillers = 0
        last_end = it.end
    close()
    if runs and _tail_clean(text, runs[-1].end, words):
        last = runs[-1]
        runs[-1] = Run(last.atoms, last.at_start, True)
    return runs, words


def _tail_clean(text: str, pos: int, words: list[Word]) -> bool:
    after = [w for w in words if w.start >= pos]
    if len(after) > _MAX_FILLERS or any(w.lower not in FILLERS for w in after):
        return False
    prev = pos
    for w in after:
        if not _gap_ok(text, prev, w.start):
            return False
        prev = w.end
    return _gap_ok(text, prev, len(text))


def digit_runs(text: str, lang: str = "en") -> list[str]:
    """The digit strings a listener would hear in `text` (used by tests and diagnostics)."""
    return [r.digits for r in find_runs(text, (), lang)[0]]


# Units that make a number a quantity, not an identifier.
_AMOUNT_BEFORE = re.compile(r"[$\u20ac\u00a3\u00a5]\s?$")
_AMOUNT_AFTER = re.compile(
    # ("5 business days", "3 working days", "2 full months")
    r"\s?(?:(?:business|working|calendar|full|whole|clear|extra|free)\s)?"
    r"(?:dollars?|bucks|cents?|euros?|pounds?|percent|%|gigs?|gigabytes?|gb|mb|minutes?"
    r"|hours?|days?|weeks?|months?|years?|times)(?![a-z])",
    re.I,
)


def is_amount(text: str, run: Run) -> bool:
    """A sum of money or a quantity ("$49.99", "1,249 dollars", "5 days"), or the day or year
    of a date ("on March 3", "May 2025"): never a card."""
    return bool(
        _AMOUNT_BEFORE.search(text, max(0, run.start - 2), run.start)
        or _AMOUNT_AFTER.match(text, run.end)
        or (len(run.digits) <= 4 and _MONTH_BEFORE.search(text, max(0, run.start - 16),
                                                          run.start))
    )


# A month's name just before a number ("March 3", "September the 12"; "May" only as a name,
# capitalised: "you may 4..." is no date).
_MONTH_BEFORE = re.compile(
    r"\b(?:(?i:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)|May)\.?\s+(?:the\s+)?$")
