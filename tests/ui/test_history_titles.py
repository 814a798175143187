"""The history's call titles are readable (issue 15's walk-through: at 900x476 the Title column
was about 17 characters wide between the date, the duration and the status, and every title was
cut to "Duplicate c…"). The title is what the agent looks for: its column takes the list's spare
width and a long title wraps onto more lines of its row, whole, at the sizes the walk-through
named (900x476, and 853x533: a 1280x800 screen at 150 %) and at 150 % text; the dialog opens
larger when the screen has room for it, never larger than the screen."""

from __future__ import annotations

import pytest
from dialog_calls import fill
from dialog_screenshots import kept_look
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from copilot.store.db import CallStore
from ui import theme
from ui.dialogs.history import TITLE, HistoryDialog

LONG_TITLES = ("Customer disputes a roaming charge from a trip to Mexico and Canada last month",
               "Cancellation request after a price increase, retention offer declined")


@pytest.fixture
def db(tmp_path, testdata):
    path = tmp_path / "calls.sqlite3"
    fill(path, testdata)
    with CallStore(path) as store:
        for title in LONG_TITLES:
            store.end_call(store.start_call("headset", title=title))
    return path


def _opened(qtbot, path, size=None) -> HistoryDialog:
    d = HistoryDialog(path)
    qtbot.addWidget(d)
    with qtbot.waitSignals([d.calls_loaded, d.detail_loaded]):
        d.show()
    qtbot.waitExposed(d)
    if size is not None:
        qtbot.wait(50)  # its fit to the screen once shown (ui/screen_fit.py) has run
        d.resize(*size)
        qtbot.waitUntil(lambda: (d.width(), d.height()) == size)
    return d


def _title_shown_whole(d: HistoryDialog, row: int) -> bool:
    """The row is tall enough for its title wrapped at the Title column's width, and no word
    is wider than the column: nothing of it is elided."""
    tree = d.list
    item = tree.topLevelItem(row)
    text = item.text(TITLE)
    fm = tree.fontMetrics()
    # The text's room in the cell: the column less the delegate's margins on each side.
    margin = tree.style().pixelMetric(tree.style().PixelMetric.PM_FocusFrameHMargin) + 1
    room = tree.columnWidth(TITLE) - 2 * margin
    needed = fm.boundingRect(QRect(0, 0, room, 10_000),
                             int(Qt.TextFlag.TextWordWrap), text).height()
    widest = max(fm.horizontalAdvance(word) for word in text.split())
    cell = tree.visualRect(tree.indexFromItem(item, TITLE))
    return widest <= room and cell.height() >= needed


@pytest.mark.parametrize("size", [(900, 476), (853, 533)])
@pytest.mark.parametrize("scale", [1.0, 1.5])
def test_every_title_shows_whole_at_the_walk_throughs_sizes(qtbot, db, size, scale):
    with kept_look(QApplication.instance()):
        theme.apply(QApplication.instance(), "light", scale)
        d = _opened(qtbot, db, size)
        tree = d.list
        assert tree.topLevelItemCount() == 5
        qtbot.waitUntil(lambda: all(_title_shown_whole(d, r) for r in range(5)))
        # The title has the list's width to itself: wider than the date, the length and the
        # status, and the list is not squeezed by the transcript beside it.
        others = [tree.columnWidth(c) for c in range(tree.columnCount()) if c != TITLE]
        assert tree.columnWidth(TITLE) > max(others)
        assert tree.horizontalScrollBar().maximum() == 0  # nothing hides at the right
        # Each title still has its tooltip, with the recording's source.
        assert tree.topLevelItem(0).toolTip(TITLE).startswith(tree.topLevelItem(0).text(TITLE))


def test_dragging_the_splitter_wraps_the_titles_again(qtbot, db):
    d = _opened(qtbot, db, (900, 476))
    split = d.list.parentWidget()
    total = sum(split.sizes())
    split.setSizes([total // 4, total - total // 4])  # the agent gives the transcript room
    qtbot.waitUntil(lambda: all(_title_shown_whole(d, r) for r in range(5)))
    split.setSizes([total // 2, total - total // 2])
    qtbot.waitUntil(lambda: all(_title_shown_whole(d, r) for r in range(5)))


def test_it_opens_larger_than_before_within_the_screen(qtbot, db):
    area = QGuiApplication.primaryScreen().availableGeometry()
    d = _opened(qtbot, db)
    assert d.width() <= area.width() and d.height() <= area.height()
    fm = d.fontMetrics()
    # Larger than the 150 x 34 characters it opened at, where the screen has the room.
    assert d.width() >= min(fm.averageCharWidth() * 170, area.width() - 40)
    assert d.height() >= min(fm.lineSpacing() * 42, area.height() - 60)
