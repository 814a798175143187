"""The draft box words the local model's part from RephraseResult.llm_why, the reason in words
for the agent ('it left out "5 business days" from your draft'), straight from the result the
engine returns: never from the diagnostic reason of the rejected draft or of the notes, which
the audit trail keeps."""

from __future__ import annotations

from dataclasses import replace

import pytest
from window_fakes import declined_rewording

from ui.panels import draft_box as db


def test_a_declined_rewording_is_worded_from_llm_why() -> None:
    result = declined_rewording("The duplicate will be refunded soon.")
    assert result.rejected_drafts[0].reason.startswith("drops a fact of the draft")
    assert db.llm_status(result) == (
        "The local model's rewording was declined (it left out \u201c5 business days\u201d "
        "from your draft): this is the rule-based rephrasing.")


@pytest.mark.parametrize("outcome", ["declined", "too_slow", "failed"])
def test_every_outcome_said_takes_its_reason_from_llm_why_alone(outcome) -> None:
    result = replace(declined_rewording("The duplicate will be refunded soon."), llm_outcome=outcome,
                     llm_why="the words for the agent")
    note = db.llm_status(result)
    assert "(the words for the agent)" in note
    assert "drops a fact" not in note and "business day" not in note


def test_no_reason_given_when_the_result_has_none() -> None:
    result = replace(declined_rewording("The duplicate will be refunded soon."), llm_why="")
    assert "(no reason given)" in db.llm_status(result)


def test_the_notes_shown_leave_the_diagnostic_out() -> None:
    result = declined_rewording("The duplicate will be refunded soon.")
    assert any("drops a fact" in n for n in result.notes)  # kept for the audit trail
    assert not any("drops a fact" in n for n in db.other_notes(result))
