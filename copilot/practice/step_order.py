"""The order of two steps, as a passage of the call holds it: "the customer should not cancel
*before* the transfer completes" (a negated sentence whose "before" / "until" puts one step, the
*held* one, after another, the *awaited* one).

- "only then" restating that order is no invented absolute: "Wait until that transfer is
  complete. Only then cancel with us" (`order_restated`; four answers of four sets);
- an answer that puts the held step first says the opposite of the passage: "Cancel with us
  first, then your new carrier requests the transfer", "Just make sure you cancel with us first"
  (`order_reversed`, a fact of kind "rule", always wrong; three inventions of three sets, in the
  passage's own words, so invented_rules could not see them).

A step is known by its content words: the held one shares one with the answer's step and has
at most one word the answer's step does not; the awaited one shares two (or all it has) with
what the answer says first. Private to copilot.practice.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from copilot.knowledge.parse import Passage
from copilot.knowledge.query import fold
from copilot.practice.counts import _content

__all__ = ["Reversed", "order_restated", "order_reversed", "then_follows"]

_NEGATION = re.compile(r"\b(?:no|not|never|cannot|none|nor)\b|n't\b", re.I)
_PASSAGE_SENTENCE = re.compile(r"[.!?;]+(?=\s|$)|\n")
# "Only then cancel": the step after "only then" waits for the one said before it.
_THEN = re.compile(r"\s+(?:then|after that)\b", re.I)
# A passage's order of two steps: "should not cancel *before* the transfer completes", "don't
# cancel *until* it is complete".
_WAIT = re.compile(r"\b(?:before|until|till)\b")
# An answer's order: "A first, then B", "A, then B", "A and then B", "first A, then B", and "A
# first" alone (A before anything else).
# ("first" ending its clause: not "within the first 12 months")
_FIRST_THEN = re.compile(r"(?P<a>[^.!?;:,]*?)\s*\bfirst\b(?=\s*(?:[,.;!?]|$|(?:and\s+)?then\b))"
                         r"[\s,]*(?:(?:and\s+)?then\s+(?P<b>[^.!?;]+))?", re.I)
_A_THEN_B = re.compile(r"(?P<a>[^.!?;:,]+),?\s+(?:and\s+)?then\s+(?P<b>[^.!?;]+)", re.I)


@dataclass(frozen=True)
class Reversed:
    span: tuple[int, int]  # the step put first, in the answer
    text: str
    passage: str  # the passage whose order it reverses


def then_follows(text: str, span: tuple[int, int]) -> bool:
    """Is the word at `span` ("only") followed by "then" / "after that"?"""
    return _THEN.match(text, span[1]) is not None


def _orders(passages: Iterable[Passage]) -> Iterable[tuple[str, set[str], set[str]]]:
    """Each passage's (id, held step, awaited step) (module docstring)."""
    for p in passages:
        for ln in fold(p.full_text).splitlines():
            if ln.startswith("customers ask"):
                continue  # a caller's question states no order
            for sentence in _PASSAGE_SENTENCE.split(ln):
                w = _WAIT.search(sentence)
                if w is None or not _NEGATION.search(sentence, 0, w.start()):
                    continue
                # the held step is the negated clause's ("ask your new carrier to request the
                # transfer, and please don't cancel with us until ...": cancel)
                clause = re.split(r",|;|\band\b", sentence[:w.start()])[-1]
                if _NEGATION.search(clause):
                    yield p.id, _content(clause), _content(sentence[w.end():])


def _held(step: set[str], held: set[str], *, loose: bool = False) -> bool:
    """Is `step` the held one? Said as a step of the answer's own order ("just make sure you
    cancel with us first"), it may have a few words of the trainee's around it."""
    return bool(step & held) and len(step - held) <= (3 if loose else 1)


def _awaited(first: set[str], awaited: set[str]) -> bool:
    return len(first & awaited) >= min(2, len(awaited))


def order_restated(text: str, span: tuple[int, int], passages: Sequence[Passage]
                   ) -> tuple[str, ...]:
    """The passages whose order "only then" at `span` restates (module docstring). The step
    said first is the rest of the sentence before "only", or the sentence before it when "Only
    then" starts its own."""
    m = _THEN.match(text, span[1])
    if m is None:
        return ()
    end = min([i for i in (text.find(c, m.end()) for c in ".!?") if i >= 0] or [len(text)])
    step = _content(text[m.end():end])
    start = max(text.rfind(c, 0, span[0]) for c in ".!?") + 1
    first = _content(text[start:span[0]])
    if not first:
        before = max(text.rfind(c, 0, max(0, start - 1)) for c in ".!?") + 1
        first = _content(text[before:start])
    if not step or not first:
        return ()
    return tuple(dict.fromkeys(pid for pid, held, awaited in _orders(passages)
                               if _held(step, held) and _awaited(first, awaited)))


def order_reversed(text: str, passages: Sequence[Passage]) -> list[Reversed]:
    """The steps `text` puts before the step a passage makes them wait for (module
    docstring)."""
    orders = list(_orders(passages))
    if not orders:
        return []
    out: list[Reversed] = []
    for pattern in (_FIRST_THEN, _A_THEN_B):
        for m in pattern.finditer(text):
            a, b = m.group("a"), m.group("b") or ""
            if not a.strip() or _NEGATION.search(a) or "?" in text[m.end():m.end() + 2]:
                continue  # "don't cancel first", "could you confirm your PIN first?"
            step, after = _content(a), _content(b)
            for pid, held, awaited in orders:
                # "A first" alone puts A before everything; "A, then B" before B
                if _held(step, held, loose=True) and (not b and pattern is _FIRST_THEN
                                                      or bool(after & awaited)):
                    lead = len(a) - len(a.lstrip())
                    span = (m.start("a") + lead, m.end("a"))
                    if not any(r.span == span for r in out):
                        out.append(Reversed(span, text[span[0]:span[1]], pid))
                    break
    return out
