"""Why the local model's rewording was not used, as the draft box says it (issue 15, finding 2):
the agent reads the draft's own words ('it left out "5 business days" from your draft'), the
audit trail keeps the check's diagnostic reason ("drops a fact of the draft: ...")."""

from __future__ import annotations

import pytest
from window_fakes import DRAFT, PASSAGES, declined_rewording

from copilot.assist.rephrase import rephrase
from copilot.knowledge.base import KnowledgeBase
from ui.draft_flow import DraftAsk, rephrase_payload
from ui.panels import draft_box as db


@pytest.mark.parametrize("rewrite, said", [
    ("The duplicate will be refunded soon.",
     "it left out \u201c5 business days\u201d from your draft"),
    ("The duplicate is refunded within 2 days.",
     "it changed \u201c5 business days\u201d to \u201c2 days\u201d"),
])
def test_the_box_says_what_the_rewording_lost_in_the_drafts_words(rewrite, said) -> None:
    result = declined_rewording(rewrite)
    note = db.llm_status(result)
    assert note == (f"The local model's rewording was declined ({said}): this is the "
                    "rule-based rephrasing.")
    assert "drops a fact" not in note and "business day," not in note


def test_the_audit_trail_keeps_the_diagnostic_reason() -> None:
    result = declined_rewording("The duplicate will be refunded soon.")
    ask = DraftAsk("draft-1", DRAFT, "calm", "", 3.0, 7, 0.0)
    payload = rephrase_payload(ask, result, 0.2)
    assert payload["rejected"] == ["drops a fact of the draft: within 5 business day"]
    # the box words the same result differently: the result itself is untouched
    assert result.rejected_drafts[0].reason.startswith("drops a fact of the draft")
    assert "drops a fact" not in db.llm_status(result)


def test_a_result_with_nothing_declined_is_shown_as_it_is() -> None:
    result = rephrase(DRAFT, KnowledgeBase(list(PASSAGES.values())))
    assert db.llm_status(result) == db.LLM_STATUS[""]
