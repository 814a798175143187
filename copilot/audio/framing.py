"""Cutting a channel's 16 kHz stream into fixed 30 ms AudioBlocks stamped on the call clock.

Devices deliver whatever block size PortAudio picks and resampling yields uneven pieces, but the
VAD and ASR want equal frames. Every source therefore pushes its samples through a Framer, which
carries the remainder to the next push and stamps each block from the count of samples before it
(not from the wall clock), so timestamps stay exact even when blocks are later dropped.
"""

from __future__ import annotations

import numpy as np

from .base import FRAME_SAMPLES, SAMPLE_RATE, AudioBlock


class Framer:
    """Accumulates one channel's samples and hands out whole FRAME_SAMPLES blocks."""

    def __init__(self, channel: str, frame_samples: int = FRAME_SAMPLES) -> None:
        self.channel = channel
        self.frame_samples = frame_samples
        self._pending = np.zeros(0, dtype=np.float32)
        self._position = 0  # samples already handed out in blocks

    @property
    def position(self) -> int:
        """Samples handed out so far; the next block starts here on the call clock."""
        return self._position

    def push(self, samples: np.ndarray) -> list[AudioBlock]:
        """Add samples; returns the blocks that are now complete (possibly none)."""
        samples = np.asarray(samples, dtype=np.float32).reshape(-1)
        data = np.concatenate([self._pending, samples]) if len(self._pending) else samples
        whole = len(data) // self.frame_samples * self.frame_samples
        blocks = [
            self._block(data[i : i + self.frame_samples])
            for i in range(0, whole, self.frame_samples)
        ]
        self._pending = data[whole:].copy()
        return blocks

    def flush(self) -> AudioBlock | None:
        """The last, partial frame padded with silence, so every block has the same length."""
        if not len(self._pending):
            return None
        frame = np.zeros(self.frame_samples, dtype=np.float32)
        frame[: len(self._pending)] = self._pending
        self._pending = np.zeros(0, dtype=np.float32)
        return self._block(frame)

    def _block(self, samples: np.ndarray) -> AudioBlock:
        # A copy, so the block never aliases a device buffer or a larger decoded array.
        block = AudioBlock(self.channel, self._position / SAMPLE_RATE, samples.copy())
        self._position += len(samples)
        return block
