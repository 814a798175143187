"""Tab goes down the assistance column as the agent sees it (ui/tab_order.py): a walk-through
by keyboard found the lines and cards made during the call at the end of the chain, after the
summary's Hide, and the knowledge card before the suggested line above it."""

from __future__ import annotations

from test_main_window import SCRIPT, _start_demo, make_window  # noqa: F401 (the fixture)

from ui.tab_order import follow_layout


def _chain_from(start, stop_at, limit=200):
    seen, w = [], start
    for _ in range(limit):
        seen.append(w)
        w = w.nextInFocusChain()
        if w is stop_at or w is start:
            break
    return seen


def test_tab_follows_the_column_top_to_bottom(qtbot, make_window):  # noqa: F811
    window, runner = make_window()
    _start_demo(qtbot, window, runner)
    qtbot.waitUntil(lambda: len(window.assist.visible_suggestions()) == 2)
    window.room.fit()
    line = window.assist.visible_suggestions()[0]
    card = window.assist.cards[0]
    column = window.right_split.parentWidget()
    ask = window.assist.ask_box
    chain = _chain_from(ask, None)  # as the window left it after its own fit
    places = {w: i for i, w in enumerate(chain)}
    assert line.copy in places and card.copy in places
    # the search box, then the first line's buttons, then the card's, then the summary's
    assert places[ask] < places[line.copy] < places[line.dismiss] < places[card.copy]
    summary_buttons = [w for w in chain if window.summary.isAncestorOf(w)]
    assert summary_buttons and places[card.dismiss] < places[summary_buttons[0]]
    # the column's part of the chain is the on-screen order, as follow_layout gives it
    order = follow_layout(column)
    in_column = [w for w in chain if w in set(order)]
    assert in_column == order[order.index(ask):][:len(in_column)]


def test_each_cards_buttons_say_which_card_they_act_on(qtbot, make_window):  # noqa: F811
    window, runner = make_window()
    _start_demo(qtbot, window, runner)
    first, second = window.assist.visible_suggestions()
    card = window.assist.cards[0]
    assert first.copy.accessibleName() == "Copy: suggested line 1, BILL-01"
    assert second.dismiss.accessibleName() == "Dismiss: suggested line 2, no passage"
    assert card.used.accessibleName() == "Used: knowledge card BILL-01"
    assert card.accessibleName() == "knowledge card BILL-01"


def test_help_lists_every_key_the_window_answers_to(qtbot, tmp_path, make_window):  # noqa: F811
    from copilot.settings import Settings
    from ui.window_dialogs import DialogHub

    window, _runner = make_window()
    hub = DialogHub(window, db_path=tmp_path / "calls.sqlite3",
                    settings_path=tmp_path / "settings.toml", settings=Settings()).install()
    rows = dict(hub.shortcut_rows())
    for key in window.shortcuts:  # every shortcut of the window, with what it does
        assert rows.get(key), key
    assert rows["Ctrl+H"] == "history" and rows["Ctrl+Shift+P"] == "model packs"
    assert "Esc" in rows and "F1" not in rows
    hub.keys_action.trigger()  # F1
    box = hub.open_dialogs[-1]
    assert box.isVisible() and "Ctrl+K" in box.informativeText()
    assert "ask the knowledge base" in box.informativeText()
    box.close()
