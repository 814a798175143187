"""The call as the summary's extraction reads it (`Line`, made from captions by `lines_of`), and
the sentence helpers its parts
share: tidying a sentence, its topic words, whether it is a question; and the one rule that
marks a summary line for the agent to confirm (`heard_unsure`, `CONFIRM`), with what the mark
asks of the agent (`CONFIRM_LEGEND`, `without_legend`, `lines_to_confirm`)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from copilot.events import Caption
from copilot.knowledge.query import content_words
from copilot.knowledge.verify import stem

AGENT, CUSTOMER = "agent", "customer"


@dataclass(frozen=True)
class Line:
    channel: str  # agent | customer
    text: str  # English, redacted
    id: str = ""
    start: float = 0.0
    unsure: tuple[str, ...] = ()  # words the recognizer was unsure of (Caption.unsure)


@dataclass(frozen=True)
class Said:
    """A summary line in the callers' own words (a sentence, a clause, a question), with
    whether it was read from words the recognizer was unsure of (`heard_unsure`)."""

    text: str
    unsure: bool = False


def lines_of(captions: Iterable[Caption], english: Mapping[str, str] | None = None) -> list[Line]:
    """Final captions as Lines, in call order, with the English text where one is given (then
    only the unsure words with digits carry over: a number keeps its digits in translation).
    An "English text" that is the caption's own text is no translation: the assistance
    pipeline hands a caption in the knowledge base's language over with its own text, and
    all its unsure words apply to it (not only its digits)."""
    eng = english or {}
    out = []
    for c in captions:
        text = (eng.get(c.id) or c.text).strip()
        if c.final and text:
            out.append(Line(c.channel, text, c.id, c.start,
                            _unsure_of(c, translated=text != c.text.strip())))
    return sorted(out, key=lambda ln: ln.start)


def _unsure_of(caption: Caption, translated: bool) -> tuple[str, ...]:
    words = tuple(getattr(caption, "unsure", ()) or ())
    return tuple(w for w in words if any(ch.isdigit() for ch in w)) if translated else words


# ---- words the recognizer was unsure of --------------------------------------------------------

# After any summary line read from a word the recognizer was unsure of (a fact's value, the
# reason, an action, a next step, an open item): the agent checks it with the customer. One mark
# for every kind of line, so the window and the note need to know only this one.
CONFIRM = " (confirm)"
# What the mark asks of the agent, said once, on the AI draft's first line: any line may carry it
# (the reason, a fact, an action, a next step, an open item), so no one section's heading can.
CONFIRM_LEGEND = (f'Lines ending in "{CONFIRM.strip()}" were not heard clearly or were said two '
                  "ways: check them with the customer before saving.")


def without_legend(note: str) -> str:
    """The note as the agent keeps it: the draft's first line (CONFIRM_LEGEND) is an instruction
    to the agent, not part of the note; the window shows it beside the note instead."""
    if note.startswith(CONFIRM_LEGEND):
        return note[len(CONFIRM_LEGEND):].lstrip("\n")
    return note


def lines_to_confirm(note: str) -> int:
    """How many lines of a note still carry the mark (CONFIRM): facts not yet checked."""
    return sum(1 for ln in note.splitlines() if ln.rstrip().endswith(CONFIRM.strip()))

# Words that carry nothing a mishearing could turn into another fact or another step: an unsure
# "the" in "on the third" does not make the date unsure, nor an unsure "and" the sentence it
# joins. Which words are unsure at all is the recognizer's threshold
# (copilot.asr.whisper_engine.UNSURE_BELOW, reported as Caption.unsure): never decided again here.
_CARRY_NOTHING = frozenset("the a an on of in at by to and or is it's its my your was for until "
                           "about within over up after".split())


def _heard(text: str) -> set[str]:
    # A placeholder is the redactor's text, never heard: its words ("[card number]") are none.
    return set(_words(_PLACEHOLDER.sub(" ", text))) - _CARRY_NOTHING


def heard_unsure(line: Line, said: str) -> bool:
    """Was a word of `said` one the recognizer was unsure of? `said` is the part of `line`'s
    text a summary line was read from: a fact's value, the clause an action was built from, the
    sentence of the reason. Only the words used count: the unsure word of another sentence of
    the same caption marks nothing here. Caption.unsure names words, not places, so a word said
    twice in one caption is unsure wherever it is (marking a line too many, never one too few)."""
    if not line.unsure:
        return False
    used = _heard(said)
    return any(_heard(w) & used for w in line.unsure)


# ---- sentences ---------------------------------------------------------------------------------

# Split after . ! ? but not inside a placeholder "[card ending 1111]" or a number "12.50".
_PLACEHOLDER = re.compile(r"\[[^\[\]]{1,40}\]")
_GREETING = re.compile(
    r"^(?:hi|hello|hey|good (?:morning|afternoon|evening)|yes|yeah|okay|ok|sure|thanks|"
    r"thank you|um|uh|so|well|oh|right|great|perfect|alright|bonjour|hola)\b[\s,.!]*"
    r"(?:\w+[.!,]\s*)?$", re.I)
_LEAD_FILLER = re.compile(r"^(?:(?:also|so|well|um|uh|and|oh|okay|ok|hi|hello|yes|yeah),?\s+)+",
                          re.I)
# A name said to the agent before the request ("Hi Sam, I was charged twice"): one capitalised
# word and a comma, followed by the speaker's own words. Not part of the customer's problem.
_VOCATIVE = re.compile(r"^[A-Z][a-z]+,\s+(?=(?:I|I'm|I've|I'd|we|we're|my|our|can|could|"
                       r"would|is|do|does)\b)")


def _words(text: str) -> list[str]:
    return re.findall(r"[^\W_]+(?:'[^\W_]+)*", text.lower().replace("\u2019", "'"))


def _topic(text: str) -> set[str]:
    return {stem(w) for w in content_words(_PLACEHOLDER.sub(" ", text), "en")} - _NOT_TOPIC


_NOT_TOPIC = {stem(w) for w in "get want need like know tell please thank thanks help call "
                                "check look see sure okay yes really just actually".split()}


def _tidy(sentence: str) -> str:
    s = _VOCATIVE.sub("", _LEAD_FILLER.sub("", sentence).strip())
    return s[:1].upper() + s[1:] if s else s


def _is_question(s: str) -> bool:
    return s.rstrip().endswith("?")


def _with_context(sentence: str, before: str) -> str:
    """ "Is that true?" says nothing without the sentence before it."""
    return f"{before} {sentence}" if before and len(_words(sentence)) < 5 else sentence
