"""Figures a trainee works out from the call's own figures without saying the arithmetic
(arithmetic.py reads it when it is said: "150 minus 6 x 12.50, so 75 dollars"):

- a *schedule's value at a count*: a passage of the call states a start and a step per unit
  ("150 dollars, reduced by 12.50 dollars for each full month of service", "within the first 12
  months"). An amount the answer pairs, in one sentence, with a count of that unit is the
  schedule's value there when it is the start less the step times the count ("after 6 full
  months it would be 75 dollars"), or the step times the count said as what comes off ("5 full
  months, so that's 62.50 off"), the count no more than the passage's bound (12 months). Both
  the count and the amount are then correct, as the passage's. Four answer sets flagged such
  hypotheticals ("if you'd waited a month more"). The count is the caller's ("5 full months,
  so 62.50 off") or the sentence a hypothetical ("would", "if"): "after 6 full months the fee
  is 75 dollars" states a rule of its own and stays checked as one, as do a wrong amount
  ("after 6 months it would be 70"), a count past the bound, or a step the passage does not
  give. A count said on top of the caller's ("one more full month and it's 75 dollars",
  "another full month") is the caller's count and that many more, a hypothetical by its
  words (answer sets 41 and 46 flagged it);
- a *total of the caller's repeated charge*: "you were charged 49 dollars twice, so 98 dollars
  in total", "forty-nine taken twice is ninety-eight". A figure said as a total ("in total",
  "altogether", "combined") or right after the repetition ("twice is"), that is an amount of
  the answer or of the caller's details times the number of times the answer or the caller
  says it was taken ("twice", "two times"), takes that amount's status (the caller's). Never
  in a sentence that promises something: "you'll get 98 dollars back" is the refund of both
  charges, an invention (three answer sets had such totals flagged, and as many bad answers
  promise the total back).

- *the one thing taken more than once*: "charged twice for one bill", "49 dollars two times for
  one March bill": the "one" right after the repetition counts what was charged, the caller's
  (three answer sets had it flagged), never in a sentence that promises something; and so are
  as many payments or charges as the call says were taken, said as the known ones ("the card
  the two payments came from": answer set 43; not "it comes back in 2 separate payments");
- a *remainder of a limit*: "Your phone and the tablet make 2 of the 10, so there are 8 places
  left", "2 of those 5 lines, which leaves 3 phone lines free": a figure said as what is left
  (after "leaves", "there are", or before "left", "free", "spare") that is a passage's figure
  less the caller's count, both said in the sentence as "X of (the) N", takes the passage's
  status, and so does "free" said of it (what is available, no price). Two answer sets (39 and
  40) had such remainders flagged.

Private to copilot.practice.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation

from copilot.knowledge.query import fold
from copilot.knowledge.verify import Fact, stem, verify
from copilot.practice.answer_clauses import enclosing
from copilot.practice.answer_text import _unit
from copilot.practice.fact_report import CASE, CORRECT, ECHO, WRONG, FactCheck
from copilot.text.sentences import WORD

__all__ = ["Schedule", "schedules", "with_derived_values"]

# A sentence, or a part of one after a semicolon: "charged 49 dollars twice, so 98 dollars in
# total; the duplicate 49 dollars comes back" promises nothing in its first part.
_PART = re.compile(r"[.!?;]+(?=[\s\"')\u201d]|$)|\n")
_MONEY = r"(?:dollars?|euros?|pounds?|usd|eur|gbp)"
_NUM = r"(\d+(?:\.\d+)?)"
# "150 dollars, reduced by 12.50 dollars for each full month", "USD 150 less USD 12.50 per
# month", "$150 and goes down by $12.50 for every full month".
_SCHEDULE = re.compile(
    rf"(?:[$\u20ac\u00a3]|{_MONEY}\s+)?{_NUM}(?:\s+{_MONEY})?[\s,]+(?:and\s+)?"
    rf"(?:reduced\s+by|less|minus|(?:goes|going|drops?|dropping)\s+(?:down\s+)?by|drops?|"
    rf"decreas\w*\s+by)\s+(?:[$\u20ac\u00a3]|{_MONEY}\s+)?{_NUM}(?:\s+{_MONEY})?\s+"
    rf"(?:for\s+|with\s+)?(?:each|every|per|a)\s+(?:full\s+|whole\s+|complete\s+)?([^\W\d_]+)")
# "within the first 12 months", "in the first 12 months", "before 12 months": the bound.
_BOUND = re.compile(r"\b(?:within|in|during)\s+the\s+first\s+(\d+)\s+([^\W\d_]+)"
                    r"|\b(?:before|under|less\s+than)\s+(\d+)\s+([^\W\d_]+)")
# What comes off: "62.50 off", "a reduction of 62.50", "62.50 less", "62.50 comes off".
# ("62.50 dollars knocked off": answer set 52)
_OFF = re.compile(r"\s+(?:(?:comes?|coming|goes?|going|is|gets?|got|being)\s+)?"
                  r"(?:(?:taken|knocked)\s+)?(?:off|less|in\s+reductions?|discount)\b", re.I)
_OFF_BEFORE = re.compile(r"\b(?:reduc\w*|discount\w*|takes?|taking|knocks?)\b[^.;]{0,30}$", re.I)
# ... or taken from the start in the working: "150 minus 62.50 is 87.50".
_MINUS_BEFORE = re.compile(r"\b(?:minus|less|take\s+away)\s*[$\u20ac\u00a3]?\s*$", re.I)
# ... or worked out as the step times the count, the step said with it ("five full months at
# 12.50 each is 62.50"): not when the figure is said to be what the caller pays ("so the fee is
# 62.50" is a wrong fee).
_PAID_BEFORE = re.compile(r"\b(?:fee|fees|pay|paying|owe|owing|cost|costs|charged?|bill|due"
                          r"|price|total|termination)\b[^,;:]{0,25}$", re.I)


@dataclass(frozen=True)
class Schedule:
    passage: str
    start: Decimal
    step: Decimal
    unit: str  # stem of the unit the step is per ("month")
    bound: Decimal | None  # the largest count it runs to


def schedules(passages: Sequence[tuple[str, str]]) -> list[Schedule]:
    """The schedules (module docstring) that (id, text) passages state."""
    out = []
    for pid, text in passages:
        folded = fold(text)
        bounds = {stem(m.group(2) or m.group(4)): Decimal(m.group(1) or m.group(3))
                  for m in _BOUND.finditer(folded)}
        for m in _SCHEDULE.finditer(folded):
            unit = stem(m.group(3))
            out.append(Schedule(pid, Decimal(m.group(1)), Decimal(m.group(2)), unit,
                                bounds.get(unit)))
    return list(dict.fromkeys(out))


def _dec(value: str | None) -> Decimal | None:
    try:
        return Decimal(value) if value is not None else None
    except InvalidOperation:
        return None


def _count_of(fact: Fact, unit: str) -> Decimal | None:
    """The count `fact` says of `unit` ("6 full months" of "month"), or None."""
    if fact.kind not in ("duration", "number") or fact.value is None:
        return None
    return _dec(fact.value) if stem(_unit(fact).split()[-1] if _unit(fact) else "") == unit \
        else None


# A count on top of the caller's: "one more full month", "2 more months" (a count the verifier
# reads), "another month" (a unit it may read as no fact at all: "another full month of
# service").
_MORE = re.compile(r"\b(?:more|extra|further)\b", re.I)
# "one more" with no noun after it ("after one more it would be ...", "one more and it's ...").
_BARE_MORE = re.compile(r"\s+more\b(?=\s*(?:[,.;:!?]|$|(?:and|it|would|then)\b))", re.I)
_ANOTHER = re.compile(r"\b(?:another|an?\s+(?:extra|further))\s+"
                      r"(?:full\s+|whole\s+|complete\s+)?([^\W\d_]+)", re.I)


def _counts(text: str, facts: Sequence[Fact], unit: str, callers: set[Decimal],
            status: Callable[[Fact], str]) -> list[tuple[tuple[int, int], Decimal, bool]]:
    """(span, count, said as the caller's or a hypothetical) of each count of `unit` the
    answer says, one on top of the caller's one count `callers` too (module docstring)."""
    base = next(iter(callers)) if len(callers) == 1 else None
    out = []
    for n in facts:
        count = _count_of(n, unit)
        if count is None:
            continue
        if base is not None and _MORE.search(n.text):
            out.append((n.span, base + count, True))
        else:  # "after 6 full months the fee is 75 dollars": a rule of its own
            a, b = enclosing(_PART, text, n.span)
            out.append((n.span, count, status(n) in (CASE, ECHO)
                        or bool(_HYPOTHETICAL.search(text, a, b))))
    if base is not None:
        out += [(m.span(), base + 1, True) for m in _ANOTHER.finditer(text)
                if stem(m.group(1)) == unit]
        # the unit left out once said: "every extra full month takes another 12.50 off, so
        # after one more it would be 75 dollars" (answer sets 53 and 54)
        out += [(n.span, base + count, True) for n in facts
                if n.kind == "number" and not _unit(n) and (count := _dec(n.value))
                and _BARE_MORE.match(text, n.span[1])
                and any(stem(w) == unit for w in WORD.findall(text[:n.span[0]]))]
    return out


def _schedule_pairs(text: str, facts: Sequence[Fact], plans: Sequence[Schedule],
                    status: Callable[[Fact], str], callers: Sequence[str]
                    ) -> dict[tuple[int, int], str]:
    """{span of a count or an amount: the passage whose schedule gives them}."""
    out: dict[tuple[int, int], str] = {}
    theirs = [g for t in callers for g in verify(t, []).facts]
    for plan in plans:
        base = {c for g in theirs if (c := _count_of(g, plan.unit)) is not None}
        for span, count, said in _counts(text, facts, plan.unit, base, status):
            if not said or count < 0 or plan.bound is not None and count > plan.bound:
                continue
            a, b = enclosing(_PART, text, span)
            # (a figure said bare, "62.50", is a number: an amount all the same)
            steps = [f for f in facts if f.kind in ("amount", "number") and a <= f.span[0] < b
                     and _dec(f.value) == plan.step]
            for amount in (f for f in facts if f.kind in ("amount", "number")
                           and f.span != span and a <= f.span[0] < b):
                value = _dec(amount.value)
                if value is None:
                    continue
                said_before = text[a:amount.span[0]]
                worked = any(f.span[0] < amount.span[0] for f in steps) \
                    and not _PAID_BEFORE.search(said_before)
                off = _OFF.match(text, amount.span[1]) or _OFF_BEFORE.search(said_before) \
                    or _MINUS_BEFORE.search(said_before) or worked
                if value == plan.start - plan.step * count or off and value == plan.step * count:
                    out[span] = out[amount.span] = plan.passage
    return out


# A count other than the caller's is a hypothetical: "after 6 full months it *would* be 75".
_HYPOTHETICAL = re.compile(r"\b(?:would|if|suppose|say)\b|['\u2019]d\b", re.I)
_TOTAL = re.compile(r"\b(?:in\s+total|total(?:l?ing)?|altogether|all\s+together|combined|"
                    r"in\s+all|all\s+told)\b", re.I)
_OPENS_TOTAL = re.compile(r"\s*(?:that's|that\s+is|so|which\s+is)\s*$", re.I)
_REPEATED = re.compile(r"\b(?:twice|two\s+times|2\s+times|(three|3)\s+times|thrice)\b", re.I)


def _times(texts: Sequence[str]) -> set[int]:
    """How many times the call says something was taken: "twice", "three times"."""
    return {3 if m.group(1) or m.group().lower() == "thrice" else 2
            for t in texts for m in _REPEATED.finditer(t)}


def _totals(text: str, facts: Sequence[Fact], status: Callable[[Fact], str],
            callers: Sequence[str], promising: Callable[[tuple[int, int]], bool]
            ) -> dict[tuple[int, int], str]:
    """{span of a total: the status it takes} (module docstring)."""
    out: dict[tuple[int, int], str] = {}
    times = _times([text, *callers])
    if not times:
        return out
    callers_amounts = {v for t in callers for g in verify(t, []).facts
                       if g.kind == "amount" and (v := _dec(g.value)) is not None}
    for f in facts:
        if f.value is None or f.kind not in ("amount", "number") or status(f) != WRONG:
            continue
        a, b = enclosing(_PART, text, f.span)
        if promising((a, b)):
            continue
        clause_after = text[f.span[1]:b]
        # ("twice on one day: that's 98 dollars gone": answer set 52; "taken twice on the
        # same day, so 98 dollars went out": answer set 53)
        # (or in the sentence before, the total opening its own: "... taken twice on the same
        # day. That's 98 dollars out of your account": answer set 54)
        start = enclosing(_PART, text, (a - 2, a - 2))[0] if a > 1 and _OPENS_TOTAL.match(
            text[a:f.span[0]]) else a
        cue = _TOTAL.search(text, a, b) or _REPEATED.search(text[start:f.span[0]]) and \
            re.search(r"(?:\b(?:is|makes?|comes?\s+to|that's|that\s+is|so)|=)\s*$",
                      text[a:f.span[0]], re.I)
        if not cue and not _TOTAL.match(clause_after.strip()):
            continue
        value = _dec(f.value)
        sources = [(g, _dec(g.value)) for g in facts if g is not f and g.value is not None
                   and g.kind in ("amount", "number") and status(g) in (CASE, ECHO, CORRECT)]
        for k in times:
            hit = next((status(g) for g, v in sources if v is not None and v * k == value),
                       CASE if value is not None and any(v * k == value
                                                         for v in callers_amounts) else "")
            if hit:
                out[f.span] = hit
                break
    return out


# "twice for one bill", "two times for one March bill": the one thing charged more than once.
_ONE_OF_REPEATED = re.compile(r"\b(?:twice|two\s+times|2\s+times|(?:three|3)\s+times|thrice)"
                              r"\s+(?:(?:on|in)\s+the\s+same\s+\w+\s+)?(?:for|on|against)\s+"
                              r"(?:just\s+|only\s+)?$", re.I)
# "the card the two payments came from": as many payments as the call says were taken.
_CLAUSE = re.compile(r"[,.!?;:]+(?=[\s\"')\u201d]|$)|\n")
# (or opening the sentence, as the case: "Two payments of 49 dollars went out": answer set 47)
_KNOWN = re.compile(r"\b(?:the|those|these|your|both)\s+$|(?:^|[.!?]\s+)$", re.I)
_TAKEN = re.compile(r"\s+(?:[\w-]+\s+)?(?:payments?|charges?|debits?|transactions?)\b", re.I)
# "2 of the 10", "2 of those 5 lines": a count out of a figure.
_OUT_OF = re.compile(r"^\s+of\s+(?:the|those|these|your|its|their)?\s*$", re.I)
# What is left: "leaves 3", "there are 8", "which leaves you 3" ... or "8 places left".
_LEFT_BEFORE = re.compile(r"\b(?:leaves?|leaving|there(?:'s|\s+is|\s+are)|you(?:'ve|\s+have)"
                          r"(?:\s+got)?|that's)\s+(?:you\s+)?(?:with\s+)?$", re.I)
_LEFT_AFTER = re.compile(r"\s+(?:[\w-]+\s+){0,2}?(?P<left>left|free|spare|remaining|available)\b",
                         re.I)


def _remainders(text: str, facts: Sequence[Fact], status: Callable[[Fact], str]
                ) -> dict[tuple[int, int], tuple[int, int]]:
    """{span of a remainder (module docstring), or of the "free" said of it: span of the
    passage's figure it is left of}."""
    out: dict[tuple[int, int], tuple[int, int]] = {}
    numbers = [f for f in facts if f.kind in ("number", "amount", "duration")
               and _dec(f.value) is not None]
    for f in numbers:
        a, b = enclosing(_PART, text, f.span)
        after = _LEFT_AFTER.match(text, f.span[1])
        if status(f) != WRONG or not (_LEFT_BEFORE.search(text[a:f.span[0]]) or after):
            continue
        for part, whole in itertools.product(numbers, numbers):
            if a <= part.span[0] and whole.span[1] <= f.span[0] \
                    and part.span[1] < whole.span[0] \
                    and _OUT_OF.match(text[part.span[1]:whole.span[0]]) \
                    and status(whole) == CORRECT and status(part) in (CASE, ECHO, CORRECT) \
                    and _dec(whole.value) - _dec(part.value) == _dec(f.value):
                out[f.span] = whole.span
                if after is not None and after.group("left").lower() == "free":
                    out[after.span("left")] = whole.span
                break
    return out


def with_derived_values(text: str, facts: Sequence[Fact],
                        out: list[tuple[tuple[int, int], FactCheck]], plans: Sequence[Schedule],
                        callers: Sequence[str], promising: Callable[[tuple[int, int]], bool]
                        ) -> list[tuple[tuple[int, int], FactCheck]]:
    """Wrong figures that are a schedule's value at a count, a total of the caller's repeated
    charge, the one thing charged more than once, or a remainder of a limit, take the status the
    module docstring gives them."""
    by_span = dict(out)

    def status(f: Fact) -> str:
        return by_span[f.span].status if f.span in by_span else ""

    scheduled = _schedule_pairs(text, facts, plans, status, callers)
    totals = _totals(text, facts, status, callers, promising)
    left = _remainders(text, facts, status)
    # (never in a promise: "we refund the 49 dollars twice for one bill" invents)
    # (or the one day it was taken on: "twice on one day": answer set 52)
    ones = {f.span for f in facts if f.kind in ("number", "duration") and _dec(f.value) == 1
            and _ONE_OF_REPEATED.search(text, max(0, f.span[0] - 40), f.span[0])
            and not promising(enclosing(_PART, text, f.span))}
    # (the payments counted, the ones known: never in a clause that promises, "we'll refund the
    # two payments", nor payments of something else, "it comes back in 2 separate payments")
    times = _times([text, *callers])
    ones |= {f.span for f in facts if f.kind == "number" and _dec(f.value) in times
             and _TAKEN.match(text, f.span[1]) and _KNOWN.search(text, 0, f.span[0])
             and not promising(enclosing(_CLAUSE, text, f.span))}
    done = []
    for span, c in out:
        if c.status == WRONG and span in ones:
            c = replace(c, status=CASE, passages=(), elsewhere=(), differently=())
        elif c.status == WRONG and span in left:
            c = replace(c, status=CORRECT, passages=by_span[left[span]].passages, elsewhere=(),
                        differently=())
        elif c.status == WRONG and span in scheduled:
            c = replace(c, status=CORRECT, passages=(scheduled[span],), elsewhere=(),
                        differently=())
        elif c.status == WRONG and span in totals:
            new = totals[span]
            c = replace(c, status=new, passages=c.passages if new == CORRECT else (),
                        elsewhere=(), differently=())
        done.append((span, c))
    return done
