"""Time per customer turn of hybrid search on a synthetic 1,000-passage base, with the vector
cache kept between runs in FOLDER (default /tmp/scale), so runs compare the search code alone:

    .venv/bin/python tests/bench/kb_turns.py [FOLDER]

Each of 200 development questions is searched as the live pipeline searches it: through
copilot.knowledge.topic.Conversation, after its earlier turns.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

from copilot import paths
from copilot.bench.kb_scale import turns_from_cases, write_synthetic_base
from copilot.knowledge import evaluate as kb_eval
from copilot.knowledge.base import KnowledgeBase
from copilot.knowledge.encoder import SentenceEncoder
from copilot.knowledge.parse import load_folder
from copilot.knowledge.topic import Conversation
from copilot.knowledge.vectors import VectorCache
from models.pypi_models import minilm_encoder

EVAL = Path(__file__).resolve().parents[1] / "data" / "eval" / "northwind_dev.jsonl"


def main() -> None:
    root = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/scale")
    folder = root / "kb"
    if not folder.exists():
        write_synthetic_base(folder, load_folder(paths.sample_kb())[0], 1000)
    encoder = SentenceEncoder(minilm_encoder(paths.models_dir()))
    t0 = time.perf_counter()
    kb = KnowledgeBase.load(folder, encoder=encoder, cache=VectorCache(root / "v.sqlite3"))
    assert kb.vectors is not None
    print(f"load {time.perf_counter() - t0:.2f} s, embedded {kb.vectors.embedded}")
    times = []
    for conv in turns_from_cases(kb_eval.load_cases(EVAL), 200):
        talk = Conversation(kb)
        for earlier in conv[:-1]:
            talk.search(earlier)
        t0 = time.perf_counter()
        talk.search(conv[-1])
        times.append(1000 * (time.perf_counter() - t0))
    times.sort()
    print(f"turns {len(times)}: p50 {statistics.median(times):.1f} ms, "
          f"p95 {times[int(0.95 * len(times)) - 1]:.1f} ms, max {times[-1]:.1f} ms")


if __name__ == "__main__":
    main()
