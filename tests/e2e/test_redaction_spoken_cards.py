"""Spoken card numbers, through the real pipeline: synthesized speech (espeak-ng, as the shared
test calls are made) -> Whisper -> redaction -> store, JSON output and log. No full card number,
no security code, no SSN may survive anywhere, including the raw database files."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from copilot.text.run_kinds import luhn_ok
from copilot.text.spoken_numbers import digit_runs

NONET = Path(__file__).with_name("nonet.py")

SCRIPT = """\
# title: spoken card numbers
# lang: en
A: Thank you for calling Northwind Mobile. How can I help?
C: I want to pay my bill by card. The number is four one one one, one one one one, one one one one, one one one one.
A: You do not need to read that to me.
C: Sorry, my other card is five five five five, five five five five, five five five five, four four four four.
C: And the security code is seven three seven.
A: Please stop, do not read card details on the phone.
C: Okay. My wife's card is six zero one one, one one one one,
C: one one one one, one one one seven.
C: My social security number is 123-45-6789.
A: Thank you. Is there anything else?
C: The account number is seven four two nine three one.
"""
CARDS = ["4111111111111111", "5555555555554444", "6011111111111117"]


def _digits_pattern(digits: str) -> re.Pattern[str]:
    return re.compile(r"[\s,.\-]*".join(digits))


@pytest.fixture(scope="module")
def spoken_call(testdata, tmp_path_factory) -> Path:
    for tool in ("espeak-ng", "sox"):
        if shutil.which(tool) is None:
            pytest.fail(f"{tool} is needed to synthesize the test call (./dev installs it)")
    folder = tmp_path_factory.mktemp("cards")
    script = folder / "cards.txt"
    script.write_text(SCRIPT)
    wav = folder / "cards.wav"
    synth = Path(__file__).resolve().parents[2] / "tools" / "synth_call.py"
    subprocess.run([sys.executable, str(synth), str(script), str(wav), "--keep-edges"],
                   check=True)
    return wav


@pytest.mark.parametrize("call", ["synth", "billing_refund"])
def test_spoken_cards_are_redacted_everywhere(call, spoken_call, testdata, base_model, tmp_path):
    audio = spoken_call if call == "synth" else testdata / "calls" / "billing_refund.wav"
    home = tmp_path / "home"
    env = dict(os.environ, COPILOT_HOME=str(home))
    out = subprocess.run([sys.executable, str(NONET), "transcribe", str(audio), "--jsonl",
                          "--model", str(base_model)], capture_output=True, text=True, env=env,
                         timeout=600)
    assert out.returncode == 0, out.stderr
    captions = [json.loads(line) for line in out.stdout.splitlines()]
    finals = [c for c in captions if c["type"] == "caption" and c["final"]]
    assert len(finals) >= 8
    text = "\n".join(c["text"] for c in finals)
    # The ASR really heard numbers (else this test would prove nothing): masks are there. How many
    # card numbers whisper-base hears in the espeak voice differs between CPUs (CI once heard two
    # of the three); whatever it heard must be masked, which the checks below prove for all three.
    masks = re.findall(r"\[card[^\]]*\]", text)
    assert len(masks) >= 1, text
    if call == "synth":
        assert "[SSN]" in text and "6789" not in text, text
        assert "[security code]" in text and "737" not in text, text
        # Ordinary numbers are kept: the account number is needed for the call.
        assert any("742931" in run for run in digit_runs(text)), text

    raw_db = b"".join(p.read_bytes() for p in home.glob("calls.sqlite3*"))
    log = (home / "logs" / "copilot.log").read_text()
    for where, content in (("JSON output", out.stdout), ("log", log),
                           ("database files", raw_db.decode("latin-1"))):
        for card in CARDS:
            assert not _digits_pattern(card[:8]).search(content), f"{card} prefix in {where}"
        for run in digit_runs(content if where != "database files" else text):
            for i in range(len(run) - 12):
                for n in range(13, 20):
                    chunk = run[i:i + n]
                    assert not (len(chunk) == n and luhn_ok(chunk) and chunk[:6] in
                                {c[:6] for c in CARDS}), f"card number in {where}: {run}"
