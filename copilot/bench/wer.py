"""Word error rate with a normaliser that forgives formatting but not recognition.

Whisper writes what it hears in many spellings ("$49", "49 dollars", "forty-nine dollars";
"742-931", "seven four two nine three one"; "March 3rd", "March third") while our call scripts
spell numbers out. A plain WER would charge the ASR for formatting, so both sides are normalised
to one canonical form first:

- lowercase, punctuation dropped, curly apostrophes made straight, hyphens split ("check-in");
- English numbers become single digit tokens: "forty nine" -> "4 9", "$49" -> "4 9 dollars",
  "742-931" -> "7 4 2 9 3 1". Spelling digits one by one makes the grouping irrelevant ("742 931",
  "742931" and "seven four two..." agree), so only the *value* of number words matters;
- ordinals lose their marker ("third" and "3rd" both -> "3"): Whisper writes "March 3" for a spoken
  "March third" about as often as "March 3rd";
- "oh" is a zero only inside a digit run ("four oh five"), never the interjection ("Oh, hello");
- hesitations (um, uh, hmm) are dropped, as Whisper's own English normaliser does.

French, Spanish and German get case, punctuation and accent folding only (plus digit splitting).
Accents are folded away ("está" == "esta") on purpose: the small Whisper models often drop or move
diacritics, which the agent reads through without trouble, and the metric is about words heard.
The cost is that a real confusion like French "ou"/"où" goes uncounted; that is rare and cheap.
Number words in those languages are not converted (that needs a grammar per language).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

import jiwer

UNITS = {"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
         "seven": 7, "eight": 8, "nine": 9}  # fmt: skip
TEENS = {"ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
         "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19}  # fmt: skip
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50, "sixty": 60,
        "seventy": 70, "eighty": 80, "ninety": 90}  # fmt: skip
SCALES = {"thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
ORDINALS = {
    "first": "one", "second": "two", "third": "three", "fourth": "four", "fifth": "five",
    "sixth": "six", "seventh": "seven", "eighth": "eight", "ninth": "nine", "tenth": "ten",
    "eleventh": "eleven", "twelfth": "twelve", "thirteenth": "thirteen",
    "fourteenth": "fourteen", "fifteenth": "fifteen", "sixteenth": "sixteen",
    "seventeenth": "seventeen", "eighteenth": "eighteen", "nineteenth": "nineteen",
    "twentieth": "twenty", "thirtieth": "thirty", "fortieth": "forty", "fiftieth": "fifty",
    "sixtieth": "sixty", "seventieth": "seventy", "eightieth": "eighty", "ninetieth": "ninety",
    "hundredth": "hundred", "thousandth": "thousand", "millionth": "million",
}  # fmt: skip
FILLERS = frozenset("um umm uh uhm uhh er erm hmm mm mmm mhm".split())
SPELLING = {"ok": "okay", "dollar": "dollars", "cent": "cents", "euro": "euros",
            "mister": "mr", "missus": "mrs", "percentage": "percent"}  # fmt: skip
_CURRENCY = {"$": "dollars", "€": "euros", "£": "pounds"}

_APOSTROPHES = re.compile(r"[\u2018\u2019\u02bc\u0060\u00b4]")
_HYPHENS = re.compile(r"[-\u2010-\u2015\u2212_/]")  # "/" too: "and/or", "24/7"
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}\b)")
_MONEY = re.compile(r"([$€£])\s?(\d+)(?:\.(\d\d))?\b")
_DECIMAL = re.compile(r"(?<=\d)\.(?=\d)")
_ORDINAL_SUFFIX = re.compile(r"\b(\d+)(?:st|nd|rd|th)\b")
# A word (letters or digits, apostrophes inside) or one punctuation mark, which breaks a number.
_TOKEN = re.compile(r"[^\W_]+(?:'[^\W_]+)*|[^\w\s]")


@dataclass(frozen=True)
class WerResult:
    errors: int
    ref_words: int
    wer: float  # errors / ref_words; with an empty reference, errors / 1 (any output is wrong)
    sub: int
    ins: int
    dels: int


def normalize(text: str, lang: str = "en") -> list[str]:
    """Canonical word tokens of `text` for scoring (see the module docstring)."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = _APOSTROPHES.sub("'", text)
    if (lang or "en").split("-")[0].lower() != "en":
        return _normalize_other(text)
    text = _THOUSANDS.sub("", text)
    text = _MONEY.sub(_money, text)
    text = _DECIMAL.sub(" point ", text)
    text = _ORDINAL_SUFFIX.sub(r"\1", text)
    text = text.replace("%", " percent ").replace("&", " and ")
    text = _HYPHENS.sub(" ", text)
    words, breaks = _tokens(text)
    out: list[str] = []
    for w in _numbers_to_digits(words, breaks):
        if w in FILLERS:
            continue
        out.extend(w if w.isdigit() else [SPELLING.get(w, w)])
    return out


def _money(m: re.Match) -> str:
    cents = f" {m.group(3)} cents" if m.group(3) and m.group(3) != "00" else ""
    return f" {m.group(2)} {_CURRENCY[m.group(1)]}{cents} "


def _normalize_other(text: str) -> list[str]:
    text = text.replace("ß", "ss").replace("œ", "oe").replace("æ", "ae")
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    words, _ = _tokens(_HYPHENS.sub(" ", text))
    out: list[str] = []
    for w in words:
        out.extend(w if w.isdigit() else [w])  # "1.000" and "1000" both become 1 0 0 0
    return out


def _tokens(text: str) -> tuple[list[str], list[bool]]:
    """Words, and for each word whether punctuation came right before it (a number boundary)."""
    words: list[str] = []
    breaks: list[bool] = []
    pending_break = False
    for tok in _TOKEN.findall(text):
        if tok[0].isalnum():
            words.append(tok.strip("'"))
            breaks.append(pending_break)
            pending_break = False
        else:
            pending_break = True
    return words, breaks


def _numbers_to_digits(words: list[str], breaks: list[bool]) -> list[str]:
    """Replace every run of number words (and digit strings) with its digit strings."""
    words, breaks = _expand_repeats(words, breaks)
    out: list[str] = []
    i = 0
    while i < len(words):
        if _starts_number(words, breaks, i, prev_is_number=bool(out) and out[-1].isdigit()
                          and not breaks[i]):
            digits, i = _parse_group(words, breaks, i)
            out.append(digits)
        else:
            out.append(words[i])
            i += 1
    return out


def _expand_repeats(words: list[str], breaks: list[bool]) -> tuple[list[str], list[bool]]:
    """'double five' -> 'five five', as people read out phone and card numbers."""
    w2: list[str] = []
    b2: list[bool] = []
    i = 0
    while i < len(words):
        n = {"double": 2, "triple": 3}.get(words[i], 0)
        nxt = words[i + 1] if _joined(words, breaks, i + 1) else ""
        if n and (nxt in UNITS or (nxt.isdigit() and len(nxt) == 1)):
            w2 += [nxt] * n
            b2 += [breaks[i]] + [False] * (n - 1)
            i += 2
            continue
        w2.append(words[i])
        b2.append(breaks[i])
        i += 1
    return w2, b2


def _kind(word: str) -> str:
    word = ORDINALS.get(word, word)
    if word in UNITS:
        return "unit"
    if word in TEENS:
        return "teen"
    if word in TENS:
        return "tens"
    if word == "hundred":
        return "hundred"
    if word in SCALES:
        return "scale"
    if word.isdigit():
        return "digits"
    return ""


def _value(word: str) -> int:
    word = ORDINALS.get(word, word)
    return UNITS.get(word, TEENS.get(word, TENS.get(word, 0)))


def _joined(words: list[str], breaks: list[bool], j: int) -> bool:
    """Is word j present and not separated from word j-1 by punctuation?"""
    return j < len(words) and not breaks[j]


def _starts_number(words: list[str], breaks: list[bool], i: int, prev_is_number: bool) -> bool:
    w = words[i]
    if _kind(w):
        return True
    if w == "a":  # "a hundred", "a thousand"
        return _joined(words, breaks, i + 1) and _kind(words[i + 1]) in ("hundred", "scale")
    if w in ("oh", "o"):
        # Zero only inside a digit run: after a number ("four oh five"), or opening a run of at
        # least two more digits ("oh five five"). "Oh, hello" and "oh one more thing" stay words.
        if prev_is_number:
            return True
        return all(_joined(words, breaks, j) and _kind(words[j]) in ("unit", "digits")
                   for j in (i + 1, i + 2))
    return False


def _parse_group(words: list[str], breaks: list[bool], i: int) -> tuple[str, int]:
    """Parse one number starting at i; returns (its digits, index after it).

    Units, teens and tens combine the way they are read: "forty nine" is 49 but "four nine" is 4
    then 9 (two groups, which read as digits "4 9" either way), "nineteen ninety" is 19 then 90.
    "hundred" and the scale words multiply; "and" is skipped inside "two hundred and five".
    """
    w = words[i]
    if w in ("oh", "o"):
        return "0", i + 1
    if _kind(w) == "digits" and not (_joined(words, breaks, i + 1)
                                     and _kind(words[i + 1]) in ("hundred", "scale")):
        return w, i + 1  # typed digits keep their leading zeros
    total, cur = 0, None
    open_tens = has_hundred = False  # "twenty" waiting for a unit; "x hundred" waiting for the rest
    last_scale = 10**12
    j = i
    while j < len(words) and (j == i or not breaks[j]):
        w = words[j]
        kind = _kind(w)
        if w == "a" and j == i:
            cur = 1
        elif kind == "digits" and cur is None and total == 0:
            cur = int(w)
        elif kind in ("unit", "teen", "tens"):
            v = _value(w)
            if cur is None:
                cur = v
            elif kind == "unit" and open_tens:
                cur += v
                open_tens = False
            elif has_hundred and cur % 100 == 0:
                cur += v
            else:
                break
            open_tens = kind == "tens"
            if kind != "tens" and has_hundred:
                has_hundred = False
        elif kind == "hundred" and (cur is None or (cur < 100 and not has_hundred)):
            cur = (cur if cur is not None else 1) * 100
            has_hundred, open_tens = True, False
        elif kind == "scale" and SCALES[ORDINALS.get(w, w)] < last_scale:
            last_scale = SCALES[ORDINALS.get(w, w)]
            total += (cur if cur is not None else 1) * last_scale
            cur, open_tens, has_hundred = None, False, False
        elif (w == "and" and (has_hundred or (cur is None and total))
              and _joined(words, breaks, j + 1)
              and _kind(words[j + 1]) in ("unit", "teen", "tens")):
            pass
        else:
            break
        j += 1
        if w in ORDINALS:  # "twenty first": an ordinal closes the number
            break
    return str(total + (cur or 0)), j


def _edit_counts(ref: list[str], hyp: list[str]) -> tuple[int, int, int]:
    """(sub, ins, dels) of a minimal word alignment, counted by jiwer (rapidfuzz Levenshtein).

    The total is the edit distance; where several minimal alignments exist, jiwer keeps the one
    with more matched words (e.g. "b b b a" vs "d a a b": 2 sub + 1 ins + 1 del, not 4 sub).
    Tokens from normalize() never contain whitespace, so joining with spaces is lossless.
    """
    out = jiwer.process_words(" ".join(ref), " ".join(hyp))
    return out.substitutions, out.insertions, out.deletions


def _result(sub: int, ins: int, dels: int, ref_words: int) -> WerResult:
    errors = sub + ins + dels
    return WerResult(errors, ref_words, errors / max(ref_words, 1), sub, ins, dels)


def wer(ref: str, hyp: str, lang: str = "en") -> WerResult:
    r, h = normalize(ref, lang), normalize(hyp, lang)
    return _result(*_edit_counts(r, h), len(r))


def combine(results: Iterable[WerResult]) -> WerResult:
    """Corpus WER: errors summed over reference words (not an average of per-item WERs)."""
    sub = ins = dels = n = 0
    for r in results:
        sub, ins, dels, n = sub + r.sub, ins + r.ins, dels + r.dels, n + r.ref_words
    return _result(sub, ins, dels, n)


def corpus_wer(pairs: Iterable[tuple[str, str] | tuple[str, str, str]],
               lang: str = "en") -> WerResult:
    """Pairs of (ref, hyp) or (ref, hyp, lang); a pair's own language wins over `lang`."""
    return combine(wer(p[0], p[1], p[2] if len(p) > 2 else lang) for p in pairs)
