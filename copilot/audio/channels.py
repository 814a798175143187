"""Which recorded channel is which speaker.

Call recorders and headset mixers put the agent on the left and the customer on the right; some
put them the other way round (`swap`). A recording with both voices mixed together is "mono": it
is downmixed to one channel named "mono" and the ASR cannot tell the speakers apart.

A stereo map given a one-channel recording is an error, not a silent fallback to mono: quietly
treating everything as one speaker would hide a wrong setup, and the fix (--channels mono) is easy
to say in the message.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .base import AudioError

AGENT = "agent"
CUSTOMER = "customer"
MONO = "mono"
MODES = ("stereo", "mono")


@dataclass(frozen=True)
class ChannelMap:
    mode: str = "stereo"  # "stereo": agent + customer; "mono": one mixed channel
    swap: bool = False  # stereo only: agent on the right, customer on the left

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise AudioError(f"unknown channel mode {self.mode!r}; use 'stereo' or 'mono'")

    @property
    def names(self) -> tuple[str, ...]:
        """The channel names this map produces, in delivery order."""
        return (AGENT, CUSTOMER) if self.mode == "stereo" else (MONO,)

    def check(self, n_channels: int, what: str = "the recording") -> None:
        """Raise a clear AudioError if audio with `n_channels` channels cannot be mapped."""
        if n_channels < 1:
            raise AudioError(f"{what} has no audio channels")
        if self.mode == "mono":
            return
        if n_channels == 1:
            raise AudioError(
                f"{what} has only one channel, but stereo mode expects the agent on the left and "
                "the customer on the right; use --channels mono for a single mixed recording"
            )
        if n_channels > 2:
            raise AudioError(
                f"{what} has {n_channels} channels, but stereo mode expects exactly 2 "
                "(agent left, customer right); use --channels mono to mix them down"
            )

    def split(self, frames: np.ndarray, what: str = "the recording") -> dict[str, np.ndarray]:
        """(frames, channels) audio -> {channel name: 1-D float32}; 1-D input counts as mono."""
        frames = np.asarray(frames, dtype=np.float32)
        if frames.ndim == 1:
            frames = frames[:, None]
        if frames.ndim != 2:
            raise ValueError(f"expected (frames, channels) audio, got shape {frames.shape}")
        self.check(frames.shape[1], what)
        if self.mode == "mono":
            mixed = frames[:, 0] if frames.shape[1] == 1 else frames.mean(axis=1)
            return {MONO: np.ascontiguousarray(mixed, dtype=np.float32)}
        left, right = np.ascontiguousarray(frames[:, 0]), np.ascontiguousarray(frames[:, 1])
        if self.swap:
            left, right = right, left
        return {AGENT: left, CUSTOMER: right}
