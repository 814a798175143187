"""A calculation the trainee shows: "150 less 62.50, which leaves 87.50 dollars", "150 minus 5 x
12.50, so 87.50". The step in between (62.50) is stated by no passage, yet it is no promise: it
is the arithmetic that leads from the policy's numbers to the caller's figure. The fact-check
(copilot/practice/factcheck.py) gives such a step the status of the result it leads to, when:

- the numbers are joined by operators only (minus, less, plus, times, x, multiplied by,
  divided by, the signs - + * / x, and "at ... each": "5 full months at 12.50 each");
- the calculation is followed, in the same sentence and within a few words ("which leaves",
  "so", "that's", "comes to", "="), by a result it really gives, or follows that result after
  a comma or a colon as its working ("137.50 dollars, 150 less a single 12.50"), and that result
  is supported;
- exactly one operand is unsupported, and it is not the first: the first is what the policy
  starts from ("200 minus 112.50 leaves 87.50" invents a 200 fee and stays wrong).

The other way round, the result of a calculation whose operands are all supported is no
invention either when the calculation really gives it ("5 months x 12.50 = 62.50 off"): it takes
the status of its operands (the caller's, when one of them is). A wrong result ("5 x 12.50 =
60") stays wrong, and so does a figure stated without its calculation.

A subtraction said in words is the same: what is left of a limit ("you've got 2 lines, so
there's room for 3 *more* lines", "seven months *to go* before the twelve-month mark", "*another*
6 months") is no policy figure when the answer states both the limit, supported by a passage,
and the count the caller holds (their own, or a tally of what the answer lists), in the same
unit (or the count said bare: "You've done 5, so in another 7 months"), and the limit less that
count is the number said (remainders). It takes the status of the count held. "Up to 5 lines;
you have 2, so 4 more" stays wrong, and so does a remainder whose limit or count the answer does
not state.

Private to copilot.practice.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from decimal import Decimal, InvalidOperation

from copilot.knowledge.query import STOPWORDS
from copilot.knowledge.verify import Fact, stem, verify
from copilot.practice.fact_report import CASE, CORRECT, ECHO, TALLY, WRONG, FactCheck

_OPERATOR = re.compile(r"\s*(minus|less|plus|times|x|at|multiplied by|divided by|for each of"
                       r"|[-+*/\u00d7])(?:(?<=of)\s+(?:your|the|those))?"
                       r"\s*(?:a\s+single\s+|just\s+)?$", re.I)  # ("150 less a single 12.50")
# "at" multiplies only as a price each: "5 full months at 12.50 *each*".
_EACH = re.compile(r"\s+(?:each|apiece)\b", re.I)
# What may stand between a calculation and its result: a few words, no sentence end.
_RESULT_GAP = re.compile(r"[\s,]*(?:(?:which|so|that|it|this|and|for|you|a|of|total|all|"
                         r"leaves|leaving|comes|coming|to|is|'s|gives|makes|making|equals|"
                         r"in|each|takes|room|space|up|=)\b[\s,']*){1,6}$|\s*=\s*$", re.I)
# ... or before it, the calculation said after as its reason: "137.50 dollars, 150 less a single
# 12.50", "it's 87.50: 150 minus 62.50" (answer set 56), "62.50 dollars so far: 12.50 for each
# of your 5 full months" (a word or two before the colon: answer set 57).
_RESULT_BEFORE_GAP = re.compile(r"(?:\s+[a-z]+){0,2}\s*(?:[,:(]|\s-|\u2013|\u2014)\s*"
                                r"(?:(?:that's|that\s+is|which\s+is|i\.e\.|being)\s+)?$", re.I)
_OPS: dict[str, Callable[[Decimal, Decimal], Decimal]] = {
    "minus": lambda a, b: a - b, "less": lambda a, b: a - b, "-": lambda a, b: a - b,
    "plus": lambda a, b: a + b, "+": lambda a, b: a + b,
    "times": lambda a, b: a * b, "x": lambda a, b: a * b, "at": lambda a, b: a * b, "*": lambda a, b: a * b,
    "\u00d7": lambda a, b: a * b, "multiplied by": lambda a, b: a * b,
    # ("12.50 for each of your 5 full months": answer set 57)
    "for each of": lambda a, b: a * b,
    "divided by": lambda a, b: a / b if b else Decimal("NaN"), "/": lambda a, b: a / b if b
    else Decimal("NaN")}
_FIRST = {"times", "x", "at", "*", "\u00d7", "multiplied by", "divided by", "/", "for each of"}


def worked_steps(text: str, facts: Sequence[Fact], supported: Callable[[Fact], bool]
                 ) -> dict[tuple[int, int], tuple[tuple[int, int], ...]]:
    """{span of an unsupported number: the spans of the supported numbers that vouch for it}:
    the result for an operand, the operands for a result."""
    values = [f for f in facts if f.value is not None]
    out: dict[tuple[int, int], tuple[int, int]] = {}
    i = 0
    while i < len(values):
        chain, ops = [values[i]], []
        j = i + 1
        while j < len(values):
            m = _OPERATOR.fullmatch(text[chain[-1].span[1]:values[j].span[0]])
            if not m or m.group(1).lower() == "at" and not _EACH.match(text,
                                                                      values[j].span[1]):
                break
            ops.append(m.group(1).lower())
            chain.append(values[j])
            j += 1
        result = None
        if ops and j < len(values) and _RESULT_GAP.fullmatch(
                text[chain[-1].span[1]:values[j].span[0]]):
            result = values[j]
        elif ops and i > 0 and _RESULT_BEFORE_GAP.fullmatch(
                text[values[i - 1].span[1]:chain[0].span[0]]):
            result = values[i - 1]
        if result is not None:
            loose = [f for f in chain if not supported(f)]
            if _equal(_evaluate(chain, ops), result.value):
                if supported(result) and len(loose) == 1 and loose[0] is not chain[0]:
                    out[loose[0].span] = (result.span,)
                elif not supported(result) and not loose:
                    out[result.span] = tuple(f.span for f in chain)
        i = max(j, i + 1)
    return out


# A number said as what is left: "3 *more* lines", "seven months *to go*", "4 *spare*",
# "*another* 6 months" (and "7 more full months", read whole by the verifier).
_LEFT_AFTER = re.compile(r"\s+(?:more|left|remaining|(?:to\s+)?spare|to go)\b", re.I)
_LEFT_BEFORE = re.compile(r"\b(?:another|a further|further)\s+$", re.I)
_LEFT_INSIDE = re.compile(r"\s(?:more|further|remaining)\s", re.I)
# Words between a number and its noun that do not change what it counts.
_SKIP = frozenset("more further remaining left spare extra additional full whole other".split())


def _nouns(text: str, fact: Fact) -> frozenset[str]:
    """What a number counts: its time unit or currency, or for a bare count the words after
    it up to the first function word ("2 *lines* now", "5 *phone lines*", "8 more on": none)."""
    if fact.kind != "number":
        parts = fact.key.split()
        return frozenset(parts[parts.index(fact.value) + 1:]) if fact.value in parts \
            else frozenset()
    out: list[str] = []
    for w in re.findall(r"[^\W\d_]+|\S", text[fact.span[1]:fact.span[1] + 60].lower()):
        if w in _SKIP and not out:
            continue
        if not w.isalpha() or w in STOPWORDS["en"] or len(out) == 2:
            break
        out.append(stem(w))
    return frozenset(out)


# What marks a count as one of other things than those already named ("2 *other* tickets").
_OTHER = re.compile(r"\s+(?:other|more|additional|extra|further|previous|earlier|separate)\b",
                    re.I)


def counts_other_things(text: str, fact: Fact, said: str) -> bool:
    """Whether a bare count of `text` said of *other* things ("I can see 2 other billing
    correction tickets", "3 more cards") counts something none of the like figures of `said`
    (the caller's details) counts: the caller was charged "two times" (answer set 55). Said
    without "other", a count may name the caller's events in words of its own ("2 payments of
    49 dollars" for "charged two times"), and counts the same."""
    if fact.kind != "number" or fact.value is None or not _OTHER.match(text, fact.span[1]):
        return False
    mine = _nouns(text, fact)
    theirs = [_nouns(said, f) for f in verify(said, []).facts
              if f.kind == "number" and f.value == fact.value]
    return bool(mine) and all(not t & mine for t in theirs)


def remainders(text: str, facts: Sequence[Fact], limit: Callable[[Fact], bool],
               held: Callable[[Fact], bool]) -> dict[tuple[int, int], tuple[int, int]]:
    """{span of a number said as what is left: span of the count held} when a limit of the
    answer (`limit`: supported by a passage) less that count (`held`: the caller's) is that
    number, all three of one kind and of a common unit (module docstring)."""
    values = [f for f in facts if f.value is not None]
    out: dict[tuple[int, int], tuple[int, int]] = {}
    for r in values:
        if not (_LEFT_AFTER.match(text, r.span[1]) or _LEFT_BEFORE.search(text[:r.span[0]])
                or _LEFT_INSIDE.search(r.text)):
            continue
        for top in (f for f in values if f.kind == r.kind and limit(f)):
            # (the count held may be said bare, its unit the one after it: "You've done 5, so
            # in another 7 months": answer set 55)
            for h in (f for f in values if held(f) and f is not r and (
                    f.kind == r.kind or f.kind == "number" and not _nouns(text, f))):
                units = [u for u in (_nouns(text, r), _nouns(text, top), _nouns(text, h)) if u]
                if all(x & y for x in units for y in units) and \
                        _equal(_evaluate([top, h], ["-"]), r.value) and r.value != "0":
                    out[r.span] = h.span
    return out


def _evaluate(chain: Sequence[Fact], ops: Sequence[str]) -> Decimal | None:
    """The calculation's value, products and quotients first."""
    try:
        nums = [Decimal(str(f.value)) for f in chain]
        terms, pending = [nums[0]], list(ops)
        sums: list[str] = []
        for op, n in zip(pending, nums[1:], strict=True):
            if op in _FIRST:
                terms[-1] = _OPS[op](terms[-1], n)
            else:
                sums.append(op)
                terms.append(n)
        total = terms[0]
        for op, n in zip(sums, terms[1:], strict=True):
            total = _OPS[op](total, n)
        return total
    except (InvalidOperation, ArithmeticError):
        return None


def _equal(value: Decimal | None, result: str | None) -> bool:
    try:
        return value is not None and result is not None and \
            abs(value - Decimal(result)) < Decimal("0.005")
    except (InvalidOperation, ArithmeticError):
        return False


def with_worked_steps(text: str, facts: Sequence[Fact],
                      out: list[tuple[tuple[int, int], FactCheck]]
                      ) -> list[tuple[tuple[int, int], FactCheck]]:
    """A wrong number that is a step of a calculation leading to a supported figure, or the
    result of a calculation over supported figures, takes their status (the caller's when one
    of them is) and passages: the last step of FactChecker.check. Read again while that
    vouches for more: a remainder ("leaves room for up to 8 more") vouches in turn for the
    operand of the subtraction that led to it ("10 minus 2 leaves room for up to 8 more")."""
    for _ in range(3):
        done = _worked_once(text, facts, out)
        if done == out:
            break
        out = done
    return out


def _worked_once(text: str, facts: Sequence[Fact],
                 out: list[tuple[tuple[int, int], FactCheck]]
                 ) -> list[tuple[tuple[int, int], FactCheck]]:
    by_span = dict(out)

    def status(f: Fact) -> str:
        return by_span[f.span].status if f.span in by_span else ""

    steps = worked_steps(text, facts, lambda f: status(f) in (CORRECT, CASE, ECHO, TALLY))
    left = remainders(text, facts, lambda f: status(f) == CORRECT,
                      lambda f: status(f) in (CASE, ECHO, TALLY))
    steps.update((span, (held,)) for span, held in left.items() if span not in steps)
    if not steps:
        return out
    done = []
    for span, c in out:
        if span in steps and c.status == WRONG:
            sources = [by_span[s] for s in steps[span]]
            new = next((x.status for x in sources if x.status != CORRECT), CORRECT)
            passages = tuple(dict.fromkeys(p for x in sources for p in x.passages))
            c = replace(c, status=new, passages=passages if new == CORRECT else (),
                        elsewhere=(), differently=())
        done.append((span, c))
    return done
