"""The Practice tab's worker: one thread runs every session call, store read and recording.

`PracticeSession.answer()` may wait up to a minute for the local LLM, a recording lasts as long
as the trainee speaks, and the store is SQLite: none of it may run on the UI thread. One thread,
in order, is also what the session wants (it has no lock of its own). Results come back as one
queued Qt signal and are handed to the callbacks given with the job, on the UI thread.

A plain daemon thread rather than a QThread or a ThreadPoolExecutor: closing the window must not
wait for a model that is still generating (the executor's threads are joined at exit).
"""

from __future__ import annotations

import itertools
import logging
import queue
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

log = logging.getLogger(__name__)

Callback = Callable[[Any], None]


class PracticeWorker(QObject):
    _finished = Signal(int, bool, object)  # (job id, ok, result or exception)

    def __init__(self, parent: QObject | None = None, name: str = "practice") -> None:
        super().__init__(parent)
        self.name = name
        self._queue: queue.Queue[tuple[int, Callable[[], Any]] | None] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._callbacks: dict[int, tuple[Callback | None, Callback | None]] = {}
        self._ids = itertools.count(1)
        self._closed = False
        self._finished.connect(self._deliver)

    def submit(self, fn: Callable[[], Any], on_done: Callback | None = None,
               on_error: Callback | None = None) -> int:
        """Run `fn()` on the worker; `on_done(result)` or `on_error(exception)` on the UI
        thread afterwards. Jobs run one at a time, in the order submitted."""
        if self._closed:
            raise RuntimeError("the practice worker is closed")
        job = next(self._ids)
        self._callbacks[job] = (on_done, on_error)
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name=self.name, daemon=True)
            self._thread.start()
        self._queue.put((job, fn))
        return job

    def pending(self) -> int:
        """Jobs submitted whose callbacks have not run yet (tests wait for 0)."""
        return len(self._callbacks)

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
            except BaseException as e:  # noqa: BLE001 - every failure goes back to the tab
                result, ok = e, False
            if self._closed:
                continue  # the tab is gone: nobody to tell
            try:
                self._finished.emit(job, ok, result)
            except RuntimeError:  # the QObject was deleted meanwhile
                return

    def _deliver(self, job: int, ok: bool, result: Any) -> None:
        on_done, on_error = self._callbacks.pop(job, (None, None))
        if ok:
            if on_done is not None:
                on_done(result)
        elif on_error is not None:
            on_error(result)
        else:
            log.error("practice job failed", exc_info=result)
