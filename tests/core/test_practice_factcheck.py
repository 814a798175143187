"""Practice's fact-check reads an answer with the verifier's rules: a correct policy fact said
with another inflection than the passage's ("we'll refund" for "is refunded") is correct; a
fact no passage states stays wrong."""

from __future__ import annotations

import pytest

from copilot import paths
from copilot.knowledge.base import KnowledgeBase
from copilot.practice.factcheck import CORRECT, WRONG, FactChecker
from copilot.practice.scenario import find_scenario


@pytest.fixture(scope="module")
def kb():
    with KnowledgeBase.load(paths.sample_kb()) as k:
        yield k


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
    assert status in {f.status for f in report.facts}


@pytest.mark.parametrize("answer, heard, fact", [
    # a time phrase bound to money back is a promise, echoed or not
    ("You'll get your money back next week.", ["I'm moving next week."], "week"),
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


def test_a_value_of_another_passage_names_it(checker) -> None:
    (wrong,) = [f for f in checker.check("Refunds for double charges take 30 days.").wrong
                if f.kind != "term"]
    assert wrong.text == "30 days" and wrong.passages == ()
    assert "BILL-07" in wrong.elsewhere  # "up to 30 days" for a dispute: beside the point
