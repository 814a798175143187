"""Make a long two-channel call (default 10 minutes) from the English test calls, with its
reference `.json`, for the soak benchmark: queues must stay bounded and latency must not grow.

    python tests/bench/make_long_call.py OUT.wav [--minutes 10]
    copilot bench asr OUT.wav --no-offline --peer none
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
import soundfile as sf

CALLS = Path(__file__).resolve().parents[2].parent / "shared" / "testdata" / "calls"
ENGLISH = ("billing_refund", "device_limit", "student_discount")


def make(out: Path, minutes: float) -> Path:
    pieces, turns, t = [], [], 0.0
    i = 0
    while t < minutes * 60:
        name = ENGLISH[i % len(ENGLISH)]
        audio, sr = sf.read(CALLS / f"{name}.wav", dtype="float32")
        ref = json.loads((CALLS / f"{name}.json").read_text())
        for turn in ref["turns"]:
            turns.append({**turn, "start": round(turn["start"] + t, 3),
                          "end": round(turn["end"] + t, 3)})
        pieces.append(audio)
        t += len(audio) / sr
        i += 1
    sf.write(out, np.concatenate(pieces), 16000, subtype="PCM_16")
    doc = {"title": f"{minutes:g}-minute soak call", "sample_rate": 16000,
           "channels": {"agent": 0, "customer": 1}, "duration": round(t, 3), "turns": turns}
    out.with_suffix(".json").write_text(json.dumps(doc, indent=1))
    return out


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--minutes", type=float, default=10.0)
    a = ap.parse_args()
    print(make(Path(a.out), a.minutes))
