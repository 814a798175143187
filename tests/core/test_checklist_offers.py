"""The built-in reader of retention offers (copilot/assist/checklist/offers.py) and a
conditional item that names it with `reader = "offers"`."""

from __future__ import annotations

import pytest
from checklist_helpers import prepared_with, said

from copilot.assist.checklist.offers import retention_offer
from copilot.assist.checklist.tracker import Checklists


@pytest.mark.parametrize("text", [
    "Stay, and I'll take ten dollars off your monthly bill.",
    "Might I offer our Business Flex bundle at two ninety, if you remain with us?",
    "Wait, what if I drop you to five dollars a month while you're away?",
    "Before you go, how about your next month free, on us?",
    "I can put you on our loyalty rate of 28 dollars a month if you stay with us.",
    # the proposal in one sentence, the deal in the next
    "Is there anything I could do to keep you? We have a twenty dollar plan with more data.",
    "If I dropped that to forty-five and added five extra gigs, would you stay?",
])
def test_an_offer_of_something_to_stay_is_read(text: str) -> None:
    assert retention_offer(text)


@pytest.mark.parametrize("text", [
    "I'll process the cancellation now.",
    "I can refund you the forty dollars and close the account today.",
    "There's an early termination fee of fifty dollars.",
    "Your final bill will arrive next week.",
    "Okay, I'll text you your transfer code, anything else I can do today?",
    "How about I send you the confirmation by email?",  # a proposal, nothing to get
    "The Europe pass is five dollars a day.",  # something to get, no proposal
    "",
])
def test_what_offers_nothing_is_not_read(text: str) -> None:
    assert retention_offer(text) is None


def _offers(tmp_path) -> Checklists:
    return prepared_with(tmp_path, 'examples = ["I can offer you a loyalty discount to stay."]',
                         'reader = "offers"')


def test_the_reader_ticks_a_retention_offer_only_once_the_customer_wants_to_leave(tmp_path):
    deal = "Stay, and you get three months at half price."
    call = _offers(tmp_path).call()
    assert call.on_caption(said("c1", deal), 1.0) == []  # no one is leaving yet
    out = call.on_caption(said("c2", "I want to cancel my contract.", channel="customer"), 2.0)
    assert [(e.kind, e.item) for e in out] == [("applies", "retention")]
    (tick,) = call.on_caption(said("c3", deal), 3.0)
    assert (tick.kind, tick.item, tick.by, tick.score) == ("tick", "retention", "copilot", None)
    assert tick.words == deal
