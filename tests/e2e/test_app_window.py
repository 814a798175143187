"""`copilot app --replay ... --screenshot`: the real window, real Whisper, a real call stored."""

from __future__ import annotations

import os
import subprocess
import sys

from PySide6.QtGui import QImage

from copilot import paths
from copilot.store.db import CallStore


def test_app_replays_the_demo_call_and_saves_a_screenshot(base_model, tmp_path):
    home = tmp_path / "home"
    shot = tmp_path / "window.png"
    env = {**os.environ, "COPILOT_HOME": str(home), "QT_QPA_PLATFORM": "offscreen",
           "HF_HUB_OFFLINE": "1"}
    demo = paths.resources() / "calls" / "demo_call.wav"
    proc = subprocess.run(
        [sys.executable, "-m", "ui.app", "--replay", str(demo), "--model", str(base_model),
         "--no-llm", "--theme", "dark", "--font-scale", "1.25", "--screenshot", str(shot),
         "--quit-after", "30"], env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    image = QImage(str(shot))
    assert not image.isNull() and image.width() == 1280 and image.height() == 800
    with CallStore(home / "calls.sqlite3") as store:
        calls = store.list_calls()
        assert len(calls) == 1
        # Quitting 30 s in closed the window mid-call: the call was finished first, not cut.
        assert calls[0].status == "completed"
        assert calls[0].ended_at is not None
        segments = store.segments(calls[0].id)
        events = store.events(calls[0].id)
    # 30 s into the 65 s call: its first turns were heard, kept, and assisted.
    assert len(segments) >= 3
    assert "Northwind" in " ".join(s.text for s in segments)
    assert any(e.type == "suggestion" for e in events)
    assert any(e.type == "after_call" for e in events)  # the note, stored while closing
