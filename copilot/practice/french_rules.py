"""A condition, channel or time a trainee invents in a French answer checked without a translator
("à condition que le retard soit justifié", "il faut en faire la demande par courrier
recommandé", "l'annulation ne sera visible que dès demain", "vous recevrez un SMS à confirmer").

Without a translation model the answer's words cannot be compared with the English passages
sentence by sentence, so a French answer was checked for its values alone, and such inventions
were the fact-check's largest miss: 95 French answers' inventions over fifteen answer sets. Here a
clause is read as stating a rule by cues of the kinds least likely to restate a passage in
other words: a condition put on the caller ("à condition que", "sauf si", "tant que", "une fois
que", "dès que"), an obligation of the caller ("il faut", "il me faudra", "j'aurai besoin de",
"vous devez"), a message they will get ("vous recevrez"), a channel ("par courrier", "dans
l'appli", "sur le site", "un SMS") and a time said in words ("immédiatement", "dès demain",
"d'ici la fin de la semaine", "à la prochaine échéance"). ("Il me faudra" and "vous recevrez",
stop 40: seventeen sets, inventions caught 1,463 -> 1,477 of 1,785, no correct answer failed.)
A scope's exclusion too ("mais pas", "sauf", "à l'exception de", "ne s'applique pas"), kept in
one clause with what it excludes (stop 41: one more caught over twenty-one sets, none failed),
a scope restricted ("ne vaut que pour ...", "ne concerne que ...") and one thing "plutôt que"
another (stop 42: four more over twenty-three sets, none failed), in the passive too ("ne sont
traitées qu'en fin de mois": three more over twenty-five sets, none failed), and a claim added
with "aussi", "également" or done "d'office", as "also" in English (stop 55: sixteen more over
forty-six sets, none failed; "en plus" failed six correct answers, the caller's trouble "en plus
de l'hôpital", and is no cue); "à partir de demain", "vous allez ensuite recevoir", a scope
said with "uniquement" ("la règle concerne uniquement ...": answer set 47).
Not the restrictions and duties that restate the passages in every correct answer ("on ne peut
annuler qu'un seul frais par compte", "je dois d'abord vérifier votre identité"): without a
translator those cannot be told from an invented one.

As for English (invented_rules.py), such a clause is an invented rule only when at least
MIN_UNSAID of its content words are said nowhere in the call: a French word counts as said when
the service glossary (copilot/assist/translate/glossary.py) gives it an English word the call's
passages use, when it is such an English word already (the answer's values are put in English
before it is read: "à quatre chiffres" is "4 digits"), or when the caller's own French words
hold it. Private to copilot.practice.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from copilot.assist.translate.glossary import GlossaryTranslator
from copilot.knowledge.query import STOPWORDS, fold
from copilot.practice.invented_rules import InventedRule, content_stems, rules_in

__all__ = ["french_rules"]

# (The answer's numbers and some words are put in English before it is read, answer_text.
# _english_values: "sous" is "within" by then, "cinq jours" "5 days".)
_CUE = re.compile(
    r"\b(?:il (?:me |nous |vous )?(?:faut|faudra)|vous devez|vous devrez|devra(?!\w)"  # an obligation
    r"|vous (?:la |le |les |l')?(?:recevrez|allez (?:\w+ )?recevoir)"  # a message the caller gets
    r"|(?:j'|nous )aur(?:ai|ons) besoin"  # what the caller will have to give ("I'll need")
    r"|[àa] condition|(?:sous|within) réserve|sauf (?:si|par|pour)|pourvu que|(?<!en )tant que"
    r"|seulement si|uniquement si|(?:une fois|dès) qu(?:e|')(?!\s*(?:j'|je\b|nous\b|on\b))"
    # (and without "que": "mais seulement une fois votre paiement bien enregistré", not "une fois
    # par compte" nor a period gone by, "une fois les 12 mois écoulés": answer sets 50 and 38)
    r"|une fois (?:votre|vos|le|la|les|l')\b(?!\s*\d)"
    r"|étant donné"  # a condition, not the trainee's own next step ("dès que j'aurai vérifié")
    r"|par courrier|par la poste|par écrit|recommandé|par virement|par chèque|en agence"
    r"|en boutique|(?:dans|sur|via) l'appli|espace client|sur (?:le|notre) site|par sms|un sms"
    # a channel ("en ligne" is as often "on the line": "je reste en ligne")
    r"|par e-?mail|par courriel"
    r"|immédiatement|instantanément|dès demain|à partir de demain"
    r"|dès (?:la|le) (?:prochaine?|fin)"
    r"|d'ici (?:la|le|demain|\w+ (?:jours|days))|à la fin d[ue]|à la prochaine"
    r"|prochaine (?:facture|échéance)|(?:sous|within) forme d'avoir"  # a time in words
    r"|agences?\b"
    # a scope's exclusion ("l'annulation couvre les frais, mais pas les intérêts de retard")
    # (not "sauf erreur de ma part", unless I am mistaken: answer set 51)
    r"|mais pas|sauf(?! si| erreur)|à l'exception|hors|ne s'applique pas|n'est pas couvert"
    # a scope restricted, one thing rather than another
    # (an adverb between: "elle ne vaut d'ailleurs que pour les particuliers": answer set 38)
    r"|ne (?:vaut|concerne|couvre|s'applique|s'adresse)(?: [\w']+)? qu|plutôt qu"
    # ... or said with "uniquement" ("la règle concerne uniquement les comptes de particuliers":
    # answer set 47)
    r"|(?:vaut|concerne|couvre|s'applique|s'adresse)\s+uniquement"
    # ... or put in the passive ("ne sont traitées qu'en fin de mois")
    # (in the conditional too: "ils ne seraient réclamés qu'en cas de nouveau retard"; not elided
    # nor with "se", "n'est possible qu'une fois", "ça ne se fait qu'une fois", as thirty-five
    # correct answers restate the passage: answer set 44)
    # (not "possible" whole either: "la prochaine annulation ne sera possible qu'une fois une
    # période de 12 mois écoulée" restates the passage: answer set 57)
    r"|ne (?:sont|est|sera|seront|serait|seraient) (?!possible\b)\w+ qu"
    # ... or put off to a month's end or start ("n'apparaîtra sur votre compte qu'en fin de
    # mois": answer set 50)
    r"|qu'(?:en|à|au)\s+(?:la\s+)?(?:fin|début)\b"
    # ... or owed by someone else, a web chat ("l'hôpital doit nous écrire", "par le chat de
    # notre site": answer set 44)
    r"|\b(?:doit|doivent)\b|\bchat\b|de notre site"
    # a claim added ("... seraient aussi annulés d'office": answer set 46), as "also" in English
    # ("en plus" is as often the caller's trouble: "ce souci en plus de l'hôpital")
    r"|aussi|également|d'office"
    # who alone may do it, and the way it goes ("Seul un responsable peut annuler des frais",
    # "les annulations passent par le service recouvrement": answer set 49; not "qu'un seul
    # frais", which restates the passage)
    r"|(?<!un )(?<!une )seul(?:e|s|es)?\s+(?:un|une|le|la|les|l'|votre|notre|nos|vos)\b"
    # (the way to go said with "passer par", not what the caller had to go through: "que vous
    # ayez dû passer par l'hôpital": answer sets 51 and 40)
    r"|pass(?:e|ent|era|eront)\s+par|(?<!dû )(?<!du )passer\s+par"
    # ... and "only if" said with "ne ... que si" ("Une annulation n'est possible que si le compte
    # n'en a jamais bénéficié": answer set 51)
    r"|\bn(?:e\s+|')(?:[\w']+\s+){1,3}que\s+si\b"
    # ... or "only in case of" ("l'annulation n'est accordée qu'en cas de motif médical": answer
    # set 52)
    r"|\bn(?:e\s+|')(?:[\w']+\s+){1,3}qu(?:e\s+|')(?:en|dans\s+le)\s+cas\b)", re.I)
_CLAUSE = re.compile(r"[.!?;:]+(?=\s|$)|\n|,\s+(?:et|donc|puis)\s+|,\s+mais\s+(?!pas\b)|\s+-\s+",
                     re.I)
# Words that name nothing a rule could invent (beyond the stopwords): time and number words,
# courtesy, the cue words themselves, and an opener ("pour commencer": answer set 43).
_FUNCTION = frozenset(fold(w) for w in """
faut faudra faudrait devez devrez devra condition réserve sauf pourvu tant seulement uniquement
commencer
fois dès étant donné courrier poste recommandé virement chèque agence boutique appli application espace client
ligne immédiatement instantanément demain prochaine prochain fin ici échéance forme avoir
jour jours semaine semaines mois année ans heure heures aujourd'hui bien sûr oui non merci
madame monsieur vraiment aussi encore déjà toujours jamais très plus moins tout tous toute
toutes cela celle celui ceux cette sera seront être avoir fait faire peut pouvez pourrez ainsi
""".split())
_GLOSSARY = GlossaryTranslator()


def french_rules(text: str, said_en: Iterable[str], said_fr: Iterable[str]) -> list[InventedRule]:
    """The clauses of a French answer `text` that state a rule (module docstring) in words
    none of `said_en` (the call's passages and details, in English) nor `said_fr` (the caller's
    words) uses."""
    known: set[str] = set()
    for t in said_en:
        known |= content_stems(t)
    heard = " ".join(fold(t) for t in said_fr)
    return rules_in(text, _CLAUSE, _CUE, lambda clause: tuple(dict.fromkeys(
        w for w in _content_words(clause) if not _said(w, known, heard))))


def _content_words(clause: str) -> list[str]:
    words = re.findall(r"[^\W\d_]+", clause.lower().replace("\u2019", "'").replace("'", " "))
    return [w for w in words if len(w) > 3 and w not in STOPWORDS["fr"]
            and fold(w) not in _FUNCTION]


def _said(word: str, known: set[str], heard: str) -> bool:
    if content_stems(word) & known:
        return True  # put in English with the answer's values ("à quatre chiffres" -> "4 digits")
    english = _GLOSSARY.translate(word, "fr", "en")
    if english and content_stems(english) & known:
        return True
    return bool(re.search(rf"\b{re.escape(fold(word)[:5])}", heard))
