"""The history dialog shows the record `copilot calls show` prints (copilot/store/export.py): the
agent's questions to the knowledge base and the drafts rephrased in the draft box among the
transcript lines, and a header that says the call's status plainly and counts its lines in
words ("1 line")."""

from __future__ import annotations

from pathlib import Path

import pytest

from copilot.events import Caption
from copilot.store import export
from copilot.store.db import CallStore
from copilot.store.rows import INTERRUPTED
from ui.dialogs.history import HistoryDialog

QUESTION = "can they roam in Mexico"
ASK = {"type": "ask", "id": "ask-1", "question": QUESTION, "at": 12.5}
CARDS = {"type": "knowledge", "of": "ask-1", "at": 12.6,
         "passages": [{"id": "ROAM-01", "title": "Roaming"}]}
FAILED_ASK = {"type": "ask", "id": "ask-2", "question": "late fee", "at": 14.0, "error": "boom"}
DRAFT = {"type": "rephrase", "id": "draft-1", "at": 20.0, "draft": "refunds take 5 days",
         "tone": "formal", "lang": "", "outcome": "shown",
         "text": "The refund takes 5 business days.", "flagged": False, "unsupported": [],
         "sources": ["BILL-01"],
         "facts": [{"kind": "duration", "text": "5 days", "supported": True,
                    "sources": ["BILL-01"]}]}
COPIED = {"of": "draft-1", "action": "copied", "text": "The refund takes 5 business days."}
CANCELLED = {"type": "rephrase", "id": "draft-2", "at": 40.0, "draft": "hold on",
             "tone": "calm", "lang": "", "outcome": "cancelled"}


@pytest.fixture
def stored(tmp_path: Path) -> tuple[Path, int]:
    """One interrupted call: a customer line at 10 s, the agent's line at 30 s, and between
    and after them two questions to the knowledge base and two rephrasings."""
    db = tmp_path / "calls.sqlite3"
    with CallStore(db) as store:
        call = store.start_call("/calls/roaming.wav", title="Roaming question")
        store.add_segment(call, Caption("c1", True, "customer", 10.0, 12.0, 12.5, "en",
                                        "Can I use my phone in Mexico?"))
        store.add_segment(call, Caption("c2", True, "agent", 30.0, 33.0, 33.5, "en",
                                        "Yes, with the Travel Day Pass."))
        for kind, payload in (("ask", ASK), ("knowledge", CARDS), ("ask", FAILED_ASK),
                              ("rephrase", DRAFT), ("rephrase_action", COPIED),
                              ("rephrase", CANCELLED)):
            store.add_event(call, kind, float(payload.get("at", 21.0)), payload)
        store.end_call(call, INTERRUPTED)
    return db, call


def opened(qtbot, db: Path) -> HistoryDialog:
    d = HistoryDialog(db)
    qtbot.addWidget(d)
    with qtbot.waitSignals([d.calls_loaded, d.detail_loaded]):
        d.show()
    return d


def _marks(db: Path, call_id: int) -> list[tuple[float, str]]:
    with CallStore(db) as store:
        events = store.events(call_id)
    return [*export.ask_lines(events), *export.rephrase_lines(events)]


def test_the_transcript_lists_the_agents_questions_and_rephrasings_as_calls_show_does(
        qtbot, stored) -> None:
    db, call_id = stored
    d = opened(qtbot, db)
    text = d.transcript.toPlainText()
    marks = _marks(db, call_id)
    assert len(marks) == 4
    for at, line in marks:
        clock = export.clock(at)
        said = line.removeprefix(f"[{clock}] ")
        assert said != line and said in text, said
        assert clock in text
    assert f"Agent asked: {QUESTION} (shown: ROAM-01)" in text
    assert "Agent asked: late fee (search failed)" in text
    assert ("Agent rephrased (formal): refunds take 5 days -> The refund takes 5 business days. "
            "(facts checked: BILL-01; copied)") in text
    assert "Agent rephrased (calm): hold on (cancelled)" in text
    # In call order among the captions, as the txt export puts them.
    order = [text.index(s) for s in ("Can I use my phone in Mexico?", QUESTION, "late fee",
                                     "refunds take 5 days", "Yes, with the Travel Day Pass.",
                                     "hold on")]
    assert order == sorted(order)


def test_the_header_says_the_status_plainly_and_counts_lines_in_words(qtbot, stored) -> None:
    db, _call_id = stored
    d = opened(qtbot, db)
    header = d.header.text()
    assert export.status_text(INTERRUPTED) in header
    assert "cut off before the call ended" in header
    assert "2 lines" in header


def test_one_line_is_one_line(qtbot, tmp_path: Path) -> None:
    db = tmp_path / "calls.sqlite3"
    with CallStore(db) as store:
        call = store.start_call("/calls/short.wav", title="Short call")
        store.add_segment(call, Caption("c1", True, "agent", 1.0, 2.0, 2.5, "en", "Hello."))
        store.end_call(call)
    d = opened(qtbot, db)
    header = d.header.text()
    assert "1 line" in header and "1 lines" not in header
    assert "completed" in header


def test_questions_asked_in_a_call_without_captions_are_still_shown(qtbot, tmp_path) -> None:
    db = tmp_path / "calls.sqlite3"
    with CallStore(db) as store:
        call = store.start_call("/calls/silent.wav", title="Silent call")
        store.add_event(call, "ask", 5.0, {**ASK, "at": 5.0})
        store.end_call(call)
    d = opened(qtbot, db)
    text = d.transcript.toPlainText()
    assert f"Agent asked: {QUESTION} (no card)" in text
    assert "0 lines" in d.header.text()


def test_a_call_still_recording_says_so_alike_in_the_list_and_the_header(qtbot, tmp_path):
    # The walk-through: "recording" in the list, "active (still being recorded)" above the
    # transcript, for one call.
    db = tmp_path / "calls.sqlite3"
    with CallStore(db) as store:
        store.start_call("/calls/live.wav", title="Live call")
        d = opened(qtbot, db)
        assert d.list.topLevelItem(0).text(3) == "recording"
        assert "recording (the call is still going on)" in d.header.text()
