"""How the second reading's thresholds (copilot/knowledge/hybrid.py, PIECES_*) were chosen, and
what they give on sets they were not chosen on. Not part of the app:

    .venv/bin/python tools/experiments/second_reading_folds.py [--sets dev,h1,...,h11]

Every question of the sets is replayed as `copilot kb eval` does, with the second reading off;
for each, the gate's decision, its dense top three and their word-piece scores (PieceIndex, as
the app computes them) are kept. A rule "the pieces' pick among the top three leads the other
two by >= LEAD, its dense score is >= MIN and within SPREAD of the first" is then searched
(a grid) on eight sets and judged on the other four, three folds; each fold's rule is the one
with the most right lines at most BUDGET more wrong lines than without it on its eight sets.
Simulated: a question whose gate was unsure gets the pick's line (the claim, set-aside and
topic rules that run after the gate are not re-applied, so question_sets.py gives the exact
figures of the rule adopted).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tools" / "experiments"))

from question_sets import SETS  # noqa: E402

from copilot.knowledge import evaluate, hybrid  # noqa: E402
from copilot.knowledge.loading import open_knowledge  # noqa: E402
from copilot.knowledge.topic import Conversation  # noqa: E402
from copilot.settings import Settings  # noqa: E402

FOLDS = (("h2", "h5", "h8", "h11"), ("dev", "h3", "h6", "h9"), ("h1", "h4", "h7", "h10"))
GRID = [(m, lead, spread) for m in np.arange(0.40, 0.80, 0.02)
        for lead in np.arange(0.02, 0.20, 0.005) for spread in (0.0, 0.02, 0.04, 0.06)]


def collect(names: list[str]) -> list[dict]:
    seen: dict = {}
    hybrid.second_reading = lambda decision, dense, pieces: (  # type: ignore[assignment]
        seen.update(decision=decision, dense=np.asarray(dense), pieces=pieces) or decision)
    rows = []
    for name in names:
        kb_dir, questions = SETS[name]
        kb = open_knowledge(Settings(), ROOT / kb_dir)
        try:
            for case in evaluate.load_cases(ROOT / questions):
                seen.clear()
                hits = Conversation.replay(kb, case.said, 3, lang=case.lang)
                result = evaluate.EvalResult(case, tuple(hits))
                if not seen:
                    continue
                d, dense = seen["decision"], seen["dense"]
                top = d.order[:hybrid.PIECES_TOP]
                read = seen["pieces"](top)
                k = int(np.argmax(read))
                rows.append({"set": name, "line": bool(hits and hits[0].relevant),
                             "unsure": d.verdict != hybrid.CONFIDENT, "found": result.found,
                             "wrong": result.wrong_line, "pick_right": kb._rows[top[k]].id
                             in case.expect, "lead": float(read[k] - np.delete(read, k).max())
                             if len(top) > 1 else 0.0, "dense": float(dense[top[k]]),
                             "gap": float(dense[top[0]] - dense[top[k]])})
        finally:
            kb.close()
    return rows


def apply(rows: list[dict], rule: tuple[float, float, float]) -> tuple[int, int]:
    least, lead, spread = rule
    right = wrong = 0
    for r in rows:
        if r["line"] or not r["unsure"]:
            right, wrong = right + r["found"], wrong + r["wrong"]
        elif r["lead"] >= lead and r["dense"] >= least and r["gap"] <= spread:
            right, wrong = right + r["pick_right"], wrong + (not r["pick_right"])
    return right, wrong


def best(rows: list[dict], budget: int) -> tuple[float, float, float]:
    _, base_wrong = apply(rows, (9.0, 9.0, 0.0))
    ok = [(apply(rows, g), g) for g in GRID]
    return max(((r, -w), g) for (r, w), g in ok if w - base_wrong <= budget)[1]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--budget", type=int, default=4, help="more wrong lines allowed per fold's "
                    "eight training sets")
    args = ap.parse_args()
    names = [n for f in FOLDS for n in f]
    rows = collect(names)
    total = [0, 0, 0, 0]
    for fold in FOLDS:
        train = [r for r in rows if r["set"] not in fold]
        test = [r for r in rows if r["set"] in fold]
        rule = best(train, args.budget)
        before, after = apply(test, (9.0, 9.0, 0.0)), apply(test, rule)
        print(f"judged on {','.join(fold)}: rule min {rule[0]:.2f} lead {rule[1]:.3f} spread "
              f"{rule[2]:.2f}: right/wrong lines {before} -> {after}")
        total = [t + x for t, x in zip(total, (*before, *after), strict=True)]
    print(f"three folds: right lines {total[0]} -> {total[2]}, wrong lines {total[1]} -> "
          f"{total[3]}")
    shipped = (hybrid.PIECES_MIN, hybrid.PIECES_LEAD, hybrid.PIECES_SPREAD)
    print(f"all {len(rows)} questions, the shipped values {shipped}: "
          f"{apply(rows, (9.0, 9.0, 0.0))} -> {apply(rows, shipped)}")


if __name__ == "__main__":
    main()
