"""Units a trainee leaves out or writes in shorthand, put back before the verifier reads the
answer (copilot/practice/factcheck.py), so the value is compared with its unit as a passage
states it:

- "5 biz days", "5 busines days": chat shorthand and misspellings of "business" before "days"
  (three answer sets flagged "5" as a count of "biz"). Another word there ("5 calendar days")
  is a unit of its own and is left as said;
- "the full 49 back", "the extra 49 comes back": a bare number said as money coming back is an
  amount, in the call's one currency (four correct answers in three sets were flagged for
  "49 back", read as 49 of "back"); so is one coming off a price ("12.50 taken off for every
  full month", "12.50 comes off it", "knocked off": four correct answers of set 22, read as
  12.50 of "taken"). Only a bare number: "49 dollars back" has its unit, and "5 devices back"
  counts devices. The amount is then checked as any other: "the 98 back" stays wrong where
  neither a passage nor the caller states 98.

- "ur", "u", "yr": chat spellings of "your" / "you're" and "you", function words the
  verifier skips once spelled out; read as words of their own they were "new" words before a
  promise ("ur refund ... lands back": two answer sets).

Private to copilot.practice. Unlike answer_text's masks these may change the text's length:
they run after the masks, on the text the verifier reads (as _joined_money does).
"""

from __future__ import annotations

import difflib
import re

from copilot.knowledge.verify import verify

__all__ = ["currency_sign", "with_units"]

_SIGNS = {"dollar": "$", "euro": "\u20ac", "pound": "\u00a3"}
# The word after a number, before "day(s)": "5 *biz* days".
_BEFORE_DAYS = re.compile(r"\s+([^\W\d_]+)(?=\s+days?\b)", re.I)
# "49 back", "49 comes back", "49 will be back", "49's back": the number is money coming back.
_BACK = re.compile(r"(?<![$\u20ac\u00a3\w.,])(\d+(?:\.\d{1,2})?)(?=\s+(?:(?:comes?|goes?|is|"
                   r"will\s+be|'ll\s+be|should\s+be|gets?|lands?)\s+)?back\b"
                   # ... or coming off a price ("12.50 taken off for every full month")
                   r"|\s+(?:(?:is|gets?|will\s+be|'ll\s+be)\s+)?(?:taken|knocked|comes?|coming"
                   r"|came|docked|shaved|lopped)\s+off\b)", re.I)

_CODE_BEFORE = re.compile(r"\b(?:usd|eur|gbp)\s*$", re.I)  # "USD 49 back" has its unit


def _business(word: str) -> bool:
    """"biz", "bizness", "busines", "buisness": shorthand or a misspelling of "business"."""
    w = word.lower()
    return w != "business" and (w.startswith("biz") or len(w) >= 6 and w[0] == "b" and
                                difflib.SequenceMatcher(None, w, "business").ratio() >= 0.8)


def currency_sign(*texts: str) -> str:
    """The sign of the one currency the first of `texts` that states amounts uses ("$"), or ""
    when it uses several or none does."""
    for t in texts:
        units = {f.key.split()[-1] for f in verify(t, []).facts if f.kind == "amount"}
        if units:
            return _SIGNS.get(units.pop(), "") if len(units) == 1 else ""
    return ""


# (and "on the way": "refund otw within 5 business days" read "otw" as what the refund is, not
# as it coming: answer set 55)
_CHAT = re.compile(r"(?<![\w'\u2019])(ur|yr|u|otw)(?![\w'\u2019])", re.I)
_SPELLED = {"ur": "your", "yr": "your", "u": "you", "otw": "on the way"}


def with_units(text: str, sign: str) -> str:
    """`text` with chat spellings of "your", "you" and "on the way" spelled out, "business"
    before "days", and `sign` put before a bare number said as money coming back (module
    docstring)."""
    text = _CHAT.sub(lambda m: _SPELLED[m.group(1).lower()], text)
    out, pos = [], 0
    for f in verify(text, []).facts:
        m = _BEFORE_DAYS.match(text, f.span[1]) if f.kind == "number" else None
        if m and f.span[1] >= pos and _business(m.group(1)):
            out.append(text[pos:m.start(1)] + "business")
            pos = m.end(1)
    text = "".join(out) + text[pos:]
    if not sign:
        return text
    return _BACK.sub(lambda m: m.group(1) if _CODE_BEFORE.search(text, 0, m.start())
                     else sign + m.group(1), text)
