"""What counts as a fact (issue 15, finding 1): a word that only says when, how often or how
much (now, today, twice, again, always, every, in full) or a bare time unit is a fact only
about a policy fact of its clause, never an ordinary word of a report ("you were charged
twice"), of the agent's own action ("I'll file it now") or of a question; "extra" is never a
fact of its own; a number and its time unit are one fact across "full". Invented amounts,
durations, fees and timings are still caught."""

from __future__ import annotations

import pytest

from copilot import paths
from copilot.knowledge.parse import Passage, load_folder
from copilot.knowledge.verify import BENEFITS, Verdict, term_keys, verify


@pytest.fixture(scope="module")
def passages() -> dict[str, Passage]:
    found, _ = load_folder(paths.sample_kb())
    return {p.id: p for p in found}


def check(text: str, passages: dict[str, Passage], *ids: str) -> Verdict:
    return verify(text, [passages[i] for i in ids])


def unsupported(v: Verdict) -> list[str]:
    return [f.text for f in v.unsupported]


# -- ordinary words: no fact, nothing flagged --------------------------------------------------

@pytest.mark.parametrize("line, passage", [
    # a report of what happened: the caller's account, not policy
    ("I can see you were charged twice for the same bill.", "BILL-01"),
    ("You've been charged twice this month, and I'm sorry about that.", "BILL-01"),
    ("You were billed twice last week, and that's our mistake.", "BILL-01"),
    ("We took the payment twice on the same day.", "BILL-01"),
    ("I've already checked your account twice.", "BILL-01"),
    ("You paid extra this month because of the partial charge.", "BILL-09"),
    # the agent's own action in the call
    ("I'll file the billing correction now.", "BILL-01"),
    ("I'm filing it today, while we're on the call.", "BILL-01"),
    ("I can put you through to my supervisor right away.", "BILL-01"),
    ("Let me check that for you now.", "DEV-01"),
    ("I'll look into that charge now.", "BILL-07"),
    # the agent's paperwork: the timing is the filing's, not the refund's (the walk-through)
    ("I'll file a refund for the duplicate charge right away.", "BILL-01"),
    # courtesy, questions, and a conjunction
    ("Thanks again for your patience.", "BILL-01"),
    ("Is there anything else I can help you with today?", "BILL-01"),
    ("Could you confirm your PIN once more?", "ID-01"),
    ("Once the ticket is filed, you'll get a confirmation email.", "BILL-01"),
    # "extra" only says what it qualifies: here the duplicate, whose timing is checked
    ("The extra payment will be back on your original payment method within 5 business days.",
     "BILL-01"),
])
def test_words_that_state_no_policy_are_not_facts(passages, line, passage) -> None:
    v = check(line, passages, passage)
    assert v.ok, unsupported(v)
    qualifiers = {"twice", "now", "today", "again", "once", "extra", "right away", "same day",
                  "month", "week"}
    assert not {f.text.lower() for f in v.facts} & qualifiers, [f.text for f in v.facts]


@pytest.mark.parametrize("line", [
    "Let me go ahead and submit the refund now.",
    "I'm going to log the refund for you today.",
    "I'll just raise a credit for the duplicate right away.",
    "I'll open a refund ticket today.",
])
def test_a_timing_of_the_agents_paperwork_is_not_a_fact(passages, line) -> None:
    # the verb says what is done now (a request), not when the benefit comes
    v = check(line, passages, "BILL-01")
    assert not {f.text.lower() for f in v.facts} & {"now", "today", "right away"}, v.facts


# -- invented policy: still caught -------------------------------------------------------------

@pytest.mark.parametrize("line, passage, fact", [
    # a timing promised for a benefit, a delivery, or what the company can do
    ("We'll refund it today.", "BILL-01", "today"),
    ("The refund will be on your card tomorrow.", "BILL-01", "tomorrow"),
    ("Your refund goes through immediately.", "BILL-01", "immediately"),
    ("The money will be back today.", "BILL-01", "today"),
    ("It'll be back on your card today.", "BILL-01", "today"),
    ("We can unlock your phone right away.", "DEV-02", "right away"),
    ("I'll refund the duplicate today.", "BILL-01", "today"),  # the agent, but a benefit
    ("I'll send you a refund today.", "BILL-01", "today"),  # handing over: not paperwork
    ("I'll process the refund today.", "BILL-01", "today"),
    # the passage's "today" is the confirmation email's, not the refund's
    ("The refund goes through today, and you'll get an email.", "BILL-01", "today"),
    # a frequency or a rate
    ("We can waive a late fee twice a year.", "BILL-02", "twice"),
    ("You can move your due date twice in any 12-month period.", "BILL-10", "twice"),
    ("We'll waive the late fee again next time.", "BILL-02", "again"),
    ("We always waive the first late fee.", "BILL-02", "always"),
    ("You'll be charged twice a month for paper bills.", "BILL-06", "twice"),
    ("The paper bill fee is charged every week.", "BILL-06", "week"),
    # a different amount or number of days, a fee the passage does not have
    ("You'll get 20 dollars back now.", "BILL-01", "20 dollars"),
    ("The duplicate amount is refunded within 3 business days.", "BILL-01", "3 business days"),
    ("There's a 5 dollar fee for the correction.", "BILL-01", "5 dollar"),
    ("There's an extra 3 dollar charge for email bills.", "BILL-06", "3 dollar"),
    ("After 5 full months there is no fee.", "CAN-01", "5 full months"),
])
def test_invented_policy_is_still_caught(passages, line, passage, fact) -> None:
    v = check(line, passages, passage)
    assert fact in unsupported(v), (unsupported(v), [f.text for f in v.facts])


def test_a_past_report_and_a_promise_in_one_sentence_are_told_apart(passages) -> None:
    v = check("You were charged twice, so we'll refund the duplicate today.", passages, "BILL-01")
    assert "today" in unsupported(v) and "twice" not in [f.text for f in v.facts]


def test_a_qualifier_of_a_benefit_in_the_agents_own_words_is_checked(passages) -> None:
    # the agent's action alone states nothing; giving the customer something does
    assert check("I'll send you the confirmation now.", passages, "BILL-01").ok
    assert "now" in unsupported(check("I'll credit your account now.", passages, "BILL-01"))


# -- a number and its time unit, one fact across "full" ----------------------------------------

@pytest.mark.parametrize("line, passage", [
    ("The duplicate is refunded within 5 full business days.", "BILL-01"),
    ("After 12 full months there is no fee.", "CAN-01"),
    ("We can do this once in any 12 whole month period.", "BILL-02"),
])
def test_words_that_keep_a_unit_do_not_split_a_duration(passages, line, passage) -> None:
    v = check(line, passages, passage)
    assert v.ok, unsupported(v)
    assert not [f for f in v.facts if f.kind == "number" or f.text in ("full", "whole")]


@pytest.mark.parametrize("line, passage", [
    ("The duplicate is refunded in up to 5 business days.", "BILL-01"),
    ("The duplicate is refunded in at most 5 business days.", "BILL-01"),
    ("You're less than 12 months into the contract, so the early termination fee applies.",
     "CAN-01"),
    ("Your contract is under 12 months old, so there's an early termination fee.", "CAN-01"),
])
def test_an_upper_bound_on_a_time_is_the_same_in_other_words(passages, line, passage) -> None:
    """"within 5 business days" is "up to" or "at most 5 business days"; "within the first 12
    months" is "less than 12 months into the contract" (practice answer set 36)."""
    v = check(line, passages, passage)
    assert v.ok, unsupported(v)


@pytest.mark.parametrize("line, passage", [
    ("The duplicate is refunded after 5 business days.", "BILL-01"),
    ("The duplicate is refunded in at least 5 business days.", "BILL-01"),
    ("You can have under 5 devices on any plan.", "DEV-01"),  # a count: not a time
])
def test_a_bound_the_other_way_is_still_caught(passages, line, passage) -> None:
    assert not check(line, passages, passage).ok


def test_a_bound_duration_is_shown_in_the_lines_words(passages) -> None:
    v = check("It is refunded within 3 full business days.", passages, "BILL-01")
    assert ("duration", "3 full business days", "within 3 business day") in [
        (f.kind, f.text, f.key) for f in v.unsupported]
    assert not [f for f in v.facts if f.text in ("3", "full", "business days")]


# -- the verifier's other readers ---------------------------------------------------------------

def test_another_language_keeps_every_time_word_for_its_reader() -> None:
    # French with its units in English: the verbs around them cannot be read
    text = "je vous rembourse la weeks prochaine"
    assert not verify(text, []).facts
    assert [f.text for f in verify(text, [], english=False).facts] == ["weeks"]


def test_a_passage_is_read_with_every_word() -> None:
    keys = term_keys("The late fee can be waived once, and the refund is issued today.")
    assert {"waive", "once", "refund", "today", "charge"} <= keys
    assert "free" in term_keys("After 12 months there is no fee.")
    assert {"refund", "credit", "waive", "free"} <= BENEFITS


# -- a qualifier is found where it qualifies the same thing ------------------------------------

def test_a_passages_timing_supports_only_what_it_qualifies_there(passages) -> None:
    # BILL-01's approved line: "... within 5 business days, and you'll get a confirmation email
    # today". The email's "today" is a fact of its own clause: a draft that leaves out the 5
    # business days may still say it (the walk-through flagged it), but not of the refund.
    ok = check("I've filed a billing correction; you'll get a confirmation email today.",
               passages, "BILL-01")
    assert ok.ok, unsupported(ok)
    for line in ("I'll give you a refund today.", "The money will be back today."):
        assert "today" in unsupported(check(line, passages, "BILL-01")), line


def test_a_condition_still_binds_across_a_plain_comma(passages) -> None:
    # "after 12 months, there is no fee": only a coordinated clause (", and", ", but") frees a
    # promise from the number of its sentence
    passage = Passage("T-1", "Test", "After 12 months, there is no fee.", (), "t.md")
    assert not verify("There is no fee.", [passage]).ok
    assert verify("After 12 months, there is no fee.", [passage]).ok


def test_a_phrases_words_are_not_what_another_term_is_about(passages) -> None:
    v = check("I'll file it for the duplicate charge right away.", passages, "BILL-01")
    charge = next(f for f in v.facts if f.text == "charge")
    assert charge.key == "charge" and charge.supported


def test_a_fact_is_named_for_the_agent_by_what_it_says(passages) -> None:
    labels = {f.text: f.label for line, pid in [("We can unlock your phone right away.", "DEV-02"),
                                                ("We can waive a late fee twice a year.", "BILL-02")]
              for f in check(line, passages, pid).facts}
    assert labels["right away"] == "timing" and labels["twice"] == "how often"
    assert labels["waive"] == "policy term"
