"""The call as the summary's extraction reads it (`Line`), and the sentence helpers its parts
share: tidying a sentence, its topic words, whether it is a question."""

from __future__ import annotations

import re
from dataclasses import dataclass

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
