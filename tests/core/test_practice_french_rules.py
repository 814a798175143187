"""A condition, channel or time a trainee invents in a French answer, read without a translator
(copilot/practice/french_rules.py); a French answer that restates the passage is not flagged."""

from __future__ import annotations

import pytest
from practice_helpers import scenario_checker

from copilot.practice.factcheck import WRONG
from copilot.practice.french_rules import french_rules


def _rules(kb, answer: str) -> list:
    report = scenario_checker(kb, "late_fee_fr").check(answer, "fr")
    return [f for f in report.facts if f.kind == "rule"]


@pytest.mark.parametrize("answer", [
    # a channel, a condition put on the caller, a time said in words, an obligation
    "Je les annule, mais il faut nous envoyer la demande par courrier avec votre dossier médical.",
    "Oui, je peux les annuler, à condition que vous passiez au prélèvement mensuel.",
    "C'est fait : le remboursement arrivera sur votre carte dès demain matin.",
    "Vous devez remplir le formulaire de réclamation sur notre site avant vendredi.",
    # cues the answer's own words put in English first (answer_text._english_values): "sous",
    # "cinq jours"; and a curly apostrophe
    "Je les annule, sous réserve de présentation du justificatif bancaire original.",
    "Le montant sera versé d'ici cinq jours sur votre livret épargne.",
    "Je les annule, une fois qu\u2019il aura validé votre dossier médical.",
    # what the caller will have to give (il me faudra), a message they will get
    "Oui, c'est possible, mais il me faudra un certificat de l'hôpital pour le dossier.",
    "Je les annule ; vous recevrez ensuite un formulaire à nous renvoyer signé.",
    "Pour les annuler, j'aurai besoin d'une copie de votre relevé bancaire.",
    # a scope's exclusion, kept with what it excludes (no break at ", mais pas")
    "Je rembourse les frais, mais pas la commission de change prélevée par votre banque.",
    # a scope restricted ("ne vaut que", "ne concerne que"), one thing rather than another
    "Je les annule, mais ce geste ne vaut que pour les clients titulaires d'une carte fidélité.",
    "Cette annulation ne concerne que les lignes ouvertes grâce à un parrainage.",
    "Je vais geler les frais plutôt que les effacer définitivement du dossier.",
    # ... put in the passive
    "Les remises ne sont accordées qu'aux abonnés inscrits au programme fidélité.",
    # ... in the conditional; an obligation of someone else, a web chat (answer set 44)
    "Ils ne seraient réclamés qu'en cas de nouveau retard sur votre compte.",
    "C'est l'hôpital qui doit nous écrire directement pour demander l'annulation des frais.",
    "La demande doit passer par le chat de notre site pour une annulation de frais.",
    # a channel by "courriel", a message "la" recevrez (answer set 45)
    "Oui, et d'ailleurs ce type de demande se fait uniquement par courriel.",
    "J'annule les frais, et je vais réémettre votre facture : vous la recevrez de nouveau.",
    # a claim added with "aussi", "également", or done "d'office" (answer set 46)
    "Je retire les frais, et je bloque aussi les relances postales pendant trois mois.",
    "L'annulation efface également les pénalités de votre ancien contrat box.",
    "Ceux des prochains trimestres seraient supprimés d'office grâce au certificat.",
    # a message with a word between, a time "à partir de demain", a scope "uniquement" (answer
    # set 47)
    "Vous allez ensuite recevoir un courrier de confirmation à signer.",
    "L'annulation ne sera effective sur la facture qu'à partir de demain.",
    "Cette règle concerne uniquement les lignes professionnelles.",
    # who alone may do it, the way it goes (answer set 49)
    "Seul le service client en agence peut retirer ces pénalités.",
    "Ces demandes passent par le service contentieux, je vous y envoie.",
    # the way to go, only if with "ne ... que si" (answer set 51)
    "La prochaine fois, le plus simple est de passer par le guichet dédié aux pénalités.",
    "Un geste n'est possible que si le client a réglé ses trois dernières factures.",
    # ... or "only in case of" (answer set 52)
    "Le remboursement n'est accordé qu'en cas de prélèvement refusé par la banque.",
    # a condition without "que", a time put off to a month's start (answer set 50)
    "Je retire les frais, mais seulement une fois votre virement bien reçu par la banque.",
    "Le remboursement n'arrivera sur votre relevé qu'au début du trimestre suivant.",
])
def test_an_invented_french_rule_is_wrong(kb, answer) -> None:
    rules = _rules(kb, answer)
    assert rules and all(f.status == WRONG for f in rules), answer
    assert len(rules[0].unsaid) >= 2


@pytest.mark.parametrize("answer", [
    # the passage's rule restated, with the restriction correct answers put it in
    "Oui, je les annule : c'est possible une fois par compte sur toute période de 12 mois.",
    "Malheureusement non, on ne peut annuler qu'un seul frais de retard par compte sur 12 mois.",
    "Je dois d'abord vérifier votre identité : votre numéro de compte et votre code PIN ?",
    # the check the passage asks for, put politely, its digits already in English
    "Il me faudrait votre numéro de compte ainsi que votre code PIN à quatre chiffres.",
    # ... asked for in the present ("j'ai besoin" as a cue failed it: answer set 45)
    "J'ai besoin de votre numéro de compte et de votre code PIN, s'il vous plaît.",
    # ... begun with "pour commencer", the trainee's own words (answer set 43)
    "Pour commencer, il me faudrait votre numéro de compte et votre code PIN à 4 chiffres.",
    # ... elided or with "se", as forty correct answers restate the passage (answer set 44)
    "Sachez que ce geste n'est possible qu'une fois par compte sur toute période de 12 mois.",
    "Sachez seulement que ça ne se fait qu'une fois par compte dans n'importe quelle période de "
    "12 mois.",
    # ... or whole, "possible" (answer set 57)
    "Donc la prochaine annulation ne sera possible qu'une fois une période de 12 mois écoulée.",
    # a question states no rule
    "Souhaitez-vous une confirmation par SMS ?",
    # the trainee's own next step
    "On regarde ça ensemble dès que j'aurai vérifié votre identité.",
    "Je m'en occupe dès que nous aurons terminé la vérification du dossier.",
    # "devrait" is no "devra", "en tant que" no "tant que", "en ligne" on the line
    "Le crédit devrait apparaître rapidement sur votre compte.",
    "En tant que cliente fidèle, vous avez droit à cette annulation.",
    "Je reste en ligne avec vous pendant la vérification.",
    # "en plus" of the caller's trouble, "rien de plus" (not cues: answer sets 17 to 43)
    "Je suis désolée que vous ayez eu ce souci en plus de tout le reste.",
    "Non, rien de plus de votre côté, c'est réglé.",
    # what the trainee could not say, in the conditional (answer set 48)
    "Je ne saurais pas vous dire comment ce sera présenté sur la prochaine facture.",
    # "un seul" restates the passage (a near miss of answer set 49's shape)
    "Il n'est possible d'annuler qu'un seul frais de retard par compte sur 12 mois.",
    # a period gone by (answer set 38)
    "Une fois les 12 mois écoulés, la règle permettrait de nouveau une annulation.",
    # "sauf erreur", unless I am mistaken (answer set 51)
    "Sauf erreur de ma part, c'est possible une fois par compte sur 12 mois.",
    # what the caller had to go through (answer set 40)
    "Je suis désolé que vous ayez dû passer par l'hôpital, j'espère que vous allez mieux.",
    # "ne ... que" without "si" restates the passage
    "On ne peut annuler ces frais qu'une fois par compte sur 12 mois.",
])
def test_a_french_answer_that_restates_the_passage_is_not(kb, answer) -> None:
    assert not _rules(kb, answer), answer


def test_words_the_call_says_are_not_unsaid() -> None:
    # "retard" is the glossary's "late", which the passage uses; "hôpital" is the caller's own
    # word: one unsaid word ("vient") is not enough.
    assert french_rules("Sauf si le retard vient de l'hôpital.",
                        ["A late fee can be waived."], ["J'étais à l'hôpital."]) == []
    assert french_rules("Sauf si vous envoyez un certificat signé par le médecin.",
                        ["A late fee can be waived."], [])
