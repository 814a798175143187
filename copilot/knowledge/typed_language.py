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

__all__ = ["foreign_language", "guess_language", "typed_language"]

# Function words of languages nothing here reads, only to tell that a text is in one of them:
# a trainee who answers a French caller in German or Spanish is told so, rather than shown each
# German word as "not in any passage" (a walk-through). The most frequent words of each, short
# lists; words they share with English, French or Spanish count for both.
_OTHER = {
    "de": """ich du er sie es wir ihr und oder aber nicht kein keine ist sind war bin habe hat
          haben kann können muss mit für auf aus bei nach von zu zum zur den dem des das der
          die ein eine einen einem mein meine ihre ihnen wie was wer wo wann warum auch noch
          schon nur sehr alle einmal""",
    "it": """il lo gli un una uno di da del della dei delle che non sono ho hanno posso può
          puoi con per su tra fra mio mia suo sua questo questa quello anche ancora già solo
          molto come cosa quando perché ci vi ne la le ogni al alla nel nella sul""",
    "pt": """os um uma uns umas do da dos das no na nos nas em com para por não são sou tenho
          tem posso pode você vocês eu ele ela meu minha seu sua isso isto também ainda já só
          muito como quando porque""",
    "nl": """ik jij je hij zij wij het een en maar niet geen zijn ben heb heeft hebben kan
          kunnen moet met voor op uit bij naar van te mijn uw wat wie waar wanneer waarom ook
          nog alleen erg""",
}
_OTHER_WORDS = {lang: frozenset(fold(w) for w in words.split()) for lang, words in _OTHER.items()}


def guess_language(text: str, languages: Sequence[str] = ("en", "fr", "es")) -> str | None:
    """The language of `languages` whose function words `text` uses most, or None when it uses
    too few to tell (module docstring)."""
    words = [fold(w) for w in WORD.findall(text.replace("\u2019", "'"))]
    parts = [p for w in words for p in (w, *w.split("'")[:1]) if p]
    counts = {lang: sum(p in (STOPWORDS.get(lang) or _OTHER_WORDS.get(lang, ())) for p in parts)
              for lang in languages}
    best = max(counts, key=counts.__getitem__)
    ranked = sorted(counts.values(), reverse=True)
    if ranked[0] < 2 or ranked[0] < 1.5 * (ranked[1] if len(ranked) > 1 else 0):
        return None
    return best


def typed_language(text: str, default: str) -> str:
    """`text`'s language among those the search reads (STOPWORDS), else `default`."""
    return guess_language(text, tuple(STOPWORDS)) or default


def foreign_language(text: str, readable: Sequence[str]) -> str | None:
    """The language `text` is clearly written in when it is none of `readable` (the languages
    the reader can follow), else None: also when it cannot be told."""
    found = guess_language(text, (*STOPWORDS, *_OTHER_WORDS))
    return found if found is not None and found not in readable else None
