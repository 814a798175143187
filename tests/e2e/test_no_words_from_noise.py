"""No words from silence, line noise, a tone or hold music: at least 60 s of each, both models,
through the real VAD and the real Whisper models."""

from __future__ import annotations

import numpy as np
import pytest

from copilot.audio import synthetic
from copilot.call.session import CallSession
from copilot.privacy.redaction import Redactor

SECONDS = 60.0

SIGNALS = {
    "silence": lambda: synthetic.silence(SECONDS),
    "white_noise": lambda: synthetic.white_noise(SECONDS, level=0.05, seed=1),
    "loud_noise": lambda: synthetic.white_noise(SECONDS, level=0.3, seed=2),
    "tone_440": lambda: synthetic.tone(SECONDS, hz=440, level=0.3),
    "dial_tone": lambda: (synthetic.tone(SECONDS, hz=350, level=0.2)
                          + synthetic.tone(SECONDS, hz=440, level=0.2)),
    "hold_music": lambda: synthetic.hold_music(SECONDS),
}


@pytest.mark.parametrize("engine_name", ["base_engine", "tiny_engine"])
@pytest.mark.parametrize("kind", list(SIGNALS))
def test_no_captions_from_non_speech(kind, engine_name, request):
    engine = request.getfixturevalue(engine_name)
    signal = SIGNALS[kind]().astype(np.float32)
    assert len(signal) >= SECONDS * 16000
    events = []
    # The same signal on both channels: the customer line and the agent microphone.
    source = synthetic.SyntheticSource({"agent": signal, "customer": signal.copy()})
    session = CallSession(source, engine, store=None, redactor=Redactor(),
                          listeners=[events.append], realtime=False)
    session.run()
    words = [e.text for e in events if getattr(e, "text", "")]
    assert words == [], f"{kind}: words from non-speech: {words}"
