"""Answers trainees type that state nothing new: a calculation shown step by step, a price said
the way people say one ("twelve fifty"), a currency code before the amount, a word capitalised
only because it starts the sentence. And what stays wrong around them: an invented starting
figure, a rate per quarter, a day of the week no passage gives (French)."""

from __future__ import annotations

import pytest
from practice_helpers import scenario_checker

from copilot.knowledge.verify import verify
from copilot.practice.factcheck import CASE, CORRECT, WRONG


@pytest.fixture(scope="module")
def cancellation(kb):
    return scenario_checker(kb, "cancellation")


@pytest.mark.parametrize("answer", [
    "You've had 5 full months, so it's 150 less 62.50, which leaves 87.50 dollars.",
    "Five months in, that's 150 minus 5 x 12.50, so $87.50 today.",
    "The fee is 150 dollars minus 62.50 dollars = 87.50 dollars.",
    # the working said after the result it leads to (answer set 56)
    "It's 87.50 dollars: 150 minus 62.50.",
    "Back then it would have been 137.50 dollars, 150 less a single 12.50.",
    "62.50 dollars so far: 12.50 for each of your 5 full months.",  # (answer set 57)
])
def test_a_calculation_that_leads_to_the_callers_figure_is_no_invention(cancellation,
                                                                         answer) -> None:
    report = cancellation.check(answer)
    assert not report.wrong, [(f.text, f.status) for f in report.facts]
    step = next((f for f in report.facts if f.value == "62.5"), None)
    assert step is None or step.status in (CASE, CORRECT)


@pytest.mark.parametrize("answer, fact", [
    # the starting figure is what the policy starts from: inventing it is inventing the fee
    ("It's 200 minus 112.50, which leaves 87.50 dollars.", "200"),
    # a calculation that does not give its result proves nothing
    ("It's 150 less 60, which leaves 87.50 dollars.", "60"),
    # two invented operands: the result cannot vouch for either
    ("It's 100 plus 50 minus 62.50, which leaves 87.50 dollars.", "100"),
    # no result stated: each number stands on its own
    ("The fee is 150 minus 40 dollars.", "40 dollars"),
    # a result said before a working that does not give it
    ("It's 90 dollars: 150 minus 62.50.", "90 dollars"),
    ("60 dollars so far: 12.50 for each of your 5 full months.", "60 dollars"),
    # a result in another sentence is not what the working gives
    ("It's 87.50 dollars. 150 minus 60 is what you pay.", "60"),
])
def test_an_invented_operand_stays_wrong(cancellation, answer, fact) -> None:
    report = cancellation.check(answer)
    assert fact in [f.text for f in report.wrong], [(f.text, f.status) for f in report.facts]


def test_a_price_said_as_people_say_it_is_one_amount(cancellation) -> None:
    report = cancellation.check("The fee's a hundred and fifty dollars less twelve fifty for "
                                "each full month, so for you it comes to eighty-seven fifty.")
    assert not report.wrong, [(f.text, f.status) for f in report.facts]
    assert {f.value for f in report.facts if f.value} >= {"12.5", "87.5"}
    # not in a sentence about money: two numbers, read strictly
    assert "fifty" in [f.text for f in cancellation.check(
        "You can keep twelve fifty of them.").wrong]


def test_a_currency_code_before_the_amount_is_its_unit() -> None:
    facts = verify("The fee is USD 150, less USD 12.50 a month.", []).facts
    amounts = [(f.kind, f.value, f.key.split()[-1]) for f in facts if f.value]
    assert amounts[:2] == [("amount", "150", "dollar"), ("amount", "12.5", "dollar")]
    assert not any(f.kind == "name" for f in facts)


@pytest.mark.parametrize("answer", ["Whoa, please don't read that out.",
                                    "Totally understand, that's frustrating.",
                                    "Exactly, the forum was wrong.", "Im really sorry."])
def test_one_capitalised_word_at_the_head_of_a_sentence_is_no_name(answer) -> None:
    assert not [f for f in verify(answer, []).facts if f.kind == "name"]


@pytest.mark.parametrize("answer, name", [
    ("PayPal works too.", "PayPal"), ("SIM cards are free.", "SIM"),
    ("The Gold Plan covers that.", "Gold Plan"), ("You could try Gold Plan instead.", "Gold Plan"),
    ("Premium Protect covers that.", "Premium Protect"),
])
def test_names_are_still_names(answer, name) -> None:
    assert name in [f.text for f in verify(answer, []).facts if f.kind == "name"]


@pytest.mark.parametrize("answer, fact", [
    ("Oui, vous avez droit à une annulation par trimestre.", "trimestre"),
    ("J'annule les frais, et la correction apparaîtra sur votre compte d'ici vendredi.",
     "vendredi"),
])
def test_french_rates_per_quarter_and_weekdays_are_checked(kb, answer, fact) -> None:
    checker = scenario_checker(kb, "late_fee_fr")
    report = checker.check(answer, "fr")
    assert any(fact in f.text or f.text == "per quarter" for f in report.wrong), \
        [(f.text, f.status) for f in report.facts]
    assert all(f.status != WRONG or f.kind in ("term", "duration", "number")
               for f in report.facts)


def test_a_quarter_is_a_time_unit() -> None:
    facts = verify("The fee drops every quarter, 2 quarters at most.", []).facts
    assert ("duration", "2") in [(f.kind, f.value) for f in facts]


@pytest.mark.parametrize("answer", [
    "You've had 5 months, so 5 months x 12.50 = 62.50 off, which leaves $87.50.",
    "The fee starts at USD 150 and goes down by USD 12.50 a full month: 5 x 12.50 = 62.50.",
    # "times" said between an amount and a number, and a price "at ... each"
    "The base fee is 150 dollars; minus 12.50 dollars times 5 full months, that's 62.50 off.",
    "Five full months at 12.50 each takes 62.50 off, so it comes to 87.50 dollars.",
    "That's five full months at 12.50 each, so 62.50 off the 150.",
])
def test_the_result_of_a_calculation_over_supported_figures_is_no_invention(cancellation,
                                                                             answer) -> None:
    report = cancellation.check(answer)
    assert not report.wrong, [(f.text, f.status) for f in report.facts]


@pytest.mark.parametrize("answer, fact", [
    ("You've had 5 months, so 5 x 12.50 = 60 off.", "60"),  # wrong arithmetic
    # the step times the caller's count is what comes off (derived_values), not what is paid
    ("You've had 5 months, so it's 62.50 in fees.", "62.50"),
    ("Five full months at 12.50 each takes 60 off.", "60"),
    ("Five full months at 12.50, so the fee is 62.50.", "62.50"),
])
def test_a_result_the_calculation_does_not_give_stays_wrong(cancellation, answer, fact) -> None:
    report = cancellation.check(answer)
    assert fact in [f.text for f in report.wrong], [(f.text, f.status) for f in report.facts]


@pytest.mark.parametrize("text, counts", [
    ("There is one since you're still inside the first 12 months.", []),
    ("You'll get an email, and another one when the refund is issued.", []),
    ("Two emails: one confirming the ticket, and one when it's refunded.", ["2"]),
    ("You can have one per line.", ["1"]),  # a count: a rate of something
    ("Only one is allowed.", ["1"]),  # a limit
    ("Is the email on your account still the right one for the confirmation?", []),
    ("Pick a new one in the app.", []),
    ("You'll get one email when it's filed and another when it's refunded.", []),
    ("You get one free replacement a year.", ["1"]),  # a count of something named
    ("The old one is fine, and one more line costs 5 dollars.", ["1"]),
    # "another" with its own noun, or before what it costs: both are counted
    ("You get one free device and another at half price.", ["1"]),
    ("Bring one guest, and another guest costs 5 dollars.", ["1"]),
])
def test_one_standing_for_something_named_is_no_count(text, counts) -> None:
    facts = verify(text, []).facts
    assert [f.value for f in facts if f.kind == "number" and f.value in ("1", "2")] == counts


def test_a_sign_glued_to_the_next_number_is_its_own() -> None:
    facts = verify("so 150 - 62.50 = $87.50 for you", []).facts
    assert [(f.text, f.kind) for f in facts] == [("150", "number"), ("62.50", "number"),
                                                 ("$87.50", "amount")]


@pytest.mark.parametrize("answer, fact", [
    ("Pay in the app and the payment will show on your account by tonight.", "tonight"),
    ("Go to the app, and your service will be back to normal by tonight.", "tonight"),
])
def test_when_something_will_happen_to_the_account_is_a_promise(kb, answer, fact) -> None:
    report = scenario_checker(kb, "card_number").check(answer)
    assert fact in [f.text for f in report.wrong], [(f.text, f.status) for f in report.facts]


def test_the_agents_own_next_step_is_still_no_promise(kb) -> None:
    report = scenario_checker(kb, "card_number").check("I'll transfer you to the secure payment line "
                                               "right away.")
    assert not report.wrong, [(f.text, f.status) for f in report.facts]
