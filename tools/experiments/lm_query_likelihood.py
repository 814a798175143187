"""Issue 12, tried and not adopted: does a small local LM tell a right first passage from a
wrong one by how likely it finds the question after each passage (query likelihood,
log p(question | passage), the zero-shot re-ranking of "unsupervised passage re-ranking")?

For every question of the sets held (question_sets.py's SETS), the shipped hybrid search gives
its first three passages; the LM reads "Help-desk article: TITLE.\\nTEXT\\n\\nA customer asked the
agent:" and then the customer's last words in quotes, and the log-probability of those words is
summed (llama.cpp through llama-cpp-python, the passage's prefix evaluated once per question
set and rewound for each question, two threads). Reported: the first passage the LM's argmax or
the dense score plus the LM's per-token score picks, against the shipped first; and how well the
LM's margin (first passage against the best other of the three, per question token) and its
pointwise information (against no passage) separate right first passages from wrong ones, by
the gate's verdict (a line, a card only, nothing).

    .venv/bin/python tools/experiments/lm_query_likelihood.py MODEL.gguf [--sets dev,h1,...]
        [--limit N] [--out scores.json]

About 27 minutes for the 2,091 questions of sets dev..h22 with SmolLM2-135M (Q4_1) on 2 cores.
Not part of the app; needs the GGUF file (the demo pack's, or any other).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tools" / "experiments"))

from question_sets import SETS  # noqa: E402

from copilot.knowledge import evaluate  # noqa: E402
from copilot.knowledge.loading import open_knowledge  # noqa: E402
from copilot.settings import Settings  # noqa: E402


def gather(sets: list[str], limit: int) -> tuple[list[dict], dict[str, dict]]:
    """Every question with the hybrid search's first three hits, and the passages' texts."""
    cases: list[dict] = []
    passages: dict[str, dict] = {}
    for name in sets:
        kb_dir, questions = SETS[name]
        kb = open_knowledge(Settings(), ROOT / kb_dir)
        try:
            report = evaluate.run(kb, evaluate.load_cases(ROOT / questions))
            for pid, p in kb.passages.items():
                passages[f"{name}/{pid}"] = {"title": p.title, "text": p.text}
        finally:
            kb.close()
        for r in report.results:
            cases.append({"set": name, "said": list(r.case.said), "expect": list(r.case.expect),
                          "hits": [{"id": h.passage.id, "rel": h.relevant, "cand": h.candidate,
                                    "dense": h.dense} for h in r.hits[:3]]})
    return cases[:limit], passages


def score(model: str, cases: list[dict], passages: dict[str, dict]) -> dict[int, dict[str, float]]:
    """{case index: {passage id or "": summed log-probability of the question}} ("" = no
    passage before it)."""
    from llama_cpp import Llama

    llm = Llama(model_path=model, n_ctx=768, n_batch=256, logits_all=True, n_threads=2,
                verbose=False)
    work: dict[str, list[int]] = {}
    for i, c in enumerate(cases):
        for h in c["hits"]:
            work.setdefault(f"{c['set']}/{h['id']}", []).append(i)
        work.setdefault(f"{c['set']}/", []).append(i)
    out: dict[int, dict[str, float]] = {}
    for key, idxs in work.items():
        p = passages.get(key)
        prefix = (f"Help-desk article: {p['title']}.\n{p['text']}\n\nA customer asked the agent:"
                  if p else "A customer asked the agent:")
        ptoks = llm.tokenize(prefix.encode(), add_bos=True)[:600]
        llm.reset()
        llm.eval(ptoks)
        n0 = len(ptoks)
        for i in idxs:
            qt = llm.tokenize((' "' + cases[i]["said"][-1].strip() + '"').encode(),
                              add_bos=False)[:120]
            llm.n_tokens = n0  # rewind to the passage: eval() drops the cache after it
            llm.eval(qt)
            rows = np.asarray(llm.scores[n0 - 1:n0 - 1 + len(qt)], dtype=np.float64)
            m = rows.max(axis=1, keepdims=True)
            logp = rows - m - np.log(np.exp(rows - m).sum(axis=1, keepdims=True))
            out.setdefault(i, {"_n": float(len(qt))})[key.split("/", 1)[1]] = float(
                logp[np.arange(len(qt)), qt].sum())
    return out


def auc(pos: list[float], neg: list[float]) -> float:
    if not pos or not neg:
        return float("nan")
    p, n = np.asarray(pos)[:, None], np.asarray(neg)[None, :]
    return float(((p > n).sum() + 0.5 * (p == n).sum()) / (p.size * n.size))


def report(cases: list[dict], lp: dict[int, dict[str, float]]) -> None:
    rows = []
    for i, c in enumerate(cases):
        s = lp.get(i)
        if s is None or len(c["hits"]) < 2:
            continue
        rows.append((c, [s[h["id"]] for h in c["hits"]], s["_n"], s[""]))
    ans = [r for r in rows if any(h["id"] in r[0]["expect"] for h in r[0]["hits"])]
    first = sum(r[0]["hits"][0]["id"] in r[0]["expect"] for r in ans)
    lm = sum(r[0]["hits"][int(np.argmax(r[1]))]["id"] in r[0]["expect"] for r in ans)
    print(f"answerable, right passage among the first three: {len(ans)}; first right: "
          f"shipped {first}, LM argmax {lm}")
    for w in (0.05, 0.1, 0.2, 0.4, 0.8):
        def blended(r: tuple, w: float = w) -> str:
            scores = [h["dense"] + w * x / r[2] for h, x in zip(r[0]["hits"], r[1], strict=True)]
            return r[0]["hits"][int(np.argmax(scores))]["id"]

        ok = sum(blended(r) in r[0]["expect"] for r in ans)
        print(f"  dense + {w} x LM per token: first right {ok}")

    def group(c: dict) -> str:
        h = c["hits"][0]
        right = "right" if h["id"] in c["expect"] else "wrong"
        return f"{'line' if h['rel'] else 'card' if h['cand'] else 'none'}-{right}"

    by: dict[str, list[tuple[float, float]]] = {}
    for c, x, n, none in rows:
        by.setdefault(group(c), []).append(((x[0] - max(x[1:])) / n, (x[0] - none) / n))
    print("  ".join(f"{k} {len(v)}" for k, v in sorted(by.items())))
    for j, name in ((0, "margin"), (1, "pointwise information")):
        for g in ("line", "card", "none"):
            a = auc([v[j] for v in by.get(f"{g}-right", [])],
                    [v[j] for v in by.get(f"{g}-wrong", [])])
            print(f"  {name}, first passage given {g}: right vs wrong, area under the curve "
                  f"{a:.3f}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("model")
    ap.add_argument("--sets", default=",".join(SETS))
    ap.add_argument("--limit", type=int, default=10 ** 9)
    ap.add_argument("--out", type=Path)
    a = ap.parse_args()
    cases, passages = gather(a.sets.split(","), a.limit)
    lp = score(a.model, cases, passages)
    if a.out:
        a.out.write_text(json.dumps({str(k): v for k, v in lp.items()}), encoding="utf-8")
    report(cases, lp)


if __name__ == "__main__":
    main()
