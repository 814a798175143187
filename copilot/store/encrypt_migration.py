"""Encrypting a plain call database in place, so that nothing is lost if it is interrupted.

1. One SQLCipher connection opens the plain file (no key: plain SQLite) in exclusive locking
   mode and switches it from WAL to a rollback journal. SQLite allows that only to the one
   connection that has the file open, so this refuses (StoreBusyError) while a call is being
   recorded or another program reads the database; it also checkpoints the WAL into the main
   file. Then it takes the file's exclusive lock and holds it, so nobody reads or writes it
   meanwhile; a program that was waiting for that lock finds, once it has it, that the file
   under the name is another one (encrypted meanwhile) and leaves it alone.
2. `sqlcipher_export()` copies schema and rows into `<name>.encrypting`, attached with the key;
   the schema version is carried over and the row counts are compared. The commit fsyncs it.
3. The plain file gets a second name, `<name>.plain-old` (a hard link), then the encrypted
   copy is renamed over `<name>` (atomic) and the folder is fsynced.
4. The plain file's leftovers are overwritten with zeros, fsynced and removed: `.plain-old`
   and the rollback journal the journal-mode switch left (it holds page 1, the schema).

Interrupted before step 3's rename, the plain database is untouched at its name (the next
attempt removes the half-written copy); after it, the database is encrypted and the next open
erases what step 4 had not. Overwriting is what a program can do: a copy-on-write file system or
an SSD may keep old blocks, which full-disk encryption covers.

Encryption is one way: an encrypted store is never turned back into a plain one by the app.
"""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path
from typing import Any

from copilot.store.errors import StoreBusyError, StoreError
from copilot.store.keys import StoreKey, fsync_dir

log = logging.getLogger(__name__)

TABLES = ("calls", "segments", "events")
# Held while this process encrypts a store in place (CallStore holds it from reading the file's
# header to opening the result, so another thread never opens the file half-way).
in_this_process = threading.RLock()
_ZEROS = bytes(1 << 16)


def work_path(db: Path) -> Path:
    return db.with_name(db.name + ".encrypting")


def old_path(db: Path) -> Path:
    return db.with_name(db.name + ".plain-old")


def _overwrite_and_remove(path: Path) -> None:
    """Zero a file's bytes on disk, then remove it (missing: nothing to do)."""
    try:
        fd = os.open(path, os.O_WRONLY)
    except FileNotFoundError:
        return
    try:
        size = os.fstat(fd).st_size
        done = 0
        while done < size:
            done += os.write(fd, _ZEROS[: min(len(_ZEROS), size - done)])
        os.fsync(fd)
    finally:
        os.close(fd)
    path.unlink(missing_ok=True)


def _remove_work_files(db: Path) -> None:
    # An encrypted half-copy holds nothing readable; a plain name is simply unlinked.
    for p in (work_path(db), Path(f"{work_path(db)}-journal"), Path(f"{work_path(db)}-wal"),
              Path(f"{work_path(db)}-shm")):
        p.unlink(missing_ok=True)


def erase_leftovers(db: Path) -> None:
    """Finish an encryption that was interrupted after its rename (`db` is encrypted now):
    erase the plain copy and the half-written files. Safe to call at every open."""
    _remove_work_files(db)
    old = old_path(db)
    if not old.exists():
        return
    try:
        same = db.exists() and os.path.samefile(old, db)
    except OSError:
        same = False
    if same:
        # Interrupted between the link and the rename: `db` is still the plain file itself;
        # only its second name goes (zeroing it would zero the database).
        old.unlink()
    else:
        _overwrite_and_remove(old)
        log.info("the plain copy left by an interrupted store encryption was erased")
    fsync_dir(db.parent)


def encrypt_in_place(db: Path, key: StoreKey, *, module: Any, timeout: float = 2.0) -> bool:
    """Encrypt the plain SQLite database `db` with `key` (see the module doc); `module` is
    sqlcipher3.dbapi2. Returns False if another connection encrypted it meanwhile. Raises
    StoreBusyError or StoreError; the plain file is then unchanged."""
    with in_this_process:  # two threads of this process: the second finds it done
        return _encrypt(db, key, module, timeout)


def _replaced(db: Path, locked: os.stat_result) -> bool:
    """Whether `db` is no longer the plain file whose lock was waited for: another connection
    encrypted it meanwhile (always into a new file), and the lock obtained is the old file's.

    Only stat(): opening and closing the database file here would drop every POSIX lock this
    process holds on it, the exclusive lock just taken included."""
    try:
        now = os.stat(db)
    except FileNotFoundError:
        return True
    return (now.st_dev, now.st_ino) != (locked.st_dev, locked.st_ino)


def _encrypt(db: Path, key: StoreKey, module: Any, timeout: float) -> bool:
    work, old = work_path(db), old_path(db)
    try:
        before = os.stat(db)
    except FileNotFoundError:
        return False
    # What this call may clean up on failure: only files it made, under the file's lock (another
    # process may be half-way through the same work and hold the lock).
    locked = linked = renamed = False
    conn = module.connect(str(db), timeout=timeout, isolation_level=None)
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute("PRAGMA locking_mode = EXCLUSIVE")
        try:
            mode = conn.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
            # A file already in rollback mode (another try at this, interrupted or under way)
            # switches without a lock; this takes it, and exclusive locking mode keeps it.
            conn.execute("BEGIN EXCLUSIVE")
            conn.execute("COMMIT")
        except module.OperationalError as e:
            raise StoreBusyError(
                f"the call database {db} cannot be encrypted now: another program has it open "
                "(a call being recorded, the window, a `copilot` command). Close it and try "
                f"again; nothing was changed. ({e})") from None
        except module.DatabaseError:
            if _replaced(db, before):  # opened after another connection's rename: done
                return False
            raise
        if _replaced(db, before):  # the lock waited for was the old file's: done meanwhile
            return False
        if str(mode).lower() != "delete":
            raise StoreBusyError(f"the call database {db} cannot be encrypted now: it stays in "
                                 f"{mode!r} journal mode (another program has it open); "
                                 "nothing was changed")
        # The file is ours now: what an earlier, interrupted try left can go.
        locked = True
        erase_leftovers(db)
        version = int(conn.execute("PRAGMA main.user_version").fetchone()[0])
        counts = {t: _count(conn, "main", t) for t in TABLES}
        conn.execute("ATTACH DATABASE ? AS enc KEY ?", (str(work), key.sqlcipher_literal()))
        conn.execute("PRAGMA enc.synchronous = FULL")  # the export's commit fsyncs the copy
        conn.execute("SELECT sqlcipher_export('enc')")
        conn.execute(f"PRAGMA enc.user_version = {version}")
        copied = {t: _count(conn, "enc", t) for t in TABLES}
        if copied != counts:
            raise StoreError(f"encrypting {db} was stopped: the encrypted copy has {copied} "
                             f"rows where the database has {counts}; nothing was changed")
        _after_step("exported")
        # The journal of the switch out of WAL: committed (its header is zeroed), it holds the
        # plain page 1 (the schema); it must not outlive the plain file under the same name.
        _overwrite_and_remove(Path(f"{db}-journal"))
        os.link(db, old)
        linked = True
        _after_step("linked")
        # The copy is still attached and exclusively locked by this connection: a program that
        # opens the new file meanwhile waits until this connection is closed.
        os.replace(work, db)
        renamed = True
    except module.Error as e:
        raise StoreError(f"encrypting the call database {db} failed ({e}); the plain database "
                         "is unchanged") from None
    except OSError as e:
        raise StoreError(f"encrypting the call database {db} failed ({e.strerror or e}); the "
                         "plain database is unchanged") from None
    finally:
        conn.close()
        if locked and not renamed:
            _remove_work_files(db)
        if linked and not renamed:
            old.unlink(missing_ok=True)  # only a second name of the plain file
    fsync_dir(db.parent)
    _after_step("renamed")
    erase_leftovers(db)  # the plain file, now only `.plain-old`: zeroed and removed
    return True


def _count(conn: Any, schema: str, table: str) -> int:
    try:
        return int(conn.execute(f"SELECT count(*) FROM {schema}.{table}").fetchone()[0])
    except Exception:  # no such table (a database that was never given the schema)
        return -1


def _after_step(step: str) -> None:
    """Called after each step of encrypt_in_place; a test replaces it to stop there."""
