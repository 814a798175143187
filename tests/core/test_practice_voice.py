"""Spoken answers: any rate and channel count in, 16 kHz mono windows of at most 28 s to the
speech engine, one language for the whole answer. The real model: tests/e2e/test_practice_real.py."""

from __future__ import annotations

import numpy as np
import pytest

from copilot.asr.whisper_engine import Transcript
from copilot.audio.base import AudioError
from copilot.practice.voice import answer_from_audio, answer_from_file, record_answer


class FakeEngine:
    def __init__(self):
        self.calls = []

    def transcribe(self, audio, lang=None, opts=None, prior=None):
        self.calls.append((len(audio), lang, opts.prompt))
        return Transcript(f"part {len(self.calls)}", lang or "fr", 1.0, 0.0, 0.0, "direct")


def test_long_stereo_answer_is_cut_into_windows():
    rate = 8000
    stereo = np.zeros((70 * rate, 2), np.float32)
    engine = FakeEngine()
    assert answer_from_audio(stereo, rate, engine) == "part 1 part 2 part 3"
    sizes = [c[0] for c in engine.calls]
    assert sizes == [28 * 16000, 28 * 16000, 14 * 16000]
    assert [c[1] for c in engine.calls] == [None, "fr", "fr"]  # detected once, then kept
    assert engine.calls[2][2] == "part 1 part 2"  # earlier text as the prompt


def test_missing_file_and_missing_microphone_are_clear(tmp_path, monkeypatch):
    with pytest.raises(AudioError, match="audio file not found"):
        answer_from_file(tmp_path / "none.wav", FakeEngine())
    monkeypatch.setattr("copilot.audio.devices.list_devices", lambda: [])
    with pytest.raises(AudioError, match="no audio input devices found"):
        record_answer(lambda: True)
