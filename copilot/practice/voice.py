"""Spoken answers for practice: an audio file or a microphone recording, as text (Whisper).

The trainee speaks one answer, then stops (Enter in the terminal, a button in the app); the
recording is transcribed by the same WhisperEngine as live calls and then judged like a typed
answer (redacted first, by the session). An answer longer than Whisper's 30 s window is cut into
windows of WINDOW_SECONDS; a word split at a cut may be lost, which is acceptable for one
practice answer (they are rarely that long).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from copilot.audio.base import SAMPLE_RATE, AudioError
from copilot.audio.resample import resample

__all__ = ["WINDOW_SECONDS", "answer_from_audio", "answer_from_file", "record_answer"]

WINDOW_SECONDS = 28.0


def answer_from_audio(samples: np.ndarray, rate: int, engine: Any, lang: str | None = None) -> str:
    """The text of one spoken answer. `samples`: float32 (frames,) or (frames, channels);
    `engine`: a copilot.asr.whisper_engine.WhisperEngine."""
    from copilot.asr.whisper_engine import DecodeOptions

    x = np.asarray(samples, dtype=np.float32)
    if x.ndim == 2:
        x = x.mean(axis=1)  # a headset may record two identical channels
    if rate != SAMPLE_RATE:
        x = resample(x, rate, SAMPLE_RATE)
    step = int(WINDOW_SECONDS * SAMPLE_RATE)
    texts: list[str] = []
    for start in range(0, len(x), step):
        prompt = " ".join(texts)[-200:]
        t = engine.transcribe(x[start:start + step], lang=lang, opts=DecodeOptions(prompt=prompt))
        if t.text.strip():
            texts.append(t.text.strip())
            lang = lang or t.lang  # one answer, one language
    return " ".join(texts)


def answer_from_file(path: str | Path, engine: Any, lang: str | None = None) -> str:
    from copilot.audio.decode import read_audio

    samples, rate = read_audio(path)
    return answer_from_audio(samples, rate, engine, lang)


def record_answer(stop: threading.Event | Callable[[], bool], *, device: str | None = None,
                  max_seconds: float = 120.0) -> tuple[np.ndarray, int]:
    """Record from the microphone until `stop` is set (or returns True), at most
    `max_seconds`; returns (mono float32 samples, sample rate). AudioError, with what to do,
    when there is no input device or it cannot be opened."""
    from copilot.audio.devices import _sounddevice, find_device

    info = find_device(device)  # AudioError "no audio input devices found; connect ..."
    sd = _sounddevice()
    rate = int(info.default_samplerate) or SAMPLE_RATE
    chunks: list[np.ndarray] = []

    def callback(indata: Any, frames: int, time_info: Any, status: Any) -> None:
        chunks.append(np.array(indata[:, 0], dtype=np.float32))  # PortAudio reuses indata

    stopped = stop.is_set if isinstance(stop, threading.Event) else stop
    try:
        with sd.InputStream(device=info.index, channels=1, samplerate=rate, dtype="float32",
                            callback=callback):
            end = time.monotonic() + max_seconds
            while not stopped() and time.monotonic() < end:
                time.sleep(0.05)
    except sd.PortAudioError as e:
        raise AudioError(f"cannot record from {info.name}: {e}") from e
    if not chunks:
        raise AudioError(f"no audio was recorded from {info.name}")
    return np.concatenate(chunks), rate
