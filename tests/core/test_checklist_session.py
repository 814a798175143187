"""Live checklists in a call: the session's assistance runs them on final captions, the
`checklist` events are stored with the call (the events table, as the audit trail) before they
are shown, a tick by hand goes the same way, and the after-call note says what was done."""

from __future__ import annotations

import pytest
import test_session_failures as shared
from checklist_helpers import prepared
from fake_encoder import PASSAGES

from copilot.assist.pipeline import AssistPipeline
from copilot.assist.summary import CallSummarizer
from copilot.events import AfterCallNote, ChecklistEvent
from copilot.knowledge.base import KnowledgeBase
from copilot.store.db import CallStore

cap = shared.cap


@pytest.fixture
def make(monkeypatch):
    return shared.session_factory(monkeypatch)


@pytest.fixture
def store(tmp_path):
    with CallStore(tmp_path / "calls.sqlite3") as s:
        yield s


@pytest.fixture
def kb():
    with KnowledgeBase(PASSAGES) as base:
        yield base


def assist(kb, checklists):
    def build(clock, emit):
        return AssistPipeline(kb, clock, emit, summary=CallSummarizer(),
                              checklist=checklists.call())
    return build


def test_ticks_are_stored_with_the_call_and_shown_after_their_caption(make, store, kb, tmp_path):
    script = [cap("c1", 0.0, 3.0, "Hello, this call is recorded for quality purposes.",
                  channel="agent"),
              cap("c2", 3.5, 6.0, "Hi. I want to cancel my contract."),
              cap("c3", 6.5, 9.0, "Your last bill was fifty dollars.", channel="agent"),
              shared.stop_after()]
    s, events = make(script, store=store, assist=assist(kb, prepared(tmp_path)))
    result = s.run()
    shown = [e for e in events if isinstance(e, ChecklistEvent)]
    assert [(e.kind, e.item) for e in shown] == [
        ("items", ""), ("tick", "recorded"), ("applies", "retention"), ("tick", "account"),
        ("order", "account"), ("end", "")]
    order = [getattr(e, "id", "") or e.type for e in events]
    assert order.index("c1") < next(i for i, e in enumerate(events)
                                    if isinstance(e, ChecklistEvent) and e.kind == "tick")
    stored = [e for e in store.events(result.call_id) if e.type == "checklist"]
    assert [e.payload["kind"] for e in stored] == ["items", "tick", "applies", "tick", "order",
                                                   "end"]
    tick = stored[1].payload
    assert (tick["item"], tick["of"], tick["by"]) == ("recorded", "c1", "copilot")
    assert tick["words"] == "this call is recorded for quality purposes."
    assert stored[-1].payload["open"] == ["verify", "retention", "anything-else"]
    assert stored[1].at == tick["at"]


def test_a_tick_by_hand_is_stored_as_the_agents(make, store, kb, tmp_path):
    holder: dict = {}

    def tick_by_hand(transcriber) -> None:
        holder["session"].checklist_action("support", "verify", True)

    script = [cap("c1", 0.0, 2.0, "Hello.", channel="agent"), tick_by_hand,
              shared.stop_after()]
    s, _ = make(script, store=store, assist=assist(kb, prepared(tmp_path)))
    holder["session"] = s
    result = s.run()
    stored = [e.payload for e in store.events(result.call_id) if e.type == "checklist"]
    manual = [p for p in stored if p["kind"] == "tick"]
    assert manual == [{"type": "checklist", "kind": "tick", "checklist": "support",
                       "item": "verify", "by": "agent", "at": manual[0]["at"]}]
    end = stored[-1]
    assert next(i for i in end["items"] if i["id"] == "verify")["by"] == "agent"


def test_the_after_call_note_ends_with_the_checklist(make, store, kb, tmp_path):
    script = [cap("c1", 0.0, 3.0, "Is there anything else I can help you with?",
                  channel="agent"), shared.stop_after()]
    s, events = make(script, store=store, assist=assist(kb, prepared(tmp_path)))
    s.run()
    kinds = [e.type if not isinstance(e, ChecklistEvent) else e.kind for e in events]
    assert kinds.index("end") < kinds.index("after_call")  # the note is made after the end
    note = next(e for e in events if isinstance(e, AfterCallNote)).note
    assert "Checklist (Support call):" in note
    assert "- NOT DONE (required): Say the call is recorded" in note
    assert "- Done, recognized in the call (AI): Ask if there is anything else" in note
