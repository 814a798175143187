"""Audio in: sources that deliver 30 ms blocks of 16 kHz audio per channel into a bounded queue
(files.FileSource for recordings replayed as fast as possible or at a live pace,
devices.DeviceSource for sound devices, synthetic for tests), the channel map (agent left,
customer right), decoding (decode) and resampling (resample)."""

from copilot.audio.base import SAMPLE_RATE, AudioBlock, AudioError, AudioSource, BlockQueue
from copilot.audio.channels import ChannelMap

__all__ = ["SAMPLE_RATE", "AudioBlock", "AudioError", "AudioSource", "BlockQueue", "ChannelMap"]
