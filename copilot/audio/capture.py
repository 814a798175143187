"""The PortAudio callback side of live capture: device samples in, 16 kHz blocks offered out.

The callback runs on PortAudio's real-time thread. It copies, splits into call channels,
resamples (about 0.1 ms of numpy per 10 ms block at 48 kHz, cheap enough to do right here and keep
a single bounded queue whose drops are counted) and `offer()`s; it never waits. Block times come
from the count of samples captured, so a dropped block leaves a gap on the call clock rather than
shifting everything after it.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from .base import SAMPLE_RATE, AudioBlock, BlockQueue
from .framing import Framer
from .resample import StreamingResampler


class DeviceCapture:
    """Turns one stream's PortAudio callbacks into 16 kHz blocks offered to the queue."""

    def __init__(
        self,
        split: Callable[[np.ndarray], dict[str, np.ndarray]],
        names: Sequence[str],
        samplerate: int,
        out: BlockQueue,
    ) -> None:
        self._split = split
        self._out = out
        self._resamplers = {n: StreamingResampler(samplerate, SAMPLE_RATE) for n in names}
        self._framers = {n: Framer(n) for n in names}
        self.input_overflows = 0  # PortAudio lost input before we saw it (CPU starved)
        self.error: BaseException | None = None
        self.last_callback = time.monotonic()  # a stalled stream shows up as an old timestamp

    def callback(self, indata: np.ndarray, frames: int, time_info: Any, status: Any) -> None:
        self.last_callback = time.monotonic()
        if status:
            self.input_overflows += 1
        try:
            # PortAudio reuses `indata` after we return, so take our own copy first.
            parts = self._split(np.array(indata, dtype=np.float32))
            blocks: list[AudioBlock] = []
            for name, samples in parts.items():
                blocks += self._framers[name].push(self._resamplers[name].process(samples))
            self._offer(blocks)
        except Exception as e:  # an exception would kill the stream silently; report it instead
            self.error = e

    def flush(self) -> None:
        """After the stream has stopped: deliver what is left in the filters and framers."""
        blocks = []
        for name, framer in self._framers.items():
            blocks += framer.push(self._resamplers[name].flush())
            if (last := framer.flush()) is not None:
                blocks.append(last)
        self._offer(blocks)

    def _offer(self, blocks: list[AudioBlock]) -> None:
        for block in sorted(blocks, key=lambda b: b.start):
            self._out.offer(block)
