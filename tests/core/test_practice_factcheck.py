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
    ("We'll refund the duplicate amount today.", "refund"),
    ("We'll refund the duplicate amount plus a 50 dollar credit.", "credit"),
    ("We'll refund your monthly fees within 5 business days.", "refund"),
])
def test_an_unsupported_promise_stays_wrong(checker, answer, fact) -> None:
    report = checker.check(answer)
    assert fact in [f.text for f in report.wrong], [(f.text, f.status) for f in report.facts]
    assert all(f.status != WRONG or f.passages == () for f in report.facts)
