"""How well do a passage's score and its lead over the next separate a right first passage from a
wrong one, for the shipped encoder and a tuned query encoder (tools/experiments/
tune_query_encoder.py --out DIR)? Not part of the app; needs torch like that script:

    PYTHONPATH=.:.venv/lib/python3.11/site-packages /tmp/ft-venv/bin/python \
        tools/experiments/score_separation.py h2,h5,h8,h11 DIR

Over the sets' single-turn questions (unanswerable ones included: any first passage is wrong
for them), the dense ranking alone: how many are ranked right first, the mean top score and
lead of right and wrong firsts, and the most right firsts that a rule "score >= a and lead >= b"
passes with at most 2, 5 or 10 wrong ones (a and b searched on the same questions, for both
encoders alike: an upper bound on what a gate of those two numbers could give).
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import torch

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tools" / "experiments"))

import tune_query_encoder as tune  # noqa: E402

from copilot import resolver  # noqa: E402
from copilot.knowledge.encoder import SentenceEncoder  # noqa: E402
from copilot.settings import Settings  # noqa: E402


def main() -> None:
    sets, tuned_dir = sys.argv[1].split(","), sys.argv[2]
    units, examples = tune.collect(sets)
    examples = [e for e in examples if e.kind != "asks"]
    encoders = {"shipped": SentenceEncoder(resolver.sentence_encoder(Settings(), "").path,
                                           threads=2),
                "tuned": SentenceEncoder(Path(tuned_dir), threads=2)}
    for name, encoder in encoders.items():
        rows = []
        for q, e in zip(encoder.embed([e.text for e in examples]), examples, strict=True):
            sc = tune.passage_scores(torch.from_numpy(np.asarray(q, np.float32)),
                                     units[e.base], False).numpy()
            o = np.argsort(-sc)
            rows.append((sc[o[0]], sc[o[0]] - sc[o[1]], bool(e.expect) and int(o[0]) in e.expect))
        top, lead, ok = (np.array([r[i] for r in rows]) for i in range(3))
        ok = ok.astype(bool)
        print(f"{name}: {len(ok)} questions, ranked right first {ok.sum()}; top score right "
              f"{top[ok].mean():.3f} wrong {top[~ok].mean():.3f}; lead right {lead[ok].mean():.3f} "
              f"wrong {lead[~ok].mean():.3f}")
        for budget in (2, 5, 10):
            best = (0, 0.0, 0.0)
            for a in np.arange(0.30, 0.90, 0.02):
                for b in np.arange(0.0, 0.30, 0.01):
                    sel = (top >= a) & (lead >= b)
                    if (sel & ~ok).sum() <= budget and (sel & ok).sum() > best[0]:
                        best = (int((sel & ok).sum()), round(a, 2), round(b, 2))
            print(f"  at most {budget:2} wrong: {best[0]} right (score >= {best[1]}, "
                  f"lead >= {best[2]})")


if __name__ == "__main__":
    main()
