"""`copilot suggest`: suggested lines for a customer utterance, and their eval on a question set
(copilot/assist/suggest_eval.py)."""

from __future__ import annotations

import argparse
import contextlib
import json
from typing import Any

from copilot.assist.suggest import (
    Adapter,
    PassageSentenceAdapter,
    Suggestion,
    SuggestionResult,
    suggest,
)
from copilot.assist.suggest_eval import Report, load_cases, run_eval
from copilot.cli.common import (
    KB_HELP,
    MODE_HELP,
    load_settings,
    open_kb,
    open_llm_or_refuse,
    search_translator,
)
from copilot.cli.kb import hit_json, print_kinds, translator_note
from copilot.knowledge.base import MIN_EVIDENCE
from copilot.knowledge.parse import KnowledgeError
from copilot.settings import AssistSettings
from copilot.text.plural import plural

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
                   help="what the customer said; several = the call's customer turns, oldest "
                        "first: the earlier ones are the context of the last (a follow-up is "
                        "searched with the issue it follows)")
    p.add_argument("--eval", dest="eval_file", metavar="EVAL.jsonl",
                   help="evaluate on a question set (JSON lines: utterance, expect, "
                        "must_mention, must_not_mention, lang)")
    p.add_argument("--kb", default=None, metavar="DIR", help=KB_HELP)
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
    p.add_argument("--mode", choices=("hybrid", "dense", "keyword"), default="",
                   help=MODE_HELP)
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=cmd_suggest)


def cmd_suggest(args: argparse.Namespace) -> int:
    from copilot.errors import UserError  # lazy: cli imports this module

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
    return stack.enter_context(open_llm_or_refuse(load_settings()))


def _run_suggest(args: argparse.Namespace, cfg: AssistSettings, adapter: Adapter | None) -> int:
    from copilot.errors import UserError
    kb = open_kb(load_settings(), args.kb, lang=args.kb_lang, mode=args.mode,
                 min_evidence=args.min_evidence, say=not args.json)
    with kb:
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
    return load_settings().assist


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
            print(f"{key.replace('_', ' ')}: {plural(row['questions'], 'question')}, "
                  f"expected passage cited "
                  f"{_pct(row['cited'])}, must-mention facts present {_pct(row['must_mention'])} "
                  f"(of {row['must_mention_questions']})")
    un, shown = summary["unanswerable"], summary["suggestions"]
    print(f"unanswerable: {plural(un['questions'], 'question')}, "
          f"abstained {_pct(un['abstained'])}")
    print(f"lines shown: {shown['shown']} ({shown['adapted']} adapted, "
          f"{plural(shown['rejected_drafts'], 'draft')} rejected); with an invented policy fact: "
          f"{shown['with_violation']}; questions given a line from a wrong passage: "
          f"{shown['wrong_line']}")
    print_kinds(summary["by_kind"])
    for r in misses:
        print(f"  miss: line {r.case.line} [{report.lang_of(r)}] {r.case.utterance}")
        for v in r.violations:
            print(f"    violation: {v}")
        for s in r.result.suggestions:
            print(f"    [{', '.join(s.sources) or 'abstain'}] {s.text}")
