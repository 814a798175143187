"""The window's banner for an engine error: the command line's flags put as its settings (a
walk-through found "use --channels mono" in a window that has no such flag)."""

from __future__ import annotations

from copilot.audio.base import AudioError
from copilot.audio.channels import ChannelMap
from ui.phase_flow import for_the_window


def test_an_engine_message_names_the_setting_not_the_flag() -> None:
    for channels in (1, 3):
        try:
            ChannelMap("stereo").check(channels, "demo.wav")
        except AudioError as e:
            shown = for_the_window(str(e))
        assert "--" not in shown and '"mono" in Settings' in shown, shown
    assert for_the_window("the recording is empty") == "the recording is empty"
