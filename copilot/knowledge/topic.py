"""The issue being discussed: a customer turn is searched together with the earlier turns on the
same topic, so a follow-up ("How long until I see that money?", "What's the limit?") finds the
passage of the ongoing issue, and a clear change of topic starts a new one.

For each new turn:
1. it is searched alone; confident on its own, that is the answer (the same issue going on, or
   a new one starting);
2. a turn whose own best candidate is a passage this call already found relevant returns to that
   issue ("So how many devices can I use?" after a detour about the plan's name);
3. otherwise it is searched with the topic's latest turns as context (KnowledgeBase.search_window:
   per passage the better of the turn alone and the turns together), and if that finds nothing
   relevant, with the turn that first raised the topic's card right before it. When that ranks
   the topic's own passage first, as a candidate, and that passage was once relevant on its own
   (not only a candidate), it is taken as confident: the issue was established and the new turn
   does not point elsewhere. So it is when the passage was the only card shown for the turn that
   raised the topic and is again the only card with the follow-up: two turns single it out ("I
   bought a couch that arrived broken and the store is ignoring my emails" / "How long have I
   got to do something about it?"). Six question sets: follow-ups right 58 -> 62 of 92, no
   wrong line; allowing two cards on either turn gave 2 more right and 3 wrong. The line still cites and is verified against that passage, so
   carrying the topic cannot add a fact. A short turn that points back at the issue ("is there
   a charge for that?") always takes the context (copilot/knowledge/turns.py);
4. turns with no content ("okay", "uh huh") change nothing;
5. a turn that says it changes the subject ("oh and separately, ...", "one more thing", "while
   I've got you") is searched alone, as the first turn of a call is (English).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from copilot.knowledge.base import Hit, KnowledgeBase, Translator
from copilot.knowledge.turns import asks_or_says, new_topic

__all__ = ["CONTEXT_TURNS", "Conversation"]

CONTEXT_TURNS = 2  # earlier turns of the topic searched with a new one


class Conversation:
    """One caller's turns, for searching; one per call (or per `copilot suggest` run)."""

    def __init__(self, kb: KnowledgeBase, *, lang: str | None = None,
                 translator: Translator | None = None) -> None:
        self.kb = kb
        self.lang = lang
        self.translator = translator
        self.turns: list[str] = []  # the current topic's turns, oldest first
        self.passage: str | None = None  # the topic's passage, once found (as a card at least)
        self.raised_by: str | None = None  # the turn that first showed it
        self.established = False  # the topic's passage was once relevant (not just a candidate)
        self.sole_card = False  # ... or was the only card shown for the turn that raised it
        self.settled: set[str] = set()  # every passage found relevant in this call

    def search(self, turn: str, k: int = 3) -> list[Hit]:
        if not asks_or_says(turn, self.lang or self.kb.lang):
            return []
        alone = self._search([turn], k)
        first = alone[0] if alone else None
        if first is not None and first.relevant:
            # Confident on its own: the same issue goes on, or a new one starts.
            hits, context = alone, first.passage.id == self.passage
        elif (first is not None and first.followable and not first.relevant
                and first.passage.id in self.settled
                and first.passage.id != self.passage):
            # Back to an issue this call already established ("So how many devices can I
            # use?" after a detour about the plan): its passage is taken as confident.
            hits, context = _promote(alone), False
        elif not self.turns or new_topic(turn, self.lang or self.kb.lang):
            hits, context = alone, False
        else:
            hits, context = self._search([*self.turns[-CONTEXT_TURNS:], turn], k), True
            if not (hits and hits[0].relevant) and self.raised_by not in (None, *self.turns[-1:]):
                # With the turn that raised the topic's card right before it, as when the
                # question followed it directly (several turns back, it weighs too little).
                again = self._search([self.raised_by, turn], k)
                if again and again[0].passage.id == self.passage and again[0].followable:
                    hits = again
            if (hits and not hits[0].relevant and hits[0].followable
                    and hits[0].passage.id == self.passage
                    and (self.established or self.sole_card and _sole_card(hits))):
                hits = _promote(hits)
        # A carried or returning topic is never a line for a reported claim or a passage the
        # turn sets aside either.
        hits = self.kb.cards_for(turn, self.lang or self.kb.lang, hits)
        self._follow(turn, hits, context)
        if hits and hits[0].relevant:
            self.settled.add(hits[0].passage.id)
        return hits

    def _search(self, utterances: Sequence[str], k: int) -> list[Hit]:
        return self.kb.search_window(utterances, k, lang=self.lang, translator=self.translator)

    def _follow(self, turn: str, hits: list[Hit], context: bool) -> None:
        top = hits[0] if hits and hits[0].followable else None
        if top is not None and top.passage.id != self.passage:
            # A new issue, or the first one found (as a card at least).
            self.passage, self.raised_by = top.passage.id, turn
            self.established = top.relevant
            self.sole_card = _sole_card(hits)
            self.turns = [*self.turns, turn] if context else [turn]
        elif top is not None or context:
            self.turns.append(turn)  # the same issue goes on (perhaps still unresolved)
            self.established = self.established or (top is not None and top.relevant)
        else:
            self.turns = [turn]  # nothing known yet: this turn may start an issue
        self.turns = self.turns[-(CONTEXT_TURNS + 1):]

    @classmethod
    def replay(cls, kb: KnowledgeBase, utterances: Sequence[str], k: int = 3, *,
               lang: str | None = None, translator: Translator | None = None) -> list[Hit]:
        """The hits for the last utterance, the earlier ones (oldest first) taken as what the
        caller said before, turn by turn, as in a live call."""
        conv = cls(kb, lang=lang, translator=translator)
        hits: list[Hit] = []
        for u in utterances:
            hits = conv.search(u, k)
        return hits


def _sole_card(hits: list[Hit]) -> bool:
    """The first hit is shown as a card, and no other is."""
    return bool(hits) and hits[0].shown and not any(h.shown for h in hits[1:])


def _promote(hits: list[Hit]) -> list[Hit]:
    """The first hit made confident by the conversation (reason "topic"); the others are no
    longer candidates."""
    return [replace(hits[0], relevant=True, candidate=False, reason="topic"),
            *(replace(h, candidate=False, followed=False) for h in hits[1:])]
