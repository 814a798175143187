"""The phrases a caller sets aside (copilot/knowledge/contrast.py)."""

from __future__ import annotations

import pytest

from copilot.knowledge.contrast import contrasted_phrases, outside


@pytest.mark.parametrize("turn, phrase", [
    ("Not the instant one: what's the daily limit?", "instant one: what's the"),
    ("the reading isn't an estimate, it's an actual reading", "estimate, it's an actual"),
    ("is there a late fee like with Finch Pay instalments?", "Finch Pay instalments"),
    ("can I freeze my credit card the same way I freeze my debit card?", "I freeze my debit"),
    ("could I take the 2 o'clock instead of the 7 o'clock?", "the 7 o'clock"),
    # A preposition between the negation and the noun phrase: what the question is not about.
    ("This isn't about a driver, I want to make a general complaint", "driver, I want to"),
    ("it's not for my business account, it's for me", "business account, it's for"),
    # What the caller says they already know, to ask about something else.
    ("I know about the pet fee, but is there a deposit as well?", "the pet fee"),
    ("I know the store opens at nine. Is the café open earlier?", "the store opens at nine"),
])
def test_contrasts_and_comparisons_set_a_phrase_aside(turn, phrase):
    assert contrasted_phrases(turn, "en") == [phrase]
    assert phrase not in outside(turn, [phrase])


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
