"""Practice cannot run during a live call: a lock file in the data folder says when one is on.

A live call holds a shared lock on `live-call.lock` for as long as it runs (`live_call()`; the
app and `copilot transcribe`/`replay` wrap their sessions in it). Practice only *probes* that
lock, at the start and before every answer, so it never delays a live call: a call that starts
mid-practice simply makes the next answer fail with LiveCallActive, and the app can stop the
practice. `practice_lock()` is held for a whole practice session so the app can show that one
is running (`practice_active()`).

OS file locks, not a PID in a file: the kernel drops them when the process dies, so a crash
never leaves a stale "call in progress" behind. They are per open file, so they also work
between a live call and a practice session inside one process (the app). POSIX uses flock();
Windows uses msvcrt byte-range locks, which have no shared mode: there a second live call at
the same time is refused, which the app never does anyway.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from copilot import paths

__all__ = ["LiveCallActive", "OwnerLock", "PracticeGuard", "live_call", "live_call_active",
           "owner_alive", "practice_active", "practice_lock"]

LIVE_LOCK = "live-call.lock"
PROBE_GRACE_SECONDS = 2.0
PRACTICE_LOCK = "practice.lock"


class LiveCallActive(Exception):
    """A live call is running on this computer: practice must wait until it ends."""


def _path(name: str, home: Path | None) -> Path:
    return (home or paths.home()) / name


def _try_lock(f: IO[bytes], shared: bool) -> bool:
    if os.name == "nt":  # pragma: no cover - Windows
        import msvcrt

        f.seek(0)  # byte-range locks start at the file position: lock the same first byte
        try:
            msvcrt.locking(f.fileno(), msvcrt.LK_NBLCK, 1)
            return True
        except OSError:
            return False
    import fcntl

    try:
        fcntl.flock(f.fileno(), (fcntl.LOCK_SH if shared else fcntl.LOCK_EX) | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        return False


def _unlock(f: IO[bytes]) -> None:
    if os.name == "nt":  # pragma: no cover - Windows
        import msvcrt

        f.seek(0)
        msvcrt.locking(f.fileno(), msvcrt.LK_UNLCK, 1)
        return
    import fcntl

    fcntl.flock(f.fileno(), fcntl.LOCK_UN)


def _held(name: str, home: Path | None) -> bool:
    return owner_alive(_path(name, home))


class OwnerLock:
    """An exclusive lock on a file, held by the process that owns something (a call being
    recorded) for as long as it owns it; the kernel drops it if that process dies, so another
    process can tell a live owner from a crashed one (`owner_alive`)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._file: IO[bytes] | None = open(self.path, "a+b")  # noqa: SIM115 - held open
        if not _try_lock(self._file, shared=False):
            self._file.close()
            self._file = None
            raise RuntimeError(f"{self.path} is already owned by a running process")

    def release(self, *, remove: bool = True) -> None:
        if self._file is None:
            return
        if remove:
            self.path.unlink(missing_ok=True)  # while still locked: no one can take it between
        _unlock(self._file)
        self._file.close()
        self._file = None


def owner_alive(path: Path) -> bool:
    """Whether a running process holds the lock at `path` (no file: no one): try to take it
    exclusively, and let go at once."""
    path = Path(path)
    if not path.exists():
        return False
    try:
        with open(path, "a+b") as f:
            if _try_lock(f, shared=False):
                _unlock(f)
                return False
            return True
    except OSError:
        return False


def live_call_active(home: Path | None = None) -> bool:
    return _held(LIVE_LOCK, home)


def practice_active(home: Path | None = None) -> bool:
    return _held(PRACTICE_LOCK, home)


@contextmanager
def live_call(home: Path | None = None) -> Iterator[None]:
    """Held by a live call for its whole duration. Never waits and never fails because of
    practice: a customer on the line comes first."""
    with open(_path(LIVE_LOCK, home), "a+b") as f:
        # A probe (live_call_active, practice) holds the lock exclusively for an instant: wait
        # it out rather than refuse the call. Only Windows, with a second live call, keeps
        # failing (its locks have no shared mode).
        deadline = time.monotonic() + PROBE_GRACE_SECONDS
        while not _try_lock(f, shared=True):
            if time.monotonic() > deadline:
                raise LiveCallActive("another live call is already running on this computer")
            time.sleep(0.005)
        try:
            yield
        finally:
            _unlock(f)


class PracticeGuard:
    def __init__(self, home: Path | None = None):
        self.home = home

    def check(self) -> None:
        """Raise LiveCallActive when a live call is running."""
        if live_call_active(self.home):
            raise LiveCallActive(
                "a live call is running on this computer; practice is paused until it ends "
                "(practice never runs during a live call)")


@contextmanager
def practice_lock(home: Path | None = None) -> Iterator[PracticeGuard]:
    """Refuse to start during a live call; hold the practice flag while practising. The
    guard's check() is called by the session before each answer."""
    guard = PracticeGuard(home)
    guard.check()
    with open(_path(PRACTICE_LOCK, home), "a+b") as f:
        if not _try_lock(f, shared=True):  # pragma: no cover - Windows, two practices
            raise RuntimeError("another practice session is already running")
        try:
            guard.check()  # a call may have started while the flag was being taken
            yield guard
        finally:
            _unlock(f)
