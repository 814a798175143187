"""The Practice tab's texts (ui.panels.practice.render) from real practice sessions: what a
trainee reads is worded for people, never an internal key."""

from __future__ import annotations

import pytest

from copilot import paths
from copilot.knowledge.base import KnowledgeBase
from copilot.practice.scenario import find_scenario
from copilot.practice.session import PracticeOptions, PracticeSession
from ui.panels.practice import render
from ui.theme import DARK, LIGHT


@pytest.fixture(scope="module")
def kb():
    with KnowledgeBase.load(paths.sample_kb()) as k:
        yield k


def _bad_call(kb):
    s = PracticeSession(find_scenario("duplicate_charge"), kb,
                        options=PracticeOptions(timed=False))
    s.opening()
    s.answer("You'll get a full refund within 24 hours plus a 50 dollar credit.")
    s.answer("Can you read me the full card number?")
    return s, s.finish()


@pytest.mark.parametrize("colors", [LIGHT, DARK])
def test_the_scorecard_says_why_in_words_not_rule_ids(kb, colors):
    """The repeat walk-through: the scorecard showed "unsupported_promise: no passage
    states ..." to the trainee."""
    _, card = _bad_call(kb)
    html = render.scorecard_html(card, colors)
    for r in card.results:
        if r.status in ("missed", "violated"):
            assert f"{r.id}:" not in html, r.id
            assert f"{r.label}: " in html.replace("&quot;", '"').replace("&#x27;", "'"), r.label
    assert "unsupported_promise" not in html and "asks_card_number" not in html


def test_the_feedback_lists_no_unit_without_a_number(kb):
    s = PracticeSession(find_scenario("cancellation"), kb, options=PracticeOptions(timed=False))
    s.opening()
    s.answer("Could you confirm your account number?")
    fb = s.answer("The fee is 150 dollars, reduced by 12.50 dollars for each full month of "
                  "service, so after 5 full months it comes to 87.50 dollars.").feedback
    html = render.feedback_html(fb, LIGHT, {})
    assert "“150 dollars”" in html and "“12.50 dollars”" in html
    for noise in ("“month”", "“months”", "“5”", "“full”", "✗ fact"):
        assert noise not in html, noise


def test_a_forbidden_move_is_not_shown_as_avoided_before_the_session_is_scored() -> None:
    from ui.panels.practice.render import criteria_html
    from ui.theme import LIGHT

    rules = [("greet", "Greets the customer", False), ("promise", "Never promises a date", True)]
    live = criteria_html(rules, {}, LIGHT)
    # "none so far", not "not done so far": that read as a requirement missed (a walk-through)
    assert "avoided" not in live and "none so far" in live and "not yet" in live
    scored = criteria_html(rules, {"greet": "met", "promise": "clear"}, LIGHT)
    assert "✓ avoided" in scored


def test_a_fact_found_in_many_passages_lists_a_few_and_a_count(kb):
    # the final walk-through: "Northwind" was followed by some 30 passage ids
    s = PracticeSession(find_scenario("cancellation"), kb, options=PracticeOptions(timed=False))
    s.opening()
    fb = s.answer("Thanks for calling Northwind, can I have your account number and PIN?").feedback
    where = [f for f in fb.facts.correct if f.text == "Northwind"]
    assert where and len(fb.facts.where(where[0])) > render.SHOWN_PASSAGES
    html = render.feedback_html(fb, LIGHT, {})
    line = next(x for x in html.split("<br>") if "Northwind" in x)
    assert line.count(",") == render.SHOWN_PASSAGES - 1 and "more passages" in line


def test_stopping_with_every_criterion_met_so_far_is_not_a_fail(kb):
    s = PracticeSession(find_scenario("cancellation"), kb, options=PracticeOptions(timed=False))
    s.opening()
    s.answer("Thanks for calling, can I have your account number and PIN?")
    s.answer("The early termination fee is 150 dollars, less 12.50 dollars per full month, and "
             "please do not cancel before your number transfer completes.")
    card = s.finish()  # every criterion met, the customer not done yet
    assert not card.completed and all(r.ok for r in card.results)
    html = render.scorecard_html(card, LIGHT)
    assert "Stopped early" in html and "Not passed" not in html
    _, bad = _bad_call(kb)
    assert "Not passed" in render.scorecard_html(bad, LIGHT)


def test_a_french_answer_says_what_was_read_and_shows_an_invented_condition(kb):
    s = PracticeSession(find_scenario("late_fee_fr"), kb, options=PracticeOptions(timed=False))
    s.opening()
    s.answer("Pouvez-vous me donner votre numéro de compte et votre code PIN ?")
    fb = s.answer("Je les annule, à condition que vous passiez au prélèvement mensuel.").feedback
    html = render.feedback_html(fb, LIGHT, {}).replace("&#x27;", "'")
    assert ("facts checked as values only (fr): numbers, units and invented conditions, "
            "channels and times") in html
    assert "✗ fact" in html and "à condition que vous passiez au prélèvement mensuel" in html
