"""Spoken practice answers use the window's current speech model, also after a new pack."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np

import copilot.asr.whisper_engine as we
from ui.panels.practice import voice_input


class FakeEngine:
    def __init__(self, path, *_args) -> None:
        self.path = Path(path)
        self.closed = False

    def close(self) -> None:
        self.closed = True


def test_a_new_model_replaces_the_engine_and_frees_the_old(monkeypatch, tmp_path):
    monkeypatch.setattr(we, "WhisperEngine", FakeEngine)
    monkeypatch.setattr(voice_input, "answer_from_audio",
                        lambda samples, rate, engine, lang: engine.path.name)
    current = {"path": tmp_path / "tiny"}
    voice = voice_input.MicrophoneAnswers(
        lambda: current["path"], lambda: None,
        record=lambda stop, device=None: (np.zeros(1600, np.float32), 16000))
    stop = threading.Event()
    assert voice.listen(stop) == "tiny"
    first = voice._engine
    assert voice.listen(stop) == "tiny" and voice._engine is first  # kept between answers
    current["path"] = tmp_path / "base"  # the window reloaded: a new pack's model
    assert voice.listen(stop) == "base"
    assert first.closed and voice._engine is not first
    voice.close()
