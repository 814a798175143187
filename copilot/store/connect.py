"""Opening the call database's file: plain SQLite or SQLCipher (encrypted at rest), counted
open in this process as one or the other (open_here.py says why), encrypted in place the first
time an encrypted store finds a plain file (encrypt_migration.py), with messages that say what to
do when the file is not a readable call database. copilot/store/db.py's CallStore opens through
an `Opener` and keeps it to release the file when it closes."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

from copilot.store import open_here
from copilot.store.errors import NotADatabaseError, StoreBusyError, StoreError
from copilot.store.options import StoreOptions

log = logging.getLogger(__name__)

__all__ = ["Opener", "configure"]


class Opener:
    """One store's way to its file: `connect` claims it (as plain or encrypted) and connects;
    `release` gives the claim back."""

    def __init__(self, path: Path, options: StoreOptions) -> None:
        self.path = path
        self.options = options
        self.kind: str | None = None  # as what this store is counted open (open_here.py)

    def connect(self, timeout: float) -> sqlite3.Connection:
        if str(self.path) == ":memory:":
            return self._connect_plain(timeout)
        if not self.options.encrypt:
            self._claim()
            return self._connect_plain(timeout)
        from copilot.store import encrypt_migration

        # A store of this process being encrypted in place is finished before another opens.
        with encrypt_migration.in_this_process:
            state = self._claim()
            if self.kind == open_here.PLAIN_KIND:  # a plain file read as it is
                return self._connect_plain(timeout)
            return self._connect_encrypted(state, timeout)

    def _claim(self) -> str | None:
        """Count this store as open in this process, deciding as what; for an encrypted store,
        the state of the file (cipher.file_state) found. See open_here.py for why."""
        from copilot.store import cipher

        found: list[str | None] = [None]

        def decide(plain: int, encrypted: int) -> str:
            if not self.options.encrypt:
                if encrypted:
                    raise NotADatabaseError(self._encrypted_message("it is open here encrypted"))
                return open_here.PLAIN_KIND
            if plain:
                if not self.options.migrate_plain:
                    return open_here.PLAIN_KIND
                # Its connections would go on writing to the plain file, which is replaced.
                raise StoreBusyError(
                    f"the call database {self.path} cannot be encrypted now: this program still "
                    "has it open as a plain database. Restart the app (or the command) to "
                    "encrypt it; nothing was changed.")
            # Reading the header is safe: nothing of this process has the file open.
            found[0] = cipher.OTHER if encrypted else cipher.file_state(self.path)
            if found[0] == cipher.PLAIN and not self.options.migrate_plain:
                return open_here.PLAIN_KIND
            return open_here.ENCRYPTED_KIND

        self.kind = open_here.claim(self.path, decide)
        return found[0]

    def release(self) -> None:
        if self.kind is not None:
            open_here.release(self.path, self.kind)
            self.kind = None

    def _connect_plain(self, timeout: float) -> sqlite3.Connection:
        if self.options.read_only:
            return self._connect_read_only(timeout)
        try:
            # Autocommit (isolation_level=None): each write below is its own durable transaction
            # unless we open one explicitly. check_same_thread=False because the session opens the
            # store on its own thread and then hands it to the writer thread; it is still used
            # from one thread at a time.
            return sqlite3.connect(self.path, timeout=timeout, isolation_level=None,
                                   check_same_thread=False)
        except sqlite3.Error as e:
            raise StoreError(f"cannot open the call database {self.path}: {e}") from e

    def _connect_read_only(self, timeout: float) -> sqlite3.Connection:
        """A connection that cannot write: SQLite's read-only mode, or, where even that cannot
        open the file (a WAL database on read-only media, whose shared-memory file cannot be
        made), the file read as immutable: nothing can be writing to it there."""
        if not self.path.is_file():
            raise StoreError(f"cannot open the call database {self.path}: no such file")
        uri = self.path.resolve().as_uri()
        last: sqlite3.Error | None = None
        for query in ("?mode=ro", "?mode=ro&immutable=1"):
            try:
                conn = sqlite3.connect(uri + query, uri=True, timeout=timeout,
                                       isolation_level=None, check_same_thread=False)
            except sqlite3.Error as e:
                last = e
                continue
            try:
                conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            except sqlite3.OperationalError as e:  # cannot open (not "not a database")
                conn.close()
                last = e
                continue
            except sqlite3.Error:
                conn.close()
                raise
            return conn
        raise StoreError(f"cannot open the call database {self.path}: {last}")

    def _connect_encrypted(self, state: str | None, timeout: float) -> sqlite3.Connection:
        from copilot.store import cipher, encrypt_migration
        from copilot.store.keys import load_key

        # A new key only where nothing is encrypted under another one yet (and never to read).
        key = load_key(self.options.key,
                       create=state != cipher.OTHER and not self.options.read_only)
        if state == cipher.PLAIN:
            if encrypt_migration.encrypt_in_place(self.path, key, module=cipher.dbapi(),
                                                  timeout=timeout):
                log.info("the call database was encrypted in place")
        conn = cipher.connect_keyed(self.path, key, timeout=timeout,
                                    read_only=self.options.read_only)
        if state == cipher.OTHER:
            try:  # the plain copy of an encryption interrupted after its rename, if any
                encrypt_migration.erase_leftovers(self.path)
            except OSError as e:
                log.warning("could not erase what an interrupted store encryption left: %s",
                            type(e).__name__)
        # The wrapper raises sqlite3's exceptions, so it stands in for a sqlite3.Connection.
        return conn  # type: ignore[return-value]

    def _encrypted_message(self, why: str) -> str:
        return (f"{self.path} is not a readable call database as a plain one ({why}): it is "
                "encrypted; turn `[store] encrypt` on, with its key (an encrypted store is "
                "never turned back into a plain one). Nothing was changed.")

    def unreadable(self, e: Exception, code: int) -> str:
        if code == sqlite3.SQLITE_NOTADB and not self.options.encrypt:
            # SQLite cannot tell an encrypted file from any other non-database file.
            return (f"{self.path} is not a readable call database ({e}). If it was encrypted "
                    "(`[store] encrypt` on where it was written), turn encryption on here too, "
                    "with its key: an encrypted store is never turned back into a plain one. "
                    "Otherwise it is not SQLite: move it aside and a new one will be created. "
                    "Nothing was changed.")
        return (f"{self.path} is not a readable call database (not SQLite, or corrupt: {e}). "
                "Move it aside and a new one will be created.")


def configure(conn: sqlite3.Connection, path: Path) -> None:
    """The pragmas every connection of the store runs with (the module docstring of db.py says
    why: durability, erasure)."""
    # The first statement reads the header, so a non-SQLite file fails here.
    mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
    if str(mode).lower() != "wal" and str(path) != ":memory:":
        raise StoreError(f"{path}: could not switch to WAL journaling (got {mode!r})")
    conn.execute("PRAGMA synchronous = FULL")  # fsync the WAL at every commit
    conn.execute("PRAGMA secure_delete = ON")  # zero freed content, not just unlink it
    conn.execute("PRAGMA foreign_keys = ON")  # deleting a call cascades to its rows
    # VACUUM and big sorts use temporary storage; keep transcript text out of temp files.
    conn.execute("PRAGMA temp_store = MEMORY")
