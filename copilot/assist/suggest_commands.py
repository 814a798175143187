"""`copilot suggest`: suggested lines for a customer utterance, and their eval on a question set.

The eval reads the knowledge eval's JSON lines, with two optional fields for the wording:
`must_mention` (text an answer has to contain) and `must_not_mention` (text that would be an
invented policy). Its grounding check is independent of the verifier on purpose, so that a bug
in the verifier cannot hide itself: every number in a suggestion, digits or words, must appear
in a cited passage, and no `must_not_mention` text may appear at all.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import re
import sys
from dataclasses import dataclass, field
from typing import Any

from copilot.assist import kb_eval
from copilot.assist.kb_commands import hit_json, search_translator, translator_note
from copilot.assist.kb_eval import EvalCase
from copilot.assist.kb_parse import KnowledgeError
from copilot.assist.kb_query import digits_for_number_words
from copilot.assist.knowledge import MIN_EVIDENCE, KnowledgeBase
from copilot.assist.suggest import (
    Adapter,
    PassageSentenceAdapter,
    Suggestion,
    SuggestionResult,
    suggest,
)
from copilot.settings import AssistSettings

ADAPTERS = ("passage", "none", "llm")


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "suggest", help="suggested lines for what the customer said (grounded or silent)",
        description="Suggests one or two lines the agent could say, each starting from an "
                    "approved line of the knowledge base and citing its passage, or abstains "
                    "when no passage is relevant enough. Every line is checked by the verifier: "
                    "numbers, amounts, durations, percentages, names and policy terms must be in "
                    "the cited passage. With --eval, measures this on a question set instead.")
    p.add_argument("utterance", nargs="*", metavar="UTTERANCE",
                   help="what the customer said; several = the latest captions, oldest first")
    p.add_argument("--eval", dest="eval_file", metavar="EVAL.jsonl",
                   help="evaluate on a question set (JSON lines: utterance, expect, "
                        "must_mention, must_not_mention, lang)")
    p.add_argument("--kb", required=True, metavar="DIR", help="the knowledge folder")
    p.add_argument("--kb-lang", default="en", metavar="XX",
                   help="the language the knowledge base is written in (default: en)")
    p.add_argument("--lang", default=None, metavar="XX",
                   help="the utterance's language (default: the knowledge base's)")
    p.add_argument("--min-evidence", type=float, default=MIN_EVIDENCE, metavar="X",
                   help=f"relevance floor for grounding a line (default: {MIN_EVIDENCE})")
    p.add_argument("--adapter", choices=ADAPTERS, default="passage",
                   help="how the approved line is adapted: 'passage' adds the passage's "
                        "sentence about a plan or place the customer named; 'none' shows "
                        "approved lines only; 'llm' lets the local LLM reword the line, "
                        "kept only when the verifier passes it (default: passage)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=cmd_suggest)


def cmd_suggest(args: argparse.Namespace) -> int:
    from copilot.cli import UserError  # lazy: cli imports this module

    if bool(args.utterance) == bool(args.eval_file):
        raise UserError("give either an UTTERANCE or --eval EVAL.jsonl")
    cfg = _settings()
    with contextlib.ExitStack() as stack:
        adapter = _adapter(args.adapter, stack)
        return _run_suggest(args, cfg, adapter)


def _adapter(name: str, stack: contextlib.ExitStack) -> Adapter | None:
    if name == "passage":
        return PassageSentenceAdapter()
    if name != "llm":
        return None
    from copilot.assist.suggest_llm import LlmLineAdapter

    return LlmLineAdapter(open_llm(stack))


def open_llm(stack: contextlib.ExitStack) -> Any:
    """The settings' LLM, loaded (closed with `stack`); a UserError when it cannot load."""
    from copilot import paths
    from copilot.cli import UserError
    from copilot.llm import LlmEngine, ModelLoadError
    from copilot.settings import Settings

    try:
        settings = Settings.load(paths.settings_path()).llm
    except ValueError as e:
        raise UserError(str(e)) from e
    engine = stack.enter_context(LlmEngine.from_settings(settings))
    try:
        engine.wait_ready(120)
    except ModelLoadError as e:
        raise UserError(f"the LLM could not be loaded: {e}") from e
    return engine


def _run_suggest(args: argparse.Namespace, cfg: AssistSettings, adapter: Adapter | None) -> int:
    from copilot.cli import UserError
    try:
        kb = KnowledgeBase.load(args.kb, args.kb_lang, min_evidence=args.min_evidence)
    except KnowledgeError as e:
        raise UserError(str(e)) from e
    with kb:
        for w in kb.warnings:
            print(f"copilot: warning: {w}", file=sys.stderr)
        if args.eval_file:
            try:
                report = run_eval(kb, load_cases(args.eval_file), adapter, cfg,
                                  search_translator())
            except KnowledgeError as e:
                raise UserError(str(e)) from e
            _print_eval(report, args.json)
            return 0
        lang = args.lang or kb.lang
        translator = search_translator() if lang != kb.lang else None
        if translator is not None:
            translator_note(translator, [lang], kb.lang)
        result = suggest(args.utterance, kb, adapter=adapter, settings=cfg, lang=lang,
                         translator=translator)
        if args.json:
            print(json.dumps(result_json(result), ensure_ascii=False))
        else:
            _print_result(result)
    return 0


def _settings() -> AssistSettings:
    from copilot import paths
    from copilot.cli import UserError
    from copilot.settings import Settings

    try:
        return Settings.load(paths.settings_path()).assist
    except ValueError as e:
        raise UserError(str(e)) from e


def suggestion_json(s: Suggestion) -> dict[str, Any]:
    return {"text": s.text, "sources": list(s.sources), "grounded": s.grounded,
            "verified": s.verified, "origin": s.origin, "abstained": s.abstained,
            "facts": [{"kind": f.kind, "text": f.text, "supported": f.supported}
                      for f in s.facts],
            "rejected_drafts": [{"draft": d.draft, "reason": d.reason,
                                 "unsupported": [f.text for f in d.unsupported]}
                                for d in s.rejected_drafts]}


def result_json(r: SuggestionResult) -> dict[str, Any]:
    return {"utterances": list(r.utterances), "abstained": r.abstained,
            "suggestions": [suggestion_json(s) for s in r.suggestions],
            "passages": [hit_json(h) for h in r.hits]}


def _print_result(r: SuggestionResult) -> None:
    if r.abstained:
        print("No passage is relevant enough: the copilot abstains.")
        print(f"  {r.suggestions[0].text}")
        return
    for n, s in enumerate(r.suggestions, start=1):
        check = "verified" if s.verified else "NOT VERIFIED"
        origin = "approved line" if s.origin == "approved_line" else "adapted approved line"
        print(f"{n}. [{', '.join(s.sources)}] {check} ({origin})")
        print(f"   {s.text}")
        for d in s.rejected_drafts:
            what = ", ".join(f.text for f in d.unsupported)
            print(f"   rejected draft ({d.reason}{': ' + what if what else ''}): {d.draft}")


# -- eval ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class CaseResult:
    case: EvalCase
    result: SuggestionResult
    violations: tuple[str, ...]  # invented policy: the bar is zero

    @property
    def cited(self) -> bool:
        return bool(set(self.result.sources) & set(self.case.expect))

    @property
    def mentions(self) -> bool:
        said = " ".join(s.text for s in self.result.suggestions).casefold()
        return all(m.casefold() in said for m in self.case.must_mention)

    @property
    def ok(self) -> bool:
        if self.violations:
            return False
        if not self.case.expect:
            return self.result.abstained
        return self.cited and self.mentions


@dataclass
class Report:
    results: list[CaseResult] = field(default_factory=list)
    default_lang: str = "en"

    def lang_of(self, r: CaseResult) -> str:
        return r.case.lang or self.default_lang

    def answerable(self, lang: str | None = None) -> list[CaseResult]:
        return [r for r in self.results
                if r.case.expect and (lang is None or self.lang_of(r) == lang)]

    def summary(self) -> dict[str, Any]:
        def frac(rs: list[CaseResult], ok: Any) -> float | None:
            return round(sum(map(ok, rs)) / len(rs), 4) if rs else None

        out: dict[str, Any] = {}
        langs = sorted({self.lang_of(r) for r in self.answerable()},
                       key=lambda x: (x != self.default_lang, x))
        for lang in [None, *langs]:
            rs = self.answerable(lang)
            named = [r for r in rs if r.case.must_mention]
            out["answerable" if lang is None else f"answerable_{lang}"] = {
                "questions": len(rs), "cited": frac(rs, lambda r: r.cited),
                "must_mention_questions": len(named),
                "must_mention": frac(named, lambda r: r.mentions)}
        un = [r for r in self.results if not r.case.expect]
        out["unanswerable"] = {"questions": len(un),
                               "abstained": frac(un, lambda r: r.result.abstained)}
        shown = [s for r in self.results for s in r.result.suggestions if not s.abstained]
        out["suggestions"] = {"shown": len(shown),
                              "adapted": sum(s.origin == "adapted" for s in shown),
                              "rejected_drafts": sum(len(s.rejected_drafts) for s in shown),
                              "with_violation": sum(len(r.violations) for r in self.results)}
        return out


load_cases = kb_eval.load_cases  # one reader for the eval file format


def run_eval(kb: KnowledgeBase, cases: list[EvalCase], adapter: Adapter | None = None,
             settings: AssistSettings | None = None, translator: Any = None) -> Report:
    unknown = sorted({i for c in cases for i in c.expect if i not in kb.passages})
    if unknown:
        raise KnowledgeError(f"the eval expects passages the knowledge base does not have: "
                             f"{', '.join(unknown)}")
    report = Report(default_lang=kb.lang)
    for c in cases:
        result = suggest(c.utterance, kb, adapter=adapter, settings=settings, lang=c.lang,
                         translator=translator)
        bad = [v for s in result.suggestions for v in violations(s, kb, c.must_not_mention)]
        report.results.append(CaseResult(c, result, tuple(bad)))
    return report


_DIGITS = re.compile(r"\d+(?:[.,]\d+)*")


def violations(s: Suggestion, kb: KnowledgeBase, must_not: tuple[str, ...] = ()) -> list[str]:
    """What in a shown line would be an invented policy, checked without the verifier."""
    out = [f"says {m!r}" for m in must_not if m.casefold() in s.text.casefold()]
    cited = " ".join(kb.passages[i].full_text for i in s.sources if i in kb.passages)
    known = set(_DIGITS.findall(digits_for_number_words(cited)))
    out += [f"number {n} is in no cited passage"
            for n in _DIGITS.findall(digits_for_number_words(s.text)) if n not in known]
    if not s.abstained and (not s.sources or not s.verified):
        out.append("not verified against a cited passage")
    return out


def _pct(x: float | None) -> str:
    return "-" if x is None else f"{100 * x:.1f}%"


def _print_eval(report: Report, as_json: bool) -> None:
    summary = report.summary()
    misses = [r for r in report.results if not r.ok]
    if as_json:
        print(json.dumps({"summary": summary, "misses": [
            {"line": r.case.line, "utterance": r.case.utterance, "lang": report.lang_of(r),
             "expect": list(r.case.expect), "violations": list(r.violations),
             "suggestions": [suggestion_json(s) for s in r.result.suggestions]}
            for r in misses]}, ensure_ascii=False))
        return
    for key, row in summary.items():
        if key.startswith("answerable"):
            print(f"{key.replace('_', ' ')}: {row['questions']} questions, expected passage cited "
                  f"{_pct(row['cited'])}, must-mention facts present {_pct(row['must_mention'])} "
                  f"(of {row['must_mention_questions']})")
    un, shown = summary["unanswerable"], summary["suggestions"]
    print(f"unanswerable: {un['questions']} questions, abstained {_pct(un['abstained'])}")
    print(f"lines shown: {shown['shown']} ({shown['adapted']} adapted, "
          f"{shown['rejected_drafts']} drafts rejected); with an invented policy fact: "
          f"{shown['with_violation']}")
    for r in misses:
        print(f"  miss: line {r.case.line} [{report.lang_of(r)}] {r.case.utterance}")
        for v in r.violations:
            print(f"    violation: {v}")
        for s in r.result.suggestions:
            print(f"    [{', '.join(s.sources) or 'abstain'}] {s.text}")
