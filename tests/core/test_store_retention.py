"""Retention on a real SQLite file, plain and encrypted: which calls expire, and that their text
is really erased."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from store_kinds import KINDS, StoreKind, make_kind

from copilot.events import Caption
from copilot.settings import Settings
from copilot.store.db import CallStore
from copilot.store.retention import delete_older_than, expired_calls

NOW = datetime(2025, 6, 30, 12, 0, tzinfo=UTC)
OLD_WORD = "heliotrope-5521"


@pytest.fixture(params=KINDS)
def store_kind(request: pytest.FixtureRequest, tmp_path: Path) -> StoreKind:
    return make_kind(request.param, tmp_path)


def _call(store: CallStore, days_ago: float, word: str, *, end: bool = True) -> int:
    call = store.start_call(f"{word}.wav", title=word, started_at=NOW - timedelta(days=days_ago))
    for n in range(5):
        store.add_segment(call, Caption(id=f"c{n}", final=True, channel="customer", start=n,
                                        end=n + 0.8, at=n + 1, lang="en", text=f"{word} line {n}"))
    store.add_event(call, "after_call", 5.0, {"note": f"note about {word}", "disposition": "other"})
    if end:
        store.end_call(call)
    return call


def _disk(db: Path) -> bytes:
    return b"".join(Path(f"{db}{s}").read_bytes() for s in ("", "-wal", "-shm")
                    if Path(f"{db}{s}").exists())


def test_old_calls_are_erased_from_every_file_and_recent_ones_kept(tmp_path: Path,
                                                                   store_kind: StoreKind) -> None:
    db = tmp_path / "calls.sqlite3"
    with store_kind.open(db) as store:
        old1 = _call(store, 45, OLD_WORD)
        old2 = _call(store, 31, OLD_WORD)
        recent = _call(store, 29.9, "recent-call")
        today = _call(store, 0, "today-call")
        assert (OLD_WORD.encode() in _disk(db)) is not store_kind.encrypted

        assert delete_older_than(store, 30, NOW) == [old1, old2]
        assert [c.id for c in store.list_calls()] == [recent, today]
        assert store.segments(old1) == [] and store.events(old2) == []
        assert len(store.segments(recent)) == 5
    assert OLD_WORD.encode() not in _disk(db)
    assert (b"recent-call" in _disk(db)) is not store_kind.encrypted
    with store_kind.open(db) as store:  # what was kept reads back
        assert [c.title for c in store.list_calls()] == ["recent-call", "today-call"]


def test_zero_days_keeps_everything(tmp_path: Path, store_kind: StoreKind) -> None:
    with store_kind.open(tmp_path / "calls.sqlite3") as store:
        ids = [_call(store, 4000, "ancient"), _call(store, 1, "new")]
        assert delete_older_than(store, 0, NOW) == []
        assert [c.id for c in store.list_calls()] == ids


def test_active_and_unreadable_calls_are_never_erased(tmp_path: Path,
                                                      store_kind: StoreKind) -> None:
    with store_kind.open(tmp_path / "calls.sqlite3") as store:
        active = _call(store, 90, "still-recording", end=False)
        odd = _call(store, 90, "odd-date")
        store.conn.execute("UPDATE calls SET started_at = 'yesterday-ish' WHERE id = ?", (odd,))
        naive = _call(store, 90, "naive-date")
        store.conn.execute("UPDATE calls SET started_at = ? WHERE id = ?",
                           ((NOW - timedelta(days=90)).replace(tzinfo=None).isoformat(), naive))
        assert [c.id for c in expired_calls(store, 7, NOW)] == [naive]
        assert delete_older_than(store, 7, NOW) == [naive]
        assert {c.id for c in store.list_calls()} == {active, odd}


def test_bad_arguments_are_refused_with_a_clear_message(tmp_path: Path,
                                                        store_kind: StoreKind) -> None:
    with store_kind.open(tmp_path / "calls.sqlite3") as store:
        with pytest.raises(ValueError, match="whole number of days"):
            delete_older_than(store, -1, NOW)
        with pytest.raises(ValueError, match="whole number of days"):
            delete_older_than(store, 2.5, NOW)  # type: ignore[arg-type]
        with pytest.raises(ValueError, match="timezone-aware"):
            delete_older_than(store, 3, datetime(2025, 1, 1))


def test_retention_days_round_trips_through_the_settings_file(tmp_path: Path) -> None:
    s = Settings()
    assert s.store.retention_days == 0  # keep forever unless the site says otherwise
    s.store.retention_days = 90
    s.save(tmp_path / "settings.toml")
    assert Settings.load(tmp_path / "settings.toml").store.retention_days == 90
