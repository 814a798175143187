"""The encrypted call database's key: read from (or, for a new store, created in) the system
keyring or a key file.

A key is 256 random bits, kept as 64 hexadecimal characters and given to SQLCipher as a raw key
(`x'...'`): it is already random, so SQLCipher's password stretching (PBKDF2, hundreds of
milliseconds on every open) would add cost and no strength.

A key is created only when there is nothing encrypted under another one yet (the database does
not exist, or is plain and about to be encrypted): for an existing encrypted database a missing
key is an error, never a new key, which could not open it.

The key never reaches the log, an error message or a repr.
"""

from __future__ import annotations

import os
import secrets
import stat
from pathlib import Path

from copilot.store.errors import StoreKeyError
from copilot.store.options import KEY_FILE_ENV, KeyFile, KeyringKey, KeySource

KEY_BYTES = 32
_HEX = frozenset("0123456789abcdefABCDEF")
_HOW_TO_SUPPLY = (f"name a key file instead: `[store] key_file = \"/path/to/store.key\"` in the "
                  f"settings, or the environment variable {KEY_FILE_ENV}=/path/to/store.key "
                  "(a new file is created there, readable by you only, if the store is new)")


class StoreKey:
    """A 256-bit key; its text is only ever handed to SQLCipher."""

    __slots__ = ("_hex", "source")

    def __init__(self, hex_text: str, source: KeySource) -> None:
        self._hex = hex_text.lower()
        self.source = source

    def sqlcipher_literal(self) -> str:
        """The raw-key form SQLCipher takes in `PRAGMA key` and `ATTACH ... KEY`."""
        return f"x'{self._hex}'"

    def __repr__(self) -> str:
        return f"StoreKey(<hidden>, from {self.source.describe()})"

    __str__ = __repr__


def _valid(text: str) -> bool:
    return len(text) == 2 * KEY_BYTES and set(text) <= _HEX


def new_key_text() -> str:
    return secrets.token_hex(KEY_BYTES)


def load_key(source: KeySource, *, create: bool) -> StoreKey:
    """The key from `source`; with `create`, a new one is made and kept there if it has none."""
    if isinstance(source, KeyFile):
        return _from_file(source, create)
    return _from_keyring(source, create)


# --- key file ---------------------------------------------------------------------------------

def _check_private(path: Path, mode: int) -> None:
    # Like ssh with a private key: a key other users can read protects nothing. Group read is
    # allowed, so a site can share one key file with a group of agent accounts.
    if os.name != "nt" and mode & (stat.S_IRWXO | stat.S_IWGRP):
        raise StoreKeyError(
            f"the key file {path} can be read or changed by other users (mode "
            f"{stat.S_IMODE(mode):04o}): run `chmod 600 {path}` (or 640 to share it with a "
            "group) and try again")


def _from_file(source: KeyFile, create: bool) -> StoreKey:
    path = source.path
    try:
        st = path.stat()
    except FileNotFoundError:
        if not create:
            raise StoreKeyError(
                f"the call database is encrypted, but its key file {path} does not exist. "
                "Without its key it cannot be read; nothing was changed. Restore the key file "
                "(or point [store] key_file / " + KEY_FILE_ENV + " at it)") from None
        return StoreKey(_create_file(path), source)
    except OSError as e:
        raise StoreKeyError(f"cannot read the key file {path}: {e.strerror or e}") from None
    if not stat.S_ISREG(st.st_mode):
        raise StoreKeyError(f"the key file {path} is not a regular file")
    _check_private(path, st.st_mode)
    try:
        text = path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError) as e:
        # Never quote the content: it may be (part of) a key.
        raise StoreKeyError(f"cannot read the key file {path}: "
                            f"{getattr(e, 'strerror', None) or type(e).__name__}") from None
    if not _valid(text):
        raise StoreKeyError(f"the key file {path} does not hold a key: it must contain 64 "
                            "hexadecimal characters (a 256-bit key), and nothing else")
    return StoreKey(text, source)


def _create_file(path: Path) -> str:
    """Write a new key to `path`, readable by its owner only; if another process created the
    file meanwhile, theirs is kept and read."""
    text = new_key_text()
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.new")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            os.write(fd, (text + "\n").encode("ascii"))
            os.fsync(fd)
        finally:
            os.close(fd)
        try:
            # A link, not a rename: it never replaces a key file that appeared meanwhile.
            os.link(tmp, path)
        except FileExistsError:
            tmp.unlink()
            return _from_file(KeyFile(path), create=False)._hex
        tmp.unlink()
        fsync_dir(path.parent)
    except OSError as e:
        raise StoreKeyError(f"cannot create the key file {path}: {e.strerror or e}") from None
    return text


def fsync_dir(folder: Path) -> None:
    if os.name == "nt":  # pragma: no cover - Windows has no directory fsync
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# --- keyring ----------------------------------------------------------------------------------

def _usable_backend() -> None:
    """Raise StoreKeyError when keyring has nothing to keep a key in (a server or container
    without a Secret Service, a session without D-Bus): its 'fail' or 'null' backends."""
    try:
        import keyring
        from keyring.backends import fail, null
    except ImportError as e:  # pragma: no cover - a dependency of the app
        raise StoreKeyError(f"the keyring package is not installed ({e}); {_HOW_TO_SUPPLY}") \
            from None
    backend = keyring.get_keyring()
    if isinstance(backend, fail.Keyring | null.Keyring):
        raise StoreKeyError("the call database is set to be encrypted with a key from the "
                            "system keyring, but this machine has no keyring available to "
                            f"this program; {_HOW_TO_SUPPLY}")


def _from_keyring(source: KeyringKey, create: bool) -> StoreKey:
    _usable_backend()
    import keyring
    from keyring.errors import KeyringError

    where = source.describe()
    try:
        text = keyring.get_password(source.service, source.entry)
        if text is None and create:
            keyring.set_password(source.service, source.entry, new_key_text())
            # Read back: what the keyring really kept (and another process's key if one was
            # stored at the same moment) is the key.
            text = keyring.get_password(source.service, source.entry)
            if text is None:
                raise StoreKeyError(f"{where} did not keep the new key; {_HOW_TO_SUPPLY}")
    except KeyringError as e:
        # A locked keyring the user declined to unlock, a backend error...: the message names
        # the exception, never a secret.
        raise StoreKeyError(f"{where} could not be used ({type(e).__name__}: {e}); "
                            f"unlock it and try again, or {_HOW_TO_SUPPLY}") from None
    if text is None:
        raise StoreKeyError(
            f"the call database is encrypted, but {where} has no key for it. Without its key "
            "it cannot be read; nothing was changed. Restore the key there (or name a key file "
            f"holding it: [store] key_file or {KEY_FILE_ENV})")
    text = text.strip()
    if not _valid(text):
        raise StoreKeyError(f"{where} holds something that is not a store key (64 "
                            "hexadecimal characters); nothing was changed")
    return StoreKey(text, source)
