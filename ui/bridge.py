"""Engine events -> Qt signals, from any thread, without ever stalling the UI thread.

The session calls its listeners on engine threads (the store writer, the ASR worker). `post()`
only appends to a list under a lock and, when no delivery is pending, wakes the UI thread once
through a queued signal; the UI thread then delivers everything that has piled up meanwhile.

Two things keep a flood harmless:
- partial captions are coalesced: a newer partial (or the final) of the same caption replaces the
  one still waiting, so the transcript redraws each caption at most once per delivery;
- a delivery stops after a time budget and lets the event loop breathe (paint, input, timers)
  before it goes on with the rest, in order.
"""

from __future__ import annotations

import threading
import time
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot

from copilot.events import Caption

# Per delivery: enough for hundreds of small events, short enough to stay well under one frame
# at 30 fps plus the panels' own drawing.
BUDGET_SECONDS = 0.012

_SIGNALS = {
    "caption": "caption", "translation": "translation", "knowledge": "knowledge",
    "suggestion": "suggestion", "summary": "summary", "signal": "customer_signal",
    "notice": "notice", "after_call": "after_call", "call_state": "state",
    "checklist": "checklist",
}


class EventBridge(QObject):
    """One per window. Connect panels to the signals; give `post` to the session as listener."""

    caption = Signal(object)  # copilot.events.Caption
    translation = Signal(object)
    knowledge = Signal(object)
    suggestion = Signal(object)
    summary = Signal(object)
    customer_signal = Signal(object)  # copilot.events.Signal ("signal" is taken by Qt)
    notice = Signal(object)
    after_call = Signal(object)
    checklist = Signal(object)  # copilot.events.ChecklistEvent
    state = Signal(object)  # ui.call_runner.CallState
    other = Signal(object)  # an event type this window does not know (a newer engine)
    _wake = Signal()

    def __init__(self, parent: QObject | None = None, *,
                 budget_seconds: float = BUDGET_SECONDS) -> None:
        super().__init__(parent)
        self.budget_seconds = budget_seconds
        self._lock = threading.Lock()
        self._pending: list[Any] = []
        self._partial_at: dict[str, int] = {}  # caption id -> its index in _pending
        self._scheduled = False
        self.posted = 0
        self.coalesced = 0  # partials replaced before they were ever shown
        self.delivered = 0
        self.deliveries = 0
        self.largest_batch = 0
        self._wake.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    # -- any thread --
    def post(self, event: Any) -> None:
        """The session's listener: never blocks on the UI, never raises on a closed window."""
        wake = False
        with self._lock:
            self.posted += 1
            if isinstance(event, Caption):
                at = self._partial_at.get(event.id)
                if at is not None:
                    # The waiting partial was never drawn: show only the newest version.
                    self._pending[at] = event
                    self.coalesced += 1
                    if event.final:
                        del self._partial_at[event.id]
                    return
                if not event.final:
                    self._partial_at[event.id] = len(self._pending)
            self._pending.append(event)
            if not self._scheduled:
                self._scheduled = wake = True
        if wake:
            try:
                self._wake.emit()
            except RuntimeError:  # the bridge was deleted with its window: nobody to tell
                pass

    __call__ = post

    def pending(self) -> int:
        with self._lock:
            return len(self._pending)

    # -- UI thread --
    @Slot()  # a slot of this object: the queued wake runs it on the UI thread
    def _deliver(self) -> None:
        with self._lock:
            batch, self._pending = self._pending, []
            self._partial_at.clear()
        self.deliveries += 1
        self.largest_batch = max(self.largest_batch, len(batch))
        deadline = time.monotonic() + self.budget_seconds
        done = 0
        try:
            for event in batch:
                self._dispatch(event)
                done += 1
                if time.monotonic() > deadline and done < len(batch):
                    break
        finally:
            self._requeue(batch[done:])

    def _requeue(self, rest: list[Any]) -> None:
        with self._lock:
            if rest:
                # Unshown events go back in front of newer ones, with their partials indexed
                # again so that newer versions still replace them.
                self._pending = rest + self._pending
                self._partial_at = {e.id: i for i, e in enumerate(self._pending)
                                    if isinstance(e, Caption) and not e.final}
            again = bool(self._pending)
            self._scheduled = again
        if again:
            # A zero timer runs after the paint and input events already queued.
            QTimer.singleShot(0, self, self._deliver)

    def _dispatch(self, event: Any) -> None:
        self.delivered += 1
        name = _SIGNALS.get(getattr(event, "type", ""), "other")
        getattr(self, name).emit(event)

    def flush_now(self) -> None:
        """Deliver everything at once (tests, and the last events before a screenshot)."""
        while self.pending():
            with self._lock:
                batch, self._pending = self._pending, []
                self._partial_at.clear()
            for event in batch:
                self._dispatch(event)
