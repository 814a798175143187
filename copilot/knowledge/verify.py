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
  in lower case ("family unlimited"). One capitalised word alone at the head of a sentence is
  capitalised by its position ("Whoa, ...", "Totally understand"), not a name, unless it is an
  acronym, has a capital inside ("PayPal") or is one of the base's names.
- a currency code before a number is its unit ("USD 150"); an arithmetic word after one is not
  ("150 minus 62.50": two bare numbers).
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

Not seen: an invented one-word name at the head of a sentence ("Venmo works too"), a dropped
condition without a number ("if the device is fully paid"), a lower-case
name the knowledge base does not know, or a timing the agent promises as their own action about
something that is not a policy term ("I'll send the new SIM today"; "*we*'ll send it today" is
checked); so drafts must also keep the approved line's numbers (suggest.py), and the agent reads
every line before saying it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from copilot.knowledge.fact_grammar import qualifies, question_sentences, said_as_rate
from copilot.knowledge.fact_numbers import read_numbers
from copilot.knowledge.fact_tokens import Num, Tok, same_clause, stopword, tokens
from copilot.knowledge.fact_words import (
    AFTER_PASSAGE,
    AROUND_DRAFT,
    BENEFITS,
    COND_WINDOW,
    COORDINATORS,
    FLIP,
    LABELS,
    NEG_WINDOW,
    NOT_CONTENT,
    NOT_NAMES,
    NUMBER_WORDS,
    OPENERS,
    PASSIVE,
    QUALIFIERS,
    TERM_PHRASES,
    TERMS,
    TIME_WORDS,
    is_negator,
    singular,
    stem,
)
from copilot.knowledge.parse import Passage

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
        return LABELS.get(self.key.removeprefix("not ").split(" ")[0], "policy term")


@dataclass(frozen=True)
class Verdict:
    ok: bool
    facts: list[Fact]
    unsupported: list[Fact]


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


def _content(toks: list[Tok], used: set[int], a: int, b: int, ref: int) -> frozenset[str]:
    """Stems of the content words among tokens [a, b) in token ref's clause; numbers, units and
    names are checked as facts of their own."""
    return frozenset(stem(toks[m].low) for m in range(max(0, a), min(b, len(toks)))
                     if m not in used and toks[m].clause == toks[ref].clause
                     and toks[m].kind == "word" and toks[m].low not in NOT_CONTENT
                     and not stopword(toks[m].low))


def _terms(toks: list[Tok], used: set[int], after_n: int, numbers: list[Num], *,
           passage: bool = False) -> list[_Term]:
    found: list[tuple[int, int, str]] = []  # (first token, size, group)
    i = 0
    while i < len(toks):
        if i in used or toks[i].kind != "word":
            i += 1
            continue
        n, group = next(((size, TERM_PHRASES[key]) for size in (3, 2)
                         if same_clause(toks, i, i + size - 1)
                         and (key := tuple(t.low for t in toks[i:i + size])) in TERM_PHRASES),
                        (1, TERMS.get(toks[i].low)))
        if group is not None and n == 2 and toks[i + 1].low == "moment" and i and \
                toks[i - 1].low in ("at", "for", "just", "a"):
            group = None  # "at the moment", "for the moment": now, no timing promised
        if group == "credit" and toks[i].low == "credit" and (any(
                same_clause(toks, i, m) and toks[m].low == "debit"
                for m in range(max(0, i - 2), i + 3)) or same_clause(toks, i, i + 1)
                and toks[i + 1].low in _CREDIT_STANDING):
            group = None  # "credit or debit": a kind of card; "credit score": a standing
        if group is not None:
            found.append((i, n, group))
        i += n if group is not None else 1
    # The words of a term's phrase are that term, never what another is about: in "the charge
    # right away", "away" is not said of the charge.
    used = used | {m for i, n, _ in found if n > 1 for m in range(i, i + n)}
    promises: dict[int, set[str]] = {}
    for i, _, group in found:
        if group not in QUALIFIERS:
            promises.setdefault(toks[i].clause, set()).add(group)
    out: list[_Term] = []
    for i, n, group in found:
        negated = any(t.clause == toks[i].clause and is_negator(t.low)
                      for t in toks[max(0, i - NEG_WINDOW):i])
        near = frozenset(x.value for x in numbers if x.sent == toks[i].sent
                         and (abs(x.at - i) <= COND_WINDOW or x.comparator is not None)
                         and not _coordinated(toks, x.at, i))
        about = _content(toks, used, i + n, i + n + after_n, i)
        aux = next((a for a in range(i - 1, max(-1, i - 4), -1) if toks[a].low in PASSIVE
                    and all(toks[b].low in NOT_CONTENT for b in range(a + 1, i))), None)
        if passage and aux is not None and n == 1 and toks[i].low.endswith("ed"):
            # A participle: "the duplicate amount is (fully) refunded" is about the amount, so
            # "refund the duplicate amount" is said there. Passages only: a line's subject is
            # often its own wording ("the customer was charged" for "I was charged").
            about |= _content(toks, used, aux - after_n - 2, aux, i)
        cond = frozenset(x.value for x in numbers if (x.comparator or x.kind == "duration")
                         and i + n <= x.lead < i + n + after_n and same_clause(toks, i, x.lead))
        out.append(_Term(FLIP.get(group, "not " + group) if negated else group,
                         _content(toks, used, i - AROUND_DRAFT, i, i), about, near, cond,
                         (toks[i].start, toks[i + n - 1].end), group, i,
                         frozenset(promises.get(toks[i].clause, set()) - {group}),
                         _content(toks, used, 0, len(toks), i)))
    return out


# What "credit" names before these words: the caller's standing with lenders, no credit given
# ("I can't say how credit scores work": answer set 53).
_CREDIT_STANDING = frozenset("score scores rating ratings check checks history report reports "
                             "record file".split())


def _coordinated(toks: list[Tok], a: int, b: int) -> bool:
    """Is there a coordinated clause boundary (", and", ", but") between tokens a and b? The
    clause after one states a fact of its own: "back within 5 business days, and you'll get an
    email today" does not make the email wait for the 5 days, while "after 12 months, there is
    no fee" still conditions the fee."""
    lo, hi = sorted((a, b))
    return any(toks[m].clause != toks[m - 1].clause and toks[m].low in COORDINATORS
               for m in range(lo + 1, hi + 1))


def _same_subject(line: _Term, passage: _Term) -> bool:
    """Does a qualifier of the line qualify what it qualifies in the passage? Its clause's
    promises must be among those of the passage's clause and, when it has content words, share
    one: the passage's "you'll get a confirmation email today" supports "the email comes today",
    not "I'll refund it today" nor "the money will be back today"."""
    return line.beside <= passage.beside and (not line.clause or bool(line.clause & passage.clause))


def _key(toks: list[Tok], a: int, b: int) -> tuple[str, ...]:
    return tuple(t.low.removesuffix("'s") for t in toks[a:b])


def _name_runs(toks: list[Tok], used: set[int], known: frozenset[tuple[str, ...]],
               lower: frozenset[str]) -> list[tuple[int, int]]:
    """Token ranges [a, b) that name something: capitalised runs, acronyms, known names.
    `lower`: stems the passages write in lower case, i.e. ordinary words there."""
    def capital(t: Tok) -> bool:
        return (t.kind == "word" and t.raw[:1].isupper() and t.low not in NOT_NAMES
                and t.low not in NUMBER_WORDS
                and (not stopword(t.low) or (t.raw.isupper() and len(t.raw) > 1)))

    runs: list[tuple[int, int]] = []
    i = 0
    while i < len(toks):
        j = i
        while j < len(toks) and j not in used and capital(toks[j]) and \
                toks[j].clause == toks[i].clause:
            j += 1
        w = toks[i].low
        if j > i and toks[i].first and _key(toks, i, j) not in known and (
                stopword(w) or w in OPENERS or w in TERMS or stem(w) in lower
                or j == i + 1 and not _named_alone(toks[i])):
            # "Good news", "Calls and texts": capitalised only by its position. So is any one
            # word alone there ("Whoa, ...", "Totally understand", "Exactly."): names that
            # matter (plans, passes, products) are runs or written the base's way.
            i += 1
        if i < j:
            runs.append((i, j))
        i = max(j, i + 1)
    taken = used.union(*(range(a, b) for a, b in runs))
    # Known names, however they are cased. Looked for only where their first word is: a base's
    # few hundred names tried at every position made this the checker's hottest loop.
    words = [t.low.removesuffix("'s") for t in toks]
    starts: dict[str, list[int]] = {}
    for a, w in enumerate(words):
        starts.setdefault(w, []).append(a)
    for name in sorted(known, key=len, reverse=True):
        for a in starts.get(name[0], ()) if name else ():
            if tuple(words[a:a + len(name)]) == name and taken.isdisjoint(range(a, a + len(name))):
                runs.append((a, a + len(name)))
                taken.update(range(a, a + len(name)))
    return sorted(runs)


def _named_alone(t: Tok) -> bool:
    """A word that names something even alone at the head of a sentence: an acronym or a
    word with a capital inside it ("SIM", "PayPal", "eSIM")."""
    return len(t.raw) > 1 and (t.raw.isupper() or any(c.isupper() for c in t.raw[1:]))


class _Doc(NamedTuple):
    numbers: list[Num]
    terms: list[_Term]
    time_units: frozenset[str]
    joined: str  # " word word ... ": for name look-ups on word boundaries
    lower: frozenset[str]  # stems of words written in lower case
    stems: frozenset[str]  # stems of every word
    names: frozenset[tuple[str, ...]]


def _unit_words(toks: list[Tok], used: set[int]) -> list[tuple[int, str]]:
    return [(i, u) for i, t in enumerate(toks) if i not in used and t.kind == "word"
            and (u := TIME_WORDS.get(t.low) or TIME_WORDS.get(singular(t.low)))]


@lru_cache(maxsize=1024)
def _doc(text: str) -> _Doc:
    toks = tokens(text)
    numbers, used = read_numbers(toks)
    words = [t for t in toks if t.kind == "word"]
    lower = frozenset(stem(t.low) for t in words if not t.raw[:1].isupper())
    units = {n.unit for n in numbers if n.kind == "duration" and n.unit}
    units.update(u for _, u in _unit_words(toks, used))
    names = frozenset(_key(toks, a, b) for a, b in _name_runs(toks, used, frozenset(), lower))
    terms = _terms(toks, used, AFTER_PASSAGE, numbers, passage=True)
    return _Doc(numbers, terms, frozenset(units),
                " " + " ".join(_key(toks, 0, len(toks))) + " ", lower,
                frozenset(stem(t.low) for t in words), names)


def _real_names(docs: list[_Doc]) -> frozenset[tuple[str, ...]]:
    """Their names, without a capitalised word they also write in lower case ("Agents must").
    A run of several words is a name however ordinary each word is: "on Family Unlimited"
    names a plan though the base writes "family" and "unlimited" elsewhere (a trainee who types
    "family unlimited covers up to 10 devices" promised nothing unlimited: answer set 52).
    (A sentence's capitalised first word is already left out of its run: _name_runs.)"""
    lower = frozenset().union(*(d.lower for d in docs))
    return frozenset(n for d in docs for n in d.names
                     if len(n) > 1 or not all(stem(w) in lower for w in n))


def known_names(passages: Iterable[Passage]) -> frozenset[tuple[str, ...]]:
    """The names a knowledge base uses ("family unlimited", "northwind"), as folded words: a
    line that mentions one in lower case still has to cite a passage that names it."""
    return _real_names([_doc(p.full_text) for p in passages])


# An upper bound on a time, said in other words: "within 5 business days" is "up to" or "at
# most 5 business days", and "within the first 12 months of a contract" is "less than 12 months
# into the contract" (three correct answers of the thirty-sixth practice answer set, five of
# earlier ones). Only for times: "under 5 devices" is not "up to 5 devices".
_TIME_BOUNDS = frozenset(("within", "max", "under", "first"))
# And a lower one: "after 12 months" is "over 12 months" ("Over a year? Then no fee at all":
# answer set 14).
_TIME_PASSED = frozenset(("after", "over"))


def _number_ok(p: Num, n: Num) -> bool:
    same_bound = n.comparator in (None, p.comparator) or (
        n.kind == p.kind == "duration" and any(
            {n.comparator, p.comparator} <= bounds for bounds in (_TIME_BOUNDS, _TIME_PASSED)))
    if p.value != n.value or not same_bound:
        return False
    if p.denied and not n.negated:
        # "There is no one-device limit" supports "none of our plans has a one-device limit",
        # not "your plan only allows one device" (a walk-through's trainee was shown "one" as
        # a correct policy fact)
        return False
    if n.kind != "number":
        return p.unit == n.unit  # currency, percent and time units must agree exactly
    return n.unit is None or n.unit in p.window


def term_keys(text: str) -> frozenset[str]:
    """The promises the words of `text` make, with their polarity ("free" for "no fee", "not
    waive", "today"), read as a passage is: every word, also one that only qualifies."""
    return frozenset(t.key for t in _doc(text).terms)


def _tokens_and_numbers(text: str) -> tuple[list[Tok], list[Num], set[int]]:
    """tokens() and read_numbers() of `text`, which depend on the text alone: practice's
    fact-check verifies one answer against each passage in turn, often with nothing added to it.
    Callers get their own lists and set (the cached ones are never handed out)."""
    toks, (numbers, used) = _cached_read(text)
    return list(toks), list(numbers), set(used)


@lru_cache(maxsize=256)
def _cached_read(text: str) -> tuple[tuple[Tok, ...], tuple[tuple[Num, ...], frozenset[int]]]:
    toks = tokens(text)
    numbers, used = read_numbers(toks)
    return tuple(toks), (tuple(numbers), frozenset(used))


def verify(text: str, passages: Sequence[Passage], *,
           names: Iterable[tuple[str, ...]] = (), english: bool = True) -> Verdict:
    """Every policy fact of `text`, each looked up in the cited `passages`. `names` adds the
    whole knowledge base's names (known_names) so that a lower-cased one is still checked.
    `english=False`: only the numbers and units of `text` are English (another language, its
    values put in English words), so the words around a qualifier cannot be read: every one is
    a fact, for the caller to judge."""
    docs = [_doc(p.full_text) for p in passages]
    lower = frozenset().union(*(d.lower for d in docs))
    toks, numbers, used = _tokens_and_numbers(text)
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
    terms = _terms(toks, used, AROUND_DRAFT, numbers)
    units = _unit_words(toks, used)
    rates = {i for i, _ in units if said_as_rate(toks, i, numbers)}
    heads: dict[int, set[str]] = {}
    for where, what in [*((toks[n.at].clause, "value") for n in numbers),
                        *((toks[i].clause, "value") for i in rates),
                        *((toks[t.at].clause, "benefit" if t.group in BENEFITS else "term")
                          for t in terms if t.group not in QUALIFIERS)]:
        heads.setdefault(where, set()).add(what)
    questions = question_sentences(text, toks)
    for t in terms:
        if english and t.group in QUALIFIERS and \
                not qualifies(toks, t.at, used, heads, questions):
            continue  # "I'll file it now", "you were charged twice": no policy stated
        ok = any(p.key == t.key and t.after <= p.after and p.near <= values
                 and t.cond <= p.near and t.before <= d.stems
                 and (t.group not in QUALIFIERS or _same_subject(t, p))
                 for d in docs for p in d.terms)
        facts.append(Fact("term", text[t.span[0]:t.span[1]], ok, t.span,
                          " ".join([t.key, *sorted(t.after)])))
    for i, unit in units:
        if english and i not in rates and not qualifies(toks, i, used, heads, questions):
            continue  # "you were charged twice this month": a time, not a policy's
        facts.append(Fact("duration", toks[i].raw, any(unit in d.time_units for d in docs),
                          (toks[i].start, toks[i].end), unit))
    facts.sort(key=lambda f: f.span)
    unsupported = [f for f in facts if not f.supported]
    return Verdict(not unsupported, facts, unsupported)
