"""The sentence of a passage that answers the question: what a knowledge card shows, instead of
the passage's first 200 characters (which cut "The duplicate amount is refunded in ..." off just
before the answer).

With sentence vectors, the passage's sentence closest in meaning to what the customer said;
without, the one sharing the most content words (stemmed), the first on a tie. The sentence is
always the passage's own text, verbatim: a card never rewrites policy.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from copilot.knowledge.parse import Passage
from copilot.knowledge.query import content_words
from copilot.knowledge.vectors import PassageVectors
from copilot.knowledge.verify import stem
from copilot.text.sentences import sentences

__all__ = ["answer_sentence", "choices"]


def choices(p: Passage) -> list[str]:
    """What a card may show: the passage's policy sentences; its approved lines only when it has
    none. A card is the policy behind the line: the suggested line above it already shows the
    approved line, and the walk-through saw the card repeat it word for word (its Copy still
    copies the approved line)."""
    return list(dict.fromkeys(sentences(p.text))) or list(p.approved_lines) or [p.title]


def answer_sentence(p: Passage, said: Sequence[str], vectors: PassageVectors | None = None,
                    query: np.ndarray | None = None) -> str:
    """`said`: the customer's turns on the issue, oldest first (the newest weighs most).
    `query`: their embedding when the caller has it; embedded here otherwise."""
    options = choices(p)
    turns = [s for s in said if s.strip()]
    if len(options) == 1 or not turns:
        return options[0]
    if vectors is not None:
        if query is None:
            query = vectors.embed([" ".join(turns[-2:])])[0]
        sims = vectors.embed(options) @ query
        return options[int(np.argmax(sims))]
    newest, earlier = _stems(turns[-1]), _stems(" ".join(turns[-3:-1]))
    # The newest turn is the question; the earlier ones only break ties.
    overlap = [2 * len(newest & s) + len(earlier & s) for s in map(_stems, options)]
    return options[int(np.argmax(overlap))]


def _stems(text: str) -> set[str]:
    return {stem(w) for w in content_words(text, "en")}

