"""Caption latency against timed reference turns.

A turn's latency is how long after the speaker stopped the agent could read all of it: the latest
emission time (`at`) of the final captions that carry the turn, minus the turn's end. A caption
is given to the one turn (same channel) it overlaps most in time, so an utterance the ASR cut in
two still counts once, with its later half, and a caption spilling a little into the next turn
does not delay that turn. Turns without any final caption are counted as unmatched, not scored.

Captions are duck-typed (channel, start, end, at, text, final): `copilot.events.Caption` from the
pipeline and the peer's committed words both fit.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

# ASR timestamps drift by a few hundred ms (Whisper's word times, the VAD's padding), so a turn
# is widened by this much on each side when looking for its captions. Same-channel turns in a call
# are separated by the other speaker's turn, normally seconds, so this does not merge turns.
DEFAULT_SLACK = 0.5


class TurnLike(Protocol):
    channel: str
    start: float
    end: float
    text: str


@dataclass
class TurnLatency:
    turn: Any
    latency: float | None  # None: no final caption matched
    captions: list[Any] = field(default_factory=list)


@dataclass
class LatencyReport:
    turns: list[TurnLatency]
    p50: float | None
    p95: float | None
    max: float | None
    unmatched_turns: int
    unmatched_captions: int  # finals overlapping no turn (hallucinations, crosstalk, noise)
    first_partial_median: float | None = None

    def to_dict(self) -> dict[str, Any]:
        def r(x: float | None) -> float | None:
            return None if x is None else round(x, 3)
        return {"turns": len(self.turns), "scored": len(self.turns) - self.unmatched_turns,
                "p50": r(self.p50), "p95": r(self.p95), "max": r(self.max),
                "unmatched_turns": self.unmatched_turns,
                "unmatched_captions": self.unmatched_captions,
                "first_partial_median": r(self.first_partial_median)}


def percentile(values: Sequence[float], q: float) -> float | None:
    """q-th percentile (0..100), linear interpolation between closest ranks (numpy's default)."""
    if not values:
        return None
    xs = sorted(values)
    pos = (len(xs) - 1) * min(max(q, 0.0), 100.0) / 100.0
    lo = int(pos)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)


def median(values: Sequence[float]) -> float | None:
    return percentile(values, 50.0)


def _overlap(cap: Any, turn: TurnLike, slack: float) -> float | None:
    """Seconds of overlap with the widened turn; None when they do not touch.

    A zero-length caption (a single word time) inside the turn counts with overlap 0.
    """
    lo = max(cap.start, turn.start - slack)
    hi = min(cap.end, turn.end + slack)
    if hi > lo or (hi == lo and cap.start == cap.end):
        return hi - lo
    return None


def assign(turns: Sequence[TurnLike], captions: Iterable[Any],
           slack: float = DEFAULT_SLACK) -> tuple[dict[int, list[Any]], list[Any]]:
    """Map each caption with text to the index of the turn it overlaps most (same channel).

    Returns ({turn index: captions}, captions that overlap no turn). Ties go to the earlier turn.
    """
    by_turn: dict[int, list[Any]] = {}
    orphans: list[Any] = []
    for cap in captions:
        if not (cap.text or "").strip():
            continue  # an empty final only says "that was not speech"
        best, best_ov = None, -1.0
        for i, turn in enumerate(turns):
            if turn.channel != cap.channel:
                continue
            ov = _overlap(cap, turn, slack)
            if ov is not None and ov > best_ov:
                best, best_ov = i, ov
        if best is None:
            orphans.append(cap)
        else:
            by_turn.setdefault(best, []).append(cap)
    return by_turn, orphans


def _spoken(turns: Sequence[TurnLike]) -> list[TurnLike]:
    return [t for t in turns if (t.text or "").strip()]


def turn_latencies(turns: Sequence[TurnLike], captions: Iterable[Any],
                   slack: float = DEFAULT_SLACK) -> LatencyReport:
    """Latency of every spoken turn from the final captions; partials are ignored here."""
    turns = _spoken(turns)
    finals = [c for c in captions if getattr(c, "final", True)]
    by_turn, orphans = assign(turns, finals, slack)
    rows: list[TurnLatency] = []
    for i, turn in enumerate(turns):
        caps = sorted(by_turn.get(i, []), key=lambda c: c.start)
        lat = max(c.at for c in caps) - turn.end if caps else None
        rows.append(TurnLatency(turn, lat, caps))
    lats = [r.latency for r in rows if r.latency is not None]
    return LatencyReport(rows, percentile(lats, 50), percentile(lats, 95),
                         max(lats) if lats else None, len(rows) - len(lats), len(orphans))


def time_to_first_partial(turns: Sequence[TurnLike], captions: Iterable[Any],
                          slack: float = DEFAULT_SLACK) -> tuple[list[float | None], float | None]:
    """Per spoken turn: first partial caption's `at` minus the turn's start; and their median.

    How soon after someone starts talking the agent sees words. Turns without partials get None
    (a short turn may go straight to its final) and are left out of the median.
    """
    turns = _spoken(turns)
    partials = [c for c in captions if not getattr(c, "final", True)]
    by_turn, _ = assign(turns, partials, slack)
    firsts: list[float | None] = []
    for i, turn in enumerate(turns):
        caps = by_turn.get(i)
        firsts.append(min(c.at for c in caps) - turn.start if caps else None)
    return firsts, median([x for x in firsts if x is not None])


def score(turns: Sequence[TurnLike], captions: Iterable[Any],
          slack: float = DEFAULT_SLACK) -> LatencyReport:
    """Final-caption latencies plus the median time to the first partial, in one report."""
    captions = list(captions)
    report = turn_latencies(turns, captions, slack)
    report.first_partial_median = time_to_first_partial(turns, captions, slack)[1]
    return report
