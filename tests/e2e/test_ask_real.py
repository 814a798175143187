"""Asking the knowledge base from the window, with the real sentence encoder (all-MiniLM-L6-v2 on
CTranslate2) and the bundled knowledge base: the agent's typed question gets the right card and
the approved line, and a question the base cannot answer gets no card and the abstention."""

from __future__ import annotations

import pytest

from copilot import paths
from copilot.assist.ask import ask
from copilot.knowledge.loading import open_knowledge
from copilot.settings import Settings


@pytest.fixture(scope="module")
def kb():
    with open_knowledge(Settings(), paths.resources() / "kb" / "northwind") as base:
        assert base.mode == "hybrid", base.warnings
        yield base


def test_roaming_in_canada_on_the_basic_plan_gets_the_roaming_card_and_line(kb) -> None:
    result = ask(kb, "roaming in Canada on the basic plan?", Settings(), ask_id="ask-1", at=20.0)
    card = result.knowledge.passages[0]
    assert (card.id, card.confident) == ("ROAM-01", True)
    assert card.answer == ("Calls, texts and data in Canada and Mexico are included in all "
                           "plans at no extra charge, up to 5 GB of data per month.")
    line = result.suggestions[0]
    assert (line.of, line.rank, line.sources, line.grounded, line.origin) == (
        "ask-1", 1, ("ROAM-01",), True, "approved_line")
    assert line.text == kb.passages["ROAM-01"].approved_lines[0]
    assert "Mexico and Canada are included" in line.text


def test_a_question_the_base_cannot_answer_gets_no_card(kb) -> None:
    result = ask(kb, "do you sell pet insurance?", Settings(), ask_id="ask-2")
    assert result.knowledge is None
    assert [(s.origin, s.sources) for s in result.suggestions] == [("abstain", ())]
