"""The live checklist in the window: the engine's `checklist` events (through the EventBridge)
drawn by the panel, and the agent's clicks on it recorded.

During a call a click goes to the call's session (CallRunner.checklist_action), which stores
the `checklist` event with the call like every other and sends it back to the panel. After the
call has ended (the wrap-up is open, the panel still shows the call) a click is kept with that
call through the audit trail (ui/audit.py) as the same event, by the agent.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, QTimer

from copilot.events import ChecklistEvent
from ui import call_runner as cr
from ui.audit import CHECKLIST, AuditRecord
from ui.room import folds, unfold_margin

NOT_STORED = "Outside a stored call: the checklist tick is not kept."


class ChecklistFlow(QObject):
    """Owned by the main window; `wire()` once its panels and bridge exist."""

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self.panel = window.checklist

    def wire(self) -> ChecklistFlow:
        self.window.bridge.checklist.connect(self.panel.show_event)
        self.window.bridge.checklist.connect(lambda _e: QTimer.singleShot(0, self, self.fit))
        self.window.assist.content_changed.connect(lambda: QTimer.singleShot(0, self, self.fit))
        self.panel.toggled.connect(self.toggle)
        return self

    def new_call(self) -> None:
        self.panel.clear()
        self.panel.folded_by_agent = False  # a new call: the window makes room again
        self.panel.set_folded(False)

    def fit(self) -> None:
        """The lines and cards come first (what the agent reads mid-call): when they and the
        summary's heading do not fit beside the checklist's items, the checklist folds to its
        heading line, and unfolds when there is room again, clearly (ui/room.py: a few lines
        to spare, so a line or card a little taller or shorter does not flip it); unless the
        agent folded or unfolded it, or required items are reported open (then it stays
        open)."""
        w, panel = self.window, self.panel
        if not panel.isVisible() or panel.folded_by_agent or panel.alert.isVisible():
            return
        room = sum(w.right_split.sizes()) + (0 if panel.folded else panel.body.height())
        need = w.assist.needed_height() + w.summary.minimumSizeHint().height()
        spare = room - need - panel.unfolded_height()
        fold = folds(panel.folded, spare, unfold_margin(w.assist))
        if fold != panel.folded:
            panel.set_folded(fold)
            QTimer.singleShot(0, w, w.fit_assist)

    def toggle(self, checklist: str, item: str, done: bool) -> None:
        w = self.window
        if w.state.phase in (cr.STARTING, cr.LIVE):
            w.runner.checklist_action(checklist, item, done)
            return
        event = ChecklistEvent("tick" if done else "untick", checklist, w.runner.now(),
                               item=item, by="agent")
        self.panel.show_event(event)
        call_id = w.runner.call_id
        if call_id is None:
            w.statusBar().showMessage(NOT_STORED, 6000)
            return
        w.actions.store(AuditRecord(call_id, CHECKLIST, event.at, event.to_dict()))
