"""Python's cycle collector, run on the UI thread only.

Left automatic, the collector runs on whichever thread happens to allocate when a threshold trips:
the recognizer's worker, the store writer, a job thread. A Qt object caught in a reference cycle
(a widget whose slot is a lambda holding it, a job runner tied to an exception's traceback) is then
destroyed on that thread while the UI thread may be using it, and the process dies without a
Python traceback (a CI worker did, in a test of the job runner). So the window turns automatic
collection off and collects on a UI timer instead, generation by generation with Python's own
thresholds; what a worker leaves behind waits at most one tick.

`settle()` is the one full collection after the models have loaded, followed by `gc.freeze()`: the
models' Python objects live as long as the window, and walking them at every full collection
during a call froze the window for up to ~100 ms.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Slot

__all__ = ["INTERVAL_MS", "MainThreadCollector", "install"]

# Often enough that a worker's garbage never piles up (Python alone would collect the youngest
# generation many times a second), rarely enough to cost nothing on an idle window.
INTERVAL_MS = 250


class MainThreadCollector(QObject):
    """One per application (`install`); `stop()` gives collection back to Python."""

    def __init__(self, parent: QCoreApplication, interval_ms: int = INTERVAL_MS) -> None:
        super().__init__(parent)
        self._restore = gc.isenabled()
        gc.disable()
        self.collections = [0, 0, 0]  # per generation, for tests and the log
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.tick)
        self._timer.start()

    @property
    def active(self) -> bool:
        return self._timer.isActive()

    @Slot()
    def tick(self) -> None:
        generation = self._due()
        if generation is not None:
            gc.collect(generation)
            self.collections[generation] += 1

    def _due(self) -> int | None:
        counts, limits = gc.get_count(), gc.get_threshold()
        # As the interpreter decides: the oldest generation whose count passed its threshold (a
        # threshold of 0 turns collection off, as it does for automatic collection).
        for generation in (2, 1, 0):
            if limits[generation] and counts[generation] > limits[generation]:
                return generation
        return None

    def settle(self) -> None:
        """UI thread, once the models have loaded: collect everything, then freeze the rest."""
        gc.collect()
        gc.freeze()

    def stop(self) -> None:
        """Undo it all (tests): nothing stays frozen, one collection here, then Python collects
        on its own again."""
        self._timer.stop()
        self.setParent(None)
        gc.unfreeze()
        gc.collect()
        if self._restore:
            gc.enable()


def install(app: QCoreApplication) -> MainThreadCollector:
    """The application's collector, made on first use (the window and the tests both ask)."""
    for child in app.children():
        if isinstance(child, MainThreadCollector) and child.active:
            return child
    return MainThreadCollector(app)
