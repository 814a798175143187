"""Correct answers that restate the call's figures in the trainee's own way, and the inventions
next to them that stay wrong: a schedule's value at another count, a total of the caller's
repeated charge, a remainder of a limit (copilot/practice/derived_values.py), a unit left out or
in chat shorthand (answer_shorthand.py), a price with no currency word, an absolute or a declined
promise (restated.py), "the one bill", a French account number or goodwill gesture."""

from __future__ import annotations

from decimal import Decimal

import pytest
from practice_helpers import scenario_checker

from copilot.practice.answer_shorthand import currency_sign, with_units
from copilot.practice.derived_values import schedules
from copilot.practice.factcheck import CASE, CORRECT

_MONEY_BACK = "I don't want excuses. When exactly do I get my money back?"


@pytest.fixture(scope="module")
def checkers(kb):
    return {n: scenario_checker(kb, n) for n in ("cancellation", "duplicate_charge",
                                                 "late_fee_fr", "one_device")}


def _wrong(checkers, scenario: str, answer: str, lang: str = "en",
           heard: tuple[str, ...] = ()) -> list[str]:
    return [f.text for f in checkers[scenario].check(answer, lang, heard=heard).wrong]


def test_a_passage_schedule_is_read_with_its_bound(kb) -> None:
    found = schedules([(p, kb.passages[p].full_text) for p in ("CAN-01", "BILL-01")])
    assert [(s.passage, s.start, s.step, s.unit, s.bound) for s in found] == [
        ("CAN-01", Decimal("150"), Decimal("12.50"), "month", Decimal("12"))]


@pytest.mark.parametrize("answer", [
    "It's reduced by 12.50 dollars for each full month. After 6 full months it would be 75 "
    "dollars, and after 12 months there's no fee at all.",
    "Each further full month takes another 12.50 off, so after six full months it would be 75 "
    "dollars.",
    "You've had five full months, so that's sixty-two fifty off, and you'd pay eighty-seven "
    "fifty.",
    "If you'd cancelled after six full months instead, it would be 150 minus 6 x 12.50, so 75 "
    "dollars.",
    # what comes off said bare, as the working shows it (nine correct answers of eight sets)
    "Five full months is 62.50 off, which leaves 87.50.",
    "That's 150 minus 62.50 for your five full months.",
    "Take off 12.50 dollars times five full months - that's 62.50 - and you land on 87.50.",
    "You've had five full months, so 62.50 comes off.",
    # (answer set 52)
    "For five full months you get 62.50 dollars knocked off, so 87.50 dollars today.",
    # the unit left out once said (answer sets 53 and 54)
    "Every extra full month takes another 12.50 dollars off, so after one more it would be 75 "
    "dollars.",
    # a count on top of the caller's five (answer sets 41 and 46)
    "Hold on one more full month and it drops to 75 dollars.",
    "Another full month and the fee comes down to 75 dollars.",
    "Two more full months would make it 62.50 dollars.",
    # ... the unit read as no fact of its own (answer set 47)
    "With another full month of service behind you, it comes down to 75 dollars.",
])
def test_a_schedules_value_at_another_count_is_the_passages(checkers, answer) -> None:
    assert _wrong(checkers, "cancellation", answer) == []


@pytest.mark.parametrize("answer, fact", [
    # not what the schedule gives at 6 months
    ("After 6 full months it would be 70 dollars.", "70 dollars"),
    # not the caller's count, and no hypothetical: a rule of its own (test_practice_factcheck)
    ("After 6 full months the fee is 75 dollars.", "6 full months"),
    # past the passage's bound (the first 12 months) the schedule says nothing
    ("After 13 full months it would be 12.50 dollars off the fee.", "13 full months"),
    # what comes off is the step times the count: 5 x 12.50 is 62.50, not 60
    ("You've had five full months, so that's 60 dollars off.", "60 dollars"),
    # the step times the count said to be the fee: a wrong fee, the working beside it or not
    ("Five full months at 12.50 each, so the fee is 62.50.", "62.50"),
    # on top of the caller's five: six months give 75, not 80
    ("One more full month and it drops to 80 dollars.", "80 dollars"),
    ("With another full month of service behind you, it comes down to 70 dollars.",
     "70 dollars"),
    ("You've had five full months, so you pay 62.50.", "62.50"),
])
def test_a_figure_the_schedule_does_not_give_stays_wrong(checkers, answer, fact) -> None:
    assert fact in _wrong(checkers, "cancellation", answer)


@pytest.mark.parametrize("answer", [
    "You were charged 49 dollars twice, so 98 dollars in total; the duplicate 49 dollars comes "
    "back in full.",
    "That's 98 dollars taken in total for a 49 dollar bill, I completely understand.",
    "Forty-nine taken twice is ninety-eight; we refund the extra forty-nine in full.",
    # (answer set 52: "that's" the total, on the one day it was taken)
    "49 dollars for March, twice on one day: that's 98 dollars gone instead of 49.",
    # (answer set 53: "so" the total; answer set 54: the total opening the next sentence)
    "The March bill, 49 dollars, taken twice on the same day, so 98 dollars went out.",
    "So the March bill, 49 dollars, taken twice on the same day. That's 98 dollars out of your "
    "account instead of 49.",
])
def test_a_total_of_the_callers_repeated_charge_is_the_callers(checkers, answer) -> None:
    report = checkers["duplicate_charge"].check(answer)
    assert not report.wrong, [(f.text, f.status) for f in report.facts]
    assert any(f.value == "98" and f.status == CASE for f in report.facts)


@pytest.mark.parametrize("answer", [
    "I'm sorry, being charged twice for one bill shouldn't happen.",
    "You paid 49 dollars two times for one March bill, I'm sorry.",
])
def test_the_one_thing_charged_more_than_once_is_the_callers(checkers, answer) -> None:
    report = checkers["duplicate_charge"].check(answer)
    assert not report.wrong, [(f.text, f.status) for f in report.facts]


def test_one_after_a_repetition_in_a_promise_stays_checked(checkers) -> None:
    assert "one" in _wrong(checkers, "duplicate_charge",
                           "We refund the 49 dollars twice for one bill.")


def test_as_many_payments_as_were_taken_are_the_callers(checkers) -> None:
    # (answer set 43) ... not in a promise, nor more of them than were taken
    assert not _wrong(checkers, "duplicate_charge", "It goes back on the original payment "
                      "method, which for you means the card the two payments came from.")
    assert "two" in _wrong(checkers, "duplicate_charge",
                           "We will refund the two payments within 5 business days.")
    assert "three" in _wrong(checkers, "duplicate_charge",
                             "It goes back on the card the three payments came from.")
    assert "2" in _wrong(checkers, "duplicate_charge", "The ticket's filed, and the 49 dollars "
                         "comes back in 2 separate payments to your original payment method.")


@pytest.mark.parametrize("answer", [
    "On Family Unlimited it's up to 10 devices in total. Your phone and the tablet make 2 of the "
    "10, so there are 8 places left for the kids' phones.",
    "On Family Unlimited your phone and tablet take up 2 of those 5 phone lines, which leaves 3 "
    "phone lines free.",
])
def test_a_remainder_of_a_passages_limit_is_the_passages(kb, answer) -> None:
    checker = scenario_checker(kb, "one_device")
    report = checker.check(answer, heard=("It's my phone and my tablet.",))
    assert not report.wrong, [(f.text, f.status) for f in report.facts]


@pytest.mark.parametrize("answer, fact", [
    # not the limit less the caller's count, or not said as what is left
    ("On Family Unlimited your phone and tablet take up 2 of those 5 phone lines, which leaves 4 "
     "phone lines free.", "4"),
    ("Your phone and the tablet make 2 of the 10, and 8 devices is the cap on every plan.", "8"),
])
def test_a_remainder_miscounted_or_not_said_as_one_stays_wrong(kb, answer, fact) -> None:
    checker = scenario_checker(kb, "one_device")
    report = checker.check(answer, heard=("It's my phone and my tablet.",))
    assert fact in [f.text for f in report.wrong], [(f.text, f.status) for f in report.facts]


@pytest.mark.parametrize("answer, fact", [
    # promised back, the total is a refund of both charges: an invention
    ("You were charged twice, so you'll get 98 dollars back in total.", "98 dollars"),
    ("We refund both charges, 98 dollars in total.", "98 dollars"),
    # not the caller's charge times the times it was taken
    ("You were charged 49 dollars twice, so 100 dollars in total.", "100 dollars"),
    # a figure not said as a total
    ("You were charged 49 dollars twice, and 98 dollars is our limit.", "98 dollars"),
])
def test_a_total_promised_back_or_miscounted_stays_wrong(checkers, answer, fact) -> None:
    assert fact in _wrong(checkers, "duplicate_charge", answer)


def test_chat_shorthand_and_a_bare_amount_coming_back_are_read_with_their_units() -> None:
    assert with_units("back in 5 biz days, or 5 busines days", "$") == \
        "back in 5 business days, or 5 business days"
    assert with_units("5 calendar days", "$") == "5 calendar days"
    assert with_units("ur 49 back, the extra 49 comes back, USD 49 back, 5 devices back", "$") \
        == "your $49 back, the extra $49 comes back, USD 49 back, 5 devices back"
    assert with_units("the 49 back", "") == "the 49 back"  # no currency known: left bare
    # ... or coming off a price
    assert with_units("12.50 taken off, 12.50 comes off it, 15 knocked off, 5 days off", "$") \
        == "$12.50 taken off, $12.50 comes off it, $15 knocked off, 5 days off"
    assert currency_sign("49 dollars") == "$" and currency_sign("5 days", "12 euros") == "\u20ac"
    assert currency_sign("5 dollars or 5 euros") == ""


@pytest.mark.parametrize("answer", [
    "full 49 back to ur card in 5 biz days max",
    "so the extra 49 comes back to you.",
    "totally get it. ur refund of 49 bucks lands back on ur original payment method within 5 "
    "busines days from when i filed the ticket",
    "ur refund of the $49 goes back to whatever u paid with, within 5 business days",
    # "on the way" typed (answer set 55)
    "done. ticket filed, refund otw within 5 business days, email confirming it coming your way",
])
def test_units_left_out_or_abbreviated_are_no_invention(checkers, answer) -> None:
    assert _wrong(checkers, "duplicate_charge", answer, heard=(_MONEY_BACK,)) == []


@pytest.mark.parametrize("answer, fact", [
    ("the full 98 back to your card in 5 biz days", "$98"),
    ("the 49 back to your card in 5 calendar days", "5 calendar days"),
    ("your refund of 98 dollars lands back within 5 business days", "98 dollars"),
    ("ticket filed, refund otw within 30 days", "30 days"),
])
def test_a_wrong_value_in_shorthand_stays_wrong(checkers, answer, fact) -> None:
    assert fact in _wrong(checkers, "duplicate_charge", answer, heard=(_MONEY_BACK,))


def test_a_spoken_price_with_no_currency_word_is_one_amount(checkers) -> None:
    ok = checkers["cancellation"].check(
        "Five times twelve fifty is sixty-two fifty. So your fee would be eighty-seven dollars "
        "fifty.")
    assert not ok.wrong, [(f.text, f.status) for f in ok.facts]
    assert {f.value for f in ok.facts if f.status in (CASE, CORRECT)} >= {"12.5", "62.5"}
    assert "$13.50" in _wrong(checkers, "cancellation",
                              "Thirteen fifty comes off for every full month.")
    assert "$15" in _wrong(checkers, "cancellation",
                           "It's 150 dollars with 15 knocked off for each full month.")
    assert _wrong(checkers, "cancellation",
                  "It starts at 150 dollars and 12.50 comes off it for each complete month.") == []


@pytest.mark.parametrize("answer", [
    "The fee only applies in the first 12 months, and you're at five full months.",
    "To verify you I only need the account number and your 4-digit account PIN.",
    "Though I can't promise a different outcome, I can put you through to my supervisor.",
])
def test_an_absolute_restating_a_passage_or_a_declined_promise_is_no_invention(
        checkers, answer) -> None:
    assert _wrong(checkers, "cancellation", answer) == []


@pytest.mark.parametrize("answer, wrong", [
    # "all" closing the list of one passage sentence, every item it joins named
    ("The account number and your four-digit account PIN are all I need.", False),
    ("I verify the caller with the account number and the 4-digit account PIN, that's all.",
     False),
    ("I verify the caller with the account number and the 4-digit account PIN. That's all I "
     "need from you.", False),
    # a list that drops an item the passage joins, or adds one it does not name
    ("Your account number is all I need.", True),
    ("I just need your account number, that's all.", True),
    ("Your account number and your date of birth are all I need.", True),
])
def test_all_closing_a_passages_list_is_no_invention(checkers, answer, wrong) -> None:
    assert ("all" in _wrong(checkers, "cancellation", answer)) is wrong


@pytest.mark.parametrize("answer, wrong", [
    # the passage's order: the transfer completes, then the caller cancels
    ("Wait until that transfer is complete. Only then cancel with us.", False),
    ("Leave your account open until the transfer is complete, and only then cancel.", False),
    # the other order, or a step the passage does not make wait
    ("Cancel with us first. Only then ask your new carrier to request the transfer.", True),
    ("Pay the final bill first. Only then cancel with us.", True),
    ("Wait until the transfer is complete. Only then call us for a transfer code.", True),
    # "only after" / "only once", the awaited step after it or referred to (eight sets)
    ("Let the new carrier request the transfer, and cancel with us only after it's complete.",
     False),
    ("Your new carrier asks for the transfer, and you cancel with us only after it's finished.",
     False),
    ("The new carrier requests the transfer, and you only cancel once the transfer is complete.",
     False),
    ("Wait for that transfer to be finished. Only after that should you cancel with us.", False),
    # a step the passage does not make wait, or one it waits for that is not the transfer
    ("You can cancel only after paying the fee.", True),
    ("Cancel with us only after the new phone arrives.", True),
    ("Pay the final bill. Only after that should you cancel with us.", True),
    ("Call us for a transfer code only after the transfer is complete.", True),
])
def test_only_then_restating_a_passages_order_is_no_invention(checkers, answer, wrong) -> None:
    assert ("Only" in _wrong(checkers, "cancellation", answer)
            or "only" in _wrong(checkers, "cancellation", answer)) is wrong


def test_never_restating_a_negation_is_no_invention(checkers) -> None:
    assert _wrong(checkers, "one_device", "So one device was never the rule on our current "
                                          "plans.") == []


@pytest.mark.parametrize("scenario, answer, fact", [
    # "only" narrowing to what the passage does not say, or against its numbers
    ("one_device", "Your plan only allows one device.", "only"),
    ("one_device", "Your plan allows 5 devices, but only 1 can use data at a time.", "only"),
    ("one_device", "Every Northwind plan allows up to 5 devices at the same time, but only "
                   "phones and tablets count as devices.", "only"),
    ("cancellation", "The fee only applies in the first 6 months.", "only"),
    # "only" naming one of the items a passage joins drops the others (account number and PIN)
    ("cancellation", "I only need the account number.", "only"),
    ("cancellation", "To verify you I only need your 4-digit account PIN.", "only"),
    # a promise the agent makes, not one they decline
    ("cancellation", "We guarantee a different outcome if you stay.", "guarantee"),
])
def test_an_absolute_or_promise_the_passages_do_not_state_stays_wrong(checkers, scenario,
                                                                      answer, fact) -> None:
    assert fact in _wrong(checkers, scenario, answer)


def test_the_one_bill_is_no_count_but_one_free_month_is(checkers) -> None:
    assert _wrong(checkers, "duplicate_charge", "The duplicate is refunded in full, so in the "
                                                "end you'll have paid the one March bill.") == []
    assert "one" in _wrong(checkers, "duplicate_charge",
                           "You'll get the one free month of service on us.")


def test_a_remainder_vouches_for_the_subtraction_that_led_to_it(checkers) -> None:
    heard = ("And my kids' phones too? How many devices can we have in total?",)
    assert _wrong(checkers, "one_device",
                  "Let's count: your phone plus the tablet is 2 devices. Family Unlimited allows "
                  "up to 10, so 10 minus 2 leaves room for up to 8 more.", heard=heard) == []
    assert "7" in _wrong(checkers, "one_device",
                         "Let's count: your phone plus the tablet is 2 devices. Family Unlimited "
                         "allows up to 10, so 10 minus 2 leaves room for up to 7 more.",
                         heard=heard)


def test_french_account_number_and_goodwill_gesture(checkers) -> None:
    heard = ("Oui, mon numéro de compte est le 6120 4471 et mon code PIN est le 9034.",)
    assert _wrong(checkers, "late_fee_fr", "Merci, votre compte 6120 4471 est bien vérifié.",
                  "fr", heard) == []
    assert "6" in _wrong(checkers, "late_fee_fr", "Pouvez-vous me donner votre code PIN à 6 "
                                                  "chiffres ?", "fr")
    assert _wrong(checkers, "late_fee_fr", "Je peux annuler ces frais de retard à titre de "
                                           "geste commercial unique.", "fr") == []
    assert "geste commercial" in _wrong(checkers, "late_fee_fr", "Je vous ajoute un geste "
                                                                 "commercial de 5 euros.", "fr")
    assert "ce soir" in _wrong(checkers, "late_fee_fr", "J'annule les frais, vous verrez la "
                                                        "correction sur votre compte ce soir.",
                               "fr")
    # later the same day (answer set 52)
    assert "dans la journée" in _wrong(checkers, "late_fee_fr", "Je lance l'annulation, elle "
                                                                "sera traitée dans la journée.",
                                       "fr")


def test_the_callers_account_number_and_pin_read_back(checkers) -> None:
    heard = ("Sure, my account number is 7730 1198 and the PIN is 2580.",)
    assert _wrong(checkers, "cancellation", "Thank you, account 7730 1198 and PIN 2580 check "
                                            "out.", heard=heard) == []
    # a figure the caller never gave stays the trainee's own
    assert "2581" in _wrong(checkers, "cancellation", "Thank you, account 7730 1198 and PIN "
                                                      "2581 check out.", heard=heard)


def test_a_refusal_the_passage_states_in_other_modal_words(checkers) -> None:
    # "further late fees cannot be waived by the agent": "not able to" is "cannot"
    assert _wrong(checkers, "late_fee_fr", "If it happens again, I won't be able to waive it.") \
        == []
    assert _wrong(checkers, "late_fee_fr", "I'm not able to waive any further ones.") == []
    # the promise itself, said with "able", is still checked
    assert _wrong(checkers, "late_fee_fr", "I'll be able to waive every late fee you get.")
