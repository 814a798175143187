"""A real call database for the dialog tests, filled from the shared test calls' exact turns."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from copilot.events import AfterCallNote, Caption, Summary
from copilot.store.db import CallStore

NOW = datetime(2025, 6, 30, 12, 0, tzinfo=UTC)
CALLS = ("billing_refund", "cancel_french", "device_limit")  # oldest first

SUMMARIES = {
    "billing_refund": {"reason": "Charged twice for the phone bill", "facts": ["Amount: 49 dollars"],
                       "actions": ["Agent filed a billing correction"], "next": ["Email when done"]},
    "cancel_french": {"reason": "Wants to cancel the plan", "facts": ["Fee: cancellation fee"],
                      "actions": [], "next": []},
    "device_limit": {"reason": "Asked how many devices a plan allows", "facts": [],
                     "actions": ["Agent explained the plan"], "next": []},
}


def fill(db: Path, testdata: Path) -> dict[str, int]:
    """One call per name in CALLS (a day apart), each with its turns as segments, the customer's
    translations, a summary and an AI draft note. Returns name -> call id."""
    ids: dict[str, int] = {}
    with CallStore(db) as store:
        for n, name in enumerate(CALLS):
            doc = json.loads((testdata / "calls" / f"{name}.json").read_text("utf-8"))
            started = NOW - timedelta(days=len(CALLS) - n)
            call = store.start_call(f"/calls/{name}.wav", title=doc["title"], started_at=started)
            for i, t in enumerate(doc["turns"]):
                store.add_segment(call, Caption(f"c{i}", True, t["speaker"], t["start"], t["end"],
                                                t["end"] + 0.5, t["lang"], t["text"]))
                if t["speaker"] == "customer" and t["lang"] != "en":
                    store.add_event(call, "translation", t["end"] + 1,
                                    {"of": f"c{i}", "lang": "en", "text": f"[en] {t['text']}"})
            end = doc["turns"][-1]["end"]
            summary = Summary(version=2, sections=SUMMARIES[name], at=end)
            store.add_event(call, "summary", 5.0, Summary(1, {"reason": "stale"}, 5.0).to_dict())
            store.add_event(call, "summary", end, summary.to_dict())
            draft = AfterCallNote(f"Draft note for {name}.", "information_given", end + 1)
            store.add_event(call, "after_call", draft.at, draft.to_dict())
            store.end_call(call)
            # end_call stamps the wall clock; give each call its real length.
            ended = started + timedelta(seconds=end)
            store.conn.execute("UPDATE calls SET ended_at = ? WHERE id = ?",
                               (ended.isoformat(timespec="milliseconds"), call))
            ids[name] = call
    return ids


def notes(db: Path, call_id: int) -> list[dict]:
    with CallStore(db) as store:
        events = sorted(store.events(call_id), key=lambda e: e.id)  # in the order written
        return [e.payload for e in events if e.type == "after_call"]


def disk_bytes(db: Path) -> bytes:
    return b"".join(Path(f"{db}{s}").read_bytes() for s in ("", "-wal", "-shm")
                    if Path(f"{db}{s}").exists())
