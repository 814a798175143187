"""The draft check as the agent meets it (issue 15, findings 1 and 2): ordinary words of the
agent's draft ("twice", "now", "today", "extra") are not flagged as policy facts while an
invented amount, duration or timing still is, and a declined rewording is explained in the
draft's own words; the diagnostic reason stays in `rejected_drafts` and `notes`."""

from __future__ import annotations

import pytest

from copilot import paths
from copilot.assist.rephrase import DECLINED, LLM, RULES, USED, rephrase
from copilot.knowledge.base import KnowledgeBase
from copilot.llm.engine import LlmEngine
from copilot.llm.fake import ScriptedBackend


@pytest.fixture(scope="module")
def kb():
    with KnowledgeBase.load(paths.sample_kb()) as base:
        yield base


def with_llm(kb, draft: str, rewrite: str):
    backend = ScriptedBackend([rewrite])
    with LlmEngine(lambda: backend) as engine:
        return rephrase(draft, kb, llm=engine)


@pytest.mark.parametrize("draft", [
    "I can see you were charged twice, I'll file a billing correction now.",
    "I'm filing the billing correction today, while we're on the call.",
    "You paid extra this month because the bill includes a partial month.",
    "Thanks again, I'll put you through to my supervisor right away.",
    "I've looked at your bill twice, and the duplicate is refunded within 5 business days.",
    "The extra payment will be back on your original payment method within 5 business days.",
])
def test_ordinary_words_of_a_draft_are_not_flagged(kb, draft) -> None:
    r = rephrase(draft, kb)
    assert not r.flagged, [f.text for f in r.unsupported]
    assert not {f.text.lower() for f in r.facts} & {"twice", "now", "today", "extra", "again",
                                                    "right away", "month"}


@pytest.mark.parametrize("draft, fact", [
    ("I can see you were charged twice; we'll refund it today.", "today"),
    ("The duplicate will be back on your card within 2 business days.", "2 business days"),
    ("I'll refund 20 dollars now for the trouble.", "20 dollars"),
    ("We can waive the late fee twice a year.", "twice"),
    ("The money will be back tomorrow.", "tomorrow"),
])
def test_an_invented_fact_in_a_draft_is_still_flagged(kb, draft, fact) -> None:
    r = rephrase(draft, kb)
    assert r.flagged and fact in [f.text for f in r.unsupported], [f.text for f in r.facts]


def test_a_rewording_that_drops_only_an_ordinary_word_is_used(kb) -> None:
    # "now" was a fact the rewording had to keep: the model's text was declined for it
    r = with_llm(kb, "I'll file the correction now, and the duplicate is refunded within 5 "
                     "business days.",
                 "I'll file the correction, and the duplicate amount is refunded within 5 "
                 "business days.")
    assert r.origin == LLM and r.llm_outcome == USED and r.llm_why == ""


@pytest.mark.parametrize("rewrite, plain, diagnostic", [
    ("The duplicate will be refunded soon.",
     "it left out \u201c5 business days\u201d from your draft",
     "drops a fact of the draft: within 5 business day"),
    ("The duplicate is refunded within 2 business days.",
     "it changed \u201c5 business days\u201d to \u201c2 business days\u201d",
     "drops a fact of the draft: within 5 business day"),
    ("The duplicate is refunded within 5 business days, and the next bill is free.",
     "it added \u201cfree\u201d, which no passage states",
     "adds facts no passage supports: free"),
    ("The duplicate is refunded within 5 business days. I am truly sorry about the trouble this "
     "has caused you and your family, and I understand how stressful a double payment can be "
     "when rent is due, so please do call us back whenever you need anything at all.",
     "it was much longer than your draft", "too long for a rephrasing"),
])
def test_a_declined_rewording_is_explained_in_the_drafts_words(kb, rewrite, plain,
                                                               diagnostic) -> None:
    draft = "The duplicate is refunded within 5 business days."
    r = with_llm(kb, draft, rewrite)
    assert r.origin == RULES and r.llm_outcome == DECLINED and r.text == draft
    assert r.llm_why == plain
    # the diagnostic wording is kept for the log, --json and the audit trail
    assert r.rejected_drafts[0].reason == diagnostic
    assert f"the LLM's rewrite was not used ({diagnostic})" in r.notes


def test_without_a_model_there_is_nothing_to_explain(kb) -> None:
    assert rephrase("The duplicate is refunded within 5 business days.", kb).llm_why == ""
