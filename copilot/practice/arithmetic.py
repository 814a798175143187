"""A calculation the trainee shows: "150 less 62.50, which leaves 87.50 dollars", "150 minus 5 x
12.50, so 87.50". The step in between (62.50) is stated by no passage, yet it is no promise: it
is the arithmetic that leads from the policy's numbers to the caller's figure. The fact-check
(copilot/practice/factcheck.py) gives such a step the status of the result it leads to, when:

- the numbers are joined by operators only (minus, less, plus, times, x, multiplied by,
  divided by, and the signs - + * / x);
- the calculation is followed, in the same sentence and within a few words ("which leaves",
  "so", "that's", "comes to", "="), by a result it really gives, and that result is supported;
- exactly one operand is unsupported, and it is not the first: the first is what the policy
  starts from ("200 minus 112.50 leaves 87.50" invents a 200 fee and stays wrong).

The other way round, the result of a calculation whose operands are all supported is no
invention either when the calculation really gives it ("5 months x 12.50 = 62.50 off"): it takes
the status of its operands (the caller's, when one of them is). A wrong result ("5 x 12.50 =
60") stays wrong, and so does a figure stated without its calculation.

Private to copilot.practice.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from decimal import Decimal, InvalidOperation

from copilot.knowledge.verify import Fact

_OPERATOR = re.compile(r"\s*(minus|less|plus|times|x|multiplied by|divided by|[-+*/\u00d7])\s*$",
                       re.I)
# What may stand between a calculation and its result: a few words, no sentence end.
_RESULT_GAP = re.compile(r"[\s,]*(?:(?:which|so|that|it|this|and|for|you|a|of|total|all|"
                         r"leaves|leaving|comes|coming|to|is|'s|gives|makes|making|equals|"
                         r"in|=)\b[\s,']*){1,6}$|\s*=\s*$", re.I)
_OPS: dict[str, Callable[[Decimal, Decimal], Decimal]] = {
    "minus": lambda a, b: a - b, "less": lambda a, b: a - b, "-": lambda a, b: a - b,
    "plus": lambda a, b: a + b, "+": lambda a, b: a + b,
    "times": lambda a, b: a * b, "x": lambda a, b: a * b, "*": lambda a, b: a * b,
    "\u00d7": lambda a, b: a * b, "multiplied by": lambda a, b: a * b,
    "divided by": lambda a, b: a / b if b else Decimal("NaN"), "/": lambda a, b: a / b if b
    else Decimal("NaN")}
_FIRST = {"times", "x", "*", "\u00d7", "multiplied by", "divided by", "/"}


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
            if not m:
                break
            ops.append(m.group(1).lower())
            chain.append(values[j])
            j += 1
        if ops and j < len(values) and _RESULT_GAP.fullmatch(
                text[chain[-1].span[1]:values[j].span[0]]):
            result = values[j]
            loose = [f for f in chain if not supported(f)]
            if _equal(_evaluate(chain, ops), result.value):
                if supported(result) and len(loose) == 1 and loose[0] is not chain[0]:
                    out[loose[0].span] = (result.span,)
                elif not supported(result) and not loose:
                    out[result.span] = tuple(f.span for f in chain)
        i = max(j, i + 1)
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
