"""Exports of a stored call: exact txt, SRT and WebVTT text, and the JSON document."""

from __future__ import annotations

import json

import pytest

from copilot.store.export import (
    call_txt,
    clock,
    local_time,
    render,
    timestamp,
    to_json,
    to_srt,
    to_txt,
    to_vtt,
)
from copilot.store.rows import CallRow, EventRow, SegmentRow

CALL = CallRow(id=7, started_at="2025-03-01T09:30:00.000+00:00",
               ended_at="2025-03-01T09:34:12.000+00:00", status="completed",
               source="calls/billing.wav", title="Billing refund", meta={"pack": "demo"},
               segment_count=2)
SEGMENTS = [
    SegmentRow(1, 7, "c1", "agent", 0.5, 3.25, "en", "Northwind, how can I help?"),
    SegmentRow(2, 7, "c2", "customer", 6.445, 12.9, "en", "I was charged  twice\nfor May."),
]
EVENTS = [EventRow(1, 7, "translation", 13.6, {"of": "c2", "lang": "de", "text": "..."})]


@pytest.mark.parametrize(("seconds", "expected"), [
    (0, "00:00.0"), (6.445, "00:06.4"), (59.96, "01:00.0"), (125.04, "02:05.0"),
    (3723.4, "1:02:03.4"), (-1, "00:00.0"),
])
def test_clock(seconds: float, expected: str) -> None:
    assert clock(seconds) == expected


@pytest.mark.parametrize(("seconds", "srt", "vtt"), [
    (6.445, "00:00:06,445", "00:00:06.445"),
    (0, "00:00:00,000", "00:00:00.000"),
    (59.9996, "00:01:00,000", "00:01:00.000"),
    (3723.0456, "01:02:03,046", "01:02:03.046"),
])
def test_subtitle_timestamps(seconds: float, srt: str, vtt: str) -> None:
    assert timestamp(seconds) == srt
    assert timestamp(seconds, ".") == vtt


def test_txt_has_one_speaker_line_per_segment() -> None:
    assert to_txt(SEGMENTS) == (
        "[00:00.5] Agent: Northwind, how can I help?\n"
        "[00:06.4] Customer: I was charged twice for May.\n"
    )


def test_srt() -> None:
    assert to_srt(SEGMENTS) == (
        "1\n00:00:00,500 --> 00:00:03,250\nAgent: Northwind, how can I help?\n"
        "\n"
        "2\n00:00:06,445 --> 00:00:12,900\nCustomer: I was charged twice for May.\n"
    )


def test_vtt_escapes_markup() -> None:
    segs = [*SEGMENTS, SegmentRow(3, 7, "c3", "mono", 13.0, 14.0, "en", "A <b> & C --> D")]
    assert to_vtt(segs) == (
        "WEBVTT\n\n"
        "00:00:00.500 --> 00:00:03.250\nAgent: Northwind, how can I help?\n"
        "\n"
        "00:00:06.445 --> 00:00:12.900\nCustomer: I was charged twice for May.\n"
        "\n"
        "00:00:13.000 --> 00:00:14.000\nSpeaker: A &lt;b&gt; &amp; C --&gt; D\n"
    )


def test_empty_segments_make_no_cue() -> None:
    segs = [SegmentRow(1, 7, "c1", "agent", 1.0, 2.0, "en", "  "), SEGMENTS[1]]
    assert to_srt(segs).startswith("1\n00:00:06,445")
    assert to_vtt([]) == "WEBVTT\n\n"


def test_json_carries_call_segments_and_events() -> None:
    doc = json.loads(to_json(CALL, SEGMENTS, EVENTS))
    assert doc["call"]["id"] == 7 and doc["call"]["title"] == "Billing refund"
    assert doc["call"]["meta"] == {"pack": "demo"}
    assert doc["segments"][1] == {"id": "c2", "channel": "customer", "speaker": "Customer",
                                  "start": 6.445, "end": 12.9, "lang": "en",
                                  "text": "I was charged  twice\nfor May."}
    assert doc["events"] == [{"type": "translation", "at": 13.6,
                              "payload": {"of": "c2", "lang": "de", "text": "..."}}]


def test_render_dispatches_and_rejects_unknown_formats() -> None:
    assert render("txt", CALL, SEGMENTS) == call_txt(CALL, SEGMENTS)
    assert render("vtt", CALL, SEGMENTS).startswith("WEBVTT")
    with pytest.raises(ValueError, match="docx"):
        render("docx", CALL, SEGMENTS)


def test_txt_and_calls_show_carry_the_summary_note_and_disposition() -> None:
    events = [
        EventRow(1, 7, "summary", 20.0, {"version": 1, "sections": {"reason": "old"}}),
        EventRow(2, 7, "summary", 40.0, {"version": 2, "sections": {
            "reason": "Charged twice", "facts": ["Account: 742931"], "open": ["Refund date"],
            "sources": ["BILL-01"]}}),
        EventRow(3, 7, "after_call", 60.0, {"note": "AI draft", "disposition": "other",
                                            "edited": False, "saved": False}),
        EventRow(4, 7, "after_call", 70.0, {"note": "Refund filed.\nEmail sent.",
                                            "disposition": "refund_issued", "edited": True,
                                            "saved": True}),
    ]
    text = to_txt(SEGMENTS, events)
    tail = text.split("\n\n", 1)[1]
    assert tail == ("Summary (v2, AI-generated):\n"
                    "  Reason: Charged twice\n"
                    "  Facts:\n    - Account: 742931\n"
                    "  Open items:\n    - Refund date\n"
                    "  Knowledge used:\n    - BILL-01\n"
                    "Disposition: refund_issued\n"
                    "After-call note (edited and saved by the agent):\n"
                    "  Refund filed.\n  Email sent.\n")
    assert to_txt(SEGMENTS) == to_txt(SEGMENTS, [])  # no record: the transcript alone


def test_txt_and_calls_show_carry_the_calls_notices_among_the_lines() -> None:
    # A walk-through: a recording cut short showed as "completed" in `calls show` and the txt
    # export, the notice in the JSON only.
    events = [EventRow(1, 7, "notice", 1.0, {"kind": "audio_truncated", "message":
                                             "the recording ends early: it was cut short"}),
              EventRow(2, 7, "translation", 13.6, {"of": "c2", "lang": "de", "text": "..."})]
    lines = to_txt(SEGMENTS, events).splitlines()
    assert "[00:01.0] Notice: the recording ends early: it was cut short" in lines
    notice = lines.index("[00:01.0] Notice: the recording ends early: it was cut short")
    assert lines[notice - 1].startswith("[00:00") and not lines[notice + 1].startswith("[00:00")


# -- the header of the txt export and `copilot calls show` (issue 15) --------------------------

NOTE = EventRow(5, 7, "after_call", 70.0, {"note": "Refund filed.", "disposition": "refund_issued",
                                           "edited": True, "saved": True})


def test_the_txt_export_starts_with_the_calls_header() -> None:
    text = render("txt", CALL, SEGMENTS, [*EVENTS, NOTE])
    head, body = text.split("\n\n", 1)
    started = local_time(CALL.started_at, "%Y-%m-%d %H:%M:%S")
    assert head.splitlines() == [
        "Call 7",
        "  Title:       Billing refund",
        "  Source:      calls/billing.wav",
        f"  Started:     {started}",
        f"  Ended:       {local_time(CALL.ended_at, '%Y-%m-%d %H:%M:%S')}",
        "  Duration:    4:12",
        "  Status:      completed",
        "  Disposition: refund_issued",
        "  Segments:    2",
    ]
    assert body == to_txt(SEGMENTS, [*EVENTS, NOTE])  # then the transcript and the record


def test_an_interrupted_call_says_it_was_interrupted() -> None:
    cut = CallRow(id=8, started_at=CALL.started_at, ended_at=CALL.ended_at,
                  status="interrupted", source="mic", title="", meta={})
    lines = render("txt", cut, SEGMENTS).splitlines()
    [status] = [line for line in lines if line.startswith("  Status:")]
    assert status.startswith("  Status:      interrupted (cut off before the call ended")
    assert "  Disposition: -" in lines and "  Title:       -" in lines  # no note, no title
    assert render("txt", cut, []).endswith("  Segments:    0\n")  # nothing after the header
