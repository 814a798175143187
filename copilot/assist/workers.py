"""What the assistance pipeline (copilot/assist/pipeline.py) needs of the workers it drives: the
call clock, the running summary, the customer signals and the live checklists. Protocols, so the
pipeline depends on no worker's module and tests can hand it fakes."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from copilot.events import Caption
from copilot.knowledge.base import Hit

__all__ = ["ChecklistWorker", "Clock", "SignalWorker", "SummaryWorker"]


class Clock(Protocol):
    def now(self) -> float: ...


class SummaryWorker(Protocol):
    """What the pipeline needs of the running summary (copilot.assist.summary)."""

    def on_caption(self, caption: Caption, english: str | None, passages: Sequence[Hit],
                   now: float) -> list[Any]: ...

    def on_llm_result(self, payload: Any, now: float) -> list[Any]: ...

    def on_tick(self, now: float) -> list[Any]: ...

    def on_agent_action(self, action: str, passage_ids: Sequence[str], now: float, *,
                        of: str = "", text: str = "") -> list[Any]: ...

    def finish(self, now: float) -> list[Any]: ...


class SignalWorker(Protocol):
    """copilot.assist.signals.SignalTracker: customer captions in, Signal events out."""

    def feed(self, caption: Caption, at: float | None = None) -> list[Any]: ...


class ChecklistWorker(Protocol):
    """copilot.assist.checklist.tracker.CallChecklists: the call's live checklists."""

    def start(self, now: float) -> list[Any]: ...

    def on_caption(self, caption: Caption, now: float, text: str | None = None) -> list[Any]: ...

    def manual(self, checklist: str, item: str, done: bool, now: float) -> list[Any]: ...

    def finish(self, now: float) -> list[Any]: ...

    def note(self) -> str: ...
