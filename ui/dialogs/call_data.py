"""What the dialogs read from and write to the call database. Plain Python, no Qt.

Every function opens its own CallStore on the given path (with the settings' StoreOptions:
plain or encrypted, copilot/store/options.py), so it can run on a dialog's worker
thread beside the live session's writer (SQLite WAL: readers never wait for the writer, and a
write waits at most the store's busy timeout). The UI thread calls none of these directly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from copilot.events import AfterCallNote, Summary
from copilot.store import export
from copilot.store.db import CallStore
from copilot.store.options import StoreOptions
from copilot.store.rows import ACTIVE, CallRow, EventRow, SegmentRow
from ui.audit import SUGGESTION_ACTION


@dataclass(frozen=True)
class CallDetail:
    """One call as the history shows it."""

    call: CallRow
    segments: list[SegmentRow]
    summary: Summary | None  # the latest version
    note: AfterCallNote | None  # the latest note: the agent's saved one, or the draft
    translations: dict[str, str] = field(default_factory=dict)  # caption id -> text
    # The handoff notes of Transfer / escalate as they stand, in call order (the newest copy
    # or save of each note to each destination: copilot.store.export.handoffs, as exported).
    handoffs: list[EventRow] = field(default_factory=list)
    # The suggested lines the agent marked Used, in call order (ui/audit.py's records).
    lines_used: list[str] = field(default_factory=list)
    # (call time, line) for what the agent did during the call, worded by the exports
    # (copilot.store.export: questions to the knowledge base, rephrased drafts, handoffs), so
    # the history shows them as `copilot calls show` and the txt export do.
    actions: list[tuple[float, str]] = field(default_factory=list)


class CallIsActive(Exception):
    """The call is being recorded (or was left open by a crash not yet recovered)."""


def note_from_event(event: EventRow) -> AfterCallNote:
    p = event.payload
    edited = bool(p.get("edited", False))
    # Notes stored before "saved" existed: "edited" then meant saved by the agent.
    return AfterCallNote(note=str(p.get("note", "")), disposition=str(p.get("disposition", "")),
                         at=float(p.get("at", event.at)), edited=edited,
                         saved=bool(p.get("saved", edited)))


def summary_from_event(event: EventRow) -> Summary:
    p = event.payload
    sections = p.get("sections")
    return Summary(version=int(p.get("version", 0)),
                   sections=sections if isinstance(sections, dict) else {},
                   at=float(p.get("at", event.at)))


def latest(events: list[EventRow], type_: str) -> EventRow | None:
    """The newest summary or note: the last one written, as the exports pick it
    (copilot.store.export.newest: a note saved after the call may carry an earlier call-clock
    time than the session's draft, so `at` cannot decide)."""
    return export.newest(events, type_)


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def list_calls(db_path: Path, query: str = "",
               options: StoreOptions | None = None) -> list[CallRow]:
    """Stored calls, newest first. A query matches the title, the source or any transcript line
    (case-insensitive for ASCII letters, as SQLite's LIKE is)."""
    with CallStore(db_path, options=options) as store:
        calls = store.list_calls()
        query = query.strip()
        if query:
            pattern = _like(query)
            rows = store.conn.execute(
                "SELECT id FROM calls WHERE title LIKE ?1 ESCAPE '\\' OR source LIKE ?1 ESCAPE '\\' "
                "UNION SELECT call_id FROM segments WHERE text LIKE ?1 ESCAPE '\\'",
                (pattern,)).fetchall()
            wanted = {r[0] for r in rows}
            calls = [c for c in calls if c.id in wanted]
    return sorted(calls, key=lambda c: (c.started_at, c.id), reverse=True)


def load_detail(db_path: Path, call_id: int,
                options: StoreOptions | None = None) -> CallDetail | None:
    with CallStore(db_path, options=options) as store:
        call = store.get_call(call_id)
        if call is None:
            return None
        segments = store.segments(call_id)
        events = store.events(call_id)
    summary_event = latest(events, "summary")
    note_event = latest(events, "after_call")
    translations = {str(e.payload.get("of")): str(e.payload.get("text", ""))
                    for e in events if e.type == "translation" and e.payload.get("of")}
    return CallDetail(
        call=call, segments=segments,
        summary=summary_from_event(summary_event) if summary_event else None,
        note=note_from_event(note_event) if note_event else None,
        translations=translations, handoffs=export.handoffs(events),
        lines_used=[str(e.payload.get("text", ""))
                    for e in sorted(events, key=lambda e: (e.at, e.id))
                    if e.type == SUGGESTION_ACTION and e.payload.get("action") == "used"],
        actions=actions(events))


def actions(events: list[EventRow]) -> list[tuple[float, str]]:
    """The agent's actions among the transcript lines, in time order, each line as
    copilot.store.export words it ('[00:12.5] Agent asked: ... (shown: ROAM-01)'): the same
    kinds `export.to_txt` puts among the captions."""
    return export.mark_lines(events)


def save_note(db_path: Path, call_id: int, note: AfterCallNote,
              options: StoreOptions | None = None) -> int:
    """Store an after-call note as an event of the call; the newest one is the call's note."""
    with CallStore(db_path, options=options) as store:
        if store.get_call(call_id) is None:
            raise KeyError(f"call {call_id} is no longer stored (deleted?); the note was not saved")
        payload: dict[str, Any] = note.to_dict()
        return store.add_event(call_id, note.type, note.at, payload)


def delete_call(db_path: Path, call_id: int, options: StoreOptions | None = None) -> None:
    """Erase a call (CallStore.delete_call: rows, freed pages and the WAL)."""
    with CallStore(db_path, options=options) as store:
        call = store.get_call(call_id)
        if call is None:
            return  # already gone: the outcome the agent asked for
        if call.status == ACTIVE:
            raise CallIsActive(
                f"call {call_id} is still being recorded; end it before deleting it")
        store.delete_call(call_id)


def export_call(db_path: Path, call_id: int, fmt: str, out: Path,
                options: StoreOptions | None = None) -> Path:
    """Write one call in one of copilot.store.export.FORMATS; returns the file written."""
    if fmt not in export.FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; choose one of {', '.join(export.FORMATS)}")
    with CallStore(db_path, options=options) as store:
        call = store.get_call(call_id)
        if call is None:
            raise KeyError(f"call {call_id} is no longer stored")
        text = export.render(fmt, call, store.segments(call_id), store.events(call_id))
    try:
        out.write_text(text, encoding="utf-8")
    except OSError as e:
        raise OSError(f"cannot write {out}: {e.strerror or e}") from e
    return out
