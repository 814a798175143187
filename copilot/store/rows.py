"""Plain records read back from the call database.

Kept apart from db.py so exporters and the UI can use them without touching sqlite3.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

ACTIVE = "active"
COMPLETED = "completed"
INTERRUPTED = "interrupted"
STATUSES = (ACTIVE, COMPLETED, INTERRUPTED)


@dataclass(frozen=True)
class CallRow:
    id: int
    started_at: str  # wall-clock ISO 8601, UTC
    ended_at: str | None  # None while the call is active
    status: str
    source: str
    title: str
    meta: dict[str, Any]
    segment_count: int = 0

    @property
    def duration(self) -> float | None:
        """Wall-clock seconds from start to end; None while active or if a time is unreadable."""
        if self.ended_at is None:
            return None
        try:
            start = datetime.fromisoformat(self.started_at)
            end = datetime.fromisoformat(self.ended_at)
        except ValueError:
            return None
        return max(0.0, (end - start).total_seconds())


@dataclass(frozen=True)
class SegmentRow:
    """One final caption. Times are seconds on the call clock."""

    id: int
    call_id: int
    caption_id: str
    channel: str
    start: float
    end: float
    lang: str
    text: str


@dataclass(frozen=True)
class EventRow:
    id: int
    call_id: int
    type: str
    at: float  # seconds on the call clock
    payload: dict[str, Any]
