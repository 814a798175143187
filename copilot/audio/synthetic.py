"""Generated audio for tests and demos: signals that must produce no words.

An ASR that invents text from silence, hiss, a dial tone or hold music would put words in a
customer's mouth, so these generators feed exactly those cases. All return float32 at 16 kHz and
are deterministic (fixed seeds), so a failing test reproduces.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

import numpy as np

from .base import SAMPLE_RATE
from .replay import ReplaySource

_CHUNK = SAMPLE_RATE  # one second per step


class SyntheticSource(ReplaySource):
    """Delivers given 16 kHz signals per channel; shorter channels are padded with silence."""

    def __init__(
        self, signals: Mapping[str, np.ndarray], realtime: bool = False, speed: float = 1.0
    ) -> None:
        if not signals:
            raise ValueError("SyntheticSource needs at least one channel")
        super().__init__(tuple(signals), realtime=realtime, speed=speed)
        length = max(len(s) for s in signals.values())
        self._signals = {
            ch: _padded(np.asarray(s, dtype=np.float32), length) for ch, s in signals.items()
        }
        self.duration = length / SAMPLE_RATE

    def _chunks(self) -> Iterator[dict[str, np.ndarray]]:
        n = len(next(iter(self._signals.values())))
        for i in range(0, n, _CHUNK):
            yield {ch: s[i : i + _CHUNK] for ch, s in self._signals.items()}


def silence(seconds: float) -> np.ndarray:
    return np.zeros(_samples(seconds), dtype=np.float32)


def white_noise(seconds: float, level: float = 0.05, seed: int = 0) -> np.ndarray:
    """Gaussian noise with RMS `level` (full scale = 1.0), clipped to the valid range."""
    rng = np.random.default_rng(seed)
    return np.clip(rng.standard_normal(_samples(seconds)) * level, -1, 1).astype(np.float32)


def tone(seconds: float, hz: float = 440.0, level: float = 0.3) -> np.ndarray:
    """A sine of peak amplitude `level`."""
    t = np.arange(_samples(seconds)) / SAMPLE_RATE
    return (level * np.sin(2 * np.pi * hz * t)).astype(np.float32)


def hold_music(seconds: float, level: float = 0.3) -> np.ndarray:
    """A looping chord progression with a slow swell, like a phone system's hold loop.

    Several tones at once and changing loudness defeat a VAD that only checks energy, which is
    the point: the ASR behind it must still produce nothing.
    """
    n = _samples(seconds)
    t = np.arange(n) / SAMPLE_RATE
    chords = [
        (261.63, 329.63, 392.0),
        (220.0, 261.63, 329.63),
        (174.61, 220.0, 261.63),
        (196.0, 246.94, 293.66),
    ]
    chord_index = (t // 1.5).astype(int) % len(chords)  # a new chord every 1.5 s
    out = np.zeros(n)
    for i, freqs in enumerate(chords):
        active = chord_index == i
        for f in freqs:
            out[active] += np.sin(2 * np.pi * f * t[active])
    swell = 0.6 + 0.4 * np.sin(2 * np.pi * 0.25 * t)  # loudness rising and falling every 4 s
    return (level / 3 * out * swell).astype(np.float32)


def _samples(seconds: float) -> int:
    if seconds < 0:
        raise ValueError(f"seconds must not be negative, got {seconds}")
    return int(round(seconds * SAMPLE_RATE))


def _padded(x: np.ndarray, length: int) -> np.ndarray:
    x = x.reshape(-1)
    if len(x) == length:
        return x
    out = np.zeros(length, dtype=np.float32)
    out[: len(x)] = x
    return out
