"""Caption.unsure from the real Whisper base: the words it reports are words of its text, the
misheard digits of the phone-band billing call are among them, and asking for them does not
change the text. (Its cost, 1.5-2 ms a caption, is measured in the engine's docstring: two
whole decodes compared here differ by more than that from run to run.)"""

from __future__ import annotations

import json
import re

import pytest

from copilot.asr.whisper_engine import UNSURE_BELOW, DecodeOptions
from copilot.audio.channels import ChannelMap
from copilot.audio.decode import read_audio

pytestmark = pytest.mark.e2e


def test_unsure_words_of_the_billing_call(base_engine, testdata):
    ref = json.loads((testdata / "calls" / "billing_refund.json").read_text("utf-8"))
    frames, sr = read_audio(testdata / "calls" / "billing_refund.wav")
    signals = ChannelMap().split(frames)
    on = DecodeOptions(unsure_below=UNSURE_BELOW, allow_padded=False)
    off = DecodeOptions(allow_padded=False)
    digits_unsure: list[str] = []
    for turn in ref["turns"]:
        audio = signals[turn["speaker"]][int(turn["start"] * sr):int(turn["end"] * sr)]
        plain = base_engine.transcribe(audio, "en", off)
        marked = base_engine.transcribe(audio, "en", on)
        assert marked.text == plain.text and plain.unsure == ()
        parts = set(re.findall(r"[^\W_]+", marked.text))
        for w in marked.unsure:
            assert set(re.findall(r"[^\W_]+", w)) <= parts, (w, marked.text)
        digits_unsure += [w for w in marked.unsure if re.search(r"\d", w)]
    assert digits_unsure  # "seven four two nine three one" is heard as "742-131", unsure
