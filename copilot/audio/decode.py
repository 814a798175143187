"""Reading a whole recording into memory as float32 (frames, channels).

libsndfile (soundfile) reads WAV, FLAC and OGG Vorbis exactly and quickly; everything else a call
recorder or a softphone might export (MP3, M4A/AAC, Opus, WMA, audio inside a video) goes through
FFmpeg via PyAV. A file soundfile cannot open is retried with PyAV, since extensions lie (a WAV
may hold mu-law or GSM, an .ogg may hold Opus). Every failure becomes an AudioError naming the file.

A recording cut short (copied or downloaded in part: a WAV whose header announces more audio
than the file holds, a FLAC shorter than its STREAMINFO, a stream FFmpeg stops decoding midway)
is read as far as it goes and reported as a `Shortfall`, so the caller can say how much was read;
one that holds no audio at all is an AudioError that says it was cut short.
"""

from __future__ import annotations

import os
import struct
from dataclasses import dataclass
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


# A recording is reported as cut short when more than this much of its announced audio is missing
# (a few frames of slack: headers round, and decoders may drop a partial last frame).
_SHORTFALL_SECONDS = 0.05


@dataclass(frozen=True)
class Shortfall:
    """A recording that ends before its own header says it does (or that stops decoding)."""

    read_seconds: float  # the audio that could be read
    expected_seconds: float | None  # what the header announces; None when it does not say

    def describe(self) -> str:
        """One sentence for the agent: what is wrong and how much was read."""
        read = seconds(self.read_seconds) if self.read_seconds >= 0.05 \
            else "a few milliseconds"
        if self.expected_seconds is None:
            return f"the recording is damaged: only its first {read} could be read"
        return (f"the recording is cut short: its header announces "
                f"{seconds(self.expected_seconds)} of audio but the file holds only {read}, "
                "all that could be read (it was probably copied or downloaded in part)")


@dataclass(frozen=True)
class Recording:
    samples: np.ndarray  # float32, (frames, channels)
    rate: int
    shortfall: Shortfall | None = None  # the file is cut short or damaged; what was read is here

    @property
    def seconds(self) -> float:
        return self.samples.shape[0] / self.rate if self.rate else 0.0


def seconds(value: float) -> str:
    """A length of audio as the messages give it: "0.3 s", "54.8 s", "12:05"."""
    if value < 60:
        return f"{value:.1f} s"
    whole = round(value)
    return f"{whole // 60}:{whole % 60:02d}"


def read_audio(path: str | Path) -> tuple[np.ndarray, int]:
    """Decode a file; returns (samples float32 of shape (frames, channels), sample rate).
    A recording cut short gives what it holds (`read_recording` also says it is short)."""
    rec = read_recording(path)
    return rec.samples, rec.rate


def read_recording(path: str | Path) -> Recording:
    """Decode a file, noting whether it holds less audio than it announces."""
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
    damaged = False
    for reader in readers:
        try:
            samples, rate, damaged = reader(path)
            break
        except _NotReadable as e:
            reasons.append(str(e))
    else:
        raise AudioError(
            f"{path} is not a readable audio file. Supported formats: {SUPPORTED}. "
            f"(details: {'; '.join(reasons)})"
        )
    shortfall = _shortfall(path, samples.shape[0], rate, damaged)
    if samples.shape[0] == 0 or samples.shape[1] == 0:
        if shortfall is not None and shortfall.expected_seconds:
            raise AudioError(
                f"audio file {path} holds no audio: it is cut short (its header announces "
                f"{seconds(shortfall.expected_seconds)} of audio, the file ends before the "
                "first sample)")
        raise AudioError(f"audio file {path} contains no audio samples")
    return Recording(samples, rate, shortfall)


def _shortfall(path: Path, frames: int, rate: int, damaged: bool) -> Shortfall | None:
    """How a decoded recording falls short of what its header announces, if it does."""
    expected = _announced_frames(path)
    if rate <= 0:
        return None
    if expected is not None and (expected - frames) / rate > _SHORTFALL_SECONDS:
        return Shortfall(frames / rate, expected / rate)
    if damaged:
        return Shortfall(frames / rate, None)
    return None


def _announced_frames(path: Path) -> int | None:
    """The number of frames the file's header announces: a WAV's data chunk, a FLAC's
    STREAMINFO. None for other formats, or when the header leaves it open."""
    try:
        with open(path, "rb") as f:
            magic = f.read(12)
            if magic[:4] == b"RIFF" and magic[8:12] == b"WAVE":
                return _wav_announced_frames(f)
    except OSError:
        return None
    if magic[:4] == b"fLaC":
        import soundfile as sf

        try:
            frames = int(sf.info(str(path)).frames)
        except (sf.LibsndfileError, RuntimeError, TypeError, ValueError):
            return None
        return frames if frames > 0 else None  # 0: the encoder did not know the length
    return None


# WAV format tags whose block align is one frame: PCM, IEEE float, A-law, mu-law, extensible.
_FRAME_ALIGNED_TAGS = {0x0001, 0x0003, 0x0006, 0x0007, 0xFFFE}
_MAX_CHUNKS = 64


def _wav_announced_frames(f) -> int | None:
    """Frames a RIFF WAVE file's data chunk announces (`f` is just past the RIFF header).
    None for compressed data, a length left open (0 or 0xFFFFFFFF, as streaming writers put it)
    or a header that cannot be followed."""
    block_align = 0
    for _ in range(_MAX_CHUNKS):
        head = f.read(8)
        if len(head) < 8:
            return None
        chunk, size = head[:4], struct.unpack("<I", head[4:])[0]
        if chunk == b"fmt ":
            fmt = f.read(size)
            if len(fmt) < 16:
                return None
            tag, block_align = struct.unpack("<H", fmt[:2])[0], struct.unpack("<H", fmt[12:14])[0]
            if tag not in _FRAME_ALIGNED_TAGS or block_align == 0:
                return None
            if size & 1:
                f.seek(1, os.SEEK_CUR)
        elif chunk == b"data":
            if not block_align or size in (0, 0xFFFFFFFF):
                return None
            return size // block_align
        else:
            f.seek(size + (size & 1), os.SEEK_CUR)
    return None


class _NotReadable(Exception):
    """This reader cannot decode the file; the message says why."""


def _read_soundfile(path: Path) -> tuple[np.ndarray, int, bool]:
    """(samples, rate, damaged): libsndfile reads a cut WAV as far as it goes, without error."""
    import soundfile as sf

    try:
        data, rate = sf.read(str(path), dtype="float32", always_2d=True)
    except (sf.LibsndfileError, RuntimeError, TypeError) as e:
        raise _NotReadable(f"libsndfile: {e}") from e
    return np.ascontiguousarray(data), int(rate), False


def _read_pyav(path: Path) -> tuple[np.ndarray, int, bool]:
    """(samples, rate, damaged): a stream FFmpeg stops decoding after some audio (a cut FLAC,
    a damaged MP3) gives the audio before the damage, marked damaged."""
    import av

    pieces: list[np.ndarray] = []
    rate = 0
    damaged = False
    try:
        with av.open(str(path)) as container:
            if not container.streams.audio:
                raise _NotReadable("FFmpeg: the file has no audio stream")
            stream = container.streams.audio[0]
            # Planar float keeps every channel apart whatever the codec's native sample format.
            converter = av.AudioResampler(format="fltp")
            try:
                for frame in container.decode(stream):
                    rate = rate or frame.sample_rate
                    pieces.extend(f.to_ndarray() for f in converter.resample(frame))
            except av.FFmpegError:
                if not pieces:
                    raise
                damaged = True  # keep what decoded before the damage
            pieces.extend(f.to_ndarray() for f in converter.resample(None))
    except av.FFmpegError as e:
        raise _NotReadable(f"FFmpeg: {e}") from e
    rate = rate or (stream.rate or 0)
    if not pieces or not rate:
        return np.zeros((0, 1), dtype=np.float32), rate or 1, damaged
    # (channels, frames) per piece -> one (frames, channels) array
    samples = np.concatenate(pieces, axis=1).T
    return np.ascontiguousarray(samples, dtype=np.float32), int(rate), damaged
