"""People's names in a caption, for the checklist matcher (match.py): a name weighs on a
sentence's embedding as much as the words around it and means nothing to a checklist, so every
name becomes one stand-in (`without_names`), except the site's own names (`known_words`) and the
name of the person the agent speaks to, which is left out."""

from __future__ import annotations

import re
from collections.abc import Sequence

from copilot.assist.checklist.wording import NEW_CLAUSE, normalise
from copilot.text.sentences import sentences

__all__ = ["NAME", "NOT_NAMES", "STAND_IN", "known_words", "names_someone", "without_names"]

# A capitalised word inside a sentence is taken for a name ("this is Dana", "Thanks, Tom"); all
# names become one stand-in before embedding, in examples and captions alike, because a name
# weighs on a sentence's embedding as much as the words around it and means nothing to a
# checklist. Acronyms (PIN) and calendar words keep their meaning.
NAME = re.compile(r"(?<=[\w,;:] )[A-Z][a-z]+(?:[-'][A-Za-z]+)?\b")
NOT_NAMES = frozenset(
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May "
    "June July August September October November December "
    # Whisper capitalises a word after a comma now and then ("..., To make sure").
    "A An The To And But Or So If Is Are Was Were Be Can Could Would Will Should May Might Do "
    "Does Did Have Has Had What When Where Why How Who Which That This These Those There Then "
    "Just Also Please Thanks Thank You Your We Our It Its He She They My Me Not No Yes Okay "
    "Ok Now Here For From With About Before After "
    # Greetings and their usual mishearings ("Northwind Mobile, High" for "..., hi"): a
    # greeting read as a name makes "Northwind Mobile, Sam" out of a plain hello.
    "Hi High Hello Hey Hiya Morning Afternoon Evening Welcome Sir Madam Ma'am".split())
STAND_IN = "Sam"
# A name right after the words one addresses someone with, ending its clause (_unaddressed).
_ADDRESSED = re.compile(r"(\b(?i:you|thanks|thank you|cheers|sorry|hi|hello|hey|bye|goodbye)"
                        r",?)\s+(?:(?:Mr|Mrs|Ms|Miss|Dr)\.?\s+)?([A-Z][a-z]+)"
                        r"(?=\s*(?:[,.?!;]|$))")
_SPEAKING = re.compile(r"(?:^|(?<=[,;:] ))([A-Za-z][\w']*)(?=\s+(speaking|here)\b)", re.I)
_NOT_SPEAKERS = frozenset(w.lower() for w in NOT_NAMES) | {
    "who's", "whos", "i'm", "you're", "we're", "they're", "anyone", "someone", "somebody",
    "anybody", "everyone", "nobody", "public", "stop", "start", "keep", "been", "still"}
_STEM = 5  # letters a misheard site name shares with the name (without_names)
# What may follow "NAME here": the end of the clause, or a clause of its own.
_AFTER_HERE = re.compile(r"\s*(?:[,.;:!?]|$)|" + NEW_CLAUSE.pattern, re.I)


def names_someone(text: str, keep: frozenset[str]) -> bool:
    """A name is in `text` (without_names makes every name the stand-in)."""
    return re.search(rf"\b{STAND_IN}\b", without_names(text, keep)) is not None


def without_names(text: str, keep: frozenset[str] = frozenset()) -> str:
    """`text` with every name (module comment above) replaced by STAND_IN; the first word of a
    sentence is left alone (it is capitalised anyway), and so are the site's own names (`keep`,
    from known_words) and words that start like one of them (Whisper writes "Northwind" as
    "Northland" or "Northwood" now and then)."""
    stems = {k[:_STEM] for k in keep if len(k) >= _STEM}

    def name(m: re.Match[str]) -> str:
        w = m.group()
        if w in NOT_NAMES or w in keep or (len(w) >= _STEM and w[:_STEM] in stems):
            return w
        return STAND_IN

    return " ".join(_speaker(NAME.sub(name, _unaddressed(s, keep)))
                    for s in sentences(normalise(text)))


def _unaddressed(sentence: str, keep: frozenset[str]) -> str:
    """The sentence without the name of the person it is said to ("anything else I can do for
    you, Rosa?", "thank you Maria."): whom the agent speaks to says nothing about a checklist,
    and as the stand-in it makes "... for you Sam?" read like "Hi, it's Sam, what can I do for
    you?". A name said to someone ends its sentence or clause right after "you", "thanks" or a
    greeting; "this is Sam", "Sam speaking" and "Sam here" are not said to anyone."""
    def drop(m: re.Match[str]) -> str:
        w = m.group(2)
        return m.group() if w in NOT_NAMES or w in keep else m.group(1).rstrip(",")

    return _ADDRESSED.sub(drop, sentence)


def _speaker(sentence: str) -> str:
    """"Dana speaking": the word before "speaking" at the start of a sentence or a clause is
    the agent's name, whatever it looks like (Whisper often mishears a name: "death
    speaking"); not an adverb ("generally speaking") nor a question ("who's speaking?").
    "Dana here" likewise, but only a capitalised word that is not a common one, ending its
    clause: "here" follows many words ("right here", "Sign here when it arrives")."""
    def name(m: re.Match[str]) -> str:
        word = m.group(1).lower()
        if m.group(2).lower() == "here" and (
                not m.group(1)[:1].isupper() or m.group(1) in NOT_NAMES
                or not _AFTER_HERE.match(sentence, m.end() + len(" here"))):
            return m.group()
        return m.group() if word.endswith("ly") or word in _NOT_SPEAKERS else STAND_IN

    return _SPEAKING.sub(name, sentence)


def known_words(texts: Sequence[str]) -> frozenset[str]:
    """The capitalised words inside the sentences of a checklist's own phrases, other than the
    stand-in: the site's and its products' names ("Thank you for calling Northwind Mobile").
    They are not a person's name, and read as one they make a greeting look like "this is
    Sam"."""
    return frozenset(w for t in texts for s in sentences(normalise(t))
                     for w in NAME.findall(s)) - {STAND_IN}
