"""CallStore on real SQLite files: pragmas, migrations, recovery, reads and writes, erasure.

Each test runs on a plain and on an encrypted store (store_kinds.py); what is only about
encryption (keys, migration, raw bytes) is in test_store_encryption.py."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from store_kinds import KINDS, StoreKind, make_kind

from copilot.events import Caption
from copilot.store.errors import EraseIncompleteError, NewerSchemaError
from copilot.store.migrations import MIGRATIONS, migrate, schema_version

MARKER = "zebra-quartz-7731"


@pytest.fixture(params=KINDS)
def store_kind(request: pytest.FixtureRequest, tmp_path: Path) -> StoreKind:
    return make_kind(request.param, tmp_path)


def caption(n: int, text: str, channel: str = "customer", final: bool = True) -> Caption:
    return Caption(id=f"c{n}", final=final, channel=channel, start=n * 2.0, end=n * 2.0 + 1.5,
                   at=n * 2.0 + 1.8, lang="en", text=text)


def raw_files(db: Path) -> dict[str, bytes]:
    """The bytes of the database and its WAL/shared-memory companions, as on disk."""
    out = {}
    for suffix in ("", "-wal", "-shm"):
        p = Path(f"{db}{suffix}")
        if p.exists():
            out[p.name] = p.read_bytes()
    return out


# --- opening: pragmas, schema, migrations ------------------------------------------------------

def test_pragmas_make_every_commit_durable_and_deletes_secure(tmp_path: Path,
                                                              store_kind: StoreKind) -> None:
    with store_kind.open(tmp_path / "calls.sqlite3") as store:
        pragma = lambda name: store.conn.execute(f"PRAGMA {name}").fetchone()[0]  # noqa: E731
        assert pragma("journal_mode") == "wal"
        assert pragma("synchronous") == 2  # FULL
        assert pragma("secure_delete") == 1
        assert pragma("foreign_keys") == 1
    # WAL is a property of the file, so other connections (readers) get it too.
    conn = store_kind.raw(tmp_path / "calls.sqlite3")
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()


def test_new_database_gets_schema_and_current_version(tmp_path: Path,
                                                      store_kind: StoreKind) -> None:
    with store_kind.open(tmp_path / "calls.sqlite3") as store:
        assert schema_version(store.conn) == len(MIGRATIONS) == 2
        tables = {r[0] for r in store.conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert {"calls", "segments", "events"} <= tables


def test_reopening_keeps_data_and_does_not_reapply_schema(tmp_path: Path,
                                                          store_kind: StoreKind) -> None:
    db = tmp_path / "calls.sqlite3"
    with store_kind.open(db) as store:
        call = store.start_call("a.wav", title="First", meta={"lang": "de"})
        store.add_segment(call, caption(1, "hello"))
    with store_kind.open(db) as store:
        [row] = store.list_calls()
        assert (row.id, row.title, row.meta, row.segment_count) == (call, "First", {"lang": "de"}, 1)


def test_database_from_a_newer_version_is_refused_untouched(tmp_path: Path,
                                                            store_kind: StoreKind) -> None:
    db = tmp_path / "calls.sqlite3"
    store_kind.open(db).close()
    conn = store_kind.raw(db)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    with pytest.raises(NewerSchemaError) as err:
        store_kind.open(db)
    assert str(db) in str(err.value) and "newer version" in str(err.value)
    conn = store_kind.raw(db)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 99
    conn.close()


def test_migration_steps_run_once_each_in_order(tmp_path: Path, store_kind: StoreKind) -> None:
    db = tmp_path / "calls.sqlite3"
    with store_kind.open(db) as store:
        store.start_call("a.wav")

    def add_notes(conn: sqlite3.Connection) -> None:
        conn.execute("ALTER TABLE calls ADD COLUMN notes TEXT NOT NULL DEFAULT ''")

    conn = store_kind.raw(db, isolation_level=None)
    assert migrate(conn, [*MIGRATIONS, add_notes]) == len(MIGRATIONS) + 1
    # a second ALTER would fail
    assert migrate(conn, [*MIGRATIONS, add_notes]) == len(MIGRATIONS) + 1
    assert conn.execute("SELECT notes FROM calls").fetchall() == [("",)]
    conn.close()
    with pytest.raises(NewerSchemaError):  # this app only knows up to len(MIGRATIONS)
        store_kind.open(db)


def test_failed_migration_step_leaves_previous_version(tmp_path: Path,
                                                       store_kind: StoreKind) -> None:
    db = tmp_path / "calls.sqlite3"
    store_kind.open(db).close()

    def broken(conn: sqlite3.Connection) -> None:
        conn.execute("CREATE TABLE half_done (x)")
        raise RuntimeError("step failed")

    conn = store_kind.raw(db, isolation_level=None)
    with pytest.raises(RuntimeError):
        migrate(conn, [*MIGRATIONS, broken])
    assert schema_version(conn) == len(MIGRATIONS)
    assert conn.execute("SELECT name FROM sqlite_master WHERE name = 'half_done'").fetchall() == []
    conn.close()


def test_file_that_is_not_a_database_is_named_in_the_error(tmp_path: Path,
                                                           store_kind: StoreKind) -> None:
    bogus = tmp_path / "calls.sqlite3"
    bogus.write_text("these are my notes, not a database\n" * 100)
    with pytest.raises(store_kind.unreadable) as err:
        store_kind.open(bogus)
    assert str(bogus) in str(err.value)


# --- writing and reading -----------------------------------------------------------------------

def test_call_lifecycle_segments_and_events(tmp_path: Path, store_kind: StoreKind) -> None:
    with store_kind.open(tmp_path / "calls.sqlite3") as store:
        call = store.start_call("agent-mic + softphone", title="Refund", meta={"k": [1, "ü"]})
        assert store.get_call(call).status == "active"
        store.add_segment(call, caption(2, "second", channel="agent"))
        store.add_segment(call, caption(1, "first"))
        store.add_event(call, "translation", 3.5, {"of": "c1", "text": "erste"})
        store.end_call(call)

        row = store.get_call(call)
        assert row.status == "completed" and row.ended_at is not None
        assert row.duration is not None and row.duration >= 0
        assert row.meta == {"k": [1, "ü"]} and row.segment_count == 2
        assert [s.text for s in store.segments(call)] == ["first", "second"]  # by start time
        seg = store.segments(call)[0]
        assert (seg.caption_id, seg.channel, seg.start, seg.end, seg.lang) == (
            "c1", "customer", 2.0, 3.5, "en")
        [event] = store.events(call)
        assert (event.type, event.at, event.payload) == ("translation", 3.5,
                                                         {"of": "c1", "text": "erste"})
        assert store.get_call(call + 100) is None
        assert store.segments(call + 100) == []


def test_partial_captions_and_bad_endings_are_rejected(tmp_path: Path,
                                                       store_kind: StoreKind) -> None:
    with store_kind.open(tmp_path / "calls.sqlite3") as store:
        call = store.start_call("a.wav")
        with pytest.raises(ValueError):
            store.add_segment(call, caption(1, "still talking", final=False))
        with pytest.raises(ValueError):
            store.end_call(call, status="active")
        with pytest.raises(KeyError):
            store.end_call(call + 1)
        with pytest.raises(sqlite3.IntegrityError):  # foreign keys are enforced
            store.add_segment(call + 1, caption(1, "orphan"))
        assert store.segments(call) == []


def test_recover_interrupted_marks_only_calls_left_active(tmp_path: Path,
                                                          store_kind: StoreKind) -> None:
    db = tmp_path / "calls.sqlite3"
    start = datetime(2025, 3, 1, 9, 30, tzinfo=UTC)
    with store_kind.open(db) as store:
        done = store.start_call("a.wav")
        store.end_call(done)
        crashed = store.start_call("b.wav", started_at=start)
        store.add_segment(crashed, caption(1, "one"))
        store.add_segment(crashed, caption(5, "five"))  # ends at 11.5 s
        empty = store.start_call("c.wav")
        # A second store opened while the first is still recording leaves its calls alone.
        with store_kind.open(db) as other:
            assert other.get_call(crashed).status == "active"
            assert other.recover_interrupted() == []
    # (The process "crashed": nobody called end_call on the last two.) Opening a store marks
    # them at once: the command line alone can list, export and delete them.
    with store_kind.open(db) as store:
        row = store.get_call(crashed)
        assert row.status == "interrupted"
        assert datetime.fromisoformat(row.ended_at) == start + timedelta(seconds=11.5)
        assert [s.text for s in store.segments(crashed)] == ["one", "five"]
        assert store.get_call(empty).status == "interrupted"
        assert store.get_call(done).status == "completed"
        assert store.recover_interrupted() == []


# --- erasure -----------------------------------------------------------------------------------

def test_delete_erases_the_text_from_every_database_file(tmp_path: Path,
                                                         store_kind: StoreKind) -> None:
    db = tmp_path / "calls.sqlite3"
    with store_kind.open(db) as store:
        keep = store.start_call("keep.wav", title="Kept")
        store.add_segment(keep, caption(1, "nothing secret here"))
        gone = store.start_call(f"{MARKER}.wav", title=MARKER, meta={"note": MARKER})
        for n in range(40):
            store.add_segment(gone, caption(n, f"my code word is {MARKER} number {n}"))
        store.add_event(gone, "translation", 1.0, {"text": MARKER})
        store.end_call(gone)
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # now in the main file...
        store.add_segment(gone, caption(41, f"late {MARKER}"))  # ...and in the WAL
        before = raw_files(db)
        if not store_kind.encrypted:  # the check below can see it (encrypted: never there)
            assert MARKER.encode() in before["calls.sqlite3"]
            assert MARKER.encode() in before["calls.sqlite3-wal"]

        assert store.delete_call(gone) is True
        assert store.delete_call(gone) is False
        for name, data in raw_files(db).items():
            assert MARKER.encode() not in data, f"{MARKER} still in {name}"
        assert store.get_call(gone) is None
        assert store.segments(gone) == [] and store.events(gone) == []
        assert [s.text for s in store.segments(keep)] == ["nothing secret here"]
    for name, data in raw_files(db).items():
        assert MARKER.encode() not in data, f"{MARKER} in {name} after close"


def test_delete_reports_when_a_reader_keeps_the_old_text_alive(tmp_path: Path,
                                                               store_kind: StoreKind) -> None:
    db = tmp_path / "calls.sqlite3"
    with store_kind.open(db, timeout=0.2) as store:
        call = store.start_call("a.wav")
        store.add_segment(call, caption(1, MARKER))
        store.end_call(call)
        reader = store_kind.raw(db, isolation_level=None)
        reader.execute("BEGIN")
        reader.execute("SELECT text FROM segments").fetchall()  # holds an old snapshot
        with pytest.raises(EraseIncompleteError, match="another program"):
            store.delete_call(call)
        reader.execute("COMMIT")
        reader.close()
        assert store.get_call(call) is None  # the delete itself was committed
        store.erase_residue()
        for name, data in raw_files(db).items():
            assert MARKER.encode() not in data, f"{MARKER} still in {name}"


def test_an_amended_caption_leaves_no_trace_of_its_old_text(tmp_path: Path,
                                                            store_kind: StoreKind) -> None:
    db = tmp_path / "calls.sqlite3"
    with store_kind.open(db) as store:
        call = store.start_call("a.wav")
        for n in range(30):  # neighbours on the same page, before and after
            store.add_segment(call, caption(n, f"neighbour {n}"))
        store.add_segment(call, caption(30, f"it's {MARKER} and more"))
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # in the main file...
        store.add_segment(call, caption(31, "after"))
        store.conn.execute("UPDATE calls SET title = 'x' WHERE id = ?", (call,))  # ...and WAL
        if not store_kind.encrypted:
            assert MARKER.encode() in raw_files(db)["calls.sqlite3"]

        assert store.amend_segment(call, caption(30, "it's [card number] and more")) is True
        assert store.amend_segment(call, caption(99, "no such caption")) is False
        texts = [s.text for s in store.segments(call)]
        assert texts[30] == "it's [card number] and more" and len(texts) == 32
        for name, data in raw_files(db).items():
            assert MARKER.encode() not in data, f"{MARKER} still in {name}"


def test_a_call_can_end_its_length_after_it_started(tmp_path: Path, store_kind: StoreKind) -> None:
    """A recording transcribed faster than it plays ends as long after its start as its audio
    lasts (the call clock), not when the processing did."""
    with store_kind.open(tmp_path / "calls.sqlite3") as store:
        call = store.start_call("replay.wav")
        store.end_call(call, length=125.5)
        assert store.get_call(call).duration == pytest.approx(125.5)
        other = store.start_call("mic")
        store.end_call(other, length=float("nan"))  # no usable length: now
        assert store.get_call(other).duration == pytest.approx(0.0, abs=5.0)


def test_a_deleted_calls_number_is_never_given_again(tmp_path: Path,
                                                     store_kind: StoreKind) -> None:
    db = tmp_path / "calls.sqlite3"
    with store_kind.open(db) as store:
        first, second = store.start_call("a.wav"), store.start_call("b.wav")
        store.end_call(second)
        store.delete_call(second)  # the newest: SQLite alone gave its number to the next call
        third = store.start_call("c.wav")
    assert (first, second, third) == (1, 2, 3)
    with store_kind.open(db) as store:  # kept across openings
        store.end_call(third)
        store.delete_call(third)
        assert store.start_call("d.wav") == 4


def test_a_version_1_database_keeps_its_calls_and_numbers_after_them(
        tmp_path: Path, store_kind: StoreKind) -> None:
    db = tmp_path / "calls.sqlite3"
    conn = store_kind.raw(db, isolation_level=None)
    migrate(conn, MIGRATIONS[:1])  # as the app before version 2 left it
    conn.execute("INSERT INTO calls (id, started_at, status) VALUES (7, '2026-12-01T10:00:00Z', "
                  "'completed')")
    conn.close()
    with store_kind.open(db) as store:
        assert [c.id for c in store.list_calls()] == [7]
        store.delete_call(7)
        assert store.start_call("e.wav") == 8
