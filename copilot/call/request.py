"""What to run as a call, typed: the command line and the window both describe a call this way
(not with argparse namespaces) and hand it to `copilot.call.build_session`."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["CallRequest"]


@dataclass(frozen=True)
class CallRequest:
    """One call. `audio` is a recording replayed through the live pipeline; with `devices` the
    call comes from the sound devices instead (agent and customer device: index or part of the
    name, "" = the settings', then the default input)."""

    audio: str = ""
    devices: bool = False
    agent_device: str = ""
    customer_device: str = ""
    realtime: bool = False  # a recording paced like a live call (devices are real time anyway)
    speed: float = 1.0  # replay pace (the window's demo can play faster)
    model: str = ""  # Whisper: a folder, "base" or "tiny.en"; "" = the one resolution rule
    channels: str | None = None  # "stereo" | "mono"; None = the settings'
    swap: bool = False  # stereo with the agent on the right
    lang: str = ""  # fix every speaker's language; "" = the settings' (then detection)
    store: bool = True  # keep the call in the database
    keep_empty: bool = False  # keep it even when no speech was heard (a silent recording)
    title: str = ""

    @property
    def label(self) -> str:
        return self.audio if not self.devices else "sound devices"
