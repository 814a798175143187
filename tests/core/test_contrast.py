"""The phrases a caller sets aside (copilot/knowledge/contrast.py)."""

from __future__ import annotations

import pytest

from copilot.knowledge.contrast import contrasted_phrases, corrected, outside


@pytest.mark.parametrize("turn, phrase", [
    ("Not the instant one: what's the daily limit?", "instant one"),
    ("the reading isn't an estimate, it's an actual reading", "estimate"),
    ("is there a late fee like with Finch Pay instalments?", "Finch Pay instalments"),
    ("can I freeze my credit card the same way I freeze my debit card?", "I freeze my debit"),
    ("could I take the 2 o'clock instead of the 7 o'clock?", "the 7 o'clock"),
    # A preposition between the negation and the noun phrase: what the question is not about.
    ("This isn't about a driver, I want to make a general complaint", "driver"),
    ("it's not for my business account, it's for me", "business account"),
    # What the caller says they already know, to ask about something else.
    ("I know about the pet fee, but is there a deposit as well?", "the pet fee"),
    ("I know the store opens at nine. Is the café open earlier?", "the store opens at nine"),
])
def test_contrasts_and_comparisons_set_a_phrase_aside(turn, phrase):
    # The phrase ends at punctuation: what follows a comma is what the caller goes on to ask.
    assert contrasted_phrases(turn, "en") == [phrase]
    assert phrase not in outside(turn, "en")


def test_overlapping_phrases_are_blanked_once():
    # a comparison inside what the caller knows: the question after it stays whole
    said = "I know it's like with the excess, but what about the deposit?"
    assert outside(said, "en").endswith(", but what about the deposit?")


def test_outside_blanks_the_phrase_where_it_was_said_only():
    turn = "it's not the late fee, can you waive my late fee on the other bill?"
    assert contrasted_phrases(turn, "en") == ["late fee"]
    assert outside(turn, "en").count("late fee") == 1


@pytest.mark.parametrize("turn", ["The login code isn't arriving on my phone.",  # a problem
                                  "I'd like to cancel my plan",  # "like" as a wish
                                  "I was charged twice, not happy about it",
                                  "I'm not in the UK right now",  # where, not what
                                  "I know, but can I pay it later?",  # nothing named
                                  "I don't know my PIN any more"])
def test_a_negated_verb_or_a_wish_is_not_a_contrast(turn):
    assert contrasted_phrases(turn, "en") == []


def test_english_only():
    assert contrasted_phrases("no es la tarifa instantánea, rather than that", "es") == []


def test_an_opening_that_denies_a_thing_is_left_out_of_the_search():
    for said, searched in [
        ("It's not a power cut, the neighbours have lights.", "the neighbours have lights."),
        ("Not the deposit, I mean the excess itself.", "I mean the excess itself."),
        ("This isn't about taking a car abroad. I'm over from Canada.", "I'm over from Canada."),
        ("It's not about registering a death, I need to book a cremation.",
         "I need to book a cremation."),
        # the caller denying something of their own, then saying what they mean
        ("I'm not cancelling, I just need to move my pickup.", "I just need to move my pickup."),
        ("I don't want a grant, I want to pay what I owe monthly.",
         "I want to pay what I owe monthly."),
        ("Thanks. We're not going abroad, I just need the vaccination.",
         "Thanks. I just need the vaccination."),
        # a curly apostrophe, as phones write it
        ("It\u2019s not a power cut, the neighbours have lights.", "the neighbours have lights."),
    ]:
        assert corrected(said, "en") == searched, said


def test_a_negation_that_describes_the_problem_is_searched():
    for said in ("It's not working, can you help?",  # a negated verb: the problem itself
                 "I want a refund for a charge I didn't make, it's some add-on.",  # mid-clause
                 "I'm not happy about it, the bill went up again.",  # no correction follows
                 "It's not a double charge.",  # nothing follows
                 "The price is not the same, it went up.",  # not the sentence's opening
                 # the caller's own denial that goes on describing the problem
                 "I'm not getting any signal on my phone, it's been like that for three days.",
                 "I'm not able to log in, it's saying wrong password."):
        assert corrected(said, "en") == said, said
    assert corrected("No es el cargo doble, es otro.", "es") == "No es el cargo doble, es otro."

