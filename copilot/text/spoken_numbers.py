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
    r"\s?(?:dollars?|bucks|cents?|euros?|pounds?|percent|%|gigs?|gigabytes?|gb|mb|minutes?"
    r"|hours?|days?|weeks?|months?|years?|times)(?![a-z])",
    re.I,
)


def is_amount(text: str, run: Run) -> bool:
    """A sum of money or a quantity ("$49.99", "1,249 dollars", "5 days"): never a card."""
    return bool(
        _AMOUNT_BEFORE.search(text, max(0, run.start - 2), run.start)
        or _AMOUNT_AFTER.match(text, run.end)
    )


# ---- what a run is ---------------------------------------------------------------------------

# First digits of card numbers (Visa 4, Mastercard 2/5, Amex/Diners/JCB 3, Discover/UnionPay 6).
# Used only where a run is not a complete valid number and we guess whether it could become one.
_CARD_FIRST = frozenset("23456")
_CARD_LENGTHS = (16, 15, 19, 13, 14, 17, 18)  # most common first when searching inside a run


@dataclass(frozen=True)
class Mask:
    kind: str  # "card" | "security_code" | "ssn"
    parts: tuple[tuple[int, int], ...]  # the masked atoms' spans in the analysed text
    last4: str | None = None  # the digits a card mask may keep
    cue: int | None = None  # index of the cue that caused it, if any


def luhn_ok(digits: str) -> bool:
    """Luhn checksum of a string of ASCII digits (spaces and hyphens are ignored)."""
    digits = digits.replace(" ", "").replace("-", "")
    if not digits or not (digits.isascii() and digits.isdigit()):
        return False
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = ord(ch) - 48
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def _mask(
    kind: str, atoms: Sequence[Atom], last4: str | None = None, cue: int | None = None
) -> Mask:
    return Mask(kind, tuple((a.start, a.end) for a in atoms), last4, cue)


# "ending in 1111", "the last four are 1111": the last four digits, which may be shown.
_LAST_FOUR = re.compile(r"\b(?:end(?:s|ing|ed)?(?:\s+(?:in|with))?|last\s+(?:four|4)(?:\s+\w+)?)"
                        r"\W*$", re.I)


def classify_run(
    text: str,
    atoms: Sequence[Atom],
    cues: Sequence[tuple[int, str]],
    *,
    conservative: bool,
    at_start: bool,
    other_cue: bool = False,
) -> list[Mask]:
    """Masks for one run. `cues` are (cue index, kind) that apply to it, nearest first;
    `other_cue` says the nearest cue names another kind of number ("order number is ...")."""
    digits = "".join(a.digits for a in atoms)
    n = len(digits)
    if 13 <= n <= 19 and luhn_ok(digits):
        return [_mask("card", atoms, digits[-4:])]
    # A typed SSN or a card may sit inside a longer run (bridged by "and", or a card followed
    # by its code): mask that stretch, then look at what is left on each side.
    found = _written_ssn(text, atoms)
    kind = "ssn"
    if found is None and n > 13:
        found, kind = _card_inside(atoms, digits), "card"
    if found is not None:
        i, j = found
        inner = atoms[i:j]
        last4 = "".join(a.digits for a in inner)[-4:] if kind == "card" else None

        def rest(part: Sequence[Atom], cues_: Sequence[tuple[int, str]], first: bool) -> list[Mask]:
            if not part:
                return []
            kw = {"at_start": first and at_start, "other_cue": first and other_cue}
            return classify_run(text, part, cues_, conservative=conservative, **kw)

        # What follows a card or an SSN is not what the cue before them was asking for.
        tail = rest(atoms[j:], (), False)
        if kind == "card" and atoms[j:] and not tail:
            # Digits read on in the same breath after a card are its code or a misheard
            # repeat of its digits ("4111 1111 1111 1111 11 1111"): nothing worth showing.
            n_tail = len("".join(a.digits for a in atoms[j:]))
            tail = [_mask("security_code" if n_tail in (3, 4) else "card", atoms[j:])]
        return [*rest(atoms[:i], cues, True), _mask(kind, inner, last4), *tail]
    if 13 <= n <= 19 and digits[0] in _CARD_FIRST and not _bridged(text, atoms):
        # Card-shaped, read as one number, but failing Luhn: most likely a card with a digit
        # misheard. Keep none. (Bridged runs are left to the cue rules: "2024-03-14 and
        # 2024-03-15" is two dates, not a card.)
        return [_mask("card", atoms)]
    # Thresholds: in a final, a card cue needs 8+ digits (a shorter number after "card" is
    # usually "ending in 1234"); a security code or SSN cue masks 3+ digits. A partial masks any
    # digit after any of these cues: it is the start of a number still being read out ("my card
    # number is 4111..."), and what a partial hides for a second the final shows if it may.
    last_four = says_last_four(text, atoms[0].start)
    need = {"card": 1 if conservative and not last_four else 8}
    for index, kind in cues:
        if n >= need.get(kind, 1 if conservative else 3):
            return [_mask(kind, atoms, cue=index)]
    if (conservative and not other_cue and n >= 8 and (digits[0] in _CARD_FIRST or at_start)
            and not typed_phone_or_date(text, atoms)):
        # A partial caption may be the first (or, at its start, the next) part of a card number.
        return [_mask("card", atoms)]
    return []


# Typed shapes of numbers that are not cards: a North American phone number (555 123 4567,
# 555-123-4567) and an ISO date (2024-03-14). Cards are read and written in groups of four (or
# 4-6-5); a recognizer that writes 3-3-4 or 4-2-2 heard a phone number or a date.
_PHONE_SHAPE = (3, 3, 4)
_DATE_SHAPE = (4, 2, 2)


def typed_phone_or_date(text: str, atoms: Sequence[Atom]) -> bool:
    """Whether a run is typed phone numbers or dates only (several may be joined by "and")."""
    groups: list[list[Atom]] = [[atoms[0]]]
    for a, b in zip(atoms, atoms[1:], strict=False):
        if any(c.isalpha() for c in text[a.end:b.start]):
            groups.append([b])
        else:
            groups[-1].append(b)
    for g in groups:
        shape = tuple(len(a.digits) for a in g)
        if not all(a.written for a in g):
            return False
        dashes = all(text[a.end:b.start] == "-" for a, b in zip(g, g[1:], strict=False))
        if not (shape == _PHONE_SHAPE or (shape == _DATE_SHAPE and dashes)):
            return False
    return True


def says_last_four(text: str, start: int) -> bool:
    """Whether the number at `start` is announced as a card's last four ("ending in 1111")."""
    return _LAST_FOUR.search(text[max(0, start - 24):start]) is not None


# Whisper writes a digit word as its homophone when it starts a number: "for 012" for "four oh
# one two", "to 222" for "two two two two". Only right before digits, so "waiting for 20
# minutes" is read this way too: callers use it where a false mask costs little (a partial, or
# digits said right after a card).
_HOMOPHONE_LEAD = re.compile(r"\b(for|too?|ate)[ ,]{1,2}$", re.I)
_HOMOPHONE_DIGIT = {"for": "4", "to": "2", "too": "2", "ate": "8"}


def homophone_lead(text: str, start: int) -> tuple[str, int] | None:
    """The digit and start offset of a homophone ("for", "to", "too", "ate") written right
    before the number at `start`, or None."""
    m = _HOMOPHONE_LEAD.search(text[max(0, start - 6):start])
    if m is None:
        return None
    return _HOMOPHONE_DIGIT[m.group(1).lower()], max(0, start - 6) + m.start(1)


def could_begin_card(digits: str) -> bool:
    """Whether a card number may start with these digits, by the issuers' number ranges (Visa
    4; Mastercard 51-55 and 2221-2720; Amex 34, 37; Discover, UnionPay, Maestro 6, 50, 56-58;
    JCB 3528-3589; Diners 300-305, 36, 38, 39). "2024" or "7429" cannot; "6011" or "4111" can."""
    d = digits
    if not d:
        return False
    if d[0] in "46":
        return True
    if d[0] == "5":
        return len(d) < 2 or d[1] in "012345678"
    if d[0] == "2":
        return len(d) < 4 or 2221 <= int(d[:4]) <= 2720
    if d[0] == "3":
        if len(d) < 2:
            return True
        if d[1] in "4789" or d[1] == "6":
            return True
        if d[1] == "0":
            return len(d) < 3 or d[2] in "012345"
        if d[1] == "5":
            return len(d) < 4 or 3528 <= int(d[:4]) <= 3589
    return False


def _bridged(text: str, atoms: Sequence[Atom]) -> bool:
    """Whether filler words sit between the atoms of a run."""
    return any(
        any(c.isalpha() for c in text[a.end : b.start])
        for a, b in zip(atoms, atoms[1:], strict=False)
    )


def _card_inside(atoms: Sequence[Atom], digits: str) -> tuple[int, int] | None:
    """A Luhn-valid card-length stretch inside a longer run ("4111...1111 123": card + code),
    starting and ending on atom boundaries. Returns atom indices [i, j)."""
    bounds, pos = {0: 0}, 0
    for k, a in enumerate(atoms):
        pos += len(a.digits)
        bounds[pos] = k + 1
    for start in sorted(bounds):
        if start >= len(digits) or digits[start] not in _CARD_FIRST:
            continue
        for length in _CARD_LENGTHS:
            end = start + length
            if end in bounds and luhn_ok(digits[start:end]):
                return bounds[start], bounds[end]
    return None


def _written_ssn(text: str, atoms: Sequence[Atom]) -> tuple[int, int] | None:
    """Atom indices [i, i + 3) of a typed 3-2-4 group ("123-45-6789", "123 45 6789")."""
    for k in range(len(atoms) - 2):
        trio = atoms[k : k + 3]
        if [len(a.digits) for a in trio] != [3, 2, 4] or not all(a.written for a in trio):
            continue
        gaps = [text[trio[0].end : trio[1].start], text[trio[1].end : trio[2].start]]
        if all(g in ("-", " ", "\u2013") for g in gaps):
            return k, k + 3
    return None
