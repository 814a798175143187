"""Calls > Reports: the supervisor's view of this desk (issue 16, part 2) in the window.

The same report as `copilot report`: copilot/report builds it (the store's calls to metrics,
DuckDB's figures, matplotlib's charts) on the dialog's worker thread, and this dialog only lays
the finished tables and chart images out. The report holds counts, times, codes, and the site's
own passage ids and titles and checklist items' words: no transcript text can reach this view.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QPixmap, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from copilot.report import Report, ReportError, SourceError
from copilot.report.figures import Table
from copilot.report.render import (
    PRIVACY,
    TILES,
    cell_text,
    cells,
    column_label,
    scope_line,
)
from copilot.store.options import StoreOptions
from ui import screen_fit, theme
from ui.dialogs.report_build import Built, build, message_for, write_html
from ui.dialogs.text import colors
from ui.jobs import Jobs

log = logging.getLogger(__name__)

# (label, days); None: every call, as `copilot report` without --since.
PERIODS: tuple[tuple[str, int | None], ...] = (
    ("Last 7 days", 7), ("Last 30 days", 30), ("Last 90 days", 90), ("All calls", None))

# Tabs and the report tables they show, in the HTML report's order. A table the report adds
# that is not listed (a site's per-team figures) goes to "More"; the key figures come last.
TABS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Calls per &day", ("per_day",)),
    ("Calls per &hour", ("per_hour",)),  # instead, when every call was on one day
    ("Chec&klists", ("checklists",)),
    ("&Suggestions", ("assistance", "origins")),
    # (one tab each: both charts and tables in one scrolled at 1366x768)
    ("Passages &used", ("passages_used",)),
    ("Passages dismiss&ed", ("passages_dismissed",)),
    ("Customer si&gnals", ("signals",)),
    ("D&ispositions", ("dispositions",)),
)

def chart_style(c: theme.Colors) -> dict[str, str]:
    """matplotlib colours for the window's theme: the charts sit on a panel like the cards,
    with the theme's text colours (the bars keep the report's own colours)."""
    return {"figure.facecolor": c.panel, "axes.facecolor": c.panel, "text.color": c.text,
            "axes.labelcolor": c.text, "axes.edgecolor": c.faint, "xtick.color": c.muted,
            "ytick.color": c.muted}


class ReportsDialog(QDialog):
    """ReportsDialog(db_path, store_options=None, parent=None): the desk report over a period.

    Signals: loaded(Report) once a report is shown (empty or not), failed(str message),
    exported(str path), progress(str) (the engine's progress, from the worker thread).
    """

    loaded = Signal(object)
    failed = Signal(str)
    exported = Signal(str)
    progress = Signal(str)

    def __init__(self, db_path: Path, *, store_options: StoreOptions | None = None,
                 days: int | None = 7, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db_path = Path(db_path)
        self.store_options = store_options  # plain or encrypted, as the history opens it
        self.built: Built | None = None
        self.error: str | None = None
        self._generation = 0  # a result for an earlier period choice is dropped
        self.jobs = Jobs(self, name="reports")
        self.jobs.busy_changed.connect(self._on_busy)
        self.progress.connect(self._on_progress)
        self.setWindowTitle("Desk report")
        self.setObjectName("reportsDialog")
        self._build_ui(days)
        fm = self.fontMetrics()
        # As wide as the widest table (the checklist items' words) and as tall as the screen
        # allows: at 840x616 every table scrolled (a supervisor's walk-through). No larger
        # than the screen: Export and Close stay on it (ui/screen_fit.py).
        screen_fit.resize_within_screen(self, fm.averageCharWidth() * 170, fm.lineSpacing() * 72)
        self.refresh()

    @property
    def report(self) -> Report | None:
        return self.built.report if self.built is not None else None

    # -- layout --

    def _build_ui(self, days: int | None) -> None:
        root = QVBoxLayout(self)
        top = QHBoxLayout()
        label = QLabel("&Period:")
        self.period = QComboBox()
        self.period.setObjectName("period")
        for text, d in PERIODS:
            self.period.addItem(text, d)
        self.period.setCurrentIndex(next((i for i, (_t, d) in enumerate(PERIODS) if d == days),
                                         0))
        label.setBuddy(self.period)
        self.period.currentIndexChanged.connect(lambda _i: self.refresh())
        top.addWidget(label)
        top.addWidget(self.period)
        self.busy = QProgressBar()
        self.busy.setObjectName("busy")
        self.busy.setRange(0, 0)  # no end known: the engine reports calls read, not a total
        self.busy.setTextVisible(False)
        self.busy.setMaximumWidth(self.fontMetrics().averageCharWidth() * 16)
        self.busy.hide()
        top.addWidget(self.busy)
        self.scope = QLabel("")  # beside the period: the tables keep a line's height
        self.scope.setObjectName("muted")
        self.scope.setWordWrap(True)
        top.addWidget(self.scope, 1)
        self.status = QLabel("")
        self.status.setObjectName("muted")
        top.addWidget(self.status)
        root.addLayout(top)

        self.stack = QStackedWidget()
        self.message = QLabel("")
        self.message.setObjectName("reportMessage")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message_page = QWidget()  # the message at the top, as tall as its text
        mv = QVBoxLayout(self.message_page)
        mv.setContentsMargins(0, 0, 0, 0)
        mv.addWidget(self.message)
        mv.addStretch(1)
        self.stack.addWidget(self.message_page)
        page = QWidget()
        pv = QVBoxLayout(page)
        pv.setContentsMargins(0, 0, 0, 0)
        self.tiles = QGridLayout()
        self.tile_values: dict[str, QLabel] = {}
        self.tile_frames = [self._tile(key, text) for key, text in TILES]
        self.tile_columns = 0
        self._lay_tiles()
        pv.addLayout(self.tiles)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("reportTabs")
        pv.addWidget(self.tabs, 1)
        self.stack.addWidget(page)
        root.addWidget(self.stack, 1)

        privacy = QLabel(PRIVACY)  # between the buttons: the tables keep its lines' height
        privacy.setObjectName("faint")
        privacy.setWordWrap(True)

        row = QHBoxLayout()
        self.export_button = QPushButton("&Export HTML…")
        self.export_button.setToolTip("Write this report as the HTML page `copilot report` "
                                      "makes (charts included, nothing loaded from anywhere)")
        self.export_button.clicked.connect(self._on_export_clicked)
        close = QPushButton("Close")
        close.clicked.connect(self.accept)
        row.addWidget(self.export_button)
        row.addWidget(privacy, 1)
        row.addWidget(close)
        root.addLayout(row)
        self._update_buttons()

    def _lay_tiles(self) -> None:
        """The key figures in one row where each has room for its label in two lines, else in
        two rows of four (a large font): one row leaves the tables more height."""
        one_row = self.width() >= len(TILES) * self.fontMetrics().averageCharWidth() * 17
        columns = len(TILES) if one_row else 4
        if columns == self.tile_columns:
            return
        self.tile_columns = columns
        for i, frame in enumerate(self.tile_frames):
            self.tiles.removeWidget(frame)
            self.tiles.addWidget(frame, i // columns, i % columns)
        for c in range(len(TILES)):
            self.tiles.setColumnStretch(c, 1 if c < columns else 0)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self._lay_tiles()

    def _tile(self, key: str, text: str) -> QFrame:
        frame = QFrame()
        frame.setObjectName("card")
        v = QVBoxLayout(frame)
        value = QLabel("–")
        value.setObjectName(f"tile_{key}")
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        value.setFont(font)
        name = QLabel(text)
        name.setObjectName("muted")
        name.setWordWrap(True)  # at 200 % a label is wider than its quarter of the dialog
        v.addWidget(value)
        v.addWidget(name)
        v.addStretch(1)  # the figures in one row level, whether their label wraps or not
        self.tile_values[key] = value
        return frame

    # -- building the report --

    def days(self) -> int | None:
        return self.period.currentData()

    def refresh(self) -> None:
        """Build the report for the chosen period (the one on screen stays until it is done)."""
        self._generation += 1
        generation, days = self._generation, self.days()
        dpi, rc = self._chart_dpi(), chart_style(colors())
        db, options = self.db_path, self.store_options
        self.status.setText(f"Building the report ({self.period.currentText().lower()})…")
        self.jobs.submit(lambda: build(db, days, options, dpi=dpi, rc=rc, say=self._say),
                         lambda built: self._on_built(generation, built),
                         lambda error: self._on_error(generation, error))

    def _chart_dpi(self) -> float:
        """Pixels per inch for the charts: their 9-point text a little smaller than the
        window's (which the font scale sets), sharp on a high-density screen."""
        points = self.font().pointSizeF()
        if points <= 0:
            points = 10.0
        return self.logicalDpiY() * points / 10.0 * self.devicePixelRatioF()

    def _say(self, message: str) -> None:  # worker thread: a queued signal
        try:
            self.progress.emit(message)
        except RuntimeError:  # the dialog is gone meanwhile
            pass

    def _on_progress(self, message: str) -> None:
        if self.jobs.busy:
            self.status.setText(message[:1].upper() + message[1:] + "…")

    def _on_busy(self, busy: bool) -> None:
        self.busy.setVisible(busy)
        self.stack.setEnabled(not busy)  # greyed: what is on screen is the previous period's
        self._update_buttons()

    def _on_built(self, generation: int, built: Built) -> None:
        if generation != self._generation:
            return  # the supervisor chose another period meanwhile
        self.built, self.error = built, None
        report = built.report
        calls = report.figure("calls") or 0
        self.status.setText(f"Made at {datetime.now():%H:%M}.")
        scope = scope_line(report)
        self.scope.setText(scope[:1].upper() + scope[1:] + ".")
        if not calls:
            self._show_message("No calls stored on this desk yet." if built.days is None else
                               f"No calls in the {self.period.currentText().lower()}.")
        else:
            self._show_report(built)
        self._update_buttons()
        self.loaded.emit(report)

    def _on_error(self, generation: int, error: BaseException) -> None:
        if generation != self._generation:
            return
        if not isinstance(error, ReportError | SourceError):  # unexpected: to the log
            log.warning("the desk report failed", exc_info=error)
        message, is_error = message_for(error, self.db_path)
        self.built, self.error = None, message
        self.status.setText("")
        self.scope.setText("")
        self._show_message(message, error=is_error)
        self._update_buttons()
        self.failed.emit(message)

    def _show_message(self, text: str, *, error: bool = False) -> None:
        # flagNote: the theme's warning look; an empty period is news, not a warning.
        self.message.setObjectName("flagNote" if error else "muted")
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)
        self.message.setText(text)
        self.stack.setCurrentWidget(self.message_page)

    def _show_report(self, built: Built) -> None:
        report = built.report
        for key, value in self.tile_values.items():
            value.setText(cell_text(key, report.figure(key)))
        current = self.tabs.currentIndex()
        while self.tabs.count():
            page = self.tabs.widget(0)
            self.tabs.removeTab(0)
            page.deleteLater()
        listed = {name for _title, names in TABS for name in names} | {"overview"}
        more = tuple(n for n in report.tables if n not in listed)
        for title, names in (*TABS, ("&More", more), ("Key &figures", ("overview",))):
            tables = [report.tables[n] for n in names if n in report.tables]
            if tables:
                self.tabs.addTab(self._page(tables, built.charts), title)
        self.tabs.setCurrentIndex(max(0, min(current, self.tabs.count() - 1)))
        self.stack.setCurrentIndex(1)

    def _page(self, tables: list[Table], charts: Mapping[str, bytes]) -> QScrollArea:
        inner = QWidget()
        inner.setObjectName("root")  # the window's background behind the panels
        v = QVBoxLayout(inner)
        for t in tables:
            title = QLabel(t.title)
            font = QFont(self.font())
            font.setBold(True)
            title.setFont(font)
            v.addWidget(title)
            if t.note:  # the checklists' says why an empty one is empty
                label = QLabel(t.note)
                label.setObjectName("muted")
                label.setWordWrap(True)
                v.addWidget(label)
            left = Qt.AlignmentFlag.AlignLeft
            if t.name in charts:
                v.addWidget(self._chart(t, charts[t.name]), 0, left)
            if t.rows:
                v.addWidget(self._table(t), 0, left)
            elif t.name != "checklists":
                empty = QLabel("Nothing in this period.")
                empty.setObjectName("muted")
                v.addWidget(empty)
            v.addSpacing(self.fontMetrics().lineSpacing())
        v.addStretch(1)
        area = QScrollArea()
        area.setWidgetResizable(True)
        area.setWidget(inner)
        return area

    def _chart(self, t: Table, png: bytes) -> QLabel:
        pixmap = QPixmap()
        pixmap.loadFromData(png, "PNG")
        pixmap.setDevicePixelRatio(self.devicePixelRatioF())
        label = QLabel()
        label.setObjectName(f"chart_{t.name}")
        label.setPixmap(pixmap)
        label.setAccessibleName(f"Chart: {t.title}")
        label.setToolTip(f"{t.title}: the figures are in the table below")
        return label

    def _table(self, t: Table) -> QTableWidget:
        table = QTableWidget(len(t.rows), len(t.columns))
        table.setObjectName(f"table_{t.name}")
        table.setHorizontalHeaderLabels([column_label(c) for c in t.columns])
        table.verticalHeader().hide()
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setAlternatingRowColors(True)
        right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        for r, row in enumerate(t.rows):
            for c, (value, text) in enumerate(zip(row, cells(t, row), strict=True)):
                item = QTableWidgetItem(text)
                if isinstance(value, int | float) and not isinstance(value, bool):
                    item.setTextAlignment(right)
                table.setItem(r, c, item)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(False)
        # The page scrolls, not each table: every row and column shown, the table as large as
        # its contents (a narrow window scrolls the page sideways).
        table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        table.resizeColumnsToContents()
        table.resizeRowsToContents()
        frame = 2 * table.frameWidth()
        table.setFixedSize(
            frame + sum(table.columnWidth(i) for i in range(table.columnCount())),
            frame + header.sizeHint().height()
            + sum(table.rowHeight(i) for i in range(table.rowCount())))
        return table

    # -- export --

    def _update_buttons(self) -> None:
        self.export_button.setEnabled(self.built is not None and not self.jobs.busy)

    def _ask_export_target(self) -> Path | None:
        """The file dialog; tests replace this method."""
        name = f"desk-report-{datetime.now():%Y-%m-%d}.html"
        path, _chosen = QFileDialog.getSaveFileName(self, "Export report",
                                                    str(Path.home() / name),
                                                    "HTML page (*.html)")
        if not path:
            return None
        target = Path(path)
        return target if target.suffix.lower() in (".html", ".htm") else \
            target.with_name(target.name + ".html")

    def _on_export_clicked(self) -> None:
        target = self._ask_export_target()
        if target is not None:
            self.export_to(target)

    def export_to(self, path: Path) -> None:
        """Write the report on screen as `copilot report --format html` would."""
        if self.built is None:
            return
        report = self.built.report
        self.status.setText(f"Writing {path.name}…")
        self.jobs.submit(lambda: write_html(report, Path(path)), self._on_exported,
                         self._on_export_error)

    def _on_exported(self, path: Path) -> None:
        self.status.setText(f"Report written to {path}")
        self.exported.emit(str(path))

    def _on_export_error(self, error: BaseException) -> None:
        if not isinstance(error, ReportError):
            log.warning("writing the report failed", exc_info=error)
        message = str(error) or type(error).__name__
        self.status.setText(message[:1].upper() + message[1:])
        self.failed.emit(message)

    def done(self, result: int) -> None:
        self.jobs.close()  # a report still being built is dropped with the dialog
        super().done(result)
