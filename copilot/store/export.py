"""Render a stored call as JSON, plain text, SRT or WebVTT. Pure functions returning str."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from copilot.events import AGENT, CUSTOMER, MONO
from copilot.store.rows import ACTIVE, INTERRUPTED, CallRow, EventRow, SegmentRow

FORMATS = ("json", "txt", "srt", "vtt")

# Bumped when the JSON export changes shape, so importers can tell versions apart.
JSON_EXPORT_VERSION = 1

_SPEAKERS = {AGENT: "Agent", CUSTOMER: "Customer", MONO: "Speaker"}


def speaker(channel: str) -> str:
    return _SPEAKERS.get(channel, channel.capitalize() or "Speaker")


def _one_line(text: str) -> str:
    # A blank line inside a cue would end it early in SRT/VTT; captions are one line anyway.
    return " ".join(text.split())


def clock(seconds: float) -> str:
    """Short transcript time: 6.445 -> '00:06.4'; past an hour '1:02:03.4'."""
    tenths = max(0, round(seconds * 10))  # round once, then carry, so 59.96 s gives 01:00.0
    minutes, tenths = divmod(tenths, 600)
    hours, minutes = divmod(minutes, 60)
    secs = f"{tenths // 10:02d}.{tenths % 10}"
    return f"{hours}:{minutes:02d}:{secs}" if hours else f"{minutes:02d}:{secs}"


def timestamp(seconds: float, decimal: str = ",") -> str:
    """Subtitle time: 6.445 -> '00:00:06,445' (SRT) or '00:00:06.445' with decimal='.' (VTT)."""
    ms = max(0, round(seconds * 1000))
    secs, ms = divmod(ms, 1000)
    minutes, secs = divmod(secs, 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}{decimal}{ms:03d}"


def _cues(segments: Sequence[SegmentRow]) -> list[tuple[float, float, str]]:
    cues = []
    for seg in segments:
        text = _one_line(seg.text)
        if text:  # an empty cue makes some players drop the rest of the file
            cues.append((seg.start, max(seg.start, seg.end), f"{speaker(seg.channel)}: {text}"))
    return cues


def mark_lines(events: Sequence[EventRow]) -> list[tuple[float, str]]:
    """Everything put among a call's transcript lines, in time order, by every view of the
    call (txt export, `calls show`, the window's history): the agent's questions, rephrased
    drafts, handoffs, and what the call told the agent (a recording cut short, captions
    behind)."""
    return sorted([*ask_lines(events), *rephrase_lines(events), *handoff_lines(events),
                   *notice_lines(events)], key=lambda item: item[0])


def notice_lines(events: Sequence[EventRow]) -> list[tuple[float, str]]:
    """(call time, 'Notice: MESSAGE') for each notice kept with the call."""
    return [(e.at, f"[{clock(e.at)}] Notice: {_one_line(str(e.payload.get('message', '')))}")
            for e in events if e.type == "notice"]


def ask_lines(events: Sequence[EventRow]) -> list[tuple[float, str]]:
    """(call time, line) for each question the agent typed into the window's search box:
    'Agent asked: QUESTION (shown: ROAM-01)'. Its cards are the knowledge event whose `of` is
    the ask's id."""
    shown: dict[str, list[str]] = {}
    for e in events:
        if e.type == "knowledge" and str(e.payload.get("of", "")).startswith("ask-"):
            shown[e.payload["of"]] = [str(p.get("id", "")) for p in e.payload.get("passages", [])]
    out = []
    for e in events:
        if e.type != "ask":
            continue
        p = e.payload
        found = shown.get(str(p.get("id", "")))
        what = ("search failed" if p.get("error") else
                f"shown: {', '.join(found)}" if found else "no card")
        out.append((e.at, f"[{clock(e.at)}] Agent asked: {_one_line(str(p.get('question', '')))}"
                          f" ({what})"))
    return out


def handoffs(events: Sequence[EventRow]) -> list[EventRow]:
    """The call's handoff notes as they stand, in call order: of the events of one note to one
    destination (a copy, then a save of the same note) the last one written. The same note
    sent on to another destination (billing first, then a supervisor) is a handoff of its own."""
    newest: dict[tuple[str, str], EventRow] = {}
    for e in events:
        if e.type == "handoff":
            key = (str(e.payload.get("id") or f"#{e.id}"), str(e.payload.get("destination")))
            if key not in newest or e.id > newest[key].id:
                newest[key] = e
    return sorted(newest.values(), key=lambda e: (e.at, e.id))


_HANDOFF_STATES = {"copied": "copied by the agent", "saved": "saved by the agent",
                   "draft": "the copilot's draft, not reviewed"}


def handoff_state(payload: dict[str, Any]) -> str:
    """Who last touched a handoff note, in words: 'edited and saved by the agent', 'the
    copilot's draft, not reviewed' (the window's history says the same)."""
    state = _HANDOFF_STATES.get(str(payload.get("action", "")), "kept")
    return f"edited and {state}" if payload.get("edited") else state


def handoff_lines(events: Sequence[EventRow]) -> list[tuple[float, str]]:
    """(call time, line) for each handoff note: '[00:45.0] Handoff to Billing team (copied by
    the agent)'; the note itself is in record_lines."""
    return [(e.at, f"[{clock(e.at)}] Handoff to {_one_line(str(e.payload.get('destination')))}"
                   f" ({handoff_state(e.payload)})") for e in handoffs(events)]


def rephrase_lines(events: Sequence[EventRow]) -> list[tuple[float, str]]:
    """(call time, line) for each draft the agent had rephrased in the window's draft box:
    '[00:40.0] Agent rephrased (calm): DRAFT -> RESULT (not in the knowledge base: 600
    dollars; copied)'. What became of it is said: the facts checked or flagged, cancelled,
    failed; 'copied' when a `rephrase_action` copied it (its `of` is the draft's id)."""
    copied = {str(e.payload.get("of")) for e in events
              if e.type == "rephrase_action" and e.payload.get("action") == "copied"}
    out = []
    for e in events:
        if e.type != "rephrase":
            continue
        p = e.payload
        how = str(p.get("tone") or "?") + (f", into {p['lang']}" if p.get("lang") else "")
        line = f"[{clock(e.at)}] Agent rephrased ({how}): {_one_line(str(p.get('draft', '')))}"
        outcome = p.get("outcome")
        if outcome == "shown":
            line += f" -> {_one_line(str(p.get('text', '')))}"
            unsupported = [_one_line(str(f.get("text", ""))) for f in p.get("unsupported") or []]
            sources = [str(s) for s in p.get("sources") or []]
            what = (f"not in the knowledge base: {', '.join(unsupported)}" if unsupported else
                    "flagged" if p.get("flagged") else
                    f"facts checked: {', '.join(sources)}" if sources else
                    "facts checked" if p.get("facts") else "no policy fact to check")
            if str(p.get("id")) in copied:
                what += "; copied"
        elif outcome == "failed":
            what = f"failed: {_one_line(str(p.get('error') or 'unknown error'))}"
        else:
            what = "cancelled"
        out.append((e.at, f"{line} ({what})"))
    return out


def to_txt(segments: Sequence[SegmentRow], events: Sequence[EventRow] = ()) -> str:
    """One line per segment: '[00:06.4] Customer: text'; with `events`, the agent's questions
    to the knowledge base, the drafts the agent had rephrased and the handoffs among them, in
    time order ('[00:28.0] Agent asked: ...'), then the call's summary, handoff notes,
    after-call note and disposition. The body of `call_txt`, under its header."""
    lines = [(s.start, f"[{clock(s.start)}] {speaker(s.channel)}: {_one_line(s.text)}")
             for s in segments]
    marks = mark_lines(events)
    if marks:  # sorted() is stable: a segment stays before a question asked at the same time
        lines = sorted([*lines, *marks], key=lambda item: item[0])
    text = "".join(line + "\n" for _at, line in lines)
    record = record_lines(events)
    return text + ("\n" if text and record else "") + "".join(f"{r}\n" for r in record)


# What a call's status means, where the bare word would not say it.
_STATUS_WORDS = {
    ACTIVE: "recording (the call is still going on)",
    INTERRUPTED: "interrupted (cut off before the call ended: what followed was not recorded)",
}


def call_label(call: CallRow) -> str:
    """A call's name for a person, the same in the window and on the command line: its title,
    else "Call 7 (demo_call.wav)" from the recording it came from."""
    if call.title:
        return call.title
    source = call.source.replace("\\", "/").rsplit("/", 1)[-1] if call.source else ""
    return f"Call {call.id}" + (f" ({source})" if source else "")


def status_text(status: str) -> str:
    """A call's status for a person: 'completed', or what 'interrupted' means."""
    return _STATUS_WORDS.get(status, status)


def header_lines(call: CallRow, segments: Sequence[SegmentRow],
                 events: Sequence[EventRow]) -> list[str]:
    """The head of a call's text: its id, then title, source, start, end, duration, status (an
    interrupted call says so), disposition (the newest after-call note's) and segment count."""
    note = newest(events, "after_call")
    disposition = disposition_text(note.payload) if note is not None else "-"
    fields = [
        ("Title", _one_line(call.title) or "-"),
        ("Source", call.source or "-"),
        ("Started", local_time(call.started_at, "%Y-%m-%d %H:%M:%S")),
        ("Ended", local_time(call.ended_at, "%Y-%m-%d %H:%M:%S")),
        ("Duration", duration(call.duration)),
        ("Status", status_text(call.status)),
        ("Disposition", disposition),
        ("Segments", str(len(segments))),
    ]
    return [f"Call {call.id}", *(f"  {name + ':':<13}{value}" for name, value in fields)]


def call_txt(call: CallRow, segments: Sequence[SegmentRow],
             events: Sequence[EventRow] = ()) -> str:
    """A call as plain text: the header, a blank line, then `to_txt` (the transcript with the
    agent's actions, the summary, notes and disposition). The txt export and `copilot calls
    show` print exactly this."""
    head = "".join(f"{line}\n" for line in header_lines(call, segments, events))
    body = to_txt(segments, events)
    return head + ("\n" + body if body else "")


# The summary's sections in the order the window shows them (ui/panels/summary.py).
SUMMARY_SECTIONS = (("facts", "Facts"), ("actions", "Actions taken"), ("open", "Open items"),
                    ("next", "Next steps"), ("sources", "Knowledge used"),
                    ("earlier", "Earlier issues"))


def note_state(payload: dict) -> str:
    """Who stands behind an after-call note: the agent (saved), or only the AI."""
    edited = bool(payload.get("edited"))
    saved = bool(payload.get("saved", edited))  # older notes: "edited" meant saved
    return ("edited and saved by the agent" if saved and edited else
            "checked and saved by the agent" if saved else
            "a draft, not saved" if edited else "AI draft, not reviewed")


def disposition_text(payload: dict) -> str:
    """A note's disposition as every view shows it: one the agent did not save is the AI's
    guess and says so (reports and exports must not pass it off as the agent's choice)."""
    code = str(payload.get("disposition") or "")
    if not code:
        return "-"
    saved = bool(payload.get("saved", payload.get("edited")))
    return code if saved else f"{code} (AI guess, not confirmed by the agent)"


def newest(events: Sequence[EventRow], type_: str) -> EventRow | None:
    """The last event of `type_` written (highest row id): the call's summary or note. Not the
    latest call time: a note saved after the call may carry an earlier call-clock time than
    the session's draft. The window's history picks the same one."""
    return max((e for e in events if e.type == type_), key=lambda e: e.id, default=None)


def record_lines(events: Sequence[EventRow]) -> list[str]:
    """The newest summary, the handoff notes and the newest after-call note of a call, as
    text lines."""
    summary = newest(events, "summary")
    note = newest(events, "after_call")
    out: list[str] = []
    if summary is not None:
        sections = summary.payload.get("sections") or {}
        out.append(f"Summary (v{summary.payload.get('version', '?')}, AI-generated):")
        out.append(f"  Reason: {_one_line(str(sections.get('reason') or '(not stated)'))}")
        for key, title in SUMMARY_SECTIONS:
            items = [str(i) for i in (sections.get(key) or []) if str(i).strip()]
            if items:
                out.append(f"  {title}:")
                out.extend(f"    - {_one_line(i)}" for i in items)
    for h in handoffs(events):
        p = h.payload
        out.append(f"Handoff note to {_one_line(str(p.get('destination')))} at {clock(h.at)} "
                   f"({handoff_state(p)}):")
        out.extend(f"  {line}" for line in str(p.get("note", "")).splitlines() or ["(empty)"])
    if note is not None:
        p = note.payload
        out.append(f"Disposition: {disposition_text(p)}")
        out.append(f"After-call note ({note_state(p)}):")
        out.extend(f"  {line}" for line in str(p.get("note", "")).splitlines() or ["(empty)"])
    return out


def to_srt(segments: Sequence[SegmentRow]) -> str:
    blocks = [
        f"{n}\n{timestamp(start)} --> {timestamp(end)}\n{text}\n"
        for n, (start, end, text) in enumerate(_cues(segments), start=1)
    ]
    return "\n".join(blocks)


def _vtt_escape(text: str) -> str:
    # WebVTT cue text is markup: '&' and '<' must be escaped, and '>' too so '-->' cannot appear.
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def to_vtt(segments: Sequence[SegmentRow]) -> str:
    blocks = [
        f"{timestamp(start, '.')} --> {timestamp(end, '.')}\n{_vtt_escape(text)}\n"
        for start, end, text in _cues(segments)
    ]
    return "WEBVTT\n\n" + "\n".join(blocks)


def to_json(call: CallRow, segments: Sequence[SegmentRow], events: Sequence[EventRow]) -> str:
    doc: dict[str, Any] = {
        "format": "agent-copilot-call",
        "version": JSON_EXPORT_VERSION,
        "call": {
            "id": call.id,
            "started_at": call.started_at,
            "ended_at": call.ended_at,
            "status": call.status,
            "source": call.source,
            "title": call.title,
            "meta": call.meta,
        },
        "segments": [
            {"id": s.caption_id, "channel": s.channel, "speaker": speaker(s.channel),
             "start": round(s.start, 3), "end": round(s.end, 3), "lang": s.lang, "text": s.text}
            for s in segments
        ],
        "events": [{"type": e.type, "at": round(e.at, 3), "payload": e.payload} for e in events],
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def render(fmt: str, call: CallRow, segments: Sequence[SegmentRow],
           events: Sequence[EventRow] = ()) -> str:
    """Dispatch on one of FORMATS."""
    if fmt == "json":
        return to_json(call, segments, events)
    if fmt == "txt":
        return call_txt(call, segments, events)
    if fmt == "srt":
        return to_srt(segments)
    if fmt == "vtt":
        return to_vtt(segments)
    raise ValueError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")


def local_time(iso: str | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """A stored UTC timestamp in the machine's local time ("-" when there is none)."""
    if not iso:
        return "-"
    try:
        return datetime.fromisoformat(iso).astimezone().strftime(fmt)
    except ValueError:
        return iso


def duration(seconds: float | None) -> str:
    """A call's length: 4:05, or 1:02:03 past an hour."""
    if seconds is None:
        return "-"
    total = round(seconds)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
