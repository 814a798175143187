"""What a customer turn says about the turns before it, from its wording alone (English).

Three questions the call's context needs answered (copilot/knowledge/topic.py and
KnowledgeBase.search_window):

- does the turn ask or say anything ("okay", "uh huh" do not; "so where does it go now?" does);
- does it announce a new subject ("oh and separately, ...", "one more thing", "while I've got
  you"): then the earlier issue is not its context;
- does it point back at the issue ("is there a charge for that?", "how long will it take to
  fix?", "and can I use my credit card for it?"): a short turn with "that", "it", "this",
  "those", "them", "these" or "there" means the thing already being discussed, so it is never
  taken as a question of its own, however close its few words happen to be to some passage
  ("does that work on two lines?" after a senior discount is about the discount, not the
  passage on adding a line). A turn that sets a new condition ("what if it was my son?", "and
  if I'm in Canada?") is not: it often moves to a neighbouring passage, and the old issue would
  pull it back to the wrong one. Six question sets (92 follow-ups): right lines 49 -> 58, no
  wrong line added (without the condition exception: 57 right and 2 wrong lines more).
"""

from __future__ import annotations

import re

from copilot.knowledge.query import content_words

__all__ = ["asks_or_says", "new_topic", "refers_back", "without_opening"]

# A turn with no content word still asks something when it is a question ("so where does it go
# now?"); one that is neither ("okay", "uh huh", "thanks") asks nothing.
_QUESTION = re.compile(r"\?\s*$|^\s*(?:and\s+|so\s+|but\s+)?(?:can|could|would|will|do|does|"
                       r"did|is|are|am|should|how|what|why|when|where|which|who)\b", re.I)

# Not "also" (as often "also, can I pay by card for it?").
_NEW_TOPIC = re.compile(
    r"^\W*(?:(?:oh|ok|okay|right|and|so|um|uh|actually)\W+){0,3}(?:separately|unrelated\w*|"
    r"on (?:a|an)?\s*(?:other|different|separate) (?:note|subject|topic)|by the way|"
    r"(?:one|just one) more thing|(?:a|one)? ?(?:different|separate|unrelated|new|other) "
    r"(?:question|thing|matter|subject|topic|issue)|another (?:question|thing|matter|issue)|"
    r"something (?:else|different)(?:\s+(?:entirely|altogether))?(?=\s*[,.:;!?-]|\s+while\b)|"
    r"while i(?:'ve| have) got you|while i have you|"
    r"while i(?:'m| am) on(?: the (?:phone|line))?(?=\s*[,.:;!?-])|"
    r"changing the subject)\b", re.I)
# The words that say so, with what sets them off ("Oh, and while I've got you, ...").
_NEW_TOPIC_OPENING = re.compile(_NEW_TOPIC.pattern + r"[\s,.:;!-]*", re.I)

_POINTS_BACK = re.compile(r"\b(?:that|it|this|those|them|these|there)\b", re.I)
_NEW_CONDITION = re.compile(r"^\W*(?:(?:and|but|so|ok|okay)\W+)?(?:(?:what|how)\W+)?"
                            r"(?:if|about)\b", re.I)
# A turn of this many content words says enough on its own, pronouns or not.
SELF_CONTAINED_WORDS = 4


def asks_or_says(turn: str, lang: str) -> bool:
    return bool(turn.strip()) and (bool(content_words(turn, lang)) or
                                   bool(_QUESTION.search(turn)))


def new_topic(turn: str, lang: str) -> bool:
    return lang == "en" and bool(_NEW_TOPIC.search(turn))


def without_opening(turn: str, lang: str) -> str:
    """The turn without the words that open a new topic ("Okay, different question, I forgot my
    PIN" -> "I forgot my PIN"): they say nothing of what is asked, and searched with it they
    pull the query's meaning towards nothing in particular. The turn as it is when nothing
    else is left."""
    rest = turn
    # Openers may come in a row ("Something else while I'm on: is there a cash machine?").
    while lang == "en" and (m := _NEW_TOPIC_OPENING.match(rest)) and rest[m.end():].strip():
        rest = rest[m.end():]
    return rest


def refers_back(turn: str, lang: str) -> bool:
    """A short turn about the thing already being discussed (see the module docstring)."""
    return (lang == "en" and len(content_words(turn, lang)) < SELF_CONTAINED_WORDS
            and bool(_POINTS_BACK.search(turn)) and not _NEW_CONDITION.search(turn))
