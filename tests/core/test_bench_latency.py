"""Caption latency against timed turns: matching by overlap, percentiles, first partials."""

from __future__ import annotations

import random

import numpy as np
import pytest

from copilot.bench.latency import (
    assign,
    median,
    percentile,
    score,
    time_to_first_partial,
    turn_latencies,
)
from copilot.bench.references import Turn
from copilot.events import Caption

TURNS = [
    Turn("agent", 0.0, 5.0, "hello there"),
    Turn("customer", 6.0, 10.0, "hi"),
    Turn("agent", 11.0, 15.0, "okay bye"),
    Turn("customer", 16.0, 18.0, "never captioned"),
    Turn("agent", 19.0, 19.5, ""),  # no words: not a turn to score
]


def cap(channel, start, end, at, final=True, text="words"):
    return Caption("c", final, channel, start, end, at, "en", text)


def test_percentile_interpolates_linearly_like_numpy():
    assert percentile([1, 2, 3, 4], 50) == pytest.approx(2.5)
    assert percentile([1, 2, 3, 4], 95) == pytest.approx(3.85)
    assert percentile([7.0], 95) == 7.0
    assert percentile([], 50) is None and median([]) is None
    rng = random.Random(1)
    xs = [rng.uniform(0, 10) for _ in range(37)]
    for q in (0, 10, 50, 90, 95, 100):
        assert percentile(xs, q) == pytest.approx(float(np.percentile(xs, q)))


def test_latency_is_last_caption_time_minus_turn_end():
    caps = [
        cap("agent", 0.2, 3.0, 4.0),
        cap("agent", 3.0, 5.1, 6.5),  # the turn's second half: its latency counts
        cap("customer", 6.1, 9.9, 11.0),
        cap("agent", 11.0, 15.0, 17.0),
        cap("agent", 25.0, 26.0, 27.0),  # overlaps no turn: a hallucination
        cap("agent", 1.0, 2.0, 30.0, final=False),  # partials never count as finals
        cap("agent", 12.0, 13.0, 40.0, text="  "),  # empty finals carry no words
    ]
    rep = turn_latencies(TURNS, caps, slack=0.0)
    assert [r.latency for r in rep.turns] == [pytest.approx(1.5), pytest.approx(1.0),
                                             pytest.approx(2.0), None]
    assert rep.unmatched_turns == 1
    assert rep.unmatched_captions == 1
    assert rep.p50 == pytest.approx(1.5)
    assert rep.p95 == pytest.approx(1.95)
    assert rep.max == pytest.approx(2.0)
    assert len(rep.turns[0].captions) == 2
    d = rep.to_dict()
    assert d["scored"] == 3 and d["turns"] == 4 and d["p50"] == 1.5


def test_a_caption_belongs_to_the_turn_it_overlaps_most():
    turns = [Turn("agent", 0.0, 5.0, "a"), Turn("agent", 6.0, 10.0, "b")]
    by_turn, orphans = assign(turns, [cap("agent", 4.0, 9.0, 9.5)], slack=0.0)
    assert by_turn == {1: [cap("agent", 4.0, 9.0, 9.5)]} and orphans == []
    # Channels never mix: the customer's caption cannot land in an agent turn.
    by_turn, orphans = assign(turns, [cap("customer", 0.0, 5.0, 6.0)], slack=0.0)
    assert by_turn == {} and len(orphans) == 1


def test_slack_absorbs_timestamp_drift():
    turns = [Turn("agent", 1.0, 3.0, "a")]
    late = [cap("agent", 3.2, 3.4, 4.0)]  # word times a little past the turn's end
    assert turn_latencies(turns, late, slack=0.0).unmatched_turns == 1
    assert turn_latencies(turns, late).turns[0].latency == pytest.approx(1.0)
    point = [cap("agent", 2.0, 2.0, 3.5)]  # a zero-length caption inside the turn
    assert turn_latencies(turns, point, slack=0.0).turns[0].latency == pytest.approx(0.5)


def test_time_to_first_partial():
    caps = [
        cap("agent", 0.0, 1.0, 1.2, final=False),
        cap("agent", 0.0, 2.0, 2.4, final=False),
        cap("customer", 6.0, 7.0, 6.8, final=False),
        cap("agent", 0.0, 5.0, 6.0),  # a final is not a partial
    ]
    firsts, med = time_to_first_partial(TURNS, caps, slack=0.0)
    assert firsts == [pytest.approx(1.2), pytest.approx(0.8), None, None]
    assert med == pytest.approx(1.0)
    assert score(TURNS, caps, slack=0.0).first_partial_median == pytest.approx(1.0)


def test_no_captions_at_all():
    rep = score(TURNS, [])
    assert (rep.p50, rep.p95, rep.max, rep.unmatched_turns) == (None, None, None, 4)
    assert rep.first_partial_median is None
