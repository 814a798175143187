"""tools/synth_call.py: the test-call synthesizer (script -> two-channel WAV + exact timings)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import wave
from pathlib import Path

import numpy as np
import pytest
import synth_call

from copilot.bench.references import load_call_json

REPO = Path(__file__).resolve().parents[2]
SCRIPT = """\
# title: Tiny call for the synthesizer test
# lang: en
# a comment line, and a blank line next

A: Hello, how can I help?
C[fr]: Bonjour, je voudrais annuler mon contrat.
C: Thanks, goodbye.
"""
TURNS = [("agent", "en", "Hello, how can I help?"),
         ("customer", "fr", "Bonjour, je voudrais annuler mon contrat."),
         ("customer", "en", "Thanks, goodbye.")]
LOUD = 200  # |sample| above this is speech when locating it in the test (about -44 dBFS)


@pytest.fixture(scope="module")
def tools() -> None:
    missing = [t for t in ("espeak-ng", "sox") if shutil.which(t) is None]
    if missing:
        pytest.fail(f"{' and '.join(missing)} not on PATH: ./dev setup installs them (its apt "
                    "list), or apt-get install espeak-ng sox")


def render(tmp: Path, *flags: str) -> tuple[np.ndarray, dict, tuple[int, int, int]]:
    script = tmp / "tiny.txt"
    script.write_text(SCRIPT, encoding="utf-8")
    name = "tiny_phone" if "--phone" in flags else "tiny"
    out = tmp / f"{name}.wav"
    assert synth_call.main([str(script), str(out), *flags]) == 0
    with wave.open(str(out), "rb") as w:
        fmt = (w.getframerate(), w.getnchannels(), w.getsampwidth())
        pcm = np.frombuffer(w.readframes(w.getnframes()), "<i2").reshape(-1, w.getnchannels())
    return pcm, json.loads(out.with_suffix(".json").read_text(encoding="utf-8")), fmt


@pytest.fixture(scope="module")
def wideband(tools, tmp_path_factory):
    return render(tmp_path_factory.mktemp("synth"))


@pytest.fixture(scope="module")
def phone(tools, tmp_path_factory):
    return render(tmp_path_factory.mktemp("synth_phone"), "--phone")


def test_wav_format(wideband):
    pcm, doc, fmt = wideband
    assert fmt == (16000, 2, 2), "16 kHz, stereo, 16-bit"
    assert abs(len(pcm) - doc["duration"] * 16000) <= 8  # the JSON rounds to the millisecond


def test_metadata_and_json_shape(wideband):
    _, doc, _ = wideband
    # The same keys, in the same order, as the calls in the repository (made by make_call.py).
    committed = json.loads((REPO / "tests/data/calls/water_damage_claim.json").read_text("utf-8"))
    assert list(doc) == list(committed)
    assert all(list(t) == list(committed["turns"][0]) for t in doc["turns"])
    assert doc["title"] == "Tiny call for the synthesizer test"
    assert doc["sample_rate"] == 16000 and doc["channels"] == {"agent": 0, "customer": 1}
    assert doc["phone"] is False and doc["voice"] == "espeak-ng"
    assert [(t["speaker"], t["lang"], t["text"]) for t in doc["turns"]] == TURNS


def test_timing_gap_lead_and_tail(wideband):
    _, doc, _ = wideband
    turns = doc["turns"]
    assert turns[0]["start"] == 0.5
    for before, after in zip(turns, turns[1:], strict=False):
        assert after["start"] - before["end"] == pytest.approx(0.7, abs=0.0015)
    assert doc["duration"] == pytest.approx(turns[-1]["end"] + 1.2, abs=0.0015)
    assert all(t["end"] - t["start"] > 0.5 for t in turns)


@pytest.mark.parametrize("which", ["wideband", "phone"])
def test_each_turn_on_its_own_channel_only(which, request):
    pcm, doc, _ = request.getfixturevalue(which)
    spoken = np.zeros(len(pcm), bool)
    for t in doc["turns"]:
        # The JSON rounds to the millisecond: widen the turn by half of one (8 samples).
        a, b = round(t["start"] * 16000) - 8, round(t["end"] * 16000) + 8
        own, other = doc["channels"][t["speaker"]], 1 - doc["channels"][t["speaker"]]
        assert np.abs(pcm[a:b, own]).max() > 1000, f"{t['text']!r} is not on its channel"
        assert not pcm[a:b, other].any(), f"{t['text']!r} leaks onto the other channel"
        spoken[a:b] = True
    assert not pcm[~spoken].any(), "lead, gaps and tail are digital silence on both channels"


@pytest.mark.parametrize("which", ["wideband", "phone"])
def test_start_and_end_are_where_the_speech_is(which, request):
    pcm, doc, _ = request.getfixturevalue(which)
    for t in doc["turns"]:
        channel = pcm[:, doc["channels"][t["speaker"]]]
        # Search well around the turn: from the middle of the gap before it to that after it.
        lo = max(0, round((t["start"] - 0.35) * 16000))
        hi = min(len(pcm), round((t["end"] + 0.35) * 16000))
        loud = np.flatnonzero(np.abs(channel[lo:hi].astype(np.int32)) > LOUD)
        assert loud.size, f"{t['text']!r}: no sound"
        first, last = (lo + loud[0]) / 16000, (lo + loud[-1] + 1) / 16000
        assert abs(first - t["start"]) < 0.05, (which, t, first)
        assert abs(last - t["end"]) < 0.05, (which, t, last)


def band_share(x: np.ndarray, lo: float, hi: float) -> float:
    """The share of the signal's energy between lo and hi Hz."""
    spectrum = np.abs(np.fft.rfft(x.astype(np.float64))) ** 2
    freqs = np.fft.rfftfreq(len(x), 1 / 16000)
    return float(spectrum[(freqs >= lo) & (freqs < hi)].sum() / spectrum.sum())


def test_phone_output_is_band_limited(wideband, phone):
    pcm, doc, fmt = phone
    assert fmt == (16000, 2, 2) and doc["phone"] is True
    assert [(t["speaker"], t["lang"], t["text"]) for t in doc["turns"]] == TURNS
    # espeak-ng puts about 1 % of its energy above 3.6 kHz and 4-7 % below 200 Hz; the telephone
    # chain leaves about 0.001 % above 3.6 kHz and under 0.05 % below 200 Hz.
    for channel in (0, 1):
        wide, narrow = wideband[0][:, channel], pcm[:, channel]
        assert band_share(wide, 3600, 8001) > 0.003, "the wideband voice reaches above 3.6 kHz"
        high = band_share(narrow, 3600, 8001)
        assert high < 0.0002, f"channel {channel}: {high:.4%} of the energy above 3.6 kHz"
        low = band_share(narrow, 0, 200)
        assert low < 0.005, f"channel {channel}: {low:.4%} of the energy below 200 Hz"


def test_the_reference_loader_reads_it(wideband, tmp_path):
    _, doc, _ = wideband
    path = tmp_path / "call.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    ref = load_call_json(path)
    assert [(t.channel, t.lang, t.text) for t in ref.turns] == TURNS
    assert ref.text_by_channel == {"agent": TURNS[0][2], "customer": f"{TURNS[1][2]} {TURNS[2][2]}"}


def test_script_parsing():
    meta, turns = synth_call.parse_script(
        "# title: T\n#just a comment\n\nA: one\n# lang: es\nC: dos\nA[en-GB]:  three \n")
    assert meta == {"title": "T", "lang": "es"}
    Turn = synth_call.Turn
    assert turns == [Turn("agent", "en", "one"), Turn("customer", "es", "dos"),
                     Turn("agent", "en-GB", "three")]
    assert synth_call.espeak_voice(turns[1]) == "es+f3"
    assert synth_call.espeak_voice(Turn("customer", "fr", "x")) == "fr-fr+f3"
    assert synth_call.espeak_voice(turns[2]) == "en-us+m3"
    for bad, says in (("A: hi\nB: who?\n", "script:2: not a turn"), ("C:   \n", "empty turn"),
                      ("# title: nothing\n", "no turns")):
        with pytest.raises(synth_call.CallError, match=says):
            synth_call.parse_script(bad)


def test_missing_tools_are_named_without_a_traceback(tmp_path):
    script = tmp_path / "call.txt"
    script.write_text(SCRIPT, encoding="utf-8")
    empty = tmp_path / "bin"
    empty.mkdir()
    done = subprocess.run([sys.executable, str(REPO / "tools" / "synth_call.py"), str(script),
                           str(tmp_path / "call.wav")], capture_output=True, text=True,
                          env=dict(os.environ, PATH=str(empty)))
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert "sox" in done.stderr and "espeak-ng" in done.stderr, done.stderr
    assert not (tmp_path / "call.wav").exists()
