"""Spoken practice answers in the app: record from the microphone, transcribe with Whisper.

The Practice tab's worker calls `listen(stop)`; the Speak button sets `stop`. The Whisper model
is the one the window uses for calls (its path), loaded into an engine of our own the first
time the trainee speaks, and kept for the next answers (replaced when the window's model
changes, e.g. a newly activated pack). Recording and transcription are those of
`copilot practice --voice` (copilot/practice/voice.py); `record` is replaceable so a test can
play a recording instead of a microphone.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from copilot.practice.voice import answer_from_audio, record_answer

Recorder = Callable[..., tuple[Any, int]]  # (stop, device=...) -> (samples, rate)

NO_MICROPHONE = ("No microphone found: connect a headset or microphone, then restart the app. "
                 "You can still type your answers.")


class MicrophoneAnswers:
    def __init__(self, model_path: Callable[[], Path | None], settings: Callable[[], Any],
                 *, record: Recorder = record_answer) -> None:
        self._model_path, self._settings, self._record = model_path, settings, record
        self._engine: Any = None

    def listen(self, stop: threading.Event, lang: str | None = None) -> str:
        """Blocks until `stop` is set; returns what was said ("" for silence). AudioError,
        NoModelError or ModelLoadError with what to do when it cannot."""
        settings = self._settings()
        device = (settings.audio.agent_device or None) if settings is not None else None
        samples, rate = self._record(stop, device=device)
        return answer_from_audio(samples, rate, self._whisper(settings), lang)

    def _whisper(self, settings: Any) -> Any:
        from copilot.asr.model_paths import resolve_whisper_model

        asr = settings.asr if settings is not None else None
        path = Path(self._model_path() or resolve_whisper_model("", asr.model if asr else ""))
        if self._engine is not None and Path(self._engine.path) != path:
            self.close()  # the window loaded another model (a new pack): follow it
        if self._engine is None:
            from copilot.asr.whisper_engine import WhisperEngine

            self._engine = WhisperEngine(path, asr.compute_type if asr else "int8",
                                         asr.threads if asr else 2)
        return self._engine

    def close(self) -> None:
        if self._engine is not None:
            self._engine.close()
            self._engine = None
