"""What a customer turn says about the turns before it (copilot/knowledge/turns.py)."""

from __future__ import annotations

import pytest

from copilot.knowledge.turns import asks_or_says, new_topic, refers_back, without_opening


@pytest.mark.parametrize("turn", ["is there a charge for that?", "how long will it take to fix?",
                                  "and can I use my credit card for it?",
                                  "does that work on two lines?", "can I get them back?"])
def test_a_short_turn_with_a_pointing_word_refers_back(turn):
    assert refers_back(turn, "en")


@pytest.mark.parametrize("turn", [
    "what if it was my son, he's only got a provisional?",  # a new condition, not the old one
    "and if I'm in Canada?",  # no pointing word
    "And what about that one?",
    "how much is the senior discount?",  # says what it is about
    "I forgot the PIN for my account and it locked me out of the app",  # long enough alone
])
def test_a_new_condition_or_a_turn_that_names_its_subject_does_not(turn):
    assert not refers_back(turn, "en")


def test_other_languages_are_not_read():
    assert not refers_back("¿cuánto cuesta eso?", "es")
    assert not new_topic("por cierto, otra cosa", "es")


def test_new_subjects_and_turns_that_say_nothing():
    assert new_topic("Oh and separately, do you do life insurance?", "en")
    assert new_topic("while I've got you, can I change my address?", "en")
    assert new_topic("Oh, while I'm on the phone, can I update my address?", "en")
    assert new_topic("while I'm on, can I move the date my payment comes out?", "en")
    assert new_topic("Something else entirely, can you recommend a film?", "en")
    # a condition, not a change of subject
    assert not new_topic("Can I board my cat with you while I'm on holiday?", "en")
    assert not new_topic("Can I order something else instead?", "en")
    assert not new_topic("also, can I pay by card for it?", "en")
    assert asks_or_says("so where does it go now?", "en")
    assert not asks_or_says("uh huh", "en") and not asks_or_says("  ", "en")


@pytest.mark.parametrize("turn, searched", [
    ("Okay, different question, I forgot my account PIN.", "I forgot my account PIN."),
    ("Oh, and while I've got you, can I pay by debit card?", "can I pay by debit card?"),
    ("Actually, something different. My daughter vapes in the car.",
     "My daughter vapes in the car."),
    ("Another thing: my points haven't shown up.", "my points haven't shown up."),
    # openers in a row
    ("Something else while I'm on: is there a cash machine in the foyer?",
     "is there a cash machine in the foyer?"),
    # nothing opens a new topic, or nothing is left after the opening
    ("also, can I pay by card for it?", "also, can I pay by card for it?"),
    ("Something different happened, my bill went up.", "Something different happened, my bill went up."),
    ("Oh, one more thing.", "Oh, one more thing."),
    ("por cierto, otra cosa: ¿y el roaming?", "por cierto, otra cosa: ¿y el roaming?"),
])
def test_the_words_that_open_a_new_topic_are_not_searched(turn, searched):
    lang = "es" if turn.startswith("por") else "en"
    assert without_opening(turn, lang) == searched
