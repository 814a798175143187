"""One record of a call in every view: `copilot calls show` prints the txt export itself, and both
list the drafts the agent had rephrased in the window's draft box among the other actions
(issue 15: `calls show` left them out)."""

from __future__ import annotations

from pathlib import Path

import pytest

from copilot.cli import main
from copilot.events import Caption
from copilot.paths import database_path
from copilot.store.db import CallStore
from copilot.store.export import rephrase_lines, to_txt
from copilot.store.rows import EventRow

# The events the window stores (ui/draft_flow.py; the shapes of docs/architecture.md).
ASKED = {"type": "rephrase", "draft": "we cant refund that its 600 dollars", "tone": "calm",
         "lang": "", "pack": "demo@1"}
SHOWN = {**ASKED, "id": "draft-1", "at": 20.0, "outcome": "shown", "seconds": 0.4,
         "text": "I understand. The refund is 600 dollars.", "text_en": "", "shown_lang": "en",
         "origin": "rules", "llm": "", "flagged": True,
         "unsupported": [{"kind": "amount", "text": "600 dollars"}],
         "facts": [{"kind": "amount", "text": "600 dollars", "supported": False,
                    "sources": []}], "sources": [], "notes": [], "rejected": []}
CHECKED = {**SHOWN, "id": "draft-2", "at": 30.0, "tone": "formal", "lang": "fr",
           "draft": "refunds take 5 days", "text": "Le remboursement prend 5 jours.",
           "flagged": False, "unsupported": [], "sources": ["BILL-01"],
           "facts": [{"kind": "duration", "text": "5 days", "supported": True,
                      "sources": ["BILL-01"]}]}
CANCELLED = {**ASKED, "id": "draft-3", "at": 40.0, "draft": "hold on", "outcome": "cancelled"}
FAILED = {**ASKED, "id": "draft-4", "at": 41.0, "draft": "one sec", "outcome": "failed",
          "error": "the knowledge base is still loading"}
COPIED = {"of": "draft-2", "action": "copied", "text": "Le remboursement prend 5 jours.",
          "flagged": False, "pack": "demo@1"}


def _events() -> list[EventRow]:
    rows = [("rephrase", SHOWN), ("rephrase", CHECKED), ("rephrase_action", COPIED),
            ("rephrase", CANCELLED), ("rephrase", FAILED)]
    return [EventRow(i, 7, kind, float(p.get("at", 35.0)), p)
            for i, (kind, p) in enumerate(rows, start=1)]


def test_each_rephrased_draft_is_one_line_saying_what_became_of_it() -> None:
    assert [line for _at, line in rephrase_lines(_events())] == [
        "[00:20.0] Agent rephrased (calm): we cant refund that its 600 dollars -> I understand. "
        "The refund is 600 dollars. (not in the knowledge base: 600 dollars)",
        "[00:30.0] Agent rephrased (formal, into fr): refunds take 5 days -> Le remboursement "
        "prend 5 jours. (facts checked: BILL-01; copied)",
        "[00:40.0] Agent rephrased (calm): hold on (cancelled)",
        "[00:41.0] Agent rephrased (calm): one sec (failed: the knowledge base is still loading)",
    ]


def test_the_txt_transcript_puts_them_among_the_captions() -> None:
    from copilot.store.rows import SegmentRow

    segments = [SegmentRow(1, 7, "c1", "customer", 10.0, 12.0, "en", "Where is my refund?"),
                SegmentRow(2, 7, "c2", "agent", 35.0, 38.0, "en", "It takes five days.")]
    drafts = [line for _at, line in rephrase_lines(_events())]
    assert to_txt(segments, _events()).splitlines() == [
        "[00:10.0] Customer: Where is my refund?", *drafts[:2],
        "[00:35.0] Agent: It takes five days.", *drafts[2:]]


@pytest.fixture
def stored_call(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setenv("COPILOT_HOME", str(tmp_path))
    with CallStore(database_path()) as store:
        call = store.start_call("demo.wav", title="Refund")
        store.add_segment(call, Caption("c1", True, "customer", 10.0, 12.0, 12.5, "en",
                                        "Where is my refund?"))
        for e in _events():
            store.add_event(call, e.type, e.at, e.payload)
        store.add_event(call, "after_call", 50.0, {"note": "Refund explained.",
                                                   "disposition": "resolved", "edited": False,
                                                   "saved": True})
        store.end_call(call)
    return call


def test_calls_show_lists_the_rephrased_drafts(stored_call: int, capsys) -> None:
    assert main(["calls", "show", str(stored_call)]) == 0
    shown = capsys.readouterr().out.splitlines()
    assert "[00:40.0] Agent rephrased (calm): hold on (cancelled)" in shown
    assert any(line.startswith("[00:30.0] Agent rephrased (formal, into fr)")
               and line.endswith("(facts checked: BILL-01; copied)") for line in shown)


def test_calls_show_prints_exactly_the_txt_export(stored_call: int, capsys) -> None:
    assert main(["calls", "show", str(stored_call)]) == 0
    shown = capsys.readouterr().out
    assert main(["calls", "export", str(stored_call), "--format", "txt"]) == 0
    assert capsys.readouterr().out == shown
    assert shown.startswith(f"Call {stored_call}\n  Title:       Refund\n")
    assert "  Disposition: resolved" in shown.splitlines()


def test_a_disposition_the_agent_did_not_save_is_shown_as_the_ais_guess() -> None:
    from copilot.store.export import disposition_text

    assert disposition_text({"disposition": "refund_issued", "edited": False,
                             "saved": False}) == \
        "refund_issued (AI guess, not confirmed by the agent)"
    assert disposition_text({"disposition": "refund_issued", "edited": False,
                             "saved": True}) == "refund_issued"
    assert disposition_text({"disposition": "resolved", "edited": True}) == "resolved"  # old
    assert disposition_text({"disposition": "", "saved": True}) == "-"
