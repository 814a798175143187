"""`copilot bench asr` end to end: a real replay in real time, the offline batch with the same
model, the figures in the JSON report; every network socket refused."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

NONET = Path(__file__).with_name("nonet.py")


def _bench(home: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, COPILOT_HOME=str(home))
    return subprocess.run([sys.executable, str(NONET), "bench", "asr", *args],
                          capture_output=True, text=True, env=env, timeout=600)


def test_a_stereo_recording_is_scored_live_and_offline(testdata, tiny_model, tmp_path):
    audio = testdata / "speech" / "conversation" / "stereo_diarization.wav"  # 5 s, two voices
    out = _bench(tmp_path / "home", str(audio), "--model", str(tiny_model), "--peer", "none",
                 "--json")
    assert out.returncode == 0, out.stderr  # 97 would mean a socket was attempted
    report = json.loads(out.stdout)
    runs = report["files"][0]["runs"]
    live, offline = runs["live"], runs["offline"]
    # Both channels recognised, by both runs, close to the MANIFEST transcript.
    assert set(live["wer_by_channel"]) == {"agent", "customer"}
    assert live["wer"] < 0.35 and offline["wer"] < 0.35
    # Replayed live: partial captions exist only when the replay is paced like a call, and the
    # pipeline kept up with it (no audio dropped). Its speed is reported, not asserted here.
    assert live["partials"] > 0
    assert live["dropped_audio_seconds"] == 0
    assert live["wall_seconds"] > 0 and live["rtf"] > 0
    assert live["peak_rss_mb"] > 50
    # The MANIFEST has no turn times, so no latency is claimed.
    assert live["latency"] is None
    assert report["total"]["live"]["wer"] == live["wer"]


def test_a_missing_file_is_a_clear_error(tmp_path, tiny_model):
    out = _bench(tmp_path / "home", str(tmp_path / "nope.wav"), "--model", str(tiny_model),
                 "--peer", "none")
    assert out.returncode != 0
    assert "nope.wav" in out.stderr and "Traceback" not in out.stderr
