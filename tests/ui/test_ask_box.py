"""The knowledge search box in the assistance column: Ctrl+K, Enter, the search off the UI
thread, its cards in place of the proactive ones and kept until the agent closes them or asks
again (the customer's next turns show below), the audit trail during a stored call (and nothing
stored between calls), errors as one status line, Esc."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import Qt
from window_fakes import FakeRunner, cap, knowledge, sug

from copilot.store.db import CallStore
from ui import call_runner as cr
from ui.ask_flow import NOT_STORED
from ui.audit import SUGGESTION_ACTION, AuditTrail
from ui.main_window import MainWindow
from ui.panels.assist_panel import NO_ASK_CARDS, SEARCHING

QUESTION = "charged twice, when is the duplicate refunded?"
SCRIPT = [
    cap("c2", "I want to travel to Canada", start=6.0),
    knowledge("c2", "ROAM-01"),
    sug("c2", "I'm not sure; let me check.", sources=(), rank=1),
]


@pytest.fixture
def make_window(qtbot):
    def make(*, call_id=7, audit=None, script=SCRIPT):
        holder: dict[str, FakeRunner] = {}

        def factory(post):
            holder["r"] = FakeRunner(post, script=script, call_id=call_id)
            return holder["r"]

        window = MainWindow(factory, demo_wav="demo.wav", demo_script="demo.json", audit=audit)
        qtbot.addWidget(window)
        window.resize(1100, 700)
        window.show()
        qtbot.waitExposed(window)
        window.start_services()
        qtbot.waitUntil(lambda: window.state.phase == cr.READY)
        return window, holder["r"]

    return make


def _start_call(qtbot, window, runner):
    window.call_bar.source.setCurrentText("Demo call")
    window.call_bar.start_button.click()
    qtbot.waitUntil(lambda: window.bridge.pending() == 0 and runner.thread is not None
                    and not runner.thread.is_alive() and window.state.phase == cr.LIVE
                    and bool(window.assist.cards))


def _type(qtbot, window, text: str) -> None:
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    assert window.assist.ask_box.hasFocus()
    qtbot.keyClicks(window.assist.ask_box, text)
    qtbot.keyClick(window.assist.ask_box, Qt.Key.Key_Return)


def _searched(qtbot, window):
    qtbot.waitUntil(lambda: not window.jobs.busy and not window.assist.ask_status.isVisible())


def test_ctrl_k_then_enter_searches_off_the_ui_thread_and_replaces_the_cards(qtbot, make_window):
    window, runner = make_window()
    assert "Ctrl+K" in window.assist.ask_box.placeholderText()
    _start_call(qtbot, window, runner)
    assert [c.ref.id for c in window.assist.cards] == ["ROAM-01"]
    runner.ask_gate = threading.Event()  # the search takes its time...
    _type(qtbot, window, QUESTION)
    qtbot.waitUntil(lambda: window.assist.ask_status.isVisible())
    assert window.assist.ask_status.text() == SEARCHING
    assert window.assist.ask_box.isEnabled()  # ...and the window goes on meanwhile
    qtbot.keyClicks(window.assist.ask_box, "!")
    runner.ask_gate.set()
    _searched(qtbot, window)
    assert runner.asked == [(QUESTION, "ask-1", 12.5)]
    assert runner.ask_threads and runner.ask_threads[0] != threading.current_thread().name
    panel = window.assist
    assert panel.ask_title.isVisible() and panel.ask_title.text() == f"Your search: {QUESTION}"
    assert [(c.ref.id, c.of) for c in panel.ask_cards] == [("BILL-01", "ask-1")]
    assert panel.cards == [] and not panel.proactive.isVisible()  # the ones that missed: gone
    lines = panel.visible_suggestions()
    assert [(c.event.of, c.event.sources) for c in lines] == [("ask-1", ("BILL-01",))]
    assert "5 business days" in lines[0].body.text()


def test_the_search_stays_when_the_customer_asks_next_until_closed_or_asked_again(
        qtbot, make_window):
    window, runner = make_window()
    _start_call(qtbot, window, runner)
    _type(qtbot, window, QUESTION)
    _searched(qtbot, window)
    panel = window.assist
    # A late update for the turn before the search (an LLM rewording) stays out of sight...
    window.bridge.post(sug("c2", "Reworded earlier line.", sources=("ROAM-01",), rank=1))
    window.bridge.flush_now()
    assert [c.event.of for c in panel.visible_suggestions()] == ["ask-1"]
    # ...and the customer's next question brings its line and card below the search, which
    # stays: the agent asked for it (the walk-through saw it replaced a moment later).
    window.bridge.post(knowledge("c3", "ROAM-01"))
    window.bridge.post(sug("c3", "Roaming in Canada is included.", sources=("ROAM-01",),
                           rank=1))
    window.bridge.flush_now()
    assert panel.ask_title.isVisible() and panel.ask_of == "ask-1"
    assert [(c.ref.id, c.of) for c in panel.ask_cards] == [("BILL-01", "ask-1")]
    assert [(c.ref.id, c.of) for c in panel.cards] == [("ROAM-01", "c3")]
    lines = panel.visible_suggestions()
    assert [c.event.of for c in lines] == ["ask-1", "c3"]  # top to bottom, as on screen
    search_line, customer_line = lines
    assert search_line.mapTo(panel, search_line.rect().topLeft()).y() < \
        customer_line.mapTo(panel, customer_line.rect().topLeft()).y()
    # Ctrl+1 / Ctrl+2 follow the screen, and each line says which key copies it.
    assert "(Ctrl+1 copies)" in search_line.header.text()
    assert "(Ctrl+2 copies)" in customer_line.header.text()
    # ... and is numbered by its place on screen: not a second "suggestion 1".
    assert search_line.header.text().startswith("AI suggestion 1 ")
    assert customer_line.header.text().startswith("AI suggestion 2 ")
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    from PySide6.QtGui import QGuiApplication

    assert QGuiApplication.clipboard().text() == "Roaming in Canada is included."
    # More customer turns: still there.
    window.bridge.post(knowledge("c4", "BILL-01"))
    window.bridge.flush_now()
    assert panel.ask_of == "ask-1" and [c.of for c in panel.cards] == ["c4"]
    # Asking again replaces it (and the customer's cards that were on screen)...
    _type(qtbot, window, "roaming in Canada?")
    _searched(qtbot, window)
    assert panel.ask_of == "ask-2" and panel.ask_title.text() == "Your search: roaming in Canada?"
    assert [c.of for c in panel.ask_cards] == ["ask-2"] and panel.cards == []
    # ...and the agent closes it: the search goes, the customer's next cards show as before.
    window.bridge.post(knowledge("c5", "BILL-01"))
    window.bridge.flush_now()
    panel.close_ask.click()
    assert not panel.ask_title.isVisible() and panel.ask_of == "" and panel.ask_cards == []
    assert [c.of for c in panel.cards] == ["c5"] and panel.proactive.isVisible()
    assert "(Ctrl+1 copies)" not in "".join(c.header.text() for c in panel.visible_suggestions())
    assert not any(r.payload.get("action") == "dismissed" for r in window.actions.recorded)


def test_dismissing_the_searchs_last_line_and_card_closes_it(qtbot, make_window):
    window, runner = make_window()
    _start_call(qtbot, window, runner)
    _type(qtbot, window, QUESTION)
    _searched(qtbot, window)
    panel = window.assist
    panel.ask_cards[0].dismiss.click()
    assert panel.ask_title.isVisible()  # its line is still there
    panel.visible_suggestions()[0].dismiss.click()
    assert not panel.ask_title.isVisible() and panel.ask_of == ""
    assert panel.proactive.isVisible()


def test_an_empty_question_does_nothing(qtbot, make_window):
    window, runner = make_window()
    _type(qtbot, window, "   ")
    assert runner.asked == [] and not window.jobs.busy
    assert not window.assist.ask_status.isVisible()


def test_a_search_finding_nothing_says_so(qtbot, make_window):
    window, runner = make_window()
    _type(qtbot, window, "what's the weather?")
    _searched(qtbot, window)
    panel = window.assist
    assert panel.ask_cards == [] and panel.search.card_empty.isVisible()
    assert panel.search.card_empty.text() == NO_ASK_CARDS
    assert [c.event.origin for c in panel.visible_suggestions()] == ["abstain"]


def test_a_failed_search_is_one_status_line(qtbot, make_window):
    window, runner = make_window()
    runner.ask_error = RuntimeError("the index\nis broken")
    _type(qtbot, window, QUESTION)
    _searched(qtbot, window)
    assert window.statusBar().currentMessage() == "Search failed: the index is broken"
    assert not window.assist.ask_title.isVisible()


def test_during_a_stored_call_the_question_and_results_are_kept_with_actions(
        qtbot, make_window, tmp_path):
    db = tmp_path / "calls.sqlite3"
    with CallStore(db) as store:
        call_id = store.start_call("test")
    audit = AuditTrail(db)
    window, runner = make_window(call_id=call_id, audit=audit)
    _start_call(qtbot, window, runner)
    _type(qtbot, window, QUESTION)
    _searched(qtbot, window)
    assert window.assist.copy_suggestion(1)
    window.assist.ask_cards[0].used.click()
    audit.wait(10)
    with CallStore(db) as store:
        events = [(e.type, e.payload) for e in store.events(call_id)]
    assert [t for t, _p in events] == ["ask", "knowledge", "suggestion", SUGGESTION_ACTION,
                                       "knowledge_action"]
    assert events[0][1] == {"type": "ask", "id": "ask-1", "question": QUESTION, "at": 12.5}
    assert events[1][1]["of"] == "ask-1" and events[1][1]["passages"][0]["id"] == "BILL-01"
    assert events[2][1]["of"] == "ask-1" and events[2][1]["pack"] == "fake@1"
    assert events[3][1]["action"] == "copied" and events[3][1]["of"] == "ask-1"
    assert events[4][1]["action"] == "used" and events[4][1]["passage"] == "BILL-01"
    window.close()


def test_a_failed_search_during_a_call_still_records_the_question(qtbot, make_window, tmp_path):
    db = tmp_path / "calls.sqlite3"
    with CallStore(db) as store:
        call_id = store.start_call("test")
    audit = AuditTrail(db)
    window, runner = make_window(call_id=call_id, audit=audit)
    _start_call(qtbot, window, runner)
    runner.ask_error = RuntimeError("boom")
    _type(qtbot, window, "card 4111 1111 1111 1111 refund?")
    _searched(qtbot, window)
    audit.wait(10)
    with CallStore(db) as store:
        (event,) = store.events(call_id)
    assert event.type == "ask" and event.payload["error"] == "boom"
    assert "4111" not in event.payload["question"]  # redacted before it is kept
    window.close()


def test_between_calls_nothing_is_stored_and_the_window_says_so_once(qtbot, make_window):
    window, runner = make_window()
    _type(qtbot, window, QUESTION)
    _searched(qtbot, window)
    assert window.assist.ask_cards and window.actions.recorded == []
    assert window.statusBar().currentMessage() == NOT_STORED
    assert "nothing is kept" in window.assist.ask_box.toolTip()
    window.assist.copy_suggestion(1)  # its cards' actions are not stored either
    assert window.actions.recorded == []
    window.statusBar().clearMessage()
    window.assist.ask_box.setFocus()
    qtbot.keyClick(window.assist.ask_box, Qt.Key.Key_Return)  # again: said once is enough
    _searched(qtbot, window)
    assert len(runner.asked) == 2 and window.statusBar().currentMessage() == ""


def test_esc_in_the_box_clears_it_and_never_dismisses_a_card(qtbot, make_window):
    window, runner = make_window()
    _start_call(qtbot, window, runner)
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(window.assist.ask_box, "roaming")
    qtbot.keyClick(window.assist.ask_box, Qt.Key.Key_Escape)
    assert window.assist.ask_box.text() == ""
    qtbot.keyClick(window.assist.ask_box, Qt.Key.Key_Escape)  # empty: still nothing else
    assert len(window.assist.visible_suggestions()) == 1 and len(window.assist.cards) == 1
    window.transcript.text.setFocus()  # elsewhere, Esc dismisses nothing either
    qtbot.keyClick(window.transcript.text, Qt.Key.Key_Escape)
    assert len(window.assist.visible_suggestions()) == 1 and len(window.assist.cards) == 1


def test_a_new_call_clears_the_search(qtbot, make_window):
    window, runner = make_window()
    _type(qtbot, window, QUESTION)
    _searched(qtbot, window)
    assert window.assist.ask_title.isVisible()
    _start_call(qtbot, window, runner)
    assert not window.assist.ask_title.isVisible()
    assert [c.of for c in window.assist.cards] == ["c2"]
