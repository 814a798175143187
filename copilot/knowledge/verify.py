"""Does a suggested line state only what its cited passages say? ("grounded or silent")

Every policy fact of a line is looked up in the cited passages' full text. Lexical and strict on
purpose: a false "unsupported" only shows the agent the approved line instead of a draft; a false
"supported" is a promise the company never made.

- number / amount / duration / percentage: a value ("5", "five", "12.50", "a hundred") and the
  unit after it ("$49" == "49 dollars", "12-month" == "12 months", "30%" == "thirty percent"),
  found with the same unit and, if the line says "up to / at least / within / after...", the
  same comparator. A bare time unit ("per week") must be in the passage.
- name: capitalised runs ("Travel Day Pass"), acronyms, and the knowledge base's own names even
  in lower case ("family unlimited").
- term: words that change the promise (free, waive, refund, unlimited, only, always...) with their
  polarity ("no fee" and "not charged" mean *free*, "no limit" *unlimited*). Found when the
  passage has the same term and polarity, the words the line puts right after it ("waive *late
  fees*") follow it there too, or are its subject in the passive ("late fees can be waived"),
  the words right before it are passage words ("the *global* pass costs"), the line states the
  numbers that condition it there ("no fee" is not supported by "after 12 months there is no
  fee"), and a limit or time the line puts right after it is one of those ("refund *within 90
  days*").
- words are compared by stem(), one stem for all inflections ("refund" / "refunded", "waive" /
  "waiving", "cancel" / "cancelled" / "cancellation"); comparators belong to their number.

Not seen: a dropped condition without a number ("if the device is fully paid"), or a lower-case
name the knowledge base does not know; so drafts must also keep the approved line's numbers
(suggest.py), and the agent reads every line before saying it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import NamedTuple

from copilot.knowledge.parse import Passage
from copilot.knowledge.query import STOPWORDS, fold

__all__ = ["Fact", "Verdict", "known_names", "stem", "verify"]


@dataclass(frozen=True)
class Fact:
    kind: str  # number | amount | duration | percentage | name | term
    text: str  # as written in the line
    supported: bool
    span: tuple[int, int]  # character offsets in the line
    key: str = ""  # the normalised form that was looked up (for the audit)
    value: str | None = None  # for numbers, amounts, durations, percentages: "12.5"


@dataclass(frozen=True)
class Verdict:
    ok: bool
    facts: list[Fact]
    unsupported: list[Fact]


def _table(spec: str) -> dict[tuple[str, ...], str]:
    """"group: a b|c; ..." -> {("a", "b"): group, ("c",): group}: phrase tables, readable."""
    return {tuple(p.split()): g.strip() for part in spec.split(";")
            for g, phrases in [part.split(":")] for p in phrases.split("|")}


_STOP = STOPWORDS["en"]
_UNITS = {w: i for i, w in enumerate("zero one two three four five six seven eight nine".split())}
_TEENS = {w: i + 10 for i, w in enumerate(
    "ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen".split())}
_TENS = {w: 10 * (i + 2) for i, w in enumerate(
    "twenty thirty forty fifty sixty seventy eighty ninety".split())} | {"fourty": 40}
_SCALES = {"dozen": 12, "hundred": 100, "thousand": 1000, "million": 1000000}
_SMALL = _UNITS | _TEENS | _TENS
_NUMBER_WORDS = {*_SMALL, *_SCALES, "half"}
_CURRENCY = {"dollar": "dollar", "buck": "dollar", "usd": "dollar", "euro": "euro",
             "eur": "euro", "pound": "pound", "gbp": "pound", "quid": "pound",
             "$": "dollar", "€": "euro", "£": "pound"}
_TIME = {u: u for u in ("second", "minute", "hour", "day", "week", "month", "year")} | {
    "min": "minute", "hr": "hour", "yr": "year"}
# A time unit said without a number still says something ("per day" is not "per week").
_TIME_WORDS = {u: u for u in ("minute", "hour", "day", "week", "month", "year")} | {
    "hourly": "hour", "daily": "day", "weekly": "week", "monthly": "month", "yearly": "year",
    "annual": "year", "annually": "year"}
_COMPARATORS = _table("max: up to|at most|no more than|maximum|maximum of|max;"
                      "min: at least|minimum|minimum of|no less than; over: more than|over;"
                      "under: less than|fewer than|under; within: within; after: after;"
                      "before: before; first: first; last: last")
# Words that change what the company promises, grouped by what they promise. Kept general
# (money, limits, absolutes, timing, entitlement), never drawn from one knowledge base.
_TERMS = {w: g for g, words in {
    "charge": "fee fees charge charged charges cost costs price priced penalty penalties "
              "surcharge",
    "free": "free complimentary", "waive": "waive waived waiver waiving",
    "refund": "refund refunded refunds refundable reimburse reimbursed reimbursement",
    "credit": "credit credited compensation compensate compensated voucher",
    "discount": "discount discounted rebate promo promotion",
    "guarantee": "guarantee guaranteed guarantees promise promised warranty",
    "unlimited": "unlimited limitless", "limit": "limit limits limited cap capped restricted",
    "included": "include included includes including covered",
    "exception": "exception exceptions courtesy goodwill",
    "always": "always forever permanent permanently lifetime", "never": "never",
    "only": "only solely exclusively", "all": "all everything everyone", "every": "every each",
    "any": "any anytime whenever", "immediately": "immediately instantly instant immediate now",
    "today": "today tonight", "tomorrow": "tomorrow", "automatic": "automatic automatically",
    "once": "once", "twice": "twice", "full": "full fully entire entirely whole complete",
    "eligible": "eligible eligibility qualify qualifies entitled",
    "must": "must required require requires mandatory", "extra": "extra additional",
    "again": "again another", "upgrade": "upgrade upgrades", "priority": "priority expedited",
    "bonus": "bonus reward rewards gift perk loyalty",
    "approve": "approve approved authorize authorise authorized",
}.items() for w in words.split()}
_TERM_PHRASES = _table("immediately: right away; today: same day; refund: money back;"
                       "any: at any time|any time; free: free of charge|on the house")
# Polarity that turns one promise into another: "no fee" is free, "no limit" is unlimited.
_FLIP = {"charge": "free", "free": "charge", "limit": "unlimited", "unlimited": "limit"}
_NEGATORS = {"no", "not", "never", "without", "none", "nothing", "cannot", "non", "nor",
             "neither"}
_NOT_CONTENT = _STOP | _TERMS.keys() | _NEGATORS | _NUMBER_WORDS
# Forms of "be" and "get" that make a participle passive: "the amount is refunded" is about the
# amount, as "refund the amount" is.
_PASSIVE = {"is", "are", "was", "were", "be", "been", "being", "get", "gets", "got", "gotten",
            "getting"}
_NEG_WINDOW = 4  # tokens before a term that may negate it (same clause)
_AROUND_DRAFT, _AFTER_PASSAGE = 2, 4  # words next to a term that it is about: line / passage
# Numbers close to a term in a passage sentence are its conditions ("after 12 months there is no
# fee"), and so is any limit in that sentence ("up to 5 GB"). Other numbers further away belong
# to another fact of a long sentence ("costs 12 dollars per day and includes ... 2 GB").
_COND_WINDOW = 8
# Capitalised by position, not names: sentence openers and the pronoun I.
_OPENERS = set("absolutely certainly definitely great good glad happy unfortunately perfect "
               "understood alright however currently instead otherwise sadly luckily "
               "thankfully welcome".split())
_NOT_NAMES = {"i", "i'm", "i've", "i'd", "i'll", "ok"}

_TOKEN = re.compile(r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
                    r"|(?P<word>[^\W\d_]+(?:['\u2019][^\W\d_]+)*)|(?P<sym>[$€£%])"
                    r"|(?P<sent>[.!?;:]+(?=\s|$)|\n)|(?P<clause>[,()\u2013\u2014\"]|\s-\s)")


class _Tok(NamedTuple):
    raw: str
    low: str  # folded word, or the canonical value of digits
    start: int
    end: int
    kind: str  # num | word | sym
    sent: int
    clause: int
    first: bool  # first word of its sentence
    hyphen: bool  # glued to the next word by a hyphen ("one-device", "12-month")


class _Num(NamedTuple):
    value: str
    unit: str | None  # currency, time unit, "percent", or the stem of the word after it
    kind: str
    comparator: str | None
    window: frozenset[str]  # stems of the words right after it
    span: tuple[int, int]
    at: int  # token index
    sent: int
    lead: int  # index of its first token, with its comparator and currency sign


class _Term(NamedTuple):
    key: str  # the promise, with its polarity: "free", "not waive"
    before: frozenset[str]  # content words just before it
    after: frozenset[str]  # ... and just after it: what the promise is about
    near: frozenset[str]  # (passage) values of the numbers that condition it
    cond: frozenset[str]  # (line) a limit or a time right after it: "refund *within 90 days*"
    span: tuple[int, int]


def stem(word: str) -> str:
    """One stem for the inflections of a word, the same on both sides, so "fees" meets "fee",
    "waived" "waive", "cancelled" "cancel", "applies" "apply"; the two nouns of an action
    too ("cancellation", "replacement"). Only ever compared with itself: it need not produce
    real words. Shared by everything that matches policy words (verify, practice's fact-check,
    suggest, summary). Not Porter (SQLite's porter tokenizer for search): its derivational
    steps make "international" "internal" and "activation" "activity", and a false match here
    is a promise the company never made."""
    w = fold(word).replace("\u2019", "'").removesuffix("'s")
    if len(w) > 4 and w.endswith("ies"):
        w = w[:-3] + "y"
    elif len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    if len(w) > 4 and w.endswith("ied"):
        w = w[:-3] + "y"  # "applied"
    elif len(w) > 4 and w.endswith("eed"):
        w = w[:-1]  # "agreed" -> "agree", but "need", "feed" stay
    elif len(w) > 5 and w.endswith("ing") and _VOWEL.search(w[:-3]):
        w = w[:-3]
    elif len(w) > 4 and w.endswith("ed") and not w.endswith("eed") and _VOWEL.search(w[:-2]):
        w = w[:-2]
    elif len(w) > 10 and w.endswith("ation") or len(w) > 9 and w.endswith("ment"):
        # "cancellation", "replacement"; not shorter words ("activation", "statement")
        w = w.removesuffix("ation").removesuffix("ment")
    if len(w) > 3 and w[-1] == w[-2] and w[-1] in _UNDOUBLE and (
            w[-1] != "l" or len(_VOWEL.findall(w)) > 1):
        w = w[:-1]  # "stopped", "cancelled"; "call", "bill" are one syllable and keep "ll"
    return w[:-1] if len(w) > 3 and w.endswith("e") else w


_VOWEL = re.compile(r"[aeiouy]+")
_UNDOUBLE = set("bdfglmnprt")


def _singular(w: str) -> str:
    return w[:-1] if len(w) > 2 and w.endswith("s") and not w.endswith("ss") else w


def _tokens(text: str) -> list[_Tok]:
    toks: list[_Tok] = []
    sent = clause = 0
    first = True
    for m in _TOKEN.finditer(text):
        kind, raw = m.lastgroup or "", m.group()
        if kind in ("sent", "clause"):
            clause += 1
            sent, first = (sent + 1, True) if kind == "sent" else (sent, first)
            continue
        low = (format(Decimal(raw.replace(",", "")).normalize(), "f") if kind == "num"
               else fold(raw).replace("\u2019", "'"))
        toks.append(_Tok(raw, low, m.start(), m.end(), kind, sent, clause, first,
                         text[m.end():m.end() + 1] == "-"))
        first = first and kind == "sym"
    return toks


def _stopword(w: str) -> bool:
    """A stopword, or one contracted with its verb ("we'll", "they'd")."""
    return w in _STOP or "'" in w and w.split("'")[0] in _STOP


def _near(toks: list[_Tok], i: int, j: int) -> bool:
    """Tokens i and j exist and sit in one clause."""
    return 0 <= i < len(toks) and 0 <= j < len(toks) and toks[i].clause == toks[j].clause


def _parse_number(toks: list[_Tok], i: int) -> tuple[Decimal, int] | None:
    """The number starting at token i, as (value, index after it), or None."""
    t = toks[i]
    if t.kind == "num":
        if _near(toks, i, i + 1) and toks[i + 1].low in _SCALES:  # "5 thousand"
            return Decimal(t.low) * _SCALES[toks[i + 1].low], i + 2
        return Decimal(t.low), i + 1
    if t.low == "one" and not t.hyphen and (
            i > 0 and toks[i - 1].low in {"no", "some", "any", "every", "each", "which", "this",
                                          "that"}
            or i + 1 < len(toks) and toks[i + 1].low in ("of", "another")):
        return None  # "no one", "one of them": a pronoun, not a count
    total, cur, prev, j = Decimal(0), Decimal(0), "", i
    if t.low in ("a", "an") and _near(toks, i, i + 1) and toks[i + 1].low in _SCALES:
        cur, prev, j = Decimal(1), "small", i + 1  # "a hundred", "a dozen"
    # Only well-formed cardinals join ("one hundred and fifty", "twenty-five"); "one two" or
    # "twelve fifty" stay separate numbers, which is the strict reading.
    allowed = {"": _NUMBER_WORDS - _SCALES.keys(), "small": _SCALES.keys(),
               "tens": _UNITS.keys() | _SCALES.keys(), "scale": _SMALL.keys() | {"and", "thousand", "million"},
               "and": _SMALL.keys(), "half": set()}
    while j < len(toks) and toks[j].kind == "word" and (j == i or _near(toks, j - 1, j)):
        w = toks[j].low
        if w not in allowed[prev] or (w == "and" and not (
                j + 1 < len(toks) and toks[j + 1].low in _SMALL)):
            break
        if w in _SCALES:
            cur = (cur or 1) * _SCALES[w]
            total, cur = (total + cur, Decimal(0)) if _SCALES[w] >= 1000 else (total, cur)
            prev = "scale"
        elif w in ("and", "half"):
            cur, prev = (cur, "and") if w == "and" else (Decimal("0.5"), "half")
        else:
            cur, prev = cur + _SMALL[w], "tens" if w in _TENS else "small"
        j += 1
    return (total + cur, j) if j > i else None


def _unit(toks: list[_Tok], k: int, ref: int) -> tuple[str | None, str, int, Decimal]:
    """(unit, kind, tokens it takes, value factor) for the words from token k on."""
    if not _near(toks, ref, k):
        return None, "number", 0, Decimal(1)
    w, one = toks[k].low, _singular(toks[k].low)
    nxt = toks[k + 1].low if _near(toks, k, k + 1) else ""
    if w in ("%", "percent", "pct") or (w, nxt) == ("per", "cent"):
        return "percent", "percentage", 2 if w == "per" else 1, Decimal(1)
    if one in _CURRENCY or one == "cent":
        return "dollar" if one == "cent" else _CURRENCY[one], "amount", 1, Decimal(
            "0.01" if one == "cent" else 1)
    if w in ("business", "working") and _singular(nxt) == "day":
        return "business day", "duration", 2, Decimal(1)
    if one in _TIME:
        return _TIME[one], "duration", 1, Decimal(1)
    if toks[k].kind == "word" and w not in _NOT_CONTENT:
        return stem(w), "number", 0, Decimal(1)  # "5 devices": the word stays free for names
    return None, "number", 0, Decimal(1)


def _numbers(toks: list[_Tok]) -> tuple[list[_Num], set[int]]:
    """The numbers of a text with their units, and the token indices they take."""
    out: list[_Num] = []
    used: set[int] = set()
    i = 0
    while i < len(toks):
        parsed = _parse_number(toks, i)
        if parsed is None:
            i += 1
            continue
        value, j = parsed
        first, k = i, j
        if k < len(toks) and toks[k].low in ("st", "nd", "rd", "th") and \
                toks[k].start == toks[k - 1].end:
            k += 1  # "1st": an ordinal suffix, not a unit
        if i > 0 and toks[i - 1].kind == "sym" and toks[i - 1].low in _CURRENCY and \
                _near(toks, i - 1, i):
            first, (unit, kind, took, factor) = i - 1, (_CURRENCY[toks[i - 1].low], "amount", 0,
                                                        Decimal(1))
        else:
            unit, kind, took, factor = _unit(toks, k, j - 1)
        end = k + took
        took_before, comparator = next(
            ((n, _COMPARATORS[key]) for n in (3, 2, 1)
             if first - n >= 0 and toks[first - n].clause == toks[first].clause
             and (key := tuple(t.low for t in toks[first - n:first])) in _COMPARATORS),
            (0, None))
        window = frozenset(stem(toks[m].low) for m in range(j, j + _AFTER_PASSAGE)
                           if _near(toks, j - 1, m) and toks[m].kind == "word")
        out.append(_Num(format((value * factor).normalize(), "f"), unit, kind, comparator,
                        window, (toks[first].start, toks[end - 1].end), i, toks[i].sent,
                        first - took_before))
        # The comparator is checked with the number: it is not what a term is about
        # ("refunded within 5 days" is about the refund's timing, already a fact).
        used.update(range(first - took_before, end))
        i = max(end, i + 1)
    return out, used


def _content(toks: list[_Tok], used: set[int], a: int, b: int, ref: int) -> frozenset[str]:
    """Stems of the content words among tokens [a, b) in token ref's clause; numbers, units and
    names are checked as facts of their own."""
    return frozenset(stem(toks[m].low) for m in range(max(0, a), min(b, len(toks)))
                     if m not in used and toks[m].clause == toks[ref].clause
                     and toks[m].kind == "word" and toks[m].low not in _NOT_CONTENT
                     and not _stopword(toks[m].low))


def _terms(toks: list[_Tok], used: set[int], after_n: int, numbers: list[_Num], *,
           passage: bool = False) -> list[_Term]:
    out: list[_Term] = []
    i = 0
    while i < len(toks):
        if i in used or toks[i].kind != "word":
            i += 1
            continue
        n, group = next(((size, _TERM_PHRASES[key]) for size in (3, 2)
                         if _near(toks, i, i + size - 1)
                         and (key := tuple(t.low for t in toks[i:i + size])) in _TERM_PHRASES),
                        (1, _TERMS.get(toks[i].low)))
        if group is None:
            i += 1
            continue
        negated = any(t.clause == toks[i].clause and (t.low in _NEGATORS or t.low.endswith("n't"))
                      for t in toks[max(0, i - _NEG_WINDOW):i])
        near = frozenset(x.value for x in numbers if x.sent == toks[i].sent
                         and (abs(x.at - i) <= _COND_WINDOW or x.comparator is not None))
        about = _content(toks, used, i + n, i + n + after_n, i)
        aux = next((a for a in range(i - 1, max(-1, i - 4), -1) if toks[a].low in _PASSIVE
                    and all(toks[b].low in _NOT_CONTENT for b in range(a + 1, i))), None)
        if passage and aux is not None and n == 1 and toks[i].low.endswith("ed"):
            # A participle: "the duplicate amount is (fully) refunded" is about the amount, so
            # "refund the duplicate amount" is said there. Passages only: a line's subject is
            # often its own wording ("the customer was charged" for "I was charged").
            about |= _content(toks, used, aux - after_n - 2, aux, i)
        cond = frozenset(x.value for x in numbers if (x.comparator or x.kind == "duration")
                         and i + n <= x.lead < i + n + after_n and _near(toks, i, x.lead))
        out.append(_Term(_FLIP.get(group, "not " + group) if negated else group,
                         _content(toks, used, i - _AROUND_DRAFT, i, i), about, near, cond,
                         (toks[i].start, toks[i + n - 1].end)))
        i += n
    return out


def _key(toks: list[_Tok], a: int, b: int) -> tuple[str, ...]:
    return tuple(t.low.removesuffix("'s") for t in toks[a:b])


def _name_runs(toks: list[_Tok], used: set[int], known: frozenset[tuple[str, ...]],
               lower: frozenset[str]) -> list[tuple[int, int]]:
    """Token ranges [a, b) that name something: capitalised runs, acronyms, known names.
    `lower`: stems the passages write in lower case, i.e. ordinary words there."""
    def capital(t: _Tok) -> bool:
        return (t.kind == "word" and t.raw[:1].isupper() and t.low not in _NOT_NAMES
                and t.low not in _NUMBER_WORDS
                and (not _stopword(t.low) or (t.raw.isupper() and len(t.raw) > 1)))

    runs: list[tuple[int, int]] = []
    i = 0
    while i < len(toks):
        j = i
        while j < len(toks) and j not in used and capital(toks[j]) and \
                toks[j].clause == toks[i].clause:
            j += 1
        w = toks[i].low
        if j > i and toks[i].first and _key(toks, i, j) not in known and (
                _stopword(w) or w in _OPENERS or w in _TERMS or stem(w) in lower):
            i += 1  # "Good news", "Calls and texts": capitalised only by its position
        if i < j:
            runs.append((i, j))
        i = max(j, i + 1)
    taken = used.union(*(range(a, b) for a, b in runs))
    for name in sorted(known, key=len, reverse=True):  # known names, however they are cased
        for a in range(len(toks) - len(name) + 1):
            if _key(toks, a, a + len(name)) == name and taken.isdisjoint(range(a, a + len(name))):
                runs.append((a, a + len(name)))
                taken.update(range(a, a + len(name)))
    return sorted(runs)


class _Doc(NamedTuple):
    numbers: list[_Num]
    terms: list[_Term]
    time_units: frozenset[str]
    joined: str  # " word word ... ": for name look-ups on word boundaries
    lower: frozenset[str]  # stems of words written in lower case
    stems: frozenset[str]  # stems of every word
    names: frozenset[tuple[str, ...]]


def _unit_words(toks: list[_Tok], used: set[int]) -> list[tuple[int, str]]:
    return [(i, u) for i, t in enumerate(toks) if i not in used and t.kind == "word"
            and (u := _TIME_WORDS.get(t.low) or _TIME_WORDS.get(_singular(t.low)))]


@lru_cache(maxsize=1024)
def _doc(text: str) -> _Doc:
    toks = _tokens(text)
    numbers, used = _numbers(toks)
    words = [t for t in toks if t.kind == "word"]
    lower = frozenset(stem(t.low) for t in words if not t.raw[:1].isupper())
    units = {n.unit for n in numbers if n.kind == "duration" and n.unit}
    units.update(u for _, u in _unit_words(toks, used))
    names = frozenset(_key(toks, a, b) for a, b in _name_runs(toks, used, frozenset(), lower))
    terms = _terms(toks, used, _AFTER_PASSAGE, numbers, passage=True)
    return _Doc(numbers, terms, frozenset(units),
                " " + " ".join(_key(toks, 0, len(toks))) + " ", lower,
                frozenset(stem(t.low) for t in words), names)


def _real_names(docs: list[_Doc]) -> frozenset[tuple[str, ...]]:
    """Their names, without capitalised words they also write in lower case ("Agents must")."""
    lower = frozenset().union(*(d.lower for d in docs))
    return frozenset(n for d in docs for n in d.names if not all(stem(w) in lower for w in n))


def known_names(passages: Iterable[Passage]) -> frozenset[tuple[str, ...]]:
    """The names a knowledge base uses ("family unlimited", "northwind"), as folded words: a
    line that mentions one in lower case still has to cite a passage that names it."""
    return _real_names([_doc(p.full_text) for p in passages])


def _number_ok(p: _Num, n: _Num) -> bool:
    if p.value != n.value or n.comparator not in (None, p.comparator):
        return False
    if n.kind != "number":
        return p.unit == n.unit  # currency, percent and time units must agree exactly
    return n.unit is None or n.unit in p.window


def verify(text: str, passages: Sequence[Passage], *,
           names: Iterable[tuple[str, ...]] = ()) -> Verdict:
    """Every policy fact of `text`, each looked up in the cited `passages`. `names` adds the
    whole knowledge base's names (known_names) so that a lower-cased one is still checked."""
    docs = [_doc(p.full_text) for p in passages]
    lower = frozenset().union(*(d.lower for d in docs))
    toks = _tokens(text)
    numbers, used = _numbers(toks)
    runs = _name_runs(toks, used, frozenset(names) | _real_names(docs), lower)
    used.update(*(range(a, b) for a, b in runs))
    values = {n.value for n in numbers}
    facts = [Fact(n.kind, text[n.span[0]:n.span[1]],
                  any(_number_ok(p, n) for d in docs for p in d.numbers), n.span,
                  " ".join(x for x in (n.comparator, n.value, n.unit) if x), n.value)
             for n in numbers]
    for a, b in runs:
        key, span = " ".join(_key(toks, a, b)), (toks[a].start, toks[b - 1].end)
        facts.append(Fact("name", text[span[0]:span[1]],
                          any(f" {key} " in d.joined for d in docs), span, key))
    for t in _terms(toks, used, _AROUND_DRAFT, numbers):
        ok = any(p.key == t.key and t.after <= p.after and p.near <= values
                 and t.cond <= p.near and t.before <= d.stems for d in docs for p in d.terms)
        facts.append(Fact("term", text[t.span[0]:t.span[1]], ok, t.span,
                          " ".join([t.key, *sorted(t.after)])))
    for i, unit in _unit_words(toks, used):
        facts.append(Fact("duration", toks[i].raw, any(unit in d.time_units for d in docs),
                          (toks[i].start, toks[i].end), unit))
    facts.sort(key=lambda f: f.span)
    unsupported = [f for f in facts if not f.supported]
    return Verdict(not unsupported, facts, unsupported)
