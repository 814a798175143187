"""Transfer / escalate in the window: the call bar's action (Ctrl+T), the handoff note's dialog,
and the note kept with the call.

The note is made from what the window already receives, never worked out again: the running
summary's `summary` events and the customer `signal` events (through the EventBridge), and the
suggested lines the agent used or copied (copilot.assist.handoff.HandoffTracker keeps the
latest of each). One note per call: opened again, it shows the text as the agent left it.
Each Copy or Save stores the note (redacted like a caption, the agent's edits included) as a
`handoff` event of the call through the audit trail (ui/audit.py), with its destination and
call time; the wrap-up then preselects the disposition "escalated" or "transferred"
(`made_for`, ui/window_dialogs.py).

When the call ends while the note is still open, the note comes first: the wrap-up waits
until the agent saves or closes it (`wrap_up_waits`), so it preselects from where the call
really went, and a note copied or saved after the hang-up is timed at the end of the call (the
call clock runs on after it, and the next call has a clock of its own). A note left open into
the next call stays with its own call: its summary, its end, its wrap-up.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from PySide6.QtCore import QObject

from copilot.assist.handoff import HandoffTracker, destinations
from copilot.events import Handoff
from ui import call_runner as cr
from ui.audit import HANDOFF, AuditRecord
from ui.dialogs.handoff import HandoffDialog

log = logging.getLogger(__name__)
ONLY_DURING_A_CALL = "Transfer / escalate needs a call in progress."
NOT_STORED = "Outside a stored call: the handoff note is not kept."
CALL_ENDED = ("The call has ended. Save the note (it is kept as made at the end of the call) or "
              "close it; the wrap-up opens next.")
WRAP_UP_WAITS = "The call has ended: the wrap-up opens when the handoff note is saved or closed."


@dataclass
class _Kept:
    """The call's note as the agent left it: shown again when the dialog is reopened."""

    draft: Handoff  # the copilot's version it was edited from
    destination: str
    text: str


@dataclass(eq=False)
class _Call:
    """One call as the handoff sees it: what its note is made from, its stored id once known,
    and when it ended (call clock; None while it goes on)."""

    tracker: HandoffTracker = field(default_factory=HandoffTracker)
    id: int | None = None
    ended_at: float | None = None


class HandoffFlow(QObject):
    """Owned by the main window; `wire()` once its panels and bridge exist."""

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self.call = _Call()  # the call in progress (or the last one)
        self.notes = 0  # numbers the notes of this window: handoff-1, handoff-2, ...
        self.dialog: HandoffDialog | None = None  # the open note of the current call
        self.kept: _Kept | None = None
        self.made: dict[int, Handoff] = {}  # call id -> the newest note copied or saved
        # Each open dialog's call, and the wrap-ups waiting for it to be saved or closed.
        self._calls: dict[HandoffDialog, _Call] = {}
        self._waiting: dict[HandoffDialog, list[Callable[[], Any]]] = {}

    @property
    def tracker(self) -> HandoffTracker:
        """The current call's (a note left open from the call before keeps its own)."""
        return self.call.tracker

    def wire(self) -> None:
        w = self.window
        w.bridge.summary.connect(self._feed)
        w.bridge.customer_signal.connect(self._feed)
        w.bridge.after_call.connect(self._after_call)
        w.bridge.state.connect(self._state)
        w.call_bar.handoff_requested.connect(self.open)

    def _feed(self, event: Any) -> None:
        self.call.tracker.feed(event)

    def new_call(self) -> None:
        """A call starts: nothing of the one before goes into its note. A dialog still open
        for the call before stays with it (its copies are kept with that call, timed at its
        end; its wrap-up still waits for it)."""
        self.call = _Call()
        self.kept = None
        self.dialog = None

    # -- the end of the call --
    def _after_call(self, note: Any) -> None:
        """The call's after-call note: the session's own record of when the call ended."""
        self.call_ended(float(getattr(note, "at", 0.0)))

    def _state(self, state: Any) -> None:
        if state.phase in (cr.ENDED, cr.FAILED) and self.call.ended_at is None:
            self.call_ended(self.window.runner.now())

    def call_ended(self, at: float) -> None:
        """The current call ended at call time `at` (its after-call note's time wins over the
        clock read when the window learnt of the end); an open note says so."""
        call = self.call
        first = call.ended_at is None
        call.ended_at = at
        if first:
            for dlg, of in self._calls.items():
                if of is call and dlg.isVisible():
                    dlg.call_ended(CALL_ENDED)

    def wrap_up_waits(self, call_id: int | None, then: Callable[[], Any],
                      at: float | None = None) -> bool:
        """The call `call_id` ended (its after-call note made at `at`): True when a handoff
        note of it is still open, and then `then()` (opening the wrap-up) runs once that note
        is saved or closed; False when the wrap-up may open now."""
        if at is not None:
            self.call_ended(at)
        for dlg, of in self._calls.items():
            # The after-call note is the current call's (its id may have been unknown yet
            # when the dialog opened, as the call was starting).
            if of is self.call and of.id in (call_id, None) and dlg.isVisible():
                self._waiting.setdefault(dlg, []).append(then)
                self.window.statusBar().showMessage(WRAP_UP_WAITS, 15_000)
                return True
        return False

    def line_used(self, text: str) -> None:
        """The agent used or copied a suggested line: the note says the customer was told it."""
        self.tracker.line_used(text)

    def made_for(self, call_id: int | None) -> Handoff | None:
        """The newest note the agent copied or saved in call `call_id`, if any."""
        return self.made.get(call_id) if call_id is not None else None

    # -- the dialog --
    def open(self) -> HandoffDialog | None:
        w = self.window
        if w.state.phase not in (cr.STARTING, cr.LIVE):
            w.statusBar().showMessage(ONLY_DURING_A_CALL, 6000)
            return None
        if self.call.ended_at is not None:  # between the hang-up and the end of the call
            w.statusBar().showMessage(ONLY_DURING_A_CALL, 6000)
            return None
        if self.dialog is not None and self.dialog.isVisible():
            self.dialog.raise_()
            self.dialog.activateWindow()
            return self.dialog
        names = destinations(w.runner.settings)
        call = self.call
        call.id = call_id = w.runner.call_id
        kept = self.kept
        if kept is None:
            self.notes += 1
            draft = call.tracker.note(names[0], w.runner.now(), f"handoff-{self.notes}")
            text = None
        else:
            draft, text = replace(kept.draft, destination=kept.destination), kept.text
        dlg = HandoffDialog(draft, destinations=names, text=text,
                            refresh=lambda d, c=call: self._refresh(d, c),
                            stored=call_id is not None, parent=w)
        self._calls[dlg] = call
        dlg.copied.connect(lambda h, d=dlg, c=call: self._record(h, d, c))
        dlg.saved.connect(lambda h, d=dlg, c=call: self._record(h, d, c))
        dlg.finished.connect(lambda _=0, d=dlg: self._closed(d))
        self.dialog = dlg
        dlg.show()  # not exec(): the call view keeps updating behind it
        return dlg

    def _clock(self, call: _Call, fallback: float) -> float:
        """Call time now for `call`'s note: the clock while the call goes on, its end once it
        ended (the clock runs on after the hang-up), `fallback` when neither is known."""
        if call.ended_at is not None:
            return call.ended_at
        return self.window.runner.now() if call is self.call else fallback

    def _refresh(self, destination: str, call: _Call) -> Handoff:
        """A new draft of the open note from its call's summary as it is now (same id: same
        note)."""
        dlg = next((d for d, c in self._calls.items() if c is call and d.isVisible()), None)
        current = dlg.draft.id if dlg is not None else f"handoff-{self.notes}"
        at = self._clock(call, dlg.draft.at if dlg is not None else 0.0)
        return call.tracker.note(destination, at, current)

    def _closed(self, dlg: HandoffDialog) -> None:
        """The dialog was saved or closed: kept as the agent left it (for its call), and the
        wrap-up waiting for it opens."""
        self._calls.pop(dlg, None)
        if dlg is self.dialog:
            self.kept = _Kept(dlg.draft, dlg.destination(), dlg.note_text())
            self.dialog = None
        for then in self._waiting.pop(dlg, []):
            then()

    def _record(self, handoff: Handoff, dlg: HandoffDialog, call: _Call) -> None:
        """Keep a copied or saved note with its call: redacted, at the call time it was made
        (the end of the call at the latest)."""
        w = self.window
        if call is self.call:
            self.kept = _Kept(dlg.draft, handoff.destination, handoff.note)
            if call.id is None:  # opened while the call was starting: stored by now?
                call.id = w.runner.call_id
        call_id = call.id
        if call_id is None:
            w.statusBar().showMessage(NOT_STORED, 10_000)
            return
        try:
            from copilot.assist.handoff import redact_note

            note = replace(handoff, note=redact_note(handoff.note, w.runner.settings),
                           at=self._clock(call, handoff.at))
        except Exception as e:  # never a traceback for the agent; never an unredacted note
            log.exception("handoff note %s could not be prepared for the store", handoff.id)
            w.statusBar().showMessage(f"The handoff note was not kept: {e}", 10_000)
            return
        self.made[call_id] = note
        w.actions.store(AuditRecord(call_id, HANDOFF, note.at, {**note.to_dict(),
                                                         "pack": w.pack_label}))
        if handoff.action == "saved":
            w.statusBar().showMessage(f"Handoff note to {note.destination} kept with the call.",
                                      6000)
