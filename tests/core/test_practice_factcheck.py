"""Practice's fact-check reads an answer with the verifier's rules: a correct policy fact said
with another inflection than the passage's ("we'll refund" for "is refunded") is correct; a
fact no passage states stays wrong."""

from __future__ import annotations

import pytest

from copilot.practice.factcheck import CORRECT, WRONG, FactChecker
from copilot.practice.scenario import find_scenario


@pytest.fixture(scope="module")
def checker(kb):
    s = find_scenario("duplicate_charge")
    return FactChecker(kb, s.passages, [*s.case_facts, s.customer.name])


@pytest.mark.parametrize("answer", [
    "We'll refund the duplicate amount within 5 business days.",
    "we'll refund the duplicate amount within 5 business days",
    "The duplicate charge will be refunded within 5 business days.",
    "I'm so sorry, Dana. We refund the duplicate amount in full within 5 business days.",
])
def test_a_correct_refund_promise_in_other_words_is_correct(checker, answer) -> None:
    report = checker.check(answer)
    assert not report.wrong, [(f.kind, f.text) for f in report.wrong]
    refund = next(f for f in report.facts if f.text.lower().startswith("refund"))
    assert refund.status == CORRECT and "BILL-01" in refund.passages


def test_im_not_able_to_promise_declines_a_promise(checker) -> None:
    """"I'm" has no space before its "'m": "I'm not able to promise" was read as a promise
    (answer set 36)."""
    for answer in ("I'm not able to promise it today, but it's refunded within 5 business days.",
                   "I am not able to promise the money back today."):
        report = checker.check(answer)
        assert not report.wrong, [(f.kind, f.text) for f in report.wrong]


@pytest.mark.parametrize("answer", [
    # a filler between "I" and "can't", no "I" in a typed note, how sure the agent is (answer
    # set 37)
    "Um, I, er, can't promise that, I'm afraid. This one, though, is being corrected now.",
    "can't promise that. it's refunded within 5 business days of the ticket",
    "not 100% sure how weekends are handled, the rule I've got is 5 business days",
    "I'm not a hundred percent sure about weekends, but it's within 5 business days.",
    # rather not (answer set 39)
    "I'd rather not promise a day for it. It's refunded within 5 business days.",
    "I would rather not guarantee weekends, it's within 5 business days.",
    # an adverb between "I" and "can't" (answer set 48)
    "I honestly can't promise a day for it; it's within 5 business days.",
    "I really cannot guarantee weekends, I'm afraid.",
    # a promise the trainee won't make (answer set 49)
    "Nothing I have covers weekends, so I won't make any promise there. It's within 5 business "
    "days.",
])
def test_a_declined_promise_or_a_hedge_is_no_fact(checker, answer) -> None:
    report = checker.check(answer)
    assert not report.wrong, [(f.kind, f.text) for f in report.wrong]


def test_someone_elses_cant_promise_declines_nothing(checker) -> None:
    report = checker.check("The bank can't promise it, but we refund it within 2 days.")
    assert report.wrong
    # nor does declining one thing promise another
    report = checker.check("I'd rather not promise a day, but we refund it within 2 days.")
    assert report.wrong


@pytest.mark.parametrize("answer, fact", [
    ("We'll refund the duplicate amount within 5 days.", "5 days"),
    ("We'll refund the duplicate amount within 24 hours.", "24 hours"),
    ("We'll refund the duplicate amount today.", "today"),  # the refund is BILL-01's, "today" not
    ("We'll refund the duplicate amount plus a 50 dollar credit.", "credit"),
    ("We'll refund your monthly fees within 5 business days.", "refund"),
])
def test_an_unsupported_promise_stays_wrong(checker, answer, fact) -> None:
    report = checker.check(answer)
    assert fact in [f.text for f in report.wrong], [(f.text, f.status) for f in report.facts]
    assert all(f.status != WRONG or f.passages == () for f in report.facts)


# -- issue 15: echoes, time phrases and invented facts -------------------------------------

from practice_helpers import scenario_checker, wrong  # noqa: E402

from copilot.practice.factcheck import ECHO, TIME, statements  # noqa: E402


@pytest.mark.parametrize("answer, heard, status", [
    ("I'll transfer you right away.", [], TIME),
    ("I'll look into it now.", [], TIME),
    ("I can get this sorted for you today.", [], TIME),
    ("I understand it has to be done by next week.", ["I'm moving next week."], ECHO),
    ("You've been with us three years, and I'm sorry.", ["I've been with you three years!"],
     ECHO),
])
def test_time_phrases_and_echoes_are_not_promises(checker, answer, heard, status) -> None:
    report = checker.check(answer, heard=heard)
    assert not report.wrong, [(f.text, f.status) for f in report.facts]
    # no fact at all when nothing in its clause states a policy (the verifier's reading of a
    # word that only qualifies), else read as a time phrase or an echo, never as a promise
    assert {f.status for f in report.facts} <= {status}, [(f.text, f.status)
                                                          for f in report.facts]


@pytest.mark.parametrize("answer, heard, fact", [
    # a time phrase bound to money back is a promise, echoed or not
    ("You'll get your money back next week.", ["I'm moving next week."], "next week"),
    ("You'll get your money back right away.", [], "right away"),
    ("The money will be back tomorrow.", [], "tomorrow"),
    # what the customer asked for is not an echo
    ("Yes, you'll have it within 24 hours.", ["Can I have it back within 24 hours?"],
     "24 hours"),
    # refunds take 5 business days in BILL-01
    ("Refunds take 2 days.", [], "2 days"),
    ("You'll get a 50 dollar credit.", [], "50 dollar"),
    # true of returned orders (ORD-03), not of a double charge
    ("You'll get a full refund within 30 days.", [], "30 days"),
])
def test_invented_policy_is_caught_however_it_is_dressed(checker, answer, heard, fact) -> None:
    report = checker.check(answer, heard=heard)
    assert fact in [f.text for f in report.wrong], [(f.text, f.status) for f in report.facts]


def test_what_the_customer_states_not_asks_or_heard_is_an_echo() -> None:
    said = statements(["I'm moving next week, so I'd like this done before then.",
                       "Can I have it back within 24 hours?",
                       "I read on a forum that my plan only allows one device.",
                       "I've been with you for three years and this is how you treat me?"])
    assert "moving next week" in said and "three years" in said
    assert "24 hours" not in said and "one device" not in said and "before then" not in said


def test_digits_read_out_one_by_one_are_no_values_to_echo(kb) -> None:
    """A card number read digit by digit: "option 5 from the main menu" echoes none of it (the
    seventh answer set's invented menu option passed as an echo of the card's 5)."""
    said = statements(["I've got my card right here, the number is 4 5 3 9, 1 4 8 8, 0 3 4 3...",
                       "I've been with you for 3 years."])
    assert "3 years" in said and "4 5 3 9" not in said and "1 4 8 8" not in said
    report = scenario_checker(kb, "card_number").check(
        "Pay on our automated secure payment line, which is option 5 from the main menu.",
        heard=["Hi, I need to pay my bill. The card number is 4 5 3 9, 1 4 8 8, 0 3 4 3..."])
    assert "5" in [f.text for f in report.wrong], [(f.text, f.status) for f in report.facts]


def test_a_value_of_another_passage_names_it(checker) -> None:
    (wrong,) = [f for f in checker.check("Refunds for double charges take 30 days.").wrong
                if f.kind != "term"]
    assert wrong.text == "30 days" and wrong.passages == ()
    assert "BILL-07" in wrong.elsewhere  # "up to 30 days" for a dispute: beside the point


# -- issue 15, repeat walk-through: a number and its unit are one fact; the caller's own
# numbers stay the caller's whatever comparator is put before them; a unit alone is no fact --

@pytest.fixture(scope="module")
def cancel(kb):
    s = find_scenario("cancellation")
    return FactChecker(kb, s.passages, [*s.case_facts, s.customer.name])


@pytest.mark.parametrize("answer", [
    "So after 5 full months it comes to 87.50 dollars.",
    "After 5 full months of service, the fee is 87.50 dollars.",
    "After 5 months of service, the fee is 87.50 dollars.",
    "You're 5 months into your contract, so the fee is 87.50 dollars.",
    "With over 5 full months of service, you're still inside the first 12 months.",
    "After 12 full months there's no fee.",
    "Within the first 12 full months there's a fee of 150 dollars.",
])
def test_a_duration_of_the_callers_or_of_the_passage_is_not_a_promise(cancel, answer) -> None:
    """The walk-through: "after 5 full months" (the caller's 5 months, counted in CAN-01's own
    unit, the full month) was flagged as an unsupported promise."""
    report = cancel.check(answer)
    assert not report.wrong, [(f.text, f.status) for f in report.facts]


@pytest.mark.parametrize("answer, fact", [
    # the caller's 5 months made the condition of a promise: checked as policy
    ("After 5 full months there's no fee.", "no fee"),
    ("The fee is waived after 5 months.", "waived"),
    ("After 6 full months the fee is 75 dollars.", "6 full months"),
    ("The fee is 150 dollars for the first 6 months.", "6 months"),
    ("In 7 more months there would be no fee.", "7 more months"),
    ("Since you're past 5 months, we'll refund the fee after 5 months.", "5 months"),
])
def test_a_duration_that_invents_policy_is_still_caught(cancel, answer, fact) -> None:
    report = cancel.check(answer)
    assert fact in [f.text for f in report.wrong], [(f.text, f.status) for f in report.facts]


def test_a_number_and_its_time_unit_are_one_fact_across_an_adjective(cancel) -> None:
    """"5 full months" is 5 months: one duration, shown in the trainee's words, with no bare
    "months" beside it."""
    report = cancel.check("You've had 5 full months of service.")
    durations = [f for f in report.facts if f.kind == "duration"]
    assert [(f.text, f.value, f.unit, f.status) for f in durations] == [
        ("5 full months", "5", "month", "case")]


def test_a_restated_passage_duration_with_an_adjective_is_correct(kb) -> None:
    """NET-02 says "at least 1 full day": the same duration however the answer words it."""
    checker = FactChecker(kb, ["NET-02"])
    for answer in ("The outage has to last at least 1 full day.",
                   "The outage has to last at least 1 day.",
                   "You get 5 dollars per line for each full day, after at least one whole day."):
        report = checker.check(answer)
        assert not report.wrong, (answer, [(f.text, f.status) for f in report.facts])


def test_a_unit_without_a_number_is_not_a_listed_fact(cancel) -> None:
    """The walk-through: the feedback listed "months" as a policy fact, with 19 passages."""
    report = cancel.check("The fee is 150 dollars, reduced by 12.50 dollars for each full "
                          "month of service, and your months with us count.")
    assert [f.text for f in report.correct] == ["150 dollars", "12.50 dollars"]
    assert all(f.value is not None or f.kind == "name" for f in report.correct)


def test_a_rates_sum_said_without_its_currency_is_read_by_value(cancel) -> None:
    """"12.50 per full month": "per" is no noun of the sum (it was read as the unit "per", and
    a correct answer failed on four answer sets); the wrong sum or the wrong period still is."""
    for answer in ("Yes. 150 dollars less 12.50 per full month. For you: 87.50.",
                   "It's 150 minus 12.50 each full month."):
        report = cancel.check(answer)
        assert not report.wrong, (answer, [(f.text, f.status) for f in report.facts])
    assert [f.text for f in cancel.check("It's 150 less 15 per full month.").wrong] == ["15"]
    assert [f.text for f in cancel.check("It's 150 less 12.50 per week.").wrong] == ["per week"]


def test_a_wrong_rate_or_time_is_shown_in_its_words(cancel, checker) -> None:
    report = cancel.check("The fee is 150 dollars minus 12.50 dollars per week.")
    assert [f.text for f in report.wrong] == ["per week"]
    report = checker.check("The refund will be processed by the end of the day.")
    assert [f.text for f in report.wrong] == ["by the end of the day"]


@pytest.mark.parametrize("scenario, answer, fact", [
    # a rate of something: a value, a frequency or a policy term in its clause
    ("one_device", "Each extra device is 5 dollars per month.", "per month"),
    ("one_device", "You can swap devices once a month.", "a month"),
    ("one_device", "The limit resets every month.", "every month"),
    ("cancellation", "The fee goes down by 12.50 dollars every week.", "every week"),
    # approximate, but a promise's timing all the same
    ("duplicate_charge", "You'll get your money back in a day or two.", "in a day"),
    # French checked for its values only: every "par mois" is a rate
    ("late_fee_fr", "Vous avez droit à une annulation par mois.", "per months"),
    # a count of times a month is a frequency, whatever the caller's numbers (answer set 49)
    ("one_device", "You can swap a device out up to 2 times a month.", "a month"),
    # when the caller will get what a passage says they get (answer set 49)
    ("duplicate_charge", "You'll get the confirmation email tomorrow morning.", "tomorrow"),
    # when a service is open (answer set 49)
    ("card_number", "The secure payment line takes payments on weekdays only.", "on weekdays"),
    # the moment of an event the passage times otherwise (answer set 32)
    ("duplicate_charge", "The refund is issued the moment the ticket is filed.", "the moment"),
])
def test_a_unit_that_qualifies_a_value_or_a_promise_is_checked(kb, scenario, answer, fact):
    s = find_scenario(scenario)
    checker = FactChecker(kb, s.passages, [*s.case_facts, s.customer.name], lang=s.language)
    report = checker.check(answer, "fr" if scenario == "late_fee_fr" else "en")
    assert fact in [f.text for f in report.wrong], [(f.text, f.status) for f in report.facts]


@pytest.mark.parametrize("scenario, answer", [
    ("one_device", "Your phone and tablet can both be used every day, at the same time."),
    ("card_number", "It only takes a minute or two in the Northwind app."),
    ("cancellation", "The fee is lower every month you stay."),  # CAN-01: each full month
    # a multiplier, and what the caller will get when a passage says so (near misses of answer
    # set 49's shapes)
    ("cancellation", "That's 12.50 dollars times 5 months, so 62.50 dollars off."),
    ("duplicate_charge", "You'll get a confirmation email as soon as the ticket is filed."),
    ("duplicate_charge", "You'll see the 49 dollars back within 5 business days."),
    # "now that" is no time; weekends as the topic of what the trainee won't guess
    ("duplicate_charge", "You'll get a confirmation email now that the ticket's filed, and "
                         "another one when the refund is issued."),
    ("duplicate_charge", "The rule says 5 business days, and how weekends figure into that "
                         "isn't something it spells out, so I won't guess."),
    # the moment of an event, as the passage times it ("when the ticket is filed": answer set 18)
    ("duplicate_charge", "A confirmation email? You'll get one the moment it's filed."),
    # "now" as the caller's choice (answer set 50)
    ("cancellation", "We can process the cancellation together now if you like."),
])
def test_a_unit_with_nothing_to_qualify_is_a_time_phrase(kb, scenario, answer):
    s = find_scenario(scenario)
    report = FactChecker(kb, s.passages, [*s.case_facts, s.customer.name]).check(answer)
    assert not report.wrong, [(f.text, f.status) for f in report.facts]


def test_a_correct_fact_names_the_calls_own_passage_not_every_one_that_says_it(checker) -> None:
    # "5 business days" is in BILL-01 (this scenario's) and in passages about coverage and
    # delivery: the trainee is told BILL-01; outside the scenario's passages, every one.
    report = checker.check("The full amount will be back within 5 business days.")
    fact = next(f for f in report.correct if f.text == "5 business days")
    assert len(fact.passages) > 1 and "BILL-01" in fact.passages
    assert report.where(fact) == ("BILL-01",)
    other = checker.check("Your data slows down after 10 GB.")
    assert all(other.where(f) == f.passages for f in other.correct)


@pytest.mark.parametrize(("scenario", "answer"), [
    # "now" as "currently", after what the company has
    ("one_device", "No worries, there isn't a one-device limit on any plan now."),
    ("one_device", "That post is out of date: no plans we offer now have a one-device limit."),
    # "now" in the caller's own move, in a condition
    ("cancellation", "You're inside the first 12 months, so the fee applies if you cancel now."),
])
def test_a_now_that_says_no_time_of_ours_is_no_promise(kb, scenario, answer) -> None:
    assert not wrong(scenario_checker(kb, scenario), answer)


@pytest.mark.parametrize(("scenario", "answer"), [
    # the agent's own telling narrowed by "only" or "all": what follows is checked as it stands
    ("one_device", "I can only go by our current plans, and none has a one-device limit."),
    ("one_device", "All I can tell you is that every plan allows up to 5 devices at the same "
                   "time."),
    ("cancellation", "The only thing to keep in mind on your side is the early termination fee "
                     "within the first 12 months."),
    # what the agent has to go by (answer sets 28 and 33)
    ("one_device", "I only have the rules for current plans, and none of them has a one-device "
                   "limit."),
    ("one_device", "I only have the device limits, not how the tablet gets set up."),
    # ... and what the agent cannot say beside the one thing they can (answer set 57)
    ("cancellation", "That's one I can't answer, I only have our side of things. What I can tell "
                     "you is that our fee today is 87.50 dollars."),
    ("duplicate_charge", "I can't say how your bank will show it, only that it goes back to the "
                         "original payment method."),
    # what the agent vouches for, goes by or needs, and the caller's choice (answer set 40)
    ("duplicate_charge", "I won't promise anything else. What I can promise is the refund of the "
                         "duplicate in full within 5 business days after the ticket is filed."),
    ("one_device", "All I can go on is the policy, and no current plan has a one-device limit."),
    ("card_number", "Thanks, that's all I need to verify you. You can pay on the secure payment "
                    "line or in the Northwind app, whichever you prefer."),
    # a claim of others' that the answer denies (answer sets 14 and 40)
    ("one_device", "The forum say one device per plan, but this is not true. Every plan allows "
                   "up to 5 devices."),
    ("one_device", "The forum said you could only use the one device. That post doesn't match "
                   "our policy: every plan allows up to 5 devices at the same time."),
    # what the trainee goes by, its reach, a hedge; "inside" for "within" (answer set 41)
    ("one_device", "My notes only cover how many devices can connect, and a phone plus a "
                   "tablet is fine."),
    ("cancellation", "The rule I have only looks at full months of service: 150 dollars, minus "
                     "12.50 for each one."),
    ("cancellation", "If I've understood the rule properly, you'd wait until the number transfer "
                     "is complete and only then cancel with us."),
    ("one_device", "My notes don't cover setup, so I'd only be guessing."),
    ("cancellation", "Then there'd be no early termination fee at all. It only applies inside the "
                     "first 12 months of a contract."),
    ("duplicate_charge", "Nothing at all. All you'll see is a confirmation email arriving."),
    # the caller's question put back to them, the trainee's own next step put first (answer
    # set 43)
    ("cancellation", "You're wondering why the PIN matters when you only want to leave. Any "
                     "change to the account begins with checking that it's really you."),
    ("duplicate_charge", "I hear you. Let me finish what fixes it first: the correction ticket "
                         "is filed today."),
    # what the trainee needs, an idiom of assent (answer set 44)
    ("duplicate_charge", "I'd never ask for your card number. All I need is the account number "
                         "and PIN you've already given me."),
    ("card_number", "You've read some of it out already; that's all right, just don't go any "
                    "further."),
    # what the trainee may ask for, "any" in idioms (answer set 45)
    ("card_number", "On this call the account number and PIN are all I should ask you for, and "
                    "never the card number."),
    ("card_number", "If the app gives you any trouble, the secure payment line is the other "
                    "route: press 3 from the main menu."),
    ("duplicate_charge", "The refund comes from us, on the original payment method. Whether you "
                         "talk to your bank for any other reason is your call."),
])
def test_the_agents_own_only_or_all_is_no_scope(kb, scenario, answer) -> None:
    assert not wrong(scenario_checker(kb, scenario), answer)


@pytest.mark.parametrize(("scenario", "answer"), [
    # what the trainee has nothing on, or has not to hand, or leaves open (answer set 38)
    ("cancellation", "Porting just one of the lines isn't something I've got anything on, sorry."),
    ("duplicate_charge", "Compensation for the trouble isn't something I've got anything on."),
    ("duplicate_charge", "Interest on the money isn't covered in what I've got, I'm afraid."),
    ("card_number", "What the line asks for after the third step I haven't got in front of me."),
    ("card_number", "That one I'll have to leave open, sorry."),
    ("cancellation", "I've got nothing on fees for a second line, sorry."),
    ("one_device", "Travel isn't covered in the device policy I have, so I'd rather not promise "
                   "anything about using it abroad."),
    # "the only ... I've got" is the trainee's own knowledge
    ("cancellation", "The only cancellation charge I've got is the early termination fee."),
    # the trainee's own notes do not say, not at hand, not to be quoted wrong (answer set 40)
    ("cancellation", "My guidance doesn't say how cancellations have to be sent in, sorry."),
    ("card_number", "Nothing in my notes covers receipts, so I can't promise one."),
    ("one_device", "Pricing isn't in front of me, so I'll leave that to be checked rather than "
                   "quote you something wrong."),
    ("cancellation", "The phone itself doesn't come into the fee rule I have: 150 dollars, less "
                     "12.50 dollars for every full month of service."),
    ("late_fee_fr", "Je n'ai pas d'information là-dessus. Je ne veux pas vous donner une date "
                    "que je ne peux pas garantir."),
    # (answer set 41)
    ("card_number", "Whose card can be used isn't covered in my guidance, so I can't confirm it."),
    ("cancellation", "A last bill isn't something my notes cover, sorry."),
    ("card_number", "Nothing in what I've got mentions a discount for paying in full."),
    ("one_device", "Price is outside what I can see here, so I won't quote you anything."),
    ("one_device", "Speed isn't covered by the rules on devices that I've got."),
    ("late_fee_fr", "Je ne saurais pas vous le dire : ma consigne ne couvre que le retrait des "
                    "frais."),
    # (answer set 42)
    ("cancellation", "What happens to the handset isn't covered in anything I have in front of "
                     "me, so I won't guess."),
    ("cancellation", "A final bill is something I'd have to check, because the information I "
                     "have doesn't say."),
    ("card_number", "Honestly, I've nothing that compares them on speed."),
    # what our policy does not say, sorry again for all the trouble, whenever you're ready, all
    # at once, reading our policy, the only thing is (answer set 51)
    ("card_number", "Our policy doesn't say which of the two is quicker, so pick either."),
    ("duplicate_charge", "ok, putting you through to my supervisor now. sorry again for all the "
                         "trouble"),
    ("card_number", "I can put you through to the secure payment line whenever you're ready."),
    ("duplicate_charge", "All at once: the duplicate is refunded in full to the original payment "
                         "method."),
    ("cancellation", "If I'm reading our policy right, the fee only applies in the first 12 "
                     "months."),
    ("cancellation", "Your new carrier asks for the transfer. The only thing is not to cancel "
                     "with us until it's finished."),
])
def test_what_the_trainee_lacks_or_closes_with_states_nothing(kb, scenario, answer) -> None:
    assert not wrong(scenario_checker(kb, scenario), answer)


@pytest.mark.parametrize(("scenario", "answer", "fact"), [
    # beside what the trainee lacks, what they do state is checked
    ("one_device", "I don't know about watches, but every plan allows 8 devices.", "8"),
    ("cancellation", "I've got nothing on voicemail, and the fee is 40 dollars.", "40 dollars"),
    ("cancellation", "My guidance doesn't say how, but cancelling is free after 3 months.",
     "3 months"),
    ("cancellation", "The phone doesn't come into the fee rule I have: 150 dollars, less 10 "
                     "dollars a month.", "10 dollars"),
    ("card_number", "Nothing in what I've got mentions it, but you can also pay at a post "
                    "office.", "post office"),
    ("duplicate_charge", "All you'll see is a refund of 98 dollars.", "98 dollars"),
    # a claim of others' told and not denied is the trainee's too
    ("one_device", "The forum said every plan allows 8 devices, and that's right.", "8"),
    ("one_device", "Someone told you 8 devices, and it's 8 devices on every plan.", "8"),
])
def test_what_is_said_beside_a_lack_is_still_checked(kb, scenario, answer, fact) -> None:
    assert any(fact in words for _, words in wrong(scenario_checker(kb, scenario), answer)), \
        wrong(scenario_checker(kb, scenario), answer)


def test_one_digit_after_the_dollars_is_a_count_not_cents(kb) -> None:
    # answer set 33: "49 dollars two times" was read as 49.02 dollars
    answer = "I see it: 49 dollars two times in same day for March bill."
    assert not wrong(scenario_checker(kb, "duplicate_charge"), answer)


@pytest.mark.parametrize(("scenario", "answer", "fact"), [
    # a time of ours said with "now" stays a timing to check
    ("duplicate_charge", "The refund reaches your card now.", "now"),
    # what follows a frame is still checked
    ("one_device", "All I can tell you is that every plan allows up to 8 devices.", "8"),
    ("cancellation", "The only thing to keep in mind is that you have to send us a signed "
                     "letter by post.", "signed letter by post"),
    ("cancellation", "The only thing to watch on your end is the 40 dollar admin charge.",
     "40 dollar"),
    ("one_device", "Phones only have the one-device limit.", "only"),
    ("duplicate_charge", "What I can promise is the refund within 2 business days.",
     "2 business days"),
    ("card_number", "You can pay by bank transfer or at a shop, whichever you prefer.",
     "at a shop"),
    ("cancellation", "The rule I have only allows one cancellation a year.", "only"),
    ("duplicate_charge", "The refund rule only covers card payments, not bank payments.",
     "only"),
    ("cancellation", "The fee only applies inside the first 6 months.", "6 months"),
    # what the agent can say is still checked: the rule after "only that" is not theirs
    ("duplicate_charge", "I can't say how your bank will show it, only that it takes 2 business "
                         "days.", "2 business days"),
    ("duplicate_charge", "It only goes back to the original payment method.", "only"),
    # cents said as two digits still make one amount
    ("cancellation", "The fee is 150 dollars less twelve dollars forty for each full month.",
     "12.40"),
])
def test_what_such_words_leave_is_still_checked(kb, scenario, answer, fact) -> None:
    assert any(fact in words for _, words in wrong(scenario_checker(kb, scenario), answer)), \
        wrong(scenario_checker(kb, scenario), answer)


# -- when the company takes, clears or issues something (answer sets 2-32) ----------------------

@pytest.mark.parametrize("scenario, answer", [
    ("cancellation", "It's 87.50 dollars, and it's charged the moment your number moves across."),
    ("cancellation", "The fee is collected straight away when the account closes."),
    ("cancellation", "That fee will be taken from your card overnight."),
    ("duplicate_charge", "The refund is issued within the hour of the ticket being filed."),
    ("card_number", "Pay on the secure line and your overdue status will be cleared this afternoon."),
])
def test_a_timing_given_to_what_the_company_takes_or_issues_is_checked(kb, scenario,
                                                                       answer) -> None:
    assert any(kind == "term" for kind, _ in wrong(scenario_checker(kb, scenario), answer)), \
        scenario_checker(kb, scenario).check(answer).facts


@pytest.mark.parametrize("scenario, answer", [
    # the caller's case, a noun, the caller's wish, "at the moment", the trainee's own step
    ("duplicate_charge", "You were charged 49 dollars twice on the same day, I can see that."),
    ("duplicate_charge", "I'm filing the correction for the second charge right now."),
    ("card_number", "I know you'd like to clear it today; the secure payment line takes it."),
    ("duplicate_charge", "I can't see the ticket at the moment, but I'll file it straight away."),
])
def test_a_time_beside_no_such_event_is_no_promise(kb, scenario, answer) -> None:
    assert wrong(scenario_checker(kb, scenario), answer) == [], \
        scenario_checker(kb, scenario).check(answer).facts


@pytest.mark.parametrize("scenario, answer", [
    ("one_device", "There's no one-device limit on any of our plans at the moment."),
    ("duplicate_charge", "The refund for the duplicate is being sorted at the moment, within 5 "
                         "business days of filing."),
])
def test_at_the_moment_is_now_not_a_promised_timing(kb, scenario, answer) -> None:
    assert wrong(scenario_checker(kb, scenario), answer) == [], \
        scenario_checker(kb, scenario).check(answer).facts
