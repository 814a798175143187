"""A checklist item's text wraps instead of widening the column: at 150 % on a 1280x800 screen
(853x533 logical pixels) the bold "required, not done" items at the end of the demo call were
wider than the checklist's column (407 vs 382 px), and the items scrolled 12 px sideways with no
scroll bar, cutting off their left edge. Each item is a box without text and a word-wrapped
label beside it; clicking the label, or Space on the box, ticks it, and the box keeps the
item's accessible name."""

from __future__ import annotations

from pathlib import Path

import pytest
from dialog_screenshots import kept_look
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QWidget
from window_fakes import FakeRunner, cap

from copilot.assist.checklist.format import load_checklists
from copilot.events import ChecklistEvent
from ui import call_runner as cr
from ui import theme
from ui.main_window import MainWindow
from ui.panels.checklist_panel import ChecklistPanel

REPO = Path(__file__).resolve().parents[2]
SCALED_SCREEN = (853, 533)  # 1280x800 at QT_SCALE_FACTOR=1.5: what Qt lays the window out in
(DEMO,) = load_checklists(REPO / "resources" / "checklists" / "northwind_support.toml")
ITEMS = ChecklistEvent("items", DEMO.id, 0.0, text=DEMO.title, items=tuple(
    {"id": i.id, "text": i.text, "required": i.required,
     **({"after": i.after} if i.after else {}),
     **({"conditional": True} if i.when is not None else {})} for i in DEMO.items))
REQUIRED_OPEN = ("retention-offer", "anything-else")  # the longest texts, in bold at the end


def _script() -> list:
    return [ITEMS,
            cap("c1", "Thank you for calling Northwind Mobile. My name is Sam.", channel="agent",
                start=0.5),
            *[ChecklistEvent("tick", DEMO.id, 2.0, item=i, of="c1", text="My name is Sam.",
                             words="My name is Sam", by="copilot", score=0.8)
              for i in ("agent-name", "recorded-line", "verify-identity")],
            cap("c2", "I want to cancel my plan, it costs too much.", start=6.0),
            ChecklistEvent("applies", DEMO.id, 8.0, item="retention-offer", of="c2",
                           text="I want to cancel my plan.", words="I want to cancel my plan"),
            ChecklistEvent("end", DEMO.id, 60.0, open=REQUIRED_OPEN)]


def _outside(widget: QWidget, viewport: QWidget) -> bool:
    left = widget.mapTo(viewport, QPoint(0, 0)).x()
    return left < 0 or left + widget.width() > viewport.width()


@pytest.mark.parametrize("look", ["light", "dark"])
def test_after_the_demo_call_at_150_percent_no_item_is_wider_than_the_column(qtbot, look):
    app = QApplication.instance()
    with kept_look(app):
        theme.apply(app, look, 1.0)
        holder: dict[str, FakeRunner] = {}

        def factory(post):
            holder["r"] = FakeRunner(post, script=_script(), call_id=7)
            return holder["r"]

        window = MainWindow(factory, demo_wav="demo.wav", demo_script="demo.json")
        qtbot.addWidget(window)
        window.resize(*SCALED_SCREEN)
        window.show()
        qtbot.waitExposed(window)
        window.start_services()
        qtbot.waitUntil(lambda: window.state.phase == cr.READY)
        window.call_bar.source.setCurrentText("Demo call")
        window.call_bar.start_button.click()
        runner = holder["r"]
        panel = window.checklist
        qtbot.waitUntil(lambda: window.bridge.pending() == 0 and runner.thread is not None
                        and not runner.thread.is_alive() and panel.alert.isVisible())
        assert (window.width(), window.height()) == SCALED_SCREEN
        assert not panel.folded  # what must still be said is in sight
        for item in REQUIRED_OPEN:
            assert "700" in panel.row(item).label.styleSheet()  # the bold items
        viewport = panel.body.viewport()
        bar = panel.body.horizontalScrollBar()
        rows = [panel.row(i.id) for i in DEMO.items]

        def whole(label: QWidget) -> bool:  # shown, its text on as many lines as it takes
            return label.isVisible() and label.height() >= label.heightForWidth(label.width())

        # Once the layout has settled, every text is shown whole, nothing sticks out of the
        # column and nothing scrolled sideways.
        qtbot.waitUntil(lambda: all(whole(r.label) for r in rows)
                        and panel.items.width() <= viewport.width())
        assert bar.maximum() == 0 and bar.value() == 0
        for row in rows:
            for w in (row.box, row.label, row.detail, row.flag):
                if w.isVisible():
                    assert not _outside(w, viewport), (row.id, w, w.width(), viewport.width())
        # the longest bold item took a second line rather than the column's edge
        long = panel.row("retention-offer").label
        assert long.height() >= 2 * long.fontMetrics().lineSpacing()


@pytest.fixture
def panel(qtbot):
    p = ChecklistPanel()
    qtbot.addWidget(p)
    p.resize(260, 300)
    p.show()
    qtbot.waitExposed(p)
    p.show_event(ITEMS)
    return p


def test_a_long_item_wraps_onto_more_lines_in_a_narrow_column(panel, qtbot):
    row = panel.row("retention-offer")
    one_line = row.label.fontMetrics().lineSpacing()
    qtbot.waitUntil(lambda: row.label.height() >= 2 * one_line)
    viewport = panel.body.viewport()
    assert panel.items.width() <= viewport.width()
    assert panel.body.horizontalScrollBar().maximum() == 0
    assert not _outside(row.label, viewport)


def test_the_label_shows_the_text_and_the_box_keeps_the_accessible_name(panel):
    text = DEMO.item("recorded-line").text
    row = panel.row("recorded-line")
    assert row.label.text() == text and row.label.wordWrap()
    assert row.box.text() == ""
    assert row.box.accessibleName() == f"checklist item: {text}"
    assert not DEMO.item("agent-name").required
    assert panel.row("agent-name").label.text() == DEMO.item("agent-name").text + "  (optional)"


def test_clicking_the_label_ticks_and_unticks_the_item(panel, qtbot):
    row = panel.row("verify-identity")
    with qtbot.waitSignal(panel.toggled) as sent:
        qtbot.mouseClick(row.label, Qt.MouseButton.LeftButton)
    assert sent.args == [DEMO.id, "verify-identity", True]
    assert row.box.isChecked() and row.done and row.detail.text() == "Ticked by you"
    with qtbot.waitSignal(panel.toggled) as sent:
        qtbot.mouseClick(row.label, Qt.MouseButton.LeftButton)
    assert sent.args == [DEMO.id, "verify-identity", False] and not row.box.isChecked()


def test_the_keyboard_ticks_the_item_from_its_box(panel, qtbot):
    row = panel.row("recorded-line")
    assert row.box.focusPolicy() & Qt.FocusPolicy.TabFocus
    row.box.setFocus()
    with qtbot.waitSignal(panel.toggled) as sent:
        qtbot.keyClick(row.box, Qt.Key.Key_Space)
    assert sent.args == [DEMO.id, "recorded-line", True] and row.done
