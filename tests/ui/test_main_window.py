"""The live call window wired to a fake runner: states, panels, shortcuts, the audit trail."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from window_fakes import FakeRunner, cap, knowledge, signal, sug, summary, translation

from copilot.events import Notice
from copilot.store.db import CallStore
from ui import call_runner as cr
from ui.audit import SUGGESTION_ACTION, AuditTrail
from ui.main_window import MainWindow

SCRIPT = [
    cap("c1", "Thank you for calling", channel="agent", start=0.5),
    cap("c2", "I was charged", final=False, start=6.0),
    cap("c2", "I was charged twice [card ending 1111]", start=6.0),
    translation("c2", "(same)"),
    knowledge("c2", "BILL-01"),
    sug("c2", "I've filed a billing correction.", rank=1),
    sug("c2", "I'm not sure; let me check.", sources=(), rank=2),
    signal(),
    summary(1, "Charged twice"),
]


@pytest.fixture
def make_window(qtbot):
    def make(script=SCRIPT, *, ready_phase=cr.READY, call_id=7, audit=None, **kw):
        holder: dict[str, FakeRunner] = {}

        def factory(post):
            holder["r"] = FakeRunner(post, script=script, ready_phase=ready_phase,
                                     call_id=call_id)
            return holder["r"]

        window = MainWindow(factory, demo_wav="demo.wav", demo_script="demo.json", audit=audit,
                            **kw)
        qtbot.addWidget(window)
        window.resize(1100, 700)
        window.show()
        qtbot.waitExposed(window)
        window.start_services()
        qtbot.waitUntil(lambda: window.state.phase == ready_phase)
        return window, holder["r"]

    return make


def _start_demo(qtbot, window, runner):
    window.call_bar.source.setCurrentText("Demo call")
    window.call_bar.start_button.click()
    qtbot.waitUntil(lambda: window.bridge.pending() == 0 and runner.thread is not None
                    and not runner.thread.is_alive() and window.summary.version == 1)


def test_a_call_fills_every_panel(qtbot, make_window):
    window, runner = make_window()
    assert window.call_bar.start_button.isEnabled()
    _start_demo(qtbot, window, runner)
    assert runner.started[0].kind == cr.FILE and runner.started[0].path == "demo.wav"
    assert window.call_bar.live and window.call_bar.start_button.text() == "Stop call"
    text = window.transcript.plain_text()
    assert "Thank you for calling" in text and "I was charged twice" in text
    assert "AI translation" in text
    assert [c.ref.id for c in window.assist.cards] == ["BILL-01"]
    assert [c.event.rank for c in window.assist.visible_suggestions()] == [1, 2]
    assert "frustrated" in window.signal.text.text()
    assert "Charged twice" in window.summary.body.text()
    qtbot.waitUntil(lambda: window.call_bar.timer.text() == "00:12")  # the runner's clock
    assert window.call_bar.meters["agent"].bar.value() == 50
    window.call_bar.start_button.click()
    assert runner.stopped == 1
    runner.end("3 captions, stored as call 7")
    qtbot.waitUntil(lambda: not window.call_bar.live)
    assert "stored as call 7" in window.statusBar().currentMessage()
    assert window.call_bar.meters["agent"].bar.value() == 0


def test_agent_actions_are_stored_with_the_call_and_the_pack(qtbot, make_window, tmp_path):
    db = tmp_path / "calls.sqlite3"
    with CallStore(db) as store:
        call_id = store.start_call("test")
    audit = AuditTrail(db)
    window, runner = make_window(call_id=call_id, audit=audit, pack_label="northwind@1.2")
    _start_demo(qtbot, window, runner)
    assert window.assist.copy_suggestion(1)
    window.assist.visible_suggestions()[1].dismiss.click()  # the abstention
    window.assist.cards[0].used.click()
    window.open_passage("BILL-01")
    assert window.passage_view.isVisible()
    assert "5 business days" in window.passage_view.text.toPlainText()
    audit.wait(10)
    with CallStore(db) as store:
        events = [(e.type, e.payload) for e in store.events(call_id)]
    acts = [(t, p["action"]) for t, p in events]
    assert acts == [(SUGGESTION_ACTION, "copied"), (SUGGESTION_ACTION, "dismissed"),
                    ("knowledge_action", "used"), ("knowledge_action", "opened")]
    copied = events[0][1]
    assert copied["text"] == "I've filed a billing correction."
    assert copied["sources"] == ["BILL-01"] and copied["of"] == "c2"
    assert all(p["pack"] == "northwind@1.2" for _t, p in events)
    assert events[1][1]["sources"] == [] and events[1][1]["origin"] == "abstain"
    # The call's assistance hears them too (the summary's "Knowledge used", its open items).
    assert runner.agent_actions[:3] == [("copied", ["BILL-01"], "c2"), ("dismissed", [], "c2"),
                                        ("used", ["BILL-01"], runner.agent_actions[2][2])]
    window.close()
    assert runner.closed


def test_actions_without_a_call_record_are_not_stored(qtbot, make_window):
    window, runner = make_window(call_id=None)
    _start_demo(qtbot, window, runner)
    window.assist.copy_suggestion(1)
    assert window.actions.recorded == []


def test_keyboard_shortcuts(qtbot, make_window):
    window, runner = make_window()
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: runner.started and window.bridge.pending() == 0
                    and window.summary.version == 1)
    QGuiApplication.clipboard().setText("")
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert QGuiApplication.clipboard().text() == "I'm not sure; let me check."
    qtbot.keyClick(window, Qt.Key.Key_Escape)  # no card has the focus: nothing is dismissed
    assert [c.event.rank for c in window.assist.visible_suggestions()] == [1, 2]
    assert not any(r.payload.get("action") == "dismissed" for r in window.actions.recorded)
    window.assist.visible_suggestions()[0].setFocus()
    qtbot.keyClick(window.assist.visible_suggestions()[0], Qt.Key.Key_Escape)
    assert [c.event.rank for c in window.assist.visible_suggestions()] == [2]
    qtbot.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert runner.payment == [True] and window.payment_banner.isVisible()
    qtbot.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert runner.payment == [True, False] and not window.payment_banner.isVisible()
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.transcript.search.hasFocus()
    qtbot.keyClick(window, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert runner.stopped == 1


def test_no_speech_model_shows_the_first_run_screen_and_the_demo_still_works(qtbot, make_window):
    window, runner = make_window(ready_phase=cr.NO_MODEL)
    assert window.pages.currentWidget() is window.first_run
    assert "no speech model" in window.first_run.reason.text()
    window.first_run.demo.click()
    qtbot.waitUntil(lambda: bool(runner.started))
    assert runner.started[0].kind == cr.DEMO_SCRIPT and runner.started[0].path == "demo.json"
    assert window.pages.currentIndex() == 0


def test_a_failed_call_and_notices_are_shown(qtbot, make_window):
    window, runner = make_window(script=[Notice("audio_dropped", "2.0 s of audio was dropped",
                                                1.0)])
    _start = window.call_bar
    _start.source.setCurrentText("Demo call")
    _start.start_button.click()
    qtbot.waitUntil(lambda: "dropped" in window.notice.text())
    runner.end("cannot record from 3: device unplugged", cr.FAILED)
    qtbot.waitUntil(lambda: not window.call_bar.live)
    assert "device unplugged" in window.notice.text() and window.notice.isVisible()


def test_sound_devices_are_listed_off_the_ui_thread_and_failures_explained(qtbot, make_window):
    def broken():
        raise OSError("PortAudio library not found")

    window, _ = make_window(list_devices=broken)
    qtbot.waitUntil(lambda: "PortAudio" in window.call_bar._no_devices_error)
    assert window.call_bar.source.currentText() == "Demo call"  # what works without devices
    window.call_bar.source.setCurrentText("Live call (sound devices)")
    assert "PortAudio library not found" in window.call_bar.source_note.text()
    assert not window.call_bar.start_button.isEnabled()


def test_versions_in_the_status_bar(qtbot, make_window):
    window, _ = make_window(pack_label="demo")
    assert "Pack: demo" in window.versions.text() and "LLM: fake-llm" in window.versions.text()
    window.set_pack_label("northwind@2.0")
    assert "Pack: northwind@2.0" in window.versions.text()


def test_esc_in_the_transcript_search_clears_it_and_leaves_it_and_dismisses_nothing(
        qtbot, make_window):
    window, runner = make_window()
    _start_demo(qtbot, window, runner)
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    search = window.transcript.search
    assert search.hasFocus()
    qtbot.keyClicks(search, "charged")
    qtbot.keyClick(search, Qt.Key.Key_Return)
    assert window.transcript.text.extraSelections()  # the matches are marked
    qtbot.keyClick(search, Qt.Key.Key_Escape)
    assert search.text() == "" and not search.hasFocus()
    assert window.transcript.text.hasFocus()  # the keys are back with the transcript
    assert window.transcript.text.extraSelections() == []
    assert not window.transcript.text.textCursor().hasSelection()
    assert window.transcript.matches.text() == ""
    # Only what has the focus acts: no line or card was dismissed, none recorded so.
    assert [c.event.rank for c in window.assist.visible_suggestions()] == [1, 2]
    assert [c.ref.id for c in window.assist.cards] == ["BILL-01"]
    assert not any(r.payload.get("action") == "dismissed" for r in window.actions.recorded)


def test_devices_listed_after_the_window_is_gone_raise_nothing(qtbot):
    """A quick Ctrl-C at start-up closes the window while the device-listing thread still
    runs: when it finishes, there is no one to tell, and no traceback may reach the terminal."""
    import shiboken6

    window = MainWindow(lambda post: FakeRunner(post), demo_wav="demo.wav",
                        demo_script="demo.json", list_devices=lambda: [])
    worker = window._devices_worker  # not shown nor handed to qtbot: deleted below
    shiboken6.delete(window)
    worker()  # the thread's last step, on a window Qt has deleted


def test_a_notice_banner_reads_as_a_sentence(qtbot, make_window):
    window, _ = make_window(script=[Notice("no_speech", "no speech was heard in the recording",
                                           1.0)])
    window.call_bar.source.setCurrentText("Demo call")
    window.call_bar.start_button.click()
    qtbot.waitUntil(lambda: "speech" in window.notice.text())
    assert window.notice.text() == "No speech was heard in the recording"
