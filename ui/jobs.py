"""The one job runner of the window: functions run off the UI thread, in order, and their results
(or exceptions) come back on the UI thread.

Database work (an erase rewrites the file; a write can wait out the live writer's lock), the
agent's knowledge searches and practice (an answer may wait a minute for the local LLM, a
recording lasts as long as the trainee speaks) must never run on the UI thread. One thread per
owner keeps jobs in submission order (save, then reload), which is also what a practice session
wants (it has no lock of its own).

A plain daemon thread rather than a QThread pool: closing the window must not wait for a model
that is still generating. Results come back as one queued Qt signal.
"""

from __future__ import annotations

import itertools
import logging
import queue
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot

__all__ = ["Jobs"]

log = logging.getLogger(__name__)

OnDone = Callable[[Any], None]
OnError = Callable[[BaseException], None]


class Jobs(QObject):
    """`submit(fn, on_done, on_error)`; `busy_changed(bool)` tells a view to show progress."""

    busy_changed = Signal(bool)
    _finished = Signal(int, bool, object)  # (job id, ok, result or exception), queued

    def __init__(self, parent: QObject | None = None, name: str = "jobs") -> None:
        super().__init__(parent)
        self.name = name
        self._queue: queue.Queue[tuple[int, Callable[[], Any]] | None] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._callbacks: dict[int, tuple[OnDone | None, OnError | None]] = {}
        self._ids = itertools.count(1)
        self._closed = False
        self._running = 0  # jobs taken by the thread and not finished (for wait())
        self._idle = threading.Condition()
        self._finished.connect(self._deliver)

    def submit(self, fn: Callable[[], Any], on_done: OnDone | None = None,
               on_error: OnError | None = None) -> int:
        """Run `fn()` off the UI thread; then `on_done(result)` or `on_error(exception)` on the
        UI thread. Without `on_error` a failure is logged with its traceback."""
        if self._closed:
            raise RuntimeError(f"the {self.name} job runner is closed")
        job = next(self._ids)
        was_busy = self.busy
        self._callbacks[job] = (on_done, on_error)
        if not was_busy:
            self.busy_changed.emit(True)
        with self._idle:
            self._running += 1
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name=self.name, daemon=True)
            self._thread.start()
        self._queue.put((job, fn))
        return job

    @property
    def busy(self) -> bool:
        return bool(self._callbacks)

    def pending(self) -> int:
        """Jobs submitted whose callbacks have not run yet (tests wait for 0)."""
        return len(self._callbacks)

    def wait(self, msecs: int = -1) -> bool:
        """Block until no job is running (tests, closing); their callbacks still queue."""
        with self._idle:
            return self._idle.wait_for(lambda: self._running == 0,
                                       None if msecs < 0 else msecs / 1000)

    @property
    def closed(self) -> bool:
        return self._closed

    def close(self) -> None:
        """Stop after the job in progress; never waits for it."""
        self._closed = True
        self._queue.put(None)

    def _run(self) -> None:
        while True:
            item = self._queue.get()
            if item is None:
                return
            job, fn = item
            try:
                result, ok = fn(), True
            except BaseException as e:  # noqa: BLE001 - every failure goes back to the owner
                # Without this frame: it holds the runner, and an exception the owner keeps
                # would tie the runner into a cycle (collected only on the UI thread anyway).
                result, ok = e.with_traceback(e.__traceback__.tb_next if e.__traceback__
                                              else None), False
            with self._idle:
                self._running -= 1
                self._idle.notify_all()
            if self._closed:
                continue  # the owner is gone: nobody to tell
            try:
                self._finished.emit(job, ok, result)
            except RuntimeError:  # the QObject was deleted meanwhile
                return

    @Slot(int, bool, object)  # a slot of this object: delivered on its (the UI) thread
    def _deliver(self, job: int, ok: bool, result: Any) -> None:
        on_done, on_error = self._callbacks.pop(job, (None, None))
        try:
            if ok:
                if on_done is not None:
                    on_done(result)
            elif on_error is not None:
                on_error(result)
            else:
                log.error("%s job failed", self.name, exc_info=result)
        finally:
            if not self._callbacks:
                self.busy_changed.emit(False)
