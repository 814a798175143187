"""The issue being discussed: a customer turn is searched together with the earlier turns on the
same topic, so a follow-up ("How long until I see that money?", "What's the limit?") finds the
passage of the ongoing issue, and a clear change of topic starts a new one.

For each new turn:
1. it is searched alone; confident on its own, that is the answer (the same issue going on, or
   a new one starting), unless only the second reading by word pieces made it confident and,
   with an issue open, the turn read with it puts another passage first: a short follow-up's
   few words read closely often fit a neighbour ("I've booked the Lounge for Saturday" / "Can
   my 10-year-old come with us?" is the Lounge's rule, not the age ratings'). It then goes on
   as a turn that was not confident (twenty question sets, follow-ups: right lines 223 -> 226
   of 302, wrong lines 17 -> 13; for a line of any reason: 225 and 14);
2. a turn whose own best candidate is a passage this call already found relevant returns to that
   issue ("So how many devices can I use?" after a detour about the plan's name);
3. otherwise it is searched with the topic's latest turns as context (KnowledgeBase.search_window:
   a turn that says enough on its own, per passage the better of it alone and the turns
   together; a follow-up, the turns together), and if that finds nothing relevant, with the turn
   that first raised the topic's card right before it. The first passage found so, a candidate,
   is taken as confident in two cases; the line still cites and is verified against that
   passage, so carrying the topic cannot add a fact:
   a. it is the topic's own passage, and that passage was once relevant on its own (not only a
      candidate): the issue was established and the new turn does not point elsewhere. So it is
      when the passage was the only card shown for the turn that raised the topic and is again
      the only card with the follow-up: two turns single it out ("I bought a couch that arrived
      broken and the store is ignoring my emails" / "How long have I got to do something about
      it?"). Six question sets: follow-ups right 58 -> 62 of 92, no wrong line; allowing two
      cards on either turn gave 2 more right and 3 wrong. Nine sets: the topic's passage as the
      only card now, whatever the raising turn showed, 1 more right and 3 wrong lines; as any
      card, 6 more right and 9 wrong: read with its issue, a follow-up finds the issue's passage
      first mostly because the earlier turns do;
   b. it is another passage, the only card shown, and either the raising turn hesitated between
      it and the topic's passage (followed second: "I'm sending a parcel to my son in
      Australia" / "How long will it take to get there on the cheaper service?"), or the turn
      points back at the issue (copilot/knowledge/turns.py: "I had to cancel my Standard fare
      and now I've got a credit" / "How long do I have to use it?"): the follow-up moved the
      issue's reading to a passage the earlier turns alone did not put first. Nine sets (137
      follow-ups, 133 answerable): right 81 -> 85, no wrong line (two sets each); with two cards
      allowed, 4 more right and 4 wrong lines; for a turn that names its own subject, 2 more right
      and 3 wrong (its own words, not the issue, chose the card: "What if I'd bought Flex?").
   Tried and not adopted: a turn that names its own subject and singles a passage out on its
   own, the topic's passage among its own three best ("and if I'm in Canada?" after a day-pass
   question): +5 right lines on the nine sets and none wrong, but on the ninth blind set it gave
   a wrong line and no right one: a neighbour of near-duplicate passages ("How many times can I
   do that a month? And could he come again the following week?" after an Elite member's guest
   pass took the Bring-a-Friend passage, whose callers' questions say "come again");
4. turns with no content ("okay", "uh huh") change nothing;
5. a turn that says it changes the subject ("oh and separately, ...", "one more thing", "while
   I've got you") is searched alone, as the first turn of a call is (English), and without
   those words (turns.without_opening: seventeen question sets, follow-ups right 200 -> 204 of
   272, no wrong line).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from copilot.knowledge.base import Hit, KnowledgeBase, Translator
from copilot.knowledge.turns import asks_or_says, new_topic, refers_back

__all__ = ["CONTEXT_TURNS", "Conversation"]

CONTEXT_TURNS = 2  # earlier turns of the topic searched with a new one


class Conversation:
    """One caller's turns, for searching; one per call (or per `copilot suggest` run)."""

    def __init__(self, kb: KnowledgeBase, *, lang: str | None = None,
                 translator: Translator | None = None, typed: bool = False) -> None:
        self.kb = kb
        self.typed = typed  # the agent's own search (KnowledgeBase.search)
        self.lang = lang
        self.translator = translator
        self.turns: list[str] = []  # the current topic's turns, oldest first
        self.passage: str | None = None  # the topic's passage, once found (as a card at least)
        self.raised_by: str | None = None  # the turn that first showed it
        self.established = False  # the topic's passage was once relevant (not just a candidate)
        self.sole_card = False  # ... or was the only card shown for the turn that raised it
        self.other: str | None = None  # the passage followed second for the turn that raised it
        self.settled: set[str] = set()  # every passage found relevant in this call

    def search(self, turn: str, k: int = 3) -> list[Hit]:
        if not asks_or_says(turn, self.lang or self.kb.lang):
            return []
        alone = self._doubted(turn, self._search([turn], k), k)
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
            if self._carried(turn, hits):
                hits = _promote(hits)
        # A carried or returning topic is never a line for a reported claim or a passage the
        # turn sets aside either.
        hits = self.kb.cards_for(turn, self.lang or self.kb.lang, hits)
        self._follow(turn, hits, context)
        if hits and hits[0].relevant:
            self.settled.add(hits[0].passage.id)
        return hits

    def _doubted(self, turn: str, alone: list[Hit], k: int) -> list[Hit]:
        """The turn's own hits, its line taken back (see the module docstring, 1) when only the
        word pieces gave it, a topic is open, and the turn read with the topic puts another
        passage first."""
        first = alone[0] if alone else None
        if first is None or not first.relevant or first.reason != "pieces" or not self.turns \
                or first.passage.id == self.passage or new_topic(turn, self.lang or self.kb.lang):
            return alone
        together = self._search([*self.turns[-CONTEXT_TURNS:], turn], k)
        if not together or together[0].passage.id == first.passage.id:
            return alone
        return [replace(first, relevant=False, candidate=True, reason=""), *alone[1:]]

    def _carried(self, turn: str, hits: list[Hit]) -> bool:
        """Whether the first of the hits for a turn read with its issue is taken as confident
        (see the module docstring, 3a-b)."""
        top = hits[0] if hits else None
        if top is None or top.relevant or not top.followable:
            return False
        pid = top.passage.id
        if pid == self.passage and (self.established or self.sole_card and _sole_card(hits)):
            return True  # 3a
        return pid != self.passage and _sole_card(hits) and (
            pid == self.other or refers_back(turn, self.lang or self.kb.lang))  # 3b

    def _search(self, utterances: Sequence[str], k: int) -> list[Hit]:
        return self.kb.search_window(utterances, k, lang=self.lang, translator=self.translator,
                                     typed=self.typed)

    def _follow(self, turn: str, hits: list[Hit], context: bool) -> None:
        top = hits[0] if hits and hits[0].followable else None
        if top is not None and top.passage.id != self.passage:
            # A new issue, or the first one found (as a card at least).
            self.passage, self.raised_by = top.passage.id, turn
            self.established = top.relevant
            self.sole_card = _sole_card(hits)
            self.other = next((h.passage.id for h in hits[1:2] if h.followable), None)
            self.turns = [*self.turns, turn] if context else [turn]
        elif top is not None or context:
            self.turns.append(turn)  # the same issue goes on (perhaps still unresolved)
            self.established = self.established or (top is not None and top.relevant)
        else:
            self.turns = [turn]  # nothing known yet: this turn may start an issue
        self.turns = self.turns[-(CONTEXT_TURNS + 1):]

    @classmethod
    def replay(cls, kb: KnowledgeBase, utterances: Sequence[str], k: int = 3, *,
               lang: str | None = None, translator: Translator | None = None,
               typed: bool = False) -> list[Hit]:
        """The hits for the last utterance, the earlier ones (oldest first) taken as what the
        caller said before, turn by turn, as in a live call."""
        conv = cls(kb, lang=lang, translator=translator, typed=typed)
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
