"""The call so far, as the agent's draft box needs it (copilot.assist.rephrase): the issue being
discussed, followed the way the live suggestions follow it (copilot/knowledge/topic.py), and the
figures that were said in the call.

A draft typed mid-call ("I'll get the 49 dollars back to you") is about the call: searched on its
own it may find nothing, while the customer's turns have long established the passage (BILL-01,
duplicate charges). `search(kb, draft)` searches it like one more customer turn, in a copy of the
call's Conversation (searching it never changes the call's topic). The draft may be about the
call's main issue after a detour (a question about reading out a card number moved the topic, and
the agent now writes about the refund): an issue the call established is also taken when it is
the draft's own best passage, or, when nothing else is relevant, when it ranks first searched
with the turns that established it (newest issue first), as the live search takes its topic's.

The amounts, dates and account or reference numbers said in the call are the customer's details,
not policy: a draft may repeat them without a passage stating them (`figures`). Only what was
stated counts (clause by clause): not a question or a wish of the customer's ("can I get 100
dollars back?"), not hearsay ("I read online the fee is 30 dollars"), and not an agent's sentence that states a policy
term ("the late fee is 25 dollars": the agent's policy, which the draft box is there to check).

Built on the assistance worker after each final caption (AssistPipeline.context) and read from
any thread: a frozen snapshot, replaced whole.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cached_property

from copilot.assist.summary_facts import spoken_codes, spoken_digits
from copilot.events import AGENT
from copilot.knowledge.base import Hit, KnowledgeBase
from copilot.knowledge.parse import Passage
from copilot.knowledge.topic import CONTEXT_TURNS, Conversation
from copilot.knowledge.verify import verify
from copilot.text.sentences import sentences

__all__ = ["CALL_PASSAGE", "CallContext"]

CALL_PASSAGE = "CALL"  # the pseudo passage id of what was said in the call

# A sentence that asks, wishes or reports what someone else said states nothing of the caller's.
_QUESTION = re.compile(r"\?\s*$|^\W*(?:(?:and|so|but|then)\s+)?(?:can|could|would|will|do|does|"
                       r"did|is|are|was|were|when|how|what|which|why|where|who|may|should)\b",
                       re.I)
_WISH = re.compile(r"\b(?:(?:can|could|would|will) you|i(?:'d| would)? (?:like|want|need)|"
                   r"i'm asking|please)\b", re.I)
_CLAUSE = re.compile(r"[,;:]\s+|\s+(?:but|so)\s+", re.I)
_HEARSAY = re.compile(r"\b(?:i read|i've read|i have read|i heard|i've heard|i have heard|"
                      r"i was told|they told me|(?:someone|somebody|a friend) (?:said|told)|"
                      r"forum|online|on the internet|on social media|your (?:website|ad|advert))"
                      r"\b", re.I)


@dataclass(frozen=True)
class CallContext:
    """What was said (final captions, redacted, in the knowledge base's language where there
    is a translation) and the state of the call's topic."""

    lines: tuple[tuple[str, str], ...] = ()  # (channel, text), in call order
    turns: tuple[str, ...] = ()  # the topic's latest customer turns (Conversation.turns)
    passage: str | None = None  # the topic's passage
    raised_by: str | None = None
    established: bool = False
    settled: frozenset[str] = frozenset()  # every passage found relevant in the call
    # Each issue the call established: its passage and the customer turns that found it (the
    # turn that raised it first), the most recently discussed last.
    issues: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # The rest of the topic's state a draft is searched with as the live turn would be
    # (Conversation.sole_card, .other).
    sole_card: bool = False
    other: str | None = None

    def with_line(self, channel: str, text: str) -> CallContext:
        """A caption that was not searched (the agent's): what was said, nothing else."""
        return replace(self, lines=(*self.lines, (channel, text)))

    def after_turn(self, conversation: Conversation | None, hits: Sequence[Hit], channel: str,
                   text: str) -> CallContext:
        """A customer caption, searched in `conversation` with `hits` found for it."""
        c = conversation
        if c is None:
            return self.with_line(channel, text)
        issues = dict(self.issues)
        if hits and hits[0].relevant and hits[0].passage.id == c.passage:
            issues.pop(c.passage, None)  # discussed now: the newest
            issues[c.passage] = tuple(dict.fromkeys(t for t in (c.raised_by, *c.turns) if t))
        return CallContext((*self.lines, (channel, text)), tuple(c.turns), c.passage,
                           c.raised_by, c.established, frozenset(c.settled),
                           tuple(issues.items()), sole_card=c.sole_card, other=c.other)

    def search(self, kb: KnowledgeBase, draft: str, k: int = 3) -> list[Hit]:
        """The passages for `draft` written in this call (see the module docstring): the live
        search's, in a copy of the call's topic; the call's issue the draft's own best passage
        is, if it is one (back to an earlier issue); and, when neither is relevant, the first
        issue, newest first, whose passage ranks first searched with its turns."""
        found = self.conversation(kb).search(draft, k)
        issues = dict(self.issues)
        alone = kb.search(draft, k) if issues else []
        if alone and alone[0].passage.id in issues and not alone[0].relevant:
            found = [*found, _taken(alone[0])]
        if any(h.relevant for h in found):
            return found
        for pid, turns in reversed(self.issues):
            if pid == self.passage:
                continue  # the topic: searched the live way above
            for said in dict.fromkeys([turns[-CONTEXT_TURNS:], turns[:1]]):
                again = kb.search_window([*said, draft], k)
                if again and again[0].passage.id == pid and again[0].shown:
                    return [*found, _taken(again[0]),
                            *(replace(h, candidate=False) for h in again[1:])]
        return found

    def conversation(self, kb: KnowledgeBase) -> Conversation:
        """A copy of the call's topic, to search a draft in: the call's own is not touched."""
        conv = Conversation(kb)
        conv.turns = list(self.turns)
        conv.passage = self.passage
        conv.raised_by = self.raised_by
        conv.established = self.established
        conv.sole_card = self.sole_card
        conv.other = self.other
        conv.settled = set(self.settled)
        return conv

    @cached_property
    def figures(self) -> Passage:
        """What the call stated, as a pseudo passage for the verifier: the customer's
        statements and the agent's sentences that state no policy term, with spoken digit runs
        and spelled codes written as digits too ("742-931" is 742931)."""
        said = []
        for channel, text in self.lines:
            for s in sentences(text):
                if channel == AGENT:
                    if not (_QUESTION.search(s) or _HEARSAY.search(s)
                            or any(f.kind == "term" for f in verify(s, []).facts)):
                        said.append(s)
                    continue
                # "It was $49.25, can you check?": the statement stands, the question does not.
                if _HEARSAY.search(s):
                    continue
                said.extend(c for c in _CLAUSE.split(s) if c.strip()
                            and not (_QUESTION.search(c) or _WISH.search(c)))
        text = "\n".join(said)
        extra = "\n".join(filter(None, [spoken_digits(text), spoken_codes(text)]))
        return Passage(CALL_PASSAGE, "what was said in the call", f"{text}\n{extra}", (), "")


def _taken(hit: Hit) -> Hit:
    """A passage the call's context makes relevant for the draft (reason "topic"), as the live
    search takes its topic's."""
    return replace(hit, relevant=True, candidate=False, reason="topic")
