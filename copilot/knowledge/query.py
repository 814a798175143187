"""From what a customer said to a safe FTS5 query: words, stopwords, number words, quoting.

Captions are speech: "um, so I was charged twice", "forty nine dollars". The query keeps the
content words, writes English number words as digits (the index does the same, so "forty nine"
meets "49" and "one-device" meets "one device"), and ORs the terms, each one quoted, so no user
text is ever read as FTS5 syntax (NEAR, AND, *, -, column filters, parentheses).
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from copilot.text.sentences import WORD
from copilot.text.spoken_numbers import Atom, tokenize

# Function words, plus the wrapping of spoken requests ("can you tell me", "I want to know",
# "um, okay"): in a call they carry no topic, and with a small knowledge base any shared word
# would otherwise pull in an unrelated passage. Kept general on purpose: no policy or topic word.
_EN = """
a about above after again against all am an and any are as at be been before being below
between both but by can could did do does doing done down during each few for from further had
has have having he her here hers herself him himself his how i if in into is it its itself just
me more most my myself no nor not now of off on once only or other our ours ourselves out over
own same she should so some such than that the their theirs them themselves then there these
they this those through to too under until up very was we were what when where which while who
whom why will with would you your yours yourself yourselves shall may might must let lets
also even ever still yet really actually maybe perhaps please thanks thank hi hello hey okay ok
yeah yes yep um umm uh uhh uhm huh hm er erm ah aha hmm mm mhm oh well like sure right sorry
get gets got getting want wants wanted wanna need needs needed know knew tell told say said
think thought guess mean going gonna go goes went come came see look try trying something
anything thing things someone anyone lot bit kind sort way much many
i'm i've i'd i'll you're you've you'd you'll it's that's there's what's don't doesn't didn't
can't won't isn't aren't wasn't weren't we're we've they're let's how's where's who's
"""
# The commonest function words of the other site languages: without a translator, a French or
# Spanish question can still meet the knowledge base through cognates ("México" ~ "Mexico"),
# and these would only add noise.
_FR = """
a au aux avec ce ces cet cette c ça d dans de des du elle elles en est et eux il ils je j l la
le les leur leurs lui m ma mais me mes moi mon n ne nos notre nous on ou où par pas pour qu que
qui s sa se ses si son sur t ta te tes toi ton tu un une vos votre vous y est-ce suis es sont
ai as avons avez ont été être avoir fait faire peux peut pouvez veux veut voudrais bonjour merci
oui non alors donc comment combien quoi quel quelle quels quelles
"""
_ES = """
a al algo como con de del el ella ellas ellos en es esta este esto estoy están hay la las le
les lo los me mi mis muy no nos o para pero por que qué se si sí sin su sus te tengo tiene tu
tus un una uno unos unas y ya yo usted ustedes puedo puede quiero quisiera hola gracias bueno
cómo cuánto cuanto cuánta cuándo cuando dónde donde cuál cual
"""


# Query expansion, English only, deliberately tiny: pairs that mean the same thing in a customer's
# mouth and in a policy, where a plain word match would miss. "Charged twice" is how people say
# "double charge"; cost and price, overseas and abroad are interchangeable. Topic-changing
# neighbours ("fee" ~ "charge", "cancel" ~ "terminate") are left out: a wrong synonym would make
# an unrelated policy look relevant, which is worse than missing it.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "twice": ("double",),
    "cost": ("price",), "costs": ("price",), "price": ("cost",),
    "overseas": ("abroad",), "abroad": ("overseas",),
    "cellphone": ("phone",),
}  # fmt: skip


# Pure and called for every word the fact-checker and the verifier read, again and again for
# the same few thousand words (a practice answer is read once per passage): cached.
@lru_cache(maxsize=1 << 16)
def fold(word: str) -> str:
    """Case- and accent-free form, as the index's tokenizer sees it (remove_diacritics 2)."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


STOPWORDS: dict[str, frozenset[str]] = {
    lang: frozenset(fold(w) for w in words.split())
    for lang, words in (("en", _EN), ("fr", _FR), ("es", _ES))
}

# A word, with inner apostrophes kept so contractions ("don't", "qu'il") can be recognised.
_WORD = WORD  # one word rule (copilot/text/sentences.py)


def digits_for_number_words(text: str) -> str:
    """English number words written as digits: "forty nine dollars" -> "49 dollars".

    Uses the redaction module's reading of spoken numbers, so both agree on what a number is.
    Typed digits stay as they are."""
    items = tokenize(text)
    out: list[str] = []
    pos = 0
    for it in items:
        if isinstance(it, Atom) and not it.written:
            out.append(text[pos:it.start])
            out.append(it.digits)
            pos = it.end
    out.append(text[pos:])
    return "".join(out)


def normalize(text: str, lang: str) -> str:
    """The text both the index and the queries are built from (number words as digits)."""
    return digits_for_number_words(text) if lang == "en" else text


def content_words(text: str, lang: str) -> list[str]:
    """The words of `text` worth searching for, in order, without repeats (accent-folded)."""
    stop = STOPWORDS.get(lang, frozenset())
    words: list[str] = []
    seen: set[str] = set()
    for m in _WORD.finditer(normalize(text, lang)):
        whole = fold(m.group().replace("\u2019", "'"))
        if whole in stop:
            continue
        for part in whole.split("'"):
            # One letter words ("s" of "customer's", "l" of "l'appareil") say nothing; digits
            # do ("press 3").
            if part in stop or part in seen or (len(part) < 2 and not part.isdigit()):
                continue
            seen.add(part)
            words.append(part)
    return words


def quote(term: str) -> str:
    """An FTS5 string: whatever is inside is only ever a phrase to match, never syntax."""
    return '"' + term.replace('"', '""') + '"'


def match_expression(terms: list[str]) -> str | None:
    """`"a" OR "b" OR ...`, or None when nothing is left to search for."""
    return " OR ".join(quote(t) for t in terms) if terms else None
