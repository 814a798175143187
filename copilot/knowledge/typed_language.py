"""The language of a text someone typed, among the site's languages, by its function words: one
rule for a trainee's practice answer (copilot/practice/session.py), the simulated customer's
reworded line (copilot/practice/customer.py) and the agent's typed question (copilot/assist/
ask.py).

A spoken question comes with its language (Whisper's, per speaker); a typed one does not, and
the window's search box searched a French or Spanish question as if it were the base's
language: "J'ai été débité deux fois ce mois-ci, quand serai-je remboursé ?" found nothing,
though `copilot kb ask --lang fr` finds the billing passage (a walk-through). The language whose
function words (copilot/knowledge/query.py's STOPWORDS) the text uses most, when it uses at
least two and half as many again as the next language's; else none can be told (a short "OK,
merci" or "5 GB").
"""

from __future__ import annotations

from collections.abc import Sequence

from copilot.knowledge.query import STOPWORDS, fold
from copilot.text.sentences import WORD

__all__ = ["guess_language", "typed_language"]


def guess_language(text: str, languages: Sequence[str] = ("en", "fr", "es")) -> str | None:
    """The language of `languages` whose function words `text` uses most, or None when it uses
    too few to tell (module docstring)."""
    words = [fold(w) for w in WORD.findall(text.replace("\u2019", "'"))]
    parts = [p for w in words for p in (w, *w.split("'")[:1]) if p]
    counts = {lang: sum(p in STOPWORDS.get(lang, ()) for p in parts) for lang in languages}
    best = max(counts, key=counts.__getitem__)
    ranked = sorted(counts.values(), reverse=True)
    if ranked[0] < 2 or ranked[0] < 1.5 * (ranked[1] if len(ranked) > 1 else 0):
        return None
    return best


def typed_language(text: str, default: str) -> str:
    """`text`'s language among those the search reads (STOPWORDS), else `default`."""
    return guess_language(text, tuple(STOPWORDS)) or default
