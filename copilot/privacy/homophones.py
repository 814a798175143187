"""A digit Whisper wrote as a word that sounds like it ("for", "to", "too", "ate"), inside or at
the start of a number read out, put back into the number before it is judged.

Read digit by digit, "four", "two" and "eight" often come out as "for", "to" and "ate": "It's for
012 8888 8888 1881", "5555 5555 5555 for 444", "4012 ate 888 8888 1881". The run finder
(copilot/text/spoken_numbers.py) ends a number at any word that is not a number word or a
filler, so such a card came out as pieces none of which is a card, and every digit was shown (an
adversarial probe of the redactor, BENCHMARKS.md). Here a homophone joins:
- two runs it stands between, with nothing but spaces, punctuation or fillers ("um") around it,
  when each holds at least MIN_SIDE digits ("from 9 to 5" and "between 10 to 15" stay apart);
- a run it stands right before, when the two make at least MIN_LEAD digits, most of a card
  ("waiting for 20 minutes", "for 555 123 4567" stay apart: no card is that short).
Only the redactor reads numbers this way: a false join costs a masked number at most, where a
missed one shows a card.
"""

from __future__ import annotations

import re
from dataclasses import replace

from copilot.text.run_kinds import HOMOPHONE_DIGIT
from copilot.text.spoken_numbers import FILLERS, Atom, Run, Word

__all__ = ["MIN_LEAD", "MIN_SIDE", "with_homophones"]

MIN_SIDE = 3
MIN_LEAD = 12
_GAP = frozenset(" ,.;:-\u2013\u2014\n")
_WORD = re.compile(r"[A-Za-z']+")


def with_homophones(text: str, runs: list[Run], words: list[Word]
                    ) -> tuple[list[Run], list[Word]]:
    """`runs` with the homophones described above taken into them, and `words` without them."""
    homophones = {w.start: w for w in words if w.lower in HOMOPHONE_DIGIT}
    if not homophones or not runs:
        return runs, words
    taken: set[int] = set()
    merged: list[Run] = []
    for run in runs:
        prev = merged[-1] if merged else None
        between = prev and _single_word(text, prev.atoms[-1].end, run.atoms[0].start, homophones)
        if prev is not None and between is not None and len(prev.digits) >= MIN_SIDE \
                and len(run.digits) >= MIN_SIDE:
            merged[-1] = Run((*prev.atoms, _atom(between), *run.atoms), prev.at_start, run.at_end)
            taken.add(between.start)
        else:
            merged.append(run)
    out: list[Run] = []
    for run in merged:  # a lead once the number is whole ("for 012 ate 888 ate 888 1881")
        lead = _word_before(text, run.atoms[0].start, homophones)
        if lead is not None and lead.start not in taken and len(run.digits) + 1 >= MIN_LEAD \
                and (not out or out[-1].atoms[-1].end <= lead.start):
            run = replace(run, atoms=(_atom(lead), *run.atoms))
            taken.add(lead.start)
        out.append(run)
    return out, [w for w in words if w.start not in taken]


def _atom(word: Word) -> Atom:
    return Atom(word.start, word.end, HOMOPHONE_DIGIT[word.lower], False)


def _single_word(text: str, a: int, b: int, homophones: dict[int, Word]) -> Word | None:
    """The one homophone between offsets `a` and `b`, with nothing else there but separators
    and fillers ("5555, um, for 444"), or None."""
    found = None
    for m in _WORD.finditer(text, a, b):
        word = homophones.get(m.start())
        if word is not None and found is None:
            found = word
        elif m.group().lower() not in FILLERS:
            return None
    if found is None or not all(c in _GAP or c.isalpha() or c == "'"
                                for c in text[a:b]):
        return None
    return found


def _word_before(text: str, start: int, homophones: dict[int, Word]) -> Word | None:
    """The homophone right before offset `start` (separators between), or None."""
    i = start
    while i > 0 and text[i - 1] in _GAP:
        i -= 1
    for word in homophones.values():
        if word.end == i and i < start:
            return word
    return None
