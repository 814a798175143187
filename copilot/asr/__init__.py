"""Speech to text on the CPU: which Whisper model (model_paths, by the one resolution rule), the
engine that owns it (whisper_engine: each utterance encoded at its own length, bounded decoding,
per-word confidence), voice activity (vad, Silero) and the streaming scheduler that turns both
channels' audio into partial and final captions, finals first (streaming).

Beside the engine: what a decode is asked and gives back (decode_options), the loop checks on a
decode (decode_guards), the words it was unsure of (unsure_words) and the words the audio does
not hold (unheard_words). Beside the scheduler: its options (streaming_options), the call clock
and each channel's audio on it (call_clock), the jobs its worker decodes (decode_jobs)."""

from copilot.asr.model_paths import NoModelError, resolve_whisper_model
from copilot.asr.whisper_engine import ModelLoadError, WhisperEngine

__all__ = ["ModelLoadError", "NoModelError", "WhisperEngine", "resolve_whisper_model"]
