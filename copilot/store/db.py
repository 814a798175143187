"""The call database: calls, their final segments and their events, in one SQLite file.

Durability (DESIGN Principle 5): WAL with synchronous=FULL, and every write is its own committed
transaction, so a segment is on disk when add_segment() returns and a crash loses at most the
utterance still being transcribed. Erasure: secure_delete zeroes what a DELETE frees, then the
file is vacuumed and the write-ahead log checkpointed and truncated, so a deleted call's text is
in none of the database files (main, -wal, -shm).

In content debug mode (copilot/logs.py) a call also has a debug file beside the database,
`calls-debug/call-<id>.log`: opened by start_call, closed by end_call, erased by delete_call and
by retention (copilot/store/retention.py) with the call.

One CallStore is one connection, used from one thread at a time (the session's writer thread).
Readers such as the CLI open their own CallStore; WAL lets them read while a call is recorded.

Encryption at rest is opt-in (StoreOptions, copilot/store/options.py, built by whoever opens the
store from the settings): the same store on SQLCipher (copilot/store/cipher.py), keyed from the
system keyring or a key file (keys.py); a plain database is encrypted in place the first time
it is opened so (encrypt_migration.py). An encrypted one is never opened as plain, and one file
is never open in this process as both (open_here.py says why).
"""

from __future__ import annotations

import json
import logging
import math
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from copilot import logs
from copilot.events import Caption
from copilot.store.connect import Opener, configure
from copilot.store.errors import (
    EraseIncompleteError,
    NotADatabaseError,
    StoreError,
)
from copilot.store.migrations import check_current, migrate
from copilot.store.options import PLAIN, StoreOptions
from copilot.store.rows import (
    ACTIVE,
    COMPLETED,
    INTERRUPTED,
    CallRow,
    EventRow,
    SegmentRow,
)

log = logging.getLogger(__name__)

# --- time helpers ---------------------------------------------------------------------------

def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds")


def _now() -> datetime:
    return datetime.now(UTC)


# --- the store ------------------------------------------------------------------------------

_CALL_COLUMNS = (
    "c.id, c.started_at, c.ended_at, c.status, c.source, c.title, c.meta, "
    "(SELECT COUNT(*) FROM segments s WHERE s.call_id = c.id)"
)


def _call_row(row: tuple[Any, ...]) -> CallRow:
    meta = json.loads(row[6]) if row[6] else {}
    return CallRow(id=row[0], started_at=row[1], ended_at=row[2], status=row[3],
                   source=row[4], title=row[5], meta=meta, segment_count=row[7])


class CallStore:
    """Calls, final segments and events in one SQLite file. A context manager; close() when done."""

    def __init__(self, path: str | Path, *, timeout: float = 10.0,
                 content_debug: bool = False, options: StoreOptions | None = None) -> None:
        """`content_debug`: the calls this store starts get a debug file (copilot/logs.py);
        the caller has checked the settings and the site policy (logs.content_debug_allowed).
        `options`: plain (the default) or encrypted, and where the key is
        (copilot/store/options.py; `options_from_settings`)."""
        self.path = Path(path)
        self.options = options or PLAIN
        self.content_debug = content_debug and str(path) != ":memory:"
        self._opener = Opener(self.path, self.options)
        try:
            conn = self._opener.connect(timeout)
        except BaseException:
            self._opener.release()
            raise
        try:
            if self.options.read_only:
                conn.execute("PRAGMA query_only = ON")
                check_current(conn, name=str(self.path))
            else:
                configure(conn, self.path)
                migrate(conn, name=f"The call database {self.path}")
        except BaseException as e:
            conn.close()
            self._opener.release()
            if isinstance(e, StoreError) or not isinstance(e, sqlite3.DatabaseError):
                raise
            code = (getattr(e, "sqlite_errorcode", 0) or 0) & 0xFF
            if code in (sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_CORRUPT):
                raise NotADatabaseError(self._opener.unreadable(e, code)) from e
            raise StoreError(f"cannot open the call database {self.path}: {e}") from e
        self._conn: sqlite3.Connection | None = conn
        # The calls this store is recording, each with an owner lock (copilot/locks.py): another
        # process opening the store can then tell a call still being recorded from one whose
        # recording process died, and marks only the latter interrupted (at once, here).
        self._owners: dict[int, Any] = {}
        if str(self.path) != ":memory:" and not self.options.read_only:
            try:
                self.recover_interrupted()
            except (StoreError, sqlite3.Error) as e:
                log.warning("could not mark crashed calls interrupted: %s", type(e).__name__)

    def _owner_path(self, call_id: int) -> Path:
        return self.path.parent / "call-owners" / f"{self.path.name}.call-{call_id}.lock"

    @classmethod
    def open(cls, path: str | Path, options: StoreOptions | None = None) -> CallStore:
        return cls(path, options=options)

    # -- lifecycle --

    @property
    def conn(self) -> sqlite3.Connection:
        if self._conn is None:
            raise StoreError(f"the call database {self.path} is closed")
        return self._conn

    @property
    def debug_folder(self) -> Path:
        """The folder whose calls-debug/ holds this database's debug files."""
        return self.path.parent

    def close(self) -> None:
        if self.content_debug:
            logs.end_call_debug()  # a call left open by a crash of its session
        for owner in self._owners.values():
            # The call was not ended (its session failed): it stays 'active' until the next
            # store opened after this one marks it interrupted.
            owner.release(remove=False)
        self._owners.clear()
        if self._conn is not None:
            self._conn.close()
            self._conn = None
        self._opener.release()

    def __enter__(self) -> CallStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        conn = self.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise

    # -- writing (the session's writer thread) --

    def recover_interrupted(self) -> list[int]:
        """Mark calls left 'active' by a crash as 'interrupted'; their segments stay.

        A call whose recording process is still running (it holds the call's owner lock, in
        this process or another) is left alone; so is one this store is recording. Runs each
        time a store is opened, so the command line alone can list, export and delete the calls
        of a crashed recording.
        """
        from copilot.locks import owner_alive

        with self._transaction() as conn:
            rows = [row for row in conn.execute(
                'SELECT c.id, c.started_at, MAX(s."end") FROM calls c '
                "LEFT JOIN segments s ON s.call_id = c.id "
                "WHERE c.status = ? GROUP BY c.id ORDER BY c.id", (ACTIVE,)
            ).fetchall() if row[0] not in self._owners and not owner_alive(
                self._owner_path(row[0]))]
            for call_id, started_at, last_end in rows:
                # The real end is unknown; the end of the last kept segment is the best estimate.
                try:
                    ended = _iso(datetime.fromisoformat(started_at)
                                 + timedelta(seconds=last_end or 0.0))
                except ValueError:
                    ended = started_at
                conn.execute("UPDATE calls SET status = ?, ended_at = ? WHERE id = ?",
                             (INTERRUPTED, ended, call_id))
        for call_id, _started, _end in rows:
            self._owner_path(call_id).unlink(missing_ok=True)
        return [row[0] for row in rows]

    def start_call(self, source: str, title: str = "", meta: dict[str, Any] | None = None, *,
                   started_at: datetime | None = None) -> int:
        cur = self.conn.execute(
            # after every number ever given, even to a call since deleted (migrations.py)
            "INSERT INTO calls (id, started_at, status, source, title, meta) VALUES ("
            "(SELECT MAX(last, COALESCE((SELECT MAX(id) FROM calls), 0)) + 1 FROM call_id_floor),"
            " ?, ?, ?, ?, ?)",
            (_iso(started_at or _now()), ACTIVE, source, title,
             json.dumps(meta or {}, ensure_ascii=False)),
        )
        call_id = int(cur.lastrowid or 0)
        if str(self.path) != ":memory:":
            from copilot.locks import OwnerLock

            try:
                self._owners[call_id] = OwnerLock(self._owner_path(call_id))
            except (OSError, RuntimeError) as e:
                # Without it another process may take the call for a crashed one: say so.
                log.warning("call %s: no owner lock (%s)", call_id, type(e).__name__)
        if self.content_debug:
            try:
                logs.begin_call_debug(logs.call_debug_path(self.debug_folder, call_id))
            except OSError as e:  # debugging aid only: the call goes on without it
                log.warning("call %s: content debug file cannot be written: %s", call_id, e)
        return call_id

    def add_segment(self, call_id: int, caption: Caption) -> int:
        """Store one final (already redacted) caption; durable when this returns. Returns row id."""
        if not caption.final:
            raise ValueError(f"only final captions are stored (got partial {caption.id!r})")
        cur = self.conn.execute(
            'INSERT INTO segments (call_id, caption_id, channel, start, "end", lang, text) '
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (call_id, caption.id, caption.channel, caption.start, caption.end, caption.lang,
             caption.text),
        )
        return int(cur.lastrowid or 0)

    def amend_segment(self, call_id: int, caption: Caption) -> bool:
        """Overwrite a stored caption with a safer text (redaction learned later that it held
        part of a card number) and erase the old text from the files: secure_delete zeroes the
        old row's bytes in the page, and a TRUNCATE checkpoint moves the page into the main file
        and cuts the write-ahead log, which held the earlier version. Returns whether the
        caption was stored. A reader holding the log open delays the erasure to the next
        checkpoint (logged; the new text is in place either way)."""
        cur = self.conn.execute(
            "UPDATE segments SET text = ? WHERE call_id = ? AND caption_id = ?",
            (caption.text, call_id, caption.id))
        if cur.rowcount == 0:
            return False
        busy, _log, _done = self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        if busy:
            log.warning("call %s: an amended caption's old text stays in the write-ahead log "
                        "until another program stops reading %s", call_id, self.path)
        return True

    def add_event(self, call_id: int, type: str, at: float, payload: dict[str, Any]) -> int:
        cur = self.conn.execute(
            "INSERT INTO events (call_id, type, at, payload) VALUES (?, ?, ?, ?)",
            (call_id, type, at, json.dumps(payload, ensure_ascii=False)),
        )
        return int(cur.lastrowid or 0)

    def end_call(self, call_id: int, status: str = COMPLETED, *,
                 length: float | None = None) -> None:
        """Mark the call ended now; with `length` (seconds on the call clock), that long after
        it started instead: a recording transcribed faster than it plays lasts as long as its
        audio, not as long as the processing took (a crashed call's end is estimated the
        same way)."""
        if status not in (COMPLETED, INTERRUPTED):
            raise ValueError(f"a call ends as {COMPLETED!r} or {INTERRUPTED!r}, not {status!r}")
        if self.content_debug:
            logs.end_call_debug(logs.call_debug_path(self.debug_folder, call_id))
        ended = _iso(_now())
        if length is not None and math.isfinite(length) and length >= 0:
            row = self.conn.execute("SELECT started_at FROM calls WHERE id = ?",
                                    (call_id,)).fetchone()
            try:
                if row is not None:
                    ended = _iso(datetime.fromisoformat(row[0]) + timedelta(seconds=length))
            except (TypeError, ValueError):
                pass  # an unreadable start: now is the best there is
        cur = self.conn.execute("UPDATE calls SET status = ?, ended_at = ? WHERE id = ?",
                                (status, ended, call_id))
        owner = self._owners.pop(call_id, None)
        if owner is not None:
            owner.release()
        if cur.rowcount == 0:
            raise KeyError(f"no call with id {call_id}")

    # -- reading --

    def list_calls(self) -> list[CallRow]:
        rows = self.conn.execute(f"SELECT {_CALL_COLUMNS} FROM calls c ORDER BY c.id").fetchall()
        return [_call_row(r) for r in rows]

    def get_call(self, call_id: int) -> CallRow | None:
        row = self.conn.execute(f"SELECT {_CALL_COLUMNS} FROM calls c WHERE c.id = ?",
                                (call_id,)).fetchone()
        return _call_row(row) if row else None

    def segments(self, call_id: int) -> list[SegmentRow]:
        rows = self.conn.execute(
            'SELECT id, call_id, caption_id, channel, start, "end", lang, text FROM segments '
            "WHERE call_id = ? ORDER BY start, id", (call_id,)
        ).fetchall()
        return [SegmentRow(*r) for r in rows]

    def events(self, call_id: int) -> list[EventRow]:
        rows = self.conn.execute(
            "SELECT id, call_id, type, at, payload FROM events WHERE call_id = ? ORDER BY at, id",
            (call_id,),
        ).fetchall()
        return [EventRow(i, c, t, a, json.loads(p) if p else {}) for i, c, t, a, p in rows]

    # -- erasing --

    def delete_call(self, call_id: int) -> bool:
        """Delete a call with its segments and events, and erase its text from the files,
        its content debug file included (first: if that fails, the call is kept).

        Returns False if there was no such call. Raises EraseIncompleteError if the delete
        committed but another connection kept the write-ahead log from being truncated.
        """
        self.erase_debug_file(call_id)
        with self._transaction() as conn:
            deleted = conn.execute("DELETE FROM calls WHERE id = ?", (call_id,)).rowcount
        if not deleted:
            return False
        self.erase_residue()
        return True

    def erase_debug_file(self, call_id: int) -> bool:
        """Erase call `call_id`'s content debug file, if it has one (copilot/logs.py)."""
        if str(self.path) == ":memory:":
            return False
        try:
            return logs.erase_call_debug(self.debug_folder, call_id)
        except OSError as e:
            raise StoreError(f"cannot erase the debug file of call {call_id}: {e}") from e

    def erase_orphan_debug_files(self) -> list[int]:
        """Erase the debug files of calls this database does not have (it was replaced, or an
        older version deleted the call); the ids whose file was erased."""
        if str(self.path) == ":memory:":
            return []
        known = {row[0] for row in self.conn.execute("SELECT id FROM calls")}
        try:
            return logs.erase_orphan_debug_files(self.debug_folder, known)
        except OSError as e:
            raise StoreError(f"cannot erase old debug files in {self.debug_folder}: {e}") from e

    def erase_residue(self) -> None:
        """Rewrite the database so no deleted content survives in the main file or the WAL.

        secure_delete zeroes freed pages, but older versions of those pages still sit in the WAL
        as earlier frames, and freelist pages keep the file large. VACUUM rebuilds the file from
        live rows only (it goes through the WAL too), then a TRUNCATE checkpoint copies the
        result into the main file and cuts the WAL to zero bytes. Costs a full rewrite, which
        is acceptable for an explicit user delete.
        """
        conn = self.conn
        conn.execute("VACUUM")
        busy, _log, _done = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        if busy:
            raise EraseIncompleteError(
                f"the call was deleted, but another program is reading {self.path}, so its text "
                "is still in the write-ahead log; it is erased when that program closes the "
                "database"
            )

    def integrity_check(self) -> str:
        """'ok', or SQLite's description of the first problems found."""
        rows = self.conn.execute("PRAGMA integrity_check").fetchall()
        return "\n".join(str(r[0]) for r in rows)
