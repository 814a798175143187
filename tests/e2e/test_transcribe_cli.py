"""`copilot transcribe` end to end with the real models, every network socket refused."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from copilot.store.db import CallStore

NONET = Path(__file__).with_name("nonet.py")
CAPTION_KEYS = {"type", "id", "final", "channel", "start", "end", "at", "lang", "text"}


def _transcribe(home: Path, *args: str, timeout: float = 600) -> subprocess.CompletedProcess:
    env = dict(os.environ, COPILOT_HOME=str(home))
    return subprocess.run([sys.executable, str(NONET), "transcribe", *args], capture_output=True,
                          text=True, env=env, timeout=timeout)


def test_whole_call_offline_with_sockets_refused_matches_contract_and_store(
        testdata, base_model, tmp_path):
    home = tmp_path / "home"
    out = _transcribe(home, str(testdata / "calls" / "device_limit.wav"), "--jsonl",
                      "--model", str(base_model))
    assert out.returncode == 0, out.stderr  # 97 would mean a socket was attempted
    events = [json.loads(line) for line in out.stdout.splitlines()]
    captions = [e for e in events if e["type"] == "caption"]
    # "unsure" (the words Whisper was unsure of) only when there are some
    assert captions and all(set(c) - {"unsure"} == CAPTION_KEYS for c in captions)
    for c in (c for c in captions if "unsure" in c):
        assert c["unsure"] and set(re.findall(r"[^\W_]+", " ".join(c["unsure"]))) <= set(
            re.findall(r"[^\W_]+", c["text"]))
    assert {c["channel"] for c in captions} == {"agent", "customer"}
    for c in captions:
        assert c["final"] is True  # unpaced: finals only
        assert 0 <= c["start"] < c["end"] <= c["at"] + 0.05
    ref = json.loads((testdata / "calls" / "device_limit.json").read_text())
    assert len(captions) >= len(ref["turns"]) - 1
    with CallStore(home / "calls.sqlite3") as store:
        (call,) = store.list_calls()
        assert call.status == "completed"
        stored = [(s.caption_id, s.channel, s.text) for s in store.segments(call.id)]
    assert stored == [(c["id"], c["channel"], c["text"]) for c in captions]


def test_french_customer_is_detected_and_agent_stays_english(testdata, base_model, tmp_path):
    out = _transcribe(tmp_path / "home", str(testdata / "calls" / "cancel_french.wav"),
                      "--jsonl", "--model", str(base_model), "--no-store")
    assert out.returncode == 0, out.stderr
    events = [json.loads(line) for line in out.stdout.splitlines()]
    captions = [e for e in events if e["type"] == "caption"]
    customer = [c for c in captions if c["channel"] == "customer"]
    agent = [c for c in captions if c["channel"] == "agent"]
    assert len(customer) >= 3 and len(agent) >= 2
    # Whisper translates the French customer to English; the agent's English is not translated.
    translated = {e["of"] for e in events if e["type"] == "translation"}
    assert translated and translated <= {c["id"] for c in customer}
    assert [c["lang"] for c in customer].count("fr") >= len(customer) - 1
    assert all(c["lang"] == "en" for c in agent)


def test_realtime_replay_gives_partials_then_finals(testdata, base_model, tmp_path):
    """Paced like a live call: partial captions while a turn is spoken, replaced by the final
    with the same id; `at` is wall time since the replay began."""
    out = _transcribe(tmp_path / "home", str(testdata / "calls" / "cancel_french.wav"),
                      "--jsonl", "--realtime", "--model", str(base_model), "--no-store")
    assert out.returncode == 0, out.stderr
    captions = [e for e in map(json.loads, out.stdout.splitlines()) if e["type"] == "caption"]
    partials = [c for c in captions if not c["final"]]
    finals = [c for c in captions if c["final"]]
    assert partials and finals
    final_ids = {c["id"] for c in finals}
    assert {p["id"] for p in partials} <= final_ids
    for p in partials:  # a partial comes before its final
        f = next(c for c in finals if c["id"] == p["id"])
        assert p["at"] <= f["at"]
    # Paced, not faster than the call: no final is shown before its words were spoken.
    assert all(f["at"] >= f["end"] for f in finals), [(f["end"], f["at"]) for f in finals]


def test_clear_errors_for_bad_input(tmp_path, base_model, testdata):
    home = tmp_path / "home"
    missing = _transcribe(home, str(tmp_path / "nope.wav"), "--model", str(base_model))
    assert missing.returncode == 2 and "nope.wav" in missing.stderr
    assert "Traceback" not in missing.stderr
    junk = tmp_path / "junk.mp3"
    junk.write_bytes(b"this is not audio" * 100)
    bad = _transcribe(home, str(junk), "--model", str(base_model))
    assert bad.returncode == 2 and "junk.mp3" in bad.stderr and "Traceback" not in bad.stderr
    no_model = _transcribe(home, str(testdata / "calls" / "device_limit.wav"),
                           "--model", str(tmp_path))
    assert no_model.returncode == 2 and "model" in no_model.stderr.lower()
