"""`copilot replay --handoff-at` end to end (issue 18): real Whisper base, real SmolLM2-135M, the
Northwind knowledge base, every network socket refused. The billing test call is handed over
45 s in; the `handoff` event comes at that point of the call, carries the reason and the facts
of the running summary as it stood then (nothing computed again) and the customer's
frustration, and is stored with the call, where `copilot calls show` and `export` find it."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

NONET = Path(__file__).with_name("nonet.py")
AT = 45.0  # after the account number, the amounts and the frustrated turn; before hang-up


def _copilot(home: Path, *args: str, timeout: float = 900) -> subprocess.CompletedProcess:
    env = dict(os.environ, COPILOT_HOME=str(home))
    return subprocess.run([sys.executable, str(NONET), *args], capture_output=True, text=True,
                          env=env, timeout=timeout)


@pytest.fixture(scope="module")
def handed(testdata, base_model, tmp_path_factory):
    home = tmp_path_factory.mktemp("home")
    out = _copilot(home, "replay", str(testdata / "calls" / "billing_refund.wav"), "--jsonl",
                   "--model", str(base_model), "--kb", str(testdata / "kb" / "northwind"),
                   "--handoff-at", str(AT))
    assert out.returncode == 0, out.stderr  # 97 would mean a socket was attempted
    return home, [json.loads(line) for line in out.stdout.splitlines()]


def _numbers(text: str) -> set[str]:
    return set(re.findall(r"\d+", re.sub(r"(?<=\d)[-\s,](?=\d)", "", text)))


def test_the_handoff_event_comes_at_its_point_of_the_call(handed):
    _, events = handed
    found = [i for i, e in enumerate(events) if e["type"] == "handoff"]
    assert len(found) == 1
    i = found[0]
    handoff = events[i]
    assert handoff["at"] == AT and handoff["id"] == "handoff-1"
    assert handoff["destination"] == "Billing team"  # the settings' first destination
    assert (handoff["action"], handoff["edited"]) == ("draft", False)
    assert all(e["at"] < AT for e in events[:i])
    assert events[i + 1]["at"] >= AT
    assert any(e["type"] == "after_call" for e in events[i + 1:])  # the call went on


def test_it_holds_the_reason_and_facts_of_the_summary_as_it_stood(handed):
    _, events = handed
    i = next(i for i, e in enumerate(events) if e["type"] == "handoff")
    handoff, before = events[i], events[:i]
    summary = [e for e in before if e["type"] == "summary"][-1]  # the one shown at 45 s
    sections = handoff["sections"]
    assert handoff["summary_version"] == summary["version"]
    assert sections["reason"] and sections["reason"] == summary["sections"]["reason"]
    assert sections["facts"] and sections["facts"] == summary["sections"]["facts"]
    assert sections["open"] == summary["sections"]["open"]
    note = handoff["note"]
    assert note.startswith(f"Handoff to: Billing team\nReason for the call: {sections['reason']}")
    for fact in sections["facts"]:
        assert f"- {fact}" in note
    said = " ".join(e["text"] for e in before if e["type"] == "caption" and e["final"])
    assert _numbers(note) <= _numbers(said)  # every number was said before the handoff
    assert "frustrated" in sections["signal"]  # "this is the second time ... frustrated"
    assert note.rstrip().endswith(f"Customer signal: {sections['signal']}")


def test_it_is_stored_and_calls_show_and_export_list_it(handed):
    home, events = handed
    handoff = next(e for e in events if e["type"] == "handoff")
    shown = _copilot(home, "calls", "show", "1", timeout=120)
    assert shown.returncode == 0, shown.stderr
    assert "[00:45.0] Handoff to Billing team (the copilot's draft, not reviewed)" in shown.stdout
    assert "Handoff note to Billing team at 00:45.0" in shown.stdout
    assert f"  Reason for the call: {handoff['sections']['reason']}" in shown.stdout
    exported = _copilot(home, "calls", "export", "1", "--format", "json", timeout=120)
    assert exported.returncode == 0, exported.stderr
    stored = [e for e in json.loads(exported.stdout)["events"] if e["type"] == "handoff"]
    assert [e["payload"] for e in stored] == [handoff]


def test_past_the_end_of_the_call_it_comes_before_the_after_call_note(testdata, base_model,
                                                                       tmp_path):
    out = _copilot(tmp_path, "replay", str(testdata / "calls" / "billing_refund.wav"),
                   "--model", str(base_model), "--kb", str(testdata / "kb" / "northwind"),
                   "--no-llm", "--no-store", "--handoff-at", "999", "--handoff-to",
                   "Supervisor")
    assert out.returncode == 0, out.stderr
    text = out.stdout
    block = text.index("== Handoff note (AI draft, to Supervisor, at ")
    assert block < text.index("== After-call note")
    assert "Handoff to: Supervisor\nReason for the call: " in text[block:]
    assert "Key facts:\n- " in text[block:]
