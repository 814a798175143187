"""Which words of a trainee's answer are policy facts (issue 15, finding 3): a promise word that
names the topic ("the refund goes back to your card") is correct where the call's passage
makes that promise, and a wrong one names the passages that make it about something else;
a number in a compound modifier ("4-digit PIN", "two-factor", "24-hour line") describes its
noun and is no amount. Invented amounts, durations and promises are still caught."""

from __future__ import annotations

import pytest

from copilot.practice.factcheck import CORRECT, DESCRIBES, WRONG, FactChecker
from copilot.practice.scenario import find_scenario


@pytest.fixture(scope="module")
def checkers(kb):
    made: dict[str, FactChecker] = {}

    def get(name: str) -> FactChecker:
        if name not in made:
            s = find_scenario(name)
            made[name] = FactChecker(kb, s.passages, [*s.case_facts, s.customer.name])
        return made[name]
    return get


def facts(report) -> list[tuple[str, str]]:
    return [(f.text, f.status) for f in report.facts]


# -- a promise word that names the topic -------------------------------------------------------

@pytest.mark.parametrize("answer", [
    "The refund goes back to the card you paid with.",
    "Your refund shows up on the card you used, within 5 business days.",
    "The refund lands on the same card you were charged on.",
    "Once I file the ticket, the refund is on its way.",
    "The refund goes back to the card you paid with, within 5 business days of the ticket.",
])
def test_a_refund_named_as_the_topic_is_the_calls_passage(checkers, answer) -> None:
    report = checkers("duplicate_charge").check(answer)
    assert not report.wrong, facts(report)
    refund = next(f for f in report.facts if f.text.lower() == "refund")
    assert refund.status == CORRECT and report.where(refund) == ("BILL-01",)


@pytest.mark.parametrize("scenario, answer, fact", [
    # what the answer says about the refund is still its own fact
    ("duplicate_charge", "The refund goes back to your card within 2 business days.",
     "2 business days"),
    ("duplicate_charge", "You'll get a full refund within 24 hours.", "24 hours"),
    ("duplicate_charge", "Your refund will come as a 10 dollar credit.", "10 dollar"),
    # the opposite promise is not the passage's ("no refund" against BILL-01's refund)
    ("duplicate_charge", "There is no refund for the duplicate.", "no refund"),
    # a call whose passages make no refund promise
    ("cancellation", "The refund goes to your card.", "refund"),
    ("card_number", "We'll refund the late fee.", "refund"),
])
def test_an_invented_refund_or_its_details_stay_wrong(checkers, scenario, answer, fact) -> None:
    report = checkers(scenario).check(answer)
    assert fact in [f.text for f in report.wrong], facts(report)


@pytest.mark.parametrize("scenario, answer", [
    ("cancellation", "The refund goes to your card."),
    ("card_number", "We'll refund the late fee."),
])
def test_a_wrong_refund_names_the_passages_that_cover_refunds(checkers, scenario, answer):
    (refund,) = [f for f in checkers(scenario).check(answer).wrong if f.text == "refund"]
    assert {"BILL-01", "BILL-08"} <= set(refund.elsewhere)  # not "in no passage"


# -- a number in a compound modifier -----------------------------------------------------------

@pytest.mark.parametrize("scenario, answer, compound", [
    ("one_device", "Could you confirm your 4-digit PIN first?", "4-digit"),
    ("duplicate_charge", "For your security we use a two-factor check.", "two-factor"),
    ("one_device", "You can also call our 24-hour line about it.", "24-hour"),
    ("cancellation", "Our 24-hour support line can help with the transfer.", "24-hour"),
    ("card_number", "The app has a two-step login, so it is safe.", "two-step"),
])
def test_a_compound_that_describes_its_noun_is_no_fact(checkers, scenario, answer, compound):
    report = checkers(scenario).check(answer)
    assert not report.wrong, facts(report)
    assert compound not in [f.text for f in report.correct]  # not listed, not counted
    assert (compound, DESCRIBES) in facts(report)


def test_a_compound_the_calls_passage_states_is_listed_whole(checkers) -> None:
    report = checkers("card_number").check("Could you confirm your 4-digit PIN first?")
    assert ("4-digit", CORRECT) in facts(report) and "4" not in [f.text for f in report.facts]
    assert "4-digit" in [f.text for f in report.correct]


@pytest.mark.parametrize("scenario, answer, compound", [
    ("card_number", "Could you confirm your 6-digit PIN?", "6-digit"),  # ID-01: 4-digit
    ("one_device", "There is a 3-device limit on your plan.", "3-device"),  # DEV-01 counts
    ("duplicate_charge", "I'll add a 10-dollar credit for the trouble.", "10-dollar"),  # amount
    ("duplicate_charge", "We'll refund it through a 48-hour fast track.", "48-hour"),  # promise
    ("late_fee_fr", "I can waive one late fee in any 6-month period.", "6-month"),
])
def test_an_invented_amount_duration_or_count_in_a_compound_is_caught(checkers, scenario,
                                                                     answer, compound) -> None:
    report = checkers(scenario).check(answer)
    assert (compound, WRONG) in facts(report), facts(report)


def test_a_compound_duration_of_the_passage_still_states_the_required_fact(kb) -> None:
    s = find_scenario("late_fee_fr")
    from copilot.practice.session import fact_checker

    report = fact_checker(s, kb).check("I can waive it once in any 12-month period.")
    assert not report.wrong and ("12-month", CORRECT) in facts(report)
    assert report.stated  # the criterion's "12-month period"


def test_the_feedback_and_the_scorecard_count_only_policy_facts(kb) -> None:
    from copilot.practice.session import PracticeOptions, PracticeSession

    session = PracticeSession(find_scenario("one_device"), kb,
                              options=PracticeOptions(timed=False))
    session.opening()
    fb = session.answer("Could you confirm your 4-digit PIN? Our 24-hour line can help too, and "
                        "your plan allows up to 5 devices at the same time.").feedback
    assert fb.facts.wrong == [] and [f.text for f in fb.facts.correct] == ["PIN", "5"]
    assert not [n for n in fb.notes if "4-digit" in n or '"4"' in n or "24-hour" in n]
    card = session.finish()
    assert (card.facts_correct, card.facts_wrong) == (2, 0)


@pytest.mark.parametrize("answer", [
    "You'll get a full refund within 24 hours.",
    "The refund takes 10 business days.",
    "We refund duplicates within 48 hours.",
])
def test_a_promise_the_calls_passage_makes_otherwise_says_so(checkers, answer) -> None:
    """BILL-01 (the duplicate-charge call's passage) does refund: a refund said with other
    conditions is wrong as said, not "in no passage" nor only other passages'."""
    from copilot.practice.session import _wrong_note

    (refund,) = [f for f in checkers("duplicate_charge").check(answer).wrong
                 if f.text == "refund"]
    assert refund.differently == ("BILL-01",)
    assert _wrong_note(refund).startswith("not as this call's passage says it: \"refund\"")
    (other,) = [f for f in checkers("card_number").check("We'll refund the late fee.").wrong
                if f.text == "refund"]
    assert other.differently == () and "about something else" in _wrong_note(other)
