"""The audit trail of what the agent did with AI output, kept with the call.

What was shown is already stored by the session (each suggestion and knowledge card is committed
before it is published). This records what the agent did with it -- copied, used, dismissed,
opened a source -- with the model pack that produced it, and the questions the agent typed into
the window's search box with what they showed (`ask`, then its `knowledge` and `suggestion`
events, the shapes the session stores), and the drafts the agent had rephrased (`rephrase`: the
redacted draft, tone and language asked, what was shown with its fact flags, or that it was
cancelled or failed; then `rephrase_action` when the result was copied), and the handoff notes
of a transfer (`handoff`: the note as the agent copied or saved it, its destination and call
time; the newest with an id is that note), and the checklist items the agent ticked or unticked
after the call ended (`checklist`, ui/checklist_flow.py; during the call the session stores them). Writes go through a
queue to one worker
thread with its own database connection (WAL lets it write beside the session's writer), so a
slow disk never freezes the window. Nothing is ever sent anywhere.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

SUGGESTION_ACTION = "suggestion_action"
KNOWLEDGE_ACTION = "knowledge_action"
REPHRASE_ACTION = "rephrase_action"  # the agent copied a rephrased draft ("of": its id)
ACTIONS = ("copied", "used", "dismissed", "opened")
ASK = "ask"
# The agent's search and what it showed: events as the engine makes them (event.to_dict()).
ASK_TYPES = (ASK, "knowledge", "suggestion")
# A draft the agent had rephrased: {"type": "rephrase", "id": "draft-2", "draft", "tone",
# "lang", "at", "outcome": shown|cancelled|failed, ...what was shown} (main_window builds it).
REPHRASE = "rephrase"
OUTCOMES = ("shown", "cancelled", "failed")
# A handoff note the agent copied or saved: a copilot.events.Handoff's payload (ui/handoff_flow.py).
HANDOFF = "handoff"
HANDOFF_ACTIONS = ("copied", "saved")
# A checklist item the agent ticked or unticked after the call ended (during the call the
# session stores it): a copilot.events.ChecklistEvent's payload, `by` the agent.
CHECKLIST = "checklist"
_STOP = object()


@dataclass(frozen=True)
class AuditRecord:
    call_id: int
    type: str  # SUGGESTION_ACTION | KNOWLEDGE_ACTION | REPHRASE_ACTION | REPHRASE | HANDOFF
    # | ASK_TYPES
    at: float  # call clock
    payload: dict[str, Any]


class AuditTrail:
    """`record()` from the UI thread returns at once; `close()` writes what is queued, then ends.
    `on_error(message)` is called (on the worker thread) when a record could not be stored."""

    def __init__(self, db_path: str | Path, *,
                 on_error: Callable[[str], None] | None = None,
                 store_options: Any = None) -> None:
        self.db_path = Path(db_path)
        self.store_options = store_options  # plain or encrypted (copilot/store/options.py)
        self.on_error = on_error
        self.written = 0
        self.failed = 0
        self._q: queue.Queue[Any] = queue.Queue()
        self._thread = threading.Thread(target=self._run, name="audit-writer", daemon=True)
        self._thread.start()

    def record(self, record: AuditRecord) -> None:
        if record.type in ASK_TYPES or record.type in (REPHRASE, HANDOFF, CHECKLIST):
            if record.payload.get("type") != record.type:
                raise ValueError(f"a {record.type} record needs its event's payload")
            if record.type == REPHRASE and record.payload.get("outcome") not in OUTCOMES:
                raise ValueError(f"unknown rephrase outcome {record.payload.get('outcome')!r}")
            if record.type == HANDOFF and record.payload.get("action") not in HANDOFF_ACTIONS:
                raise ValueError(f"unknown handoff action {record.payload.get('action')!r}")
            if record.type == CHECKLIST and (record.payload.get("kind") not in ("tick", "untick")
                                             or record.payload.get("by") != "agent"):
                raise ValueError("a checklist record is the agent's tick or untick")
        elif record.payload.get("action") not in ACTIONS:
            raise ValueError(f"unknown agent action {record.payload.get('action')!r}")
        self._q.put(record)

    def wait(self, timeout: float | None = None) -> None:
        """Block until everything queued so far is written (tests, and before closing)."""
        done = threading.Event()
        self._q.put(done)
        done.wait(timeout)

    def close(self, timeout: float | None = 10.0) -> None:
        self._q.put(_STOP)
        self._thread.join(timeout)

    def _run(self) -> None:
        from copilot.store.db import CallStore

        store: CallStore | None = None
        try:
            while True:
                item = self._q.get()
                if item is _STOP:
                    return
                if isinstance(item, threading.Event):
                    item.set()
                    continue
                try:
                    if store is None:
                        store = CallStore(self.db_path, options=self.store_options)
                    store.add_event(item.call_id, item.type, item.at, item.payload)
                    self.written += 1
                except Exception as e:  # StoreError, sqlite3.Error, OSError: report, go on
                    self.failed += 1
                    log.warning("could not store the agent's %s on call %s: %s",
                                item.payload.get("action", item.type), item.call_id, e)
                    if self.on_error is not None:
                        self.on_error(f"could not save the audit record: {e}")
        finally:
            if store is not None:
                store.close()
