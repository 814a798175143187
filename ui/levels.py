"""Per-channel input levels for the call bar's meters, measured on the audio on its way in.

`LevelTap` wraps any AudioSource: the blocks it delivers pass through unchanged while their peak
level is noted (a few numpy operations per 30 ms block, on the source's own thread). The UI
reads `levels()` from a timer; nothing is pushed at it, so loud audio never floods the window.
"""

from __future__ import annotations

import math
import threading
import time
from typing import Any

import numpy as np

from copilot.audio.base import AudioBlock, AudioSource, BlockQueue

FLOOR_DB = -60.0  # the meter's empty end
DECAY_DB_PER_SECOND = 24.0  # how fast a peak falls back (a classic peak meter's ballistics)


def to_meter(peak: float) -> float:
    """0..1 on a dB scale (FLOOR_DB .. 0 dBFS): speech sits in the middle, not at the bottom."""
    if peak <= 0.0:
        return 0.0
    db = 20.0 * math.log10(min(1.0, peak))
    return max(0.0, 1.0 - db / FLOOR_DB)


class LevelMeter:
    """Peak per channel with decay; thread-safe."""

    def __init__(self, channels: tuple[str, ...]) -> None:
        self._lock = threading.Lock()
        self._peak: dict[str, tuple[float, float]] = {ch: (0.0, 0.0) for ch in channels}

    def note(self, channel: str, samples: np.ndarray) -> None:
        peak = float(np.max(np.abs(samples))) if len(samples) else 0.0
        now = time.monotonic()
        with self._lock:
            old, t = self._peak.get(channel, (0.0, now))
            if to_meter(peak) >= _decayed(old, now - t):
                self._peak[channel] = (to_meter(peak), now)

    def levels(self) -> dict[str, float]:
        now = time.monotonic()
        with self._lock:
            return {ch: _decayed(v, now - t) for ch, (v, t) in self._peak.items()}


def _decayed(value: float, seconds: float) -> float:
    return max(0.0, value - max(0.0, seconds) * DECAY_DB_PER_SECOND / -FLOOR_DB)


class _TapQueue:
    """Looks like the session's BlockQueue to the source; notes levels, then hands on."""

    def __init__(self, out: BlockQueue, meter: LevelMeter) -> None:
        self._out = out
        self._meter = meter

    def offer(self, block: AudioBlock) -> bool:
        self._meter.note(block.channel, block.samples)
        return self._out.offer(block)

    def put(self, block: AudioBlock, timeout: float | None = None) -> None:
        self._meter.note(block.channel, block.samples)
        self._out.put(block, timeout=timeout)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._out, name)


class LevelTap(AudioSource):
    """An AudioSource that delivers `inner`'s blocks and measures them on the way."""

    def __init__(self, inner: AudioSource) -> None:
        self.inner = inner
        self.channels = inner.channels
        self.meter = LevelMeter(tuple(inner.channels))

    def run(self, out: BlockQueue) -> None:
        self.inner.run(_TapQueue(out, self.meter))  # type: ignore[arg-type]

    def stop(self) -> None:
        self.inner.stop()

    def levels(self) -> dict[str, float]:
        return self.meter.levels()

    def __getattr__(self, name: str) -> Any:
        # speed, label, duration, devices...: what the session and the runner ask of a source.
        if name == "inner":
            raise AttributeError(name)
        return getattr(self.inner, name)
