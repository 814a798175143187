"""The language of a question the agent typed, among the knowledge base's search languages.

A spoken question comes with its language (Whisper's, per speaker); a typed one does not, and
the window's search box searched a French or Spanish question as if it were the base's
language: "J'ai été débité deux fois ce mois-ci, quand serai-je remboursé ?" found nothing,
though `copilot kb ask --lang fr` finds the billing passage (a walk-through). A question's
function words tell its language well enough to choose the search path (the translator or the
service glossary): those of one language only, counted, at least MIN_WORDS and more than any
other language's. Anything less leaves the base's own language, as before.
"""

from __future__ import annotations

from copilot.knowledge.query import STOPWORDS, fold
from copilot.text.sentences import WORD

__all__ = ["MIN_WORDS", "typed_language"]

MIN_WORDS = 2


def typed_language(text: str, default: str) -> str:
    """`text`'s language by its function words (module docstring), else `default`."""
    words = [fold(w) for w in WORD.findall(text)]
    counts = {}
    for lang, own in STOPWORDS.items():
        others = frozenset().union(*(s for k, s in STOPWORDS.items() if k != lang))
        counts[lang] = sum(1 for w in words if w in own and w not in others)
    best = max(counts, key=lambda k: counts[k])
    ahead = all(counts[best] > n for k, n in counts.items() if k != best)
    return best if counts[best] >= MIN_WORDS and ahead else default
