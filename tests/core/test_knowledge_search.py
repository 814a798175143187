"""Searching the knowledge base: FTS5 safety, ranking, relevance, window, translation, eval bar."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from copilot.knowledge import evaluate as kb_eval
from copilot.knowledge import query as kb_query
from copilot.knowledge.base import MIN_EVIDENCE, TITLE_BONUS, KnowledgeBase
from copilot.knowledge.parse import Passage

KB = Path(__file__).resolve().parents[2].parent / "shared" / "testdata" / "kb"


@pytest.fixture(scope="module")
def kb():
    with KnowledgeBase.load(KB / "northwind") as base:
        yield base


@pytest.fixture(scope="module")
def report(kb):
    """As `copilot kb eval` runs it: typed French and Spanish through the service glossary (no
    translation model is installed in the tests)."""
    from copilot.assist.translate.service import SearchTranslator

    return kb_eval.run(kb, kb_eval.load_cases(KB / "northwind_eval.jsonl"),
                       translator=SearchTranslator())


def top(kb: KnowledgeBase, question: str, **kw) -> str | None:
    hits = kb.search(question, **kw)
    return hits[0].passage.id if hits else None


# -- query building ---------------------------------------------------------------------------

def test_number_words_become_digits() -> None:
    assert kb_query.digits_for_number_words("forty nine dollars") == "49 dollars"
    assert kb_query.content_words("There's a double charge for forty-nine dollars", "en") == [
        "double", "charge", "49", "dollars"]


def test_stopwords_and_accents() -> None:
    assert kb_query.content_words("Um, can you tell me what I need to do?", "en") == []
    assert kb_query.content_words("¿Cuánto cuesta en México?", "es") == ["cuesta", "mexico"]


@pytest.mark.parametrize("nasty", [
    'card "number', '"', '""', "NEAR(card number, 2)", "card NEAR number", "card*", "*",
    "-card", "card - number", "(card OR", ")", "title:card", "^card", "card AND NOT number",
    "{title body}: card", "card + number", "'; DROP TABLE kb; --", "\x00card", "ÀÉÎ ñ ß",
])
def test_user_text_never_becomes_fts_syntax(kb: KnowledgeBase, nasty: str) -> None:
    hits = kb.search(nasty, k=10)  # must not raise sqlite3.OperationalError
    assert all(h.score > 0 for h in hits)
    assert kb.search("card number") != [] and len(kb.passages) == 10  # table intact


def test_operator_words_are_plain_words(kb: KnowledgeBase) -> None:
    # Unquoted, OR/AND/NOT/NEAR are FTS5 operators; quoted they are words like any other.
    assert kb_query.match_expression(["near", "or"]) == '"near" OR "or"'
    assert kb_query.quote('a"b') == '"a""b"'
    assert kb.search("NOT NEAR AND OR") == []


def test_empty_and_stopword_only_queries(kb: KnowledgeBase) -> None:
    assert kb.search("") == []
    assert kb.search("   ") == []
    assert kb.search("can you tell me what it is") == []
    assert kb.search("card number", k=0) == []


# -- ranking and relevance on Northwind --------------------------------------------------------

@pytest.mark.parametrize("question, expected", [
    ("How much is the early termination fee?", "CAN-01"),
    ("There is a double charge on my bill", "BILL-01"),
    ("I was charged twice", "BILL-01"),  # "twice" ~ "double" (general synonym)
    ("I'm travelling abroad, what does the day pass cost?", "ROAM-02"),  # Porter: travel
    ("Is it true my plan only works on one device?", "DEV-01"),  # "one" ~ "one-device"
])
def test_ranking(kb: KnowledgeBase, question: str, expected: str) -> None:
    hits = kb.search(question)
    assert hits[0].passage.id == expected
    assert hits[0].relevant
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


def test_scores_are_positive_and_hits_are_passages(kb: KnowledgeBase) -> None:
    hits = kb.search("cancel fee months", k=5)
    assert 1 <= len(hits) <= 5
    assert all(h.score > 0 and h.passage is kb.passages[h.passage.id] for h in hits)
    assert {"cancel", "fee", "month"} <= set(hits[0].terms)


@pytest.mark.parametrize("question", [
    "Can I get a refund for a phone I returned?",  # one policy word, wrong policy
    "Do you sell gift cards?",
    "What time does the store open?",
    "Why is my bill so high this month?",
])
def test_one_coincidental_word_is_not_relevant(kb: KnowledgeBase, question: str) -> None:
    assert not any(h.relevant for h in kb.search(question))


def test_relevance_floor_is_adjustable() -> None:
    with KnowledgeBase.load(KB / "northwind", min_evidence=0.9) as loose:
        assert loose.search("Will my phone work in Canada?")[0].relevant
    with KnowledgeBase.load(KB / "northwind") as strict:
        hit = strict.search("Will my phone work in Canada?")[0]
        assert hit.passage.id == "ROAM-01" and not hit.relevant
        assert hit.evidence < MIN_EVIDENCE


def test_tiny_base_still_judges_relevance() -> None:
    # With two passages FTS5's idf is 0 for everything; our evidence must still work.
    ps = [Passage("A", "Late fees", "A late fee can be waived once a year.", (), "a.md"),
          Passage("B", "Roaming", "Roaming in Canada is included.", (), "b.md")]
    with KnowledgeBase(ps) as small:
        hits = small.search("can you waive my late fee")
        assert hits[0].passage.id == "A" and hits[0].relevant
        assert not small.search("roaming")[0].relevant


# -- sliding window ------------------------------------------------------------------------------

def test_window_single_utterance_equals_search(kb: KnowledgeBase) -> None:
    q = "I paid late by two days, can you remove the late fee?"
    assert kb.search_window([q]) == kb.search(q)


def test_window_newest_weighs_most(kb: KnowledgeBase) -> None:
    hits = kb.search_window(["Can I keep my phone number if I switch?",
                             "Actually first, how do I unlock my phone for another carrier?"])
    assert hits[0].passage.id == "DEV-02"
    assert hits[1].passage.id == "CAN-02"
    old = kb.search_window(["How do I unlock my phone for another carrier?",
                            "Can I keep my phone number if I switch?"])
    assert old[0].passage.id == "CAN-02"


def test_window_joins_a_question_split_over_captions(kb: KnowledgeBase) -> None:
    split = ["I was charged twice this month", "uh huh", "so when do I get my money back?"]
    hits = kb.search_window(split)
    assert hits[0].passage.id == "BILL-01" and hits[0].relevant
    assert not kb.search(split[-1])[0].relevant  # the last caption alone is not enough


def test_window_limits_to_latest(kb: KnowledgeBase) -> None:
    captions = ["Can I unlock my phone for another carrier?", "ok", "fine", "thanks", "bye now"]
    assert kb.search_window(captions, window=2) == []
    assert kb.search_window(captions, window=5)[0].passage.id == "DEV-02"


def test_search_is_thread_safe(kb: KnowledgeBase) -> None:
    errors: list[BaseException] = []

    def worker(q: str, want: str) -> None:
        try:
            for _ in range(20):
                assert top(kb, q) == want
        except BaseException as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=worker, args=a) for a in
               [("late fee", "BILL-02"), ("unlock my phone", "DEV-02"), ("verify account", "ID-01")]]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []


# -- other languages -----------------------------------------------------------------------------

class DictTranslator:
    """A stand-in for the MT engine: a fixed dictionary of sentences, and a call log."""

    def __init__(self, table: dict[str, str]) -> None:
        self.table = table
        self.calls: list[tuple[str, str, str]] = []

    def translate(self, text: str, src: str, tgt: str) -> str:
        self.calls.append((text, src, tgt))
        return self.table[text]


def test_translator_is_used_for_another_language(kb: KnowledgeBase) -> None:
    fr = "Est-ce qu'il y a des frais si je résilie maintenant ?"
    es = "¿Cuánto cuesta usar mi teléfono en México?"
    mt = DictTranslator({fr: "Is there a fee if I cancel now?",
                         es: "How much does it cost to use my phone in Mexico?"})
    hits = kb.search(fr, lang="fr", translator=mt)
    assert mt.calls == [(fr, "fr", "en")]
    assert hits[0].passage.id == "CAN-01" and hits[0].relevant
    hits = kb.search_window([es], lang="es", translator=mt)
    assert hits[0].passage.id == "ROAM-01" and hits[0].relevant
    kb.search("late fee", lang="en", translator=mt)
    assert len(mt.calls) == 2  # same language as the base: never translated


def test_accent_folded_cognate_without_translator(kb: KnowledgeBase) -> None:
    hit = kb.search("¿Cuánto cuesta usar mi teléfono en México?", lang="es")[0]
    assert hit.passage.id == "ROAM-01"
    assert not hit.relevant  # one look-alike word is not enough to ground a suggestion


# -- the eval bar --------------------------------------------------------------------------------

def test_eval_bar_english(report: kb_eval.EvalReport) -> None:
    en = report.answerable("en")
    assert len(en) >= 10
    misses = [r.case.utterance for r in en if not r.found]
    assert sum(r.found for r in en) / len(en) >= 0.9, misses


def test_eval_abstains_on_every_unanswerable(report: kb_eval.EvalReport) -> None:
    un = report.unanswerable()
    assert len(un) >= 5
    assert [r.case.utterance for r in un if not r.abstained] == []


def test_eval_relevance_floor_separates_with_margin(report: kb_eval.EvalReport) -> None:
    found = [r.first.evidence for r in report.answerable("en") if r.first]
    unanswerable = [max((h.evidence for h in r.hits), default=0.0) for r in report.unanswerable()]
    assert max(unanswerable) + 0.2 <= MIN_EVIDENCE <= min(found) - 0.1
    assert MIN_EVIDENCE > TITLE_BONUS  # one word, even a title word, never suffices


def test_eval_bar_french_and_spanish(kb: KnowledgeBase, report: kb_eval.EvalReport) -> None:
    foreign = [r for r in report.answerable() if report.lang_of(r) != kb.lang]
    assert {report.lang_of(r) for r in foreign} == {"fr", "es"}
    assert all(r.found for r in foreign), [r.case.utterance for r in foreign if not r.found]


def test_eval_rejects_unknown_ids_and_bad_lines(kb: KnowledgeBase, tmp_path: Path) -> None:
    from copilot.knowledge.parse import KnowledgeError

    bad = tmp_path / "e.jsonl"
    bad.write_text('{"utterance": "x", "expect": ["NOPE-9"]}\n', encoding="utf-8")
    with pytest.raises(KnowledgeError, match="NOPE-9"):
        kb_eval.run(kb, kb_eval.load_cases(bad))
    bad.write_text('{"utterance": "x"}\nnot json\n', encoding="utf-8")
    with pytest.raises(KnowledgeError, match=r"e\.jsonl:2"):
        kb_eval.load_cases(bad)


@pytest.mark.parametrize(("line", "said"), [
    ('{"utterance": "x", "expect": "RET-02"}', '"expect" must be a list of text'),
    ('{"utterance": "x", "context": "moving"}', '"context" must be a list of text'),
    ('{"utterance": "x", "must_mention": "fee"}', '"must_mention" must be a list of text'),
    ('{"question": "x"}', 'an eval line is an object with "utterance"'),
    ('["x"]', 'an eval line is an object with "utterance"'),
    ('{"utterance": "x", "kind": 3}', '"lang" and "kind" must be text'),
])
def test_an_eval_line_of_the_wrong_shape_is_named_in_the_files_terms(tmp_path, line, said):
    # (a string where a list belongs was read letter by letter: a second walk-through)
    from copilot.knowledge.parse import KnowledgeError

    bad = tmp_path / "e.jsonl"
    bad.write_text(line + "\n", encoding="utf-8")
    with pytest.raises(KnowledgeError, match=r"e\.jsonl:1: ") as e:
        kb_eval.load_cases(bad)
    assert said in str(e.value) and "Error" not in str(e.value)
