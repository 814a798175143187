"""Panels do not fold and unfold as lines arrive (the walk-through at 1280x800, 100 % and 150 %:
each caption, line and card changed the height the lines and cards need by a little, and the
summary and the checklist folded and unfolded with it). Once the window folded one to make room,
it unfolds it only when the room it needs is clearly there again (ui/room.py): a need that
swings by less than a few text lines around where it folded leaves it folded. What the agent
folded or unfolded stays as the agent left it."""

from __future__ import annotations

import pytest
from dialog_screenshots import kept_look
from PySide6.QtWidgets import QApplication
from test_room_at_150_percent import SCALED_SCREEN
from test_room_for_cards import DEMO_LINE, DEMO_SCRIPT, _inside, _replayed
from window_fakes import knowledge, sug

from ui import theme
from ui.panels.assist_panel import AssistPanel
from ui.panels.summary import SummaryPanel

SWING = 6  # px: a line wrapping a word earlier or later, a scroll bar coming or going


def _call(qtbot, look: str, scale: float, size: tuple[int, int]):
    theme.apply(QApplication.instance(), look, scale)
    window, holder = _replayed(qtbot, DEMO_SCRIPT, size, app_menus=True, summary_version=4)
    qtbot.waitUntil(lambda: window.checklist.isVisible())
    return window, holder


def _folds(window) -> tuple[bool, bool]:
    return window.summary.folded, window.checklist.folded


class _Need:
    """The height the lines and cards need, set by the test (the assistance column's own
    measure replaced): what each new caption, line and card would change."""

    def __init__(self, window) -> None:
        self.window = window
        self.value = 0
        window.assist.needed_height = lambda: self.value

    def set(self, qtbot, value: int) -> tuple[bool, bool]:
        self.value = value
        self.window.room.request()
        qtbot.wait(40)  # every deferred fit (a fold asks for another) has run
        return _folds(self.window)


def _transitions(states: list[tuple[bool, bool]]) -> list[tuple[str, str]]:
    """Each fold or unfold, in order: ("summary"|"checklist", "fold"|"unfold")."""
    out = []
    for before, after in zip(states, states[1:], strict=False):
        for name, a, b in zip(("summary", "checklist"), before, after, strict=True):
            if a != b:
                out.append((name, "fold" if b else "unfold"))
    return out


def _rise_until_folds(qtbot, need: _Need, states: list, start: int) -> int:
    """Raise the need from `start` in small steps until the window folds something more;
    the need it folded at."""
    folded = sum(_folds(need.window))
    value = start
    while sum(_folds(need.window)) == folded:
        value += 2
        assert value < start + 3000, "nothing folded"
        states.append(need.set(qtbot, value))
    return value


def _first_fold(qtbot, need: _Need) -> int:
    """Roughly where the window first folds a panel (in big steps), everything open again."""
    value = 0
    while _folds(need.window) == (False, False):
        value += 50
        assert value < 3000, "nothing folded"
        need.set(qtbot, value)
    assert need.set(qtbot, 0) == (False, False)
    return value - 50


@pytest.mark.parametrize(("scale", "size"), [(1.0, (1280, 800)), (1.5, (1280, 800)),
                                             (1.0, SCALED_SCREEN)])
def test_a_need_swinging_a_little_around_a_fold_folds_once_and_never_unfolds(qtbot, scale,
                                                                             size):
    with kept_look(QApplication.instance()):
        window, _ = _call(qtbot, "dark", scale, size)
        need = _Need(window)
        assert need.set(qtbot, 0) == (False, False)  # little to show: everything open
        states = [need.set(qtbot, _first_fold(qtbot, need))]
        # The need grows in small steps (a line, a card) until the window folds something,
        # then swings a little either side of that point, as lines and cards come and go; and
        # again until the other panel folds too.
        while _folds(window) != (True, True):
            at = _rise_until_folds(qtbot, need, states, need.value)
            for _ in range(5):
                states.append(need.set(qtbot, at - SWING))
                states.append(need.set(qtbot, at + SWING // 2))
        moves = _transitions(states)
        assert [m[1] for m in moves] == ["fold", "fold"], moves
        # The room clearly there again (the lines and cards need much less): both unfold.
        assert need.set(qtbot, 0) == (False, False)


def test_what_the_agent_unfolds_stays_unfolded_whatever_the_need(qtbot):
    with kept_look(QApplication.instance()):
        window, _ = _call(qtbot, "light", 1.0, SCALED_SCREEN)
        need = _Need(window)
        assert need.set(qtbot, 2000) == (True, True)  # far more than there is: both fold
        window.summary.fold.click()
        window.checklist.fold.click()  # the agent wants to see both
        for value in (2000, 0, 2000, 10):
            assert need.set(qtbot, value) == (False, False)
        window.summary.fold.click()
        window.checklist.fold.click()  # ...and now neither
        for value in (0, 2000, 0):
            assert need.set(qtbot, value) == (True, True)


# The demo call's line, and a longer wording of it: a few words more move its end to another
# row. The customer's turns bring one or the other, in turn, and so does the language model
# rewording a line in place.
LONGER = DEMO_LINE + " Is there anything else I can help you with today?"


def _shown(qtbot, window, post, text: str) -> tuple[bool, bool]:
    """`post` puts the line with `text` on screen; the panels' folds once the window has
    fitted it (the line and its card show whole, whatever the wording)."""
    panel = window.assist
    post(text)
    qtbot.waitUntil(lambda: window.bridge.pending() == 0 and bool(panel.proactive.lines())
                    and panel.proactive.lines()[0].event.text == text and bool(panel.cards))
    line, card, viewport = panel.proactive.lines()[0], panel.cards[0], panel.scroll.viewport()
    qtbot.waitUntil(lambda: _inside(line, viewport) and _inside(card, viewport), timeout=2000)
    qtbot.wait(60)  # every deferred fit has run
    assert _inside(line, viewport) and _inside(card, viewport)
    return _folds(window)


@pytest.mark.parametrize(("look", "scale"), [("light", 1.0), ("dark", 1.5)])
def test_lines_a_row_taller_or_shorter_turn_after_turn_fold_a_panel_once(qtbot, look, scale):
    with kept_look(QApplication.instance()):
        window, holder = _call(qtbot, look, scale, (1280, 800))
        runner, panel = holder["r"], window.assist
        turns = iter(range(10, 100))

        def turn(text: str) -> None:  # the customer's next question, its card and line
            of = f"c{next(turns)}"
            runner.post(knowledge(of, "BILL-01"))
            runner.post(sug(of, text, rank=1))

        def reword(text: str) -> None:  # the same line, reworded in place
            runner.post(sug(panel.suggestions_of, text, rank=1))

        window.resize(1280, 1000)  # room for everything: nothing folded
        qtbot.waitUntil(lambda: _folds(window) == (False, False))
        needs = {}
        for text in (DEMO_LINE, LONGER):
            _shown(qtbot, window, turn, text)
            needs[text] = panel.needed_height()
        assert needs[LONGER] > needs[DEMO_LINE]
        # The window's height where the longer line needs a fold and the shorter does not.
        room = sum(window.right_split.sizes()) - window.summary.minimumSizeHint().height()
        between = (needs[LONGER] + needs[DEMO_LINE]) // 2
        window.resize(1280, window.height() - (room - between))
        qtbot.waitUntil(lambda: _folds(window) != (False, False))
        states = [_shown(qtbot, window, turn, DEMO_LINE)]
        for post in (turn, turn, turn, reword, reword, reword):
            for text in (LONGER, DEMO_LINE):
                states.append(_shown(qtbot, window, post, text))
        assert _transitions(states) == [], states


def test_a_new_questions_line_counts_the_moment_it_comes(qtbot):
    """Qt shows a card added to a shown layout on its next turn of the event loop; a fit in
    between measured the new question's line as missing and unfolded the panels for a moment
    (then folded them again)."""
    panel = AssistPanel()
    qtbot.addWidget(panel)
    panel.resize(600, 700)
    panel.show()
    qtbot.waitExposed(panel)
    panel.show_knowledge(knowledge("c1", "BILL-01"))
    panel.show_suggestion(sug("c1", DEMO_LINE))
    qtbot.waitUntil(lambda: panel.proactive.lines()[0].isVisible())
    settled = panel.needed_height()
    panel.show_knowledge(knowledge("c2", "BILL-01"))
    panel.show_suggestion(sug("c2", DEMO_LINE))  # the next question's line, the same height
    assert panel.needed_height() == settled  # at once, before the event loop runs


@pytest.mark.parametrize("scale", [1.0, 1.5])
def test_the_summary_says_its_unfolded_height_while_folded(qtbot, scale):
    with kept_look(QApplication.instance()):
        theme.apply(QApplication.instance(), "light", scale)
        summary = SummaryPanel()
        qtbot.addWidget(summary)
        summary.resize(600, 300)
        summary.show()
        qtbot.waitExposed(summary)
        unfolded = summary.minimumSizeHint().height()
        assert summary.open_height() == unfolded
        summary.set_folded(True)
        assert summary.minimumSizeHint().height() < unfolded
        assert summary.open_height() == unfolded


@pytest.mark.parametrize(("look", "scale", "size"), [("light", 1.0, SCALED_SCREEN),
                                                     ("dark", 1.0, SCALED_SCREEN),
                                                     ("dark", 1.5, (1280, 800))])
def test_the_demo_call_folds_each_panel_at_most_once(qtbot, look, scale, size):
    """Every fold and unfold the window makes during the demo call, from its start (where the
    summary folded and unfolded within a few milliseconds as the checklist folded away)."""
    with kept_look(QApplication.instance()):
        theme.apply(QApplication.instance(), look, scale)
        moves: list[tuple[str, bool]] = []

        def watch(window) -> None:
            for name, panel in (("summary", window.summary), ("checklist", window.checklist)):
                panel.fold.toggled.connect(lambda on, name=name: moves.append((name, on)))

        window, holder = _replayed(qtbot, DEMO_SCRIPT, size, app_menus=True, summary_version=4,
                                   before_start=watch)
        runner = holder["r"]
        for text in (DEMO_LINE, DEMO_LINE + " Anything else?", DEMO_LINE):
            runner.post(sug("c2", text, rank=1))  # reworded in place
            qtbot.wait(60)
        qtbot.wait(100)
        assert all(on for _, on in moves), moves  # folded, never unfolded
        assert len(moves) == len(set(moves)), moves
