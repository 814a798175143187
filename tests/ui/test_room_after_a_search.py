"""Right after the agent's search the window makes room at once, and for what the customer's next
question brings first (the walk-through at 1280x800, 150 %: the search's answer opened in full
and what came of the customer's question went below the fold until their line came). The
search's answer takes the place of the customer's lines and cards on screen (test_ask_box.py);
their next question's card usually comes before its line, and some questions bring a card and
no line: the card is then what the agent reads, and the search's answer folds to its title line
for it, as it does for a line."""

from __future__ import annotations

import pytest
from dialog_screenshots import kept_look
from PySide6.QtWidgets import QApplication
from test_room_at_150_percent import SCALED_SCREEN
from test_room_for_cards import DEMO_LINE, DEMO_SCRIPT, _inside, _replayed
from window_fakes import knowledge, sug

from ui import theme

QUESTION = "refund for a duplicate charge"


def _searched(qtbot, look: str, scale: float, size: tuple[int, int]):
    """The demo call at 00:38, its line in view; then the agent's search, its answer shown."""
    theme.apply(QApplication.instance(), look, scale)
    window, holder = _replayed(qtbot, DEMO_SCRIPT, size, app_menus=True, summary_version=4)
    panel = window.assist
    viewport = panel.scroll.viewport()
    line = panel.proactive.lines()[0]
    qtbot.waitUntil(lambda: _inside(line, viewport))
    assert window.ask(QUESTION)
    qtbot.waitUntil(lambda: panel.ask_of != "" and not window.jobs.busy)
    return window, holder["r"]


def _whole(qtbot, card, viewport) -> None:
    """`card` and its buttons fully in view, and still so once every deferred fit has run."""
    parts = (card, card.copy, card.used, card.dismiss)
    qtbot.waitUntil(lambda: all(_inside(w, viewport) for w in parts))
    qtbot.wait(100)
    for w in parts:
        assert _inside(w, viewport), w


@pytest.mark.parametrize(("scale", "size"), [(1.0, SCALED_SCREEN), (1.5, (1280, 800))])
@pytest.mark.parametrize("look", ["light", "dark"])
def test_the_customers_card_shows_whole_under_a_search_before_its_line_comes(qtbot, look,
                                                                             scale, size):
    with kept_look(QApplication.instance()):
        window, runner = _searched(qtbot, look, scale, size)
        panel = window.assist
        viewport = panel.scroll.viewport()
        # Right after the answer: its line is the first on screen, whole, nothing scrolled.
        first = panel.visible_suggestions()[0]
        assert first in panel.search.lines()
        _whole(qtbot, first, viewport)
        assert panel.scroll.verticalScrollBar().value() == 0
        # The customer's next question: its card first...
        runner.post(knowledge("c6", "BILL-01"))
        qtbot.waitUntil(lambda: [c.of for c in panel.cards] == ["c6"])
        _whole(qtbot, panel.cards[0], viewport)
        # ...then its line, which the room is for from then on.
        runner.post(sug("c6", DEMO_LINE, rank=1))
        qtbot.waitUntil(lambda: panel.proactive.suggestions_of == "c6")
        _whole(qtbot, panel.proactive.lines()[0], viewport)
        assert panel.scroll.verticalScrollBar().value() == 0
        assert panel.ask_title.isVisible() and panel.close_ask.isVisible()  # folded, not gone


def test_a_card_with_no_line_folds_the_search_and_the_agent_can_unfold_it(qtbot):
    with kept_look(QApplication.instance()):
        window, runner = _searched(qtbot, "dark", 1.0, SCALED_SCREEN)
        panel = window.assist
        viewport = panel.scroll.viewport()
        runner.post(knowledge("c6", "ROAM-01"))  # a card, and no line for this question
        qtbot.waitUntil(lambda: panel.search_folded)
        _whole(qtbot, panel.cards[0], viewport)
        assert panel.search_fold.text() == "Show"
        panel.search_fold.click()  # the agent wants their answer back: it stays
        window.fit_assist()
        qtbot.wait(100)
        assert not panel.search_folded and panel.search.isVisible()
        panel.cards[0].dismiss.click()  # nothing of the customer's left: the answer is whole
        qtbot.waitUntil(lambda: not panel.search_folded and panel.cards == [])
