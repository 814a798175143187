"""The words of a caption as the checklist matcher and its readers of names read them: curly
apostrophes straightened, hesitations out (`normalise`), and the words that open a clause of
their own (`NEW_CLAUSE`)."""

from __future__ import annotations

import re

__all__ = ["NEW_CLAUSE", "normalise"]

_APOSTROPHE = re.compile(r"[\u2018\u2019\u02bc]")
_FILLER = re.compile(r"\b(?:uh+|um+|uhm|erm?|hmm+)\b,?\s*", re.I)
# Words that start a clause of their own: after a keyword, a sign of two sentences run together.
NEW_CLAUSE = re.compile(r"\s+(?:i|i'm|i'll|i've|i'd|we|we're|we'll|we've|you|you're|you'll|"
                        r"just|so|how|what|can|could|may|let|let's|please|now|okay|ok|thanks|"
                        r"thank)\b", re.I)


# A farewell as the recognizer often writes it: "by" ending a sentence ("Brilliant by.",
# "You're welcome by now.": two calls of blind call set 72, where the closing was then missed),
# which no sentence ends with unless a verb takes it ("stop by", "stand by", "get by").
_BY_AT_END = re.compile(r"\b(\w+)?(\W*)\bby(?=(?:\s+(?:now|then|for\s+now))?\s*(?:[.!]+|$))", re.I)
_TAKES_BY = frozenset("""stop stops stopped stopping come comes came coming drop drops dropped
dropping pop pops popped popping stand stands stood standing pass passes passed passing get gets
got getting swing swings swung go goes went going walk walks walked run runs ran call calls
called nearby close near""".split())


def _bye(m: re.Match[str]) -> str:
    before = m.group(1) or ""
    return m.group() if before.lower() in _TAKES_BY else f"{before}{m.group(2)}bye"


def normalise(text: str) -> str:
    """Curly apostrophes straightened, hesitations taken out ("uh", "um" carry no meaning but
    weigh on a short piece's embedding: "and uh this line's recorded" fell below the recording
    notice's examples, "this line's recorded" does not), and a sentence-ending "by" read as the
    farewell it is (_BY_AT_END)."""
    text = _FILLER.sub("", _APOSTROPHE.sub("'", text)).strip()
    return _BY_AT_END.sub(_bye, text)
