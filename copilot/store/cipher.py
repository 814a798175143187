"""Opening an encrypted call database: SQLCipher (the `sqlcipher3` module, a DB-API twin of the
standard library's sqlite3), keyed right after connecting, checked before anything is written.

SQLCipher encrypts every page of the main file and of the write-ahead log (AES-256 with an HMAC
per page), so WAL, synchronous=FULL, secure_delete and the TRUNCATE checkpoints of db.py work as
they do on a plain file. The -shm file holds only the WAL index (page numbers, no content).

The connection is wrapped so that it raises the standard library's sqlite3 exceptions: the rest
of the app (the call session, the window's audit trail, the tests) catches `sqlite3.Error` and
`sqlite3.IntegrityError`, and must not need to know which SQLite library runs underneath.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from copilot.store.errors import NotADatabaseError, StoreError, WrongKeyError
from copilot.store.keys import StoreKey

SQLITE_MAGIC = b"SQLite format 3\x00"

MISSING, PLAIN, OTHER = "missing", "plain", "other"


def file_state(path: Path) -> str:
    """MISSING (no database yet), PLAIN (an SQLite file) or OTHER (encrypted, or not a
    database: only a key can tell)."""
    try:
        with open(path, "rb") as f:
            head = f.read(len(SQLITE_MAGIC))
    except FileNotFoundError:
        return MISSING
    except OSError as e:
        raise StoreError(f"cannot read the call database {path}: {e.strerror or e}") from None
    if not head:
        # SQLite takes an empty file for a new database; so do we, unless a write-ahead log
        # next to it holds what was committed (then only SQLite can tell what it is).
        wal = Path(f"{path}-wal")
        return PLAIN if wal.exists() and wal.stat().st_size > 0 else MISSING
    return PLAIN if head == SQLITE_MAGIC else OTHER


def dbapi() -> Any:
    try:
        import sqlcipher3.dbapi2 as module
    except ImportError as e:  # pragma: no cover - a dependency of the app
        raise StoreError("the call database is set to be encrypted, but SQLCipher is not "
                         f"installed ({e}); install the app's dependencies "
                         "(`pip install sqlcipher3-binary`)") from None
    return module


def _as_sqlite3(e: Exception) -> sqlite3.Error:
    """The standard library's exception of the same kind, with SQLite's error code."""
    kind = getattr(sqlite3, type(e).__name__, None)
    if not (isinstance(kind, type) and issubclass(kind, sqlite3.Error)):
        kind = sqlite3.DatabaseError
    out = kind(*e.args)
    for name in ("sqlite_errorcode", "sqlite_errorname"):
        if hasattr(e, name):
            setattr(out, name, getattr(e, name))
    return out


class _Cursor:
    __slots__ = ("_cur", "_errors")

    def __init__(self, cur: Any, errors: type[Exception]) -> None:
        self._cur, self._errors = cur, errors

    def fetchone(self) -> Any:
        try:
            return self._cur.fetchone()
        except self._errors as e:
            raise _as_sqlite3(e) from e

    def fetchall(self) -> list[Any]:
        try:
            return self._cur.fetchall()
        except self._errors as e:
            raise _as_sqlite3(e) from e

    def fetchmany(self, size: int = 1) -> list[Any]:
        try:
            return self._cur.fetchmany(size)
        except self._errors as e:
            raise _as_sqlite3(e) from e

    def __iter__(self) -> Iterator[Any]:
        while (row := self.fetchone()) is not None:
            yield row

    def __getattr__(self, name: str) -> Any:  # lastrowid, rowcount, description, close...
        return getattr(self._cur, name)


class CipherConnection:
    """A keyed SQLCipher connection that raises sqlite3's exceptions (see the module doc)."""

    def __init__(self, conn: Any, errors: type[Exception]) -> None:
        self._conn, self._errors = conn, errors

    def execute(self, sql: str, parameters: Any = ()) -> _Cursor:
        try:
            return _Cursor(self._conn.execute(sql, parameters), self._errors)
        except self._errors as e:
            raise _as_sqlite3(e) from e

    def executemany(self, sql: str, seq: Any) -> _Cursor:
        try:
            return _Cursor(self._conn.executemany(sql, seq), self._errors)
        except self._errors as e:
            raise _as_sqlite3(e) from e

    @property
    def in_transaction(self) -> bool:
        return bool(self._conn.in_transaction)

    def close(self) -> None:
        self._conn.close()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._conn, name)


def connect_keyed(path: Path, key: StoreKey, *, timeout: float,
                  read_only: bool = False) -> CipherConnection:
    """An autocommit connection to the encrypted database at `path` (created if missing,
    unless `read_only`: then it cannot write), keyed and checked: WrongKeyError, with the file
    untouched, if the key does not open it."""
    module = dbapi()
    try:
        if read_only:
            conn = module.connect(Path(path).resolve().as_uri() + "?mode=ro", uri=True,
                                  timeout=timeout, isolation_level=None,
                                  check_same_thread=False)
        else:
            conn = module.connect(str(path), timeout=timeout, isolation_level=None,
                                  check_same_thread=False)
    except module.Error as e:
        raise StoreError(f"cannot open the call database {path}: {e}") from None
    try:
        # SQLCipher writes its own diagnostics ("hmac check failed for pgno=1") to standard
        # error; the error below says what happened, once, in the app's words.
        conn.execute("PRAGMA cipher_log_level = NONE")
        # A PRAGMA takes no bound parameters; the key is 64 hex digits, checked when loaded.
        conn.execute(f'PRAGMA key = "{key.sqlcipher_literal()}"')
        # The first read decrypts page 1 (for a new file it only creates the schema cache):
        # a wrong key fails here, before anything could be written.
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except module.DatabaseError as e:
        conn.close()
        code = (getattr(e, "sqlite_errorcode", 0) or 0) & 0xFF
        if code == module.SQLITE_NOTADB:
            raise WrongKeyError(
                f"the call database {path} cannot be opened with the key from "
                f"{key.source.describe()}: it is the wrong key, or the file is not an encrypted "
                "call database. Nothing was changed; supply the key it was encrypted with."
            ) from None
        if code == module.SQLITE_CORRUPT:
            raise NotADatabaseError(f"{path} is damaged ({e}); nothing was changed") from None
        raise StoreError(f"cannot open the call database {path}: {e}") from None
    except BaseException:
        conn.close()
        raise
    return CipherConnection(conn, module.Error)
