"""How high must a passage score to be shown as a candidate card? Right passages on a card
against wrong cards (and lines, which must not move), for each card level and spread, summed
over the retrieval question sets (issue 12). Not part of the app.

    .venv/bin/python tools/experiments/card_level.py --levels 0.45,0.5,0.55,0.6 --spreads 0.05,0.03
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

FIRST_FOUR = ("dev", "h1", "h2", "h3")  # the sets the level was first chosen on (stop 24)


def main() -> int:
    from copilot.knowledge import evaluate, hybrid
    from copilot.knowledge.loading import open_knowledge
    from copilot.settings import Settings

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--levels", default="0.45,0.5,0.55,0.6")
    ap.add_argument("--spreads", default="0.05,0.03")
    ap.add_argument("--sets", default=",".join(FIRST_FOUR),
                    help="question sets by question_sets.py's names (dev, h1, h2, ...)")
    a = ap.parse_args()
    sys.path.insert(0, str(ROOT / "tools" / "experiments"))
    from question_sets import SETS

    bases = [(open_knowledge(Settings(), ROOT / SETS[name][0]),
              evaluate.load_cases(ROOT / SETS[name][1])) for name in a.sets.split(",")]
    print("card level / spread   right passage on a card   wrong cards (alone: no right card)"
          "   right lines / wrong lines")
    for level in map(float, a.levels.split(",")):
        for spread in map(float, a.spreads.split(",")):
            hybrid.CANDIDATE_MIN, hybrid.CANDIDATE_SPREAD = level, spread
            card = wrong = alone = right = wrong_lines = 0
            for kb, cases in bases:
                report = evaluate.run(kb, cases)
                answerable = report.answerable()
                card += sum(r.card_has_answer for r in answerable)
                right += sum(r.found for r in answerable)
                wrong += sum(r.wrong_card for r in report.results)
                alone += sum(r.wrong_card and not r.card_has_answer for r in report.results)
                wrong_lines += sum(r.wrong_line for r in report.results)
            print(f"{level:.2f} / {spread:.2f}  {card:>20}  {wrong:>14} ({alone})  "
                  f"{right:>10} / {wrong_lines}", flush=True)
    for kb, _ in bases:
        kb.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
