"""What the agent reads mid-call, the suggested lines and the knowledge cards, is fully visible
without scrolling at 1280x800, at 100 % and 150 % fonts, light and dark, even with a long summary;
the summary yields the room and can be folded (issue 15: cards were clipped under the summary)."""

from __future__ import annotations

import pytest
from dialog_screenshots import kept_look
from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QApplication, QWidget
from window_fakes import FakeRunner, cap, knowledge, sug, summary

from ui import call_runner as cr
from ui import theme
from ui.main_window import MainWindow

LONG = summary(3, "Charged twice for the phone bill this month and wants the extra payment back",
               facts=[f"Fact number {i}: something the customer said about the bill" for i in
                      range(12)])
SCRIPT = [
    cap("c2", "I was charged twice this month and I want the extra payment back", start=6.0),
    knowledge("c2", "BILL-01", "ROAM-01"),
    sug("c2", "I've filed a billing correction; the duplicate amount is refunded within five "
        "business days and you will get an email when it is done.", rank=1),
    sug("c2", "I'm not sure; let me check.", sources=(), rank=2),
    LONG,
]


def _inside(widget: QWidget, viewport: QWidget) -> bool:
    top = widget.mapTo(viewport, QPoint(0, 0))
    return (top.y() >= 0 and top.y() + widget.height() <= viewport.height()
            and top.x() >= 0 and top.x() + widget.width() <= viewport.width())


@pytest.mark.parametrize("scale", [1.0, 1.5])
@pytest.mark.parametrize("look", ["light", "dark"])
def test_lines_and_cards_are_fully_visible_at_1280x800(qtbot, look, scale):
    app = QApplication.instance()
    with kept_look(app):
        theme.apply(app, look, scale)
        holder: dict[str, FakeRunner] = {}

        def factory(post):
            holder["r"] = FakeRunner(post, script=SCRIPT, call_id=7)
            return holder["r"]

        window = MainWindow(factory, demo_wav="demo.wav", demo_script="demo.json")
        qtbot.addWidget(window)
        window.resize(1280, 800)
        window.show()
        qtbot.waitExposed(window)
        window.start_services()
        qtbot.waitUntil(lambda: window.state.phase == cr.READY)
        runner = holder["r"]
        window.call_bar.source.setCurrentText("Demo call")
        window.call_bar.start_button.click()
        qtbot.waitUntil(lambda: window.bridge.pending() == 0 and runner.thread is not None
                        and not runner.thread.is_alive() and window.summary.version == 3)
        viewport = window.assist.scroll.viewport()
        first_line = window.assist.visible_suggestions()[0]
        first_card = window.assist.cards[0]
        qtbot.waitUntil(lambda: _inside(first_line, viewport) and _inside(first_card, viewport))
        for w in (first_line.copy, first_line.used, first_line.dismiss, first_card.dismiss):
            assert _inside(w, viewport)
        assert window.summary.isVisible() and window.summary.height() > 0  # yielded, not gone
        assert window.summary.heading.text() == "Summary (v3)"
        # The agent decides: unfolded (or folded) by hand, it stays so.
        for _ in range(2):
            window.summary.fold.click()
            folded = window.summary.folded
            window.fit_assist()
            assert window.summary.folded == folded
            assert window.summary.scroll.isVisible() == (not folded)
