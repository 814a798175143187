"""Is the agent's own name in what they said? When the desk knows it (`[asr] agent_name`), an
item every example of which names someone ("Sam speaking": the demo's "give your name") is
said only by a piece that holds that name, or a near spelling of it: Whisper writes "Ana" as
"Anna", "Dariusz" as "Darius", "Fenella" as "Phinella". Without it, any name would do, and a
terse line misheard as two capitalised words ("Line's on Flex" as "Line Zone") or a greeting
that names a team ("Northwind Mobile Support") read as an agent giving their name.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

__all__ = ["NEAR_NAME", "says_name"]

# How alike a word must be to the name (difflib's ratio): "Anna" for "Ana" 0.86, "Maze" for
# "Maeve" 0.67, "Phinella" for "Fenella" 0.67; "Mobile" for "Morgan" 0.33, "Mr" 0.5.
NEAR_NAME = 0.6


def says_name(text: str, name: str) -> bool:
    """Whether a word of `text` is `name` or spelt near it (module docstring)."""
    want = name.strip().lower()
    if not want:
        return True
    return any(SequenceMatcher(None, w, want).ratio() >= NEAR_NAME
               for w in re.findall(r"[^\W\d_]+", text.lower()))
