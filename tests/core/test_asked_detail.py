"""A number to call, an email or a web address asked for: a passage that holds none gets a card,
no line (copilot/knowledge/asked_detail.py, KnowledgeBase.cards_for)."""

from __future__ import annotations

import pytest
from fake_encoder import HashEncoder

from copilot.knowledge.asked_detail import asked_detail, holds_detail
from copilot.knowledge.base import Hit, KnowledgeBase
from copilot.knowledge.parse import Passage

COMPLAINTS = Passage("HLP-01", "Complaints",
                     "Complaints are answered within 20 working days. After 8 weeks you can go "
                     "to the Roadside Services Arbiter for free.",
                     ("After 8 weeks you can go to the Roadside Services Arbiter for free.",),
                     "help.md")
ARBITER = Passage("HLP-02", "Contacting the Roadside Services Arbiter",
                  "The Roadside Services Arbiter can be called on 0800 123 4567 or emailed at "
                  "help@rsa.example.org, and its website is www.rsa.example.org.",
                  ("You can call the Roadside Services Arbiter on 0800 123 4567.",), "help.md")


@pytest.mark.parametrize(("turn", "kind"), [
    ("What's the phone number for the Roadside Services Arbiter?", "phone"),
    ("What\u2019s the number to call the arbiter?", "phone"),
    ("what number do I ring to report a scam text", "phone"),
    ("Which number to call if I break down abroad?", "phone"),
    ("Is there a number I can call out of hours?", "phone"),
    ("What's the email address for complaints?", "email"),
    ("What is their website?", "web"),
])
def test_a_contact_detail_asked_for_is_read(turn, kind) -> None:
    assert asked_detail(turn) == kind


@pytest.mark.parametrize("turn", [
    "Is there a fee to change my phone number?",
    "I have a new phone number, how do I update it?",
    "What number of devices can I have on the plan?",
    "What's the fee for a replacement card?",
    "Can I complain by email?",
])
def test_questions_that_ask_for_no_contact_detail(turn) -> None:
    assert asked_detail(turn) is None


def test_english_only() -> None:
    assert asked_detail("What's the phone number for the arbiter?", "fr") is None


def test_what_holds_each_detail() -> None:
    assert all(holds_detail(kind, ARBITER.full_text) for kind in ("phone", "email", "web"))
    assert not any(holds_detail(kind, COMPLAINTS.full_text) for kind in ("phone", "email", "web"))
    assert holds_detail("phone", "In an emergency, dial 999.")
    assert not holds_detail("phone", "It costs 12.50 dollars for 30 days.")


@pytest.fixture
def kb():
    with KnowledgeBase([COMPLAINTS, ARBITER], encoder=HashEncoder()) as base:
        yield base


def test_a_passage_without_the_number_asked_for_is_a_card_not_a_line(kb) -> None:
    turn = "What's the phone number for the Roadside Services Arbiter?"
    hits = kb.cards_for(turn, "en", [Hit(COMPLAINTS, 5.0, True, 2.0, reason="agree")])
    assert (hits[0].relevant, hits[0].candidate, hits[0].reason) == (False, True, "detail")
    # the passage that gives it keeps its line, and a question asking for none is unchanged
    assert kb.cards_for(turn, "en", [Hit(ARBITER, 5.0, True, 2.0, reason="agree")])[0].relevant
    assert kb.cards_for("When can I go to the Roadside Services Arbiter?", "en",
                        [Hit(COMPLAINTS, 5.0, True, 2.0, reason="agree")])[0].relevant
