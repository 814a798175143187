"""The service glossary: English keywords for French and Spanish questions, for the knowledge
search only; everything it does not know is dropped, never guessed."""

from __future__ import annotations

import pytest

from copilot.assist.translate.glossary import GlossaryTranslator
from copilot.assist.translate.service import SearchTranslator
from copilot.knowledge.base import KnowledgeBase


@pytest.fixture(scope="module")
def kb(testdata):
    with KnowledgeBase.load(testdata / "kb" / "northwind") as base:
        yield base


def test_inflected_words_and_phrases_give_their_keywords():
    g = GlossaryTranslator()
    assert g.translate("On m'a facturé deux fois, je veux être remboursé.", "fr", "en") == \
        "twice bill charge refund"
    assert g.translate("Je voudrais résilier ; la résiliation coûte combien ?", "fr", "en") == \
        "cancel cost how much"
    assert g.translate("¿Puedo cancelar mi contrato sin pagar una multa?", "es", "en") == \
        "cancel contract pay fee penalty"


def test_nothing_known_gives_nothing_and_other_pairs_are_not_handled():
    g = GlossaryTranslator()
    assert g.translate("Il fait beau aujourd'hui.", "fr", "en") == ""
    assert g.translate("facture", "fr", "es") == ""
    assert g.translate("Rechnung", "de", "en") == ""


@pytest.mark.parametrize(("question", "lang", "expected"), [
    ("On m'a prélevé deux fois ce mois-ci, je veux être remboursé.", "fr", "BILL-01"),
    ("J'ai payé en retard, est-ce qu'il y a une pénalité ?", "fr", "BILL-02"),
    ("Est-ce que je peux garder mon numéro de téléphone ?", "fr", "CAN-02"),
    ("Me cobraron dos veces este mes.", "es", "BILL-01"),
    ("¿Puedo cancelar mi contrato sin pagar una multa?", "es", "CAN-01"),
])
def test_typed_questions_find_their_passage(kb, question, lang, expected):
    hits = kb.search(question, lang=lang, translator=SearchTranslator())
    assert hits and hits[0].passage.id == expected and hits[0].relevant


def test_unanswerable_foreign_questions_still_abstain(kb):
    for q, lang in (("¿Tienen descuento para estudiantes?", "es"),
                    ("Vous vendez des cartes cadeaux ?", "fr")):
        assert not any(h.relevant for h in kb.search(q, lang=lang, translator=SearchTranslator()))


def test_words_outside_the_glossary_are_searched_as_they_are(kb):
    """A name the glossary does not know still meets its cognate in the base."""
    t = SearchTranslator()
    assert t.translate("Je pars à Toronto", "fr", "en") == "Je pars à Toronto"
    assert t.engine_for("fr", "en") == "glossary" and t.engine_for("de", "en") == "none"
