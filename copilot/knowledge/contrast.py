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

The phrase ends at punctuation: "not the deposit, I mean the excess" sets aside "deposit", not
the excess the caller goes on to ask about.

A sentence that opens by denying something and then goes on ("it's not a power cut, the
neighbours have lights", "not the deposit, I mean the excess itself", "this isn't about taking a
car abroad. I'm over from Canada ...") is searched without that opening clause (`corrected`):
otherwise its words pull both searches to the neighbour the caller has just ruled out, and the
question, said after it, weighs too little. A denied thing ("not" and a determiner, or "not
about") is set aside whatever follows; the caller denying something of their own ("I'm not
cancelling, ...", "I don't want a grant, ...") only when a correction follows ("I just need",
"I mean", "I want", "it's the ...", ...), as otherwise it may be the problem itself ("I'm not
getting any signal, it's been like that for days"). A negation inside a clause ("a charge I
didn't make, it's some add-on") or a negated verb alone ("it's not working, can you help?")
describes the problem and is kept. Sixteen question sets (1,551 questions): right first lines
764 -> 779, wrong lines 54 -> 50, wrong cards 234 -> 218 (BENCHMARKS.md; the corrections
narrowed after a review: nineteen sets 880 -> 879 right lines, wrong lines unchanged).
"""

from __future__ import annotations

import re

__all__ = ["contrasted_phrases", "corrected", "outside"]

_DETERMINER = r"(?:a|an|the|my|our|your|his|her|their|this|that)"
_CONTRAST = re.compile(
    rf"\b(?:(?:not|isn't|aren't|wasn't|weren't)\s+(?:(?:about|for)\s+)?{_DETERMINER}|instead\s+of|rather\s+than|"
    r"unlike|other\s+than|except(?:\s+for)?|like\s+with|(?:the\s+)?same\s+way(?:\s+as)?|"
    r"same\s+as)\s+((?:[\w'-]+[^\w.,;:!?]+){0,3}[\w'-]+)", re.I)


# What the caller already knows, said to ask about something else: "I know about the young
# driver surcharge, but ...", "I know Gold members get free upgrades. Do they ...".
_KNOWN = re.compile(r"\bI\s+know\s+(?:about\s+|that\s+)?((?:[\w'-]+[ ]+){0,6}[\w'-]+)"
                    r"(?=\s*(?:[,.;:!?]|\s+but\b))", re.I)


# A sentence's opening clause that denies a thing, followed by more; or one in which the caller
# denies something of their own, followed by a correction (see the module docstring).
_THING_DENIED = (r"(?:(?:it's|it\s+is|this\s+is|that's)\s+not|(?:it|this|that)\s+(?:isn't|wasn't)"
                 rf"|not)\s+(?:about\b|(?:for\s+)?{_DETERMINER}\b)")
_SUBJECT = r"(?:I|we|he|she|they)"
_CALLER_DENIES = (
    rf"(?:{_SUBJECT}(?:'m|'re|\s+am|\s+are|\s+was|\s+were)\s+not"
    r"|(?:he|she|they|we)\s+(?:isn't|aren't)|"
    r"(?:I|we)\s+(?:don't|didn't|do\s+not)\s+(?:need|want|mean)|not)\b")
# (Not any "it's" or "I'm": "I'm not getting any signal, it's been like that for days" goes on
# describing the problem.)
_CORRECTION = (r"(?:but\s+)?(?:I\s+(?:mean|(?:just\s+|only\s+|actually\s+)?(?:need|want|wanted))"
               r"|I'd\s+(?:like|rather)|it's\s+(?:the|my|about|for|just)|it\s+is\s+(?:the|my|about)"
               r"|what\s+I|rather|instead)\b")
_SET_ASIDE_CLAUSE = re.compile(
    rf"(?:^|(?<=[.;:!?]\s))({_THING_DENIED}[^.;:!?,]*)[,;:.]\s+(?=\w)|"
    rf"(?:^|(?<=[.;:!?,]\s))({_CALLER_DENIES}[^.;:!?,]*)[,;:.]\s+(?={_CORRECTION})", re.I)


def _spans(turn: str, lang: str) -> list[tuple[int, int]]:
    """The contrasted phrases' spans, in order, overlapping ones merged ("I know it's like with
    the excess, but ...": a comparison inside what the caller knows)."""
    if lang != "en":
        return []
    turn = turn.replace("\u2019", "'")  # the same length: the spans hold for the turn as said
    found = sorted([*(m.span(1) for m in _CONTRAST.finditer(turn)),
                    *(m.span(1) for m in _KNOWN.finditer(turn))])
    merged: list[tuple[int, int]] = []
    for a, b in found:
        if merged and a < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    return merged


def contrasted_phrases(turn: str, lang: str) -> list[str]:
    """The phrases a turn sets aside (see the module docstring), in order."""
    return [turn[a:b] for a, b in _spans(turn, lang)]


def outside(turn: str, lang: str) -> str:
    """The turn with its contrasted phrases blanked out (the same words said elsewhere in the
    turn stay: "it's not the late fee, can you waive my late fee on the other bill?")."""
    for a, b in reversed(_spans(turn, lang)):
        turn = turn[:a] + " " + turn[b:]
    return turn


def corrected(turn: str, lang: str) -> str:
    """The turn to search: without the opening clauses that set something aside before the
    caller says what they mean (see the module docstring); otherwise as it is."""
    if lang != "en":
        return turn
    return _SET_ASIDE_CLAUSE.sub("", turn.replace("\u2019", "'")).strip()
