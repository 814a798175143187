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
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
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


@dataclass
class _Kept:
    """The call's note as the agent left it: shown again when the dialog is reopened."""

    draft: Handoff  # the copilot's version it was edited from
    destination: str
    text: str


class HandoffFlow(QObject):
    """Owned by the main window; `wire()` once its panels and bridge exist."""

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self.tracker = HandoffTracker()
        self.notes = 0  # numbers the notes of this window: handoff-1, handoff-2, ...
        self.dialog: HandoffDialog | None = None
        self.dialog_call: int | None = None  # the stored call the open dialog belongs to
        self.kept: _Kept | None = None
        self.made: dict[int, Handoff] = {}  # call id -> the newest note copied or saved

    def wire(self) -> None:
        w = self.window
        w.bridge.summary.connect(self.tracker.feed)
        w.bridge.customer_signal.connect(self.tracker.feed)
        w.call_bar.handoff_requested.connect(self.open)

    def new_call(self) -> None:
        """A call starts: nothing of the one before goes into its note. A dialog still open
        for the call before stays with it (its copies are kept with that call)."""
        self.tracker.reset()
        self.kept = None
        self.dialog = None

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
        if self.dialog is not None and self.dialog.isVisible():
            self.dialog.raise_()
            self.dialog.activateWindow()
            return self.dialog
        names = destinations(w.runner.settings)
        call_id = w.runner.call_id
        kept = self.kept
        if kept is None:
            self.notes += 1
            draft = self.tracker.note(names[0], w.runner.now(), f"handoff-{self.notes}")
            text = None
        else:
            draft, text = replace(kept.draft, destination=kept.destination), kept.text
        dlg = HandoffDialog(draft, destinations=names, text=text, refresh=self._refresh,
                            stored=call_id is not None, parent=w)
        dlg.copied.connect(lambda h, d=dlg, c=call_id: self._record(h, d, c))
        dlg.saved.connect(lambda h, d=dlg, c=call_id: self._record(h, d, c))
        dlg.finished.connect(lambda _=0, d=dlg: self._closed(d))
        self.dialog, self.dialog_call = dlg, call_id
        dlg.show()  # not exec(): the call view keeps updating behind it
        return dlg

    def _refresh(self, destination: str) -> Handoff:
        """A new draft of the open note from the summary as it is now (same id: same note)."""
        current = self.dialog.draft.id if self.dialog is not None else f"handoff-{self.notes}"
        return self.tracker.note(destination, self.window.runner.now(), current)

    def _closed(self, dlg: HandoffDialog) -> None:
        if dlg is self.dialog:
            self.kept = _Kept(dlg.draft, dlg.destination(), dlg.note_text())
            self.dialog = None

    def _record(self, handoff: Handoff, dlg: HandoffDialog, call_id: int | None) -> None:
        """Keep a copied or saved note with its call: redacted, at the call time it was made."""
        w = self.window
        self.kept = _Kept(dlg.draft, handoff.destination, handoff.note)
        if call_id is None:
            w.statusBar().showMessage(NOT_STORED, 10_000)
            return
        same_call = w.runner.call_id == call_id  # else the clock is another call's by now
        try:
            from copilot.assist.handoff import redact_note

            note = replace(handoff, note=redact_note(handoff.note, w.runner.settings),
                           at=w.runner.now() if same_call else handoff.at)
        except Exception as e:  # never a traceback for the agent; never an unredacted note
            log.exception("handoff note %s could not be prepared for the store", handoff.id)
            w.statusBar().showMessage(f"The handoff note was not kept: {e}", 10_000)
            return
        self.made[call_id] = note
        w._store(AuditRecord(call_id, HANDOFF, note.at, {**note.to_dict(),
                                                         "pack": w.pack_label}))
        if handoff.action == "saved":
            w.statusBar().showMessage(f"Handoff note to {note.destination} kept with the call.",
                                      6000)
