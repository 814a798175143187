"""The product's rule during a call: the customer's latest suggested line and its Copy / Used /
Dismiss are visible without scrolling at 1280x800, at 100 % and 150 %, light and dark, even with
the draft box open (a rephrased draft with a flagged fact under it) and the agent's own
knowledge search open above the lines (issue 15's walk-through: its buttons went below the
fold). What yields, in order: the summary and the checklist (tests/ui/test_room_for_cards.py),
then the search's answer folds to its title line, then the draft box scrolls within a bounded
height (its draft and buttons whole); each can be unfolded or scrolled by the agent, and comes
back with the room."""

from __future__ import annotations

import pytest
from dialog_screenshots import kept_look
from PySide6.QtWidgets import QApplication
from test_room_at_150_percent import SCALED_SCREEN
from test_room_for_cards import DEMO_LINE, DEMO_SCRIPT, _inside, _replayed
from window_fakes import cap, knowledge, sug

from ui import theme

# A draft with a fact the knowledge base does not state: the result carries its flag list.
DRAFT = ("Honestly, you should have checked your bill!! The duplicate payment is refunded "
         "within 5 business days, and I'll add a 10 dollar credit for the trouble.")
QUESTION = "roaming in Mexico"
# The customer's next question, asked while the agent's search is open: the live line.
NEXT = [cap("c6", "How long will it take to get my money back?", start=32.0),
        knowledge("c6", "BILL-01"),
        sug("c6", DEMO_LINE, rank=1)]


def _call_with_draft_and_search(qtbot, look: str, scale: float, size: tuple[int, int]):
    theme.apply(QApplication.instance(), look, scale)
    window, holder = _replayed(qtbot, DEMO_SCRIPT, size, app_menus=True, summary_version=4)
    runner = holder["r"]
    box = window.assist.draft
    window._focus_draft()
    box.edit.setPlainText(DRAFT)
    box.go.click()
    qtbot.waitUntil(lambda: window.draft is None and not window.draft_jobs.busy
                    and box.frame.isVisible())
    assert box.flags.isVisible()  # "10 dollar" is not in the knowledge base
    assert window.ask(QUESTION)
    qtbot.waitUntil(lambda: window.assist.ask_of != "" and not window.jobs.busy)
    for event in NEXT:
        runner.post(event)
    qtbot.waitUntil(lambda: window.bridge.pending() == 0
                    and window.assist.proactive.suggestions_of == "c6")
    return window


def _line_in_view(qtbot, window) -> None:
    panel = window.assist
    viewport = panel.scroll.viewport()
    line = panel.proactive.lines()[0]
    qtbot.waitUntil(lambda: _inside(line, viewport))
    qtbot.wait(200)  # still so once every deferred fit has run (no fold and unfold cycle)
    assert panel.scroll.verticalScrollBar().value() == 0
    for w in (line, line.body, line.copy, line.used, line.dismiss):
        assert _inside(w, viewport), w


@pytest.mark.parametrize(("scale", "size"), [(1.0, (1280, 800)), (1.5, (1280, 800)),
                                             (1.0, SCALED_SCREEN)])
@pytest.mark.parametrize("look", ["light", "dark"])
def test_the_live_line_shows_whole_with_the_draft_box_and_a_search_open(qtbot, look, scale,
                                                                        size):
    with kept_look(QApplication.instance()):
        window = _call_with_draft_and_search(qtbot, look, scale, size)
        panel, box = window.assist, window.assist.draft
        _line_in_view(qtbot, window)
        # The draft box is still open and usable: the draft, the tone and Rephrase in view.
        for w in (box.edit, box.tone_box, box.go):
            assert w.isVisible() and _inside(w, panel), w
        # The search's answer yielded to its title line, never away: its question, Show and
        # Close stay, and the lines on screen are numbered (Ctrl+1) as they are seen.
        assert panel.ask_title.isVisible() and panel.close_ask.isVisible()
        assert box.frame.isVisible()
        if panel.search_folded:
            assert panel.search_fold.isVisible() and panel.search_fold.text() == "Show"
            assert panel.visible_suggestions()[0] is panel.proactive.lines()[0]


def test_the_agent_unfolds_the_search_and_it_stays_until_the_next_search(qtbot):
    with kept_look(QApplication.instance()):
        window = _call_with_draft_and_search(qtbot, "light", 1.0, SCALED_SCREEN)
        panel = window.assist
        qtbot.waitUntil(lambda: panel.search_folded)
        panel.search_fold.click()  # the agent wants to read it again
        assert not panel.search_folded and panel.search.isVisible()
        window.fit_assist()
        assert not panel.search_folded  # the window leaves the agent's choice alone
        assert panel.visible_suggestions()[0] in panel.search.lines()
        panel.close_ask.click()
        assert not panel.search_section.isVisible()
        assert window.ask(QUESTION)  # a new search shows its answer, then yields again
        qtbot.waitUntil(lambda: panel.ask_of == "ask-2" and not window.jobs.busy)
        assert panel.search.isVisible()


def test_with_room_again_the_search_unfolds_and_the_draft_box_shows_whole(qtbot):
    with kept_look(QApplication.instance()):
        window = _call_with_draft_and_search(qtbot, "dark", 1.0, SCALED_SCREEN)
        panel, box = window.assist, window.assist.draft
        qtbot.waitUntil(lambda: panel.search_folded)
        window.resize(1280, 1000)  # a taller screen, or the window maximised
        qtbot.waitUntil(lambda: not panel.search_folded and box.hidden_height() == 0)
        _line_in_view(qtbot, window)
        for w in (box.frame, box.copy):
            assert _inside(w, panel), w


def test_once_the_customers_line_is_dismissed_the_search_shows_whole_again(qtbot):
    with kept_look(QApplication.instance()):
        window = _call_with_draft_and_search(qtbot, "light", 1.0, SCALED_SCREEN)
        panel = window.assist
        qtbot.waitUntil(lambda: panel.search_folded)
        for card in [*panel.proactive.lines(), *panel.proactive.cards]:
            card.dismiss.click()
        qtbot.waitUntil(lambda: not panel.search_folded)
        first = panel.visible_suggestions()[0]
        assert first in panel.search.lines()
        qtbot.waitUntil(lambda: _inside(first, panel.scroll.viewport()))
