"""Schema migrations keyed on PRAGMA user_version; version 1 is schema.sql."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator, Sequence
from importlib import resources

from copilot.store.errors import NewerSchemaError, NotADatabaseError, StoreError

Migration = Callable[[sqlite3.Connection], None]


def _statements(script: str) -> Iterator[str]:
    """Split an SQL script into statements.

    executescript() would be simpler, but on Python 3.11 it COMMITs first, and each migration
    step must run inside the one transaction that also sets user_version.
    """
    pending = ""
    for line in script.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            yield pending
            pending = ""
    leftover = [ln for ln in pending.splitlines() if ln.strip() and not ln.strip().startswith("--")]
    if leftover:
        raise ValueError(f"incomplete SQL statement at the end of a migration: {pending!r}")


def run_script(conn: sqlite3.Connection, script: str) -> None:
    for statement in _statements(script):
        conn.execute(statement)


def _create_schema_v1(conn: sqlite3.Connection) -> None:
    sql = resources.files("copilot.store").joinpath("schema.sql").read_text(encoding="utf-8")
    run_script(conn, sql)


# Version 2: a call's number is never given again once the call is deleted. SQLite gives a new
# row the largest id + 1, so deleting the newest call gave its number to the next one (a
# walk-through: "call 6" deleted, the next call was call 6 too, and a ticket or a `calls delete
# 6` run later named another call). The largest number ever given is kept (a trigger keeps it
# whoever inserts), and CallStore.start_call numbers a call after it. (AUTOINCREMENT would need
# the table rebuilt, which the segments' and events' cascading keys make unsafe in place.)
_CALL_ID_FLOOR = """
CREATE TABLE call_id_floor (last INTEGER NOT NULL);
INSERT INTO call_id_floor (last) SELECT COALESCE(MAX(id), 0) FROM calls;
CREATE TRIGGER calls_raise_id_floor AFTER INSERT ON calls
BEGIN
    UPDATE call_id_floor SET last = NEW.id WHERE last < NEW.id;
END;
"""


def _call_ids_never_reused(conn: sqlite3.Connection) -> None:
    run_script(conn, _CALL_ID_FLOOR)


# MIGRATIONS[i] brings a database from user_version i to i + 1. Append only: a released step is
# never edited, because databases out there were built by it.
MIGRATIONS: list[Migration] = [_create_schema_v1, _call_ids_never_reused]


def schema_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(conn: sqlite3.Connection, steps: Sequence[Migration] = MIGRATIONS,
            name: str = "the call database") -> int:
    """Bring the database up to len(steps); refuse one from a newer version. Returns the version.

    The connection must be in autocommit mode (isolation_level=None). Each step commits together
    with its user_version, so a crash mid-migration leaves the previous version intact.
    """
    target = len(steps)
    while True:
        version = schema_version(conn)
        if version > target:
            raise NewerSchemaError(
                f"{name} was written by a newer version of Agent Copilot (schema version "
                f"{version}; this version understands up to {target}). Update the app to open it."
            )
        if version == target:
            return version
        conn.execute("BEGIN IMMEDIATE")
        try:
            # Read again under the write lock: another process may have migrated meanwhile.
            if schema_version(conn) == version:
                steps[version](conn)
                conn.execute(f"PRAGMA user_version = {version + 1}")
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise


# The tables every version of the call database has.
_CALL_TABLES = ("calls", "segments", "events")


def check_current(conn: sqlite3.Connection, steps: Sequence[Migration] = MIGRATIONS,
                  name: str = "the call database") -> int:
    """For a store opened read-only, which cannot migrate: the database must be a call
    database at this version. Returns the version; reads only."""
    version = schema_version(conn)
    found = {r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table'")}
    if version == 0 or not set(_CALL_TABLES) <= found:
        raise NotADatabaseError(f"{name} is not a call database (it has no call tables); "
                                "nothing was changed")
    if version > len(steps):
        raise NewerSchemaError(
            f"{name} was written by a newer version of Agent Copilot (schema version "
            f"{version}; this version understands up to {len(steps)}). Update the app to read it.")
    if version < len(steps):
        raise StoreError(
            f"{name} was written by an older version of Agent Copilot (schema version "
            f"{version}; this version reads {len(steps)}). It is read without being changed, so "
            "it cannot be updated here: open it once with this version where it was written, "
            "or make the report there.")
    return version
