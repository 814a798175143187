"""The encrypted call store: what is on disk, where the key comes from, a wrong or missing key,
and encrypting a plain store in place (interrupted at every step, by an exception and by the
process dying). The store's own behaviour on an encrypted file is test_store_db.py's and
test_store_retention.py's tests, run on both kinds; crash safety is test_store_crash.py's."""

from __future__ import annotations

import hashlib
import logging
import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import keyring
import keyring.backend
import pytest
from keyring.backends import fail
from store_kinds import encrypted_kind

from copilot.events import Caption
from copilot.settings import Settings
from copilot.store import encrypt_migration
from copilot.store.db import CallStore
from copilot.store.errors import (
    NotADatabaseError,
    StoreBusyError,
    StoreError,
    StoreKeyError,
    WrongKeyError,
)
from copilot.store.keys import load_key
from copilot.store.options import (
    KEY_FILE_ENV,
    KeyFile,
    KeyringKey,
    StoreOptions,
    options_from_settings,
)

MARKER = "okapi-tangerine-4412"
REPO = Path(__file__).resolve().parents[2]


def caption(n: int, text: str) -> Caption:
    return Caption(id=f"c{n}", final=True, channel="customer" if n % 2 else "agent",
                   start=n * 2.0, end=n * 2.0 + 1.5, at=n * 2.0 + 1.8, lang="en", text=text)


def fill(store: CallStore, calls: int = 2, segments: int = 30) -> list[int]:
    """Calls whose every text field carries MARKER: title, meta, captions, events."""
    ids = []
    for c in range(calls):
        call = store.start_call(f"{MARKER}-{c}.wav", title=f"{MARKER} call {c}",
                                meta={"customer": MARKER})
        for n in range(segments):
            store.add_segment(call, caption(n, f"my account word is {MARKER} number {n}"))
        store.add_event(call, "summary", 60.0, {"problem": f"{MARKER} refund"})
        store.add_event(call, "after_call", 61.0, {"note": f"call back {MARKER}"})
        store.end_call(call)
        ids.append(call)
    return ids


def snapshot(store: CallStore) -> list[tuple]:
    """Everything a store holds, as comparable values."""
    out: list[tuple] = []
    for call in store.list_calls():
        out.append((call.id, call.title, call.status, call.meta, call.segment_count))
        out.extend((s.caption_id, s.channel, s.start, s.end, s.text)
                   for s in store.segments(call.id))
        out.extend((e.type, e.at, e.payload) for e in store.events(call.id))
    return out


def files(folder: Path) -> list[str]:
    """The names of the files in `folder` (the store also keeps a call-owners/ folder there)."""
    return sorted(p.name for p in folder.iterdir() if p.is_file())


def folder_bytes(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def digests(db: Path) -> dict[str, str]:
    """The database's files (main, -wal, -journal) by content."""
    out = {}
    for suffix in ("", "-wal", "-journal"):
        p = Path(f"{db}{suffix}")
        if p.exists():
            out[suffix or "main"] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


@pytest.fixture
def kind(tmp_path: Path):
    return encrypted_kind(tmp_path / "keys")


@pytest.fixture
def db(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    return folder / "calls.sqlite3"


# --- on disk ---------------------------------------------------------------------------------

def test_raw_bytes_of_every_file_hold_no_caption_text(db: Path, kind) -> None:
    # The same writes on a plain store show that the grep below finds the marker when it is
    # there (main file and write-ahead log).
    plain = db.with_name("plain.sqlite3")
    with CallStore(plain) as store:
        fill(store)
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        store.add_segment(1, caption(99, f"late {MARKER}"))
        assert MARKER.encode() in plain.read_bytes()
        assert MARKER.encode() in Path(f"{plain}-wal").read_bytes()
    plain.unlink()

    with kind.open(db) as store:
        fill(store)
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # pages in the main file...
        store.add_segment(1, caption(99, f"late {MARKER}"))  # ...and frames in the WAL
        on_disk = folder_bytes(db.parent)
        assert {"calls.sqlite3", "calls.sqlite3-wal"} <= set(on_disk)
        assert len(on_disk["calls.sqlite3-wal"]) > 4096  # the late caption is in the WAL
        for name, data in on_disk.items():
            assert MARKER.encode() not in data, f"{MARKER} readable in {name}"
            assert b"account word" not in data, name
        assert not on_disk["calls.sqlite3"].startswith(b"SQLite format 3")
        assert store.conn.execute("PRAGMA cipher_version").fetchone()[0]
        assert [s.text for s in store.segments(1)][-1] == f"late {MARKER}"
    for name, data in folder_bytes(db.parent).items():  # after close (WAL checkpointed)
        assert MARKER.encode() not in data, f"{MARKER} readable in {name} after close"


# --- the key ---------------------------------------------------------------------------------

class MemoryKeyring(keyring.backend.KeyringBackend):
    """A keyring that keeps its secrets in a dict: a stand-in for the system's (this machine has
    none, as a server or a container often has none)."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        del self.entries[(service, username)]


@pytest.fixture
def use_keyring():
    """Install a keyring backend for one test, then put the real one back."""
    before = keyring.get_keyring()
    yield keyring.set_keyring
    keyring.set_keyring(before)


def test_key_from_the_keyring_is_created_once_and_reused(db: Path, use_keyring) -> None:
    ring = MemoryKeyring()
    use_keyring(ring)
    options = StoreOptions(encrypt=True)  # the default key source: the keyring
    with CallStore(db, options=options) as store:
        expected = snapshot(store) if fill(store) else []
    [(entry, key)] = ring.entries.items()
    assert entry == ("agent-copilot", "call-store")
    assert len(key) == 64 and int(key, 16) >= 0  # 256 random bits, as hex
    with CallStore(db, options=options) as store:
        assert snapshot(store) == expected
    assert list(ring.entries.values()) == [key]  # reused, not replaced

    # The key gone from the keyring: a clear error, and no new key (it could not open the file).
    ring.entries.clear()
    before = digests(db)
    with pytest.raises(StoreKeyError, match="has no key for it") as err:
        CallStore(db, options=options)
    assert "nothing was changed" in str(err.value)
    assert ring.entries == {} and digests(db) == before

    # Another key in the keyring: the wrong key.
    ring.set_password("agent-copilot", "call-store", "ab" * 32)
    with pytest.raises(WrongKeyError):
        CallStore(db, options=options)
    assert digests(db) == before


def test_no_keyring_on_this_machine_says_how_to_supply_a_key_file(
        db: Path, use_keyring, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture) -> None:
    use_keyring(fail.Keyring())  # what `keyring` finds here: no Secret Service, no D-Bus
    with pytest.raises(StoreKeyError) as err:
        CallStore(db, options=StoreOptions(encrypt=True, key=KeyringKey()))
    message = str(err.value)
    assert "no keyring" in message and "key_file" in message and KEY_FILE_ENV in message
    assert not db.exists()
    # The command line says so in one line, no traceback (exit code 2: a user error).
    from copilot.cli import main

    monkeypatch.setenv("COPILOT_HOME", str(db.parent))
    monkeypatch.delenv(KEY_FILE_ENV, raising=False)
    (db.parent / "settings.toml").write_text("[store]\nencrypt = true\n", encoding="utf-8")
    assert main(["calls", "list"]) == 2
    err_text = capsys.readouterr().err
    assert "no keyring" in err_text and KEY_FILE_ENV in err_text
    assert "Traceback" not in err_text and not db.exists()


def test_key_file_is_created_private_with_a_new_store_and_reused(db: Path,
                                                                 tmp_path: Path) -> None:
    key_file = tmp_path / "site" / "store.key"  # its folder is created too
    options = StoreOptions(encrypt=True, key=KeyFile(key_file))
    with CallStore(db, options=options) as store:
        fill(store, calls=1)
    text = key_file.read_text()
    assert len(text.strip()) == 64 and int(text, 16) >= 0
    if os.name != "nt":
        assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    with CallStore(db, options=options) as store:
        assert len(store.list_calls()) == 1
    assert key_file.read_text() == text


def test_a_key_file_others_can_read_or_that_holds_no_key_is_refused(db: Path, kind) -> None:
    with kind.open(db) as store:
        fill(store, calls=1)
    key_file = kind.options.key.path
    secret = key_file.read_text().strip()
    if os.name != "nt":
        key_file.chmod(0o644)
        with pytest.raises(StoreKeyError, match="chmod 600"):
            kind.open(db)
        key_file.chmod(0o600)
    key_file.write_text(secret[:40] + "\n")
    with pytest.raises(StoreKeyError, match="64 hexadecimal") as err:
        kind.open(db)
    assert secret[:40] not in str(err.value)  # never quoted back
    key_file.write_text(secret + "\n")
    with kind.open(db) as store:
        assert len(store.list_calls()) == 1


def test_wrong_key_is_a_clear_error_and_changes_nothing(db: Path, kind, tmp_path: Path) -> None:
    other = StoreOptions(encrypt=True, key=KeyFile(tmp_path / "other.key"))
    load_key(other.key, create=True)
    with kind.open(db) as writer:
        expected = snapshot(writer) if fill(writer) else []
        # A write-ahead log with committed frames is on disk while the writer is open.
        assert Path(f"{db}-wal").stat().st_size > 0
        before = digests(db)
        with pytest.raises(WrongKeyError) as err:
            CallStore(db, options=other)
        assert digests(db) == before
        message = str(err.value)
        assert str(db) in message and str(tmp_path / "other.key") in message
        assert "wrong key" in message and "Nothing was changed" in message
    before = digests(db)
    with pytest.raises(WrongKeyError):
        CallStore(db, options=other)
    assert digests(db) == before
    with kind.open(db) as store:
        assert snapshot(store) == expected


def test_missing_key_file_for_an_encrypted_store_creates_no_new_key(db: Path, kind) -> None:
    with kind.open(db) as store:
        fill(store, calls=1)
    key_file = kind.options.key.path
    saved = key_file.read_bytes()
    key_file.unlink()
    before = digests(db)
    with pytest.raises(StoreKeyError, match="does not exist"):
        kind.open(db)
    assert not key_file.exists() and digests(db) == before
    key_file.write_bytes(saved)
    key_file.chmod(0o600)
    with kind.open(db) as store:
        assert len(store.list_calls()) == 1


def test_an_encrypted_store_is_never_opened_as_plain(db: Path, kind) -> None:
    with kind.open(db) as store:
        fill(store, calls=1)
    before = digests(db)
    with pytest.raises(NotADatabaseError) as err:
        CallStore(db)  # encryption turned off in the settings
    message = str(err.value)
    assert str(db) in message and "encrypted" in message and "[store] encrypt" in message
    assert "never turned back into a plain one" in message
    assert digests(db) == before
    with kind.open(db):  # open here encrypted: refused before the file is even touched
        with pytest.raises(NotADatabaseError, match="it is encrypted"):
            CallStore(db)


def test_the_key_is_never_logged_nor_shown(db: Path, kind, tmp_path: Path,
                                           caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    secret = kind.options.key.path.read_text().strip()
    with CallStore(db) as store:
        fill(store, calls=1)
    with kind.open(db) as store:  # encrypted in place
        fill(store, calls=1)
    wrong = KeyFile(tmp_path / "wrong.key")
    load_key(wrong, create=True)
    with pytest.raises(WrongKeyError) as err:
        CallStore(db, options=StoreOptions(encrypt=True, key=wrong))
    shown = [caplog.text, str(err.value), repr(load_key(kind.options.key, create=False)),
             repr(kind.options)]
    for text in shown:
        assert secret not in text and secret.upper() not in text


# --- settings --------------------------------------------------------------------------------

def test_options_come_from_the_settings_and_the_environment(tmp_path: Path) -> None:
    s = Settings()
    assert (s.store.encrypt, s.store.key_file) == (False, "")  # off unless asked
    assert options_from_settings(s.store, {}) == StoreOptions(encrypt=False, key=KeyringKey())
    s.store.encrypt, s.store.key_file = True, str(tmp_path / "a.key")
    s.save(tmp_path / "settings.toml")
    loaded = Settings.load(tmp_path / "settings.toml").store
    assert (loaded.encrypt, loaded.key_file) == (True, str(tmp_path / "a.key"))
    assert options_from_settings(loaded, {}) == StoreOptions(True, KeyFile(tmp_path / "a.key"))
    # The environment names the key file of a headless machine; it wins over the settings.
    env = {KEY_FILE_ENV: str(tmp_path / "b.key")}
    assert options_from_settings(loaded, env).key == KeyFile(tmp_path / "b.key")


# --- encrypting a plain store in place --------------------------------------------------------

def test_a_plain_store_is_encrypted_in_place_with_nothing_lost(db: Path, kind) -> None:
    with CallStore(db) as store:
        fill(store)
        store.conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
        store.add_segment(2, caption(77, f"still in the log {MARKER}"))  # not checkpointed
        expected = snapshot(store)
        version = store.conn.execute("PRAGMA user_version").fetchone()[0]
    assert MARKER.encode() in db.read_bytes()

    with kind.open(db) as store:
        assert snapshot(store) == expected
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == version
        assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert store.integrity_check() == "ok"
        store.add_segment(2, caption(78, "after encryption"))
    assert files(db.parent) == ["calls.sqlite3"]  # no leftovers
    for name, data in folder_bytes(db.parent).items():
        assert MARKER.encode() not in data, f"{MARKER} readable in {name}"
    with kind.open(db) as store:  # opened again: already encrypted, nothing redone
        assert len(store.segments(2)) == 32


@pytest.mark.parametrize("step", ["exported", "linked"])
def test_a_failure_midway_leaves_the_plain_store_intact(db: Path, kind, step: str,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    with CallStore(db) as store:
        fill(store)
        expected = snapshot(store)

    def fail_at(where: str) -> None:
        if where == step:
            raise OSError(28, "No space left on device")

    monkeypatch.setattr(encrypt_migration, "_after_step", fail_at)
    with pytest.raises(StoreError, match="the plain database is unchanged"):
        kind.open(db)
    assert files(db.parent) == ["calls.sqlite3"]
    with CallStore(db) as store:  # still the plain store, whole
        assert snapshot(store) == expected
        assert store.integrity_check() == "ok"
    monkeypatch.undo()
    with kind.open(db) as store:  # the next try encrypts it
        assert snapshot(store) == expected


@pytest.mark.parametrize("step", ["exported", "linked", "renamed"])
def test_the_process_dying_midway_loses_nothing(db: Path, kind, step: str) -> None:
    with CallStore(db) as store:
        fill(store)
        expected = snapshot(store)
    # A real process, killed at `step` (os._exit: no finally, no clean-up), as by a power cut.
    code = ("import os, sys; from pathlib import Path;"
            "from copilot.store import encrypt_migration as m;"
            "from copilot.store.db import CallStore;"
            "from copilot.store.options import StoreOptions, KeyFile;"
            "m._after_step = lambda s: os._exit(9) if s == sys.argv[3] else None;"
            "CallStore(sys.argv[1], options=StoreOptions(True, KeyFile(Path(sys.argv[2]))))")
    run = subprocess.run([sys.executable, "-c", code, str(db), str(kind.options.key.path), step],
                         env={**os.environ, "PYTHONPATH": str(REPO)}, capture_output=True)
    assert run.returncode == 9, run.stderr.decode()
    left = files(db.parent)
    if step == "renamed":
        # Encrypted under its name; the plain copy waits, under its second name, to be erased.
        assert "calls.sqlite3.plain-old" in left
        assert MARKER.encode() in (db.parent / "calls.sqlite3.plain-old").read_bytes()
    else:
        assert "calls.sqlite3.encrypting" in left
        with CallStore(db) as store:  # the plain store, whole
            assert snapshot(store) == expected
    with kind.open(db) as store:  # the next open finishes the job
        assert snapshot(store) == expected
        assert store.integrity_check() == "ok"
    assert files(db.parent) == ["calls.sqlite3"]
    for name, data in folder_bytes(db.parent).items():
        assert MARKER.encode() not in data, f"{MARKER} readable in {name}"


def test_encryption_waits_until_no_one_else_has_the_store_open(db: Path, kind) -> None:
    with CallStore(db) as store:
        fill(store, calls=1)
        expected = snapshot(store)
        # This process has it open as plain: its connection would go on writing to the old file.
        with pytest.raises(StoreBusyError, match="this program still has it open"):
            kind.open(db)
    # Another process has it open (a call being recorded there, say).
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys; from copilot.store.db import CallStore;"
         "s = CallStore(sys.argv[1]); print(len(s.list_calls()), flush=True); sys.stdin.read()",
         str(db)], env={**os.environ, "PYTHONPATH": str(REPO)}, stdin=subprocess.PIPE,
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "1"
        with pytest.raises(StoreBusyError, match="another program has it open"):
            kind.open(db, timeout=0.05)
    finally:
        holder.stdin.close()
        holder.wait()
        holder.stdout.close()
    assert not Path(f"{db}.encrypting").exists()
    with CallStore(db) as store:
        assert snapshot(store) == expected
    with kind.open(db) as store:  # everyone gone: encrypted now
        assert snapshot(store) == expected


def test_a_report_of_another_file_reads_it_as_it_is(db: Path, kind) -> None:
    import dataclasses

    with CallStore(db) as store:
        fill(store, calls=1)
    before = digests(db)
    reader = dataclasses.replace(kind.options, migrate_plain=False)
    with CallStore(db, options=reader) as store:
        assert len(store.list_calls()) == 1
    assert MARKER.encode() in db.read_bytes() and digests(db)["main"] == before["main"]


_EMPTY = hashlib.sha256(b"").hexdigest()


def test_an_encrypted_store_is_read_read_only_without_a_byte_written(db: Path, kind,
                                                                     tmp_path: Path) -> None:
    import dataclasses

    with kind.open(db) as store:
        fill(store, calls=1)
    before = digests(db)
    reader = dataclasses.replace(kind.options, migrate_plain=False, read_only=True)
    with CallStore(db, options=reader) as store:
        assert len(store.list_calls()) == 1
        with pytest.raises(sqlite3.Error):  # it cannot write
            store.conn.execute("DELETE FROM calls")
    after = digests(db)
    # (SQLite may leave an empty write-ahead log beside a WAL database it read)
    assert after["main"] == before["main"] and after.get("-wal", _EMPTY) in (before.get("-wal"),
                                                                             _EMPTY)
    # a reader with no key makes none
    missing = dataclasses.replace(reader, key=KeyFile(tmp_path / "none.key"))
    with pytest.raises(StoreError):
        CallStore(db, options=missing)
    assert not (tmp_path / "none.key").exists()


@pytest.mark.parametrize("journal", ["wal", "delete"])
def test_two_programs_turning_encryption_on_at_once_encrypt_it_once(db: Path, kind,
                                                                    journal: str) -> None:
    with CallStore(db) as store:
        fill(store)
        expected = snapshot(store)
    if journal == "delete":  # as an interrupted encryption leaves it: no lock to switch modes
        conn = sqlite3.connect(db)
        conn.execute("PRAGMA journal_mode = DELETE")
        conn.close()
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    opens = ("from pathlib import Path; from copilot.store.db import CallStore;"
             "from copilot.store.options import StoreOptions, KeyFile;"
             "s = CallStore(sys.argv[1], options=StoreOptions(True, KeyFile(Path(sys.argv[2]))));"
             "print('calls', len(s.list_calls()), flush=True)")
    # The first pauses with the file locked and its encrypted copy written...
    first = subprocess.Popen(
        [sys.executable, "-c", "import sys; from copilot.store import encrypt_migration as m;"
         "m._after_step = lambda s: (print(s, flush=True), sys.stdin.readline())"
         " if s == 'exported' else None;" + opens, str(db), str(kind.options.key.path)],
        env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    second = None
    try:
        assert first.stdout.readline().strip() == "exported"
        # ...the second opens the plain file meanwhile and waits for its lock: the lock it
        # gets is the replaced file's, so it must use the new one, not encrypt the old one.
        second = subprocess.Popen(
            [sys.executable, "-c", "import sys; import sqlcipher3.dbapi2 as sc;"
             "real = sc.connect;"
             "sc.connect = lambda *a, **k: (real(*a, **k), print('connected', flush=True))[0];"
             + opens, str(db), str(kind.options.key.path)],
            env=env, stdout=subprocess.PIPE, text=True)
        assert second.stdout.readline().strip() == "connected"
        first.stdin.write("\n")
        first.stdin.flush()
        assert first.stdout.readline().split() == ["calls", "2"]
        assert [ln for ln in second.stdout.read().split("\n") if ln.startswith("calls")] == \
            ["calls 2"]
    finally:
        for proc in (first, second):
            if proc is None:
                continue
            if proc.stdin:
                proc.stdin.close()
            proc.wait()
            proc.stdout.close()
    assert first.returncode == 0 and second is not None and second.returncode == 0
    with kind.open(db) as store:
        assert snapshot(store) == expected
    assert files(db.parent) == ["calls.sqlite3"]
    for name, data in folder_bytes(db.parent).items():
        assert MARKER.encode() not in data, f"{MARKER} readable in {name}"
