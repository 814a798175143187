"""The metrics a desk shares: three tables, their columns and types, and the files they go in.

This is the de-identified boundary (docs/reports.md): ids, codes, counts, times, and the site's
own passage ids and titles and checklist items' words; never a caption, a note, a summary, a
call's title or source (a file name may be a customer's name), a suggested line's or card's
text, or a typed question. Every column is listed here with its type and meaning;
docs/reports.md is generated from the same words (tests check that they agree).

Files: `<desk>.<table>.<YYYY-MM>.parquet`, one per desk, table and month (of the desk's local
day of the call's start), so re-exporting a call always rewrites the same file and a month's
file is replaced whole (merge by call, then an atomic rename).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pyarrow as pa

# Bumped when a column changes meaning or type (added columns do not need it: readers go by name).
# 2: a line or card shown again in the same call counts once (`repeated` event rows).
SCHEMA_VERSION = "2"

CALLS, EVENTS, CHECKLIST = "calls", "events", "checklist"
TABLES = (CALLS, EVENTS, CHECKLIST)

# The key of a call across every desk and export: a desk's call numbers restart if its database
# is replaced, so the start time goes with the number.
CALL_KEY = ("desk_id", "call_id", "started_at")

TS = pa.timestamp("ms", tz="UTC")


@dataclass(frozen=True)
class Column:
    name: str
    type: pa.DataType
    doc: str
    nullable: bool = True


_WHO = (
    Column("desk_id", pa.string(), "The desk, as the site named it (`--desk`).", False),
    Column("agent", pa.string(), "The agent label given at export (`--agent`), or null. A code "
           "the site chooses, not a name."),
    Column("team", pa.string(), "The team label given at export (`--team`), or null."),
    Column("call_id", pa.int64(), "The call's number in the desk's own database.", False),
    Column("started_at", TS, "When the call started (UTC).", False),
    Column("day", pa.date32(), "The desk's local date of the call's start.", False),
)

CALL_COLUMNS = (
    *_WHO,
    Column("hour", pa.int8(), "The desk's local hour of the call's start (0-23).", False),
    Column("ended_at", TS, "When the call ended (UTC)."),
    Column("status", pa.string(), "`completed`, or `interrupted` (the app stopped during the "
           "call). Calls still in progress are not exported.", False),
    Column("handle_seconds", pa.float64(), "Handle time: seconds from start to end."),
    Column("pack", pa.string(), "The model pack (`id@version`) of the call's suggestions, or "
           "null."),
    Column("suggestions_shown", pa.int32(), "Suggested lines shown, each line once per call: "
           "the same line offered again for a later question, or an update of a line (its "
           "translation or LLM rewording), is not another line.", False),
    Column("suggestions_copied", pa.int32(), "Times the agent copied a suggested line.", False),
    Column("suggestions_used", pa.int32(), "Times the agent marked a suggested line used.", False),
    Column("suggestions_dismissed", pa.int32(), "Times the agent dismissed a suggested line.",
           False),
    Column("suggestions_taken", pa.int32(), "Lines shown that the agent copied or used at least "
           "once (wherever in the call the line was offered).", False),
    Column("abstentions", pa.int32(), "Times the copilot said it was not sure instead of a line "
           "(no approved passage was relevant enough): once per question left without a line.",
           False),
    Column("knowledge_shown", pa.int32(), "Knowledge cards shown, one per passage and call (a "
           "passage's card shown again for a later question is not another card).", False),
    Column("knowledge_copied", pa.int32(), "Times the agent copied from a card.", False),
    Column("knowledge_used", pa.int32(), "Times the agent marked a card used.", False),
    Column("knowledge_dismissed", pa.int32(), "Times the agent dismissed a card.", False),
    Column("knowledge_opened", pa.int32(), "Times the agent opened a passage in full.", False),
    Column("asks", pa.int32(), "Questions the agent typed into the knowledge search (the "
           "questions are not exported).", False),
    Column("rephrased", pa.int32(), "Drafts the agent had rephrased (the drafts are not "
           "exported).", False),
    Column("signals", pa.int32(), "Customer signals raised (frustration, escalation, offer "
           "escalation).", False),
    Column("frustration_max", pa.float32(), "The customer's peak frustration level (0-1), null "
           "when none was raised. The window's words: calm below 0.25, tense, frustrated from "
           "0.5, angry from 0.75."),
    Column("escalation_signals", pa.int32(), "Times the customer asked for a manager or to "
           "escalate.", False),
    Column("offer_escalation", pa.bool_(), "The copilot suggested offering an escalation.", False),
    Column("disposition", pa.string(), "The disposition code of the call's after-call note, or "
           "null (no note). The note's text is not exported."),
    Column("note_saved", pa.bool_(), "The agent saved the after-call note in the wrap-up.", False),
    Column("note_edited", pa.bool_(), "The agent changed the AI draft's text or disposition.",
           False),
    Column("checklist_items", pa.int32(), "Live checklist items that applied to the call (a "
           "conditional item that never came up does not count). Null: the call had no "
           "checklist."),
    Column("checklist_done", pa.int32(), "Of those, the items done (ticked by the copilot or "
           "the agent) by the end of the call, or by hand in its wrap-up. Null: no checklist."),
)

EVENT_COLUMNS = (
    *_WHO,
    Column("event_id", pa.int64(), "The event's number in the desk's database.", False),
    Column("item", pa.int16(), "The card's place in a knowledge event (0 for the rest): one "
           "row per card.", False),
    Column("at", pa.float64(), "Seconds from the start of the call.", False),
    Column("kind", pa.string(), "`suggestion` (a suggested line) or `knowledge` (a card).",
           False),
    Column("action", pa.string(), "`shown` (the first time in the call), `repeated` (the same "
           "line, or a passage's card, shown again in the call for a later question: not counted "
           "again), `abstained` (a suggestion saying it is not sure), `updated` (a line shown "
           "again: translated or reworded), or what the agent did: `copied`, `used`, "
           "`dismissed`, `opened` (a passage opened in full).", False),
    Column("ref", pa.string(), "What it answered: a caption id (`c12`) or a typed search "
           "(`ask-3`); the ids only, never the words. Null for `opened`."),
    Column("trigger", pa.string(), "`caption` (the customer said something) or `ask` (the "
           "agent searched); null for `opened`."),
    Column("rank", pa.int16(), "Suggestions: 1 for the first line offered."),
    Column("origin", pa.string(), "Suggestions: `approved_line`, `adapted`, `reworded` (LLM) or "
           "`abstain`."),
    Column("grounded", pa.bool_(), "Suggestions: the line rests on cited approved passages."),
    Column("passages", pa.list_(pa.string()), "The passage ids: a line's sources, or the card's "
           "passage.", False),
    Column("passage_title", pa.string(), "Knowledge rows: the passage's title (the site's own "
           "document)."),
    Column("confident", pa.bool_(), "Knowledge cards shown: a confident match (false: a "
           "candidate for the agent to pick from)."),
    Column("pack", pa.string(), "The model pack (`id@version`) that produced it, or null."),
)

CHECKLIST_COLUMNS = (
    *_WHO,
    Column("checklist", pa.string(), "The checklist's id.", False),
    Column("checklist_title", pa.string(), "The checklist's title (\"Northwind support call\"), "
           "as the call began. Null when the call did not record it (and in files written before "
           "this column)."),
    Column("item", pa.string(), "The item's id within its checklist.", False),
    Column("item_text", pa.string(), "The item as its checklist words it, what the agent reads "
           "(\"Verify the caller\"; the site's own words, like a passage title), as the call "
           "began. Null when the call did not record it (and in files written before this "
           "column)."),
    Column("item_place", pa.int16(), "The item's place in its checklist, 1 for the first, as the "
           "call began (reports list items in this order). Null as for `item_text`."),
    Column("required", pa.bool_(), "The item must be done on every call of its kind."),
    Column("done", pa.bool_(), "The item was done during the call.", False),
    Column("done_at", pa.float64(), "Seconds from the start of the call when it was done."),
    Column("done_by", pa.string(), "`agent` (ticked) or `copilot` (recognized in the call)."),
    Column("out_of_order", pa.bool_(), "An item that must come after another: done before it, "
           "or while it was never done in the call. Null for an item with no order (and in "
           "files written before this column)."),
)

COLUMNS = {CALLS: CALL_COLUMNS, EVENTS: EVENT_COLUMNS, CHECKLIST: CHECKLIST_COLUMNS}

# What each table's rows are, for the docs and the files' metadata.
ROWS = {
    CALLS: "one row per call that has ended",
    EVENTS: "one row per suggested line or knowledge card shown, per repeat, per update, per "
            "abstention and per agent action on them",
    CHECKLIST: "one row per call and live checklist item that applied to the call (from the "
               "call's `checklist` events; no file is written while it has no rows)",
}


def schema(table: str) -> pa.Schema:
    meta = {b"copilot.metrics": table.encode(), b"copilot.schema_version": SCHEMA_VERSION.encode()}
    return pa.schema([pa.field(c.name, c.type, nullable=c.nullable) for c in COLUMNS[table]],
                     metadata=meta)


def empty(table: str) -> pa.Table:
    return schema(table).empty_table()


# --- names ------------------------------------------------------------------------------------

# A code, as a site's systems name a desk or an agent: it names files (a desk) and is never a
# person's name (an agent: a name has a space; one word cannot be told from a code).
CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")
DESK_ID = CODE
LABEL_MAX = 64
FILE_NAME = re.compile(r"(?P<desk>[A-Za-z0-9][A-Za-z0-9_-]{0,63})\.(?P<table>calls|events|checklist)"
                       r"\.(?P<month>\d{4}-\d{2})\.parquet")


EMAIL = re.compile(r"\S@\S+\.\w")


def check_desk_id(desk: str) -> str:
    if not DESK_ID.fullmatch(desk or ""):
        raise ValueError(f"desk id {desk!r}: use 1-64 letters, digits, '-' or '_' (it names "
                         "the files), starting with a letter or digit")
    return desk


def check_agent(code: str | None, names: tuple[str, ...] = ()) -> str | None:
    """The agent label of an export: the site's code for the agent, never a name. `names`: the
    names this desk knows its agent by (the settings' `[asr] agent_name`). The copilot keeps no
    list of agents, so a name cannot be looked up: it is refused."""
    if code is None or code == "":
        return None
    if not CODE.fullmatch(code):
        raise ValueError(f"agent {code!r} is not an agent code: give the site's code for the "
                         "agent (a-1042: 1-64 letters, digits, '-' or '_'), not a name")
    if _agent_name(code, names):
        raise ValueError(f"agent {code!r} is this desk's agent name in the settings ([asr] "
                         "agent_name), not a code: give the site's code for the agent (a-1042)")
    return code


def _agent_name(text: str, names: tuple[str, ...]) -> bool:
    """Is `text` one of the names this desk knows its agent by (case and spaces aside)?"""
    return text.strip().casefold() in {n.strip().casefold() for n in names if n.strip()}


def check_label(what: str, label: str | None, names: tuple[str, ...] = ()) -> str | None:
    """A free label (a team's: "Billing north", "billing-2"), written on every exported row, so
    it must not name a person: an e-mail address or this desk's agent name (`names`, as in
    check_agent) is refused. Any other name cannot be told from a team's and is the site's
    responsibility (docs/reports.md)."""
    if label is None or label == "":
        return None
    if len(label) > LABEL_MAX or not label.isprintable():
        raise ValueError(f"{what} label {label!r}: at most {LABEL_MAX} printable characters")
    if EMAIL.search(label):
        raise ValueError(f"{what} label {label!r} holds an e-mail address: the rows are "
                         f"de-identified, give the {what}'s label (billing-2)")
    if _agent_name(label, names):
        raise ValueError(f"{what} label {label!r} is this desk's agent name in the settings "
                         f"([asr] agent_name): give the {what}'s label (billing-2)")
    return label


def file_name(desk: str, table: str, month: str) -> str:
    return f"{desk}.{table}.{month}.parquet"


def _type_name(t: pa.DataType) -> str:
    if pa.types.is_list(t):
        return f"list<{_type_name(t.value_type)}>"
    if pa.types.is_timestamp(t):
        return f"timestamp[{t.unit}, UTC]"
    return {"date32[day]": "date", "bool": "boolean", "float": "float32",
            "double": "float64"}.get(str(t), str(t))


def markdown() -> str:
    """The tables' columns as Markdown (docs/reports.md holds this text; a test compares)."""
    out = []
    for name in TABLES:
        out += [f"#### `{name}`: {ROWS[name]}", "",
                "| column | type | null | meaning |", "| --- | --- | --- | --- |"]
        out += [f"| `{c.name}` | {_type_name(c.type)} | {'yes' if c.nullable else 'no'} | "
                f"{c.doc} |" for c in COLUMNS[name]]
        out.append("")
    return "\n".join(out)
