"""The scorecard counts the wrong policy facts truthfully: some are stated by no passage, others
by a passage about something else (the feedback names it: "BILL-02 says it about something
else"), so the count says "not supported by this call's passages", never "not in any passage",
in the command's output (the Practice tab: tests/ui/test_practice_scorecard_count.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from copilot import paths
from copilot.cli import main
from copilot.knowledge.base import KnowledgeBase
from copilot.practice.scenario import find_scenario
from copilot.practice.session import PracticeOptions, PracticeSession

ANSWERS = ("Could you confirm your account number?",
           # "waive" and "credit" are other passages' promises, "50 dollar" no passage's
           "I can waive the late fee and give you a 50 dollar credit.")
COUNT = "0 correct, 3 not supported by this call's passages"


@pytest.fixture(scope="module")
def card():
    with KnowledgeBase.load(paths.sample_kb()) as kb:
        s = PracticeSession(find_scenario("duplicate_charge"), kb,
                            options=PracticeOptions(timed=False))
        s.opening()
        for a in ANSWERS:
            s.answer(a)
        return s.finish()


def test_some_wrong_facts_are_in_other_passages(card) -> None:
    wrong = [f for a in card.answers for f in a.facts.wrong]
    assert card.facts_wrong == len(wrong) == 3
    assert any(f.elsewhere for f in wrong) and any(not f.elsewhere for f in wrong)


def test_the_command_counts_them_truthfully(copilot_home: Path, tmp_path: Path, capsys) -> None:
    answers = tmp_path / "answers.txt"
    answers.write_text("\n".join(ANSWERS) + "\n", encoding="utf-8")
    assert main(["practice", "duplicate_charge", "--customer", "script", "--no-save",
                 "--answers", str(answers)]) == 0
    out = capsys.readouterr().out
    (count,) = [line for line in out.splitlines() if line.startswith("policy facts:")]
    assert count == f"policy facts: {COUNT}"
    assert "BILL-02 says it about something else" in out  # the feedback names the passage

