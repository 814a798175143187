"""Device matching, capture callbacks and the DeviceSource lifecycle, without sound hardware.

PortAudio is replaced by a small fake module where a stream is opened; the callback path is
exercised directly with numpy arrays, as PortAudio would call it.
"""

from __future__ import annotations

import re
import threading
import time
from types import SimpleNamespace

import numpy as np
import pytest
from waiting import wait_until

from copilot.audio import devices as devices_module
from copilot.audio.base import FRAME_SAMPLES, SAMPLE_RATE, AudioError, BlockQueue
from copilot.audio.capture import DeviceCapture
from copilot.audio.channels import ChannelMap
from copilot.audio.devices import DeviceInfo, DeviceSource, find_device, list_devices
from copilot.audio.resample import resample

DEVICES = [
    DeviceInfo(0, "HDA Intel PCH: ALC3246 Analog (hw:0,0)", 2, 44100.0, "ALSA"),
    DeviceInfo(1, "Jabra Link 380: USB Audio (hw:1,0)", 1, 48000.0, "ALSA"),
    DeviceInfo(2, "pulse", 32, 44100.0, "ALSA"),
    DeviceInfo(3, "PulseAudio Monitor of Softphone", 2, 48000.0, "ALSA"),
    DeviceInfo(4, "HDMI 0", 0, 48000.0, "ALSA"),  # output only
]


def _sine(rate: int, hz: float, n: int, amp: float) -> np.ndarray:
    return (amp * np.sin(2 * np.pi * hz * np.arange(n) / rate)).astype(np.float32)


def _drain(out: BlockQueue) -> list:
    blocks = []
    while out.qsize():
        blocks.append(out.get(timeout=0))
    return blocks


# --- find_device --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spec", "index"),
    [(1, 1), ("3", 3), (" 0 ", 0), ("jabra", 1), ("JABRA LINK", 1), ("monitor of soft", 3),
     ("pulse", 2), (None, 2), ("", 2), ("default", 2)],
)  # fmt: skip
def test_find_device(spec, index):
    assert find_device(spec, DEVICES, default_index=2).index == index


def test_default_falls_back_to_first_input_without_a_default():
    assert find_device(None, DEVICES, default_index=-1).index == 0


def test_unknown_name_lists_available_inputs():
    with pytest.raises(AudioError) as err:
        find_device("Zoom Speakerphone", DEVICES, default_index=0)
    message = str(err.value)
    assert "no input device matching 'Zoom Speakerphone'" in message
    assert "1: Jabra Link 380" in message and "3: PulseAudio Monitor" in message
    assert "HDMI" not in message  # output-only devices are not offered


@pytest.mark.parametrize("spec", [4, "9", "-1"])
def test_unknown_or_output_only_index(spec):
    with pytest.raises(AudioError, match=f"no input device with index {spec}; available: 0: HDA"):
        find_device(spec, DEVICES, default_index=0)


def test_ambiguous_name_asks_for_more():
    with pytest.raises(AudioError, match="'audio' matches several input devices.*give its index"):
        find_device("audio", DEVICES, default_index=0)


def test_same_device_through_several_host_apis_prefers_the_default_api():
    devices = [
        DeviceInfo(1, "Headset (Jabra)", 1, 44100.0, "MME"),
        DeviceInfo(7, "Headset (Jabra)", 1, 48000.0, "Windows WASAPI"),
        DeviceInfo(9, "Microphone (Realtek)", 2, 48000.0, "Windows WASAPI"),
    ]
    assert find_device("jabra", devices, default_index=9).index == 7
    assert find_device("jabra", devices, default_index=-1).index == 1


def test_no_input_devices_at_all():
    with pytest.raises(AudioError, match="no audio input devices found"):
        find_device(None, [DEVICES[4]], default_index=-1)
    with pytest.raises(AudioError, match="no audio input devices found"):
        find_device("jabra", [], default_index=-1)


def test_list_devices_on_this_machine():
    """Real PortAudio: a list of input devices, or [] on a machine without any."""
    found = list_devices()
    assert all(isinstance(d, DeviceInfo) and d.max_input_channels > 0 for d in found)


def test_missing_portaudio_is_a_clear_error(monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_portaudio(name, *args, **kwargs):
        if name == "sounddevice":
            raise OSError("PortAudio library not found")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_portaudio)
    with pytest.raises(AudioError, match="PortAudio.*libportaudio2"):
        list_devices()


# --- DeviceSource setup ---------------------------------------------------------------------------


def test_one_stereo_device():
    source = DeviceSource("hda", devices=DEVICES, default_index=0)
    assert source.channels == ("agent", "customer")
    assert [d.index for d in source.devices] == [0]


def test_one_channel_device_in_stereo_mode_says_what_to_do():
    with pytest.raises(AudioError, match="Jabra.*one channel.*--channels mono.*second device"):
        DeviceSource("jabra", channel_map=ChannelMap("stereo"), devices=DEVICES, default_index=0)
    mono = DeviceSource("jabra", channel_map=ChannelMap("mono"), devices=DEVICES, default_index=0)
    assert mono.channels == ("mono",)


def test_agent_microphone_plus_customer_line():
    source = DeviceSource("jabra", "monitor", devices=DEVICES, default_index=0)
    assert source.channels == ("agent", "customer")
    assert [d.index for d in source.devices] == [1, 3]


def test_same_device_twice_is_refused():
    with pytest.raises(AudioError, match="same"):
        DeviceSource("jabra", 1, devices=DEVICES, default_index=0)


def test_wrong_device_fails_in_the_constructor():
    with pytest.raises(AudioError, match="no input device matching 'headset'"):
        DeviceSource("jabra", "headset", devices=DEVICES, default_index=0)


# --- the callback path --------------------------------------------------------------------------


def test_callback_turns_48k_stereo_into_16k_blocks_per_side():
    out = BlockQueue()
    capture = DeviceCapture(ChannelMap("stereo").split, ("agent", "customer"), 48000, out)
    n = 48000
    left, right = _sine(48000, 500, n, 0.4), _sine(48000, 1500, n, 0.2)
    stereo = np.stack([left, right], axis=1)
    sizes = [441, 512, 1024, 480, 37]  # PortAudio block sizes vary by host API
    i = k = 0
    while i < n:
        indata = stereo[i : i + sizes[k % len(sizes)]].copy()
        capture.callback(indata, len(indata), None, None)
        indata[:] = 9.0  # PortAudio reuses its buffer; our blocks must not change
        i, k = i + len(indata), k + 1
    capture.flush()
    blocks = _drain(out)
    for channel, signal in (("agent", left), ("customer", right)):
        mine = [b for b in blocks if b.channel == channel]
        assert [b.start for b in mine] == pytest.approx(
            [j * FRAME_SAMPLES / SAMPLE_RATE for j in range(len(mine))]
        )
        got = np.concatenate([b.samples for b in mine])
        want = resample(signal, 48000)
        assert np.allclose(got[: len(want)], want, atol=1e-5)  # same as resampling offline
    starts = [b.start for b in blocks]
    assert starts == sorted(starts)  # call-clock order across both sides
    assert capture.input_overflows == 0 and capture.error is None


def test_callback_never_blocks_and_keeps_the_clock_when_blocks_are_dropped():
    out = BlockQueue(max_blocks=4)
    capture = DeviceCapture(ChannelMap("mono").split, ("mono",), SAMPLE_RATE, out)
    chunk = np.zeros((FRAME_SAMPLES, 1), dtype=np.float32)

    def ten_callbacks() -> None:
        for _ in range(10):
            capture.callback(chunk, FRAME_SAMPLES, None, None)

    portaudio = threading.Thread(target=ten_callbacks, daemon=True)
    portaudio.start()
    portaudio.join(timeout=10)
    # All ten returned with the queue full and nobody reading: none waited for room.
    assert not portaudio.is_alive()
    assert out.dropped_blocks == 6 and out.qsize() == 4
    _drain(out)
    capture.callback(chunk, FRAME_SAMPLES, None, SimpleNamespace(input_overflow=True))
    (block,) = _drain(out)
    assert block.start == pytest.approx(10 * FRAME_SAMPLES / SAMPLE_RATE)  # a gap, not a shift
    assert capture.input_overflows == 1


def test_callback_reports_errors_instead_of_raising():
    out = BlockQueue()
    capture = DeviceCapture(ChannelMap("stereo").split, ("agent", "customer"), SAMPLE_RATE, out)
    capture.callback(np.zeros((480, 1), dtype=np.float32), 480, None, None)  # one channel only
    assert isinstance(capture.error, AudioError)


# --- the run() lifecycle with a fake PortAudio ----------------------------------------------------


class _FakePortAudioError(Exception):
    pass


class _FakeStream:
    """Calls its callback from a thread with a sine per channel, like PortAudio would."""

    opened: list[_FakeStream] = []
    die_after: int | None = None  # callbacks before the "device is unplugged"
    stall_after: int | None = None  # callbacks before it goes quiet while still "active"
    stalling_device: int | None = None  # the one device that goes quiet (None: every one)

    def __init__(self, device, channels, samplerate, dtype, callback):
        self.device, self.channels, self.samplerate = device, channels, samplerate
        self.callback = callback
        self.active = False
        self.closed = False
        self.calls = 0  # callbacks made so far
        self._thread = threading.Thread(target=self._pump, daemon=True)
        _FakeStream.opened.append(self)

    def start(self):
        self.active = True
        self._thread.start()

    def _pump(self):
        n = self.samplerate // 100
        pos = 0
        while self.active:
            t = (pos + np.arange(n)) / self.samplerate
            cols = [0.1 * (c + 1) * np.sin(2 * np.pi * 400 * t) for c in range(self.channels)]
            self.callback(np.stack(cols, axis=1).astype(np.float32), n, None, None)
            pos, self.calls = pos + n, self.calls + 1
            if self.die_after is not None and self.calls >= self.die_after:
                self.active = False
            while self._stalls() and self.calls >= self.stall_after and self.active:
                time.sleep(0.01)
            time.sleep(0.005)

    def _stalls(self) -> bool:
        return self.stall_after is not None and self.stalling_device in (None, self.device)

    def stop(self):
        self.active = False
        self._thread.join()

    abort = stop

    def close(self):
        self.closed = True


@pytest.fixture
def fake_portaudio(monkeypatch):
    def check_input_settings(device, channels, samplerate, dtype):
        if samplerate != 48000:
            raise _FakePortAudioError("Invalid sample rate")

    fake = SimpleNamespace(
        InputStream=_FakeStream,
        PortAudioError=_FakePortAudioError,
        check_input_settings=check_input_settings,
    )
    monkeypatch.setattr(devices_module, "_sounddevice", lambda: fake)
    _FakeStream.opened = []
    _FakeStream.die_after = None
    _FakeStream.stall_after = None
    _FakeStream.stalling_device = None
    return fake


def _run_for(source: DeviceSource, callbacks: int) -> tuple[list, BlockQueue, threading.Thread]:
    """Record until every stream has called back `callbacks` times (10 ms each), then stop."""
    out = BlockQueue()
    thread = threading.Thread(target=source.run, args=(out,), daemon=True)
    thread.start()
    assert wait_until(lambda: len(_FakeStream.opened) == len(source.devices)
                      and all(s.calls >= callbacks for s in _FakeStream.opened))
    source.stop()
    blocks = []
    while (block := out.get(timeout=2)) is not None:
        blocks.append(block)
    thread.join(timeout=2)
    return blocks, out, thread


def test_run_captures_two_devices_until_stopped(fake_portaudio):
    source = DeviceSource("jabra", "monitor", devices=DEVICES, default_index=0)
    blocks, _, thread = _run_for(source, callbacks=20)
    assert not thread.is_alive()
    assert [(s.device, s.channels, s.samplerate) for s in _FakeStream.opened] == [
        (1, 1, 48000),  # the device refused 16 kHz, so it runs at its own rate
        (3, 2, 48000),
    ]
    assert all(s.closed for s in _FakeStream.opened)
    assert {b.channel for b in blocks} == {"agent", "customer"}
    agent = np.concatenate([b.samples for b in blocks if b.channel == "agent"])
    customer = np.concatenate([b.samples for b in blocks if b.channel == "customer"])
    assert np.max(np.abs(agent[200:])) == pytest.approx(0.1, abs=0.01)
    assert np.max(np.abs(customer[200:])) == pytest.approx(0.15, abs=0.01)  # (0.1 + 0.2) / 2
    assert source.error is None


def test_run_fails_clearly_when_a_stream_cannot_open(fake_portaudio, monkeypatch):
    def refuse(**kwargs):
        raise _FakePortAudioError("Device unavailable [PaErrorCode -9985]")

    monkeypatch.setattr(fake_portaudio, "InputStream", refuse)
    source = DeviceSource("hda", devices=DEVICES, default_index=0)
    out = BlockQueue()
    with pytest.raises(AudioError, match="cannot record from 0: HDA.*Device unavailable"):
        source.run(out)
    assert out.get(timeout=1) is None  # the queue is closed all the same
    assert source.error is not None


def test_run_notices_an_unplugged_device(fake_portaudio):
    _FakeStream.die_after = 3
    source = DeviceSource("hda", devices=DEVICES, default_index=0)
    out = BlockQueue()
    with pytest.raises(AudioError, match="stopped delivering audio"):
        source.run(out)
    blocks = []
    while (block := out.get(timeout=1)) is not None:
        blocks.append(block)
    assert blocks and {b.channel for b in blocks} == {"agent", "customer"}


def test_run_notices_a_stream_that_goes_quiet(fake_portaudio, monkeypatch):
    monkeypatch.setattr(devices_module, "_STALL_SECONDS", 0.2)
    _FakeStream.stall_after = 2
    _FakeStream.stalling_device = 1  # the Jabra goes quiet; the monitor keeps calling back
    source = DeviceSource("jabra", "monitor", devices=DEVICES, default_index=0)
    raised: list[BaseException] = []

    def record() -> None:
        try:
            source.run(BlockQueue())
        except AudioError as e:
            raised.append(e)

    thread = threading.Thread(target=record, daemon=True)
    thread.start()
    thread.join(timeout=30)  # a stall of 0.2 s is noticed long before
    ended_by_itself = not thread.is_alive()
    source.stop()  # only matters when the stall went unnoticed
    thread.join(timeout=5)
    assert ended_by_itself, "the capture ran on with a stream that had stopped calling back"
    assert len(raised) == 1
    assert re.search("Jabra.*stopped delivering audio", str(raised[0]))
