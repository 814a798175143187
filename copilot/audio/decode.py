"""Reading a whole recording into memory as float32 (frames, channels).

libsndfile (soundfile) reads WAV, FLAC and OGG Vorbis exactly and quickly; everything else a call
recorder or a softphone might export (MP3, M4A/AAC, Opus, WMA, audio inside a video) goes through
FFmpeg via PyAV. A file soundfile cannot open is retried with PyAV, since extensions lie (a WAV
may hold mu-law or GSM, an .ogg may hold Opus). Every failure becomes an AudioError naming the file.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from .base import AudioError

SUPPORTED = "WAV, FLAC, OGG (Vorbis/Opus), MP3, M4A/AAC, and other formats FFmpeg can decode"

# Extensions libsndfile handles itself; other files go straight to FFmpeg.
_SOUNDFILE_SUFFIXES = {
    ".wav",
    ".wave",
    ".flac",
    ".ogg",
    ".oga",
    ".aif",
    ".aiff",
    ".au",
    ".w64",
    ".rf64",
    ".caf",
}


def read_audio(path: str | Path) -> tuple[np.ndarray, int]:
    """Decode a file; returns (samples float32 of shape (frames, channels), sample rate)."""
    path = Path(path)
    if not path.exists():
        raise AudioError(f"audio file not found: {path}")
    if path.is_dir():
        raise AudioError(f"{path} is a folder, not an audio file")
    if path.stat().st_size == 0:
        raise AudioError(f"audio file {path} is empty (0 bytes)")
    if not os.access(path, os.R_OK):
        raise AudioError(f"no permission to read audio file {path}")

    reasons = []
    readers = (
        (_read_soundfile, _read_pyav)
        if path.suffix.lower() in _SOUNDFILE_SUFFIXES
        else (_read_pyav,)
    )
    for reader in readers:
        try:
            samples, rate = reader(path)
            break
        except _NotReadable as e:
            reasons.append(str(e))
    else:
        raise AudioError(
            f"{path} is not a readable audio file. Supported formats: {SUPPORTED}. "
            f"(details: {'; '.join(reasons)})"
        )
    if samples.shape[0] == 0 or samples.shape[1] == 0:
        raise AudioError(f"audio file {path} contains no audio samples")
    return samples, rate


class _NotReadable(Exception):
    """This reader cannot decode the file; the message says why."""


def _read_soundfile(path: Path) -> tuple[np.ndarray, int]:
    import soundfile as sf

    try:
        data, rate = sf.read(str(path), dtype="float32", always_2d=True)
    except (sf.LibsndfileError, RuntimeError, TypeError) as e:
        raise _NotReadable(f"libsndfile: {e}") from e
    return np.ascontiguousarray(data), int(rate)


def _read_pyav(path: Path) -> tuple[np.ndarray, int]:
    import av

    try:
        with av.open(str(path)) as container:
            if not container.streams.audio:
                raise _NotReadable("FFmpeg: the file has no audio stream")
            stream = container.streams.audio[0]
            # Planar float keeps every channel apart whatever the codec's native sample format.
            converter = av.AudioResampler(format="fltp")
            pieces: list[np.ndarray] = []
            rate = 0
            for frame in container.decode(stream):
                rate = rate or frame.sample_rate
                pieces.extend(f.to_ndarray() for f in converter.resample(frame))
            pieces.extend(f.to_ndarray() for f in converter.resample(None))
    except av.FFmpegError as e:
        raise _NotReadable(f"FFmpeg: {e}") from e
    rate = rate or (stream.rate or 0)
    if not pieces or not rate:
        return np.zeros((0, 1), dtype=np.float32), rate or 1
    # (channels, frames) per piece -> one (frames, channels) array
    return np.ascontiguousarray(np.concatenate(pieces, axis=1).T, dtype=np.float32), int(rate)
