"""The Practice tab with the real small models: a spoken answer transcribed by Whisper (a
recording played where the microphone would be: this machine has no sound device), and
SmolLM2-135M voicing the customer through the tab's worker."""

from __future__ import annotations

import importlib.util
import threading
import time

import pytest

from copilot import paths
from copilot.audio.decode import read_audio
from copilot.practice.scenario import scenarios_dir
from ui.panels.practice import PracticeServices, PracticeTab
from ui.panels.practice import tab as practice_tab
from ui.panels.practice.voice_input import MicrophoneAnswers

pytestmark = pytest.mark.e2e
MODEL_WAIT_MS = 300_000  # a guard against a hang, not a speed target


def report(capsys, line: str) -> None:
    with capsys.disabled():
        print(f"\n[practice tab] {line}")


def make_tab(qtbot, tmp_path, **kw) -> PracticeTab:
    services = PracticeServices(kb_dir=str(paths.sample_kb()),
                                store_path=tmp_path / "practice.sqlite3", **kw.pop("services", {}))
    tab = PracticeTab(services, **kw)
    qtbot.addWidget(tab)
    tab.show()
    qtbot.waitUntil(lambda: len(tab.scenarios) > 0)
    return tab


def start(qtbot, tab, scenario_id: str) -> None:
    tab.picker.setCurrentIndex(tab.picker.findData(scenario_id))
    tab.start_button.click()
    qtbot.waitUntil(lambda: tab.state == practice_tab.ANSWERING and tab.worker.pending() == 0,
                    timeout=MODEL_WAIT_MS)


def test_a_spoken_answer_goes_through_whisper_into_the_practice_call(
        qtbot, testdata, tiny_model, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("COPILOT_HOME", str(tmp_path / "home"))
    recording = testdata / "speech" / "en" / "jfk.flac"

    def play(stop: threading.Event, device=None):
        stop.wait(60)  # "recording" until the trainee presses Stop
        return read_audio(recording)

    voice = MicrophoneAnswers(lambda: tiny_model, lambda: None, record=play)
    tab = make_tab(qtbot, tmp_path, voice=voice)
    tab.set_devices([object()])  # a microphone is present
    start(qtbot, tab, "duplicate_charge")
    tab.speak_button.click()
    assert tab.state == practice_tab.RECORDING
    t0 = time.perf_counter()
    tab.speak_button.click()  # Stop
    qtbot.waitUntil(lambda: tab.state == practice_tab.ANSWERING and tab.worker.pending() == 0,
                    timeout=MODEL_WAIT_MS)
    report(capsys, f"spoken answer judged {time.perf_counter() - t0:.1f} s after Stop "
                   "(includes loading Whisper tiny.en)")
    text = tab.conversation.toPlainText()
    assert "You · spoken" in text
    assert "ask not what your country can do for you" in text.lower()
    assert "Feedback on answer 1" in text
    tab.close_services()
    qtbot.waitUntil(lambda: voice._engine is None)


@pytest.mark.skipif(importlib.util.find_spec("llama_cpp") is None,
                    reason="llama-cpp-python is not installed")
def test_smollm2_voices_the_customer_and_good_answers_still_pass(qtbot, tmp_path, monkeypatch,
                                                                 capsys):
    from copilot.llm.engine import LlmEngine
    from copilot.settings import LlmSettings

    monkeypatch.setenv("COPILOT_HOME", str(tmp_path / "home"))
    text = (scenarios_dir() / "answers" / "duplicate_charge.good.txt").read_text("utf-8")
    good = [ln for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
    with LlmEngine.from_settings(LlmSettings()) as llm:
        llm.wait_ready(300)
        tab = make_tab(qtbot, tmp_path, services={"llm": lambda: llm})
        assert tab.ai_customer.isChecked()
        start(qtbot, tab, "duplicate_charge")
        t0 = time.perf_counter()
        for answer in good:
            tab.answer_box.setPlainText(answer)
            tab.send()
            qtbot.waitUntil(lambda: tab.worker.pending() == 0 and tab.state in (
                practice_tab.ANSWERING, practice_tab.IDLE), timeout=MODEL_WAIT_MS)
            if tab.state == practice_tab.IDLE:
                break
        elapsed = time.perf_counter() - t0
        tab.close_services()
    card = tab.last.card
    assert card.passed and card.completed and tab.last.saved is not None
    sources = [t.source for t in card.customer_turns]
    conversation = tab.conversation.toPlainText()
    # Trainees see the customer's lines, not where each came from (issue 15); that is in the
    # scorecard (card.customer_turns) and --json.
    assert "Customer · AI" not in conversation and "Customer · scripted" not in conversation
    rejected = sum(len(t.rejected) for t in card.customer_turns)
    assert "AI line not used" not in conversation  # a diagnostic, not for trainees
    report(capsys, f"{len(card.answers)} answers in {elapsed:.1f} s; customer lines: "
                   f"{sources.count('llm')} AI, {len(sources) - sources.count('llm')} scripted, "
                   f"{rejected} AI line(s) rejected")
