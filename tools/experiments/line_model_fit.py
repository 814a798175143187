"""Fit copilot/knowledge/line_model.py: the features of every decision of a question's last turn
over the development question sets, labelled by whether the passage put first answers, then a
logistic regression (L2, Newton's method), judged leaving one set out. Prints the constants to
paste into line_model.py. Not part of the app.

    .venv/bin/python tools/experiments/line_model_fit.py [--sets dev,h1,...] [--records R.json]

The decisions are recorded with the model switched off (the rules alone), as the app made them
before it; --records reuses a recording.
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

import question_sets  # noqa: E402

from copilot.knowledge import evaluate, hybrid, line_model  # noqa: E402
from copilot.knowledge.loading import open_knowledge  # noqa: E402
from copilot.knowledge.topic import Conversation  # noqa: E402
from copilot.settings import Settings  # noqa: E402

L2 = 1.0
# The direction each kind of evidence may push: more for the passage never lowers its chance,
# more for another never raises it. A feature the fit would weigh the other way is left out
# (weight 0) and the rest fit again: on these sets keyword evidence for the passage, beside its
# meaning and word-piece scores, came out negative (near misses are written in a neighbour's
# words), and "There's a double charge on my bill" then lost its line.
SIGNS = {"dense": 1, "dense_lead": 1, "text": 1, "text_lead": 1, "text_first": 1,
         "keywords_agree": 1, "keywords_elsewhere": -1, "keyword_first": 1,
         "evidence_elsewhere": -1, "pieces": 1, "pieces_lead": 1, "words": 1,
         "evidence_here": 1, "second": -1, "third": -1}


def record(sets: list[str]) -> list[dict]:
    records: list[dict] = []
    now: dict = {}

    def judge(decision, dense, ev):  # type: ignore[no-untyped-def]
        case = now["case"]
        if decision.order and now["turn"] == len(case.said) - 1:
            pid = now["kb"]._rows[decision.order[0]].id
            records.append({"set": now["set"], "kind": case.kind, "label": pid in case.expect,
                            "f": line_model.features(ev, decision.order[0]).tolist()})
        return decision

    search = Conversation.search

    def counted(self, turn, k=3):  # type: ignore[no-untyped-def]
        now["turn"] += 1
        return search(self, turn, k)

    hybrid.judge = judge
    Conversation.search = counted
    for name in sets:
        kb_dir, questions = question_sets.SETS[name]
        kb = open_knowledge(Settings(), ROOT / kb_dir)
        now.update(set=name, kb=kb)
        try:
            for case in evaluate.load_cases(ROOT / questions):
                now.update(case=case, turn=-1)
                Conversation.replay(kb, case.said, 3, lang=case.lang)
        finally:
            kb.close()
        print(f"{name}: {len(records)} decisions so far", flush=True)
    return records


def fit(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Weights (bias first) over every feature, those left out by SIGNS at 0."""
    kept = list(range(x.shape[1]))
    while True:
        w, mean, scale = _fit(x[:, kept], y)
        signs = [SIGNS.get(line_model.FEATURES[c], 0) * wi for c, wi in zip(kept, w[1:], strict=True)]
        if min(signs) >= 0:
            break
        kept.pop(int(np.argmin(signs)))  # the most contrary first, then fit again
    full = np.zeros(x.shape[1] + 1)
    full[0] = w[0]
    full[[c + 1 for c in kept]] = w[1:]
    mean_all, scale_all = x.mean(0), x.std(0) + 1e-9
    mean_all[kept], scale_all[kept] = mean, scale
    return full, mean_all, scale_all


def _fit(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    mean, scale = x.mean(0), x.std(0) + 1e-9
    z = np.hstack([np.ones((len(x), 1)), (x - mean) / scale])
    w = np.zeros(z.shape[1])
    ridge = L2 * np.diag(np.r_[0.0, np.ones(len(w) - 1)])
    for _ in range(50):
        p = 1 / (1 + np.exp(-z @ w))
        grad = z.T @ (p - y) + ridge @ w
        hess = (z * (p * (1 - p))[:, None]).T @ z + ridge
        w -= np.linalg.solve(hess, grad)
    return w, mean, scale


def predict(model: tuple[np.ndarray, np.ndarray, np.ndarray], x: np.ndarray) -> np.ndarray:
    w, mean, scale = model
    z = np.hstack([np.ones((len(x), 1)), (x - mean) / scale])
    return 1 / (1 + np.exp(-z @ w))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sets", default=",".join(question_sets.SETS))
    ap.add_argument("--records", type=Path, help="read (or, absent, write) the recording here")
    args = ap.parse_args()
    if args.records and args.records.exists():
        records = json.loads(args.records.read_text())
    else:
        records = record(args.sets.split(","))
        if args.records:
            args.records.write_text(json.dumps(records))
    x = np.array([r["f"] for r in records])
    y = np.array([r["label"] for r in records], dtype=float)
    sets = np.array([r["set"] for r in records])
    p = np.zeros(len(y))
    for s in np.unique(sets):  # each set judged by a model fit on the others
        p[sets == s] = predict(fit(x[sets != s], y[sets != s]), x[sets == s])
    print(f"{len(y)} decisions, {int(y.sum())} with the right passage first")
    for th in (0.70, 0.75, 0.80, 0.85, 0.90):
        g = p >= th
        print(f"left out, at {th:.2f}: right {int((g & (y == 1)).sum())}, "
              f"wrong {int((g & (y == 0)).sum())}")
    w, mean, scale = fit(x, y)
    print("MEAN =", tuple(round(float(v), 4) for v in mean))
    print("SCALE =", tuple(round(float(v), 4) for v in scale))
    print("WEIGHTS =", tuple(round(float(v), 3) for v in w[1:]))
    print("BIAS =", round(float(w[0]), 3))


if __name__ == "__main__":
    main()
