"""A peer to measure against: LocalAgreement streaming (ufal whisper_streaming) on the same audio.

Two implementations of the policy, same feeding (`policy=`):
- "ufal" (default): `copilot.bench.localagreement`, our faithful copy of ufal's OnlineASRProcessor
  (200-char prompt, n-gram de-duplication, trimming at committed Whisper segments past 15 s) over
  faster-whisper. Needs nothing beyond faster-whisper.
- "package": the PyPI `whisper-streaming` 0.1.0 port as shipped, driven through its per-iteration
  step `ASRProcessor._process(chunk)`. Its own `run()` pulls one receiver chunk per iteration and
  so falls further and further behind when decoding is slower than real time, which is not ufal's
  loop (each iteration takes *all* audio that arrived meanwhile). The port's defects (no prompt,
  whole-second mid-word trimming) are listed in localagreement.py; run it to show them.

How it is fed, and why that is fair on a 2-core machine: both channels of the SAME recording are
released at real-time pace (wall clock); ONE model (CTranslate2, int8, 2 threads) serves both
channels from one thread, each channel with its own policy state; each iteration serves the
channel with the most audio waiting (which alternates them), taking all of it, at least
`min_chunk` seconds. That is exactly the budget of the copilot's own ASR worker: one model, one
thread, both speakers, audio arriving in real time. Two processes would fight over the cores; one
channel alone would give the peer twice our CPU. Decoding is greedy (beam 1) like our engine, so
the comparison is about the streaming policy, not beam search (ufal's default: beam 5). ufal's
`--vad` (faster-whisper's Silero filter on the buffer) is on by default for the same reason: our
engine only decodes speech, and without it tiny.en hallucinates in the long silences of one
channel while the other party talks (measured on billing_refund: the agent's second turn came
out as "Can I help me? I can't help me..." and committed 12 s late).

Output: `copilot.events.Caption`s on the call clock. Each committed word is one final caption
(start/end = Whisper's word times, `at` = wall time since the replay began, just after the
iteration that committed it); the unconfirmed tail after each iteration is one partial caption.
At the end of a channel's audio its tail is committed, as ufal's `finish()` does. The model loads
before the clock starts.
"""

from __future__ import annotations

import copy
import dataclasses
import functools
import importlib.util
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from copilot.audio.base import SAMPLE_RATE  # the one rate of the pipeline
from copilot.bench.localagreement import LocalAgreement, TimedWord, faster_whisper_transcriber
from copilot.events import Caption

POLICIES = ("ufal", "package")
INSTALL_HINT = "pip install whisper-streaming==0.1.0  (or: pip install -e '.[bench]')"


class PeerUnavailable(Exception):
    pass


@dataclass(frozen=True)
class PeerOptions:
    policy: str = "ufal"
    min_chunk: float = 1.0  # ufal's --min-chunk-size default
    buffer_seconds: int = 15  # ufal's --buffer_trimming_sec default
    beam_size: int = 1  # greedy, like our engine (ufal: 5)
    vad: bool = True  # ufal's --vad: our engine gates on a VAD too (see the module docstring)
    compute_type: str = "int8"
    cpu_threads: int = 2
    prompt_chars: int = 200


@functools.lru_cache(maxsize=2)
def peer_available(policy: str = "ufal") -> bool:
    """Can the peer run? "ufal" needs faster-whisper; "package" needs whisper-streaming too."""
    if importlib.util.find_spec("faster_whisper") is None:
        return False
    if policy != "package":
        return True
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    try:
        from whisper_streaming.backend import FasterWhisperASR  # noqa: F401
    except Exception:  # ImportError, or a broken native dependency (mosestokenizer, alsa)
        return False
    return True


def load_channels(audio_path: str | Path, channels_map: dict[str, int | None],
                  limit: float | None = None) -> dict[str, np.ndarray]:
    """{channel name: 16 kHz mono float32} by column index; None mixes all columns down."""
    from copilot.audio.decode import read_audio
    from copilot.audio.resample import resample

    frames, rate = read_audio(audio_path)
    if limit is not None:
        frames = frames[: int(limit * rate)]
    out = {}
    for name, col in channels_map.items():
        if col is not None and not 0 <= col < frames.shape[1]:
            raise ValueError(f"{audio_path} has {frames.shape[1]} channel(s); no column {col}")
        x = frames.mean(axis=1) if col is None else frames[:, col]
        out[name] = resample(np.ascontiguousarray(x, dtype=np.float32), rate, SAMPLE_RATE)
    return out


# -- the two policies behind one small interface: feed(), step() -> committed, tail, finish() --

class _UfalStream:
    def __init__(self, model: Any, lang: str | None, opts: PeerOptions) -> None:
        transcribe = faster_whisper_transcriber(model, lang, opts.beam_size, opts.vad)
        self.la = LocalAgreement(transcribe, float(opts.buffer_seconds), opts.prompt_chars)

    def feed(self, samples: np.ndarray) -> None:
        self.la.insert_audio(samples)

    def step(self) -> list[TimedWord]:
        return self.la.step()

    @property
    def tail(self) -> list[TimedWord]:
        return self.la.tail

    def finish(self) -> list[TimedWord]:
        return self.la.finish()


class _PackageStream:
    """whisper-streaming's ASRProcessor, one iteration per step, its commits read back as words."""

    def __init__(self, proc: Any) -> None:
        self.proc = proc
        self._pending = np.zeros(0, dtype=np.float32)

    def feed(self, samples: np.ndarray) -> None:
        self._pending = np.concatenate([self._pending, samples])

    def step(self) -> list[TimedWord]:
        committed = self.proc._transcription_buffer._transcriptions_committed
        before = len(committed)
        self.proc._process(self._pending)
        self._pending = np.zeros(0, dtype=np.float32)
        return [TimedWord(w.start, w.end, w.word) for w in committed[before:]]

    @property
    def tail(self) -> list[TimedWord]:
        limbo = self.proc._transcription_buffer.transcriptions_in_limbo
        return [TimedWord(w.start, w.end, w.word) for w in limbo]

    def finish(self) -> list[TimedWord]:
        return self.tail


def _package_processor(model_path: Path, opts: PeerOptions, lang: str | None) -> Any:
    from whisper_streaming import ASRProcessor, Backend, TimeTrimming
    from whisper_streaming.backend import (
        FasterWhisperFeatureExtractorConfig,
        FasterWhisperModelConfig,
        FasterWhisperTranscribeConfig,
    )

    config = ASRProcessor.ProcessorConfig(
        sampling_rate=SAMPLE_RATE, prompt_size=opts.prompt_chars, audio_receiver_timeout=1.0,
        # The port's SentenceTrimming raises (unimplemented); time trimming is all it has.
        audio_trimming=TimeTrimming(seconds=opts.buffer_seconds), language=lang)
    model = FasterWhisperModelConfig(
        model_size_or_path=str(model_path), device="cpu", compute_type=opts.compute_type,
        cpu_threads=opts.cpu_threads, num_workers=1, local_files_only=True)
    decode = FasterWhisperTranscribeConfig(beam_size=opts.beam_size,
                                           best_of=max(1, opts.beam_size), vad_filter=opts.vad)
    # Receiver and senders are only used by ASRProcessor.run(), which we do not call.
    return ASRProcessor(config, None, [], Backend.FASTER_WHISPER, model, decode,
                        FasterWhisperFeatureExtractorConfig())


def _package_sibling(proc: Any, lang: str | None) -> Any:
    """A processor with fresh state sharing `proc`'s loaded model (the port loads one per
    processor; two copies would double the memory and misstate the peer's footprint)."""
    from whisper_streaming.processor import TranscriptionBuffer

    twin = copy.copy(proc)
    twin.backend = copy.copy(proc.backend)  # shallow: same WhisperModel, own language
    twin.backend.language = lang
    twin.processor_config = dataclasses.replace(proc.processor_config, language=lang)
    twin._audio_buffer = np.zeros(0, dtype=np.float32)
    twin._transcription_buffer = TranscriptionBuffer(proc.processor_config.buffer_config)
    twin.buffer_offset = 0
    return twin


def _streams(model_path: Path, names: list[str], langs: dict[str, str],
             opts: PeerOptions) -> list[Any]:
    if opts.policy == "package":
        first = _package_processor(model_path, opts, langs.get(names[0]) or None)
        procs = [first] + [_package_sibling(first, langs.get(n) or None) for n in names[1:]]
        return [_PackageStream(p) for p in procs]
    from faster_whisper import WhisperModel  # heavy: only when the peer really runs

    model = WhisperModel(str(model_path), device="cpu", compute_type=opts.compute_type,
                         cpu_threads=opts.cpu_threads, num_workers=1, local_files_only=True)
    return [_UfalStream(model, langs.get(n) or None, opts) for n in names]


# -- the real-time replay ---------------------------------------------------------------------

@dataclass
class _Lane:
    name: str
    audio: np.ndarray
    stream: Any
    lang: str
    fed: int = 0
    finished: bool = False


class _Replay:
    def __init__(self, lanes: list[_Lane], opts: PeerOptions, realtime: bool) -> None:
        self.lanes = lanes
        self.min_chunk = int(opts.min_chunk * SAMPLE_RATE)
        self.realtime = realtime
        self.captions: list[Caption] = []
        self._t0 = 0.0

    def _now(self, lane: _Lane) -> float:
        """Call clock: wall time when paced, else the audio position fed (compute is free)."""
        return time.monotonic() - self._t0 if self.realtime else lane.fed / SAMPLE_RATE

    def _waiting(self, lane: _Lane) -> int:
        arrived = (int((time.monotonic() - self._t0) * SAMPLE_RATE) if self.realtime
                   else len(lane.audio))
        return min(arrived, len(lane.audio)) - lane.fed

    def _caption(self, lane: _Lane, words: list[TimedWord], final: bool, at: float) -> None:
        text = "".join(w.text for w in words).strip()  # Whisper words carry their own spaces
        if text:
            self.captions.append(Caption(f"p{len(self.captions) + 1}", final, lane.name,
                                         float(words[0].start), float(words[-1].end), at,
                                         lane.lang, text))

    def _commit(self, lane: _Lane, words: list[TimedWord], at: float) -> None:
        for w in words:  # one final per word, so each lands in the turn it was spoken in
            self._caption(lane, [w], True, at)

    def run(self) -> list[Caption]:
        self._t0 = time.monotonic()
        while True:
            active = [ln for ln in self.lanes if not ln.finished]
            if not active:
                return sorted(self.captions, key=lambda c: (c.at, c.start))
            ended = [ln for ln in active if ln.fed >= len(ln.audio)]
            if ended:
                ended[0].finished = True
                self._commit(ended[0], ended[0].stream.finish(), self._now(ended[0]))
                continue
            waiting = [(self._waiting(ln), ln) for ln in active]
            # A channel is ready with min_chunk waiting, or with the rest of its file.
            ready = [(n, ln) for n, ln in waiting
                     if n >= self.min_chunk or ln.fed + n >= len(ln.audio)]
            if not ready:
                short = min(self.min_chunk - n for n, _ in waiting)
                time.sleep(max(short / SAMPLE_RATE, 0.01))
                continue
            n, lane = max(ready, key=lambda x: x[0])  # the most audio waiting: alternates lanes
            if not self.realtime:
                n = min(n, self.min_chunk)  # unpaced: ufal's fixed-size chunks
            lane.stream.feed(lane.audio[lane.fed:lane.fed + n])
            lane.fed += n
            committed = lane.stream.step()
            at = self._now(lane)
            self._commit(lane, committed, at)
            self._caption(lane, lane.stream.tail, False, at)


def run_peer(audio_path: str | Path, model_path: str | Path,
             channels_map: dict[str, int | None], realtime: bool = True,
             langs: dict[str, str] | None = None, opts: PeerOptions | None = None,
             limit: float | None = None) -> list[Caption]:
    """Replay `audio_path` through the LocalAgreement peer; final and partial captions.

    channels_map: {"agent": 0, "customer": 1} (a call's "channels"), or {"mono": None} to mix
    down. langs: per-channel language ("en", "fr"...); missing means detect (multilingual model).
    limit: only the first `limit` seconds.
    """
    opts = opts or PeerOptions()
    if opts.policy not in POLICIES:
        raise ValueError(f"unknown peer policy {opts.policy!r}; use one of {POLICIES}")
    if not peer_available(opts.policy):
        raise PeerUnavailable(f"the {opts.policy} LocalAgreement peer cannot run ({INSTALL_HINT})")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")  # local files only: never reach a model hub
    model_path = Path(model_path)
    if not (model_path / "model.bin").is_file():
        raise FileNotFoundError(f"no CTranslate2 Whisper model (model.bin) in {model_path}")
    langs = langs or {}
    audio = load_channels(audio_path, channels_map, limit)
    names = list(audio)
    streams = _streams(model_path, names, langs, opts)
    lanes = [_Lane(n, audio[n], s, langs.get(n, "")) for n, s in zip(names, streams, strict=True)]
    return _Replay(lanes, opts, realtime).run()
