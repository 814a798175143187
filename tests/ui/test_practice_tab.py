"""The Practice tab with the real practice engine (scripted customer, bundled scenarios, the
sample knowledge base, a real scorecard database): answers typed as a trainee would, feedback,
scorecard, progress, the live-call lock, and the worker thread."""

from __future__ import annotations

import logging
import threading

import pytest
from PySide6.QtCore import Qt, QTimer

from copilot import paths
from copilot.practice import PracticeStore, live_call
from copilot.practice.scenario import scenarios_dir
from ui.jobs import Jobs
from ui.panels.practice import PracticeServices, PracticeTab
from ui.panels.practice import tab as practice_tab


class Clock:
    """The tab's clock: tests move it, so response times are exact."""

    def __init__(self) -> None:
        self.t = 100.0

    def __call__(self) -> float:
        return self.t


def answers(name: str) -> list[str]:
    text = (scenarios_dir() / "answers" / f"{name}.txt").read_text(encoding="utf-8")
    return [ln for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]


@pytest.fixture
def make_tab(qtbot, copilot_home, tmp_path):
    def make(**kw) -> PracticeTab:
        services = PracticeServices(kb_dir=str(paths.sample_kb()),
                                    store_path=tmp_path / "practice.sqlite3",
                                    clock=kw.pop("clock", Clock()), **kw.pop("services", {}))
        tab = PracticeTab(services, **kw)
        qtbot.addWidget(tab)
        tab.resize(1000, 700)
        tab.show()
        qtbot.waitUntil(lambda: len(tab.scenarios) == 5)
        return tab

    yield make


def idle(tab) -> bool:
    return tab.worker.pending() == 0


def start(qtbot, tab, scenario_id: str) -> None:
    tab.picker.setCurrentIndex(tab.picker.findData(scenario_id))
    assert scenario_id.split("_")[0] in tab.about.text().lower() or tab.about.text()
    tab.start_button.click()
    qtbot.waitUntil(lambda: tab.state == practice_tab.ANSWERING and idle(tab))


def type_answer(qtbot, tab, text: str, *, keys: bool = False) -> None:
    if keys:
        qtbot.keyClicks(tab.answer_box, text)
    else:
        tab.answer_box.setPlainText(text)
    qtbot.keyClick(tab.answer_box, Qt.Key.Key_Return)  # Enter sends
    qtbot.waitUntil(lambda: idle(tab) and tab.state in (practice_tab.ANSWERING,
                                                       practice_tab.IDLE))


@pytest.mark.parametrize("scenario_id", ["duplicate_charge", "late_fee_fr", "card_number",
                                         "cancellation", "one_device"])
def test_good_answers_pass_and_the_scorecard_is_stored(qtbot, make_tab, tmp_path, scenario_id):
    clock = Clock()
    tab = make_tab(clock=clock)
    start(qtbot, tab, scenario_id)
    conversation = tab.conversation.toPlainText()
    assert "Customer\n" in conversation and "Nothing here is a real call" in conversation
    assert "scripted" not in conversation  # who wrote a line is not the trainee's business
    assert "pending" not in tab.checklist.toPlainText()  # shown as "· not yet"
    assert "not yet" in tab.checklist.toPlainText()
    good = answers(f"{scenario_id}.good")
    for i, text in enumerate(good):
        clock.t += 2.5  # the trainee starts typing 2.5 s after the customer's line
        type_answer(qtbot, tab, text, keys=i == 0 and text.isascii())  # QTest: ASCII keys
        if tab.state == practice_tab.IDLE:
            break
    assert tab.state == practice_tab.IDLE and tab.last is not None
    card = tab.last.card
    assert card.passed and card.completed and card.score == 1.0
    assert card.response_times and set(card.response_times) == {2.5}
    text = tab.conversation.toPlainText()
    assert text.count("You · typed") == len(card.answers)
    assert "Feedback on answer 1" in text and "Response time: 2.5 s" in text
    assert "✓ met" in text
    assert "Passed" in tab.checklist.toPlainText()
    assert tab.start_button.isEnabled() and tab.start_button.text() == "Practice again"
    with PracticeStore(tmp_path / "practice.sqlite3") as store:
        rows = store.sessions()
    assert [(r.id, r.scenario_id, r.passed) for r in rows] == [(tab.last.saved, scenario_id,
                                                                True)]
    # Progress lists it, with its score on the chart.
    tab.pages.setCurrentWidget(tab.progress)
    qtbot.waitUntil(lambda: tab.progress.scenarios.rowCount() == 1 and idle(tab))
    assert tab.progress.selected_scenario() == scenario_id
    assert tab.progress.chart.scores == [(1.0, True)]
    assert tab.progress.history.item(0, 2).text() == "passed"


def test_a_fact_in_the_feedback_names_its_passage(qtbot, make_tab):
    tab = make_tab()
    start(qtbot, tab, "duplicate_charge")
    for text in answers("duplicate_charge.good")[:3]:
        type_answer(qtbot, tab, text)
    text = tab.conversation.toPlainText()
    assert "“5 business days” is in BILL-01 (" in text  # the passage's title follows
    assert "✓ met States the refund timing" in text
    assert "✓ met" in tab.checklist.toPlainText()


def test_a_bad_answer_shows_the_violation_and_an_early_end_is_not_a_pass(qtbot, make_tab,
                                                                          tmp_path):
    tab = make_tab()
    start(qtbot, tab, "duplicate_charge")
    bad = answers("duplicate_charge.bad")
    type_answer(qtbot, tab, bad[0])
    text = tab.conversation.toPlainText()
    assert "✗ missed Verifies identity" in text
    assert "is not in any approved passage" in text and "24 hours" in text
    assert "⚠ violated" in text  # the invented refund promise
    type_answer(qtbot, tab, bad[1])  # asks for the card number
    assert tab.conversation.toPlainText().count("⚠ violated") == 2
    assert "⚠ violated" in tab.checklist.toPlainText()
    tab.end_button.click()
    qtbot.waitUntil(lambda: tab.state == practice_tab.IDLE and idle(tab))
    card = tab.last.card
    assert not card.passed and not card.completed and card.facts_wrong >= 2
    assert "Not passed" in tab.checklist.toPlainText()
    assert "Stopped before the customer was done" in tab.checklist.toPlainText()
    assert tab.last.saved is not None


def test_a_card_number_typed_by_the_trainee_is_masked(qtbot, make_tab):
    tab = make_tab()
    start(qtbot, tab, "card_number")
    type_answer(qtbot, tab, "Sure, is it 4111 1111 1111 1111?")
    text = tab.conversation.toPlainText()
    assert "4111 1111 1111 1111" not in text and "[card ending 1111]" in text
    assert tab.answer_box.toPlainText() == ""


def test_start_is_disabled_during_a_live_call(qtbot, make_tab, copilot_home):
    with live_call():
        tab = make_tab()
        assert tab.live and not tab.start_button.isEnabled()
        assert practice_tab.LIVE_CALL_TEXT in tab.banner.text() and tab.banner.isVisible()
        assert tab.start_button.toolTip() == practice_tab.LIVE_CALL_TEXT
        tab.start()  # the shortcut path is refused as well
        assert tab.state == practice_tab.IDLE
    qtbot.waitUntil(lambda: tab.start_button.isEnabled())  # the probe sees the call end
    assert not tab.banner.isVisible()


def test_a_call_that_starts_as_practice_starts_wins(qtbot, make_tab):
    tab = make_tab(services={"live_probe": lambda: False})  # the probe has not seen it yet
    assert tab.ai_customer.isHidden()  # no LLM: a scripted customer, no switch to offer
    with live_call():
        tab.start_button.click()
        qtbot.waitUntil(lambda: idle(tab))
    assert tab.state == practice_tab.IDLE and tab.run is None and tab.last is None
    assert practice_tab.LIVE_CALL_TEXT in tab.banner.text()
    start(qtbot, tab, "one_device")  # the lock was let go: practice starts after the call


def test_the_windows_own_call_disables_start(qtbot, make_tab):
    tab = make_tab(services={"live_probe": lambda: False})
    tab.set_live_call(True)
    assert not tab.start_button.isEnabled()
    tab.set_live_call(False)
    assert tab.start_button.isEnabled()


def test_a_call_that_starts_mid_practice_ends_it_cleanly(qtbot, make_tab, tmp_path):
    tab = make_tab()
    tab._probe_timer.stop()  # let the next answer be the one that finds the call
    start(qtbot, tab, "duplicate_charge")
    good = answers("duplicate_charge.good")
    type_answer(qtbot, tab, good[0])
    with live_call():
        type_answer(qtbot, tab, good[1])
        assert tab.state == practice_tab.IDLE and tab.run is None
        assert "practice was stopped" in tab.banner.text()
        card = tab.last.card
        assert not card.completed and len(card.answers) == 1
        assert tab.last.saved is not None
        tab._probe()
        assert not tab.start_button.isEnabled()
    tab._probe()
    assert tab.start_button.isEnabled()


class SlowLlm:
    """An LLM that answers only when the test says so (and then with a timeout, so the script
    takes over): proves the answer runs off the UI thread."""

    def __init__(self) -> None:
        self.release = threading.Event()
        self.threads: list[str] = []

    def generate(self, *args, **kwargs):
        self.threads.append(threading.current_thread().name)
        self.release.wait(30)
        raise TimeoutError("no line in time")


def test_the_ui_thread_never_waits_for_an_answer(qtbot, make_tab):
    llm = SlowLlm()
    tab = make_tab(services={"llm": lambda: llm})
    assert tab.ai_customer.isVisibleTo(tab) and tab.ai_customer.isChecked()
    start(qtbot, tab, "duplicate_charge")
    tab.answer_box.setPlainText("Hello, let me look into that.")
    qtbot.keyClick(tab.answer_box, Qt.Key.Key_Return)
    assert tab.state == practice_tab.WAITING and not tab.send_button.isEnabled()
    ticks = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(10)
    qtbot.waitUntil(lambda: len(ticks) >= 5 and bool(llm.threads))  # the event loop runs meanwhile
    timer.stop()
    assert tab.state == practice_tab.WAITING and llm.threads == ["practice"]
    llm.release.set()
    qtbot.waitUntil(lambda: tab.state == practice_tab.ANSWERING and idle(tab))
    assert "I don't want excuses" in tab.conversation.toPlainText()  # the scripted line


class DriftingLlm:
    """An LLM whose every line drifts from the scripted beat: the script is said instead."""

    def __init__(self) -> None:
        from copilot.llm.engine import LlmEngine
        from copilot.llm.fake import ScriptedBackend

        backend = ScriptedBackend(["I am switching to another carrier tomorrow."] * 5)
        self.engine = LlmEngine(lambda: backend)


def test_the_trainee_sees_no_diagnostics_of_the_ai_customer(qtbot, make_tab, caplog):
    """Issue 15: "AI line not used (drifts from the scripted line)" was shown on every turn,
    under a header claiming "AI-worded lines, checked". The trainee sees the customer's line
    only; why a model's line was not used stays in the session data (--json) and the log."""
    caplog.set_level(logging.INFO, logger="copilot.practice")
    llm = DriftingLlm()
    tab = make_tab(services={"llm": lambda: llm.engine})
    start(qtbot, tab, "duplicate_charge")
    good = answers("duplicate_charge.good")
    type_answer(qtbot, tab, good[0])  # reveal: scripted, the model is not asked
    type_answer(qtbot, tab, good[1])  # a beat: the model's line drifts, the script is said
    text = tab.conversation.toPlainText()
    assert "I don't want excuses" in text  # the scripted line
    turn = tab.run.session.customer_turns[-1]
    assert turn.rejected and turn.rejected[0].reason == "drifts from the scripted line"
    for internal in ("AI line", "not used", "drifts", "scripted", "AI-worded", "checked",
                     "switching to another carrier"):
        assert internal not in text, internal
    # The log keeps the reason, as a code: never the words of the line.
    logged = [r.getMessage() for r in caplog.records if r.name.startswith("copilot.practice")]
    assert any("drifts from the scripted line" in m for m in logged), logged
    assert not any("switching to another carrier" in m for m in logged), logged
    llm.engine.close()


class FakeVoice:
    def __init__(self, text: str) -> None:
        self.text = text
        self.langs: list[str | None] = []
        self.closed = False

    def listen(self, stop: threading.Event, lang=None) -> str:
        self.langs.append(lang)
        stop.wait(30)
        return self.text

    def close(self) -> None:
        self.closed = True


def test_speak_is_disabled_with_a_reason_without_a_microphone(qtbot, make_tab):
    tab = make_tab(voice=FakeVoice("hello"))
    start(qtbot, tab, "duplicate_charge")
    assert not tab.speak_button.isEnabled()
    assert "No microphone found" in tab.speak_button.toolTip()
    assert tab.send_button.isEnabled()


def test_a_spoken_answer_is_judged_like_a_typed_one(qtbot, make_tab):
    voice = FakeVoice("I'm so sorry. Could you confirm your account number and PIN?")
    tab = make_tab(voice=voice)
    tab.set_devices([object()])
    start(qtbot, tab, "duplicate_charge")
    assert tab.speak_button.isEnabled()
    tab.speak_button.click()
    assert tab.state == practice_tab.RECORDING and tab.speak_button.text() == "Stop"
    tab.speak_button.click()
    qtbot.waitUntil(lambda: tab.state == practice_tab.ANSWERING and idle(tab))
    text = tab.conversation.toPlainText()
    assert "You · spoken" in text and "✓ met Verifies identity" in text
    assert "My account number is" in text  # the customer's reveal
    assert voice.langs == ["en"]
    tab.close_services()


def test_the_worker_reports_failures_on_the_ui_thread(qtbot):
    worker = Jobs(name="practice")
    seen = []

    def boom():
        raise ValueError("bad")

    worker.submit(boom, on_error=lambda e: seen.append((type(e), threading.current_thread())))
    qtbot.waitUntil(lambda: worker.pending() == 0)
    assert seen == [(ValueError, threading.main_thread())]
    worker.close()


def test_the_window_has_a_practice_tab_that_waits_for_its_calls(qtbot, copilot_home):
    from window_fakes import FakeRunner

    from ui import call_runner as cr
    from ui.main_window import MainWindow

    holder = {}

    def factory(post):
        holder["r"] = FakeRunner(post)
        return holder["r"]

    window = MainWindow(factory, demo_wav="demo.wav", demo_script="demo.json")
    qtbot.addWidget(window)
    window.resize(1100, 700)
    window.show()
    qtbot.waitExposed(window)
    window.start_services()
    qtbot.waitUntil(lambda: window.state.phase == cr.READY)
    practice = window.practice
    assert [window.tabs.tabText(i) for i in range(2)] == ["Live call", "Practice"]
    window.shortcuts["Ctrl+Shift+2"].activated.emit()
    assert window.tabs.currentWidget() is practice
    qtbot.waitUntil(lambda: practice.start_button.isEnabled())
    assert "No microphone found" in practice.speak_button.toolTip()  # no devices listed
    window.start_demo()  # a call from the window: back to the live tab, practice waits
    qtbot.waitUntil(lambda: window.state.phase == cr.LIVE)
    assert window.tabs.currentIndex() == 0
    assert not practice.start_button.isEnabled() and practice.live
    holder["r"].end()
    qtbot.waitUntil(lambda: window.state.phase == cr.ENDED)
    assert practice.start_button.isEnabled()
    window.shortcuts["Ctrl+Shift+1"].activated.emit()
    assert window.tabs.currentIndex() == 0
    window.close()
    assert practice.worker.closed


def test_with_a_sites_pack_its_scenario_comes_first_and_the_bundled_ones_cannot_start(
        qtbot, copilot_home, tmp_path):
    # A site's pack holding its own base and one scenario for it, built and installed for real.
    from copilot.active_pack import packs_root
    from copilot.pack_content import check_or_raise
    from models.packs import Policy, build, install

    src = tmp_path / "site-pack"
    (src / "kb").mkdir(parents=True)
    (src / "scenarios").mkdir()
    (src / "kb" / "billing.md").write_text(
        "## [BIL-01] Late payment fee\nA late payment fee is 8 dollars; the agent can waive one "
        "in any 12-month period.\nApproved line: I can waive this late fee once in any 12-month "
        "period.\n", encoding="utf-8")
    (src / "scenarios" / "late_fee.toml").write_text(
        'id = "site_late_fee"\ntitle = "Late fee"\npassages = ["BIL-01"]\n[customer]\n'
        'name = "Robin"\ngoal = "no fee"\nopening = "Can you remove the fee?"\n'
        'closing = "Bye."\n[[criteria]]\nkind = "says"\nany = ["waive*"]\n', encoding="utf-8")
    (src / "pack.toml").write_text('id = "site"\nversion = "1.0.0"\n[components.kb]\npath = "kb"'
                                   '\n[components.scenarios]\npath = "scenarios"\n')
    built = build(src, tmp_path / "site.tar", check=check_or_raise)
    install(packs_root(), built.path, Policy())
    tab = PracticeTab(PracticeServices(store_path=tmp_path / "practice.sqlite3"))
    qtbot.addWidget(tab)
    tab.show()
    qtbot.waitUntil(lambda: len(tab.scenarios) == 6)
    assert tab.picker.itemText(0).startswith("Late fee") and tab.picker.currentIndex() == 0
    assert tab.start_button.isEnabled()
    bundled = tab.picker.findData("cancellation")
    assert tab.picker.itemText(bundled).endswith("(not available)")
    tab.picker.setCurrentIndex(bundled)
    assert not tab.start_button.isEnabled()
    assert "CAN-01, CAN-02, ID-01 are not in the knowledge base" in tab.start_button.toolTip()
    assert "Not available with this knowledge base" in tab.about.text()
    tab.start()  # a shortcut or a stale click changes nothing
    assert tab.state == practice_tab.IDLE and tab.run is None


def test_closing_the_window_mid_practice_keeps_it_stopped(qtbot, make_tab, tmp_path):
    """Closing discarded a practice under way without a word (a walk-through); a live call
    stopping it kept it. Now both keep it, marked stopped (not scored in Progress)."""
    tab = make_tab()
    start(qtbot, tab, "duplicate_charge")
    type_answer(qtbot, tab, "I'm so sorry. Could you confirm your account number and PIN?")
    assert tab.state == practice_tab.ANSWERING
    tab.close_services()
    with PracticeStore(tmp_path / "practice.sqlite3") as store:
        rows = store.sessions()
        [progress] = store.progress("duplicate_charge")
    assert [r.scenario_id for r in rows] == ["duplicate_charge"]
    assert progress.stopped == 1


def test_progress_opens_on_the_scenario_just_practised(qtbot, make_tab):
    from PySide6.QtWidgets import QHeaderView

    tab = make_tab()
    for scenario_id in ("cancellation", "one_device"):  # the second is not the first row
        start(qtbot, tab, scenario_id)
        for text in answers(f"{scenario_id}.good"):
            type_answer(qtbot, tab, text)
            if tab.state == practice_tab.IDLE:
                break
        qtbot.waitUntil(lambda: idle(tab) and tab.progress.scenarios.rowCount() >= 1)
    qtbot.waitUntil(lambda: tab.progress.scenarios.rowCount() == 2 and idle(tab))
    tab.pages.setCurrentWidget(tab.progress)
    qtbot.waitUntil(lambda: idle(tab))
    assert tab.progress.selected_scenario() == "one_device"
    mode = tab.progress.history.horizontalHeader().sectionResizeMode(0)
    assert mode == QHeaderView.ResizeMode.ResizeToContents  # the date is never cut
