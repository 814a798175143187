"""The assistance benchmark's bookkeeping: which event answers which caption, and how late."""

from __future__ import annotations

from copilot.bench.assist_bench import spread, stage_latencies
from copilot.events import Caption, Knowledge, PassageRef, SuggestionEvent, Summary, Translation


def cap(cid, at, channel="customer", final=True):
    return Caption(cid, final, channel, at - 2, at - 0.5, at, "en", "words")


def test_each_stage_is_timed_from_the_caption_it_answers():
    events = [
        cap("c1", 10.0),
        Knowledge("c1", (PassageRef("A", "t", 1.0),), 10.01),
        SuggestionEvent("c1", "line", ("A",), True, 10.02, "approved_line", 1),
        SuggestionEvent("c1", "line 2", ("B",), True, 10.03, "approved_line", 2),  # not first
        cap("a1", 11.0, channel="agent"),  # agent captions are not answered
        Summary(1, {}, 12.0),
        SuggestionEvent("c1", "reworded", ("A",), True, 13.5, "reworded", 1),
        cap("c2", 20.0),
        cap("c3", 22.0),
        Translation("c3", "en", "x", 22.3, "whisper"),
        Summary(2, {}, 23.0),  # one refresh takes in both captions
        Knowledge("zz", (), 24.0),  # answers no known caption
        cap("c4", 30.0),  # no summary followed: not counted
        cap("c5", 31.0, final=False),
    ]
    got = stage_latencies(events)
    assert [round(x, 3) for x in got["knowledge"]] == [0.01]
    assert [round(x, 3) for x in got["suggestion"]] == [0.02]
    assert [round(x, 3) for x in got["reworded"]] == [3.5]
    assert [round(x, 3) for x in got["summary"]] == [2.0, 3.0, 1.0]
    assert [round(x, 3) for x in got["translation"]] == [0.3]


def test_spread_reports_percentiles_and_count():
    s = spread([0.1, 0.2, 0.3, 0.4, 1.0])
    assert s["n"] == 5 and s["p50"] == 0.3 and s["max"] == 1.0
    assert spread([]) == {"n": 0, "p50": None, "p95": None, "max": None}
