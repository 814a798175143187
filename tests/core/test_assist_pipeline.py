"""The live assistance pipeline with the real knowledge base and verifier, and a scripted LLM."""

from __future__ import annotations

import threading

import pytest
from waiting import wait_until

from copilot.assist.pipeline import AssistOptions, AssistPipeline
from copilot.assist.suggest_llm import LlmLineAdapter
from copilot.events import Caption, Knowledge, SuggestionEvent, Translation
from copilot.knowledge.base import KnowledgeBase
from copilot.llm.engine import LlmEngine
from copilot.llm.fake import ScriptedBackend

APPROVED_BILL = ("I've filed a billing correction for the duplicate charge; the full amount will "
                 "be back on your original payment method within 5 business days, and you'll get "
                 "a confirmation email today.")


class Clock:
    def __init__(self) -> None:
        self.t = 0.0

    def now(self) -> float:
        return self.t


@pytest.fixture(scope="module")
def kb(testdata):
    with KnowledgeBase.load(testdata / "kb" / "northwind") as base:
        yield base


def cap(cid: str, text: str, channel: str = "customer", lang: str = "en",
        start: float = 0.0) -> Caption:
    return Caption(cid, True, channel, start, start + 2, start + 2.5, lang, text)


def run(kb, captions, **kw) -> tuple[list, AssistPipeline]:
    events: list = []
    p = AssistPipeline(kb, Clock(), events.append, **kw).start()
    for c in captions:
        p.on_event(c)
    p.finish(30)
    return events, p


def test_customer_question_gets_a_card_then_the_approved_line(kb):
    events, p = run(kb, [cap("c1", "I was charged twice this month, can I get the money back?")])
    kinds = [type(e).__name__ for e in events]
    assert kinds[0] == "Knowledge" and "SuggestionEvent" in kinds
    card = events[0]
    assert card.of == "c1" and card.passages[0].id == "BILL-01"
    first = next(e for e in events if isinstance(e, SuggestionEvent))
    assert first.of == "c1" and first.sources == ("BILL-01",) and first.grounded
    assert first.text == APPROVED_BILL and first.origin == "approved_line" and first.rank == 1
    assert p.times["c1"].knowledge is not None and p.times["c1"].suggestion is not None
    assert p.errors == 0


def test_agent_words_never_raise_cards_or_suggestions(kb):
    events, _ = run(kb, [cap("a1", "Your duplicate charge refund takes 5 business days, right?",
                             channel="agent")])
    assert events == []


def test_small_talk_says_nothing_and_an_unanswerable_question_abstains(kb):
    events, _ = run(kb, [cap("c1", "Okay, thank you.")])
    assert events == []
    events, _ = run(kb, [cap("c2", "Do you sell gift cards for birthdays?")])
    assert len(events) == 1 and isinstance(events[0], SuggestionEvent)
    assert events[0].sources == () and not events[0].grounded and events[0].origin == "abstain"


def test_payment_mode_placeholder_is_not_assisted(kb):
    events, _ = run(kb, [cap("c1", "[payment mode: not recorded]")])
    assert events == []


def _llm(script) -> LlmEngine:
    return LlmEngine(lambda: ScriptedBackend(script))


def test_a_verified_llm_rewording_follows_the_approved_line(kb):
    draft = ("Sorry about the double charge! I've filed a billing correction; the full amount "
             "will be back on your original payment method within 5 business days, and you'll "
             "get a confirmation email today.")
    with _llm([draft]) as llm:
        events, p = run(kb, [cap("c1", "I was charged twice, I want my money back.")],
                        line_adapter=LlmLineAdapter(llm))
    lines = [e for e in events if isinstance(e, SuggestionEvent)]
    assert lines[0].origin == "approved_line"
    reworded = [e for e in lines if e.origin == "reworded"]
    assert len(reworded) == 1 and reworded[0].text == draft and reworded[0].sources == ("BILL-01",)
    assert events.index(reworded[0]) > events.index(lines[0])  # never before the safe line
    assert p.times["c1"].reworded is not None


def test_an_llm_draft_with_an_invented_fact_is_never_shown(kb):
    draft = ("I've filed a billing correction; the full amount will be back within 30 days and "
             "we'll add a $20 credit.")
    with _llm([draft]) as llm:
        events, _ = run(kb, [cap("c1", "I was charged twice, I want my money back.")],
                        line_adapter=LlmLineAdapter(llm))
    texts = [e.text for e in events if isinstance(e, SuggestionEvent)]
    assert draft not in texts and APPROVED_BILL in texts


def test_a_draft_for_an_older_caption_is_dropped(kb):
    """The customer moved on while the LLM wrote: the stale rewording must not appear."""
    gate = threading.Event()
    draft = ("Sorry! I've filed a billing correction; the full amount will be back on your "
             "original payment method within 5 business days, and you'll get a confirmation "
             "email today.")

    def script(prompt: str):
        gate.wait(5)
        return draft

    events: list = []
    with _llm(script) as llm:
        p = AssistPipeline(kb, Clock(), events.append, line_adapter=LlmLineAdapter(llm)).start()
        p.on_event(cap("c1", "I was charged twice, I want my money back."))
        p.on_event(cap("c2", "Okay, thank you."))
        gate.set()
        p.finish(30)
    assert not [e for e in events if isinstance(e, SuggestionEvent) and e.origin == "reworded"
                and e.of == "c1"]


def test_a_french_caption_waits_for_whisper_translation_then_searches_in_english(kb):
    events: list = []
    p = AssistPipeline(kb, Clock(), events.append,
                       options=AssistOptions(whisper_translates=True)).start()
    p.on_event(cap("c1", "On m'a facturé deux fois, je veux être remboursé.", lang="fr"))
    p.on_event(Translation("c1", "en", "I was charged twice, I want to be refunded.", 3.0,
                           "whisper"))
    p.finish(30)
    card = next(e for e in events if isinstance(e, Knowledge))
    assert card.of == "c1" and card.passages[0].id == "BILL-01"
    assert p.times["c1"].translation is not None


def test_the_calls_context_for_the_draft_box_follows_the_call(kb):
    """What the draft box reads (AssistPipeline.context): every final caption in order, the
    customer's in the knowledge base's language, and the topic as the live search holds it."""
    p = AssistPipeline(kb, Clock(), lambda e: None,
                       options=AssistOptions(whisper_translates=True)).start()
    assert p.context.lines == () and p.context.passage is None
    p.on_event(cap("a1", "How can I help?", channel="agent"))
    p.on_event(cap("c1", "On m'a facturé deux fois 49 euros.", lang="fr", start=3))
    p.on_event(Translation("c1", "en", "I was charged 49 euros twice.", 5.0, "whisper"))
    p.on_event(cap("c2", "How long will it take to get my money back?", start=6))
    p.finish(30)
    ctx = p.context
    assert ctx.lines == (("agent", "How can I help?"),
                         ("customer", "I was charged 49 euros twice."),
                         ("customer", "How long will it take to get my money back?"))
    assert ctx.passage == p.conversation.passage == "BILL-01" and "BILL-01" in ctx.settled
    assert list(ctx.turns) == p.conversation.turns
    copy = ctx.conversation(kb)
    copy.search("Do you sell gift cards for birthdays?")
    assert p.context == ctx and p.conversation.turns == list(ctx.turns)  # a copy: untouched


class UpperTranslator:
    """A fake MT engine: 'translates' from a fixed table."""

    table = {"Me cobraron dos veces este mes.": "I was charged twice this month."}

    def translate(self, text: str, src: str, tgt: str) -> str:
        return self.table[text]


def test_a_text_translator_emits_the_translation_and_grounds_the_card(kb):
    events, _ = run(kb, [cap("c1", "Me cobraron dos veces este mes.", lang="es")],
                    translator=UpperTranslator(), translator_name="ct2")
    tr = next(e for e in events if isinstance(e, Translation))
    assert (tr.of, tr.lang, tr.text, tr.engine) == ("c1", "en", "I was charged twice this month.",
                                                    "ct2")
    assert events.index(tr) < events.index(next(e for e in events if isinstance(e, Knowledge)))


def test_a_failing_step_is_counted_and_assistance_goes_on(kb):
    class Broken:
        def translate(self, text, src, tgt):
            raise RuntimeError("model file vanished")

    events, p = run(kb, [cap("c1", "Me cobraron dos veces.", lang="es"),
                         cap("c2", "I was charged twice, can I get my money back?")],
                    translator=Broken())
    assert any(isinstance(e, Knowledge) and e.of == "c2" for e in events)


def test_finish_searches_captions_whose_translation_never_came(kb):
    events, _ = run(kb, [cap("c1", "I was charged twice, refund please?", lang="fr")],
                    options=AssistOptions(whisper_translates=True))
    assert any(isinstance(e, Knowledge) and e.of == "c1" for e in events)


def test_finish_async_calls_back_once_done(kb):
    done = threading.Event()
    p = AssistPipeline(kb, Clock(), lambda e: None)
    p.finish_async(done.set)
    assert done.wait(10)


def test_a_follow_up_question_keeps_the_topic_of_the_last_card(kb):
    """"How long will it take?" names no policy; two captions after the duplicate-charge card
    it is about that card, and gets its approved line (which states the timing)."""
    events, _ = run(kb, [cap("c1", "The charge was forty nine dollars, twice, on March third."),
                         cap("c2", "This is the second time this has happened."),
                         cap("c3", "How long will it take to get my money back?")])
    line = next(e for e in events if isinstance(e, SuggestionEvent) and e.of == "c3")
    assert line.sources == ("BILL-01",) and "5 business days" in line.text


def test_a_question_on_another_subject_does_not_inherit_the_topic(kb):
    events, _ = run(kb, [cap("c1", "I was charged twice this month."),
                         cap("c2", "Do you sell gift cards for birthdays?")])
    line = next(e for e in events if isinstance(e, SuggestionEvent) and e.of == "c2")
    assert line.origin == "abstain"


class TableTranslator:
    """A fake text engine with TranslationService's translate_text."""

    def __init__(self, table):
        self.table = table

    def translate_text(self, text, src, tgt):
        from copilot.assist.translate.service import Translated

        out = self.table.get((src, tgt, text))
        return None if out is None else Translated(out, "ct2")


def test_lines_are_offered_in_the_customers_language_when_numbers_survive(kb):
    fr_question = "On m'a facturé deux fois, je veux être remboursé ?"
    good = ("J'ai déposé une correction de facturation ; le montant total sera remboursé "
            "sous 5 jours ouvrables, avec un e-mail de confirmation aujourd'hui.")
    tr = TableTranslator({("fr", "en", fr_question): "I was charged twice, I want a refund?",
                          ("en", "fr", APPROVED_BILL): good})
    events, _ = run(kb, [cap("c1", fr_question, lang="fr")], translator=tr)
    assert next(e for e in events if isinstance(e, Translation)).engine == "ct2"
    lines = [e for e in events if isinstance(e, SuggestionEvent) and e.text == APPROVED_BILL]
    assert lines[0].translation == ""  # the line is shown at once, in English
    assert lines[-1].translation == good and lines[-1].translation_lang == "fr"


def test_a_translated_line_that_changes_a_number_is_not_shown(kb):
    fr_question = "On m'a facturé deux fois, je veux être remboursé ?"
    bad = "Le montant total sera remboursé sous 15 jours ouvrables."
    tr = TableTranslator({("fr", "en", fr_question): "I was charged twice, I want a refund?",
                          ("en", "fr", APPROVED_BILL): bad})
    events, _ = run(kb, [cap("c1", fr_question, lang="fr")], translator=tr)
    assert not [e for e in events if isinstance(e, SuggestionEvent) and e.translation]


def test_an_empty_whisper_translation_falls_back_to_the_words_heard(kb):
    events: list = []
    p = AssistPipeline(kb, Clock(), events.append,
                       options=AssistOptions(whisper_translates=True)).start()
    p.on_event(cap("c1", "I was charged twice, refund please?", lang="fr"))
    p.on_event(Translation("c1", "en", "", 3.0, "whisper"))
    p.finish(30)
    assert any(isinstance(e, Knowledge) and e.of == "c1" for e in events)
    assert p.times["c1"].translation is None


def test_a_held_back_summary_refresh_runs_on_the_timer(kb):
    """No caption follows the last customer turn: the refresh due after the interval still
    comes (the worker's tick), not only at the end of the call."""
    from copilot.assist.summary import CallSummarizer
    from copilot.events import Summary
    from copilot.settings import AssistSettings

    clock = Clock()
    events: list = []
    p = AssistPipeline(kb, clock, events.append).start()
    p.summary = CallSummarizer(AssistSettings(summary_min_interval=5.0))
    p.on_event(cap("c1", "I was charged twice this month and I want the money back."))
    clock.t = 1.0
    p.on_event(cap("c2", "The charge was forty nine dollars on March third."))

    def summaries() -> list:
        return [e for e in events if isinstance(e, Summary)]

    assert wait_until(lambda: len(summaries()) >= 1)
    clock.t = 6.0  # the interval is over; no new caption
    assert wait_until(lambda: len(summaries()) >= 2)  # from the worker's tick
    assert summaries()[1].at == 6.0
    assert "49" in str(summaries()[1].sections) or "forty" in str(summaries()[1].sections).lower()
    p.finish(30)


def test_every_suggestion_names_the_model_pack_it_came_from(kb):
    events, _ = run(kb, [cap("c1", "I was charged twice, can I get my money back?"),
                         cap("c2", "Do you sell gift cards for birthdays?")],
                    options=AssistOptions(pack="demo@1.0.0"))
    lines = [e for e in events if isinstance(e, SuggestionEvent)]
    assert lines and all(e.pack == "demo@1.0.0" for e in lines)
    assert lines[0].to_dict()["pack"] == "demo@1.0.0"


def test_with_no_translation_a_foreign_caption_is_searched_through_the_glossary(kb):
    """No Whisper translation (tiny.en, or it gave nothing) and no text engine: the service
    glossary's keywords still find the passage; nothing is shown as a translation."""
    events, p = run(kb, [cap("c1", "Je veux résilier mon contrat, est-ce qu'il y a des frais ?",
                             lang="fr")])
    card = next(e for e in events if isinstance(e, Knowledge))
    assert card.passages[0].id == "CAN-01"
    assert not [e for e in events if isinstance(e, Translation)]


def test_a_poor_translation_is_helped_by_the_glossary_keywords(kb):
    events: list = []
    p = AssistPipeline(kb, Clock(), events.append,
                       options=AssistOptions(whisper_translates=True)).start()
    p.on_event(cap("c1", "Est-ce qu'il y a des frais si je résilie maintenant ?", lang="fr"))
    p.on_event(Translation("c1", "en", "What did he do if I had to go to the cemetery?", 3.0,
                           "whisper"))
    p.finish(30)
    card = next(e for e in events if isinstance(e, Knowledge))
    assert card.passages[0].id == "CAN-01"
