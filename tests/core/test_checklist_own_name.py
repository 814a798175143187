"""The agent's own name in what they said (copilot/assist/checklist/own_name.py): the name or
a near spelling of it, never another word that merely starts alike."""

from __future__ import annotations

import pytest

from copilot.assist.checklist.own_name import says_name


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
