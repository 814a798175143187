"""Does a suggested line state only what its cited passages say? ("grounded or silent")

Every policy fact of a line is looked up in the cited passages' full text. Lexical and strict on
purpose: a false "unsupported" only shows the agent the approved line instead of a draft; a false
"supported" is a promise the company never made.

- number / amount / duration / percentage: a value ("5", "five", "12.50", "a hundred") and the
  unit after it ("$49" == "49 dollars", "12-month" == "12 months", "30%" == "thirty percent"),
  found with the same unit and, if the line says "up to / at least / within / after...", the
  same comparator. Words that do not change a time unit may stand between ("5 full months" is
  5 months). A bare time unit said as a rate ("per week", "12 dollars a month") must be in the
  passage; as a time ("this month", "next week"), see the qualifiers below.
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
- what counts as a fact: a word that only says when, how often or how much (now, today,
  twice, again, always, every, in full) and a bare time unit qualify something; they are a fact
  only about a policy fact of their clause (a value, a policy term, a rate, or what the company
  or the customer will or can do): "we'll refund it *today*", "we can waive it *twice* a year",
  "we can unlock it *right away*". Not in a report of what happened ("you were charged
  *twice*", "I've filed it *today*"), in the agent's own action unless it gives the customer a
  value or a benefit ("I'll file it *now*", "let me check *now*"; but "I'll refund it *today*"),
  nor in the agent's paperwork, whatever it is for ("I'll *file* a refund *right away*": a
  request is filed now, the refund's timing is another fact), nor in a question ("anything else
  *today*?"). A qualifier that is a fact is found where it qualifies the same promises and
  words ("you'll get an email *today*" does not support "I'll refund it *today*"). "Extra" and
  "additional" are never facts of their own: what they qualify is ("an extra fee" is a fee).
- a number conditions the promises of its sentence, up to a coordinated clause: "after 12
  months, there is no fee", but not "back within 5 business days, and an email today".
- words are compared by stem(), one stem for all inflections ("refund" / "refunded", "waive" /
  "waiving", "cancel" / "cancelled" / "cancellation"); comparators belong to their number.

Not seen: a dropped condition without a number ("if the device is fully paid"), a lower-case
name the knowledge base does not know, or a timing the agent promises as their own action about
something that is not a policy term ("I'll send the new SIM today"; "*we*'ll send it today" is
checked); so drafts must also keep the approved line's numbers (suggest.py), and the agent reads
every line before saying it.
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

__all__ = ["BENEFITS", "Fact", "Verdict", "known_names", "stem", "term_keys", "verify"]


@dataclass(frozen=True)
class Fact:
    kind: str  # number | amount | duration | percentage | name | term
    text: str  # as written in the line
    supported: bool
    span: tuple[int, int]  # character offsets in the line
    key: str = ""  # the normalised form that was looked up (for the audit)
    value: str | None = None  # for numbers, amounts, durations, percentages: "12.5"

    @property
    def label(self) -> str:
        """What the fact is, in the agent's words: "now" is a timing, not a "policy term"."""
        if self.kind != "term":
            return self.kind
        return _LABELS.get(self.key.removeprefix("not ").split(" ")[0], "policy term")


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
    "must": "must required require requires mandatory",
    "again": "again another", "upgrade": "upgrade upgrades", "priority": "priority expedited",
    "bonus": "bonus reward rewards gift perk loyalty",
    "approve": "approve approved authorize authorise authorized",
}.items() for w in words.split()}
_TERM_PHRASES = _table("immediately: right away; today: same day; refund: money back;"
                       "any: at any time|any time; free: free of charge|on the house")
# Promises that give the customer something (money back, a credit, a waiver, a benefit). A word
# that only qualifies (below) is a fact next to one of these even in the agent's own sentence:
# "I'll refund it today" promises a timing, "I'll file it today" does not.
BENEFITS = frozenset({"refund", "credit", "free", "waive", "discount", "guarantee", "bonus",
                      "exception", "approve", "priority", "upgrade", "eligible", "unlimited"})
# Words that say when, how often or how much of something (now, today, twice, again, always,
# every, in full), and a time unit said without a number ("this month", "next week"). They
# state a policy only about a policy fact of their clause: "we'll refund it *today*" promises a
# timing and "we can waive it *twice* a year" a frequency, but "I'll file it *now*", "you were
# charged *twice*" and "how are you *today*?" promise nothing. See _qualifies(). The words that
# set a rule's scope (only, all, any, never) stay terms: "only phones count" is a rule.
_QUALIFIERS = frozenset({"immediately", "today", "tomorrow", "once", "twice", "again", "always",
                         "every", "full"})
_LABELS = {"immediately": "timing", "today": "timing", "tomorrow": "timing", "once": "how often",
           "twice": "how often", "again": "how often", "always": "how often",
           "every": "how often", "full": "how much"}
assert _LABELS.keys() == _QUALIFIERS  # every qualifier has its words for the agent
# Polarity that turns one promise into another: "no fee" is free, "no limit" is unlimited.
_FLIP = {"charge": "free", "free": "charge", "limit": "unlimited", "unlimited": "limit"}
_NEGATORS = {"no", "not", "never", "without", "none", "nothing", "cannot", "non", "nor",
             "neither"}
# "Extra" and "additional" add nothing of their own that a passage could contradict: what they
# qualify is the fact, checked on its own ("an extra fee" is a fee, "an extra 5 GB" 5 GB, "no
# extra cost" no cost), while "you paid extra" or "the extra charge" (a duplicate) are ordinary
# words. Neither a term nor what a term is about.
_DEGREE = frozenset({"extra", "additional"})
_NOT_CONTENT = _STOP | _TERMS.keys() | _NEGATORS | _NUMBER_WORDS | _DEGREE
# Words between a number and its time unit that do not change the unit: "5 full months" is 5
# months, "within 5 full business days" 5 business days. The number binds to the word right
# after it otherwise, leaving a count with no unit and a time unit with no number.
_SAME_UNIT = frozenset("full whole complete entire calendar consecutive straight additional "
                       "extra more further remaining".split())
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
_COORDINATORS = frozenset({"and", "but", "or", "so", "plus", "while", "whereas"})
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
    group: str = ""  # the promise without its polarity: "waive"
    at: int = 0  # its first token
    beside: frozenset[str] = frozenset()  # the other promises of its clause (not qualifiers)
    clause: frozenset[str] = frozenset()  # the content words of its clause


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


def _time_unit_at(toks: list[_Tok], k: int) -> bool:
    if k >= len(toks) or toks[k].kind != "word":
        return False
    nxt = _singular(toks[k + 1].low) if _near(toks, k, k + 1) else ""
    return _singular(toks[k].low) in _TIME or toks[k].low in ("business", "working") and \
        nxt == "day"


def _past_same_unit(toks: list[_Tok], k: int, ref: int) -> int:
    """Where the unit of the number ending at token `ref` starts: token k, or after one or two
    words that do not change a time unit ("5 *full* months", _SAME_UNIT)."""
    m = k
    while m < k + 2 and _near(toks, ref, m) and toks[m].low in _SAME_UNIT:
        m += 1
    return m if m > k and _near(toks, ref, m) and _time_unit_at(toks, m) else k


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
            k = _past_same_unit(toks, k, j - 1)
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
    found: list[tuple[int, int, str]] = []  # (first token, size, group)
    i = 0
    while i < len(toks):
        if i in used or toks[i].kind != "word":
            i += 1
            continue
        n, group = next(((size, _TERM_PHRASES[key]) for size in (3, 2)
                         if _near(toks, i, i + size - 1)
                         and (key := tuple(t.low for t in toks[i:i + size])) in _TERM_PHRASES),
                        (1, _TERMS.get(toks[i].low)))
        if group is not None:
            found.append((i, n, group))
        i += n if group is not None else 1
    # The words of a term's phrase are that term, never what another is about: in "the charge
    # right away", "away" is not said of the charge.
    used = used | {m for i, n, _ in found if n > 1 for m in range(i, i + n)}
    promises: dict[int, set[str]] = {}
    for i, _, group in found:
        if group not in _QUALIFIERS:
            promises.setdefault(toks[i].clause, set()).add(group)
    out: list[_Term] = []
    for i, n, group in found:
        negated = any(t.clause == toks[i].clause and (t.low in _NEGATORS or t.low.endswith("n't"))
                      for t in toks[max(0, i - _NEG_WINDOW):i])
        near = frozenset(x.value for x in numbers if x.sent == toks[i].sent
                         and (abs(x.at - i) <= _COND_WINDOW or x.comparator is not None)
                         and not _coordinated(toks, x.at, i))
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
                         (toks[i].start, toks[i + n - 1].end), group, i,
                         frozenset(promises.get(toks[i].clause, set()) - {group}),
                         _content(toks, used, 0, len(toks), i)))
    return out


def _coordinated(toks: list[_Tok], a: int, b: int) -> bool:
    """Is there a coordinated clause boundary (", and", ", but") between tokens a and b? The
    clause after one states a fact of its own: "back within 5 business days, and you'll get an
    email today" does not make the email wait for the 5 days, while "after 12 months, there is
    no fee" still conditions the fee."""
    lo, hi = sorted((a, b))
    return any(toks[m].clause != toks[m - 1].clause and toks[m].low in _COORDINATORS
               for m in range(lo + 1, hi + 1))


# -- words that only qualify (_QUALIFIERS): a fact only about a policy fact of their clause ----
# The verb group a qualifier belongs to tells a report from a statement of policy: "you *were
# charged* twice", "you *paid* twice", "I've *filed* it today" say what happened (the caller's
# account, not policy); "you'll *be charged* twice", "it's *refunded* in full" say what the
# company does. Its subject tells the agent's own action in the call ("*I'll* file it now",
# "*let me* check that now", "*I can* put you through right away") from the company's or the
# customer's ("*we can* unlock it right away", "*it'll* be back today").
_PAST_AUX = frozenset("was were been had did got gotten wasn't weren't didn't hadn't".split())
_HAVE = frozenset("have has haven't hasn't having".split())
_MODALS = frozenset("will would can could may might shall should must won't wouldn't can't "
                    "cannot couldn't shouldn't mustn't".split())
_PRESENT_AUX = frozenset("is are am be being do does don't doesn't isn't aren't get gets getting "
                         "going".split())
_IRREGULAR_PAST = frozenset("paid took taken made sent gave given told said saw seen came went "
                            "bought spent left lost kept brought found heard sold".split())
_SUBJECTS = frozenset("i you we they he she it there that".split())
_ADVERBS = frozenset("not just also already really still even never always only now".split())


def _aux(w: str) -> str | None:
    """past | have | modal | present, for a word that is (or contracts) an auxiliary."""
    base, _, tail = w.partition("'")
    if tail and base in _SUBJECTS:  # "we'll", "it's", "I've"; not "customer's"
        return {"ll": "modal", "d": "modal", "ve": "have"}.get(tail, "present")
    if w in _PAST_AUX:
        return "past"
    if w in _HAVE:
        return "have"
    return "modal" if w in _MODALS else "present" if w in _PRESENT_AUX else None


def _past_form(w: str) -> bool:
    return w in _IRREGULAR_PAST or len(w) > 3 and w.endswith("ed") and not w.endswith("eed")


class _Verb(NamedTuple):
    reported: bool  # it says what happened
    modal: bool  # will, can, may...: what will or can be done
    agent: bool  # its subject is the agent: I, let me
    procedure: bool = False  # its verb starts a procedure: "I'll *file* a refund"


# Verbs of the agent's own paperwork: what they act on is a request, not the benefit itself, so
# a timing beside them is the agent's ("I'll file a refund right away" files now; when the money
# comes back is another fact). Not "send", "give", "issue" or "process": those hand the benefit
# over ("I'll send you a refund today" promises the refund today).
_PROCEDURES = frozenset("file submit raise log lodge open request escalate report flag note start "
                        "begin create".split())
# Words between an agent's verb group and its verb: "let *me* file", "I'm going *to* file",
# "I'll *go ahead and* file", "I'll *just* file".
_BEFORE_VERB = frozenset("me us to go ahead and just quickly also".split())


def _verb(toks: list[_Tok], q: int, used: set[int]) -> _Verb:
    """The verb group of the clause that word q belongs to: the nearest one before it, else
    the first after it ("*Once* the ticket is filed")."""
    clause = [m for m in range(len(toks)) if toks[m].clause == toks[q].clause]
    verbish = [m for m in clause if m != q and m not in used and toks[m].kind == "word"
               and (_aux(toks[m].low) or _past_form(toks[m].low)
                    or toks[m].low in ("let", "let's"))]
    before = [m for m in verbish if m < q]
    if not before and not [m for m in verbish if m > q]:
        return _Verb(False, False, False)
    v = before[-1] if before else next(m for m in verbish if m > q)
    group = [v]
    while group[0] - 1 >= clause[0] and (group[0] - 1 in verbish
                                          or toks[group[0] - 1].low in _ADVERBS):
        group.insert(0, group[0] - 1)
    kinds = [_aux(toks[m].low) for m in group]
    head = toks[group[0]].low
    subject = head.partition("'")[0] if "'" in head else (
        toks[group[0] - 1].low if group[0] > clause[0] else "")
    if head == "let" or head.startswith("let'"):
        subject = "i"  # "let me check", "let's see"
    past = any(_past_form(toks[m].low) for m in group)
    # a past auxiliary ("were charged", "has been"), a perfect ("I've filed"), or a past form
    # after its subject ("you paid", "we refunded"); not a participle that qualifies a noun
    # ("reduced by 12.50 dollars for each month", "the charge taken twice")
    reported = "past" in kinds or past and not ({"modal", "present"} & set(kinds)) and (
        "have" in kinds or subject in _SUBJECTS)
    if toks[v].low in _HAVE or toks[v].low.endswith("'ve"):
        # "I've now filed it": a perfect whose participle comes after the qualifier
        reported = any(_past_form(toks[m].low) for m in clause if v < m <= q + 2)
    main = next((m for m in range(group[-1] + 1, clause[-1] + 1)
                 if toks[m].low not in _BEFORE_VERB and toks[m].low not in _ADVERBS), None)
    procedure = main is not None and main != q and toks[main].low in _PROCEDURES
    return _Verb(reported, "modal" in kinds, subject == "i", procedure)


def _questions(text: str, toks: list[_Tok]) -> set[int]:
    """The sentences (indices) that end with a question mark: they ask, and state nothing."""
    last: dict[int, int] = {}
    for t in toks:
        last[t.sent] = t.end
    return {s for s, end in last.items() if "?" in _END.match(text, end).group(1)}


_END = re.compile(r"[\s\"')\]\u201d]*([.!?]*)")  # always matches: what ends a sentence


def _rate(toks: list[_Tok], i: int, numbers: list[_Num]) -> bool:
    """A bare time unit said as a rate: "per week", "12 dollars a month", "twice a year"."""
    prev = toks[i - 1].low if _near(toks, i - 1, i) else ""
    if prev == "per":
        return True
    before = toks[i - 2] if prev in ("a", "an") and _near(toks, i - 2, i) else None
    return before is not None and (before.low in ("once", "twice", "times") or any(
        x.span[1] == before.end for x in numbers))


def _qualifies(toks: list[_Tok], q: int, used: set[int], heads: dict[int, set[str]],
               questions: set[int]) -> bool:
    """Does the qualifier at token q (a term of _QUALIFIERS, or a bare time unit) state a
    policy? Only about a policy fact of its clause (`heads`: clause -> "value" for a number or
    a rate, "benefit" for BENEFITS, "term" for another policy term), never in a report of
    what happened; in the agent's own action only about a value or a benefit ("I'll refund it
    today", not "I'll file it today"); and a promise of what will or can be done counts
    unless it is the agent's or asked ("we can unlock it right away", "it'll be back today")."""
    verb = _verb(toks, q, used)
    if verb.reported:
        return False
    found = heads.get(toks[q].clause, set())
    if verb.agent:
        return not verb.procedure and bool(found & {"value", "benefit"})
    return bool(found) or verb.modal and toks[q].sent not in questions


def _same_subject(line: _Term, passage: _Term) -> bool:
    """Does a qualifier of the line qualify what it qualifies in the passage? Its clause's
    promises must be among those of the passage's clause and, when it has content words, share
    one: the passage's "you'll get a confirmation email today" supports "the email comes today",
    not "I'll refund it today" nor "the money will be back today"."""
    return line.beside <= passage.beside and (not line.clause or bool(line.clause & passage.clause))


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


def term_keys(text: str) -> frozenset[str]:
    """The promises the words of `text` make, with their polarity ("free" for "no fee", "not
    waive", "today"), read as a passage is: every word, also one that only qualifies."""
    return frozenset(t.key for t in _doc(text).terms)


def verify(text: str, passages: Sequence[Passage], *,
           names: Iterable[tuple[str, ...]] = (), english: bool = True) -> Verdict:
    """Every policy fact of `text`, each looked up in the cited `passages`. `names` adds the
    whole knowledge base's names (known_names) so that a lower-cased one is still checked.
    `english=False`: only the numbers and units of `text` are English (another language, its
    values put in English words), so the words around a qualifier cannot be read: every one is
    a fact, for the caller to judge."""
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
    terms = _terms(toks, used, _AROUND_DRAFT, numbers)
    units = _unit_words(toks, used)
    rates = {i for i, _ in units if _rate(toks, i, numbers)}
    heads: dict[int, set[str]] = {}
    for where, what in [*((toks[n.at].clause, "value") for n in numbers),
                        *((toks[i].clause, "value") for i in rates),
                        *((toks[t.at].clause, "benefit" if t.group in BENEFITS else "term")
                          for t in terms if t.group not in _QUALIFIERS)]:
        heads.setdefault(where, set()).add(what)
    questions = _questions(text, toks)
    for t in terms:
        if english and t.group in _QUALIFIERS and \
                not _qualifies(toks, t.at, used, heads, questions):
            continue  # "I'll file it now", "you were charged twice": no policy stated
        ok = any(p.key == t.key and t.after <= p.after and p.near <= values
                 and t.cond <= p.near and t.before <= d.stems
                 and (t.group not in _QUALIFIERS or _same_subject(t, p))
                 for d in docs for p in d.terms)
        facts.append(Fact("term", text[t.span[0]:t.span[1]], ok, t.span,
                          " ".join([t.key, *sorted(t.after)])))
    for i, unit in units:
        if english and i not in rates and not _qualifies(toks, i, used, heads, questions):
            continue  # "you were charged twice this month": a time, not a policy's
        facts.append(Fact("duration", toks[i].raw, any(unit in d.time_units for d in docs),
                          (toks[i].start, toks[i].end), unit))
    facts.sort(key=lambda f: f.span)
    unsupported = [f for f in facts if not f.supported]
    return Verdict(not unsupported, facts, unsupported)
