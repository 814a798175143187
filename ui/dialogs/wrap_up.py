"""The wrap-up dialog at hang-up: the after-call note (editable), its disposition, the summary.

The note arrives as an AI draft (the session's AfterCallNote). Save stores the agent's version as
a new after_call event with saved=True (edited=True only when the agent changed the draft's text
or disposition); the newest after_call event is the call's note. Closing with unsaved changes
never loses them: they are stored as a draft (saved=False), which the history shows as such and
can reopen. All writes run on a worker thread (ui/jobs.py).

When the call was handed over (Transfer / escalate), the window passes `preselect`: the
disposition "escalated" or "transferred" is then selected in place of the AI's, saying why.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from copilot.events import AfterCallNote, Summary
from copilot.settings import AssistSettings
from copilot.store.options import StoreOptions
from ui.dialogs import call_data
from ui.dialogs.text import code_label, colors, summary_html
from ui.jobs import Jobs

# The built-in codes: the settings' defaults (copilot/settings.py), the one list.
DEFAULT_CODES = tuple(AssistSettings().disposition_codes)


def disposition_codes(settings: object) -> list[str]:
    """The site's codes from Settings.assist.disposition_codes, or the built-in list."""
    codes = getattr(getattr(settings, "assist", None), "disposition_codes", None)
    return list(codes) if codes else list(DEFAULT_CODES)


def handoff_preselect(destination: str, at: float,
                      codes: Sequence[str]) -> tuple[str, str] | None:
    """`preselect` for a call handed to `destination` at call time `at`: "escalated" for a
    supervisor or manager, "transferred" for a peer team (copilot.assist.handoff
    .disposition_for), with the reason shown beside it; None when the codes have neither."""
    from copilot.assist.handoff import disposition_for
    from copilot.store.export import clock

    code = disposition_for(destination, codes)
    if code is None:
        return None
    return code, f"Pre-selected: the call was handed to {destination} at {clock(at)}."


class WrapUpDialog(QDialog):
    """Edit and save the after-call note of one stored call.

    WrapUpDialog(db_path, call_id, draft=AfterCallNote|None, summary=Summary|None,
                 codes=[...], title="", parent=None)
    - db_path: the call database; the dialog opens its own connection on a worker thread.
    - draft: the note to start from (the session's AI draft, or a note saved earlier).
    Signals: saved(AfterCallNote) once the agent's note is stored (then the dialog accepts);
    draft_kept(AfterCallNote) when it closed with unsaved changes, stored as a draft;
    failed(str) when a write failed (the dialog stays open with the text intact).
    """

    saved = Signal(object)
    draft_kept = Signal(object)
    failed = Signal(str)

    def __init__(self, db_path: Path, call_id: int, *, draft: AfterCallNote | None = None,
                 summary: Summary | None = None, codes: Sequence[str] = DEFAULT_CODES,
                 title: str = "", preselect: tuple[str, str] | None = None,
                 store_options: StoreOptions | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db_path, self.call_id = Path(db_path), call_id
        self.store_options = store_options  # plain or encrypted (copilot/store/options.py)
        self._draft = draft
        self._at = draft.at if draft is not None else 0.0
        self._saved_text = draft.note if draft is not None else ""
        self._saved_code = draft.disposition if draft is not None else ""
        # What the agent was given: a Save that changes nothing of it is not an edit.
        self._given = (self._saved_text, draft.disposition if draft is not None else None)
        self._given_edited = draft is not None and draft.edited
        self._pending: AfterCallNote | None = None  # a Save on its way to the database
        self.jobs = Jobs(self)
        self.jobs.busy_changed.connect(self._on_busy)
        self.setWindowTitle("Wrap-up" + (f": {title}" if title else ""))
        self.setObjectName("wrapUpDialog")
        self._build(codes, summary, draft)
        if preselect is not None:
            self._preselect(*preselect)
        self._fit()

    def _fit(self) -> None:
        """Big enough to read the whole summary (open items and knowledge used come last)
        without scrolling, within 90 % of the screen. In text units, so 150-200 % fonts get a
        bigger dialog, not clipped text."""
        fm = self.fontMetrics()
        screen = self.screen().availableGeometry() if self.screen() else None
        width = fm.averageCharWidth() * 130
        if screen is not None:
            width = min(width, int(screen.width() * 0.9))
        doc = self.summary_view.document().clone()
        doc.setDefaultFont(self.summary_view.font())
        doc.setTextWidth(width * 2 / 5 - 32)  # the summary's share of the splitter, less frames
        # Above the summary: the hint, the disposition and the heading; below: the buttons.
        height = max(fm.lineSpacing() * 30, int(doc.size().height()) + fm.lineSpacing() * 12)
        if screen is not None:
            height = min(height, int(screen.height() * 0.9))
        self.resize(width, height)

    # -- layout --

    def _build(self, codes: Sequence[str], summary: Summary | None,
               draft: AfterCallNote | None) -> None:
        root = QVBoxLayout(self)
        hint = QLabel("The note below is an AI draft made from the call. Check and correct it, "
                      "pick the disposition, then save it with the call.")
        hint.setWordWrap(True)
        hint.setObjectName("aiNote")
        root.addWidget(hint)
        root.addLayout(self._disposition_row(codes, draft))
        root.addWidget(self._note_and_summary(summary), 1)
        self.status = QLabel("")
        self.status.setObjectName("muted")
        self.status.setWordWrap(True)
        root.addWidget(self.status)
        root.addLayout(self._buttons())
        for keys in (QKeySequence.StandardKey.Save, QKeySequence("Ctrl+Return")):
            QShortcut(keys, self, activated=self.save)
        self.note.setFocus()

    def _disposition_row(self, codes: Sequence[str], draft: AfterCallNote | None) -> QHBoxLayout:
        row = QHBoxLayout()
        label = QLabel("&Disposition:")
        self.disposition = QComboBox()
        self.disposition.setObjectName("disposition")
        all_codes = list(codes)
        if draft is not None and draft.disposition and draft.disposition not in all_codes:
            all_codes.append(draft.disposition)  # a code the site removed since: keep it visible
        for code in all_codes:
            self.disposition.addItem(code_label(code), code)
        start = draft.disposition if draft is not None and draft.disposition else (
            "other" if "other" in all_codes else (all_codes[0] if all_codes else ""))
        self.disposition.setCurrentIndex(max(0, self.disposition.findData(start)))
        if self._draft is None:
            self._saved_code = self.current_disposition()
        label.setBuddy(self.disposition)
        row.addWidget(label)
        row.addWidget(self.disposition)
        self.preselected = QLabel("")
        self.preselected.setObjectName("muted")
        self.preselected.setWordWrap(True)
        self.preselected.setVisible(False)
        row.addWidget(self.preselected, 4)  # one line when there is room
        row.addStretch(1)
        return row

    def _preselect(self, code: str, why: str) -> None:
        """Select `code` for a reason the AI's draft did not know (a handoff was made). Left
        unsaved, it is kept as the draft's change when the dialog closes, like an edit."""
        index = self.disposition.findData(code)
        if index < 0:
            return
        self.disposition.setCurrentIndex(index)
        self.preselected.setText(why)
        self.preselected.setVisible(True)

    def _note_and_summary(self, summary: Summary | None) -> QSplitter:
        """The note to edit on the left, the call's summary to read on the right."""
        split = QSplitter(Qt.Orientation.Horizontal)
        left = QWidget()
        lv = QVBoxLayout(left)
        lv.setContentsMargins(0, 0, 0, 0)
        note_label = QLabel("After-call &note")
        note_label.setObjectName("heading")
        self.note = QPlainTextEdit()
        self.note.setObjectName("note")
        self.note.setPlainText(self._saved_text)
        self.note.setPlaceholderText("What happened on the call, what was agreed, what is next.")
        note_label.setBuddy(self.note)
        lv.addWidget(note_label)
        lv.addWidget(self.note, 1)

        right = QWidget()
        rv = QVBoxLayout(right)
        rv.setContentsMargins(0, 0, 0, 0)
        sum_label = QLabel("Call summary (read-only)")
        sum_label.setObjectName("heading")
        self.summary_view = QTextBrowser()
        self.summary_view.setObjectName("summary")
        self.summary_view.setHtml(summary_html(
            summary.sections if summary is not None else None, colors(),
            empty="No summary yet: the call was too short or the summary is still being made."))
        rv.addWidget(sum_label)
        rv.addWidget(self.summary_view, 1)
        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        return split

    def _buttons(self) -> QHBoxLayout:
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.close_button = QPushButton("Close")
        self.close_button.setToolTip("Close; unsaved changes are kept as a draft with the call")
        self.close_button.clicked.connect(self.reject)
        self.save_button = QPushButton("&Save note")
        self.save_button.setObjectName("primary")
        self.save_button.setDefault(True)
        self.save_button.setToolTip("Store the note and disposition with the call (Ctrl+S)")
        self.save_button.clicked.connect(self.save)
        buttons.addWidget(self.close_button)
        buttons.addWidget(self.save_button)
        return buttons

    # -- state --

    def note_text(self) -> str:
        return self.note.toPlainText()

    def current_disposition(self) -> str:
        return str(self.disposition.currentData() or "")

    def is_dirty(self) -> bool:
        """Changed since the draft (or the last save)."""
        return (self.note_text() != self._saved_text
                or self.current_disposition() != self._saved_code)

    def _note(self, saved: bool) -> AfterCallNote:
        text, code = self.note_text(), self.current_disposition()
        edited = self._given_edited or text != self._given[0] or (
            self._given[1] is not None and code != self._given[1])
        return AfterCallNote(note=text, disposition=code, at=self._at, edited=edited,
                             saved=saved)

    # -- actions --

    def save(self) -> None:
        if self.jobs.busy:
            return
        note = self._note(saved=True)
        self._pending = note
        self.status.setText("Saving…")
        self.jobs.submit(lambda: call_data.save_note(self.db_path, self.call_id, note,
                                                     self.store_options),
                         lambda _id: self._on_saved(note), self._on_failed)

    def _on_saved(self, note: AfterCallNote) -> None:
        self._pending = None
        self._saved_text, self._saved_code = note.note, note.disposition
        self.status.setText("Saved with the call.")
        self.saved.emit(note)
        self.accept()

    def _on_failed(self, error: BaseException) -> None:
        self._pending = None
        message = f"The note was not saved: {error}"
        self.status.setText(message)
        self.failed.emit(message)

    def _on_busy(self, busy: bool) -> None:
        self.save_button.setEnabled(not busy)

    def reject(self) -> None:
        """Close (button, Esc, window close): unsaved changes are stored as a draft first."""
        pending = self._pending
        in_flight = pending is not None and (pending.note, pending.disposition) == (
            self.note_text(), self.current_disposition())
        if self.is_dirty() and not in_flight:  # a Save of this very text is already queued
            draft = self._note(saved=False)
            self._saved_text, self._saved_code = draft.note, draft.disposition
            self.jobs.submit(lambda: call_data.save_note(self.db_path, self.call_id, draft,
                                                         self.store_options),
                             lambda _id: self.draft_kept.emit(draft), self._on_failed)
        super().reject()
