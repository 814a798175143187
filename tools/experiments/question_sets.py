"""Hybrid retrieval over every question set held in tests/data, per set and per kind, with the
split-word joins (copilot/knowledge/rejoin.py) on or off. Not part of the app: the figures
behind BENCHMARKS.md's comparisons across sets (`copilot bench assist` prints one set at a time,
all three search modes).

    .venv/bin/python tools/experiments/question_sets.py [--no-rejoin] [--no-pieces]
        [--sets dev,h1,...,h8] [--encoder DIR]
        [--cases OUT.json]

"right" counts first lines that cite an expected passage, "wrongL" first lines from any other
passage, "abst" unanswerable questions left silent, "card" answerable questions with the right
passage on a card, "wrongC" questions with any card of a passage that does not answer.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from copilot.knowledge import evaluate, hybrid, rejoin  # noqa: E402
from copilot.knowledge.loading import open_knowledge  # noqa: E402
from copilot.settings import Settings  # noqa: E402

SETS = {"dev": ("resources/kb/northwind", "tests/data/eval/northwind_dev.jsonl"),
        **{f"h{i}": (f"tests/data/heldout{'' if i == 1 else i}/kb",
                     f"tests/data/heldout{'' if i == 1 else i}/questions.jsonl")
           for i in range(1, 27)}}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--no-rejoin", action="store_true", help="search what was said, unjoined")
    ap.add_argument("--no-pieces", action="store_true",
                    help="without the second reading by word pieces (hybrid.second_reading)")
    ap.add_argument("--sets", default=",".join(SETS))
    ap.add_argument("--cases", type=Path, help="write every case's outcome here (JSON)")
    ap.add_argument("--encoder", default="", help="another sentence encoder folder (a "
                    "CTranslate2 conversion, models/minilm.py) instead of the installed one")
    args = ap.parse_args()
    if args.no_rejoin:
        rejoin.Rejoiner.mend = lambda self, text: text  # type: ignore[method-assign]
    if args.no_pieces:
        hybrid.second_reading = lambda decision, dense, pieces: decision
    cases: list[dict] = []
    kinds: dict[str, list[int]] = {}
    for name in args.sets.split(","):
        kb_dir, questions = SETS[name]
        kb = open_knowledge(Settings(), ROOT / kb_dir, encoder_dir=args.encoder)
        try:
            report = evaluate.run(kb, evaluate.load_cases(ROOT / questions))
        finally:
            kb.close()
        rs = report.results
        ans = [r for r in rs if r.answerable]
        un = [r for r in rs if not r.answerable]
        print(f"{name:4} right {sum(r.found for r in ans):3}/{len(ans):3}  "
              f"wrongL {sum(r.wrong_line for r in rs):2}/{len(rs):3}  "
              f"abst {sum(r.abstained for r in un):2}/{len(un):2}  "
              f"card {sum(r.card_has_answer for r in ans):3}  "
              f"wrongC {sum(r.wrong_card for r in rs):3}")
        for r in rs:
            k = kinds.setdefault(r.case.group, [0, 0, 0, 0])
            k[0] += 1
            k[1] += r.found
            k[2] += r.wrong_line
            k[3] += r.abstained
            cases.append({"set": name, "kind": r.case.group, "said": list(r.case.said),
                          "expect": list(r.case.expect),
                          "first": r.first.passage.id if r.first else None,
                          "right": r.found, "wrong_line": r.wrong_line,
                          "wrong_card": r.wrong_card, "card": r.card_has_answer,
                          "line": bool(r.first and r.first.relevant),
                          "reason": r.first.reason if r.first else "",
                          "first_text": r.first.passage.full_text if r.first else ""})
    print("kind            n  right  wrongL  silent")
    for kind, (n, right, wrong, silent) in sorted(kinds.items()):
        print(f"{kind:13} {n:3}  {right:5}  {wrong:6}  {silent:6}")
    print(f"all {len(cases)}: right {sum(c['right'] for c in cases)}, "
          f"wrong lines {sum(c['wrong_line'] for c in cases)}, "
          f"wrong cards {sum(c['wrong_card'] for c in cases)}, "
          f"right on a card {sum(c['card'] for c in cases)}")
    if args.cases:
        args.cases.write_text(json.dumps(cases, indent=1))


if __name__ == "__main__":
    main()
