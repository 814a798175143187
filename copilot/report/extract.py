"""A desk's calls as metrics: the stored calls and events turned into the three tables of
copilot/report/schema.py, keeping only what that schema allows (ids, codes, counts, times).

Reads through the store's public API (CallStore.list_calls / events). Calls still in progress
are left out: their figures are not final (the next export takes them).

A suggested line or a knowledge card counts once per call: the same line (its words and sources)
offered again for a later question, or a passage's card shown again, is a `repeated` row, not
another line or card shown. The words only tell lines apart here; they are never exported.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from typing import Any

import pyarrow as pa

from copilot.report import schema as S
from copilot.store.rows import ACTIVE, CallRow, EventRow

SUGGESTION_ACTION = "suggestion_action"  # the window's audit records (ui/audit.py)
KNOWLEDGE_ACTION = "knowledge_action"
AGENT_ACTIONS = ("copied", "used", "dismissed", "opened")
ABSTAIN = "abstain"  # copilot/assist/suggest.py


@dataclass(frozen=True)
class Who:
    """The labels every row carries: the desk id the site chose, and optional agent and team."""

    desk_id: str
    agent: str | None = None
    team: str | None = None


@dataclass
class Metrics:
    """The three tables (pyarrow, in the schema's types)."""

    calls: pa.Table
    events: pa.Table
    checklist: pa.Table

    def table(self, name: str) -> pa.Table:
        return {S.CALLS: self.calls, S.EVENTS: self.events, S.CHECKLIST: self.checklist}[name]


def _time(iso: str | None) -> datetime | None:
    if not iso:
        return None
    try:
        t = datetime.fromisoformat(iso)
    except ValueError:
        return None
    return t if t.tzinfo else t.replace(tzinfo=UTC)


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _code(value: Any) -> str | None:
    """A disposition code as configured (`assist.disposition_codes`); anything longer than a
    code or over several lines is not one and is not exported as written."""
    text = _str(value)
    if text is None:
        return None
    return text if len(text) <= 64 and text.isprintable() else "(not a code)"


def _trigger(ref: str | None) -> str | None:
    if ref is None:
        return None
    return "ask" if ref.startswith("ask-") else "caption"


def _ids(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value] if value else []
    if isinstance(value, list | tuple):
        return [v for v in value if isinstance(v, str) and v]
    return []


def _words(value: Any) -> str:
    """A line's words as compared to tell lines apart (case and spacing aside); "" for none."""
    return " ".join(value.casefold().split()) if isinstance(value, str) else ""


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _float(value: Any) -> float | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return None


class _Call:
    """One call's rows and counters, filled event by event (in the store's order: at, id)."""

    def __init__(self, call: CallRow, who: Who, started: datetime, tz: tzinfo | None) -> None:
        self.call = call
        local = started.astimezone(tz)
        self.base = {"desk_id": who.desk_id, "agent": who.agent, "team": who.team,
                     "call_id": call.id, "started_at": started, "day": local.date()}
        self.hour = local.hour
        self.events: list[dict[str, Any]] = []
        self.n: dict[str, int] = {c.name: 0 for c in S.CALL_COLUMNS
                                   if c.type == pa.int32() and not c.nullable}
        self.lines: set[tuple[str, int]] = set()  # (ref, rank) of the lines shown
        # (ref, rank) -> the line it showed: the first (ref, rank) that showed the same words
        # with the same sources, so a line offered again counts once per call.
        self.line_of: dict[tuple[str, int], tuple[str, int]] = {}
        self.line_by_words: dict[tuple[str, tuple[str, ...]], tuple[str, int]] = {}
        self.shown_lines: set[tuple[str, int]] = set()  # (ref, rank) of each line counted shown
        self.lines_taken: set[tuple[str, int]] = set()
        self.cards: set[str] = set()  # passages whose card was shown
        self.frustration: float | None = None
        self.offer = False
        self.note: dict[str, Any] | None = None
        self.pack: str | None = None
        # (checklist, item) -> its state at hang-up (the `end` event), then ticks by hand after
        # it (the window keeps those through its audit trail).
        self.items: dict[tuple[str, str], dict[str, Any]] = {}
        self.after: dict[tuple[str, str], str] = {}  # an ordered item -> the item it comes after
        self.item_text: dict[tuple[str, str], str] = {}  # an item -> its checklist's words
        self.item_place: dict[tuple[str, str], int] = {}  # an item -> 1 for its list's first
        self.titles: dict[str, str] = {}  # a checklist -> its title, as the call began
        self.ended: set[str] = set()  # checklists whose `end` event was seen

    def _row(self, e: EventRow, kind: str, action: str, *, item: int = 0,
             ref: str | None = None, rank: int | None = None, origin: str | None = None,
             grounded: bool | None = None, passages: list[str] | None = None,
             title: str | None = None, confident: bool | None = None,
             pack: str | None = None) -> None:
        self.events.append({**self.base, "event_id": e.id, "item": item, "at": float(e.at),
                            "kind": kind, "action": action, "ref": ref,
                            "trigger": _trigger(ref), "rank": rank, "origin": origin,
                            "grounded": grounded, "passages": passages or [],
                            "passage_title": title, "confident": confident, "pack": pack})
        if pack and self.pack is None:
            self.pack = pack

    def add(self, e: EventRow) -> None:
        p = e.payload if isinstance(e.payload, dict) else {}
        handler = _HANDLERS.get(e.type)
        if handler is not None:
            handler(self, e, p)

    # -- the event types (docs/architecture.md "Event contracts"; ui/audit.py) --

    def suggestion(self, e: EventRow, p: dict[str, Any]) -> None:
        ref, rank = _str(p.get("of")), _int(p.get("rank")) or 1
        origin = _str(p.get("origin"))
        key = (ref or "", rank)
        abstained = origin == ABSTAIN
        sources = _ids(p.get("sources"))
        if key in self.lines:
            action = "updated"  # the same line again: translated, or reworded by the LLM
        else:
            self.lines.add(key)
            words = _words(p.get("text"))
            first = self.line_by_words.get((words, tuple(sorted(sources)))) if words else None
            if abstained:
                action = "abstained"  # each question left without a line is an abstention
                self.n["abstentions"] += 1
            elif first is not None:
                action = "repeated"  # offered earlier in this call: one line, counted once
                self.line_of[key] = first
            else:
                action = "shown"
                self.n["suggestions_shown"] += 1
                self.shown_lines.add(key)
                if words:
                    self.line_by_words[(words, tuple(sorted(sources)))] = key
        grounded = p.get("grounded")
        self._row(e, "suggestion", action, ref=ref, rank=rank, origin=origin,
                  grounded=grounded if isinstance(grounded, bool) else None,
                  passages=sources, pack=_str(p.get("pack")))

    def knowledge(self, e: EventRow, p: dict[str, Any]) -> None:
        ref = _str(p.get("of"))
        passages = p.get("passages")
        for i, card in enumerate(passages if isinstance(passages, list) else []):
            if not isinstance(card, dict) or not _str(card.get("id")):
                continue
            action = "repeated" if card["id"] in self.cards else "shown"  # once per call
            if action == "shown":
                self.cards.add(card["id"])
                self.n["knowledge_shown"] += 1
            confident = card.get("confident", True)
            self._row(e, "knowledge", action, item=i, ref=ref, passages=[card["id"]],
                      title=_str(card.get("title")),
                      confident=confident if isinstance(confident, bool) else None)

    def suggestion_action(self, e: EventRow, p: dict[str, Any]) -> None:
        action = p.get("action")
        if action not in AGENT_ACTIONS:
            return
        ref, rank = _str(p.get("of")), _int(p.get("rank")) or 1
        if action in ("copied", "used", "dismissed"):
            self.n[f"suggestions_{action}"] += 1
        if action in ("copied", "used"):
            key = (ref or "", rank)
            self.lines_taken.add(self.line_of.get(key, key))
        grounded = p.get("grounded")
        self._row(e, "suggestion", action, ref=ref, rank=rank, origin=_str(p.get("origin")),
                  grounded=grounded if isinstance(grounded, bool) else None,
                  passages=_ids(p.get("sources")), pack=_str(p.get("pack")))

    def knowledge_action(self, e: EventRow, p: dict[str, Any]) -> None:
        action = p.get("action")
        if action not in AGENT_ACTIONS:
            return
        self.n[f"knowledge_{action}"] += 1
        self._row(e, "knowledge", action, ref=_str(p.get("of")),
                  passages=_ids(p.get("passage")), title=_str(p.get("title")),
                  pack=_str(p.get("pack")))

    def signal(self, e: EventRow, p: dict[str, Any]) -> None:
        self.n["signals"] += 1
        kind, level = p.get("kind"), _float(p.get("level"))
        if kind == "frustration" and level is not None:
            self.frustration = max(self.frustration or 0.0, min(1.0, max(0.0, level)))
        elif kind == "escalation":
            self.n["escalation_signals"] += 1
        elif kind == "offer_escalation":
            self.offer = True

    def after_call(self, e: EventRow, p: dict[str, Any]) -> None:
        self.note = p  # the newest one is the call's note

    def ask(self, e: EventRow, p: dict[str, Any]) -> None:
        self.n["asks"] += 1

    def checklist(self, e: EventRow, p: dict[str, Any]) -> None:
        """The `end` event holds every item's state (copilot/assist/checklist/); a tick or
        untick by the agent after it (the wrap-up) changes that state. Items that never came up
        (a conditional one) are not rows: they were not to be done."""
        name, kind = _str(p.get("checklist")), p.get("kind")
        if name is None:
            return
        if kind == "items":  # the checklist as the call began: its words, and the order
            if _str(p.get("text")):
                self.titles[name] = p["text"]
            for place, it in enumerate(p.get("items") if isinstance(p.get("items"), list)
                                       else [], 1):
                if not isinstance(it, dict) or not _str(it.get("id")):
                    continue
                self.item_place[(name, it["id"])] = place
                if _str(it.get("after")):
                    self.after[(name, it["id"])] = it["after"]
                if _str(it.get("text")):
                    self.item_text[(name, it["id"])] = it["text"]
        elif kind == "end":
            self.ended.add(name)
            items = p.get("items")
            for it in items if isinstance(items, list) else []:
                if not isinstance(it, dict) or not _str(it.get("id")):
                    continue
                done = it.get("done") is True
                self.items[(name, it["id"])] = {
                    "required": it.get("required") is not False,
                    "applies": it.get("applies") is not False, "done": done,
                    "done_at": _float(it.get("at")) if done else None,
                    "done_by": _by(it.get("by")) if done else None,
                    "flagged": it.get("out_of_order") is True}
        elif kind in ("tick", "untick") and name in self.ended and p.get("by") == "agent":
            state = self.items.get((name, _str(p.get("item")) or ""))
            if state is not None:
                done = kind == "tick"
                state.update(done=done, applies=state["applies"] or done,
                             done_at=float(e.at) if done else None,
                             done_by="agent" if done else None)

    def checklist_rows(self) -> list[dict[str, Any]]:
        return [{**self.base, "checklist": name, "checklist_title": self.titles.get(name),
                 "item": item, "item_text": self.item_text.get((name, item)),
                 "item_place": self.item_place.get((name, item)), "required": s["required"],
                 "done": s["done"], "done_at": s["done_at"], "done_by": s["done_by"],
                 "out_of_order": self._out_of_order(name, item, s)}
                for (name, item), s in self.items.items() if s["applies"]]

    def _out_of_order(self, name: str, item: str, state: dict[str, Any]) -> bool | None:
        """An ordered item done before the item it comes after (flagged when it happened), or
        while that item was never done in the call; None for an item with no order."""
        first = self.after.get((name, item))
        if first is None:
            return True if state.get("flagged") else None
        before = self.items.get((name, first))
        never = before is not None and before["applies"] and not before["done"]
        return bool(state["done"] and (state.get("flagged") or never))

    def rephrase(self, e: EventRow, p: dict[str, Any]) -> None:
        if p.get("outcome") == "shown":
            self.n["rephrased"] += 1

    def call_row(self, ended: datetime | None) -> dict[str, Any]:
        c = self.call
        self.n["suggestions_taken"] = len(self.lines_taken & self.shown_lines)
        note = self.note or {}
        handle = c.duration
        return {**self.base, "hour": self.hour, "ended_at": ended, "status": c.status,
                "handle_seconds": handle, "pack": self.pack, **self.n,
                "frustration_max": self.frustration, "offer_escalation": self.offer,
                "disposition": _code(note.get("disposition")),
                "note_saved": note.get("saved") is True,
                "note_edited": note.get("edited") is True,
                **self._checklist_counts()}

    def _checklist_counts(self) -> dict[str, int | None]:
        rows = self.checklist_rows()
        if not self.ended:
            return {"checklist_items": None, "checklist_done": None}  # no checklist recorded
        return {"checklist_items": len(rows), "checklist_done": sum(r["done"] for r in rows)}


_HANDLERS: dict[str, Callable[[_Call, EventRow, dict[str, Any]], None]] = {
    "suggestion": _Call.suggestion,
    "knowledge": _Call.knowledge,
    SUGGESTION_ACTION: _Call.suggestion_action,
    KNOWLEDGE_ACTION: _Call.knowledge_action,
    "signal": _Call.signal,
    "after_call": _Call.after_call,
    "ask": _Call.ask,
    "rephrase": _Call.rephrase,
    "checklist": _Call.checklist,
}


def _by(value: Any) -> str | None:
    """Who did a checklist item, in the schema's words: `agent` or `copilot`."""
    return value if value in ("agent", "copilot") else None


def _tables(calls: list[dict[str, Any]], events: list[dict[str, Any]],
            checklist: list[dict[str, Any]] | None = None) -> Metrics:
    return Metrics(calls=pa.Table.from_pylist(calls, schema=S.schema(S.CALLS)),
                   events=pa.Table.from_pylist(events, schema=S.schema(S.EVENTS)),
                   checklist=pa.Table.from_pylist(checklist, schema=S.schema(S.CHECKLIST))
                   if checklist else S.empty(S.CHECKLIST))


def metrics(rows: Iterable[tuple[CallRow, list[EventRow]]], who: Who, *,
            since: datetime | None = None, tz: tzinfo | None = None) -> Metrics:
    """The metrics of `rows` (each call with its events, in the store's order). Calls in
    progress, and calls that started before `since`, are left out. `tz`: the desk's time zone
    for `day` and `hour` (None: this computer's)."""
    call_rows: list[dict[str, Any]] = []
    event_rows: list[dict[str, Any]] = []
    checklist_rows: list[dict[str, Any]] = []
    for call, events in rows:
        started = _time(call.started_at)
        if call.status == ACTIVE or started is None or (since is not None and started < since):
            continue
        one = _Call(call, who, started, tz)
        for e in events:
            one.add(e)
        call_rows.append(one.call_row(_time(call.ended_at)))
        event_rows.extend(one.events)
        checklist_rows.extend(one.checklist_rows())
    return _tables(call_rows, event_rows, checklist_rows)


def from_store(store: Any, who: Who, *, since: datetime | None = None,
               tz: tzinfo | None = None,
               progress: Callable[[int, int], None] | None = None) -> Metrics:
    """The metrics of a CallStore's calls (copilot/store/db.py), read through its public API."""
    calls = [c for c in store.list_calls() if c.status != ACTIVE]
    if since is not None:
        calls = [c for c in calls if (t := _time(c.started_at)) is not None and t >= since]

    def rows() -> Iterable[tuple[CallRow, list[EventRow]]]:
        for i, call in enumerate(calls, 1):
            yield call, store.events(call.id)
            if progress is not None:
                progress(i, len(calls))

    return metrics(rows(), who, since=since, tz=tz)
