"""The events a knowledge search and a suggested line become (`knowledge`, `suggestion`; the
contracts are in docs/architecture.md): shared by the live pipeline (copilot/assist/pipeline.py)
and the window's question box (copilot/assist/ask.py), so both show the same card."""

from __future__ import annotations

from collections.abc import Sequence

from copilot.assist.suggest import Suggestion
from copilot.events import Knowledge, PassageRef, SuggestionEvent
from copilot.knowledge.base import Hit, KnowledgeBase

__all__ = ["knowledge_event", "suggestion_event"]


def knowledge_event(kb: KnowledgeBase, of: str, hits: Sequence[Hit], said: Sequence[str],
                    at: float) -> Knowledge:
    """The knowledge card for the shown `hits`: each passage with the sentence of it that
    answers what was `said`; `confident` False for a candidate the agent picks from."""
    return Knowledge(of, tuple(
        PassageRef(h.passage.id, h.passage.title, h.score,
                   answer=kb.answer(h.passage, said), confident=h.relevant,
                   claim=h.reason == "claim")
        for h in hits if h.shown), at)


def suggestion_event(of: str, s: Suggestion, at: float, rank: int) -> SuggestionEvent:
    """The `suggestion` event of line `s`, offered `rank`-th for `of` (a caption or an ask)."""
    return SuggestionEvent(of, s.text, tuple(s.sources), s.grounded, at, s.origin, rank)
