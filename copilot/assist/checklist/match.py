"""Does a caption say it? A checklist item's (or a condition's, or a farewell's) phrasings against
the words of one final caption: by meaning with the sentence encoder, backed by keywords.

Precision comes first: a required disclosure shown as given when it was not is the failure that
matters, a missed tick costs the agent one click. So a caption is cut into short pieces (its
sentences, their clauses and runs of two or three clauses: an agent says several things in one
breath, and a sentence's meaning is diluted by what else it says), and a piece says an item when

- it is very close in meaning to one of the item's examples (cosine >= STRONG), or close
  (>= WITH_KEYWORD) and it contains one of the item's keywords;
- it is closer to the examples than to any of the item's `unlike` sentences (the near misses a
  site knows about: "I've recorded your new address");
- it is not negated where the example is not, or the other way round ("this call is not
  recorded" is very close in meaning to "this call is recorded").

Without a sentence encoder nothing is ticked automatically: keywords alone ("recorded",
"verify") are too often said about something else.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from copilot.assist.checklist.format import Phrases
from copilot.text.sentences import sentences

__all__ = ["HINT", "MAX_UNITS", "STAND_IN", "STRONG", "WITH_KEYWORD", "Encoder", "Match", "PhraseSet",
           "negated", "units_of", "without_names"]

# Thresholds on the cosine of all-MiniLM-L6-v2 embeddings, set on the development calls of
# tests/data/calls/checklist/dev (copilot/bench/checklist_bench.py); the held-out calls were
# run once with them.
STRONG = 0.80  # meaning alone
WITH_KEYWORD = 0.50  # meaning backed by one of the item's keywords in the same piece
# An item done before the one it comes after is flagged only when nothing the agent said earlier
# came this close to the first one: a missed tick must not accuse the agent of skipping it.
HINT = 0.40
MAX_CLAUSES = 3  # a piece is at most this many consecutive clauses of one sentence
MAX_UNITS = 40  # pieces of one caption, at most (a long monologue keeps its first ones)

_CLAUSE_END = re.compile(r"\s*[,;:\u2013\u2014]\s+|\s+-\s+|\s+(?:and|but)\s+", re.I)
# A capitalised word inside a sentence is taken for a name ("this is Dana", "Thanks, Tom"); all
# names become one stand-in before embedding, in examples and captions alike, because a name
# weighs on a sentence's embedding as much as the words around it and means nothing to a
# checklist. Acronyms (PIN) and calendar words keep their meaning.
_NAME = re.compile(r"(?<=[\w,;:] )[A-Z][a-z]+(?:[-'][A-Za-z]+)?\b")
_NOT_NAMES = frozenset(
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May "
    "June July August September October November December "
    # Whisper capitalises a word after a comma now and then ("..., To make sure").
    "A An The To And But Or So If Is Are Was Were Be Can Could Would Will Should May Might Do "
    "Does Did Have Has Had What When Where Why How Who Which That This These Those There Then "
    "Just Also Please Thanks Thank You Your We Our It Its He She They My Me Not No Yes Okay "
    "Ok Now Here For From With About Before After".split())
STAND_IN = "Sam"
_NEGATION = re.compile(r"\b(?:not|never|cannot|no longer|nobody|nothing|neither|nor)\b|n't\b",
                       re.I)
_APOSTROPHE = re.compile(r"[\u2018\u2019\u02bc]")


class Encoder(Protocol):
    """What matching needs of a sentence encoder (copilot.knowledge.encoder.SentenceEncoder)."""

    def embed(self, texts: Sequence[str]) -> np.ndarray: ...


@dataclass(frozen=True)
class Match:
    words: str  # the piece of the caption that said it
    score: float  # its cosine to the closest example
    keyword: str = ""  # the item's keyword in those words ("" when none: meaning alone)


def normalise(text: str) -> str:
    return _APOSTROPHE.sub("'", text).strip()


def negated(text: str) -> bool:
    return bool(_NEGATION.search(normalise(text)))


def without_names(text: str) -> str:
    """`text` with every name (module comment above) replaced by STAND_IN; the first word of a
    sentence is left alone (it is capitalised anyway)."""
    return " ".join(
        _NAME.sub(lambda m: m.group() if m.group() in _NOT_NAMES else STAND_IN, s)
        for s in sentences(normalise(text)))


def units_of(text: str) -> list[str]:
    """The pieces of a caption that are compared with the examples: each sentence, and within
    it every run of 1 to MAX_CLAUSES consecutive clauses; no repeats, at most MAX_UNITS."""
    out: list[str] = []
    for sentence in sentences(normalise(text)):
        # Clause spans, so a run of clauses is the sentence's own words between them.
        spans, start = [], 0
        for sep in _CLAUSE_END.finditer(sentence):
            spans.append((start, sep.start()))
            start = sep.end()
        spans.append((start, len(sentence)))
        spans = [(a, b) for a, b in spans if sentence[a:b].strip()]
        runs = [sentence] if len(spans) > MAX_CLAUSES else []
        for size in range(1, min(MAX_CLAUSES, len(spans)) + 1):
            runs += [sentence[spans[i][0]:spans[i + size - 1][1]]
                     for i in range(len(spans) - size + 1)]
        for r in runs:
            r = r.strip(" ,;:")
            if r and r not in out:
                out.append(r)
    return out[:MAX_UNITS]


def _keyword_pattern(keyword: str) -> re.Pattern[str]:
    """A keyword as whole words, case ignored; `*` at the end of a word matches any ending."""
    parts = []
    for word in normalise(keyword).lower().split():
        star = word.endswith("*")
        body = re.escape(word.rstrip("*"))
        parts.append(body + (r"[\w']*" if star else ""))
    return re.compile(r"(?<![\w'])" + r"\s+".join(parts) + r"(?![\w'])", re.I)


class PhraseSet:
    """Phrases ready to match: the examples and near misses embedded once (at load time, not
    per caption), the keywords compiled."""

    def __init__(self, phrases: Phrases, encoder: Encoder,
                 extra_examples: Sequence[str] = ()) -> None:
        self.examples = tuple(dict.fromkeys([*phrases.examples, *extra_examples]))
        self.unlike = phrases.unlike
        vectors = encoder.embed([without_names(t) for t in (*self.examples, *self.unlike)])
        self._ex = vectors[:len(self.examples)]
        self._un = vectors[len(self.examples):]
        self._ex_negated = [negated(e) for e in self.examples]
        self.keywords = tuple((k, _keyword_pattern(k)) for k in phrases.keywords)

    def keyword_in(self, text: str) -> str:
        return next((k for k, pattern in self.keywords if pattern.search(normalise(text))), "")

    def best(self, units: Sequence[str], vectors: np.ndarray, *,
             floor: float | None = None) -> Match | None:
        """The piece that says it best, or None when no piece says it (module docstring).
        With `floor`, the piece closest in meaning that scores at least `floor`, keyword or
        not: a hint that it may have been said, never a tick."""
        if not len(units) or not len(self.examples):
            return None
        sims = vectors @ self._ex.T  # (units, examples): unit-length rows, so cosines
        near = (vectors @ self._un.T).max(axis=1) if len(self.unlike) else \
            np.full(len(units), -1.0, dtype=np.float32)
        found: Match | None = None
        for u, unit in enumerate(units):
            e = int(sims[u].argmax())
            score = float(sims[u, e])
            if score < (WITH_KEYWORD if floor is None else floor) or score <= float(near[u]):
                continue
            if negated(unit) != self._ex_negated[e]:
                continue
            keyword = self.keyword_in(unit)
            if floor is None and score < STRONG and not keyword:
                continue
            if found is None or score > found.score:
                found = Match(unit, score, keyword)
        return found
