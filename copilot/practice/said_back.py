"""What the caller read or was told, said back to them ("So you've read that your plan allows one
device", "You read on a forum that you'd have to choose between your phone and your tablet: you
don't"): the trainee names the caller's claim before answering it, and states nothing by naming
it. Not "you've read that right" (which confirms it), nor "as you've read" (no "that": the
trainee's own words follow). Two answer sets (46, 47) had the claim flagged as the trainee's.

Private to copilot.practice.
"""

from __future__ import annotations

import re

__all__ = ["SAID_BACK", "said_back"]

SAID_BACK = (r"\byou(?:['\u2019]ve|\s+have)?\s+(?:read|heard|seen|been\s+told|were\s+told"
             r"|saw)\s+(?:[\w-]+\s+){0,4}?that\b(?!\s+(?:right|correctly))")
_SAID_BACK = re.compile(r"^\W*(?:(?:so|ok|okay|right)\W+)?" + SAID_BACK, re.I)


def said_back(clause: str) -> bool:
    """Does `clause` open by saying back what the caller read or was told (module docstring)?"""
    return bool(_SAID_BACK.search(clause))
