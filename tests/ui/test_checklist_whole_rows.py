"""The checklist is as tall as its items up to a bound, and then shows whole items only: the
bottom edge of its scrolling area never cuts an item (its box and text, the words that ticked it,
a flag) in half, and a scroll bar says there is more (issue 15's walk-through: a half-cut fifth
row at 1280x800). Checked in the window at 1280x800, 100 % and 150 %, light and dark, and on the
panel alone at the column widths those sizes give."""

from __future__ import annotations

import pytest
from dialog_screenshots import kept_look
from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QApplication
from test_checklist_wraps import DEMO, ITEMS
from test_room_for_cards import DEMO_SCRIPT, _replayed, _window

from copilot.events import ChecklistEvent
from ui import call_runner as cr
from ui import theme
from ui.panels.checklist_panel import ChecklistPanel


def _blocks(panel: ChecklistPanel) -> list[tuple[int, int]]:
    """Each item's (top, bottom) in the viewport: its line, and its detail and flag when
    shown; the checklist's title as a block of its own."""
    viewport = panel.body.viewport()
    out = []
    for cl in panel.lists.values():
        for row in cl.rows.values():
            parts = [row.label.parentWidget(), row.detail, row.flag]
            shown = [w for w in parts if w.isVisible()]
            out.append((min(w.mapTo(viewport, QPoint(0, 0)).y() for w in shown),
                        max(w.mapTo(viewport, QPoint(0, w.height())).y() for w in shown)))
    return out


def _no_item_cut(panel: ChecklistPanel) -> None:
    height = panel.body.viewport().height()
    blocks = _blocks(panel)
    assert blocks
    for top, bottom in blocks:
        # Whole in view, or wholly below its bottom edge: never cut in half.
        assert bottom <= height or top >= height, (top, bottom, height)
    if max(bottom for _top, bottom in blocks) > height:
        assert panel.body.verticalScrollBar().isVisible()  # there is more: the bar says so


def _ticked(panel: ChecklistPanel) -> None:
    for item in ("agent-name", "recorded-line"):
        panel.show_event(ChecklistEvent("tick", DEMO.id, 2.0, item=item, of="c1",
                                        text="My name is Sam.", words="My name is Sam",
                                        by="copilot", score=0.8))


def _shown(qtbot, width: int) -> ChecklistPanel:
    """A checklist panel alone, `width` wide, shown (its items not yet given)."""
    panel = ChecklistPanel()
    qtbot.addWidget(panel)
    panel.resize(width, 400)
    panel.show()
    qtbot.waitExposed(panel)
    return panel


@pytest.mark.parametrize("scale", [1.0, 1.5])
@pytest.mark.parametrize("width", [400, 620])  # the column at 150 % and at 100 % of 1280x800
def test_the_panel_alone_shows_whole_items(qtbot, scale, width):
    with kept_look(QApplication.instance()):
        theme.apply(QApplication.instance(), "light", scale)
        panel = _shown(qtbot, width)
        panel.show_event(ITEMS)
        _ticked(panel)
        qtbot.waitUntil(lambda: panel.body.height() > 0)
        qtbot.wait(50)  # the deferred fits
        _no_item_cut(panel)
        assert panel.body.verticalScrollBar().value() == 0


@pytest.mark.parametrize("scale", [1.0, 1.5])
@pytest.mark.parametrize("look", ["light", "dark"])
def test_in_the_window_at_1280x800_no_item_is_cut_in_half(qtbot, look, scale):
    with kept_look(QApplication.instance()):
        theme.apply(QApplication.instance(), look, scale)
        # the items, the greeting, its ticks
        window, _ = _replayed(qtbot, DEMO_SCRIPT[:5])
        panel = window.checklist
        qtbot.waitUntil(lambda: panel.isVisible() and panel.body.height() > 0)
        qtbot.wait(200)  # every deferred fit has run
        assert not panel.folded  # nothing else needs the room yet
        _no_item_cut(panel)


def test_folded_it_says_what_unfolding_takes_from_the_column(qtbot):
    """The window folds the checklist when the lines and cards need its room and unfolds it
    when they fit beside it (ui/checklist_flow.py): the height the folded panel says it needs
    is the height unfolding takes, or the window folded and unfolded it on and on."""
    with kept_look(QApplication.instance()):
        theme.apply(QApplication.instance(), "light", 1.5)
        window, holder = _window(qtbot, DEMO_SCRIPT[:5])
        window.resize(1280, 800)
        window.show()
        qtbot.waitExposed(window)
        window.start_services()
        qtbot.waitUntil(lambda: window.state.phase == cr.READY)
        window.start_call(cr.CallSource(cr.FILE, path="resources/calls/demo_call.wav"))
        panel = window.checklist
        qtbot.waitUntil(lambda: panel.isVisible() and panel.body.height() > 0)
        qtbot.wait(100)
        assert not panel.folded
        unfolded = sum(window.right_split.sizes())
        panel.fold.click()  # the agent's: the window leaves it folded
        qtbot.waitUntil(lambda: sum(window.right_split.sizes()) > unfolded)
        qtbot.wait(50)
        assert panel.folded
        assert panel.unfolded_height() == sum(window.right_split.sizes()) - unfolded


# Three items long enough to wrap onto several lines in a narrow column: on one line each they
# would fit under the bound, wrapped they do not.
LONG_ITEMS = ChecklistEvent("items", "long", 0.0, items=tuple(
    {"id": f"item-{n}", "text": text} for n, text in enumerate((
        "Tell the customer that the call is recorded for quality and training purposes",
        "Verify the caller with the account number and the PIN before discussing the account",
        "Ask whether there is anything else you can help with before you say goodbye"))))


@pytest.mark.parametrize("scale", [1.0, 1.5])
def test_items_that_came_while_folded_show_whole_when_unfolded(qtbot, scale):
    with kept_look(QApplication.instance()):
        theme.apply(QApplication.instance(), "dark", scale)
        panel = _shown(qtbot, 260)
        panel.show_event(ChecklistEvent("items", "short", 0.0,
                                        items=({"id": "name", "text": "Give your name"},)))
        qtbot.wait(50)
        panel.fold.click()  # the agent folds it; a second checklist's items come meanwhile
        panel.show_event(LONG_ITEMS)
        qtbot.wait(50)
        panel.fold.click()  # and shows them
        qtbot.wait(50)
        _no_item_cut(panel)
        assert panel.body.verticalScrollBar().value() == 0


def _wheel(qtbot, panel: ChecklistPanel, notches: int) -> None:
    from PySide6.QtCore import QPointF, Qt
    from PySide6.QtGui import QWheelEvent

    viewport = panel.body.viewport()
    pos = QPointF(viewport.width() / 2, viewport.height() / 2)
    event = QWheelEvent(pos, viewport.mapToGlobal(pos), QPoint(0, 0), QPoint(0, 120 * notches),
                        Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier,
                        Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(viewport, event)


@pytest.mark.parametrize("scale", [1.0, 1.5])
def test_the_wheel_scrolls_an_item_at_a_time_and_cuts_none_at_the_top(qtbot, scale):
    with kept_look(QApplication.instance()):
        theme.apply(QApplication.instance(), "light", scale)
        panel = _shown(qtbot, 400)
        panel.show_event(ITEMS)
        _ticked(panel)
        qtbot.waitUntil(lambda: panel.body.height() > 0)
        qtbot.wait(50)
        bar = panel.body.verticalScrollBar()
        assert bar.maximum() > 0  # more items than the bound shows
        seen = [bar.value()]
        for _ in range(12):  # down to the end, one notch at a time
            _wheel(qtbot, panel, -1)
            seen.append(bar.value())
            if bar.value() < bar.maximum():
                # The top edge is at the gap above an item: none is cut there.
                assert all(top >= 0 or bottom <= 0 for top, bottom in _blocks(panel)), seen
            # Nor at the bottom: below the last whole item the area is masked.
            viewport = panel.body.viewport()
            shown = (viewport.mask().boundingRect().height() if not viewport.mask().isEmpty()
                     else viewport.height())
            assert all(bottom <= shown or top >= shown for top, bottom in _blocks(panel)), seen
        assert seen[-1] == bar.maximum() and seen == sorted(seen)
        assert len(set(seen)) > 2  # an item at a time, not the whole way at once
        blocks = _blocks(panel)
        assert max(bottom for _t, bottom in blocks) <= panel.body.viewport().height()
        for _ in range(12):
            _wheel(qtbot, panel, 1)
        assert bar.value() == 0
