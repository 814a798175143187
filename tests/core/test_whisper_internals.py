"""copilot/asr/whisper_engine.py reaches past faster-whisper's `transcribe()` into its
internals (pyproject pins faster-whisper below 2). If a release moves any of them, this fails
with the name that moved, instead of a live call failing mid-utterance."""

from __future__ import annotations

import inspect


def test_the_internals_the_engine_uses_are_where_it_expects_them():
    from faster_whisper import WhisperModel
    from faster_whisper.feature_extractor import FeatureExtractor
    from faster_whisper.tokenizer import Tokenizer

    init = inspect.signature(WhisperModel.__init__).parameters
    for name in ("device", "compute_type", "cpu_threads", "num_workers", "local_files_only"):
        assert name in init, f"WhisperModel() no longer takes {name}"
    assert hasattr(WhisperModel, "supported_languages"), "WhisperModel.supported_languages"
    source = inspect.getsource(WhisperModel.__init__)
    for attr in ("self.model", "self.hf_tokenizer", "self.feature_extractor"):
        assert attr in source, f"WhisperModel no longer sets {attr}"
    tok = inspect.signature(Tokenizer.__init__).parameters
    assert list(tok)[1:3] == ["tokenizer", "multilingual"] and "task" in tok and "language" in tok
    assert callable(FeatureExtractor.__call__)


def test_the_ctranslate2_whisper_methods_exist():
    import ctranslate2

    for method in ("encode", "generate", "detect_language"):
        assert hasattr(ctranslate2.models.Whisper, method), f"ctranslate2 Whisper.{method}"
    assert hasattr(ctranslate2.models.Whisper, "is_multilingual")
