"""A recorded call as an audio source: decoded up front, resampled and framed while delivering.

Decoding happens in the constructor so a bad path or format fails before any thread starts, and
`duration`/`channels` are known to the caller, and so is a recording cut short (`shortfall`: the
part that could be read is replayed, and the session says how much that was). Resampling runs
chunk by chunk during `run()`, so a paced replay starts at once instead of after the whole file
has been converted.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np

from .base import SAMPLE_RATE
from .channels import ChannelMap
from .decode import Shortfall, read_recording
from .replay import ReplaySource
from .resample import StreamingResampler

# Source seconds resampled per step: large enough for numpy to be efficient, small enough that
# a paced replay never stalls noticeably between blocks.
_CHUNK_SECONDS = 1.0


class FileSource(ReplaySource):
    """Replays a recording per ChannelMap, as 16 kHz FRAME_SAMPLES blocks in call-clock order.

    realtime=True paces blocks to the wall clock (times `speed`) and offers them like a live
    capture; realtime=False delivers as fast as the consumer takes them and drops nothing.
    The last block of each channel is padded with silence to a whole frame.
    """

    def __init__(
        self,
        path: str | Path,
        channel_map: ChannelMap | None = None,
        realtime: bool = False,
        speed: float = 1.0,
    ) -> None:
        self.path = Path(path)
        self.channel_map = channel_map or ChannelMap()
        recording = read_recording(self.path)
        frames, self.sample_rate = recording.samples, recording.rate
        self._signals = self.channel_map.split(frames, what=str(self.path))
        super().__init__(self.channel_map.names, realtime=realtime, speed=speed)
        self.duration = frames.shape[0] / self.sample_rate  # seconds
        # Less audio than the file announces (cut short, damaged): None when it is whole.
        self.shortfall: Shortfall | None = recording.shortfall

    def _chunks(self) -> Iterator[dict[str, np.ndarray]]:
        resamplers = {ch: StreamingResampler(self.sample_rate, SAMPLE_RATE) for ch in self.channels}
        step = max(1, int(self.sample_rate * _CHUNK_SECONDS))
        n = len(next(iter(self._signals.values())))
        for i in range(0, n, step):
            yield {
                ch: resamplers[ch].process(self._signals[ch][i : i + step]) for ch in self.channels
            }
        yield {ch: resamplers[ch].flush() for ch in self.channels}
