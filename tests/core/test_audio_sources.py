"""File replay and synthetic sources: order, timestamps, completeness, pacing, stop, overflow.

Pacing is checked on a fake wall clock (each block is offered when its last sample is due, not
before and not after); how closely the real clock follows is measured by
tests/bench/replay_pacing.py, not asserted here.
"""

from __future__ import annotations

import queue
import threading
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from waiting import wait_until

from copilot.audio import replay as replay_module
from copilot.audio.base import FRAME_SAMPLES, SAMPLE_RATE, AudioBlock, AudioError, BlockQueue
from copilot.audio.channels import ChannelMap
from copilot.audio.files import FileSource
from copilot.audio.resample import resample
from copilot.audio.synthetic import SyntheticSource, hold_music, silence, tone, white_noise


def _run(source, out: BlockQueue | None = None) -> list[AudioBlock]:
    """Run a source on a thread and read everything it delivers."""
    out = out or BlockQueue()
    thread = threading.Thread(target=source.run, args=(out,), daemon=True)
    thread.start()
    blocks = _drain(out)
    thread.join(timeout=5)
    assert not thread.is_alive()
    return blocks


def _drain(out: BlockQueue) -> list[AudioBlock]:
    """Every block up to the end of the audio (the source closed the queue)."""
    blocks = []
    while (block := out.get(timeout=10)) is not None:
        blocks.append(block)
    return blocks


class _FakeTime:
    """The replay's wall clock, under the test's control."""

    def __init__(self) -> None:
        self.now = 0.0

    def monotonic(self) -> float:
        return self.now


class _StopFlagOnFakeTime(threading.Event):
    """A source's stop flag whose timed wait lets the fake time pass at once, like a wait that
    nobody interrupted."""

    def __init__(self, clock: _FakeTime) -> None:
        super().__init__()
        self.clock = clock

    def wait(self, timeout: float | None = None) -> bool:
        if not self.is_set() and timeout is not None:
            self.clock.now += timeout
        return self.is_set()


def _paced_run(source, monkeypatch) -> tuple[list[tuple[float, AudioBlock]], BlockQueue, float]:
    """Run a paced source on a fake wall clock (on this thread: offer() never waits).
    Returns (clock time of each offer with its block, the queue, the clock at the end)."""
    clock = _FakeTime()
    monkeypatch.setattr(replay_module, "time", clock)
    source._stopped = _StopFlagOnFakeTime(clock)
    out = BlockQueue()
    offered: list[tuple[float, AudioBlock]] = []
    offer = out.offer

    def stamped_offer(block: AudioBlock) -> bool:
        offered.append((clock.now, block))
        return offer(block)

    out.offer = stamped_offer
    source.run(out)
    return offered, out, clock.now


def _joined(blocks: list[AudioBlock], channel: str) -> np.ndarray:
    return np.concatenate([b.samples for b in blocks if b.channel == channel])


def _write_call(path: Path, rate: int, seconds: float) -> np.ndarray:
    t = np.arange(int(rate * seconds)) / rate
    audio = np.stack([0.4 * np.sin(2 * np.pi * 300 * t), 0.2 * np.sin(2 * np.pi * 700 * t)], axis=1)
    sf.write(path, audio, rate, subtype="FLOAT")
    return audio.astype(np.float32)


def _check_call_order(blocks: list[AudioBlock], channels: tuple[str, ...]) -> None:
    per_channel = len(blocks) // len(channels)
    assert len(blocks) == per_channel * len(channels)
    for i, block in enumerate(blocks):
        assert block.channel == channels[i % len(channels)]
        assert block.start == pytest.approx((i // len(channels)) * FRAME_SAMPLES / SAMPLE_RATE)
        assert len(block.samples) == FRAME_SAMPLES and block.samples.dtype == np.float32


# --- FileSource ---------------------------------------------------------------------------------


def test_file_source_delivers_everything_in_call_order(tmp_path):
    audio = _write_call(tmp_path / "call.wav", 44100, 1.0)
    source = FileSource(tmp_path / "call.wav", ChannelMap("stereo"), realtime=False)
    assert source.channels == ("agent", "customer")
    assert source.duration == pytest.approx(1.0)
    blocks = _run(source)
    _check_call_order(blocks, source.channels)
    assert len(blocks) == 2 * -(-SAMPLE_RATE // FRAME_SAMPLES)  # 34 per channel, last one padded
    for channel, column in (("agent", 0), ("customer", 1)):
        got = _joined(blocks, channel)
        want = resample(audio[:, column], 44100)
        assert np.allclose(got[: len(want)], want, atol=1e-5)
        assert np.all(got[len(want) :] == 0)  # the padding is silence


def test_file_source_swap(tmp_path):
    _write_call(tmp_path / "call.wav", 16000, 0.3)
    blocks = _run(FileSource(tmp_path / "call.wav", ChannelMap("stereo", swap=True)))
    assert np.max(np.abs(_joined(blocks, "agent"))) == pytest.approx(0.2, abs=0.01)
    assert np.max(np.abs(_joined(blocks, "customer"))) == pytest.approx(0.4, abs=0.01)


def test_file_source_stereo_map_on_mono_file_fails_before_running(tmp_path):
    path = tmp_path / "mono.wav"
    sf.write(path, np.zeros(1600, dtype=np.float32), 16000)
    with pytest.raises(AudioError, match=r"mono\.wav has only one channel.*--channels mono"):
        FileSource(path, ChannelMap("stereo"))
    assert FileSource(path, ChannelMap("mono")).channels == ("mono",)


def test_file_source_errors_come_from_the_constructor(tmp_path):
    with pytest.raises(AudioError, match="not found"):
        FileSource(tmp_path / "missing.flac", ChannelMap())


def test_file_source_real_two_channel_call(testdata):
    source = FileSource(testdata / "calls/billing_refund.wav", ChannelMap("stereo"))
    blocks = _run(source)
    _check_call_order(blocks, ("agent", "customer"))
    assert len(_joined(blocks, "agent")) / SAMPLE_RATE == pytest.approx(source.duration, abs=0.03)
    # Both sides speak somewhere in the call.
    assert np.max(np.abs(_joined(blocks, "agent"))) > 0.05
    assert np.max(np.abs(_joined(blocks, "customer"))) > 0.05


def test_file_source_resamples_8k_recording_as_mono(testdata):
    source = FileSource(testdata / "speech/conversation/pyannote_sample_8k.wav", ChannelMap("mono"))
    assert source.sample_rate == 8000 and source.channels == ("mono",)
    blocks = _run(source)
    assert {b.channel for b in blocks} == {"mono"}
    assert len(_joined(blocks, "mono")) == pytest.approx(30 * SAMPLE_RATE, abs=FRAME_SAMPLES)


def test_realtime_replay_offers_each_block_when_its_last_sample_is_due(tmp_path, monkeypatch):
    _write_call(tmp_path / "call.wav", 48000, 1.0)
    source = FileSource(tmp_path / "call.wav", ChannelMap(), realtime=True)
    offered, out, end = _paced_run(source, monkeypatch)
    # Offered (like a live capture, never put), each at the wall time its last sample is spoken.
    assert [at for at, _ in offered] == pytest.approx([b.end for _, b in offered])
    assert end == pytest.approx(34 * FRAME_SAMPLES / SAMPLE_RATE)  # the call's length, padded
    blocks = _drain(out)
    assert blocks == [b for _, b in offered]
    assert len(blocks) == 68 and out.dropped_blocks == 0
    _check_call_order(blocks, ("agent", "customer"))


def test_realtime_speed_factor(monkeypatch):
    source = SyntheticSource({"mono": tone(1.0)}, realtime=True, speed=4.0)
    offered, out, end = _paced_run(source, monkeypatch)
    assert [at for at, _ in offered] == pytest.approx([b.end / 4 for _, b in offered])
    assert end == pytest.approx(34 * FRAME_SAMPLES / SAMPLE_RATE / 4)
    assert len(_drain(out)) == 34 and out.dropped_blocks == 0


def test_stop_ends_a_realtime_replay_early():
    source = SyntheticSource({"agent": silence(10), "customer": silence(10)}, realtime=True)
    out = BlockQueue()
    thread = threading.Thread(target=source.run, args=(out,), daemon=True)
    thread.start()
    assert wait_until(lambda: out.qsize() >= 4)  # the replay is under way
    source.stop()
    delivered = out.qsize()  # nobody reads: all it delivered so far is still in the queue
    thread.join(timeout=10)
    assert not thread.is_alive()
    blocks = _drain(out)  # ends: the queue was closed
    assert len(blocks) <= delivered + 1  # at most the block in flight when stop() came
    assert len(blocks) < 2 * 334  # far from the whole 10 s


def test_stop_interrupts_the_wait_for_the_next_block():
    source = SyntheticSource({"mono": silence(1)}, realtime=True, speed=0.001)  # 30 s per block
    waiting = threading.Event()

    class WatchedStopFlag(threading.Event):
        def wait(self, timeout=None):
            waiting.set()
            return super().wait(timeout)

    source._stopped = WatchedStopFlag()
    out = BlockQueue()
    thread = threading.Thread(target=source.run, args=(out,), daemon=True)
    thread.start()
    assert waiting.wait(10)  # waiting for the first block's time
    source.stop()
    thread.join(timeout=10)  # well before the first block is due
    assert not thread.is_alive()
    assert _drain(out) == []


def test_stop_releases_an_unpaced_replay_waiting_on_a_full_queue():
    source = SyntheticSource({"mono": silence(5)})
    out = BlockQueue(max_blocks=3)
    thread = threading.Thread(target=source.run, args=(out,), daemon=True)
    thread.start()
    assert wait_until(lambda: out.qsize() == 3)
    assert thread.is_alive()  # put() waits for the consumer: nothing is dropped
    source.stop()
    got = _drain(out)  # reading makes room for close()
    thread.join(timeout=5)
    assert not thread.is_alive()
    assert len(got) <= 4  # what was queued, plus at most the one put() in flight
    assert out.dropped_blocks == 0


def test_realtime_replay_drops_and_counts_when_the_consumer_stalls():
    source = SyntheticSource({"mono": tone(1.0)}, realtime=True, speed=20.0)
    out = BlockQueue(max_blocks=5)
    thread = threading.Thread(target=source.run, args=(out,), daemon=True)
    thread.start()
    thread.join(timeout=30)  # nobody reads; the replay ends all the same
    assert not thread.is_alive()
    assert out.dropped_blocks == 29  # 34 blocks, 5 fit
    assert out.dropped_seconds == pytest.approx(29 * FRAME_SAMPLES / SAMPLE_RATE)
    kept = [out.get(timeout=1) for _ in range(6)]
    assert kept[-1] is None
    assert [b.start for b in kept[:-1]] == pytest.approx([i * 0.03 for i in range(5)])


def test_block_queue_offer_never_blocks_and_counts_drops():
    out = BlockQueue(max_blocks=2)
    block = AudioBlock("agent", 0.0, np.zeros(FRAME_SAMPLES, dtype=np.float32))
    assert out.offer(block) and out.offer(block)
    answered: list[bool] = []
    offering = threading.Thread(target=lambda: answered.append(out.offer(block)), daemon=True)
    offering.start()
    offering.join(timeout=10)
    # It answered with the queue still full and nobody reading: it did not wait for room.
    assert not offering.is_alive() and answered == [False]
    assert out.qsize() == 2
    assert out.dropped_blocks == 1 and out.dropped_seconds == pytest.approx(0.03)
    with pytest.raises(queue.Full):
        out.put(block, timeout=0.01)


# --- synthetic signals ------------------------------------------------------------------------


def test_synthetic_source_pads_shorter_channels():
    source = SyntheticSource({"agent": tone(0.5), "customer": silence(0.2)})
    assert source.duration == pytest.approx(0.5)
    blocks = _run(source)
    _check_call_order(blocks, ("agent", "customer"))
    assert len(_joined(blocks, "customer")) == len(_joined(blocks, "agent"))
    assert not np.any(_joined(blocks, "customer"))


def test_generators():
    assert silence(0.5).shape == (8000,) and not np.any(silence(0.5))
    noise = white_noise(1.0, level=0.05)
    assert noise.dtype == np.float32
    assert np.sqrt(np.mean(noise**2)) == pytest.approx(0.05, rel=0.05)
    assert np.array_equal(noise, white_noise(1.0, level=0.05))  # reproducible
    beep = tone(1.0, hz=425, level=0.3)
    assert np.max(np.abs(beep)) == pytest.approx(0.3, rel=0.01)
    assert np.argmax(np.abs(np.fft.rfft(beep))) == 425


def test_hold_music_has_several_tones_and_changing_loudness():
    music = hold_music(8.0)
    assert music.dtype == np.float32 and len(music) == 8 * SAMPLE_RATE
    assert 0.05 < np.max(np.abs(music)) <= 0.3 + 1e-6
    spectrum = np.abs(np.fft.rfft(music[:SAMPLE_RATE]))  # the first chord
    assert np.sum(spectrum > 0.3 * spectrum.max()) >= 3
    loudness = [np.sqrt(np.mean(w**2)) for w in music.reshape(-1, SAMPLE_RATE // 2)]
    assert max(loudness) > 1.5 * min(loudness)


def test_bad_arguments():
    with pytest.raises(ValueError):
        silence(-1)
    with pytest.raises(ValueError):
        SyntheticSource({})
    with pytest.raises(ValueError):
        SyntheticSource({"mono": silence(1)}, realtime=True, speed=0)


def test_file_source_replays_a_cut_recording_and_knows_it_is_cut(tmp_path):
    _write_call(tmp_path / "call.wav", 16000, 2.0)
    whole = tmp_path / "call.wav"
    assert FileSource(whole, ChannelMap("stereo")).shortfall is None
    cut = tmp_path / "cut.wav"
    cut.write_bytes(whole.read_bytes()[: len(whole.read_bytes()) // 2])
    source = FileSource(cut, ChannelMap("stereo"))
    assert source.shortfall is not None and source.shortfall.expected_seconds == pytest.approx(2.0)
    assert source.duration == pytest.approx(source.shortfall.read_seconds)
    assert len(_joined(_run(source), "agent")) / SAMPLE_RATE == pytest.approx(1.0, abs=0.05)
