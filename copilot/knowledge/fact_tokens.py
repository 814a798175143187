"""A line or passage cut into the verifier's tokens: numbers, words and currency signs, each
with its sentence and clause (verify.py and fact_grammar.py read them)."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import NamedTuple

from copilot.knowledge.fact_words import STOP
from copilot.knowledge.query import fold

__all__ = ["Num", "Tok", "same_clause", "stopword", "tokens"]


_TOKEN = re.compile(r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
                    r"|(?P<word>[^\W\d_]+(?:['\u2019][^\W\d_]+)*)|(?P<sym>[$€£%])"
                    r"|(?P<sent>[.!?;:]+(?=\s|$)|\n)|(?P<clause>[,()\u2013\u2014\"]|\s-\s)")


class Tok(NamedTuple):
    raw: str
    low: str  # folded word, or the canonical value of digits
    start: int
    end: int
    kind: str  # num | word | sym
    sent: int
    clause: int
    first: bool  # first word of its sentence
    hyphen: bool  # glued to the next word by a hyphen ("one-device", "12-month")


class Num(NamedTuple):
    value: str
    unit: str | None  # currency, time unit, "percent", or the stem of the word after it
    kind: str
    comparator: str | None
    window: frozenset[str]  # stems of the words right after it
    span: tuple[int, int]
    at: int  # token index
    sent: int
    lead: int  # index of its first token, with its comparator and currency sign
    # Said as what there is none of: "no one-device limit", "not a 30-day wait".
    denied: bool = False
    negated: bool = False  # a negation anywhere in its clause ("none of them has a 1-day ...")



def tokens(text: str) -> list[Tok]:
    toks: list[Tok] = []
    sent = clause = 0
    first = True
    for m in _TOKEN.finditer(text):
        kind, raw = m.lastgroup or "", m.group()
        if kind in ("sent", "clause"):
            clause += 1
            sent, first = (sent + 1, True) if kind == "sent" else (sent, first)
            continue
        low = (format(Decimal(raw.replace(",", "")).normalize(), "f") if kind == "num"
               else fold(raw).replace("\u2019", "'"))
        toks.append(Tok(raw, low, m.start(), m.end(), kind, sent, clause, first,
                         text[m.end():m.end() + 1] == "-"))
        first = first and kind == "sym"
    return toks


def stopword(w: str) -> bool:
    """A stopword, or one contracted with its verb ("we'll", "they'd")."""
    return w in STOP or "'" in w and w.split("'")[0] in STOP


def same_clause(toks: list[Tok], i: int, j: int) -> bool:
    """Tokens i and j exist and sit in one clause."""
    return 0 <= i < len(toks) and 0 <= j < len(toks) and toks[i].clause == toks[j].clause
