"""Channel mapping (who is on which side) and resampling to 16 kHz."""

from __future__ import annotations

import numpy as np
import pytest

from copilot.audio.base import AudioError
from copilot.audio.channels import ChannelMap
from copilot.audio.resample import StreamingResampler, resample


def _stereo(n: int = 100) -> np.ndarray:
    left = np.full(n, 0.5, dtype=np.float32)
    right = np.full(n, -0.25, dtype=np.float32)
    return np.stack([left, right], axis=1)


# --- ChannelMap ---------------------------------------------------------------------------------


def test_stereo_is_agent_left_customer_right():
    parts = ChannelMap("stereo").split(_stereo())
    assert list(parts) == ["agent", "customer"]
    assert np.all(parts["agent"] == 0.5) and np.all(parts["customer"] == -0.25)
    assert all(p.dtype == np.float32 and p.ndim == 1 for p in parts.values())


def test_swap_exchanges_sides():
    parts = ChannelMap("stereo", swap=True).split(_stereo())
    assert np.all(parts["agent"] == -0.25) and np.all(parts["customer"] == 0.5)


def test_mono_downmixes_to_one_channel():
    m = ChannelMap("mono")
    assert m.names == ("mono",)
    assert np.allclose(m.split(_stereo())["mono"], 0.125)
    single = np.full((10, 1), 0.3, dtype=np.float32)
    assert np.allclose(m.split(single)["mono"], 0.3)
    assert np.allclose(m.split(np.full(10, 0.3))["mono"], 0.3)  # 1-D counts as one channel


def test_stereo_map_on_mono_recording_says_use_mono():
    with pytest.raises(AudioError, match="only one channel.*--channels mono") as err:
        ChannelMap("stereo").split(np.zeros((10, 1), dtype=np.float32), what="call.wav")
    assert "call.wav" in str(err.value)


def test_stereo_map_on_multichannel_recording():
    with pytest.raises(AudioError, match="4 channels.*exactly 2"):
        ChannelMap("stereo").split(np.zeros((10, 4), dtype=np.float32))
    assert ChannelMap("mono").split(np.ones((10, 4), dtype=np.float32))["mono"].shape == (10,)


def test_unknown_mode():
    with pytest.raises(AudioError, match="unknown channel mode 'left'"):
        ChannelMap("left")


def test_split_copies_so_blocks_never_alias_the_input():
    frames = _stereo()
    parts = ChannelMap("stereo").split(frames)
    frames[:] = 0
    assert np.all(parts["agent"] == 0.5)


# --- resampling ---------------------------------------------------------------------------------


def _sine(rate: int, hz: float, seconds: float = 1.0, amp: float = 0.5) -> np.ndarray:
    t = np.arange(int(round(rate * seconds))) / rate
    return (amp * np.sin(2 * np.pi * hz * t)).astype(np.float32)


@pytest.mark.parametrize("rate", [8000, 11025, 22050, 32000, 44100, 48000])
@pytest.mark.parametrize("hz", [300.0, 1000.0, 3000.0])
def test_sine_keeps_frequency_amplitude_and_timing(rate, hz):
    y = resample(_sine(rate, hz), rate)
    assert y.dtype == np.float32
    assert len(y) == 16000  # one second in, one second out
    # Compare with the ideal 16 kHz sine sample by sample (same phase: no delay on the call clock),
    # away from the edges where the filter sees the silence around the signal.
    ideal = _sine(16000, hz)
    inner = slice(100, -100)
    assert np.max(np.abs(y[inner] - ideal[inner])) < 0.01  # 2% of the amplitude
    spectrum = np.abs(np.fft.rfft(y * np.hanning(len(y))))
    assert abs(np.argmax(spectrum) - hz) <= 1  # 1 Hz per bin for one second
    assert abs(np.max(np.abs(y[inner])) - 0.5) < 0.015


@pytest.mark.parametrize("rate", [22050, 44100, 48000])
def test_tones_above_8khz_do_not_alias(rate):
    y = resample(_sine(rate, 9000.0), rate)  # would fold back to 7 kHz without the low-pass
    rms = np.sqrt(np.mean(y[100:-100] ** 2))
    assert 20 * np.log10(rms / (0.5 / np.sqrt(2))) < -60


def test_same_rate_is_a_copy():
    x = _sine(16000, 440.0)
    y = resample(x, 16000)
    assert np.array_equal(x, y) and y is not x


def test_output_length_is_duration_rounded_up():
    for rate, n in [(44100, 441), (44100, 440), (8000, 1), (48000, 7)]:
        assert len(resample(np.ones(n, dtype=np.float32), rate)) == -(-n * 16000 // rate)


def test_two_dimensional_input_is_resampled_per_column():
    x = np.stack([_sine(48000, 500), _sine(48000, 2000)], axis=1)
    y = resample(x, 48000)
    assert y.shape == (16000, 2)
    assert np.allclose(y[:, 0], resample(x[:, 0], 48000))


@pytest.mark.parametrize("rate", [8000, 44100, 48000])
def test_streaming_matches_one_shot_for_any_block_sizes(rate):
    x = np.random.default_rng(1).standard_normal(rate // 2).astype(np.float32) * 0.1
    r = StreamingResampler(rate)
    sizes = np.random.default_rng(2).integers(1, 1200, size=1000)
    out, i = [], 0
    for size in sizes:
        if i >= len(x):
            break
        out.append(r.process(x[i : i + size]))
        i += size
    out.append(r.process(x[i:]))
    out.append(r.flush())
    streamed = np.concatenate(out)
    assert np.allclose(streamed, resample(x, rate), atol=1e-6)


def test_streaming_has_no_clicks_at_block_borders():
    """A device sine fed in 10 ms blocks comes out as a smooth sine: no step at the borders."""
    x = _sine(48000, 1000.0, seconds=0.5)
    r = StreamingResampler(48000)
    y = np.concatenate([r.process(x[i : i + 480]) for i in range(0, len(x), 480)])
    # The largest step of a 0.5-amplitude 1 kHz sine at 16 kHz is 0.5 * 2 * sin(pi / 16).
    assert np.max(np.abs(np.diff(y[50:]))) < 0.5 * 2 * np.sin(np.pi / 16) * 1.02
    assert r.latency < 0.005  # the look-ahead a live caption waits for is negligible


def test_streaming_rejects_input_after_flush():
    r = StreamingResampler(44100)
    r.process(np.zeros(100, dtype=np.float32))
    r.flush()
    assert len(r.flush()) == 0
    with pytest.raises(RuntimeError):
        r.process(np.zeros(10, dtype=np.float32))
