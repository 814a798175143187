"""Practice with the real models: SmolLM2-135M voicing the customer through a whole scenario
(every line it wrote was checked, every other line is the script), and a spoken answer turned
into text by Whisper tiny.en."""

from __future__ import annotations

import importlib.util

import pytest

from copilot import paths
from copilot.knowledge.base import KnowledgeBase
from copilot.llm.engine import LlmEngine
from copilot.practice.customer import check_line
from copilot.practice.scenario import find_scenario, scenarios_dir
from copilot.practice.session import PracticeOptions, PracticeSession
from copilot.practice.voice import answer_from_file
from copilot.settings import LlmSettings

pytestmark = pytest.mark.e2e


def report(capsys, line: str) -> None:
    with capsys.disabled():
        print(f"\n[practice] {line}")


@pytest.mark.skipif(importlib.util.find_spec("llama_cpp") is None,
                    reason="llama-cpp-python is not installed")
def test_smollm2_customer_runs_a_scenario_to_the_end(capsys):
    scenario = find_scenario("cancellation")
    text = (scenarios_dir() / "answers" / "cancellation.good.txt").read_text(encoding="utf-8")
    replies = [ln for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
    beats = {b.text for b in scenario.customer.script}
    reveals = {r.say for r in scenario.customer.reveals}
    with KnowledgeBase.load(paths.sample_kb()) as kb, \
            LlmEngine.from_settings(LlmSettings()) as llm:
        llm.wait_ready(300)
        session = PracticeSession(scenario, kb, llm, options=PracticeOptions(timed=False))
        session.opening()
        for reply in replies:
            assert not session.done
            session.answer(reply)
        card = session.finish()
    assert card.completed and card.passed  # the agent's score never depends on the model
    asked = 0
    earlier = [scenario.customer.opening]
    for turn in card.customer_turns[1:]:
        assert turn.source in ("reveal", "script", "llm", "closing")
        if turn.source == "llm":
            asked += 1
            report(capsys, f"LLM line kept: {turn.text!r}")
            assert turn.text not in beats
        elif turn.source == "script":
            assert turn.text in beats
            asked += bool(turn.rejected)
            for r in turn.rejected:
                report(capsys, f"LLM line rejected ({r.reason}): {r.text!r}")
        elif turn.source == "reveal":
            assert turn.text in reveals
        earlier.append(turn.text)
    assert asked == len(beats)  # each unfixed beat went to the model first
    # a kept line passes the same check again (nothing slipped through)
    for i, turn in enumerate(card.customer_turns):
        if turn.source == "llm":
            assert any(check_line(turn.text, b.text, scenario,
                                  session.customer._known_facts(b), earlier[:i]) is None
                       for b in scenario.customer.script)

def test_a_spoken_answer_becomes_text(testdata, tiny_engine):
    text = answer_from_file(testdata / "speech" / "en" / "jfk.flac", tiny_engine, "en")
    assert "ask not what your country can do for you" in text.lower()
