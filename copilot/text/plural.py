"""Counts in words: "1 call", "2 calls". The one rule for every count a person reads (the command
line, exports, reports), so no message says "1 calls"."""

from __future__ import annotations


def noun(n: int, one: str, many: str | None = None) -> str:
    """The word for `n` things: `one` for exactly one, else `many` (default: `one` + "s").
    Give `many` when the plural is not a trailing "s" ("entry", "entries") or the noun is not
    the last word ("line shown", "lines shown")."""
    return one if n == 1 else (many if many is not None else one + "s")


def plural(n: int, one: str, many: str | None = None) -> str:
    """`n` with its noun, thousands grouped: "1 call", "0 calls", "1,234 final captions"."""
    return f"{n:,} {noun(n, one, many)}"
