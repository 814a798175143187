"""A small real desk for the report tests (tests/core/test_report.py, tests/e2e/test_report_cli.py):
calls written through CallStore's API with every kind of event the session and the window store,
each text carrying a marker word that must never reach a report or an export."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

from copilot.events import Caption
from copilot.store.db import CallStore
from copilot.store.rows import INTERRUPTED

# Words that are only in texts: captions, notes, titles, sources, lines, answers, questions...
MARKERS = {
    "caption": "zebraquartz", "title": "Jolantha", "source": "brightwater", "note": "marmalade",
    "summary": "periwinkle", "line": "saffronline", "answer": "tangerinecard",
    "question": "quokkaquestion", "draft": "wombatdraft", "signal": "hedgehogword",
    "translation": "narwhaltrans", "notice": "axolotlnotice", "copied": "capybaracopy",
}
M = MARKERS


def _line(of: str, rank: int, origin: str, sources: list[str], *, grounded: bool = True,
          at: float = 0.0, **extra) -> dict:
    return {"type": "suggestion", "of": of, "text": f"{M['line']} {rank}", "sources": sources,
            "grounded": grounded, "at": at, "origin": origin, "rank": rank, "translation": "",
            "translation_lang": "", "pack": "demo@1", **extra}


def _card(of: str, *ids: tuple[str, str, bool], at: float = 0.0) -> dict:
    return {"type": "knowledge", "of": of, "at": at, "passages": [
        {"id": i, "title": t, "score": 5.0, "answer": f"{M['answer']} {i}", "confident": c}
        for i, t, c in ids]}


def full_call(store: CallStore, started: datetime) -> int:
    """Every kind of event. Figures: 3 lines shown (one updated), 1 abstention, copied 1, used 1
    (the same line: 1 taken), dismissed 1; 3 cards, 1 dismissed, 1 opened, 1 copied; 1 search,
    1 rephrase; 3 signals, peak frustration 0.6, 1 escalation; the saved note: refund_issued."""
    cid = store.start_call(f"/home/agent/{M['source']} refund.wav", title=f"{M['title']} refund",
                           meta={"channels": ["agent", "customer"]}, started_at=started)
    store.add_segment(cid, Caption("c1", True, "customer", 0.5, 3.0, 3.2, "en",
                                   f"I want a refund {M['caption']}"))
    store.add_segment(cid, Caption("c2", True, "customer", 4.0, 6.0, 6.2, "en",
                                   f"and the {M['caption']} fee"))
    add = store.add_event
    add(cid, "translation", 3.3, {"type": "translation", "of": "c1", "lang": "en",
                                  "text": M["translation"], "at": 3.3, "engine": "ct2"})
    add(cid, "knowledge", 3.4, _card("c1", ("BILL-01", "Refunds", True),
                                     ("BILL-02", "Late fees", False), at=3.4))
    add(cid, "suggestion", 3.5, _line("c1", 1, "approved_line", ["BILL-01"], at=3.5))
    add(cid, "suggestion", 3.6, _line("c1", 2, "adapted", ["BILL-01", "BILL-03"], at=3.6))
    add(cid, "suggestion", 4.0, _line("c1", 1, "approved_line", ["BILL-01"], at=4.0,
                                      translation=M["translation"], translation_lang="es"))
    add(cid, "signal", 6.3, {"type": "signal", "of": "c2", "kind": "frustration", "level": 0.6,
                             "words": [M["signal"]], "at": 6.3})
    add(cid, "signal", 6.4, {"type": "signal", "of": "c2", "kind": "escalation", "level": 0.9,
                             "words": [M["signal"]], "at": 6.4})
    add(cid, "signal", 9.0, {"type": "signal", "of": "c3", "kind": "frustration", "level": 0.3,
                             "words": [], "at": 9.0})
    add(cid, "suggestion", 6.5, _line("c2", 1, "abstain", [], grounded=False, at=6.5))
    add(cid, "notice", 7.0, {"type": "notice", "kind": "audio_dropped", "message": M["notice"],
                             "at": 7.0})
    # the window's audit trail (ui/audit.py)
    action = {"of": "c1", "text": f"{M['line']} 1", "sources": ["BILL-01"], "rank": 1,
              "origin": "approved_line", "grounded": True, "pack": "demo@1"}
    add(cid, "suggestion_action", 8.0, {**action, "action": "copied"})
    add(cid, "suggestion_action", 8.1, {**action, "action": "used"})
    add(cid, "suggestion_action", 8.2, {**action, "rank": 2, "origin": "adapted",
                                        "sources": ["BILL-01", "BILL-03"], "action": "dismissed"})
    add(cid, "knowledge_action", 8.3, {"of": "c1", "passage": "BILL-02", "title": "Late fees",
                                       "action": "dismissed", "pack": "demo@1"})
    add(cid, "knowledge_action", 8.4, {"passage": "BILL-01", "action": "opened",
                                       "pack": "demo@1"})
    add(cid, "ask", 10.0, {"type": "ask", "id": "ask-1", "question": M["question"], "at": 10.0})
    add(cid, "knowledge", 10.1, _card("ask-1", ("BILL-03", "Roaming", True), at=10.1))
    add(cid, "suggestion", 10.2, _line("ask-1", 1, "approved_line", ["BILL-03"], at=10.2))
    add(cid, "knowledge_action", 10.5, {"of": "ask-1", "passage": "BILL-03", "title": "Roaming",
                                        "action": "copied", "text": M["copied"],
                                        "pack": "demo@1"})
    add(cid, "rephrase", 11.0, {"type": "rephrase", "id": "draft-1", "draft": M["draft"],
                                "tone": "calm", "lang": "en", "at": 11.0, "outcome": "shown",
                                "text": M["draft"], "pack": "demo@1"})
    add(cid, "rephrase_action", 11.5, {"of": "draft-1", "action": "copied", "text": M["draft"],
                                       "flagged": False, "pack": "demo@1"})
    add(cid, "summary", 12.0, {"type": "summary", "version": 1, "at": 12.0, "sections": {
        "reason": M["summary"], "facts": [M["summary"]], "actions": [], "open": [], "next": [],
        "sources": ["BILL-01"], "earlier": []}})
    add(cid, "after_call", 13.0, {"type": "after_call", "note": M["note"],
                                  "disposition": "billing_question", "at": 13.0,
                                  "edited": False, "saved": False})
    add(cid, "after_call", 14.0, {"type": "after_call", "note": f"{M['note']} reviewed",
                                  "disposition": "refund_issued", "at": 14.0, "edited": True,
                                  "saved": True})
    store.end_call(cid)
    return cid


def quiet_call(store: CallStore, started: datetime) -> int:
    """A call with captions only: no assistance, no note."""
    cid = store.start_call("mic + loopback", title="", started_at=started)
    store.add_segment(cid, Caption("c1", True, "agent", 0.0, 2.0, 2.1, "en",
                                   f"hello {M['caption']}"))
    store.end_call(cid)
    return cid


def interrupted_call(store: CallStore, started: datetime) -> int:
    cid = store.start_call(f"{M['source']}.wav", title=M["title"], started_at=started)
    store.add_event(cid, "knowledge", 1.0, _card("c1", ("BILL-02", "Late fees", True), at=1.0))
    store.add_event(cid, "knowledge_action", 2.0, {"of": "c1", "passage": "BILL-02",
                                                   "title": "Late fees", "action": "dismissed"})
    store.add_event(cid, "after_call", 3.0, {"type": "after_call", "note": M["note"],
                                             "disposition": "callback", "at": 3.0,
                                             "edited": False, "saved": True})
    store.end_call(cid, INTERRUPTED)
    return cid


def make_desk(db: Path, now: datetime | None = None) -> dict[str, int]:
    """Three ended calls: full (2 days ago), quiet (1 day ago), interrupted (3 hours ago).
    Returns their ids by name."""
    now = now or datetime.now(UTC)
    with CallStore(db) as store:
        return {"full": full_call(store, now - timedelta(days=2)),
                "quiet": quiet_call(store, now - timedelta(days=1)),
                "interrupted": interrupted_call(store, now - timedelta(hours=3))}


@contextmanager
def desk_with_a_live_call(db: Path, now: datetime | None = None) -> Iterator[dict[str, int]]:
    """make_desk's calls, and a fourth still being recorded ("active": never reported) for as
    long as this holds its store open, as a live session does (a store opened elsewhere marks a
    call whose recording process is gone interrupted)."""
    ids = make_desk(db, now)
    store = CallStore(db)
    try:
        ids["active"] = store.start_call("live", title=M["title"],
                                         started_at=(now or datetime.now(UTC))
                                         - timedelta(minutes=5))
        yield ids
    finally:
        store.close()


def test_the_desk_has_what_the_report_tests_rely_on(tmp_path):
    with desk_with_a_live_call(tmp_path / "calls.sqlite3") as ids, \
            CallStore(tmp_path / "calls.sqlite3") as store:
        calls = {c.id: c for c in store.list_calls()}
        assert calls[ids["active"]].status == "active"
        assert calls[ids["interrupted"]].status == "interrupted"
        types = {e.type for e in store.events(ids["full"])}
    assert {"suggestion", "knowledge", "signal", "after_call", "ask", "rephrase", "summary",
            "suggestion_action", "knowledge_action", "notice", "translation"} <= types
