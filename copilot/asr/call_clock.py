"""Where the streaming scheduler keeps time and audio: the call clock (Clock) and, for each
channel, its audio on that clock with what the ingest loop knows of it (_Channel: its VAD and
utterance cutter, the language heard so far, the utterance in progress). Private to copilot.asr
apart from Clock, which the call session shares with the scheduler."""

from __future__ import annotations

import time

import numpy as np

from copilot.asr.language import LanguageTracker
from copilot.asr.vad import SAMPLE_RATE, SegmenterOptions, StreamingVad, UtteranceSegmenter


class Clock:
    """The call clock. Live or paced replay: wall time since start. Unpaced file processing:
    the position of the audio read so far (so `at` stays meaningful when running faster)."""

    def __init__(self, realtime: bool, speed: float = 1.0) -> None:
        self.realtime = realtime
        self.speed = speed  # a paced replay may run faster than real time (tests)
        self._t0 = time.monotonic()
        self.audio_pos = 0.0

    def start(self) -> None:
        self._t0 = time.monotonic()

    def now(self) -> float:
        if self.realtime:
            return (time.monotonic() - self._t0) * self.speed
        return self.audio_pos


class _Channel:
    def __init__(self, name: str, vad: StreamingVad, seg_opts: SegmenterOptions, lang: str):
        self.name = name
        self.vad = vad
        self.seg = UtteranceSegmenter(seg_opts)
        self.lang = LanguageTracker(lang)
        self.t0: float | None = None  # call time of the first sample seen
        self.fed = 0  # samples fed to the VAD
        self.buf = np.zeros(0, np.float32)
        self.buf_start = 0.0  # call time of buf[0]
        self.utt_id: str | None = None
        self.utt_start = 0.0
        self.utt_shown_start = 0.0
        self.last_partial = 0.0

    def append(self, start: float, samples: np.ndarray) -> None:
        if self.t0 is None:
            self.t0 = start
            self.buf_start = start
        self.buf = np.concatenate([self.buf, samples])

    def audio(self, start: float, end: float) -> np.ndarray:
        i = max(0, int(round((start - self.buf_start) * SAMPLE_RATE)))
        j = max(i, int(round((end - self.buf_start) * SAMPLE_RATE)))
        return self.buf[i:j].copy()

    def trim(self, keep_from: float) -> None:
        i = min(len(self.buf), int((keep_from - self.buf_start) * SAMPLE_RATE))
        if i > 0:
            self.buf = self.buf[i:]
            self.buf_start += i / SAMPLE_RATE
