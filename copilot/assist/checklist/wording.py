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


def normalise(text: str) -> str:
    """Curly apostrophes straightened, and hesitations taken out: "uh", "um" carry no meaning
    but weigh on a short piece's embedding ("and uh this line's recorded" fell below the
    recording notice's examples, "this line's recorded" does not)."""
    return _FILLER.sub("", _APOSTROPHE.sub("'", text)).strip()
