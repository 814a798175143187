"""Could a learned gate give more right lines than hybrid.py's hand rules at the same wrong
lines? A logistic model over the gate's own signals, plus how well the word pieces cover the
question, judged on each question set left out of its training (issue 12). Not part of the app:

    .venv/bin/python tools/experiments/learned_gate.py [--sets dev,h1,...] [--slack N]

Every single-turn question of the sets is replayed as `copilot kb eval` does; for each, the
passage the gate puts first (after the second reading) is kept with the signals the gate reads:
its dense score, its lead over every other passage and its distance from the dense first, the
same with the passages' text alone (without "Customers ask:" lines), keyword search agreeing
with it or finding another passage relevant (and its evidence), the word pieces' score for it
and its lead among the dense top three, the rules' verdicts; and, new, how much of the
question's rare word pieces it covers (the share of their weight matched below 0.55, the least
match of the rarest, the mean of the three rarest). Follow-ups are left out: their several
searches do not map onto one decision.

For each set in turn, the model is fitted on the other sets, and its threshold is the one with
the most right lines on them at no more wrong lines than the rules give there (`--slack` more
allowed); it then decides the left-out set's lines. A question whose line the rules after the
gate changed (a reported claim, a passage set aside) keeps its outcome.
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


def collect(names: list[str]) -> list[dict]:
    seen: list[dict] = []
    decide, second = hybrid.decide, hybrid.second_reading

    def spy_decide(dense, keyword_top, keyword_evidence, min_evidence, *, use_keywords=True,
                   text_only=None):
        d = decide(dense, keyword_top, keyword_evidence, min_evidence,
                   use_keywords=use_keywords, text_only=text_only)
        seen.append(dict(dense=np.asarray(dense).copy(), kt=keyword_top, ke=keyword_evidence,
                         me=min_evidence, text=None if text_only is None
                         else np.asarray(text_only).copy(), first=d))
        return d

    def spy_second(decision, dense, pieces):
        after = second(decision, dense, pieces)
        top = decision.order[:hybrid.PIECES_TOP]
        # the piece index and the query's pieces, from the closure base.py passes
        cells = dict(zip(pieces.__code__.co_freevars,
                         (c.cell_contents for c in pieces.__closure__), strict=True))
        index, query = cells["pieces"], cells["query"]
        t = after.order[0]
        weights = index.weight(query.ids) if query.ids.size else np.zeros(0)
        best = None
        if query.ids.size:
            matrix = index._passage(t)
            best = (query.vecs.astype(np.float32) @ matrix.T.astype(np.float32)).max(axis=1) \
                if matrix.size else np.zeros(len(weights))
        seen[-1].update(after=after, top3=top, read=np.asarray(pieces(top), dtype=np.float32),
                        weights=weights, best=best)
        return after

    hybrid.decide, hybrid.second_reading = spy_decide, spy_second
    rows = []
    try:
        for name in names:
            kb_dir, questions = SETS[name]
            kb = open_knowledge(Settings(), ROOT / kb_dir)
            try:
                ids = [p.id for p in kb._rows]
                for case in evaluate.load_cases(ROOT / questions):
                    seen.clear()
                    hits = Conversation.replay(kb, case.said, 3, lang=case.lang)
                    res = evaluate.EvalResult(case, tuple(hits))
                    if len(case.said) != 1 or len(seen) != 1 or "after" not in seen[0]:
                        continue
                    s = seen[0]
                    t = s["after"].order[0]
                    line = bool(hits and hits[0].relevant)
                    changed = (s["after"].verdict == hybrid.CONFIDENT) != line or \
                        (line and hits[0].passage.id != ids[t])
                    rows.append(dict(set=name, x=features(s), right_top=ids[t] in case.expect,
                                     found=res.found, wrong=res.wrong_line, line=line,
                                     changed=changed))
            finally:
                kb.close()
    finally:
        hybrid.decide, hybrid.second_reading = decide, second
    return rows


def features(s: dict) -> list[float]:
    after, d = s["after"], s["dense"]
    t = after.order[0]
    top3, read = list(s["top3"]), s["read"]
    if t in top3:
        i = top3.index(t)
        lead, piece = float(read[i] - np.delete(read, i).max()), float(read[i])
    else:
        lead, piece = -0.2, 0.0
    text = s["text"] if s["text"] is not None else d
    agree = float(s["kt"] == t and s["ke"] >= s["me"])
    elsewhere = float(s["kt"] not in (None, t) and s["ke"] >= s["me"])
    w, best = s["weights"], s["best"]
    if best is None or not len(w):
        cover = [0.0, 1.0, 1.0]
    else:
        rare = w >= 0.6 * w.max()
        cover = [float((w * (best < 0.55)).sum() / max(float(w.sum()), 1e-9)),
                 float(best[rare].min()), float(best[np.argsort(-w)[:3]].mean())]
    return [float(d[t]), float(d[t] - np.delete(d, t).max()), float(d[t] - d.max()), agree,
            elsewhere, min(s["ke"] / max(s["me"], 1e-6), 3.0), lead, piece, float(text[t]),
            float(text[t] - np.delete(text, t).max()),
            float(s["first"].verdict == hybrid.CONFIDENT),
            float(after.verdict == hybrid.CONFIDENT), *cover]


def fit(x: np.ndarray, y: np.ndarray, lam: float = 1e-2, steps: int = 3000):
    mu, sd = x.mean(0), x.std(0) + 1e-9

    def design(a: np.ndarray) -> np.ndarray:
        return np.hstack([(a - mu) / sd, np.ones((len(a), 1))])

    z, w = design(x), np.zeros(x.shape[1] + 1)
    for _ in range(steps):
        p = 1 / (1 + np.exp(-z @ w))
        w -= 0.5 * (z.T @ (p - y) / len(y) + lam * np.r_[w[:-1], 0.0])
    return lambda a: 1 / (1 + np.exp(-design(a) @ w))


def outcome(rows: list[dict], p: np.ndarray, threshold: float) -> tuple[int, int]:
    right = wrong = 0
    for r, q in zip(rows, p, strict=True):
        if r["changed"]:
            right, wrong = right + r["found"], wrong + r["wrong"]
        elif q >= threshold:
            right, wrong = right + r["right_top"], wrong + (not r["right_top"])
    return right, wrong


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sets", default=",".join(SETS))
    ap.add_argument("--slack", type=int, default=0, help="more wrong lines allowed in training")
    args = ap.parse_args()
    names = args.sets.split(",")
    rows = collect(names)
    total = np.zeros(4, dtype=int)
    for name in names:
        train = [r for r in rows if r["set"] != name]
        test = [r for r in rows if r["set"] == name]
        model = fit(np.array([r["x"] for r in train]),
                    np.array([r["right_top"] for r in train], dtype=float))
        p_train = model(np.array([r["x"] for r in train]))
        budget = sum(r["wrong"] for r in train) + args.slack
        threshold = max((t for t in np.arange(0.30, 0.99, 0.005)
                         if outcome(train, p_train, t)[1] <= budget),
                        key=lambda t: outcome(train, p_train, t)[0], default=0.99)
        learned = outcome(test, model(np.array([r["x"] for r in test])), threshold)
        rules = (sum(r["found"] for r in test), sum(r["wrong"] for r in test))
        total += [*rules, *learned]
        print(f"{name:4} threshold {threshold:.3f}  rules right/wrong {rules[0]:3}/{rules[1]:2}"
              f"  learned {learned[0]:3}/{learned[1]:2}")
    print(f"{len(rows)} single-turn questions: rules {total[0]} right / {total[1]} wrong lines; "
          f"learned gate {total[2]} / {total[3]}")


if __name__ == "__main__":
    main()
