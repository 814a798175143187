"""Progress across practice sessions: per scenario, attempts and scores, a chart of the scores
over time, the sessions themselves and how each criterion went.

Fed with what PracticeServices.progress() read on the worker thread; nothing here touches the
database.
"""

from __future__ import annotations

from datetime import datetime
from html import escape
from typing import Any

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.panels.practice.render import MARKS
from ui.theme import LIGHT, Colors


def _word(status: str) -> str:
    """A rule's status as the checklist words it ("avoided", not "clear")."""
    return MARKS.get(status, ("", status))[1]


SCENARIO_COLUMNS = ("Scenario", "Sessions", "Passed", "First", "Last", "Best", "Trend")
SESSION_COLUMNS = ("Date", "Score", "Result", "Facts ✓ / ✗", "Median reply")


def _pct(x: float) -> str:
    return f"{x:.0%}"


def local_time(iso: str) -> str:
    """A stored UTC time as the trainee's local date and time, to the minute."""
    try:
        return datetime.fromisoformat(iso).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return iso


class ScoreChart(QWidget):
    """Scores of one scenario's sessions, oldest first: a line from 0 to 100 %."""

    def __init__(self, colors: Colors = LIGHT, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.colors = colors
        self.scores: list[tuple[float, bool]] = []  # (score, passed)
        self.setMinimumHeight(120)
        self.setAccessibleName("scores over time")

    def set_scores(self, scores: list[tuple[float, bool]]) -> None:
        self.scores = list(scores)
        self.setToolTip(", ".join(_pct(s) for s, _ in self.scores))
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        c = self.colors
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        fm = p.fontMetrics()
        left = fm.horizontalAdvance("100 %") + 8
        area = QRectF(left, fm.height() / 2 + 2, self.width() - left - 12,
                      self.height() - fm.height() - 8)
        p.fillRect(self.rect(), QColor(c.panel))
        for frac in (0.0, 0.5, 1.0):
            y = area.bottom() - frac * area.height()
            p.setPen(QPen(QColor(c.border), 1))
            p.drawLine(QPointF(area.left(), y), QPointF(area.right(), y))
            p.setPen(QColor(c.faint))
            p.drawText(QRectF(0, y - fm.height() / 2, left - 6, fm.height()),
                       int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                       f"{frac:.0%}".replace("%", " %"))
        if not self.scores:
            p.setPen(QColor(c.faint))
            p.drawText(area, int(Qt.AlignmentFlag.AlignCenter), "no sessions yet")
            return
        n = len(self.scores)
        step = area.width() / max(n - 1, 1)
        points = [QPointF(area.left() + (i * step if n > 1 else area.width() / 2),
                          area.bottom() - s * area.height()) for i, (s, _) in enumerate(self.scores)]
        p.setPen(QPen(QColor(c.accent), 2))
        for a, b in zip(points, points[1:], strict=False):
            p.drawLine(a, b)
        for pt, (_, passed) in zip(points, self.scores, strict=True):
            p.setPen(QPen(QColor(c.panel), 1))
            p.setBrush(QColor(c.ok if passed else c.signal))
            p.drawEllipse(pt, 4.5, 4.5)


class ProgressView(QWidget):
    refresh_requested = Signal()

    def __init__(self, colors: Colors = LIGHT, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.colors = colors
        self.progress: list[Any] = []  # copilot.practice.store.ScenarioProgress
        self.sessions: list[Any] = []  # SessionRow, newest first
        self.scenarios = self._table(SCENARIO_COLUMNS)
        self.scenarios.setAccessibleName("scenarios practised")
        self.scenarios.itemSelectionChanged.connect(self._selected)
        self.chart = ScoreChart(colors)
        self.history = self._table(SESSION_COLUMNS)
        # The date whole (at 150 % it was cut to "2026-…"): the last column takes what is left.
        header = self.history.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self._prefer: str | None = None  # the scenario to show at the next data
        self.history.setAccessibleName("sessions of this scenario")
        self.criteria = QLabel("")
        self.criteria.setWordWrap(True)
        self.criteria.setTextFormat(Qt.TextFormat.RichText)
        self.empty = QLabel("No practice sessions stored yet: finish a practice call and its "
                            "scorecard shows up here.")
        self.empty.setObjectName("muted")
        self.empty.setWordWrap(True)
        refresh = QPushButton("Refresh")
        refresh.clicked.connect(self.refresh_requested)

        head = QHBoxLayout()
        title = QLabel("Progress across sessions")
        title.setObjectName("heading")
        head.addWidget(title)
        head.addStretch(1)
        head.addWidget(refresh)
        detail = QWidget()
        dl = QVBoxLayout(detail)
        dl.setContentsMargins(0, 0, 0, 6)
        self.detail_title = QLabel("")
        self.detail_title.setObjectName("heading")
        dl.addWidget(self.detail_title)
        self.criteria_title = QLabel("Criteria across sessions")
        self.criteria_title.setObjectName("heading")
        dl.addWidget(self.chart, 2)
        dl.addWidget(self.history, 2)
        dl.addWidget(self.criteria_title)
        dl.addWidget(self.criteria)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.scenarios)
        split.addWidget(detail)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setChildrenCollapsible(False)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 4, 0, 0)
        lay.addLayout(head)
        lay.addWidget(self.empty)
        lay.addWidget(split, 1)

    @staticmethod
    def _table(columns: tuple[str, ...]) -> QTableWidget:
        t = QTableWidget(0, len(columns))
        t.setHorizontalHeaderLabels(list(columns))
        t.verticalHeader().hide()
        t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        t.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        t.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        t.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        return t

    def show_data(self, data: dict[str, Any]) -> None:
        """`data`: {"progress": [ScenarioProgress], "sessions": [SessionRow]}."""
        keep, self._prefer = self._prefer or self.selected_scenario(), None
        self.progress, self.sessions = list(data["progress"]), list(data["sessions"])
        self.empty.setVisible(not self.progress)
        t = self.scenarios
        t.setRowCount(len(self.progress))
        for row, p in enumerate(self.progress):
            cells = (p.title, str(p.attempts), str(p.passed), _pct(p.first_score),
                     _pct(p.last_score), _pct(p.best_score), f"{p.trend:+.0%}")
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, p.scenario_id)
                t.setItem(row, col, item)
        ids = [p.scenario_id for p in self.progress]
        if ids:
            t.selectRow(ids.index(keep) if keep in ids else 0)
        self._selected()

    def selected_scenario(self) -> str | None:
        items = self.scenarios.selectedItems()
        return items[0].data(Qt.ItemDataRole.UserRole) if items else None

    def prefer(self, scenario_id: str) -> None:
        """Show `scenario_id` when the data next comes (the one just practised: Progress
        opened on the first scenario whatever the trainee had practised)."""
        self._prefer = scenario_id

    def select_scenario(self, scenario_id: str) -> None:
        for row, p in enumerate(self.progress):
            if p.scenario_id == scenario_id:
                self.scenarios.selectRow(row)

    def _selected(self) -> None:
        sid = self.selected_scenario()
        p = next((x for x in self.progress if x.scenario_id == sid), None)
        rows = [s for s in self.sessions if s.scenario_id == sid]  # newest first
        self.detail_title.setText(f"{p.title}: scores over time" if p else "")
        self.chart.set_scores([(s.score, s.passed) for s in reversed(rows)])
        self.history.setRowCount(len(rows))
        for r, s in enumerate(rows):
            median = "–" if s.median_response is None else f"{s.median_response:.1f} s"
            result = "passed" if s.passed else ("stopped" if not s.completed else "not passed")
            cells = (local_time(s.started_at), _pct(s.score), result,
                     f"{s.facts_correct} / {s.facts_wrong}", median)
            for col, text in enumerate(cells):
                self.history.setItem(r, col, QTableWidgetItem(text))
        c = self.colors
        lines = [f'<span style="color:{c.ok if x.ok == x.attempts else c.signal}">'
                 f"{x.ok}/{x.attempts}</span> {escape(x.label)} "
                 f'<span style="color:{c.faint}">(last: {escape(_word(x.last_status))})</span>'
                 for x in (p.criteria if p else ())]
        self.criteria.setText("<br>".join(lines))
        self.criteria_title.setVisible(bool(lines))
