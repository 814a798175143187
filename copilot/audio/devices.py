"""Live capture from sound devices through PortAudio (sounddevice, imported only when used).

Two setups exist in call centres: one stereo device that already carries both sides (a headset
mixer or call recorder interface: agent left, customer right, per ChannelMap), or two devices (the
agent's microphone plus the softphone's output, e.g. a PulseAudio/PipeWire monitor source).

The PortAudio callback (capture.DeviceCapture) only converts and `offer()`s, never waiting.
Two separate devices each start their own clock at stream start; their crystals may drift apart
by a few ms per minute, which captions tolerate.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .base import SAMPLE_RATE, AudioError, AudioSource, BlockQueue
from .capture import DeviceCapture
from .channels import AGENT, CUSTOMER, MONO, ChannelMap

# How often run() looks at the stop flag and at streams that died (device unplugged).
_WATCH_SECONDS = 0.1
# Some host APIs keep an unplugged device's stream "active" but stop calling back: after this
# long without audio the capture is declared dead rather than silently recording nothing.
_STALL_SECONDS = 3.0


@dataclass(frozen=True)
class DeviceInfo:
    index: int
    name: str
    max_input_channels: int
    default_samplerate: float
    hostapi: str

    def __str__(self) -> str:
        return f"{self.index}: {self.name} ({self.hostapi}, {self.max_input_channels} ch)"


def _sounddevice() -> Any:
    try:
        import sounddevice
    except OSError as e:  # raised when the PortAudio shared library is missing
        raise AudioError(
            "audio capture needs the PortAudio library, which was not found "
            "(on Debian/Ubuntu: apt install libportaudio2)"
        ) from e
    return sounddevice


def list_devices() -> list[DeviceInfo]:
    """Every device that can record, as PortAudio sees it; [] when there is none."""
    sd = _sounddevice()
    try:
        hostapis = [h["name"] for h in sd.query_hostapis()]
        raw = list(sd.query_devices())
    except sd.PortAudioError as e:
        raise AudioError(f"cannot list audio devices: {e}") from e
    return [
        DeviceInfo(
            index=int(d["index"]),
            name=str(d["name"]),
            max_input_channels=int(d["max_input_channels"]),
            default_samplerate=float(d["default_samplerate"]),
            hostapi=hostapis[d["hostapi"]] if 0 <= d["hostapi"] < len(hostapis) else "",
        )
        for d in raw
        if d["max_input_channels"] > 0
    ]


def default_input_index() -> int:
    """PortAudio's default input device index, or -1 if there is none."""
    sd = _sounddevice()
    device = sd.default.device[0]
    if isinstance(device, int) and device >= 0:
        return device
    try:
        return int(sd.query_devices(kind="input")["index"])
    except (sd.PortAudioError, KeyError, TypeError, ValueError):
        return -1


def find_device(
    spec: int | str | None,
    devices: Sequence[DeviceInfo] | None = None,
    default_index: int | None = None,
) -> DeviceInfo:
    """An input device by index ("3" counts too), by case-insensitive name or name fragment,
    or the default input for None / "" / "default". `devices` defaults to list_devices() and
    `default_index` to PortAudio's default input (only looked up when `devices` is not given)."""
    if devices is None:
        devices = list_devices()
        if default_index is None and devices:
            default_index = default_input_index()
    devices = [d for d in devices if d.max_input_channels > 0]
    if not devices:
        raise AudioError(
            "no audio input devices found; connect a headset or microphone "
            "(on Linux, check that PulseAudio or PipeWire is running)"
        )
    available = "; ".join(str(d) for d in devices)
    text = "" if spec is None else str(spec).strip()

    if text.lower() in ("", "default"):
        return next((d for d in devices if d.index == default_index), devices[0])
    if text.lstrip("-").isdigit():
        found = next((d for d in devices if d.index == int(text)), None)
        if found is None:
            raise AudioError(f"no input device with index {text}; available: {available}")
        return found

    wanted = text.lower()
    matches = [d for d in devices if d.name.lower() == wanted] or [
        d for d in devices if wanted in d.name.lower()
    ]
    if not matches:
        raise AudioError(f"no input device matching {text!r}; available: {available}")
    if len({d.name.lower() for d in matches}) > 1:
        listed = "; ".join(str(d) for d in matches)
        raise AudioError(
            f"{text!r} matches several input devices ({listed}); give its index or a longer name"
        )
    # One device seen through several host APIs (common on Windows): prefer the default's API.
    default = next((d for d in devices if d.index == default_index), None)
    preferred = [d for d in matches if default is not None and d.hostapi == default.hostapi]
    return (preferred or matches)[0]


@dataclass(frozen=True)
class _Input:
    device: DeviceInfo
    channels: int  # channels to open
    names: tuple[str, ...]  # the call channels it yields
    split: Callable[[np.ndarray], dict[str, np.ndarray]]


class DeviceSource(AudioSource):
    """Live capture: one stereo (or mono) device, or an agent device plus a customer device.

    With two devices each is downmixed to one channel and ChannelMap does not apply. Devices are
    resolved in the constructor so a wrong name fails before any thread starts. `run()` raises
    AudioError (after closing the queue) if a stream cannot open or dies; it is kept in `error`.
    """

    def __init__(
        self,
        agent_device: int | str | None = None,
        customer_device: int | str | None = None,
        channel_map: ChannelMap | None = None,
        *,
        samplerate: int | None = None,
        devices: Sequence[DeviceInfo] | None = None,
        default_index: int | None = None,
    ) -> None:
        self.channel_map = channel_map or ChannelMap()
        self.samplerate = samplerate  # None: 16 kHz if the device takes it, else its default
        self._stopped = threading.Event()
        self.error: AudioError | None = None
        self.captures: list[DeviceCapture] = []
        if devices is None:
            devices = list_devices()
        agent = find_device(agent_device, devices, default_index)
        if customer_device in (None, ""):
            self._inputs = [self._single_input(agent)]
        else:
            customer = find_device(customer_device, devices, default_index)
            if customer.index == agent.index:
                raise AudioError(
                    f"agent and customer device are the same ({agent}); for one stereo device "
                    "leave the customer device empty"
                )
            self._inputs = [_mono_input(agent, AGENT), _mono_input(customer, CUSTOMER)]
        self.channels = tuple(n for i in self._inputs for n in i.names)
        self.devices = tuple(i.device for i in self._inputs)

    def _single_input(self, device: DeviceInfo) -> _Input:
        if self.channel_map.mode == "stereo" and device.max_input_channels < 2:
            raise AudioError(
                f"input device {device} has one channel, but stereo mode expects the agent on "
                "the left and the customer on the right; use --channels mono, or give the "
                "customer line as a second device"
            )
        n = min(device.max_input_channels, 2)  # a 4-channel interface: its first pair
        return _Input(device, n, self.channel_map.names, self.channel_map.split)

    def stop(self) -> None:
        self._stopped.set()

    def run(self, out: BlockQueue) -> None:
        streams: list[Any] = []
        self.captures = []
        try:
            self._record(out, streams)
        except AudioError as e:
            self.error = e
            raise
        finally:
            for stream in streams:
                _close_quietly(stream, abort=self.error is not None)
            for capture in self.captures:
                capture.flush()
            out.close()

    def _record(self, out: BlockQueue, streams: list[Any]) -> None:
        sd = _sounddevice()
        try:
            for inp in self._inputs:
                rate = self.samplerate or _pick_rate(sd, inp)
                capture = DeviceCapture(inp.split, inp.names, rate, out)
                self.captures.append(capture)
                streams.append(
                    sd.InputStream(
                        device=inp.device.index,
                        channels=inp.channels,
                        samplerate=rate,
                        dtype="float32",
                        callback=capture.callback,
                    )
                )
            for stream in streams:
                stream.start()
        except sd.PortAudioError as e:
            names = ", ".join(map(str, self.devices))
            raise AudioError(f"cannot record from {names}: {e}") from e
        for capture in self.captures:  # opening can be slow; the stall clock starts now
            capture.last_callback = time.monotonic()
        while not self._stopped.wait(_WATCH_SECONDS):
            self._check(streams)

    def _check(self, streams: list[Any]) -> None:
        for inp, stream, capture in zip(self._inputs, streams, self.captures, strict=True):
            if capture.error is not None:
                raise AudioError(f"capture from {inp.device} failed: {capture.error}")
            stalled = time.monotonic() - capture.last_callback > _STALL_SECONDS
            if not stream.active or stalled:
                raise AudioError(f"input device {inp.device} stopped delivering audio (unplugged?)")


def _mono_input(device: DeviceInfo, name: str) -> _Input:
    mono = ChannelMap("mono")

    def split(frames: np.ndarray) -> dict[str, np.ndarray]:
        return {name: mono.split(frames)[MONO]}

    return _Input(device, min(device.max_input_channels, 2), (name,), split)


def _close_quietly(stream: Any, abort: bool) -> None:
    # Closing must not mask the error that ended the capture (or fail a normal stop).
    try:
        if abort:
            stream.abort()
        else:
            stream.stop()
        stream.close()
    except Exception:
        pass


def _pick_rate(sd: Any, inp: _Input) -> int:
    """16 kHz when the device (or the host's own converter) accepts it, else its native rate."""
    try:
        sd.check_input_settings(
            device=inp.device.index, channels=inp.channels, samplerate=SAMPLE_RATE, dtype="float32"
        )
        return SAMPLE_RATE
    except Exception:  # PortAudioError or ValueError, depending on the host API
        return int(inp.device.default_samplerate)
