"""Decoding files of every format a call recorder may produce, and failing clearly otherwise."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from copilot.audio.base import AudioError
from copilot.audio.decode import read_audio, read_recording


def _stereo_tones(rate: int, seconds: float = 0.5) -> np.ndarray:
    t = np.arange(int(rate * seconds)) / rate
    left = 0.4 * np.sin(2 * np.pi * 440 * t)
    right = 0.2 * np.sin(2 * np.pi * 1000 * t)
    return np.stack([left, right], axis=1).astype(np.float32)


def _peak_hz(x: np.ndarray, rate: int) -> float:
    spectrum = np.abs(np.fft.rfft(x * np.hanning(len(x))))
    return float(np.argmax(spectrum) * rate / len(x))


def _encode_with_pyav(path: Path, audio: np.ndarray, rate: int, codec: str) -> None:
    """Write (frames, channels) float audio with an FFmpeg encoder, or skip if it is missing."""
    import av  # a core dependency
    if codec not in av.codecs_available:
        pytest.skip(f"PyAV's FFmpeg has no {codec} encoder")
    with av.open(str(path), "w") as container:
        stream = container.add_stream(codec, rate=rate, layout="stereo")
        fmt = stream.codec_context.codec.audio_formats[0].name
        frame_size = stream.codec_context.frame_size or 1024
        s16 = (np.clip(audio, -1, 1) * 32767).astype(np.int16)
        resampler = av.AudioResampler(format=fmt, layout="stereo", rate=rate)
        pts = 0
        for i in range(0, len(s16), frame_size):
            piece = np.ascontiguousarray(s16[i : i + frame_size])
            frame = av.AudioFrame.from_ndarray(piece.reshape(1, -1), format="s16", layout="stereo")
            frame.sample_rate = rate
            frame.pts = pts
            frame.time_base = Fraction(1, rate)
            pts += len(piece)
            for converted in resampler.resample(frame):
                container.mux(stream.encode(converted))
        container.mux(stream.encode(None))


@pytest.mark.parametrize(
    ("suffix", "subtype", "tolerance"),
    [(".wav", "PCM_16", 1e-3), (".flac", "PCM_24", 1e-5), (".ogg", "VORBIS", None)],
)
def test_soundfile_formats_round_trip(tmp_path, suffix, subtype, tolerance):
    audio = _stereo_tones(22050)
    path = tmp_path / f"call{suffix}"
    sf.write(path, audio, 22050, subtype=subtype)
    data, rate = read_audio(path)
    assert rate == 22050
    assert data.dtype == np.float32 and data.shape[1] == 2
    if tolerance is not None:  # lossless: sample exact up to quantisation
        assert data.shape == audio.shape
        assert np.max(np.abs(data - audio)) < tolerance
    else:  # lossy: same length, same tones per channel
        assert abs(len(data) - len(audio)) < 0.01 * 22050
        assert abs(_peak_hz(data[:, 0], rate) - 440) < 10
        assert abs(_peak_hz(data[:, 1], rate) - 1000) < 10


@pytest.mark.parametrize(
    ("suffix", "codec"), [(".mp3", "libmp3lame"), (".m4a", "aac"), (".opus", "libopus")]
)
def test_ffmpeg_formats_round_trip(tmp_path, suffix, codec):
    rate = 48000 if codec == "libopus" else 44100
    audio = _stereo_tones(rate, seconds=1.0)
    path = tmp_path / f"call{suffix}"
    _encode_with_pyav(path, audio, rate, codec)
    data, got_rate = read_audio(path)
    assert got_rate == rate
    assert data.dtype == np.float32 and data.shape[1] == 2
    # Encoders add priming and padding; the length stays within a tenth of a second.
    assert abs(len(data) / rate - 1.0) < 0.1
    middle = data[len(data) // 4 : 3 * len(data) // 4]
    assert abs(_peak_hz(middle[:, 0], rate) - 440) < 10
    assert abs(_peak_hz(middle[:, 1], rate) - 1000) < 10
    assert 0.3 < np.max(np.abs(middle[:, 0])) < 0.5


def test_misnamed_file_is_decoded_by_content(tmp_path):
    """A WAV saved as .mp3 (recorders do this) still opens through FFmpeg's probing."""
    path = tmp_path / "really_a_wav.mp3"
    sf.write(path, _stereo_tones(16000), 16000, format="WAV")
    data, rate = read_audio(path)
    assert rate == 16000 and data.shape == (8000, 2)


@pytest.mark.parametrize(
    ("relpath", "rate", "channels", "seconds"),
    [
        ("calls/billing_refund.wav", 16000, 2, 65.3),
        ("speech/en/jfk.flac", 44100, 2, 11.0),
        ("speech/conversation/pyannote_sample_8k.wav", 8000, 1, 30.0),
    ],
)
def test_reads_shared_test_recordings(testdata, relpath, rate, channels, seconds):
    data, got_rate = read_audio(testdata / relpath)
    assert got_rate == rate
    assert data.shape[1] == channels
    assert abs(len(data) / rate - seconds) < 0.1
    assert np.max(np.abs(data)) > 0.05  # real speech, not silence


def test_missing_file(tmp_path):
    with pytest.raises(AudioError, match="not found.*nope.wav"):
        read_audio(tmp_path / "nope.wav")


def test_directory(tmp_path):
    with pytest.raises(AudioError, match="is a folder"):
        read_audio(tmp_path)


def test_zero_byte_file(tmp_path):
    path = tmp_path / "empty.wav"
    path.touch()
    with pytest.raises(AudioError, match=r"empty\.wav is empty"):
        read_audio(path)


def test_audio_file_without_samples(tmp_path):
    path = tmp_path / "nothing.wav"
    sf.write(path, np.zeros((0, 2), dtype=np.float32), 16000)
    with pytest.raises(AudioError, match="contains no audio samples"):
        read_audio(path)


@pytest.mark.parametrize("name", ["notes.wav", "notes.mp3", "notes.txt"])
def test_not_audio(tmp_path, name):
    path = tmp_path / name
    path.write_text("Customer called about a refund.\n" * 50)
    with pytest.raises(AudioError) as err:
        read_audio(path)
    message = str(err.value)
    assert name in message
    assert "Supported formats" in message and "WAV" in message and "MP3" in message


# --- recordings cut short (issue 15: a truncated WAV was replayed as if whole) ------------------

def _cut(path: Path, keep: int) -> Path:
    """The first `keep` bytes of `path`, as a copy or download cut short leaves them."""
    cut = path.with_name("cut-" + path.name)
    cut.write_bytes(path.read_bytes()[:keep])
    return cut


def test_a_cut_wav_is_read_as_far_as_it_goes_and_says_so(tmp_path):
    path = tmp_path / "call.wav"
    sf.write(path, _stereo_tones(16000, seconds=10.0), 16000, subtype="PCM_16")
    rec = read_recording(_cut(path, 44 + 16000 * 4 * 2))  # header + 2 s of 16-bit stereo
    assert rec.seconds == pytest.approx(2.0)
    assert rec.shortfall is not None
    assert rec.shortfall.read_seconds == pytest.approx(2.0)
    assert rec.shortfall.expected_seconds == pytest.approx(10.0)
    message = rec.shortfall.describe()
    assert "cut short" in message and "2.0 s" in message and "10.0 s" in message
    # read_audio, for callers that only want the samples, still gives them.
    assert read_audio(_cut(path, 44 + 16000 * 4))[0].shape == (16000, 2)


def test_a_whole_wav_has_no_shortfall(tmp_path):
    path = tmp_path / "call.wav"
    sf.write(path, _stereo_tones(16000, seconds=1.0), 16000, subtype="PCM_16")
    assert read_recording(path).shortfall is None
    with path.open("ab") as f:
        f.write(b"LIST\x04\x00\x00\x00INFO")  # a chunk after the data is not missing audio
    assert read_recording(path).shortfall is None


def test_a_wav_cut_before_its_first_sample_holds_no_audio(tmp_path):
    path = tmp_path / "call.wav"
    sf.write(path, _stereo_tones(16000, seconds=10.0), 16000, subtype="PCM_16")
    with pytest.raises(AudioError, match=r"holds no audio: it is cut short.*10\.0 s"):
        read_audio(_cut(path, 44))


def test_a_cut_flac_is_read_up_to_the_cut(tmp_path):
    path = tmp_path / "call.flac"
    sf.write(path, _stereo_tones(16000, seconds=10.0), 16000, subtype="PCM_16")
    rec = read_recording(_cut(path, path.stat().st_size // 3))
    assert 1.0 < rec.seconds < 9.0
    assert rec.shortfall is not None and rec.shortfall.expected_seconds == pytest.approx(10.0)
    assert "cut short" in rec.shortfall.describe()
