"""Where the digit-loop cut (copilot/asr/decode_guards.cut_digit_loop) fires on recorded calls:
tests/bench/checklist_calls.py run as usual, each cut the engine makes printed as it happens
("DIGIT-CUT dur=SECONDS 'decoded' -> 'kept'"). Not part of the app: the figures behind
BENCHMARKS.md's "A run of digits said again faster than anyone reads" (stop 52).

    PYTHONPATH=. .venv/bin/python tools/experiments/digit_cuts.py heldout44 ... heldout53 --together
"""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from copilot.asr import whisper_engine  # noqa: E402

_cut = whisper_engine.cut_digit_loop


def _logged(text: str, duration: float) -> str:
    out = _cut(text, duration)
    if out != text:
        print(f"DIGIT-CUT dur={duration:.2f} {text!r} -> {out!r}", flush=True)
    return out


if __name__ == "__main__":
    whisper_engine.cut_digit_loop = _logged
    sys.argv = [str(ROOT / "tests" / "bench" / "checklist_calls.py"), *sys.argv[1:]]
    runpy.run_path(sys.argv[0], run_name="__main__")
