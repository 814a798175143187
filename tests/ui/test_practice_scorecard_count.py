"""The Practice tab's scorecard counts the wrong policy facts as the command does: "not
supported by this call's passages" (some are other passages' promises, which the feedback
names), never "not in any passage"."""

from __future__ import annotations

import pytest

from copilot import paths
from copilot.knowledge.base import KnowledgeBase
from copilot.practice.scenario import find_scenario
from copilot.practice.session import PracticeOptions, PracticeSession
from ui.panels.practice import render
from ui.theme import DARK, LIGHT


@pytest.fixture(scope="module")
def card():
    with KnowledgeBase.load(paths.sample_kb()) as kb:
        s = PracticeSession(find_scenario("duplicate_charge"), kb,
                            options=PracticeOptions(timed=False))
        s.opening()
        s.answer("Could you confirm your account number?")
        # "waive" and "credit" are other passages' promises, "50 dollar" no passage's
        s.answer("I can waive the late fee and give you a 50 dollar credit.")
        return s.finish()


@pytest.mark.parametrize("colors", [LIGHT, DARK])
def test_the_count_of_wrong_facts_is_worded_truthfully(card, colors) -> None:
    wrong = [f for a in card.answers for f in a.facts.wrong]
    assert any(f.elsewhere for f in wrong) and any(not f.elsewhere for f in wrong)
    html = render.scorecard_html(card, colors)
    assert "not in any passage" not in html
    text = html.replace("&#x27;", "'")
    assert "<b>0</b> correct" in text
    assert f"{card.facts_wrong}</b> not supported by this call's passages" in text
