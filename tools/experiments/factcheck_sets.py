"""Practice's fact-check over every answer set held in tests/data/practice (the development set
and the later sets, each 100 correct answers and 100 with an invention): correct answers passed
and inventions caught, in total, with each false alarm and each caught answer listed. Not part
of the app: the figures behind BENCHMARKS.md's comparisons across all sets (`python -m
copilot.practice.factcheck_eval` runs one set).

    .venv/bin/python tools/experiments/factcheck_sets.py [--last N] [--quiet]

Run it from inside a worktree to measure that worktree's code.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from copilot import paths  # noqa: E402
from copilot.knowledge.base import KnowledgeBase  # noqa: E402
from copilot.practice import factcheck_eval as fe  # noqa: E402

DATA = ROOT / "tests" / "data" / "practice"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--last", type=int, default=0,
                    help="the last later set to include (default: every set held)")
    ap.add_argument("--quiet", action="store_true", help="the totals only")
    args = ap.parse_args()
    later = sorted((int(p.stem.removeprefix("factcheck_heldout")), p)
                   for p in DATA.glob("factcheck_heldout*.jsonl"))
    files = [("all", DATA / "factcheck_answers.jsonl")] + [
        (f"heldout{n}", p) for n, p in later if not args.last or n <= args.last]
    passed = caught = good = bad = 0
    with KnowledgeBase.load(paths.sample_kb()) as kb:
        for split, path in files:
            for r in fe.run_eval(kb, fe.load_cases(path, split)).results:
                said = [w.text for w in r.report.wrong]
                if r.case.label == "good":
                    good += 1
                    passed += r.ok
                    if not r.ok and not args.quiet:
                        print("FA", split, r.case.id, "|", r.case.answer[:160], "|", said)
                else:
                    bad += 1
                    caught += r.flagged
                    if r.flagged and not args.quiet:
                        print("CAUGHT", split, r.case.id, "|", said)
    print(f"sets {len(files)}: correct answers passed {passed}/{good}, "
          f"inventions caught {caught}/{bad}")


if __name__ == "__main__":
    main()
