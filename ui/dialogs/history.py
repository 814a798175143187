"""The history dialog: past calls with search; one call's transcript, summary, handoff notes
and after-call note; export and delete (a real erase). Every database access runs on the
dialog's worker thread.

A call shows the record its exports and `copilot calls show` print (copilot/store/export.py):
its status and line count worded as there; the agent's questions to the knowledge base, rephrased
drafts and handoffs among the transcript lines, in the exports' own words; the newest summary,
each handoff note of Transfer / escalate as it stands (destination, call time, who last touched
it, the text), the newest after-call note and its disposition.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from pathlib import Path

from PySide6.QtCore import QModelIndex, QRect, QSize, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTabWidget,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from copilot.events import AfterCallNote
from copilot.store import export
from copilot.store.errors import EraseIncompleteError
from copilot.store.export import call_label
from copilot.store.options import StoreOptions
from copilot.store.rows import ACTIVE, CallRow
from copilot.text.plural import plural
from ui import screen_fit
from ui.dialogs import call_data
from ui.dialogs.history_text import handed_over, handoffs_html
from ui.dialogs.text import (
    code_label,
    colors,
    duration,
    local_time,
    note_html,
    summary_html,
    transcript_html,
)
from ui.dialogs.wrap_up import DEFAULT_CODES, WrapUpDialog
from ui.jobs import Jobs

# File-dialog filters, in the order offered; the chosen one gives the format.
EXPORT_FILTERS = {
    "Plain text (*.txt)": "txt", "JSON with events (*.json)": "json",
    "SubRip subtitles (*.srt)": "srt", "WebVTT subtitles (*.vtt)": "vtt",
}
_SEARCH_DELAY_MS = 250  # typing pauses this long before the search runs
TITLE = 1  # the list's column of call titles
# The Title column's least width, in average characters: a few words to a line of its row.
TITLE_CHARS = 22


class WrappedTitles(QStyledItemDelegate):
    """A row as tall as its title wrapped at the Title column's width. (A tree view asks for
    a row's height without the column's width, and a wrapped text then counts as one line: the
    title was drawn cut to the row's single line.)"""

    def __init__(self, tree: QTreeWidget) -> None:
        super().__init__(tree)
        self.tree = tree

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:  # noqa: N802
        opt = QStyleOptionViewItem(option)
        opt.rect = QRect(0, 0, self.tree.columnWidth(index.column()), 1 << 16)
        return super().sizeHint(opt, index)


class HistoryDialog(QDialog):
    """Past calls. HistoryDialog(db_path, codes=[disposition codes], parent=None).

    Signals: calls_loaded(int count), detail_loaded(int call_id), exported(int call_id, str path),
    deleted(int call_id), note_saved(int call_id, AfterCallNote), failed(str message).
    """

    calls_loaded = Signal(int)
    detail_loaded = Signal(int)
    exported = Signal(int, str)
    deleted = Signal(int)
    note_saved = Signal(int, object)
    failed = Signal(str)

    def __init__(self, db_path: Path, *, codes: Sequence[str] = DEFAULT_CODES,
                 store_options: StoreOptions | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db_path = Path(db_path)
        self.store_options = store_options  # plain or encrypted (copilot/store/options.py)
        self.codes = list(codes)
        self.detail: call_data.CallDetail | None = None
        self.note_dialog: WrapUpDialog | None = None
        self._calls: dict[int, CallRow] = {}
        self._wanted: int | None = None  # the call whose detail should be shown
        self.jobs = Jobs(self)
        self.jobs.busy_changed.connect(lambda _busy: self._update_buttons())
        self.setWindowTitle("Call history")
        self.setObjectName("historyDialog")
        self._build()
        fm = self.fontMetrics()
        # Room for readable titles beside a transcript (150 x 34 characters cut every title to
        # a dozen letters), no larger than the screen (at 150 % a 1280x800 screen is 853x533):
        # Close stays on it.
        screen_fit.resize_within_screen(self, fm.averageCharWidth() * 176, fm.lineSpacing() * 44)
        self._search_timer = QTimer(self, singleShot=True, interval=_SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.refresh)
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        self.refresh()

    # -- layout --

    def _build(self) -> None:
        root = QVBoxLayout(self)
        self.search = QLineEdit()
        self.search.setObjectName("search")
        self.search.setPlaceholderText("Search titles and transcripts")
        self.search.setClearButtonEnabled(True)
        root.addWidget(self.search)

        split = QSplitter(Qt.Orientation.Horizontal)
        self.list = QTreeWidget()
        self.list.setObjectName("calls")
        self.list.setHeaderLabels(["Started", "Title", "Duration", "Status"])
        self.list.setRootIsDecorated(False)
        self.list.setAlternatingRowColors(True)
        # The title is what the agent looks for: its column takes the list's spare width, and a
        # long title wraps onto more lines of its row rather than being cut to a few letters
        # (the date, length and status are short and keep one line).
        self.list.setWordWrap(True)
        self.list.setUniformRowHeights(False)
        self.list.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.list.setItemDelegateForColumn(TITLE, WrappedTitles(self.list))
        header = self.list.header()
        header.setStretchLastSection(False)
        for col in (0, 2, 3):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(TITLE, QHeaderView.ResizeMode.Stretch)
        # The rows' heights are measured once; a narrower or wider column wraps them anew.
        header.sectionResized.connect(self._on_section_resized)
        self.list.currentItemChanged.connect(self._on_current_changed)
        split.addWidget(self.list)

        right = QWidget()
        rv = QVBoxLayout(right)
        rv.setContentsMargins(0, 0, 0, 0)
        self.header = QLabel("Select a call to see its transcript, summary and note.")
        self.header.setObjectName("muted")
        self.header.setWordWrap(True)
        self.header.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        rv.addWidget(self.header)
        self.tabs = QTabWidget()
        self.transcript = QTextBrowser()
        self.transcript.setObjectName("transcript")
        self.summary = QTextBrowser()
        self.summary.setObjectName("summaryAndNote")
        self.tabs.addTab(self.transcript, "&Transcript")
        self.tabs.addTab(self.summary, "Su&mmary and notes")
        rv.addWidget(self.tabs, 1)
        split.addWidget(right)
        split.setChildrenCollapsible(False)
        # Half and half as the dialog grows or shrinks: the list's titles and the transcript's
        # lines both wrap, and both read better wide.
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 1)
        chars = self.fontMetrics().averageCharWidth()
        split.setSizes([chars * 80, chars * 92])
        root.addWidget(split, 1)

        self.status = QLabel("")
        self.status.setObjectName("muted")
        self.status.setWordWrap(True)
        root.addWidget(self.status)

        row = QHBoxLayout()
        self.edit_button = QPushButton("Edit &note…")
        self.edit_button.clicked.connect(self.edit_note)
        self.export_button = QPushButton("&Export…")
        self.export_button.clicked.connect(self._on_export_clicked)
        self.delete_button = QPushButton("&Delete…")
        self.delete_button.setObjectName("danger")
        self.delete_button.setToolTip("Erase this call, its transcript, summary and note")
        self.delete_button.clicked.connect(self._on_delete_clicked)
        close = QPushButton("Close")
        close.clicked.connect(self.accept)
        for b in (self.edit_button, self.export_button, self.delete_button):
            row.addWidget(b)
        row.addStretch(1)
        row.addWidget(close)
        root.addLayout(row)
        self._update_buttons()

    # -- the list --

    def _on_section_resized(self, column: int, _old: int, _new: int) -> None:
        if column == TITLE:
            self.list.scheduleDelayedItemsLayout()

    def _fit_list_width(self) -> None:
        """The list is never narrower than the date, length and status and TITLE_CHARS of
        title: the splitter stops there, and the titles keep a few words to a line."""
        header = self.list.header()
        # What the columns sized to their contents will take (they are resized a moment later).
        others = sum(max(self.list.sizeHintForColumn(c), header.sectionSizeHint(c))
                     for c in range(header.count()) if c != TITLE)
        frame = 2 * self.list.frameWidth() + self.list.verticalScrollBar().sizeHint().width()
        least = others + self.fontMetrics().averageCharWidth() * TITLE_CHARS + frame
        self.list.setMinimumWidth(least)

    def refresh(self) -> None:
        """Reload the list (with the current search), keeping the selection when it remains."""
        query = self.search.text()
        self.jobs.submit(lambda: call_data.list_calls(self.db_path, query, self.store_options),
                         self._show_calls, self._on_error)

    def _show_calls(self, calls: list[CallRow]) -> None:
        keep = self.selected_call_id()
        self._calls = {c.id: c for c in calls}
        self.list.blockSignals(True)
        self.list.clear()
        for c in calls:
            status = "recording" if c.status == ACTIVE else c.status
            item = QTreeWidgetItem([local_time(c.started_at), call_label(c),
                                    duration(c.duration), status])
            item.setData(0, Qt.ItemDataRole.UserRole, c.id)
            item.setTextAlignment(2, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            item.setToolTip(1, "\n".join(x for x in (call_label(c), c.source) if x))
            item.setToolTip(3, export.status_text(c.status))  # the column's word, explained
            self.list.addTopLevelItem(item)
        self.list.blockSignals(False)
        self._fit_list_width()
        if not calls:
            self._show_detail(None)
            self.header.setText("No calls match this search." if self.search.text().strip()
                                else "No calls stored yet.")
        else:
            self.select_call(keep if keep in self._calls else calls[0].id)
        self._update_buttons()
        self.calls_loaded.emit(len(calls))

    def selected_call_id(self) -> int | None:
        item = self.list.currentItem()
        return int(item.data(0, Qt.ItemDataRole.UserRole)) if item is not None else None

    def select_call(self, call_id: int) -> None:
        for i in range(self.list.topLevelItemCount()):
            item = self.list.topLevelItem(i)
            if item.data(0, Qt.ItemDataRole.UserRole) == call_id:
                self.list.setCurrentItem(item)  # -> _on_current_changed
                if self._wanted != call_id:
                    self._load_detail(call_id)
                return

    def _on_current_changed(self, current: QTreeWidgetItem | None, _prev: object) -> None:
        if current is not None:
            self._load_detail(int(current.data(0, Qt.ItemDataRole.UserRole)))
        self._update_buttons()

    # -- one call --

    def _load_detail(self, call_id: int) -> None:
        self._wanted = call_id
        self.jobs.submit(lambda: call_data.load_detail(self.db_path, call_id, self.store_options),
                         lambda d: self._on_detail(call_id, d), self._on_error)

    def _on_detail(self, call_id: int, detail: call_data.CallDetail | None) -> None:
        if call_id != self._wanted:
            return  # the agent has moved on to another call meanwhile
        self._show_detail(detail)
        if detail is None:
            self.status.setText(f"Call {call_id} is no longer stored.")
        self.detail_loaded.emit(call_id)

    def _show_detail(self, detail: call_data.CallDetail | None) -> None:
        self.detail = detail
        c = colors()
        if detail is None:
            self._wanted = None
            self.header.setText("Select a call to see its transcript, summary and note.")
            self.transcript.clear()
            self.summary.clear()
            self._update_buttons()
            return
        call = detail.call
        handed = ", ".join(dict.fromkeys(
            " ".join(str(h.payload.get("destination") or "").split()) for h in detail.handoffs))
        # The status and the count worded as every view of a call words them (the exports'
        # header, `copilot calls show`): "interrupted (cut off ...)", "1 line".
        self.header.setText(
            f"<b>{_esc(call_label(call))}</b><br>"
            f"Started {local_time(call.started_at, '%Y-%m-%d %H:%M:%S')} · "
            f"{duration(call.duration)} · {_esc(export.status_text(call.status))} · "
            f"{plural(call.segment_count, 'line')}"
            + (f" · handed to {_esc(handed)} (see Summary and notes)" if handed else ""))
        self.transcript.setHtml(transcript_html(detail.segments, detail.translations, c,
                                                detail.actions))
        parts = [f"<h3 style='color:{c.text}'>Summary</h3>",
                 summary_html(detail.summary.sections if detail.summary else None, c),
                 handoffs_html(detail.handoffs, c),
                 f"<h3 style='color:{c.text}'>After-call note</h3>"]
        if detail.note is None:
            parts.append(f"<p style='color:{c.muted}'>No note was stored for this call.</p>")
        else:
            parts.append(note_html(detail.note.note, detail.note.disposition,
                                   detail.note.edited, c, detail.note.saved))
        self.summary.setHtml("".join(parts))
        self._update_buttons()

    def _update_buttons(self) -> None:
        has = self.detail is not None and not self.jobs.busy
        active = self.detail is not None and self.detail.call.status == ACTIVE
        self.edit_button.setEnabled(has and not active)
        self.export_button.setEnabled(has)
        self.delete_button.setEnabled(has and not active)
        self.delete_button.setToolTip(
            "The call is still being recorded; end it first" if active
            else "Erase this call, its transcript, summary and note")

    # -- export --

    def _ask_export_target(self, call: CallRow) -> tuple[Path, str] | None:
        """The file dialog; tests replace this method."""
        name = f"call-{call.id}.txt"
        path, chosen = QFileDialog.getSaveFileName(
            self, "Export call", str(Path.home() / name), ";;".join(EXPORT_FILTERS))
        if not path:
            return None
        target = Path(path)
        suffix = target.suffix.lower().lstrip(".")
        if suffix in export.FORMATS:
            return target, suffix  # the typed suffix wins over the filter
        fmt = EXPORT_FILTERS.get(chosen, "txt")
        return target.with_name(target.name + "." + fmt), fmt

    def _on_export_clicked(self) -> None:
        if self.detail is None:
            return
        target = self._ask_export_target(self.detail.call)
        if target is not None:
            self.export_to(*target)

    def export_to(self, path: Path, fmt: str) -> None:
        """Export the selected call to `path` in `fmt` (one of copilot.store.export.FORMATS)."""
        if self.detail is None:
            return
        call_id = self.detail.call.id
        self.status.setText(f"Exporting call {call_id}…")
        self.jobs.submit(lambda: call_data.export_call(self.db_path, call_id, fmt, Path(path),
                                                       self.store_options),
                         lambda out: self._on_exported(call_id, out), self._on_error)

    def _on_exported(self, call_id: int, out: Path) -> None:
        self.status.setText(f"Exported call {call_id} to {out}")
        self.exported.emit(call_id, str(out))

    # -- delete --

    def _confirm_delete(self, call: CallRow) -> bool:
        """Ask first; tests replace this method."""
        answer = QMessageBox.warning(
            self, "Delete call",
            f"Delete “{call_label(call)}” ({local_time(call.started_at)})?\n\n"
            "Its transcript, summary and note are erased from this computer. "
            "This cannot be undone.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    def _on_delete_clicked(self) -> None:
        if self.detail is not None and self._confirm_delete(self.detail.call):
            self.delete_selected()

    def delete_selected(self) -> None:
        """Erase the selected call (no question asked: the button asks first)."""
        if self.detail is None:
            return
        call_id = self.detail.call.id
        self.status.setText(f"Erasing call {call_id}…")
        self.jobs.submit(lambda: call_data.delete_call(self.db_path, call_id, self.store_options),
                         lambda _r: self._on_deleted(call_id, None),
                         lambda e: self._on_delete_error(call_id, e))

    def _on_delete_error(self, call_id: int, error: BaseException) -> None:
        if isinstance(error, EraseIncompleteError):
            self._on_deleted(call_id, str(error))  # the rows are gone; the residue goes later
        else:
            self._on_error(error)

    def _on_deleted(self, call_id: int, warning: str | None) -> None:
        self.status.setText(warning or f"Call {call_id} was deleted and erased.")
        self._show_detail(None)
        self.deleted.emit(call_id)
        self.refresh()

    # -- note --

    def edit_note(self) -> WrapUpDialog | None:
        """Open the wrap-up dialog on the selected call's note (modeless); returns it."""
        if self.detail is None:
            return None
        d = self.detail
        dialog = WrapUpDialog(self.db_path, d.call.id, draft=d.note, summary=d.summary,
                              codes=self.codes, title=call_label(d.call),
                              preselect=handed_over(d, self.codes), lines_used=d.lines_used,
                              store_options=self.store_options, parent=self)
        # Not deleted on close (a write it started may still report back to it): the next
        # edit replaces this one.
        if self.note_dialog is not None:
            self.note_dialog.deleteLater()
        self.note_dialog = dialog
        dialog.saved.connect(lambda note: self._on_note_saved(d.call.id, note))
        dialog.draft_kept.connect(lambda note: self._on_note_saved(d.call.id, note))
        dialog.failed.connect(self.status.setText)
        dialog.open()
        return dialog

    def _on_note_saved(self, call_id: int, note: AfterCallNote) -> None:
        self.status.setText(f"Note saved ({code_label(note.disposition)})." if note.saved else
                            "Changes kept as a draft with the call, not saved.")
        self.note_saved.emit(call_id, note)
        if self.selected_call_id() == call_id:
            self._load_detail(call_id)

    def _on_error(self, error: BaseException) -> None:
        message = str(error) or type(error).__name__
        self.status.setText(message)
        self.failed.emit(message)


def _esc(text: str) -> str:
    return escape(text)
