"""Asking the knowledge base from the window (copilot/assist/ask.py): the same card and lines as
a customer turn, told apart by `of` = the ask's id, searched on its own, redacted; and how a
stored call shows the question (`copilot calls show`, the txt and JSON exports)."""

from __future__ import annotations

import json

import pytest
from fake_encoder import PASSAGES, HashEncoder

from copilot import paths
from copilot.assist.ask import ask, ask_id, clean_question, is_ask
from copilot.assist.card_events import knowledge_event
from copilot.assist.suggest import PassageSentenceAdapter, suggest
from copilot.cli import main
from copilot.events import Caption
from copilot.knowledge.base import KnowledgeBase
from copilot.knowledge.topic import Conversation
from copilot.knowledge.vectors import VectorCache
from copilot.settings import Settings
from copilot.store.db import CallStore
from copilot.store.export import render, to_txt
from copilot.store.rows import CallRow, EventRow, SegmentRow

NORTHWIND = paths.resources() / "kb" / "northwind"


@pytest.fixture
def kb(tmp_path):
    with KnowledgeBase(PASSAGES, encoder=HashEncoder(),
                       cache=VectorCache(tmp_path / "v.sqlite3")) as base:
        yield base


@pytest.fixture(scope="module")
def northwind():
    with KnowledgeBase.load(NORTHWIND) as base:  # keywords only
        yield base


def test_an_ask_gives_the_card_and_lines_a_customer_turn_would(kb) -> None:
    q = "How long until a duplicate charge is refunded?"
    result = ask(kb, q, Settings(), ask_id="ask-3", at=41.25, pack="demo@1")
    assert result.id == "ask-3" and result.question == q
    assert result.passages[0] == "REF-01"
    ref = result.knowledge.passages[0]
    assert ref.confident and ref.answer == kb.answer(kb.passages["REF-01"], [q])
    assert "5 business days" in ref.answer
    # The same lines as suggest() for that question, with the pipeline's event shape.
    expected = suggest(q, kb, adapter=PassageSentenceAdapter(), settings=Settings().assist)
    assert [s.text for s in result.suggestions] == [s.text for s in expected.suggestions]
    first = result.suggestions[0]
    assert (first.of, first.rank, first.sources, first.grounded, first.origin, first.pack) == (
        "ask-3", 1, ("REF-01",), True, "approved_line", "demo@1")
    # What the call store keeps: the ask, then what it showed, all `of` the ask.
    events = [e.to_dict() for e in result.events()]
    assert events[0] == {"type": "ask", "id": "ask-3", "question": q, "at": 41.25}
    assert [e["type"] for e in events] == ["ask", "knowledge", "suggestion"]
    assert all(e["of"] == "ask-3" for e in events[1:])
    assert events[1] == knowledge_event(kb, "ask-3", [h for h in expected.hits if h.shown],
                                        [q], 41.25).to_dict()


def test_ids_tell_asks_from_captions() -> None:
    assert ask_id(3) == "ask-3" and is_ask("ask-3") and not is_ask("c3")


def test_a_typed_question_is_searched_on_its_own_not_with_the_calls_topic(kb) -> None:
    follow_up = "How long does that take?"
    # As a customer's follow-up, the call's topic finds the refund passage...
    hits = Conversation.replay(kb, ["I was charged twice, a duplicate charge.", follow_up])
    assert hits[0].passage.id == "REF-01" and hits[0].relevant
    # ...typed by the agent it stands alone: nothing in it names a policy.
    result = ask(kb, follow_up, Settings(), context=["I was charged twice, a duplicate charge."])
    assert result.knowledge is None
    assert [s.origin for s in result.suggestions] == ["abstain"]


def test_nothing_relevant_gives_no_card_and_the_abstention(kb) -> None:
    result = ask(kb, "What's the weather like in Lisbon?", Settings(), ask_id="ask-1")
    assert result.knowledge is None and result.passages == []
    assert [(s.of, s.sources, s.origin) for s in result.suggestions] == [("ask-1", (), "abstain")]
    assert [e.type for e in result.events()] == ["ask", "suggestion"]


def test_the_question_is_redacted_before_it_is_searched_or_kept(kb) -> None:
    result = ask(kb, "card 4111 1111 1111 1111 charged   twice\nrefund?", Settings())
    assert "4111" not in result.question and "1111 1111" not in json.dumps(
        [e.to_dict() for e in result.events()])
    assert "charged twice refund?" in result.question  # one line
    assert clean_question("  roaming\tin Canada ") == "roaming in Canada"
    # A typed question is complete: numbers that could begin a card in a partial caption stay.
    assert clean_question("is the fee 150 dollars for 2024?") == "is the fee 150 dollars for 2024?"
    assert clean_question("card 4111111111111111, refund in 5 days?") == (
        "card [card ending 1111], refund in 5 days?")
    assert "4111 1111" not in clean_question("his card is 4111 1111, what now?")


def test_an_empty_question_is_refused(kb) -> None:
    with pytest.raises(ValueError):
        ask(kb, "   ", Settings())


def test_roaming_in_canada_on_the_keyword_base(northwind) -> None:
    result = ask(northwind, "roaming in Canada on the basic plan?", Settings(), ask_id="ask-1")
    assert result.passages[0] == "ROAM-01"
    first = result.suggestions[0]
    assert first.sources == ("ROAM-01",) and "Canada" in first.text and first.grounded


# -- how a stored call shows it -------------------------------------------------------------

SEGMENTS = [SegmentRow(1, 7, "c1", "customer", 6.4, 12.9, "en", "Do I pay extra in Canada?"),
            SegmentRow(2, 7, "c2", "agent", 30.0, 33.0, "en", "No, it's included.")]
ASKED = [
    EventRow(1, 7, "ask", 20.0, {"type": "ask", "id": "ask-1", "question": "roaming canada?",
                                 "at": 20.0}),
    EventRow(2, 7, "knowledge", 20.0, {"type": "knowledge", "of": "ask-1", "passages": [
        {"id": "ROAM-01", "title": "North America roaming", "score": 2.0}], "at": 20.0}),
    EventRow(3, 7, "knowledge", 13.0, {"type": "knowledge", "of": "c1", "passages": [
        {"id": "BILL-01", "title": "x", "score": 2.0}], "at": 13.0}),
    EventRow(4, 7, "ask", 25.0, {"type": "ask", "id": "ask-2", "question": "weather?",
                                 "at": 25.0}),
    EventRow(5, 7, "ask", 26.0, {"type": "ask", "id": "ask-3", "question": "fees?", "at": 26.0,
                                 "error": "the knowledge base is still loading"}),
]


def test_txt_puts_each_question_among_the_captions_on_one_line() -> None:
    assert to_txt(SEGMENTS, ASKED) == (
        "[00:06.4] Customer: Do I pay extra in Canada?\n"
        "[00:20.0] Agent asked: roaming canada? (shown: ROAM-01)\n"
        "[00:25.0] Agent asked: weather? (no card)\n"
        "[00:26.0] Agent asked: fees? (search failed)\n"
        "[00:30.0] Agent: No, it's included.\n")
    call = CallRow(7, "2025-03-01T09:30:00+00:00", None, "active", "", "", {})
    assert render("txt", call, SEGMENTS, ASKED).endswith("\n\n" + to_txt(SEGMENTS, ASKED))
    assert "Agent asked" not in render("srt", call, SEGMENTS, ASKED)


def test_calls_show_and_export_print_the_agents_questions(tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("COPILOT_HOME", str(tmp_path))
    with CallStore(paths.database_path()) as store:
        call = store.start_call("demo.wav", title="Roaming")
        store.add_segment(call, Caption("c1", True, "customer", 6.4, 12.9, 13.5, "en",
                                        "Do I pay extra in Canada?"))
        for e in ASKED[:2]:
            store.add_event(call, e.type, e.at, e.payload)
        store.end_call(call)
    assert main(["calls", "show", str(call)]) == 0
    out = capsys.readouterr().out
    assert "[00:20.0] Agent asked: roaming canada? (shown: ROAM-01)" in out.splitlines()
    assert main(["calls", "export", str(call), "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert [e["payload"] for e in doc["events"] if e["type"] == "ask"] == [ASKED[0].payload]


@pytest.mark.parametrize(("question", "passage"), [
    ("J'ai été débité deux fois ce mois-ci, quand serai-je remboursé ?", "BILL-01"),
    ("Me cobraron dos veces este mes, ¿cuándo me devuelven el dinero?", "BILL-01"),
])
def test_a_question_typed_in_another_language_is_searched_in_it(northwind, question,
                                                               passage) -> None:
    # The window's search box searched such questions as English and found nothing (a
    # walk-through); here on the keyword-only base, through the service glossary.
    result = ask(northwind, question, Settings())
    assert result.passages[:1] == [passage]
    assert result.suggestions[0].sources == (passage,)


def test_a_language_nothing_reads_is_told_apart() -> None:
    from copilot.knowledge.typed_language import foreign_language

    readable = ("en", "fr")
    assert foreign_language("Ich kann die Gebühr einmal alle 12 Monate erlassen.", readable) \
        == "de"
    assert foreign_language("Posso annullare la commissione una volta ogni 12 mesi.",
                            readable) == "it"
    assert foreign_language("Ik kan de kosten een keer per jaar kwijtschelden.", readable) == "nl"
    assert foreign_language("Sí, podemos anular el cargo una vez cada 6 meses.", readable) == "es"
    for said in ("Je vous rembourse 30 euros dès demain.", "OK, merci", "5 GB",
                 "I can waive the late fee, but there is a 10 dollar admin charge."):
        assert foreign_language(said, readable) is None, said


def test_typed_language_reads_function_words_only() -> None:
    from copilot.knowledge.typed_language import typed_language

    assert typed_language("Est-ce que je peux garder mon numéro ?", "en") == "fr"
    assert typed_language("¿Cuánto cuesta el plan para mi hija?", "en") == "es"
    for english in ("roaming in Canada on the basic plan?", "Mexico roaming", "Paris?", ""):
        assert typed_language(english, "en") == "en"


def test_a_long_question_is_searched_by_its_end_and_marked_as_cut(northwind) -> None:
    preamble = "So the customer has been telling me about their week at length. " * 10
    question = preamble + "Can I use my phone in Canada on the basic plan without paying extra?"
    text = clean_question(question)
    assert len(text) <= 500 and text.startswith("\u2026")
    assert text.endswith("without paying extra?")
    assert ask(northwind, question, Settings()).passages[:1] == ["ROAM-01"]
