"""Practice sessions driven by scripted answers: a good run meets every criterion in each
bundled scenario; bad moves are flagged at the answer where they happen."""

from __future__ import annotations

import re

import pytest

from copilot.practice.scenario import find_scenario, parse_scenario, scenarios_dir
from copilot.practice.session import PracticeError, PracticeOptions, PracticeSession

ANSWERS = scenarios_dir() / "answers"
SCENARIOS = ["duplicate_charge", "one_device", "cancellation", "late_fee_fr", "card_number"]
UNTIMED = PracticeOptions(timed=False)


def answers(name: str) -> list[str]:
    lines = (ANSWERS / name).read_text(encoding="utf-8").splitlines()
    return [ln.strip() for ln in lines if ln.strip() and not ln.startswith("#")]


def run(kb, scenario, replies, **kw):
    s = PracticeSession(find_scenario(scenario) if isinstance(scenario, str) else scenario, kb,
                        options=kw.pop("options", UNTIMED), **kw)
    s.opening()
    for text in replies:
        if s.done:
            break
        s.answer(text)
    return s, s.finish()


def status(card) -> dict[str, str]:
    return {r.id: r.status for r in card.results}


@pytest.mark.parametrize("name", SCENARIOS)
def test_a_good_run_meets_every_criterion(kb, name):
    session, card = run(kb, name, answers(f"{name}.good.txt"))
    assert card.completed, "the customer should have said the closing line"
    assert all(r.ok for r in card.results), [r for r in card.results if not r.ok]
    assert card.passed and card.score == 1.0
    assert card.facts_wrong == 0 and card.facts_correct > 0
    assert all(r.status == "met" for r in card.criteria)
    assert all(r.status == "clear" for r in card.forbidden)
    assert [t.source for t in card.customer_turns][0] == "opening"
    assert card.customer_turns[-1].source == "closing" and card.customer_turns[-1].last


def test_a_bad_run_is_flagged_at_each_bad_move(kb):
    session, card = run(kb, "duplicate_charge", answers("duplicate_charge.bad.txt"))
    st = status(card)
    assert st == {"identity_first": "missed", "refund_timing": "missed",
                  "escalation_when_asked": "missed", "tone": "met",
                  "asks_card_number": "violated", "unsupported_promise": "violated"}
    assert not card.passed
    first = session.answers[0]
    assert {c.id: c.status for c in first.changes} == {"identity_first": "missed",
                                                       "unsupported_promise": "violated"}
    wrong = {f.text for f in first.facts.wrong}
    assert {"24 hours", "50 dollar", "refund", "credit"} <= wrong
    assert {c.id for c in session.answers[1].changes} == {"asks_card_number"}
    promise = next(r for r in card.results if r.id == "unsupported_promise")
    assert promise.turn == 1 and "24 hours" in promise.detail


GOOD = answers("duplicate_charge.good.txt")
PROMISE = "You'll get a full refund within 24 hours plus a 50 dollar credit."


@pytest.mark.parametrize("swap, expected", [
    # The promise instead of the refund timing: only the promise and the timing fail.
    ((2, PROMISE), {"unsupported_promise": "violated", "refund_timing": "missed"}),
    # Asking for the card number once, otherwise a good call.
    ((1, "Thanks. Could you also give me the full card number so I can look at the charges? "
         "I've filed a billing correction for the duplicate charge."),
     {"asks_card_number": "violated"}),
    # Straight to the account, no verification.
    ((0, "I'm so sorry. I can see the double charge on your March bill."),
     {"identity_first": "missed"}),
])
def test_each_bad_move_is_flagged_on_its_own(kb, swap, expected):
    replies = list(GOOD)
    replies[swap[0]] = swap[1]
    _, card = run(kb, "duplicate_charge", replies)
    failed = {r.id: r.status for r in card.results if not r.ok}
    assert failed == expected


def test_a_typed_card_number_is_never_kept(kb):
    session, card = run(kb, "card_number", [
        "Sorry, please don't read out your card details. The secure payment line is safer. "
        "Was it 4539 1488 0343 6467?"])
    text = str(card.to_dict())
    assert "4539" not in text and "1488 0343" not in text
    assert "[card" in session.answers[0].agent
    # the scripted caller reads digits out: shown masked, as a live caption would be
    assert "4 5 3 9" not in card.customer_turns[0].text
    assert "[card number]" in card.customer_turns[0].text


def test_response_time_comes_from_the_clock_or_the_caller(kb):
    now = [100.0]
    s = PracticeSession(find_scenario("one_device"), kb, clock=lambda: now[0])
    s.opening()
    now[0] += 42.0
    first = s.answer("Which plan are you on?").feedback
    assert first.seconds == pytest.approx(42.0) and first.slow
    assert any("response time 42.0 s (slow)" in n for n in first.notes)
    second = s.answer("Your plan lets you use up to 5 devices at the same time.",
                      seconds=3.5).feedback
    assert second.seconds == 3.5 and not second.slow
    assert s.finish().median_response == pytest.approx((42.0 + 3.5) / 2)


def test_untimed_sessions_measure_nothing(kb):
    _, card = run(kb, "one_device", answers("one_device.good.txt"))
    assert card.response_times == [] and card.median_response is None


def test_french_scenario_answered_in_english(kb):
    replies = ["Hello Camille, of course. Before we go on, could you confirm your account "
               "number and your 4-digit account PIN?",
               "Thank you. I'm sorry to hear about the hospital stay. What happened?",
               "I can waive this late fee for you as a one-time courtesy; we can do this once "
               "in any 12-month period.",
               "We can do this once in any 12-month period.",
               "Only once in any 12-month period."]
    session, card = run(kb, "late_fee_fr", replies)
    assert card.passed, [r for r in card.results if not r.ok]
    assert session.answers[2].lang == "en" and session.answers[2].facts.checked_as == "en"


def test_french_answers_have_their_numbers_checked(kb):
    session, card = run(kb, "late_fee_fr", [
        "Pouvez-vous me donner votre numéro de compte et votre code PIN ?",
        "Je peux annuler ces frais, et vous serez remboursé sous 24 heures."])
    fb = session.answers[1]
    assert fb.lang == "fr" and fb.facts.checked_as == "values only (fr)"
    assert [f.text for f in fb.facts.wrong] == ["24 hours"]
    assert status(card)["unsupported_promise"] == "violated"
    assert "facts checked as values only (fr): numbers, units and invented conditions, channels " \
           "and times" in fb.notes


def test_an_invented_french_condition_is_in_the_feedback(kb):
    session, card = run(kb, "late_fee_fr", [
        "Pouvez-vous me donner votre numéro de compte et votre code PIN ?",
        "Je les annule, à condition que vous passiez au prélèvement mensuel."])
    fb = session.answers[1]
    assert any(n.startswith("a rule no passage of this call states") for n in fb.notes), fb.notes


@pytest.mark.parametrize(("answer", "language"), [
    ("Ich kann die Gebühr einmal alle 12 Monate erlassen.", "German"),
    ("Sí, podemos anular el cargo una vez cada 6 meses.", "Spanish"),
])
def test_an_answer_in_a_language_the_caller_does_not_speak_is_said_so(kb, answer, language):
    session, _card = run(kb, "late_fee_fr", [
        "Pouvez-vous me donner votre numéro de compte et votre code PIN ?", answer])
    fb = session.answers[1]
    assert f"this answer is in {language}: the customer speaks French (answer in French or " \
           "English); its facts were not checked" in fb.notes, fb.notes
    # its words are not each shown as missing from the passages
    assert not fb.facts.wrong and not any("passage" in n for n in fb.notes), fb.notes


def test_feedback_names_tone_cues_and_jargon(kb):
    session, _ = run(kb, "one_device", [
        "I completely understand, sorry for the confusion. Kindly note that as per the "
        "provisioning rules which plan are you on?"])
    tone = session.answers[0].tone
    assert tone.apology == ("sorry",) and tone.empathy == ("I completely understand",)
    assert set(tone.jargon) == {"as per", "provisioning", "kindly"} and not tone.plain
    assert any(n.startswith("jargon:") for n in session.answers[0].notes)


def test_escalation_is_not_applicable_when_never_asked_twice(kb):
    scenario = parse_scenario({
        "title": "calm", "passages": ["DEV-01"],
        "customer": {"name": "N", "goal": "g", "opening": "How many devices can I use?",
                     "closing": "Thanks.", "script": [{"text": "Great."}]},
        "criteria": [{"kind": "escalation_when_asked"},
                     {"kind": "states", "passage": "DEV-01", "facts": ["up to 5 devices"]}],
    }, "calm")
    _, card = run(kb, scenario, ["Your plan lets you use up to 5 devices at the same time.",
                                 "Glad to help."])
    assert status(card) == {"escalation_when_asked": "n/a", "states": "met"} and card.passed


def test_misuse_is_refused_with_a_reason(kb):
    s = PracticeSession(find_scenario("one_device"), kb, options=UNTIMED)
    with pytest.raises(PracticeError, match="opening"):
        s.answer("hello")
    s.opening()
    with pytest.raises(PracticeError, match="empty"):
        s.answer("   ")
    card = s.finish()  # stopped half-way
    assert not card.completed and not card.passed
    assert status(card)["asks_plan"] == "missed"
    with pytest.raises(PracticeError, match="over"):
        s.answer("Which plan are you on?")


def test_scorecard_json_has_the_transcript_in_order(kb):
    _, card = run(kb, "card_number", answers("card_number.good.txt"))
    d = card.to_dict()
    roles = [t["role"] for t in d["transcript"]]
    assert roles == ["customer", "agent"] * 3 + ["customer"]
    assert d["passed"] is True and d["facts"]["wrong"] == 0
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", d["started_at"])


class _Glossary:
    """A stand-in translator: fixed French -> English sentences."""

    def __init__(self, table):
        self.table, self.calls = table, []

    def translate(self, text, src, tgt):
        self.calls.append((src, tgt))
        return self.table.get(text.strip(), text)


def test_a_translator_checks_every_fact_of_a_french_answer(kb):
    fr = "Je peux annuler ces frais, c'est gratuit pour toujours."
    tr = _Glossary({fr: "I can waive this fee, it is free forever."})
    s = PracticeSession(find_scenario("late_fee_fr"), kb, options=UNTIMED, translator=tr)
    s.opening()
    fb = s.answer(fr).feedback
    assert tr.calls == [("fr", "en")] and fb.facts.checked_as == "translated"
    assert {"free", "forever"} <= {f.text for f in fb.facts.wrong}


# -- issue 15: one judgement for the feedback and the scorecard ----------------------------

CANCEL_GOOD = answers("cancellation.good.txt")
FEE_ANSWER = "The fee is 150 dollars minus 12.50 for each full month."


def test_the_fee_rule_said_without_the_second_unit_is_met_in_feedback_and_scorecard(kb):
    """The walk-through: the feedback showed 150 dollars and 12.50 as found in CAN-01, the
    scorecard said "missed: never stated 12.50 dollars" and "Not passed 60%"."""
    replies = list(CANCEL_GOOD)
    replies[2] = FEE_ANSWER
    session, card = run(kb, "cancellation", replies)
    fb = session.answers[2]
    facts = {f.text: f for f in fb.facts.facts}
    assert facts["150 dollars"].status == facts["12.50"].status == "correct"
    assert facts["150 dollars"].states == ("150 dollars",)
    assert facts["12.50"].states == ("12.50 dollars",)
    # the feedback on that answer says the criterion was met, at that answer
    assert {c.id: (c.status, c.turn) for c in fb.changes}["fee_rule"] == ("met", 3)
    fee = next(r for r in card.results if r.id == "fee_rule")
    assert fee.status == "met" and fee.turn == 3, fee
    assert card.passed and card.score == 1.0


@pytest.mark.parametrize("answer, met", [
    (FEE_ANSWER, True),
    ("It's a hundred and fifty dollars, less twelve dollars fifty for each full month.", True),
    ("The fee starts at $150 and goes down by $12.50 for every full month.", True),
    ("150 dollars, reduced by twelve dollars and fifty cents a month.", True),
    ("The fee is 150 dollars minus 10 dollars for each full month.", False),
    ("It's 150 dollars, reduced by 12.50 devices a month.", False),  # not the passage's 12.50
])
def test_feedback_and_scorecard_read_one_judgement(kb, answer, met):
    session, card = run(kb, "cancellation", [CANCEL_GOOD[0], answer])
    fb = session.answers[1]
    stated_in_feedback = {p for f in fb.facts.facts for p in f.states}
    fee = next(r for r in card.results if r.id == "fee_rule")
    assert (stated_in_feedback == {"150 dollars", "12.50 dollars"}) is met, fb.facts
    assert (fee.status == "met") is met, fee
    # whatever the scorecard says was stated, the feedback showed as a policy fact of CAN-01
    for f in fb.facts.facts:
        if f.states:
            assert f.status == "correct" and "CAN-01" in f.passages


# -- issue 15: echoes and time phrases are not promises; invented facts still are ---------

def _moving_scenario():
    return parse_scenario({
        "title": "moving", "passages": ["CAN-01", "CAN-02"],
        "customer": {"name": "Alex Martin", "goal": "cancel", "closing": "Thanks.",
                     "opening": "I'm moving in with my partner next week, so I'd like to "
                                "cancel before then.",
                     "script": [{"text": "Can we do it right away?"},
                                {"text": "And what does it cost?"}]},
        "case": {"facts": ["Alex Martin has had 5 full months of service."]},
        "criteria": [{"kind": "states", "passage": "CAN-01", "facts": ["150 dollars"]}],
        "forbidden": [{"kind": "unsupported_promise"}],
    }, "moving")


def test_the_customers_next_week_and_right_away_are_not_promises(kb):
    _, card = run(kb, _moving_scenario(), [
        "I understand you're moving next week; let's sort it out right away.",
        "Yes, I can start the cancellation now, and your number can move with you.",
        "The early termination fee is 150 dollars, less 12.50 dollars for each full month."])
    promise = next(r for r in card.results if r.id == "unsupported_promise")
    assert promise.status == "clear", promise
    assert card.passed


@pytest.mark.parametrize("first", [
    # what the caller wants, said back; the agent declining to promise (a walk-through)
    "I know you'd like your money back right away.",
    "I understand you want the refund today.",
    "I can't promise the money back right away.",
    "I can't promise a refund right away.",
])
def test_a_wish_said_back_or_a_promise_declined_promises_nothing(kb, first):
    session, card = run(kb, "duplicate_charge", [
        "I'm sorry. Could you confirm your account number and PIN?", first,
        "The full amount is refunded within 5 business days."])
    assert not session.answers[1].facts.wrong, session.answers[1].notes
    promise = next(r for r in card.results if r.id == "unsupported_promise")
    assert promise.status == "clear", promise


def test_a_declined_promise_leaves_the_next_clause_checked(kb):
    session, _card = run(kb, "duplicate_charge", [
        "I'm sorry. Could you confirm your account number and PIN?",
        "I can't promise it today, but the refund comes within 3 business days."])
    assert "3 business days" in [f.text for f in session.answers[1].facts.wrong]


@pytest.mark.parametrize("invented, fact", [
    ("You'll get a 50 dollar credit for the move.", "50 dollar"),
    ("We waive the fee since you're moving.", "waive"),
    ("We'll refund the fee next week.", "refund"),
    ("The fee is 150 dollars minus 12.50 dollars per week.", "per week"),
    ("There's no fee for cancelling.", "no fee"),
])
def test_an_invented_policy_fact_is_still_a_violation(kb, invented, fact):
    session, card = run(kb, _moving_scenario(), [
        "I understand you're moving next week; let's sort it out right away.", invented])
    promise = next(r for r in card.results if r.id == "unsupported_promise")
    assert promise.status == "violated" and promise.turn == 2, promise
    assert fact in [f.text for f in session.answers[1].facts.wrong]


# -- issue 15, repeat walk-through ----------------------------------------------------------

AFTER_5 = ("Thank you. The fee is 150 dollars, reduced by 12.50 dollars for each full month of "
           "service, so after 5 full months it comes to 87.50 dollars.")


def test_after_5_full_months_is_the_callers_duration_not_a_promise(kb):
    """The repeat walk-through: a correct answer with "after 5 full months" was "violated:
    never promises what no passage supports", and its feedback listed "months" as a policy
    fact with 19 passages beside it."""
    session, card = run(kb, "cancellation", [CANCEL_GOOD[0], AFTER_5, CANCEL_GOOD[-1]])
    fb = session.answers[1]
    promise = next(r for r in card.results if r.id == "unsupported_promise")
    assert promise.status == "clear", promise
    assert not fb.facts.wrong
    listed = [n for n in fb.notes if n.startswith("policy fact")]
    assert listed == ['policy fact: "150 dollars" (CAN-01)',
                      'policy fact: "12.50 dollars" (CAN-01)'], fb.notes
    # the scorecard counts the facts the feedback listed, no more
    assert card.facts_correct == sum(n.startswith("policy fact") for a in session.answers
                                     for n in a.notes)


def test_phrases_are_shown_to_the_trainee_without_their_match_patterns() -> None:
    # The file's "waive*" matches "waived", "waiving"; a trainee reads "waive…".
    from copilot.practice.scenario import parse_scenario

    s = parse_scenario({"title": "T", "passages": ["BIL-02"], "customer": {
        "name": "R", "goal": "g", "opening": "o", "closing": "c"},
        "criteria": [{"kind": "says", "any": ["waive*", "remove the fee"]}]})
    assert s.criteria[0].label == "Says: waive… / remove the fee"


def test_a_number_after_the_word_card_is_kept_in_a_complete_answer(kb):
    # A typed answer is complete: the partial captions' caution (digits after "card" hidden in
    # case a card number follows) would turn "5 business days" into "[card number]" and the
    # scorecard would say the refund time was never stated.
    session, card = run(kb, "duplicate_charge", [
        "Can I have your account number and PIN?", "Thanks, I see it.",
        "It is back on your card within 5 business days."])
    assert "within 5 business days" in session.answers[-1].agent
    assert "never stated: 5 business days" not in str(card.to_dict())


def test_a_negated_promise_is_read_back_whole_and_named_with_the_calls_passage(kb):
    # The walk-through: "no fee at all if you cancel this month" was reported as "fee", "not in
    # this call's passages (BILL-06, ROAM-01 say it about something else)", in a cancellation
    # call whose own passage (CAN-01) says when there is no fee.
    session, _ = run(kb, "cancellation", [
        "Can you confirm your account number and PIN?",
        "There is no fee at all if you cancel this month."])
    (wrong,) = [f for f in session.answers[-1].facts.facts if f.status == "wrong"]
    assert wrong.text == "no fee" and wrong.differently == ("CAN-01",)


def test_repeating_the_customer_earns_nothing_and_is_said(kb):
    """A walk-through passed at 100 % by repeating the customer's lines back."""
    session, card = run(kb, "duplicate_charge", [  # each answer repeats the line it answers
        "I'm sorry. Could you confirm your account number and PIN?",
        "Thanks. When exactly do I get my money back?",
        "When exactly do I get my money back? Within 5 business days?",
        "This is not good enough. I want to speak to a manager.",
        "I said I want a manager. Put me through to your supervisor now."])
    st = status(card)
    assert st["escalation_when_asked"] == "missed"
    assert not card.passed
    notes = [n for a in session.answers for n in a.notes]
    assert any(n.startswith("not counted: it repeats the customer's words") for n in notes)
    # an answer that offers escalation in its own words still does, beside a repeat
    session, card = run(kb, "duplicate_charge", [
        "I'm sorry. Could you confirm your account number and PIN?",
        "Thank you.",
        "The duplicate is refunded within 5 business days of the ticket.",
        "I want to speak to a manager. I can transfer you to my supervisor right now.",
        "Of course, transferring you now."])
    assert status(card)["escalation_when_asked"] == "met"


def test_a_repeat_is_a_sentence_of_the_customers_not_a_restatement():
    from copilot.practice.echo import echoed

    said = ["When exactly do I get my money back?"]
    assert echoed("When exactly do I get my money back? Soon.", said) == [
        "When exactly do I get my money back?"]
    assert echoed("You asked when you get your money back: within 5 business days.", said) == []
    assert echoed("Okay.", ["Okay."]) == []  # too short to tell


def test_a_card_number_in_an_answer_is_no_policy_fact_and_is_said(kb):
    session, _card = run(kb, "duplicate_charge", [
        "I'm sorry. Your card 4539 1488 0343 6467 was charged twice, could I have your PIN?"])
    first = session.answers[0]
    assert "6467" not in [f.text for f in first.facts.wrong]
    assert any("never read a customer's card details back" in n for n in first.notes)


def test_the_same_unsupported_line_said_many_times_counts_once(kb):
    line = "The duplicate is refunded within 30 days. "
    session, card = run(kb, "duplicate_charge", [
        "I'm sorry. Could you confirm your account number and PIN?", "Thanks.", line * 5])
    third = session.answers[2]
    distinct = {f.text.casefold() for f in third.facts.wrong}
    assert "30 days" in distinct
    assert len(third.facts.wrong) == 5 * len(distinct)  # each found where it is (the window
    assert card.facts_wrong == len(distinct)            # marks each), counted once
    assert sum(n.startswith("not in this call's passages: \"30 days\"") for n in third.notes) == 1
    detail = {r.id: r.detail for r in card.results}["unsupported_promise"]
    assert detail.count("30 days") == 1
