"""The order of two steps, as a passage of the call holds it: "the customer should not cancel
*before* the transfer completes" (a negated sentence whose "before" / "until" puts one step, the
*held* one, after another, the *awaited* one).

- "only then" restating that order is no invented absolute: "Wait until that transfer is
  complete. Only then cancel with us" (`order_restated`; four answers of four sets); nor is
  "only after" / "only once" / "only when" ("cancel with us only after it's complete", "you
  only cancel once the transfer is complete", "Only after that should you cancel":
  `order_restated` too; nine correct answers of eight sets flagged, and one of set 40 for
  "only when"), the awaited step said after it, or before it when
  it says "it" or "that";
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

__all__ = ["Reversed", "after_follows", "order_restated", "order_reversed", "then_follows"]

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


# "only after it's complete", "only cancel once the transfer is complete", "should only happen
# after ...": up to four words of the held step between "only" and its "after" / "once". (The
# checker reads the answer with "once you / once the ..." blanked as no frequency, answer_text:
# four spaces where "once" was.)
# (or "when": "cancel with us only when the transfer is finish": answer set 40)
_AFTER = re.compile(r"(?P<held>(?:\s+[\w'\u2019-]+){0,4}?)\s+"
                    r"(?:after\b|once\b|when\b|\s{4}(?=\s))"
                    r"(?P<awaited>[^.!?;]*)", re.I)
# An awaited step said as a pronoun stands for what was said before it.
_PRONOUN = re.compile(r"\b(?:it|that|this|then)\b", re.I)


def after_follows(text: str, span: tuple[int, int]) -> bool:
    """Is the word at `span` ("only") followed, within four words, by "after" / "once"?"""
    return _AFTER.match(text, span[1]) is not None


def _only_after(text: str, span: tuple[int, int], passages: Sequence[Passage]
                ) -> tuple[str, ...]:
    """`order_restated` for "only after" / "only once" (module docstring): the held step is
    what "only" sits in (the words before it in its clause, and those between it and "after"),
    the awaited one what follows "after", with the sentence before when it says "it"."""
    m = _AFTER.match(text, span[1])
    if m is None:
        return ()
    start = max(text.rfind(c, 0, span[0]) for c in ".!?,;:") + 1
    held = _content(text[start:span[0]] + " " + m.group("held"))
    awaited_said = m.group("awaited")
    awaited = _content(awaited_said)
    pronoun = bool(_PRONOUN.search(awaited_said)) or not awaited
    if pronoun:
        before = max(text.rfind(c, 0, max(0, start - 1)) for c in ".!?") + 1
        awaited |= _content(text[before:span[0]])
    if not held:
        # "Only after that should you cancel": the held step follows, after the awaited one
        # said as a pronoun ("that": the sentence before) or in words
        held = _content(_PRONOUN.sub(" ", awaited_said, count=1))
    if not held or not awaited:
        return ()
    return tuple(dict.fromkeys(pid for pid, h, a in _orders(passages)
                               if _held(held, h, loose=True)
                               and _awaited(awaited, a, referred=pronoun)))


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


# Words of a step being over, one meaning whichever is said ("until the transfer completes",
# "only when the transfer is finish": answer set 40).
_DONE = frozenset(_content("complete completes completed finish finished finishes done over"))


def _awaited(said: set[str], awaited: set[str], *, referred: bool = False) -> bool:
    """Is `said` the awaited step? Two of its words (or all it has) in common; one when it is
    referred to ("only then", "only after it's finished": the step said before, perhaps in
    other words). A step's being over counts as one word however it is said (_DONE)."""
    shared = len(said & awaited)
    if said & _DONE and awaited & _DONE and not said & awaited & _DONE:
        shared += 1
    return shared >= (1 if referred else min(2, len(awaited)))


def order_restated(text: str, span: tuple[int, int], passages: Sequence[Passage]
                   ) -> tuple[str, ...]:
    """The passages whose order "only then" at `span` restates (module docstring). The step
    said first is the rest of the sentence before "only", or the sentence before it when "Only
    then" starts its own."""
    m = _THEN.match(text, span[1])
    if m is None:
        return _only_after(text, span, passages)
    end = min([i for i in (text.find(c, m.end()) for c in ".!?") if i >= 0] or [len(text)])
    step = _content(text[m.end():end])
    start = max(text.rfind(c, 0, span[0]) for c in ".!?") + 1
    first = _content(text[start:span[0]])
    if not first:
        before = max(text.rfind(c, 0, max(0, start - 1)) for c in ".!?") + 1
        first = _content(text[before:start])
    if not step or not first:
        return ()
    # ("then" stands for the step said before it: "wait for that transfer to be finished. Only
    # after that ...")
    return tuple(dict.fromkeys(pid for pid, held, awaited in _orders(passages)
                               if _held(step, held) and _awaited(first, awaited, referred=True)))


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
