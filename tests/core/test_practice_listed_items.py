"""An item a trainee adds to a list a passage of the call gives (copilot/practice/listed_items.py):
the passage verifies the caller "with the account number and the 4-digit account PIN"; asking for
a date of birth besides invents a requirement, in words other passages use."""

from __future__ import annotations

import pytest
from practice_helpers import scenario_checker, wrong

from copilot.practice.listed_items import added_items

ID_01 = ("Before discussing account details, verify the caller with the account number and the "
         "4-digit account PIN. Never ask for a full card number, a card security code, or a full "
         "social security number.")


@pytest.fixture(scope="module")
def checker(kb):
    return scenario_checker(kb, "cancellation")


@pytest.mark.parametrize("answer, added", [
    ("To verify you I'll need your account number, your 4-digit PIN and the postcode on the "
     "account.", "the postcode on the account"),
    ("Before anything, I'll need your account number, your PIN and your date of birth.",
     "your date of birth"),
    ("Please confirm your account number, your PIN and the email address.", "the email address"),
])
def test_an_item_added_to_the_passages_list_is_invented(checker, answer, added) -> None:
    assert ("rule", added) in wrong(checker, answer)


@pytest.mark.parametrize("answer", [
    "Could you confirm your account number and your 4-digit account PIN?",
    "I need your account number and PIN.",
    "First, for security, your account number and 4-digit PIN please?",
    "sure thing! just need to verify you first, whats your account number and pin?",
    # what is not needed adds no requirement (the twelfth answer set)
    "No, I never need your card number or security code.",
    # a list that names nothing of the passage's is left to the other checks
    "I'll need a moment and a pen.",
])
def test_the_passages_own_list_or_another_passes(checker, answer) -> None:
    assert not [w for w in wrong(checker, answer) if w[0] == "rule"]


def test_an_item_saying_more_of_one_already_named_is_not_added() -> None:
    bill = "Card payments are made with the secure payment line (press 3) or the app."
    assert added_items("You'll need to pay with the secure payment line, option 3, or the app.",
                       [bill]) == []
    assert [a.text for a in added_items("You'll need to pay with the secure payment line, a "
                                        "cheque or the app.", [bill])] == ["a cheque"]
    assert added_items("I'll need the account number and the PIN.", [ID_01]) == []
