"""Experiment (issue 12, not adopted): re-rank the sentence encoder's best passages by how likely a
small language model finds the customer's question after each passage (log P(question |
passage), "unsupervised passage re-ranking"). Prints, per kind of question, how often the first
passage is right with the encoder alone and after re-ranking.

    .venv/bin/python tools/experiments/rerank_with_lm.py MODEL.gguf [EVAL.jsonl] [--top N]
        [--kinds paraphrase,near_miss]

Measured on the development set (BENCHMARKS.md): no gain worth its cost with the models that
install from PyPI (SmolLM2-135M, Gemma 3 270M base), at 0.35-0.7 s per candidate on 2 cores.
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("model")
    ap.add_argument("eval", nargs="?", default=str(ROOT / "tests/data/eval/northwind_dev.jsonl"))
    ap.add_argument("--kb", default=str(ROOT / "resources/kb/northwind"))
    ap.add_argument("--top", type=int, default=4)
    ap.add_argument("--kinds", default="")
    args = ap.parse_args()

    from llama_cpp import Llama

    from copilot.knowledge.loading import open_knowledge
    from copilot.settings import Settings

    kb = open_knowledge(Settings(), args.kb, mode="dense")
    assert kb.vectors is not None, "needs the sentence encoder (./dev setup installs it)"
    rows = list(kb.passages.values())
    llm = Llama(model_path=args.model, logits_all=True, n_ctx=1024, n_threads=2, verbose=False)

    def mean_logprob(prefix: str, question: str) -> float:
        a = llm.tokenize(prefix.encode(), add_bos=True, special=False)
        b = llm.tokenize((" " + question).encode(), add_bos=False, special=False)
        llm.reset()
        llm.eval(a + b)
        logits = np.asarray(llm.scores[len(a) - 1:len(a) + len(b) - 1])
        top = logits.max(1, keepdims=True)
        lse = top[:, 0] + np.log(np.exp(logits - top).sum(1))
        return float(np.mean(logits[np.arange(len(b)), b] - lse))

    kinds = set(filter(None, args.kinds.split(",")))
    dense_ok, lm_ok, n = Counter(), Counter(), Counter()
    t0 = time.perf_counter()
    for line in Path(args.eval).read_text().splitlines():
        case = json.loads(line)
        kind = case.get("kind", "")
        if not case["expect"] or (kinds and kind not in kinds):
            continue
        scores = kb.vectors.scores(kb.vectors.embed([case["utterance"]])[0])
        best = [rows[i] for i in np.argsort(-scores)[:args.top]]
        lm = {p.id: mean_logprob(f"Policy: {p.title}. {p.text.strip()}\n\nA customer on the "
                                 "phone asks about this policy:", case["utterance"]) for p in best}
        n[kind] += 1
        dense_ok[kind] += best[0].id in case["expect"]
        lm_ok[kind] += max(lm, key=lm.get) in case["expect"]
    print(f"{sum(n.values())} answerable questions, {time.perf_counter() - t0:.0f} s")
    print(f"{'kind':14} {'n':>4} {'encoder':>8} {'re-ranked':>10}")
    for kind in sorted(n):
        print(f"{kind:14} {n[kind]:>4} {dense_ok[kind]:>8} {lm_ok[kind]:>10}")
    print(f"{'all':14} {sum(n.values()):>4} {sum(dense_ok.values()):>8} {sum(lm_ok.values()):>10}")


if __name__ == "__main__":
    main()
