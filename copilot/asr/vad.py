"""Streaming voice activity detection with the Silero model that ships inside faster-whisper.

faster-whisper only runs Silero over whole recordings; a live call needs it window by window with
the recurrent state carried along, so this wraps the same ONNX file (no download) with per-channel
state. Each 512-sample window (32 ms) yields a speech probability; `UtteranceSegmenter` turns
those into utterances with hysteresis, a little padding, and a maximum length.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import numpy as np

from copilot.audio.base import SAMPLE_RATE  # the one rate of the pipeline

WINDOW = 512  # samples at 16 kHz, what Silero v6 expects
CONTEXT = 64


def _model_path() -> str:
    from faster_whisper.utils import get_assets_path

    return os.path.join(get_assets_path(), "silero_vad_v6.onnx")


class SileroSession:
    """The ONNX session, shared by all channels (state lives in StreamingVad)."""

    def __init__(self) -> None:
        import onnxruntime

        opts = onnxruntime.SessionOptions()
        opts.inter_op_num_threads = 1
        opts.intra_op_num_threads = 1
        opts.log_severity_level = 4
        self._session = onnxruntime.InferenceSession(
            _model_path(), providers=["CPUExecutionProvider"], sess_options=opts)

    def run(self, windows: np.ndarray, h: np.ndarray, c: np.ndarray):
        probs, h, c = self._session.run(None, {"input": windows, "h": h, "c": c})
        return np.asarray(probs).reshape(-1), h, c


class StreamingVad:
    """Speech probability per 32 ms window for one channel, fed blocks of any size."""

    def __init__(self, session: SileroSession) -> None:
        self._session = session
        self._h = np.zeros((1, 1, 128), np.float32)
        self._c = np.zeros((1, 1, 128), np.float32)
        self._context = np.zeros(CONTEXT, np.float32)
        self._pending = np.zeros(0, np.float32)

    def feed(self, samples: np.ndarray) -> np.ndarray:
        """Probabilities for every complete window now available (possibly none)."""
        buf = np.concatenate([self._pending, samples.astype(np.float32)])
        n = len(buf) // WINDOW
        self._pending = buf[n * WINDOW:]
        if n == 0:
            return np.zeros(0, np.float32)
        wins = buf[: n * WINDOW].reshape(n, WINDOW)
        # Each window carries the 64 samples before it, as the model was trained.
        ctx = np.concatenate([self._context[None], wins[:-1, -CONTEXT:]], axis=0)
        self._context = wins[-1, -CONTEXT:].copy()
        probs = []
        for i in range(n):  # one at a time: the recurrent state must flow window to window
            p, self._h, self._c = self._session.run(
                np.concatenate([ctx[i], wins[i]])[None], self._h, self._c)
            probs.append(p[0])
        return np.asarray(probs, np.float32)


@dataclass(frozen=True)
class SegmenterOptions:
    # Silero scores band-limited phone speech low (often 0.2-0.5), so the onset bar is lower than
    # its usual 0.5; silence, noise, tones and hold music stay under 0.15 in our tests.
    threshold: float = 0.3
    neg_threshold: float = 0.15  # hysteresis: speech continues until prob falls below this
    min_speech: float = 0.25  # shorter bursts (clicks, a cough) are not utterances
    # A run may reach back this far over the windows just before it that were above the
    # hysteresis bar only: a one-word turn on a phone line ("PIN?", 0.3 s) rises through
    # 0.24-0.26 before it passes the onset bar, and was a window or two short of min_speech
    # (two security checks of blind call sets 61 and 62 lost their "PIN?").
    reach_back: float = 0.1
    min_silence: float = 0.4  # how long a pause ends an utterance: the main latency cost
    # Phone speech ramps up slowly in Silero: reach back for the first syllables. Whisper also
    # decodes better with a little lead-in; 2.0 s measured best (BENCHMARKS.md, 'Pre-roll').
    pad_before: float = 2.0
    pad_after: float = 0.15
    max_utterance: float = 15.0  # a monologue is cut into pieces so captions keep coming
    # This long before a pause would end the utterance, it is announced ("pause", with the end
    # the utterance would have): the final can be decoded meanwhile, on exactly the audio it will
    # have if the voice does not come back, and shown as soon as the pause is long enough
    # (copilot/asr/streaming.py). 0 announces nothing.
    early_end: float = 0.15


@dataclass
class SegmentEvent:
    kind: str  # "start" | "pause" | "end"
    # call-clock seconds: speech start (with padding), or the utterance's end (for "pause": the
    # end it will have if the voice does not come back before the pause is long enough)
    time: float
    onset: float = 0.0  # "start" only: where the VAD first heard the voice (no padding)


class UtteranceSegmenter:
    """Turns window probabilities into utterance start/end events on the call clock."""

    def __init__(self, opts: SegmenterOptions = SegmenterOptions()) -> None:
        self.opts = opts
        self.win_s = WINDOW / SAMPLE_RATE
        self.in_speech = False
        self._speech_start = 0.0
        self._last_voiced = 0.0
        self._voiced_run = 0.0
        self._candidate_start = 0.0
        self._soft_run = 0.0  # windows just before, above the hysteresis bar only
        self._last_end = 0.0  # an utterance never reaches back into the previous one
        self._announced = -1.0  # the voice's last moment when a pause was last announced

    def push(self, probs: np.ndarray, t0: float) -> list[SegmentEvent]:
        """`t0` is the call-clock time of the first window in `probs`."""
        o = self.opts
        events: list[SegmentEvent] = []
        for i, p in enumerate(probs):
            t = t0 + i * self.win_s
            if not self.in_speech:
                # A run starts above the onset bar and goes on while the voice stays above the
                # hysteresis bar: a short word on a phone line ("Bye.") dips under the onset
                # bar between its windows, and restarting the run there lost it.
                if p >= o.threshold or (self._voiced_run > 0.0 and p >= o.neg_threshold):
                    if self._voiced_run == 0.0:
                        lead = min(self._soft_run, o.reach_back)
                        self._candidate_start = t - lead
                        self._voiced_run = lead
                    self._voiced_run += self.win_s
                    if self._voiced_run >= o.min_speech:
                        self.in_speech = True
                        self._soft_run = 0.0
                        self._speech_start = max(self._last_end, self._candidate_start - o.pad_before)
                        self._last_voiced = t + self.win_s
                        events.append(SegmentEvent("start", self._speech_start,
                                                   self._candidate_start))
                else:
                    self._voiced_run = 0.0
                    self._soft_run = self._soft_run + self.win_s if p >= o.neg_threshold else 0.0
                continue
            if p >= o.neg_threshold:
                self._last_voiced = t + self.win_s
            # Cut a long monologue at a dip in the voice, or anyway before Whisper's 30 s limit.
            length = t - self._speech_start
            too_long = (length >= o.max_utterance and p < o.threshold) or length >= 2 * o.max_utterance - 2
            quiet = t + self.win_s - self._last_voiced
            if (o.early_end > 0 and not too_long and self._announced != self._last_voiced
                    and o.min_silence - o.early_end <= quiet < o.min_silence):
                self._announced = self._last_voiced
                events.append(SegmentEvent("pause", self._last_voiced + o.pad_after))
            if quiet >= o.min_silence or too_long:
                self.in_speech = False
                self._voiced_run = 0.0
                end = self._last_voiced + o.pad_after if not too_long else t + self.win_s
                self._last_end = end
                events.append(SegmentEvent("end", end))
        return events

    @property
    def pending_end(self) -> float | None:
        """The end the utterance in progress would have if the voice stopped now."""
        return self._last_voiced + self.opts.pad_after if self.in_speech else None

    def force_end(self, t: float) -> list[SegmentEvent]:
        if not self.in_speech:
            return []
        self.in_speech = False
        self._voiced_run = 0.0
        self._last_end = min(t, self._last_voiced + self.opts.pad_after)
        return [SegmentEvent("end", self._last_end)]
