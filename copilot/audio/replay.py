"""Delivering in-memory audio as if it were a call: either paced to the wall clock or flat out.

Paced replay (realtime=True) stands in for a live capture, so it behaves like one: a block becomes
available when its last sample "has been spoken", and it is `offer()`ed, so a consumer that falls
behind loses blocks (counted by the queue) instead of slowing the call down. Unpaced replay is for
batch transcription and tests: it `put()`s and waits for the consumer, so nothing is ever lost.
"""

from __future__ import annotations

import queue
import threading
import time
from abc import abstractmethod
from collections.abc import Iterator

import numpy as np

from .base import AudioBlock, AudioSource, BlockQueue
from .framing import Framer

# How long an unpaced put() waits before looking at the stop flag again.
_PUT_POLL_SECONDS = 0.1


class ReplaySource(AudioSource):
    """Base for sources whose audio is already known. Subclasses yield 16 kHz chunks."""

    def __init__(self, channels: tuple[str, ...], realtime: bool, speed: float = 1.0) -> None:
        if speed <= 0:
            raise ValueError(f"speed must be positive, got {speed}")
        self.channels = channels
        self.realtime = realtime
        self.speed = speed
        self._stopped = threading.Event()

    @abstractmethod
    def _chunks(self) -> Iterator[dict[str, np.ndarray]]:
        """Consecutive pieces of every channel at 16 kHz, all channels the same length."""

    def stop(self) -> None:
        self._stopped.set()

    def run(self, out: BlockQueue) -> None:
        try:
            self._deliver(out)
        finally:
            out.close()

    def _deliver(self, out: BlockQueue) -> None:
        framers = {ch: Framer(ch) for ch in self.channels}
        t0 = time.monotonic()
        for chunk in self._chunks():
            blocks = [b for ch in self.channels for b in framers[ch].push(chunk[ch])]
            if not self._send(self._in_call_order(blocks), out, t0):
                return
        tail = [b for f in framers.values() if (b := f.flush()) is not None]
        self._send(self._in_call_order(tail), out, t0)

    def _in_call_order(self, blocks: list[AudioBlock]) -> list[AudioBlock]:
        # Interleave channels block by block, as a live two-channel capture would produce them.
        rank = {ch: i for i, ch in enumerate(self.channels)}
        return sorted(blocks, key=lambda b: (b.start, rank[b.channel]))

    def _send(self, blocks: list[AudioBlock], out: BlockQueue, t0: float) -> bool:
        """Deliver blocks; False once stopped."""
        for block in blocks:
            if self._stopped.is_set():
                return False
            if self.realtime:
                delay = t0 + block.end / self.speed - time.monotonic()
                if delay > 0 and self._stopped.wait(delay):
                    return False
                out.offer(block)
            elif not self._put(block, out):
                return False
        return True

    def _put(self, block: AudioBlock, out: BlockQueue) -> bool:
        while not self._stopped.is_set():
            try:
                out.put(block, timeout=_PUT_POLL_SECONDS)
                return True
            except queue.Full:
                continue
        return False
