"""The thing a caller says their question is NOT about: "not the instant one: what's the daily
limit on a regular transfer?", "the reading isn't an estimate, it's an actual reading", "is there
a late fee like with Finch Pay instalments?", "can I freeze my credit card the same way I freeze
my debit card?".

A near miss often names the neighbouring passage's own subject in order to set it aside, and
both keyword search and the sentence encoder then find that neighbour: its title words are in
the question. When the only place a passage's title words appear in the turn is such a
contrasted phrase, the passage is not what was asked: it may still be shown as a card, never as
a line (KnowledgeBase.search_window). Six question sets (561 questions): 4 wrong lines removed,
no right line lost (BENCHMARKS.md).

The phrase is recognised by its grammar: a negation followed by a noun phrase's determiner ("not
the", "isn't an", "wasn't my"; or with "about" or "for" between them: "this isn't about a
driver", "it's not for my business account", while "I'm not in the UK" says where the caller
is), or a word of contrast or comparison ("instead of", "rather than",
"unlike", "other than", "except", "like with", "the same way as", "same as"), then up to four
words. A negated verb ("the code isn't arriving") describes the problem and is not a contrast.
So is what the caller says they already know, to ask about something else: "I know about the
young driver surcharge, but is there a discount for older drivers?", "I know Gold members get
free upgrades. Do they get SuperCover free as well?" ("I know" and up to seven words, ending at
punctuation or "but"). Ten question sets (921 questions): 3 wrong lines removed (two sets), no
right line lost. English only.
"""

from __future__ import annotations

import re

__all__ = ["contrasted_phrases", "outside"]

_DETERMINER = r"(?:a|an|the|my|our|your|his|her|their|this|that)"
_CONTRAST = re.compile(
    rf"\b(?:(?:not|isn't|aren't|wasn't|weren't)\s+(?:(?:about|for)\s+)?{_DETERMINER}|instead\s+of|rather\s+than|"
    r"unlike|other\s+than|except(?:\s+for)?|like\s+with|(?:the\s+)?same\s+way(?:\s+as)?|"
    r"same\s+as)\s+((?:[\w'-]+\W+){0,3}[\w'-]+)", re.I)


# What the caller already knows, said to ask about something else: "I know about the young
# driver surcharge, but ...", "I know Gold members get free upgrades. Do they ...".
_KNOWN = re.compile(r"\bI\s+know\s+(?:about\s+|that\s+)?((?:[\w'-]+[ ]+){0,6}[\w'-]+)"
                    r"(?=\s*(?:[,.;:!?]|\s+but\b))", re.I)


def contrasted_phrases(turn: str, lang: str) -> list[str]:
    """The phrases a turn sets aside (see the module docstring), in order."""
    if lang != "en":
        return []
    found = [(m.start(1), m.group(1)) for m in _CONTRAST.finditer(turn)]
    found += [(m.start(1), m.group(1)) for m in _KNOWN.finditer(turn)]
    return [phrase for _, phrase in sorted(found)]


def outside(turn: str, phrases: list[str]) -> str:
    """The turn without its contrasted phrases."""
    for phrase in phrases:
        turn = turn.replace(phrase, " ")
    return turn
