"""Audio blocks, the bounded queue between capture and transcription, and the source interface.

Every source delivers 16 kHz mono float32 blocks per named channel ("agent", "customer" or "mono"),
stamped with their position on the call clock. Live capture callbacks only `offer()` into the
queue: when it is full the block is dropped and counted, the callback never blocks. File readers
that are not paced may `put()` and wait, because nothing is lost by waiting for a file.
"""

from __future__ import annotations

import queue
import threading
import time
from abc import ABC, abstractmethod
from dataclasses import dataclass

import numpy as np

SAMPLE_RATE = 16000
FRAME_SAMPLES = 480  # 30 ms


class AudioError(Exception):
    """A clear, user-facing problem with audio input (missing file, bad format, no device)."""


@dataclass(frozen=True)
class AudioBlock:
    channel: str
    start: float  # call-clock seconds of the first sample
    samples: np.ndarray  # float32, mono, SAMPLE_RATE

    @property
    def end(self) -> float:
        return self.start + len(self.samples) / SAMPLE_RATE


_END = object()


class BlockQueue:
    """Bounded FIFO of AudioBlocks. `offer` never blocks (drops and counts); `put` waits."""

    def __init__(self, max_blocks: int = 2000) -> None:
        self._q: queue.Queue[object] = queue.Queue(max_blocks)
        self._lock = threading.Lock()
        self.dropped_blocks = 0
        self.dropped_seconds = 0.0
        self._closed = threading.Event()

    def offer(self, block: AudioBlock) -> bool:
        try:
            self._q.put_nowait(block)
            return True
        except queue.Full:
            with self._lock:
                self.dropped_blocks += 1
                self.dropped_seconds += len(block.samples) / SAMPLE_RATE
            return False

    def put(self, block: AudioBlock, timeout: float | None = None) -> None:
        self._q.put(block, timeout=timeout)

    def close(self) -> None:
        """Mark the end of the audio; `get` returns None once everything before it was read.
        Never blocks, even on a full queue nobody reads any more."""
        self._closed.set()
        try:
            self._q.put_nowait(_END)
        except queue.Full:
            pass  # get() notices the flag once the queue runs dry

    def get(self, timeout: float | None = None) -> AudioBlock | None:
        """Next block; None at the end of audio. Raises queue.Empty on timeout."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            try:
                item = self._q.get(timeout=0.05)
            except queue.Empty:
                if self._closed.is_set():
                    # The producer may have put its last blocks just before closing.
                    try:
                        item = self._q.get_nowait()
                    except queue.Empty:
                        return None
                    return None if item is _END else item  # type: ignore[return-value]
                if deadline is not None and time.monotonic() >= deadline:
                    raise
                continue
            if item is _END:
                return None
            assert isinstance(item, AudioBlock)
            return item

    def qsize(self) -> int:
        return self._q.qsize()


class AudioSource(ABC):
    """A producer of AudioBlocks. `run(out)` delivers until the audio ends or `stop()` is called,
    then closes `out`. Sources are started on their own thread by the session."""

    channels: tuple[str, ...] = ()

    @abstractmethod
    def run(self, out: BlockQueue) -> None: ...

    def stop(self) -> None:  # noqa: B027 - optional hook: sources that end by themselves need none
        pass
