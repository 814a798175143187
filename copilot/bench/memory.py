"""Peak resident memory of this process while a block of code runs.

A background thread samples RSS with psutil every 50 ms and keeps the highest value, so the peak
is the peak *of the measured block* (model load plus the call). `ru_maxrss` from the kernel is
reported beside it as a cross-check: it cannot miss a short spike between samples, but it is the
peak of the whole process lifetime, so it is an upper bound when something big ran earlier.
"""

from __future__ import annotations

import resource
import sys
import threading

import psutil

MB = 1024 * 1024


def ru_maxrss_bytes() -> int:
    """Lifetime peak RSS from getrusage (Linux reports kilobytes, macOS bytes)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return int(peak if sys.platform == "darwin" else peak * 1024)


class PeakRss:
    """with PeakRss() as mem: ...; then mem.peak_bytes, mem.start_bytes, mem.ru_maxrss_bytes."""

    def __init__(self, interval: float = 0.05) -> None:
        self.interval = interval
        self.start_bytes = 0
        self.peak_bytes = 0
        self.end_bytes = 0
        self.ru_maxrss_bytes = 0
        self.samples = 0
        self._proc = psutil.Process()
        self._done = threading.Event()
        self._thread: threading.Thread | None = None

    def _sample(self) -> None:
        try:
            rss = self._proc.memory_info().rss
        except psutil.Error:
            return
        self.samples += 1
        if rss > self.peak_bytes:
            self.peak_bytes = rss

    def _run(self) -> None:
        while not self._done.wait(self.interval):
            self._sample()

    def __enter__(self) -> PeakRss:
        self.start_bytes = self._proc.memory_info().rss
        self.peak_bytes = self.start_bytes
        self._done.clear()
        self._thread = threading.Thread(target=self._run, name="rss-sampler", daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._done.set()
        if self._thread is not None:
            self._thread.join()
        self._sample()  # the state at exit, in case the block was shorter than one interval
        self.end_bytes = self._proc.memory_info().rss
        self.ru_maxrss_bytes = ru_maxrss_bytes()

    def to_dict(self) -> dict[str, float]:
        return {"peak_rss_mb": round(self.peak_bytes / MB, 1),
                "start_rss_mb": round(self.start_bytes / MB, 1),
                "growth_mb": round((self.peak_bytes - self.start_bytes) / MB, 1),
                "ru_maxrss_mb": round(self.ru_maxrss_bytes / MB, 1)}
