"""At QT_SCALE_FACTOR=1.5 a 1280x800 screen is 853x533 logical pixels: during the demo call the
suggested line and its knowledge card (answer sentence and Copy/Used/Dismiss) are fully visible
without scrolling, light and dark, beside the menus, the call bar of a replayed recording, the
customer signal and the checklist; the summary and the checklist yield the room (issue 15: the
card was cut off right after its title)."""

from __future__ import annotations

import pytest
from dialog_screenshots import kept_look
from PySide6.QtWidgets import QApplication
from test_room_for_cards import DEMO_SCRIPT, _inside, _replayed

from ui import theme
from ui.panels.call_bar import AI_NOTE, CallBar

SCALED_SCREEN = (853, 533)  # 1280x800 at 150 %: what Qt lays the window out in


def _demo_call(qtbot, look: str, size: tuple[int, int]):
    app = QApplication.instance()
    theme.apply(app, look, 1.0)
    window, _ = _replayed(qtbot, DEMO_SCRIPT, size, app_menus=True, summary_version=4)
    return window


@pytest.mark.parametrize("look", ["light", "dark"])
def test_line_and_card_fit_in_1280x800_at_150_percent(qtbot, look):
    with kept_look(QApplication.instance()):
        window = _demo_call(qtbot, look, SCALED_SCREEN)
        assert (window.width(), window.height()) == SCALED_SCREEN
        viewport = window.assist.scroll.viewport()
        line = window.assist.visible_suggestions()[0]
        card = window.assist.cards[0]
        qtbot.waitUntil(lambda: _inside(line, viewport) and _inside(card, viewport))
        # Still so once every deferred fit has run (no fold and unfold back and forth).
        qtbot.wait(200)
        for w in (line, card, line.body, card.body, line.copy, line.used, line.dismiss,
                  card.copy, card.used, card.dismiss):
            assert _inside(w, viewport), w
        assert window.assist.scroll.verticalScrollBar().maximum() == 0  # nothing to scroll to
        # What yielded is still there, folded to its heading, for the agent to unfold.
        assert window.summary.isVisible() and window.summary.folded
        assert window.checklist.isVisible() and window.signal.current is not None


def test_during_a_call_the_call_bar_says_what_plays_beside_the_one_line_reminder(qtbot):
    """The pickers can change nothing during a call: the row says what is playing instead, and
    the AI reminder keeps one line (beside the buttons it took four at 150 %)."""
    bar = CallBar(demo_wav="demo.wav")
    qtbot.addWidget(bar)
    bar.set_replay_path("/home/agent/calls/demo_call.wav")
    bar.resize(SCALED_SCREEN[0] - 20, bar.sizeHint().height())
    bar.show()
    qtbot.waitExposed(bar)
    bar.set_live(True)
    assert not bar.source.isVisible() and not bar.browse.isVisible()
    assert bar.source_note.text() == "replaying demo_call.wav"
    assert bar.source_note.toolTip() == "/home/agent/calls/demo_call.wav"
    one_line = bar.ai_note.fontMetrics().lineSpacing()
    qtbot.waitUntil(lambda: bar.ai_note.heightForWidth(bar.ai_note.width()) < 2 * one_line)
    assert bar.ai_note.isVisible() and bar.ai_note.text() == AI_NOTE
    bar.set_live(False)  # the call is over: the pickers are back, as they were
    assert bar.source.isVisible() and bar.browse.isVisible() and bar.source.isEnabled()
    assert bar.source_note.text() == "/home/agent/calls/demo_call.wav"
