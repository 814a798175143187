"""How far can a trainee trust "never promises what no passage supports"? Practice's fact-check
run on labelled answers (tests/data/practice/factcheck_answers.jsonl):

- a *good* answer states only what the scenario's passages, the caller's details or the
  caller's own words support (facts phrased variously, numbers in words or digits, echoes,
  empathy, time phrases that promise nothing). Flagging one is a false alarm: the trainee is
  told a correct answer broke the rule;
- a *bad* answer invents a policy fact (an amount, a duration, a fee, a credit, a waiver, a
  wrong number). Passing one is a miss: the scorecard says "clear" on a promise the company
  never made. It is *caught for the right reason* when a flagged fact is one of its `invented`
  words, not some other word that happened to be flagged.

"Flagged" is what the session's unsupported_promise rule reads: at least one wrong fact. Each
answer is checked as the session checks it: the scenario's FactChecker (session.fact_checker),
the answer's language as the session reads it, and the customer's lines heard so far.

The set has a development part (tune on it) and a held-out part (checked once, at the end):
`split` in each line. Run:

    .venv/bin/python -m copilot.practice.factcheck_eval [--split dev|heldout|all] [--show]
    .venv/bin/python -m copilot.practice.factcheck_eval \
        --set tests/data/practice/factcheck_heldout2.jsonl --split heldout2

Later sets, each written by someone who had not seen the checker nor the earlier answers, are
files of their own with their own split name (factcheck_heldout2.jsonl, ...): each was run once
blind, its figures recorded in BENCHMARKS.md, and is development material since, unless its
README says it is still held out.
"""

from __future__ import annotations

import argparse
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from copilot.knowledge.query import fold

__all__ = ["AnswerCase", "AnswerResult", "EvalReport", "DEFAULT_SET", "load_cases", "run_eval"]

DEFAULT_SET = Path(__file__).resolve().parents[2] / "tests" / "data" / "practice" / \
    "factcheck_answers.jsonl"


@dataclass(frozen=True)
class AnswerCase:
    id: str
    scenario: str
    split: str  # dev | heldout | heldout2 (another file, written later) ...
    label: str  # good | bad
    answer: str
    heard: tuple[str, ...]  # the customer's lines before this answer, the last one answered
    invented: tuple[str, ...] = ()  # (bad) the words that invent a policy fact


@dataclass(frozen=True)
class AnswerResult:
    case: AnswerCase
    lang: str
    report: Any  # copilot.practice.factcheck.FactReport

    @property
    def flagged(self) -> bool:
        return bool(self.report.wrong)

    @property
    def right_reason(self) -> bool:
        """(bad answers) a flagged fact is one of the invented words."""
        from copilot.practice.answer_text import _english_values

        def tokens(text: str) -> set[str]:
            return {t for t in re.findall(r"\d+(?:\.\d+)?|[^\W\d_]{3,}", fold(
                _english_values(text)).replace("\u2019", "'"))}

        wanted = set().union(*(tokens(i) for i in self.case.invented)) if self.case.invented \
            else set()
        wanted |= {str(float(t)).rstrip("0").rstrip(".") for t in wanted if t[0].isdigit()}
        return any(tokens(f.text) & wanted for f in self.report.wrong)

    @property
    def ok(self) -> bool:
        return not self.flagged if self.case.label == "good" else self.flagged

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.case.id, "label": self.case.label, "flagged": self.flagged,
                "ok": self.ok, "answer": self.case.answer,
                "wrong": [f.text for f in self.report.wrong],
                **({"right_reason": self.right_reason} if self.case.label == "bad" else {})}


@dataclass(frozen=True)
class EvalReport:
    results: tuple[AnswerResult, ...]

    def _of(self, label: str) -> list[AnswerResult]:
        return [r for r in self.results if r.case.label == label]

    @property
    def false_alarms(self) -> list[AnswerResult]:
        """Good answers flagged."""
        return [r for r in self._of("good") if r.flagged]

    @property
    def missed(self) -> list[AnswerResult]:
        """Bad answers not flagged."""
        return [r for r in self._of("bad") if not r.flagged]

    @property
    def wrong_reason(self) -> list[AnswerResult]:
        """Bad answers flagged, but not for an invented word."""
        return [r for r in self._of("bad") if r.flagged and not r.right_reason]

    def figures(self) -> dict[str, Any]:
        good, bad = self._of("good"), self._of("bad")
        tp = sum(r.flagged for r in bad)
        fp = len(self.false_alarms)
        return {"answers": len(self.results), "good": len(good), "bad": len(bad),
                "flagged_bad": tp, "flagged_good": fp,
                "precision": round(tp / (tp + fp), 3) if tp + fp else None,
                "recall": round(tp / len(bad), 3) if bad else None,
                "right_reason": sum(r.flagged and r.right_reason for r in bad),
                "good_passed": len(good) - fp}

    def by_scenario(self) -> dict[str, dict[str, Any]]:
        names = dict.fromkeys(r.case.scenario for r in self.results)
        return {n: EvalReport(tuple(r for r in self.results if r.case.scenario == n)).figures()
                for n in names}

    def to_dict(self) -> dict[str, Any]:
        return {**self.figures(), "by_scenario": self.by_scenario(),
                "false_alarms": [r.to_dict() for r in self.false_alarms],
                "missed": [r.to_dict() for r in self.missed],
                "wrong_reason": [r.to_dict() for r in self.wrong_reason]}


def _strings(v: str | list[str] | tuple[str, ...] | None) -> tuple[str, ...]:
    """A list of texts, or one text alone: a set written with `"invented": "in writing"` means
    that one phrase, not its letters (read letter by letter, no flagged word ever matched)."""
    return (v,) if isinstance(v, str) else tuple(v or ())  # null: none


def load_cases(path: str | Path = DEFAULT_SET, split: str | None = None) -> list[AnswerCase]:
    """The labelled answers of `path` (JSON lines), of one split or all (None / "all")."""
    out = []
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        d = json.loads(line)
        case = AnswerCase(d["id"], d["scenario"], d["split"], d["label"], d["answer"],
                          _strings(d.get("heard", ())), _strings(d.get("invented", ())))
        if case.label not in ("good", "bad") or not case.split:
            raise ValueError(f"{path}:{n}: label must be good|bad, and a split is needed")
        if split in (None, "all") or case.split == split:
            out.append(case)
    return out


def run_eval(kb: Any, cases: Iterable[AnswerCase], translator: Any = None) -> EvalReport:
    """Check each answer as a practice session would, against `kb`."""
    from copilot.practice.scenario import find_scenario
    from copilot.practice.session import answer_language, fact_checker

    checkers: dict[str, Any] = {}
    scenarios: dict[str, Any] = {}
    results = []
    for case in cases:
        if case.scenario not in checkers:
            scenarios[case.scenario] = s = find_scenario(case.scenario)
            checkers[case.scenario] = fact_checker(s, kb, translator=translator)
        lang = answer_language(case.answer, kb, scenarios[case.scenario])
        report = checkers[case.scenario].check(case.answer, lang, heard=case.heard)
        results.append(AnswerResult(case, lang, report))
    return EvalReport(tuple(results))


def _print(report: EvalReport, split: str, show: bool) -> None:
    f = report.figures()
    print(f"split: {split}; {f['answers']} answers ({f['good']} good, {f['bad']} bad)")
    print(f"{'scenario':<18} {'good ok':>8} {'bad flagged':>12} {'right reason':>13} "
          f"{'precision':>10} {'recall':>7}")
    for name, g in [*report.by_scenario().items(), ("all", f)]:
        print(f"{name:<18} {g['good_passed']:>4}/{g['good']:<3} {g['flagged_bad']:>7}/"
              f"{g['bad']:<4} {g['right_reason']:>8}/{g['bad']:<4} "
              f"{'-' if g['precision'] is None else format(g['precision'], '.3f'):>10} "
              f"{'-' if g['recall'] is None else format(g['recall'], '.3f'):>7}")
    for title, rows in (("correct answers flagged", report.false_alarms),
                        ("invented facts not caught", report.missed),
                        ("flagged, but not for the invented words", report.wrong_reason)):
        print(f"{title}: {len(rows)}")
        for r in rows:
            wrong = ", ".join(f'"{w.text}"' for w in r.report.wrong) or "-"
            print(f"  {r.case.id}: {r.case.answer}  [wrong: {wrong}]")
    if show:
        for r in report.results:
            print(f"  {'ok ' if r.ok else 'BAD'} {r.case.id}: "
                  + "; ".join(f"{x.text}={x.status}" for x in r.report.facts))


def main(argv: Sequence[str] | None = None) -> int:
    from copilot import paths
    from copilot.knowledge.base import KnowledgeBase

    ap = argparse.ArgumentParser(prog="python -m copilot.practice.factcheck_eval",
                                 description=__doc__.split("\n\n")[0])
    ap.add_argument("--set", default=str(DEFAULT_SET), help="labelled answers (JSON lines)")
    ap.add_argument("--split", default="dev",
                    help="dev, heldout, heldout2, heldout3 (the file's `split`) or all")
    ap.add_argument("--kb", default=None, help="knowledge base folder (default: the sample)")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--show", action="store_true", help="every answer's facts")
    args = ap.parse_args(argv)
    with KnowledgeBase.load(args.kb or paths.sample_kb()) as kb:
        report = run_eval(kb, load_cases(args.set, args.split))
    if args.json:
        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        _print(report, args.split, args.show)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
