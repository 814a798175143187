"""Sentences and words: one rule for every module that splits text (the knowledge index, cards,
the summary, practice feedback, translation)."""

from __future__ import annotations

import re

__all__ = ["WORD", "sentences", "words"]

# A sentence ends at . ! ? … followed by space (or at a line break); "5.99" stays whole because no
# space follows its dot. Not before "]": a redaction mask ("... [card ending 1111]") stays with
# the sentence it belongs to. With semicolons, ";" ends one too (practice feedback judges each
# clause of an answer on its own).
_END = re.compile(r"(?<=[.!?…])\s+(?=[^\s\]])|\n+")
_END_SEMI = re.compile(r"(?<=[.!?…;])\s+(?=[^\s\]])|\n+")
# Letters and digits, with inner apostrophes ("don't", "customer's"): the word of every module.
WORD = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)*")


def sentences(text: str, *, semicolons: bool = False) -> list[str]:
    """The sentences of `text`, stripped, empty ones dropped."""
    ends = _END_SEMI if semicolons else _END
    return [s.strip() for s in ends.split(text.strip()) if s.strip()]


def words(text: str) -> list[str]:
    return WORD.findall(text)
