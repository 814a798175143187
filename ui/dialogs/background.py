"""Run database work off the UI thread and get the result back on it.

The dialogs read and write the call database through their own CallStore connections. A read is
usually quick, but an erase rewrites the whole file (VACUUM) and any write can wait up to the
store's busy timeout while the live session's writer holds the lock, so none of it runs on the UI
thread. One worker thread per owner keeps the jobs in submission order (save, then reload).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot


class _Job(QRunnable):
    def __init__(self, owner: BackgroundJobs, job_id: int, fn: Callable[[], Any]) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._owner, self._id, self._fn = owner, job_id, fn

    def run(self) -> None:
        try:
            result = self._fn()
        except BaseException as e:  # delivered to the UI thread; a worker must not die silently
            self._owner._failed.emit(self._id, e)
        else:
            self._owner._finished.emit(self._id, result)


class BackgroundJobs(QObject):
    """Runs functions on one worker thread, in order; callbacks run on the owner's (UI) thread.

    `busy_changed(bool)` tells a dialog to show progress or disable buttons while work runs.
    """

    busy_changed = Signal(bool)
    _finished = Signal(int, object)
    _failed = Signal(int, object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._ids = itertools.count(1)
        self._pending: dict[int, tuple[Callable[[Any], None] | None,
                                       Callable[[BaseException], None] | None]] = {}
        # Emitted from the worker thread, received here on the owner's thread (queued).
        self._finished.connect(self._deliver)
        self._failed.connect(self._deliver_error)

    @property
    def busy(self) -> bool:
        return bool(self._pending)

    def submit(self, fn: Callable[[], Any], on_done: Callable[[Any], None] | None = None,
               on_error: Callable[[BaseException], None] | None = None) -> int:
        job_id = next(self._ids)
        was_busy = self.busy
        self._pending[job_id] = (on_done, on_error)
        if not was_busy:
            self.busy_changed.emit(True)
        self._pool.start(_Job(self, job_id, fn))
        return job_id

    def wait(self, msecs: int = -1) -> bool:
        """Block until the worker is idle (tests, and closing the app); callbacks still queue."""
        return self._pool.waitForDone(msecs)

    @Slot(int, object)
    def _deliver(self, job_id: int, result: object) -> None:
        on_done, _ = self._pending.pop(job_id, (None, None))
        try:
            if on_done is not None:
                on_done(result)
        finally:
            self._idle_check()

    @Slot(int, object)
    def _deliver_error(self, job_id: int, error: object) -> None:
        _, on_error = self._pending.pop(job_id, (None, None))
        try:
            if on_error is not None:
                on_error(error)  # type: ignore[arg-type]
            else:
                raise error  # type: ignore[misc]  # unhandled: let Qt's excepthook report it
        finally:
            self._idle_check()

    def _idle_check(self) -> None:
        if not self._pending:
            self.busy_changed.emit(False)
