"""A learned probe of "the customer is leaving", tried for issue 16 (stop 52) and not adopted:
BENCHMARKS.md, "Live checklists: a learned probe of leaving beside the rules". Not part of the
app.

The rules of copilot/assist/checklist/leaving.py read the shapes of leaving earlier call sets
showed, and each blind set shows new ones. The call scripts hold hundreds of customer turns
labelled by their expectations (`applies` of retention-offer): a logistic regression over the
sentence encoder's vectors of each turn's sentences (Checklists.read, names stood in), with L2
penalty C, multiple-instance rounds (a positive turn's sentences first count as one positive,
then only the one the model scores highest), might read some of what no rule reads yet.

Judged as the rules are, at first sight: for each blind set heldout40..52, the probe trained on
the sets before it, beside the rules of leaving.py as they stood before the set was added (git
history), on the set's scripts. A call that leaves is found when a turn at or after the first
that says it fires; a call that does not leave is a false condition when any customer turn
fires. The caller's own "not leaving" (the rules' `staying`) vetoes the probe.

    .venv/bin/python tools/experiments/leaving_probe.py [--c 3] [--thresholds 0,0.5,1]
        (about a minute; run from a clone with its git history)
"""

from __future__ import annotations

import argparse
import importlib.util
import re
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from copilot import paths, resolver  # noqa: E402
from copilot.assist.checklist.format import load_checklists  # noqa: E402
from copilot.assist.checklist.tracker import Checklists  # noqa: E402
from copilot.assist.checklist.wording import normalise  # noqa: E402
from copilot.bench.checklist_bench import load_calls  # noqa: E402
from copilot.knowledge.encoder import SentenceEncoder  # noqa: E402
from copilot.settings import Settings  # noqa: E402
from copilot.text.sentences import sentences  # noqa: E402

CALLS = ROOT / "tests" / "data" / "calls" / "checklist"
ITEM = "retention-offer"
FIRST, LAST = 40, 52


def set_number(name: str) -> int:
    m = re.match(r"heldout(\d*)$", name)
    return (int(m.group(1)) if m.group(1) else 1) if m else 0


def turns(read) -> list[dict]:
    """Every customer turn: set, call, turn number, text, label (1, 0, None: unknown), and the
    vectors of its sentences."""
    out = []
    for folder in sorted(p for p in CALLS.iterdir() if p.is_dir()):
        for call in load_calls(folder):
            says = set(call.expect.get("applies", {}).get(ITEM, []))
            first = min(says) if says else None
            for n, turn in enumerate(call.turns, 1):
                if turn["speaker"] != "customer":
                    continue
                label = 1 if n in says else (None if first is not None and n > first else 0)
                said = read(turn["text"])
                whole = {s.strip(" ,;:") for s in sentences(normalise(turn["text"]))}
                rows = [i for i, u in enumerate(said.units) if u in whole] or \
                    list(range(len(said.units)))
                out.append(dict(set=folder.name, call=call.name, turn=n, text=turn["text"],
                                label=label, vecs=np.asarray(said.vectors)[rows]))
    return out


def fit(x, y, w, c: float) -> np.ndarray:
    n, d = x.shape
    xb = np.hstack([x.astype(np.float64), np.ones((n, 1))])
    beta = np.zeros(d + 1)
    penalty = np.eye(d + 1) / c
    penalty[-1, -1] = 0.0
    for _ in range(30):
        p = 1.0 / (1.0 + np.exp(-(xb @ beta)))
        step = np.linalg.solve((xb * (w * p * (1 - p))[:, None]).T @ xb + penalty,
                               xb.T @ (w * (p - y)) + penalty @ beta)
        beta -= step
        if np.abs(step).max() < 1e-7:
            break
    return beta


def train(rows: list[dict], c: float, rounds: int = 2) -> np.ndarray:
    beta = None
    for _ in range(rounds + 1):
        xs, ys, ws = [], [], []
        for r in rows:
            v = r["vecs"]
            if r["label"] == 0:
                xs.append(v)
                ys += [0.0] * len(v)
                ws += [1.0] * len(v)
            elif r["label"] == 1 and beta is None:
                xs.append(v)
                ys += [1.0] * len(v)
                ws += [1.0 / len(v)] * len(v)
            elif r["label"] == 1:
                best = int(np.argmax(v @ beta[:-1] + beta[-1]))
                xs.append(v[best:best + 1])
                ys.append(1.0)
                ws.append(1.0)
        beta = fit(np.vstack(xs), np.asarray(ys), np.asarray(ws), c)
    return beta


def rules_before(k: int, tmp: Path):
    """leaving.py as it stood before heldout{k} was added."""
    added = subprocess.run(["git", "log", "--diff-filter=A", "--format=%h", "--",
                            f"tests/data/calls/checklist/heldout{k}"], cwd=ROOT,
                           capture_output=True, text=True, check=True).stdout.split()[-1]
    src = subprocess.run(["git", "show", f"{added}^:copilot/assist/checklist/leaving.py"],
                         cwd=ROOT, capture_output=True, text=True, check=True).stdout
    path = tmp / f"leaving_{k}.py"
    path.write_text(src, encoding="utf-8")
    spec = importlib.util.spec_from_file_location(f"leaving_{k}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.leaving, getattr(module, "staying", lambda text: False)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--c", type=float, default=3.0)
    ap.add_argument("--thresholds", default="0,0.5,1")
    args = ap.parse_args()
    thresholds = [float(t) for t in args.thresholds.split(",")]
    encoder = SentenceEncoder(resolver.sentence_encoder(Settings()).path)
    rows = turns(Checklists(load_checklists(paths.sample_checklists()), encoder).read)
    tally: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])  # found, leavers, false
    with tempfile.TemporaryDirectory() as tmp:
        for k in range(FIRST, LAST + 1):
            leaving, staying = rules_before(k, Path(tmp))
            beta = train([r for r in rows if set_number(r["set"]) < k], args.c)
            calls: dict[str, list[dict]] = defaultdict(list)
            for r in rows:
                if r["set"] == f"heldout{k}":
                    calls[r["call"]].append(r)
            for call in calls.values():
                said = [t["turn"] for t in call if t["label"] == 1]
                first = min(said) if said else None
                rule = {t["turn"]: leaving(t["text"]) is not None and not staying(t["text"])
                        for t in call}
                score = {t["turn"]: float(np.max(t["vecs"] @ beta[:-1] + beta[-1]))
                         if not staying(t["text"]) else -np.inf for t in call}
                fires = {"rules": rule}
                for th in thresholds:
                    fires[f"probe > {th}"] = {n: s > th for n, s in score.items()}
                    fires[f"rules or probe > {th}"] = {n: rule[n] or score[n] > th
                                                       for n in rule}
                for name, fired in fires.items():
                    if first is not None:
                        tally[name][0] += any(fired[n] for n in fired if n >= first)
                        tally[name][1] += 1
                    else:
                        tally[name][2] += any(fired.values())
    encoder.close()
    print(f"sets heldout{FIRST}-{LAST}, each at first sight; C={args.c}")
    for name, (found, leavers, false) in tally.items():
        print(f"  {name:22} leavers found {found}/{leavers}   false conditions {false}")


if __name__ == "__main__":
    main()
