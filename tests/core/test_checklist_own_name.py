"""The agent's own name in what they said (copilot/assist/checklist/own_name.py): the name or
a near spelling of it, never another word that merely starts alike."""

from __future__ import annotations

import pytest

from copilot.assist.checklist.own_name import gives_name, holds_name, says_name


@pytest.mark.parametrize(("text", "name"), [
    ("Northwind Mobile, Priya speaking.", "Priya"),
    ("northwind mobile, PRIYA here", " priya "),
    ("I am Anna!", "Ana"),
    ("Northwind Mobile speaking as Darius.", "Dariusz"),
    ("you're speaking with Maze", "Maeve"),
    ("anything said", ""),  # no name known: nothing to hold it to
])
def test_the_name_or_a_near_spelling_is_found(text: str, name: str) -> None:
    assert says_name(text, name)


@pytest.mark.parametrize(("text", "name"), [
    ("Northwind Mobile Support.", "Morgan"),
    ("This is Mr.", "Morgan"),
    ("Northwind Mobile, Haya.", "Tom"),
    ("Hi, it's Sam.", "Priya"),
    ("", "Priya"),
])
def test_another_word_is_not_the_name(text: str, name: str) -> None:
    assert not says_name(text, name)


@pytest.mark.parametrize(("text", "name", "given"), [
    ("Northwind, Omar.", "Omar", True),  # a clause of its own beside the site's name
    ("Northwind, Omar.", " omar ", True),  # as the desk has it, capitalised as Whisper writes it
    ("Nadia, Northwind Mobile.", "Nadia", True),
    ("Sure, this is Dana how can I help?", "Dana", True),  # introducing themselves
    ("If it plays up again, ask for Soraya, that's me.", "Soraya", True),  # for a call back
    ("Just ask for me next time.", "Mei", False),  # a near spelling of a short name is a word
    ("Tomasz on the phone!", "Tomasz", False),  # held, not given in so many words
    ("Greta enjoyed the fun bait.", "Greta", False),  # Whisper's, for "great, enjoy the phone"
    ("We'll omar-ify it.", "Omar", False),
    ("Anything else?", "", False),  # no name known
])
def test_the_exact_name_given_in_so_many_words(text: str, name: str, given: bool) -> None:
    assert gives_name(text, name, frozenset({"Northwind", "Mobile"})) is given


@pytest.mark.parametrize(("text", "name", "held"), [
    ("Tomasz on the phone!", "Tomasz", True),
    ("Greta enjoyed the fun bait.", "Greta", True),  # held; the matcher asks for more
    ("Just ask for me next time.", "Mei", False),
    ("Mr Omarov's line.", "Omar", False),
    ("Anything else?", "", False),
])
def test_the_exact_name_is_held(text: str, name: str, held: bool) -> None:
    assert holds_name(text, name) is held
