"""The handoff dialog of Transfer / escalate: the note for whoever takes the call over, to edit and
copy, and where the call goes.

The note arrives as the copilot's draft (copilot/assist/handoff.py: laid out from the running
summary, the customer signals and the lines the agent used). The agent picks the destination
(the note's "Handoff to:" line follows it, every other edit stays), corrects the text and copies
it into the transfer or ticket tool. Copy and Save hand a copilot.events.Handoff (action
"copied" or "saved") to whoever keeps it with the call (ui/handoff_flow.py, through the audit
trail); the dialog writes nothing and sends nothing. It is not modal: the call goes on behind
it, and "Update from the summary" lays the note out again from the summary as it is now (Ctrl+Z
brings the agent's text back).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from PySide6.QtCore import Signal
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut, QTextCursor
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from copilot.assist.handoff import DESTINATION_LINE, with_destination
from copilot.events import Handoff

HINT = ("A note for the agent or team taking the call over, laid out from the call's running "
        "summary and customer signals (AI-generated: check it). Pick where the call goes, "
        "correct the note, then copy it into your transfer or ticket tool. Nothing is sent.")
COPIED = "Copied to the clipboard (nothing was sent)."
KEPT = "Kept with the call."
NOT_STORED = "This call is not stored: the note is not kept with it."


class HandoffDialog(QDialog):
    """Edit, copy and keep one handoff note.

    HandoffDialog(draft, destinations=[...], text=None, refresh=None, stored=True, parent=None)
    - draft: the copilot's note (copilot.assist.handoff.HandoffTracker.note); its destination
      is preselected (added to the list when the settings no longer name it).
    - text: the agent's earlier version of this note, to go on from (reopened in a call).
    - refresh(destination) -> Handoff: a new draft from the summary as it is now; None hides
      "Update from the summary".
    - stored: whether the call is stored (what the status line says after a copy or save).
    Signals: copied(Handoff) with the text put on the clipboard; saved(Handoff) on Save (then
    the dialog closes). Closing keeps nothing by itself: `note_text()` and `destination()` say
    what the agent left. `call_ended(message)` when the call ends while it is open.
    """

    copied = Signal(object)
    saved = Signal(object)

    def __init__(self, draft: Handoff, *, destinations: Sequence[str], text: str | None = None,
                 refresh: Callable[[str], Handoff] | None = None, stored: bool = True,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.draft = draft
        self.refresh = refresh
        self.stored = stored
        self.ended = False  # the call ended while the note was open (call_ended)
        self.setWindowTitle("Transfer / escalate: handoff note")
        self.setObjectName("handoffDialog")
        self._build(destinations, draft.note if text is None else text)
        self._fit()

    def _fit(self) -> None:
        """Room for the whole note without scrolling, in text units (150-200 % fonts get a
        bigger dialog, not clipped text), within 90 % of the screen."""
        fm = self.fontMetrics()
        screen = self.screen().availableGeometry() if self.screen() else None
        width = fm.averageCharWidth() * 96
        if screen is not None:
            width = min(width, int(screen.width() * 0.9))
        doc = self.note.document().clone()
        doc.setDefaultFont(self.note.font())
        doc.setTextWidth(width - 48)  # less the dialog's margins, the frame and a scroll bar
        # Around the note: the hint (up to four lines), the destination row, the heading, the
        # status line and the buttons.
        height = max(fm.lineSpacing() * 24, int(doc.size().height()) + fm.lineSpacing() * 12)
        if screen is not None:
            height = min(height, int(screen.height() * 0.9))
        self.resize(width, height)

    # -- layout --

    def _build(self, destinations: Sequence[str], text: str) -> None:
        root = QVBoxLayout(self)
        hint = QLabel(HINT)
        hint.setWordWrap(True)
        hint.setObjectName("aiNote")
        root.addWidget(hint)
        root.addLayout(self._destination_row(destinations))
        heading = QLabel("Handoff &note")
        heading.setObjectName("heading")
        self.note = QPlainTextEdit()
        self.note.setTabChangesFocus(True)  # Tab moves on (a keyboard user is never stuck)
        self.note.setObjectName("handoffNote")
        self.note.setAccessibleName("handoff note")
        self.note.setPlainText(text)
        self.note.textChanged.connect(self._follow_destination_line)
        heading.setBuddy(self.note)
        root.addWidget(heading)
        root.addWidget(self.note, 1)
        self.status = QLabel("")
        self.status.setObjectName("muted")
        self.status.setWordWrap(True)
        root.addWidget(self.status)
        root.addLayout(self._buttons())
        for keys in (QKeySequence.StandardKey.Save, QKeySequence("Ctrl+Return")):
            QShortcut(keys, self, activated=self.save)
        QShortcut(QKeySequence("Ctrl+Shift+C"), self, activated=self.copy)
        self.note.setFocus()

    def _destination_row(self, destinations: Sequence[str]) -> QHBoxLayout:
        row = QHBoxLayout()
        label = QLabel("&Destination:")
        self.destinations = QComboBox()
        self.destinations.setObjectName("destination")
        names = list(destinations)
        if self.draft.destination and self.draft.destination not in names:
            names.append(self.draft.destination)  # one the settings dropped since: keep it
        for name in names:
            self.destinations.addItem(name, name)
        self.destinations.setCurrentIndex(max(0, self.destinations.findData(
            self.draft.destination)))
        self.destinations.currentIndexChanged.connect(self._destination_changed)
        label.setBuddy(self.destinations)
        row.addWidget(label)
        row.addWidget(self.destinations)
        row.addStretch(1)
        self.update_button = QPushButton("&Update from the summary")
        self.update_button.setToolTip("Lay the note out again from the summary as it is now "
                                      "(your changes are replaced; Ctrl+Z brings them back)")
        self.update_button.clicked.connect(self.update_from_summary)
        self.update_button.setVisible(self.refresh is not None)
        row.addWidget(self.update_button)
        return row

    def _buttons(self) -> QHBoxLayout:
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.close_button = QPushButton("Close")
        self.close_button.setToolTip("Close; the note stays as you left it for this call")
        self.close_button.clicked.connect(self.reject)
        self.copy_button = QPushButton("&Copy")
        self.copy_button.setToolTip("Put the note on the clipboard and keep it with the call "
                                    "(Ctrl+Shift+C). Nothing is sent.")
        self.copy_button.clicked.connect(self.copy)
        self.save_button = QPushButton("&Save with the call")
        self.save_button.setObjectName("primary")
        self.save_button.setDefault(True)
        self.save_button.setToolTip("Keep the note and its destination with the call, then "
                                    "close (Ctrl+S)")
        self.save_button.clicked.connect(self.save)
        for b in (self.close_button, self.copy_button, self.save_button):
            buttons.addWidget(b)
        return buttons

    # -- state --

    def note_text(self) -> str:
        return self.note.toPlainText()

    def destination(self) -> str:
        return str(self.destinations.currentData() or "")

    def is_edited(self) -> bool:
        """The agent changed the copilot's text (a new destination alone is no edit)."""
        given = with_destination(self.draft.note, self.destination())
        return self.note_text().strip() != given.strip()

    def handoff(self, action: str) -> Handoff:
        """The note as it stands, as the event kept with the call."""
        return replace(self.draft, destination=self.destination(), note=self.note_text(),
                       action=action, edited=self.is_edited())

    def set_status(self, text: str) -> None:
        self.status.setText(text)

    def call_ended(self, message: str) -> None:
        """The call this note belongs to has ended: say so (and what happens next) where the
        agent is looking. The note can still be edited, copied and saved."""
        self.ended = True
        self.set_status(message)
        self.save_button.setToolTip("Keep the note and its destination with the call (as made "
                                    "at the end of the call), then close (Ctrl+S)")

    def _replace_text(self, text: str) -> None:
        """Replace the whole note as one undoable edit (setPlainText would clear the undo)."""
        if text == self.note_text():
            return
        cursor = QTextCursor(self.note.document())
        cursor.beginEditBlock()
        cursor.select(QTextCursor.SelectionType.Document)
        cursor.insertText(text)
        cursor.endEditBlock()

    # -- actions --

    def _destination_changed(self, _index: int) -> None:
        position = self.note.textCursor().position()
        self._replace_text(with_destination(self.note_text(), self.destination()))
        cursor = self.note.textCursor()
        cursor.setPosition(min(position, len(self.note_text())))
        self.note.setTextCursor(cursor)

    def _follow_destination_line(self) -> None:
        """The note's "Handoff to:" line changed by hand or by an undo: the destination chosen
        follows it when it names one of the list, so what is kept never disagrees with it."""
        for line in self.note_text().split("\n"):
            if line.startswith(DESTINATION_LINE.strip()):
                index = self.destinations.findData(line[len(DESTINATION_LINE.strip()):].strip())
                if index >= 0 and index != self.destinations.currentIndex():
                    self.destinations.blockSignals(True)
                    self.destinations.setCurrentIndex(index)
                    self.destinations.blockSignals(False)
                return

    def update_from_summary(self) -> None:
        if self.refresh is None:
            return
        self.draft = self.refresh(self.destination())
        self._replace_text(self.draft.note)
        self.set_status("Laid out again from the summary as it is now.")

    def copy(self) -> None:
        handoff = self.handoff("copied")
        QGuiApplication.clipboard().setText(handoff.note)
        self.set_status(f"{COPIED} {KEPT if self.stored else NOT_STORED}")
        self.copied.emit(handoff)

    def save(self) -> None:
        handoff = self.handoff("saved")
        if not self.stored:
            self.set_status(NOT_STORED)
        self.saved.emit(handoff)
        self.accept()
