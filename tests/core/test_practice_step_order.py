"""Two steps in the order a passage holds them (copilot/practice/step_order.py): CAN-02 says the
customer "should not cancel before the transfer completes"; an answer that has the caller cancel
first says the opposite, in the passage's own words."""

from __future__ import annotations

import pytest
from practice_helpers import scenario_checker, wrong


@pytest.fixture(scope="module")
def checker(kb):
    return scenario_checker(kb, "cancellation")


@pytest.mark.parametrize("answer, step", [
    ("Cancel with us first, then your new carrier requests the transfer.", "Cancel with us"),
    ("Yes, you can keep it: cancel with us first, then ask your partner's carrier to request "
     "the transfer.", "cancel with us"),
    ("Your new carrier requests the transfer. Just make sure you cancel with us first.",
     "Just make sure you cancel with us"),
])
def test_the_held_step_put_first_is_invented(checker, answer, step) -> None:
    assert ("rule", step) in wrong(checker, answer)


@pytest.mark.parametrize("answer", [
    "First, ask your new carrier to request the transfer. Don't cancel with us before it's done.",
    "Once the transfer is complete, then you can cancel with us.",
    "Don't cancel with us first: wait until the transfer is complete.",
    "Wait until your new carrier's transfer is complete first.",
    # "only when", and the transfer "finish" for "complete" (answer set 40)
    "Your new carrier asks us for the transfer. Please cancel with us only when the transfer is "
    "finish.",
    "Within the first 12 months there's an early termination fee.",
    "Could you confirm your account number and your 4-digit PIN first?",
])
def test_the_passages_order_or_no_order_passes(checker, answer) -> None:
    assert not [w for w in wrong(checker, answer) if w[0] == "rule"]
