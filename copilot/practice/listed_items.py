"""An item the answer adds to a list one of the call's passages gives: "To verify you I'll need
your account number, your 4-digit PIN *and the postcode on the account*", where the passage
verifies the caller "with the account number and the 4-digit account PIN". The passage's list
is the whole of what it asks for or allows; an answer that repeats part of it and adds an item
of its own invents a requirement or a channel, usually in words some passage uses (so
invented_rules, which looks for words no passage uses, lets it through). Four answer sets
written apart from the checker held eight such inventions (a date of birth, a postcode, an email
address, a card holder's name added to the account number and PIN).

Read so:
- the answer's list: items joined by "and" / "or" and commas, each a short noun phrase (no verb:
  "your account number, your PIN and your date of birth"); the clause before the first item is
  cut at its last word that could open a noun phrase's context ("need", "with", "confirm" ...):
  only the noun phrases count;
- a passage's list: the same joins in one of its sentences; each of its items is known by its
  own words, those no other item of the list has (the "number" of "the account number", the
  "pin" and "digit" of "the 4-digit account PIN"), and by its numbers ("press 3" is "option
  3");
- when at least one item of the answer's list is an item of a passage's list, each other item
  must be one too, one to one; an item that is not is a fact of kind "rule", always wrong.

A list of what is *not* needed ("I never need your card number or security code") adds no
requirement. A list that shares no item with a passage's list is left to the other checks ("your phone, the
tablet and the watch" counts the caller's things). English only. Private to copilot.practice.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from copilot.knowledge.query import STOPWORDS, fold
from copilot.knowledge.verify import stem

__all__ = ["AddedItem", "added_items"]

_SENTENCE = re.compile(r"[.!?;]+(?=\s|$)|\n")
# The joins of a list: commas, and the last "and" / "or".
_LAST_JOIN = re.compile(r",?\s+(?:and|or)\s+(?!.*\s(?:and|or)\s)", re.I | re.S)
# Words after which a list of what is needed starts ("I'll need ...", "verify the caller with
# ...", "please confirm ..."; not "need to ..."): the head item is cut after the last of them.
_OPENS = re.compile(r"^.*\b(?:need|needs|require|requires|required|with|confirm|give me|"
                    r"provide|tell me|ask for|asking for)\s+(?!to\b)", re.I | re.S)
_NEGATED = re.compile(r"\b(?:not|never|no|nobody|no one)\b|n['\u2019]t\b", re.I)
_VERBISH = frozenset("is are was were be been am have has had can could will would may might "
                     "must should do does did get gets got 'll 're 've 's n't".split())
_WORD = re.compile(r"[^\W_]+(?:['\u2019][^\W\d_]+)*")
_MAX_WORDS = 5


@dataclass(frozen=True)
class AddedItem:
    span: tuple[int, int]  # the item, in the answer
    text: str
    unsaid: tuple[str, ...]  # its words, none of which names an item of the passage's list


def _words(text: str) -> set[str]:
    """Content stems and numbers: what names an item."""
    out = set()
    for w in _WORD.findall(fold(text).replace("\u2019", "'")):
        w = w.removesuffix("'s")
        if w.isdigit():
            out.add(w)
        elif len(w) > 2 and w not in STOPWORDS["en"]:
            out.add(stem(w))
    return out


def _noun_phrase(item: str) -> bool:
    if ":" in item:
        return False
    words = fold(item).replace("\u2019", "'").split()
    return 0 < len(words) <= _MAX_WORDS and not any(
        w in _VERBISH or "'" in w and w[w.index("'"):] in _VERBISH for w in words)


def _split(chunk: str, *, answer: bool = False) -> list[tuple[int, int]]:
    """The spans (within `chunk`) of the items of the list `chunk` ends with, [] if none or
    when no word opens it ("I'll need ...", "verify the caller with ...")."""
    m = _LAST_JOIN.search(chunk)
    if m is None:
        return []
    spans = [(m.end(), len(chunk))]
    head = chunk[:m.start()]
    pos = len(head)
    pieces = head.split(",")
    for piece in reversed(pieces):
        start = pos - len(piece)
        opened = _OPENS.match(piece)
        if answer and opened is not None and _NEGATED.search(opened.group()):
            return []  # "I never need your card number or security code": nothing needed
        if opened is not None:  # the first item: what follows the word that opens the list
            spans.append((start + opened.end(), pos))
            break
        if not _noun_phrase(piece):
            return []
        spans.append((start, pos))
        pos = start - 1  # the comma
    else:
        return []  # no word opens the list
    out = []
    for a, b in reversed(spans):
        seg = chunk[a:b]
        lead = len(seg) - len(seg.lstrip(" ,"))
        seg = seg.strip(" ,")
        if seg:
            out.append((a + lead, a + lead + len(seg)))
    return out


def _answer_lists(text: str) -> Iterable[list[tuple[int, int]]]:
    start = 0
    for end in [*(m.start() for m in _SENTENCE.finditer(text)), len(text)]:
        chunk = text[start:end]
        items = [(start + a, start + b) for a, b in _split(chunk, answer=True)]
        if len(items) >= 2 and all(_noun_phrase(text[a:b]) for a, b in items):
            yield items
        start = end + 1


def _passage_lists(texts: Iterable[str]) -> list[list[set[str]]]:
    """Each list of the passages' sentences, as each item's own words (module docstring)."""
    out = []
    for t in texts:
        for line in t.splitlines():
            if fold(line).startswith("customers ask"):
                continue  # a caller's question states no list of the policy's
            for sentence in _SENTENCE.split(line):
                items = [_words(sentence[a:b]) for a, b in _split(sentence)]
                if len(items) < 2:
                    continue
                own = [i - set().union(*(j for j in items if j is not i)) for i in items]
                if all(own):
                    out.append(own)
    return out


def _matching(items: list[set[str]], listed: list[set[str]]) -> list[int | None]:
    """For each answer item, the index of the passage item it names, or None. An item naming
    one already named says more of it ("the secure payment line, option 3, or the app")."""
    used: set[int] = set()
    out: list[int | None] = []
    for words in items:
        named = [j for j, own in enumerate(listed) if words & own]  # one of its own words
        k = next((j for j in named if j not in used), named[0] if named else None)
        if k is not None:
            used.add(k)
        out.append(k)
    return out


def added_items(text: str, passages: Iterable[str]) -> list[AddedItem]:
    """The items `text` adds to a list one of `passages` (the call's own) gives."""
    lists = _passage_lists(passages)
    out = []
    for spans in _answer_lists(text):
        items = [_words(text[a:b]) for a, b in spans]
        best: list[int | None] | None = None
        for listed in lists:
            m = _matching(items, listed)
            if any(k is not None for k in m) and (
                    best is None or sum(k is not None for k in m) >
                    sum(k is not None for k in best)):
                best = m
        if best is None:
            continue
        for (a, b), k, words in zip(spans, best, items, strict=True):
            if k is None:
                out.append(AddedItem((a, b), text[a:b], tuple(sorted(words))))
    return out
