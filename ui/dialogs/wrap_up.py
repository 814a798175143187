"""The wrap-up dialog at hang-up: the after-call note (editable), its disposition, the summary.

The note arrives as an AI draft (the session's AfterCallNote). Save stores the agent's version as
a new after_call event with saved=True (edited=True only when the agent changed the draft's text
or a disposition the dialog had selected); the newest after_call event is the call's note. Nothing the agent typed is lost
without a word: Close keeps unsaved changes as a draft (saved=False), which the history shows as
such and can reopen; Esc and the window's close button ask first (save, keep as a draft, or go
on editing); the dialog closes only once what it kept is stored, and a failed write leaves it
open with the text. All writes run on a worker thread (ui/jobs.py).

The disposition is the agent's choice (ui/dialogs/disposition.py): the AI draft's guess is never
selected; the agent's own earlier choice, a handoff (`preselect`) or a line the agent marked Used
(`lines_used`) selects one, saying which. Otherwise none is, and Save asks for one.
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
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from copilot.assist.summary_lines import lines_to_confirm, without_legend
from copilot.events import AfterCallNote, Summary
from copilot.store.options import StoreOptions
from ui.dialogs import call_data
from ui.dialogs.disposition import (  # noqa: F401 (re-exported: the window and history)
    DEFAULT_CODES,
    PICK,
    PICK_FIRST,
    PICK_HINT,
    disposition_codes,
    handoff_preselect,
    used_line_preselect,
)
from ui.dialogs.text import code_label, colors, summary_html
from ui.jobs import Jobs

UNSAVED = "The note or the disposition has changes that are not saved."
UNSAVED_DETAIL = ("Save them with the call now, or keep them as an unsaved draft (Calls > "
                  "History reopens it).")
SAVED_THEN_CHANGED = "Saved. What you changed since is not saved yet."
DRAFT_KEPT_THEN_CHANGED = "Kept as a draft. What you changed since is not kept yet."
UNCONFIRMED_DETAIL = ("They were not heard clearly or were said two ways. Check them with the "
                      "customer and delete the mark, or save them marked: the note then says "
                      "they were not confirmed.")


def confirm_hint(n: int) -> str:
    """Above the note while `n` lines carry "(confirm)" (CONFIRM_LEGEND, counted)."""
    lines = "1 line ends" if n == 1 else f"{n} lines end"
    return (f'{lines} in "(confirm)": not heard clearly or said two ways. Check with the '
            "customer, then delete the mark.")


def unconfirmed_text(n: int) -> str:
    return ('1 line is still marked "(confirm)".' if n == 1
            else f'{n} lines are still marked "(confirm)".')


class WrapUpDialog(QDialog):
    """Edit and save the after-call note of one stored call.

    WrapUpDialog(db_path, call_id, draft=AfterCallNote|None, summary=Summary|None,
                 codes=[...], title="", parent=None)
    - db_path: the call database; the dialog opens its own connection on a worker thread.
    - draft: the note to start from (the session's AI draft, or a note saved earlier).
    - preselect: (code, why) to select for a reason the AI's draft did not know (a handoff).
    - lines_used: the suggested lines the agent marked Used during the call (the evidence for
      a disposition they state, used_line_preselect).
    Signals: saved(AfterCallNote) once the agent's note is stored (then the dialog accepts);
    draft_kept(AfterCallNote) when unsaved changes were stored as a draft (then it closes);
    failed(str) when a write failed (the dialog stays open with the text intact).
    """

    saved = Signal(object)
    draft_kept = Signal(object)
    failed = Signal(str)

    def __init__(self, db_path: Path, call_id: int, *, draft: AfterCallNote | None = None,
                 summary: Summary | None = None, codes: Sequence[str] = DEFAULT_CODES,
                 title: str = "", preselect: tuple[str, str] | None = None,
                 lines_used: Sequence[str] = (), store_options: StoreOptions | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db_path, self.call_id = Path(db_path), call_id
        self.store_options = store_options  # plain or encrypted (copilot/store/options.py)
        self._draft = draft
        self._at = draft.at if draft is not None else 0.0
        # The draft's instruction about "(confirm)" is shown beside the note, not kept in it.
        self._saved_text = without_legend(draft.note) if draft is not None else ""
        self._saved_code = ""  # set once the disposition row shows what is selected
        # What the agent was given: a Save that changes nothing of it is not an edit.
        self._given = (self._saved_text, draft.disposition if draft is not None else None)
        self._given_edited = draft is not None and draft.edited
        self._pending: AfterCallNote | None = None  # a Save or a draft on its way to the database
        self.unsaved_question: QMessageBox | None = None  # Esc with changes: what now?
        self.unconfirmed_question: QMessageBox | None = None  # Save with "(confirm)" lines left
        self.jobs = Jobs(self)
        self.jobs.busy_changed.connect(self._on_busy)
        self.setWindowTitle("Wrap-up" + (f": {title}" if title else ""))
        self.setObjectName("wrapUpDialog")
        self._build(codes, summary, draft)
        if preselect is None and not self.current_disposition():
            preselect = used_line_preselect(lines_used, codes)
        if preselect is not None:
            self._preselect(*preselect)
        # The disposition the agent was shown: the AI's guess is not shown, so choosing one
        # where none was selected is the agent's choice, not an edit of the draft.
        self._given = (self._given[0], self.current_disposition() or None)
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
        if (draft is not None and (draft.saved or draft.edited) and draft.disposition
                and draft.disposition not in all_codes):
            all_codes.append(draft.disposition)  # a code the site removed since: keep it visible
        for code in all_codes:
            self.disposition.addItem(code_label(code), code)
        self.disposition.setPlaceholderText(PICK)
        # Only the agent's own earlier choice (a note saved or kept as theirs), never the AI's.
        chosen = draft.disposition if draft is not None and (draft.saved or draft.edited) else ""
        self.disposition.setCurrentIndex(self.disposition.findData(chosen) if chosen else -1)
        self._saved_code = self._opened_code = self.current_disposition()
        label.setBuddy(self.disposition)
        row.addWidget(label)
        row.addWidget(self.disposition)
        self.preselected = QLabel("" if chosen else PICK_HINT)
        self.preselected.setObjectName("muted")
        self.preselected.setWordWrap(True)
        self.preselected.setVisible(not chosen)
        self.disposition.currentIndexChanged.connect(self._picked)
        row.addWidget(self.preselected, 4)  # one line when there is room
        row.addStretch(1)
        return row

    def _picked(self, _index: int) -> None:
        if self.preselected.text() == PICK_HINT and self.current_disposition():
            self.preselected.setVisible(False)  # the hint has done its work

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
        self.note.setTabChangesFocus(True)  # Tab moves on (a keyboard user is never stuck)
        self.note.setObjectName("note")
        self.note.setPlainText(self._saved_text)
        self.note.setPlaceholderText("What happened on the call, what was agreed, what is next.")
        note_label.setBuddy(self.note)
        # What "(confirm)" asks, outside the note's text (it is an instruction, not the call's
        # record), for as long as a line still carries the mark.
        self.confirm_hint = QLabel()
        self.confirm_hint.setObjectName("flagNote")
        self.confirm_hint.setWordWrap(True)
        self.note.textChanged.connect(self._count_confirms)
        lv.addWidget(note_label)
        lv.addWidget(self.confirm_hint)
        lv.addWidget(self.note, 1)
        self._count_confirms()

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
        self.close_button.clicked.connect(self.keep_draft)
        self.save_button = QPushButton("&Save note")
        self.save_button.setObjectName("primary")
        self.save_button.setDefault(True)
        self.save_button.setToolTip("Store the note and disposition with the call (Ctrl+S)")
        self.save_button.clicked.connect(self.save)
        buttons.addWidget(self.close_button)
        buttons.addWidget(self.save_button)
        return buttons

    def _count_confirms(self) -> None:
        n = lines_to_confirm(self.note_text())
        self.confirm_hint.setText(confirm_hint(n))
        self.confirm_hint.setVisible(n > 0)

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
        if not saved:
            # A kept draft holds what the agent did: a disposition they picked is theirs even
            # when it is the AI's guess, so it comes back selected, not as "Pick the disposition".
            edited = edited or code != self._opened_code
        return AfterCallNote(note=text, disposition=code, at=self._at, edited=edited,
                             saved=saved)

    # -- actions --

    def save(self, *, unconfirmed_ok: bool = False) -> None:
        """Store the note with the call. With lines still marked "(confirm)", ask first
        (`unconfirmed_ok`: the agent already said to save them so)."""
        if self.jobs.busy:
            return
        if not self.current_disposition():
            self.status.setText(PICK_FIRST)
            self.disposition.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        n = lines_to_confirm(self.note_text())
        if n and not unconfirmed_ok:
            self._ask_unconfirmed(n)
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
        if self.is_dirty():  # typed on while it was being written: that is not saved yet
            self.status.setText(SAVED_THEN_CHANGED)
            return
        self.accept()

    def _on_failed(self, error: BaseException) -> None:
        self._pending = None
        message = f"The note was not saved: {error}"
        self.status.setText(message)
        self.failed.emit(message)

    def _on_busy(self, busy: bool) -> None:
        self.save_button.setEnabled(not busy)

    def reject(self) -> None:
        """Esc or the window's close button. Unchanged, it closes; with unsaved changes it asks
        what to do with them (unsaved_question): nothing the agent typed goes without a word."""
        if self.jobs.busy:
            return  # a save or a draft is being written: it closes the dialog once stored
        if not self.is_dirty():
            super().reject()
            return
        self._ask_unsaved()

    def keep_draft(self) -> None:
        """Close (the button): unsaved changes are stored with the call as a draft first, and
        the dialog closes once they are (a failed write leaves it open with the text)."""
        if self.jobs.busy:
            return
        if not self.is_dirty():
            super().reject()
            return
        draft = self._note(saved=False)
        self._pending = draft
        self.status.setText("Keeping your changes as a draft…")
        self.jobs.submit(lambda: call_data.save_note(self.db_path, self.call_id, draft,
                                                     self.store_options),
                         lambda _id: self._on_draft_kept(draft), self._on_failed)

    def _on_draft_kept(self, draft: AfterCallNote) -> None:
        self._pending = None
        self._saved_text, self._saved_code = draft.note, draft.disposition
        self.draft_kept.emit(draft)
        if self.is_dirty():  # typed on while it was being written: that is not kept yet
            self.status.setText(DRAFT_KEPT_THEN_CHANGED)
            return
        super().reject()

    def _ask_unconfirmed(self, n: int) -> None:
        """Lines still marked "(confirm)" at Save: check them (the default, and Esc), or save
        them marked, as facts the agent did not confirm. Window-modal, not blocking."""
        if self.unconfirmed_question is not None:
            self.unconfirmed_question.raise_()
            return
        box = QMessageBox(QMessageBox.Icon.Question, "Lines to confirm", unconfirmed_text(n),
                          QMessageBox.StandardButton.NoButton, self)
        box.setObjectName("unconfirmedWrapUp")
        box.setInformativeText(UNCONFIRMED_DETAIL)
        save = box.addButton("Save them marked", QMessageBox.ButtonRole.AcceptRole)
        check = box.addButton("Check them", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(check)
        box.setEscapeButton(check)

        def answered(_result: int) -> None:
            self.unconfirmed_question = None
            clicked = box.clickedButton()
            box.deleteLater()
            if clicked is save:
                self.save(unconfirmed_ok=True)
            else:
                self.note.setFocus(Qt.FocusReason.OtherFocusReason)

        box.finished.connect(answered)
        self.unconfirmed_question = box
        box.open()

    def _ask_unsaved(self) -> None:
        """Save, keep as a draft, or go on editing (the default, and Esc again). Window-modal
        and not blocking: the call view behind keeps updating."""
        if self.unsaved_question is not None:
            self.unsaved_question.raise_()
            return
        box = QMessageBox(QMessageBox.Icon.Question, "Wrap-up not saved", UNSAVED,
                          QMessageBox.StandardButton.NoButton, self)
        box.setObjectName("unsavedWrapUp")
        box.setInformativeText(UNSAVED_DETAIL)
        save = box.addButton("Save note", QMessageBox.ButtonRole.AcceptRole)
        keep = box.addButton("Keep as draft and close", QMessageBox.ButtonRole.ActionRole)
        stay = box.addButton("Keep editing", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(stay)
        box.setEscapeButton(stay)
        box.finished.connect(lambda _result: self._answered(box, save, keep))
        self.unsaved_question = box
        box.open()

    def _answered(self, box: QMessageBox, save: QPushButton, keep: QPushButton) -> None:
        self.unsaved_question = None
        clicked = box.clickedButton()
        box.deleteLater()
        if clicked is save:
            self.save()  # asks for the disposition first when none is picked
        elif clicked is keep:
            self.keep_draft()
