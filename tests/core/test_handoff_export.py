"""A call's handoff notes in `copilot calls export` (txt and JSON) and `copilot calls show`: each
note as it stands (the newest copy or save of it), where it went, when, and who last touched it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from copilot.assist.handoff import HandoffTracker
from copilot.cli import main
from copilot.events import AfterCallNote, Caption, Summary
from copilot.paths import database_path
from copilot.store.db import CallStore
from copilot.store.export import handoffs, to_txt

SUMMARY = Summary(2, {"reason": "Charged twice for the phone bill",
                      "facts": ["Account number: 742931"], "actions": [], "next": [],
                      "open": ["How long will the refund take?"]}, 20.0)


@pytest.fixture
def call(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> int:
    """A stored call whose note was copied, edited and saved, then sent on to a supervisor."""
    monkeypatch.setenv("COPILOT_HOME", str(tmp_path))
    tracker = HandoffTracker()
    tracker.feed(SUMMARY)
    draft = tracker.note("Billing team", 30.0, "handoff-1")
    copied = {**draft.to_dict(), "action": "copied", "at": 31.0}
    saved = {**copied, "action": "saved", "edited": True, "at": 33.5,
             "note": draft.note.replace("- (none)", "- Customer prefers email", 1)}
    escalated = {**saved, "destination": "Supervisor", "at": 52.0,
                 "note": saved["note"].replace("Billing team", "Supervisor")}
    with CallStore(database_path()) as store:
        call_id = store.start_call("calls/billing.wav", title="Billing refund")
        store.add_segment(call_id, Caption("c1", True, "customer", 6.4, 12.9, 13.6, "en",
                                           "I was charged twice."))
        store.add_segment(call_id, Caption("c2", True, "agent", 40.0, 43.0, 43.5, "en",
                                           "Let me get my supervisor."))
        store.add_event(call_id, "summary", SUMMARY.at, SUMMARY.to_dict())
        for payload in (copied, saved, escalated):
            store.add_event(call_id, "handoff", payload["at"], payload)
        note = AfterCallNote("Reason for the call: charged twice", "escalated", 60.0)
        store.add_event(call_id, "after_call", note.at, note.to_dict())
        store.end_call(call_id)
    return call_id


def test_each_note_stands_as_last_kept_per_destination(call: int) -> None:
    with CallStore(database_path()) as store:
        kept = handoffs(store.events(call))
    assert [(h.payload["destination"], h.payload["action"], h.at) for h in kept] == [
        ("Billing team", "saved", 33.5), ("Supervisor", "saved", 52.0)]


def test_txt_export_places_the_handoffs_in_the_call_and_prints_the_notes(call: int) -> None:
    with CallStore(database_path()) as store:
        text = to_txt(store.segments(call), store.events(call))
    lines = text.splitlines()
    order = [i for i, line in enumerate(lines) if line.startswith("[")]
    assert [lines[i] for i in order] == [
        "[00:06.4] Customer: I was charged twice.",
        "[00:33.5] Handoff to Billing team (edited and saved by the agent)",
        "[00:40.0] Agent: Let me get my supervisor.",
        "[00:52.0] Handoff to Supervisor (edited and saved by the agent)",
    ]
    first = lines.index("Handoff note to Billing team at 00:33.5 (edited and saved by the "
                        "agent):")
    assert lines[first + 1] == "  Handoff to: Billing team"
    assert "  Reason for the call: Charged twice for the phone bill" in lines
    assert "  - Account number: 742931" in lines
    assert "  - Customer prefers email" in lines  # the agent's edit, not the draft
    assert first < lines.index("Disposition: escalated (AI guess, not confirmed by the agent)")


def test_calls_export_and_show_include_the_note(call: int, tmp_path: Path,
                                                capsys: pytest.CaptureFixture) -> None:
    out = tmp_path / "call.json"
    assert main(["calls", "export", str(call), "--out", str(out)]) == 0
    doc = json.loads(out.read_text("utf-8"))
    notes = [e for e in doc["events"] if e["type"] == "handoff"]
    assert len(notes) == 3 and notes[-1]["payload"]["destination"] == "Supervisor"
    assert notes[-1]["payload"]["note"].startswith("Handoff to: Supervisor\n")
    assert main(["calls", "export", str(call), "--format", "txt"]) == 0
    assert "Handoff note to Supervisor at 00:52.0" in capsys.readouterr().out
    assert main(["calls", "show", str(call)]) == 0
    shown = capsys.readouterr().out
    assert "[00:33.5] Handoff to Billing team (edited and saved by the agent)" in shown
    assert "  - Customer prefers email" in shown


def test_the_copilots_draft_says_it_was_not_reviewed() -> None:
    from copilot.store.rows import EventRow

    draft = HandoffTracker().note("Technical support", 12.0).to_dict()
    text = to_txt([], [EventRow(1, 1, "handoff", 12.0, draft)])
    assert "[00:12.0] Handoff to Technical support (the copilot's draft, not reviewed)" in text
    assert "Handoff note to Technical support at 00:12.0 (the copilot's draft, not reviewed):" \
        in text


def test_the_export_and_the_history_pick_the_same_note(call: int) -> None:
    """A note saved after the call may carry an earlier call time than the session's draft: the
    newest written is the call's note, in the exports as in the window's history."""
    from ui.dialogs import call_data  # plain Python, no Qt

    with CallStore(database_path()) as store:
        late_draft = AfterCallNote("Draft written at the very end", "other", 90.0)
        store.add_event(call, "after_call", late_draft.at, late_draft.to_dict())
        saved = AfterCallNote("Refund filed; transferred to billing.", "transferred", 61.0,
                              edited=True, saved=True)
        store.add_event(call, "after_call", saved.at, saved.to_dict())
        text = to_txt(store.segments(call), store.events(call))
    shown = call_data.load_detail(database_path(), call)
    assert shown is not None and shown.note is not None
    assert shown.note.note == "Refund filed; transferred to billing."
    assert "Disposition: transferred" in text
    assert "  Refund filed; transferred to billing." in text
    assert "Draft written at the very end" not in text
    assert [h.payload["destination"] for h in shown.handoffs] == ["Billing team", "Supervisor"]
