"""What the window needs of its call runner: a typed interface, so the window calls methods
instead of asking `hasattr`/`getattr`. ui/call_runner.CallRunner is the real one; the tests'
FakeRunner is another. Checked at run time when the window is built (`runtime_checkable`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Protocol, runtime_checkable

__all__ = ["Runner"]


@runtime_checkable
class Runner(Protocol):
    settings: Any  # copilot.settings.Settings, or None before loading (fakes)
    model_path: Path | None  # the speech model loaded, None before loading or without one

    @property
    def busy(self) -> bool: ...  # a call (or the demo) is running

    @property
    def call_id(self) -> int | None: ...  # the stored record of the call in progress

    @property
    def kb(self) -> Any: ...  # the knowledge base loaded, or None

    @property
    def llm(self) -> Any: ...  # the LLM engine loaded, or None

    def load(self) -> None: ...

    def reload(self, why: str = ...) -> None: ...

    def apply_settings(self, settings: Any) -> None: ...

    def start(self, source: Any) -> None: ...

    def stop(self) -> None: ...

    def set_payment_mode(self, on: bool) -> None: ...

    def agent_action(self, action: str, passage_ids: list[str], *, of: str = ...,
                     text: str = ...) -> None: ...

    # The agent ticked (done) or unticked a checklist item by hand, during the call.
    def checklist_action(self, checklist: str, item: str, done: bool) -> None: ...

    def now(self) -> float: ...  # the call clock, for stamping what the agent does

    def elapsed(self) -> float: ...  # the call timer: stops where the call's audio ended

    def levels(self) -> dict[str, float]: ...

    # Seconds of the call's speech not transcribed yet (a busy machine's backlog; 0 when none).
    def left_to_transcribe(self) -> float: ...

    def passage(self, passage_id: str) -> Any: ...

    def ask(self, question: str, ask_id: str, at: float = ...) -> Any: ...

    # The draft box: copilot.assist.rephrase.RephraseResult, off the UI thread; cancellable
    # from the UI thread (draft_rephraser.RephraseCancelled then comes instead of a result).
    def rephrase(self, draft: str, tone: str, lang: str = ...) -> Any: ...

    def cancel_rephrase(self) -> bool: ...

    def llm_name(self) -> str: ...

    def llm_details(self) -> str: ...

    def close(self, timeout: float = ...) -> None: ...
