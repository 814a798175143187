"""Speech to text on the CPU: which Whisper model (model_paths, by the one resolution rule), the
engine that owns it (whisper_engine: each utterance encoded at its own length, bounded decoding,
per-word confidence), voice activity (vad, Silero) and the streaming scheduler that turns both
channels' audio into partial and final captions, finals first (streaming)."""

from copilot.asr.model_paths import NoModelError, resolve_whisper_model
from copilot.asr.whisper_engine import ModelLoadError, WhisperEngine

__all__ = ["ModelLoadError", "NoModelError", "WhisperEngine", "resolve_whisper_model"]
