"""The call databases this process has open, and as what: plain or encrypted.

POSIX file locks belong to a process, not to a connection, and closing any descriptor of a file
drops all of them. SQLite guards against that among its own connections, but not against a
second SQLite in the same process (the standard library's sqlite3 and SQLCipher each carry one)
nor against Python opening the file itself. So CallStore keeps two rules, with this count:

- a database's header is read (to tell a plain file from an encrypted one) only while this
  process has no store open on it, and no store opens meanwhile;
- one file is never open here both as plain and as encrypted: besides the locks, the plain
  connections of a file being encrypted in place would go on writing to the replaced file.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path

PLAIN_KIND, ENCRYPTED_KIND = "plain", "encrypted"

_lock = threading.Lock()
_open: dict[str, dict[str, int]] = {}


def claim(path: Path, decide: Callable[[int, int], str]) -> str:
    """Count one more store open on `path`, of the kind `decide(plain, encrypted)` returns,
    given how many of each this process has open there. `decide` runs under the lock (it may
    read the file's header when both are 0) and may raise to refuse; the kind is returned."""
    name = os.path.realpath(path)
    with _lock:
        held = _open.get(name, {})
        kind = decide(held.get(PLAIN_KIND, 0), held.get(ENCRYPTED_KIND, 0))
        _open[name] = {**held, kind: held.get(kind, 0) + 1}
    return kind


def release(path: Path, kind: str) -> None:
    name = os.path.realpath(path)
    with _lock:
        held = _open.get(name, {})
        left = held.get(kind, 0) - 1
        if left > 0:
            _open[name] = {**held, kind: left}
        else:
            rest = {k: v for k, v in held.items() if k != kind}
            if rest:
                _open[name] = rest
            else:
                _open.pop(name, None)
