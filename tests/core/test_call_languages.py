"""Text between the customer's language and the knowledge base's (copilot/assist/call_languages)."""

from __future__ import annotations

from concurrent.futures import Future

from copilot.assist.call_languages import CallLanguages, usable_line_translation
from copilot.assist.suggest import Suggestion

LINE = Suggestion("Refunds take 5 to 7 business days.", ("BILL-01",), True, True, "approved_line")


class Dictionary:
    """A translator that knows one sentence and fails on anything else."""

    def translate(self, text: str, src: str, tgt: str) -> str:
        if text == LINE.text and tgt == "fr":
            return "Les remboursements prennent 5 à 7 jours ouvrés."
        raise RuntimeError("unknown sentence")


def _done(value) -> Future:
    fut: Future = Future()
    fut.set_result(value)
    return fut


def test_lines_are_translated_into_the_customer_language_off_the_caller():
    langs = CallLanguages("en", Dictionary(), "test")
    ((rank, line, fut),) = langs.submit_lines("fr", [LINE])
    assert (rank, line) == (1, LINE)
    assert fut.result(5) == ("Les remboursements prennent 5 à 7 jours ouvrés.", "test")
    langs.close()


def test_no_line_translation_in_the_knowledge_base_language_or_when_switched_off():
    assert CallLanguages("en", Dictionary()).submit_lines("en", [LINE]) == []
    assert CallLanguages("en", Dictionary()).submit_lines("", [LINE]) == []
    assert CallLanguages("en", Dictionary(), translate_lines=False).submit_lines("fr", [LINE]) == []
    assert CallLanguages("en", None).submit_lines("fr", [LINE]) == []


def test_a_failing_translator_costs_only_that_text():
    assert CallLanguages("en", Dictionary()).translate("something else", "en", "fr") is None


def test_a_translation_that_changes_a_number_or_an_outdated_line_is_not_shown():
    good = _done(("Les remboursements prennent 5 à 7 jours ouvrés.", "ct2"))
    assert usable_line_translation(LINE, good, LINE.text) == (good.result()[0], "ct2")
    changed = _done(("Les remboursements prennent 5 à 10 jours ouvrés.", "ct2"))
    assert usable_line_translation(LINE, changed, LINE.text) is None
    assert usable_line_translation(LINE, good, "A reworded line.") is None
    failed: Future = Future()
    failed.set_exception(RuntimeError("model gone"))
    assert usable_line_translation(LINE, failed, LINE.text) is None


def test_search_text_adds_glossary_keywords_to_a_translation():
    langs = CallLanguages("en")
    keywords = langs.keywords("je veux un remboursement", "fr")
    assert "refund" in keywords
    assert langs.search_text("I want money back", "je veux un remboursement", "fr") == \
        f"I want money back {keywords}"
    assert langs.search_text("", "je veux un remboursement", "fr") == keywords
    assert langs.keywords("xyzzy", "fr") == "xyzzy"  # nothing known: the words as they are
