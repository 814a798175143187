"""Sentences and words: one rule for every module that splits text (the knowledge index, cards,
the summary, practice feedback, translation)."""

from __future__ import annotations

import re

__all__ = ["WORD", "sentences", "words"]

# A sentence ends at . ! ? (or a line break) followed by space; "5.99" and "e.g." inside a
# sentence stay whole because no space follows their dot... except "e.g. x", a rare cost.
_END = re.compile(r"(?<=[.!?])\s+|\n+")
# Letters and digits, with inner apostrophes ("don't", "customer's"): the word of every module.
WORD = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)*")


def sentences(text: str) -> list[str]:
    """The sentences of `text`, stripped, empty ones dropped."""
    return [s.strip() for s in _END.split(text.strip()) if s.strip()]


def words(text: str) -> list[str]:
    return WORD.findall(text)
