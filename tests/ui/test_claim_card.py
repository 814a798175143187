"""A knowledge card shown because the caller reports a promise says so in its title."""

from __future__ import annotations

from copilot.events import PassageRef
from ui.panels.cards import KnowledgeCard


def test_the_card_of_a_claim_asks_the_agent_to_check_it(qtbot) -> None:
    claim = KnowledgeCard(PassageRef("BILL-01", "Duplicate or double charges", 5.0,
                                     answer="Refunded within 5 business days.",
                                     confident=False, claim=True), "c1")
    maybe = KnowledgeCard(PassageRef("BILL-01", "Duplicate or double charges", 5.0,
                                     confident=False), "c1")
    sure = KnowledgeCard(PassageRef("BILL-01", "Duplicate or double charges", 5.0), "c1")
    for card in (claim, maybe, sure):
        qtbot.addWidget(card)
    assert claim.header.text() == "Check the caller's claim: Duplicate or double charges"
    assert maybe.header.text() == "Maybe: Duplicate or double charges"
    assert sure.header.text() == "Duplicate or double charges"
