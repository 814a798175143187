"""`copilot kb ask | eval | check`: search the knowledge base, measure how well it finds
passages, and lint a knowledge folder before it goes into a pack.

A question in another language than the base's is searched through a translation model for the
pair when one is installed (settings assist.mt_dir, or the active pack's), else through the
service glossary's English keywords (copilot/assist/translate/glossary.py); the command says which.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from copilot.cli.common import KB_HELP, MODE_HELP, load_settings, open_kb, search_translator
from copilot.knowledge.base import MIN_EVIDENCE, Hit, KnowledgeBase, KnowledgeError
from copilot.text.plural import plural


def register(subparsers: argparse._SubParsersAction) -> None:
    kb = subparsers.add_parser(
        "kb", help="search the knowledge base and evaluate retrieval",
        description="The knowledge base is a folder of Markdown files; each `## [ID] Title` "
                    "section is one passage, and an `Approved line:` in it is wording the agent "
                    "may say verbatim.")
    sub = kb.add_subparsers(dest="kb_command", required=True, metavar="COMMAND")

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("--kb", default=None, metavar="DIR", help=KB_HELP)
        p.add_argument("--kb-lang", default="en", metavar="XX",
                       help="the language the knowledge base is written in (default: en)")
        p.add_argument("-k", type=int, default=3, metavar="N",
                       help="how many passages to show per question (default: 3)")
        p.add_argument("--min-evidence", type=float, default=MIN_EVIDENCE, metavar="X",
                       help="relevance floor: the evidence a passage needs to ground a "
                            f"suggestion (default: {MIN_EVIDENCE})")
        p.add_argument("--mode", choices=("hybrid", "dense", "keyword"), default="",
                       help=MODE_HELP)
        p.add_argument("--json", action="store_true", help="print one JSON object")

    p = sub.add_parser("ask", help="the passages that best answer a question",
                       description="Prints the best passages with their IDs, titles, scores "
                                   "(by meaning and by keywords, as --mode chooses) and whether "
                                   "each is relevant enough to ground a suggestion (otherwise "
                                   "the copilot abstains).")
    p.add_argument("question", metavar="QUESTION")
    p.add_argument("--lang", default=None, metavar="XX",
                   help="the question's language (default: the knowledge base's)")
    common(p)
    p.set_defaults(func=cmd_ask)

    p = sub.add_parser("eval", help="retrieval accuracy on an eval file",
                       description="For each line of EVAL.jsonl ({\"utterance\", \"expect\": "
                                   "[IDs], \"lang\"}): for answerable questions, whether an "
                                   "expected passage ranks first (and is judged relevant); for "
                                   "`expect: []`, whether the copilot abstains. Prints each miss.")
    p.add_argument("eval_file", metavar="EVAL.jsonl")
    common(p)
    p.set_defaults(func=cmd_eval)

    p = sub.add_parser("check", help="lint a knowledge folder (pack build runs it too)",
                       description="Errors: headings that look like passages but do not parse "
                                   "(`## BW-02 Title` without brackets), duplicate IDs, approved "
                                   "lines stating numbers their passage does not, unreadable "
                                   "files. Warnings: passages without an approved line or text, "
                                   "near-duplicate passages. Exits 1 when there are errors.")
    p.add_argument("folder", metavar="DIR", help="the knowledge folder (Markdown files)")
    p.add_argument("--kb-lang", default="en", metavar="XX",
                   help="the language the knowledge base is written in (default: en)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=cmd_check)


def cmd_check(args: argparse.Namespace) -> int:
    from copilot.knowledge.lint import check_folder, errors

    found = check_folder(args.folder, args.kb_lang)
    bad = errors(found)
    if args.json:
        print(json.dumps({"folder": args.folder, "errors": len(bad),
                          "warnings": len(found) - len(bad),
                          "findings": [vars(f) for f in found]}, ensure_ascii=False))
    else:
        for f in found:
            print(f)
        print(f"{args.folder}: {plural(len(bad), 'error')}, "
              f"{plural(len(found) - len(bad), 'warning')}")
    return 1 if bad else 0


def _open(args: argparse.Namespace) -> KnowledgeBase:
    from copilot.errors import UserError  # lazy: cli imports this module

    if args.k < 1:
        raise UserError("-k must be at least 1")
    kb = open_kb(load_settings(), args.kb, lang=args.kb_lang, mode=args.mode,
                 min_evidence=args.min_evidence, say=not args.json)
    args.kb = kb.source
    return kb


def translator_note(translator: Any, langs: list[str], kb_lang: str) -> None:
    for lang in langs:
        engine = translator.engine_for(lang, kb_lang)
        how = {"ct2": "a translation model",
               "glossary": "the service glossary (English keywords, not a translation)"}.get(
                   engine, "its own words (no translation model or glossary for it)")
        print(f"copilot: note: questions in {lang} are searched in the {kb_lang} knowledge base "
              f"through {how}", file=sys.stderr)


def hit_json(h: Hit) -> dict[str, Any]:
    p = h.passage
    return {"id": p.id, "title": p.title, "score": round(h.score, 2), "relevant": h.relevant,
            "candidate": h.candidate, "reason": h.reason, "dense": round(h.dense, 3),
            "evidence": round(h.evidence, 2), "terms": list(h.terms), "source": p.source,
            "approved_lines": list(p.approved_lines)}


def cmd_ask(args: argparse.Namespace) -> int:
    with _open(args) as kb:
        lang = args.lang or kb.lang
        translator = search_translator() if lang != kb.lang else None
        if translator is not None:
            translator_note(translator, [lang], kb.lang)
        hits = kb.search(args.question, args.k, lang=lang, translator=translator, typed=True)
        abstain = not any(h.relevant for h in hits)
        if args.json:
            print(json.dumps({"question": args.question, "lang": lang, "kb_lang": kb.lang,
                              "kb": str(kb.source), "mode": kb.mode,
                              "min_evidence": kb.min_evidence, "abstain": abstain,
                              "passages": [hit_json(h) for h in hits]}, ensure_ascii=False))
            return 0
        if not hits:
            print("No passage matches any word of the question: the copilot would abstain.")
            return 0
        width = max(len(h.passage.id) for h in hits)
        for n, h in enumerate(hits, start=1):
            p = h.passage
            verdict = (f"relevant ({h.reason})" if h.relevant else
                       "a card: the caller reports a claim, no line" if h.reason == "claim" else
                       "a card: the question sets this passage aside, no line"
                       if h.reason == "contrast" else
                       "a card: the question asks for a number or address it does not give, "
                       "no line" if h.reason == "detail" else
                       "a candidate: shown as a card, no line" if h.candidate else
                       "not relevant enough")
            dense = f"meaning {h.dense:.2f}, " if kb.mode != "keyword" else ""
            print(f"{n}. {p.id:<{width}}  {p.title}")
            print(f"   {' ' * width}  {dense}score {h.score:.2f}, evidence {h.evidence:.2f}: "
                  f"{verdict}  [{p.source}; matched {', '.join(h.terms) or '-'}]")
            for line in p.approved_lines:
                print(f"   {' ' * width}  Approved line: {line}")
        if abstain:
            print(f"\nNothing is relevant enough ({kb.mode} search): the copilot would "
                  "abstain" + (", showing the candidate cards." if any(h.candidate for h in hits)
                               else "."))
    return 0


def _pct(ok: int, n: int) -> str:
    return f"{ok}/{n} ({100 * ok / n:.1f}%)" if n else "-"


def cmd_eval(args: argparse.Namespace) -> int:
    from copilot.errors import UserError
    from copilot.knowledge import evaluate as kb_eval

    with _open(args) as kb:
        translator = search_translator()
        try:
            cases = kb_eval.load_cases(args.eval_file)
            report = kb_eval.run(kb, cases, args.k, translator=translator)
        except KnowledgeError as e:
            raise UserError(str(e)) from e
        foreign = sorted({c.lang for c in cases if c.lang and c.lang != kb.lang})
        translator_note(translator, foreign, kb.lang)
        if args.json:
            print(json.dumps({
                "kb": str(args.kb), "eval": str(args.eval_file), "k": args.k,
                "min_evidence": kb.min_evidence, "summary": report.summary(),
                "misses": [{"line": r.case.line, "utterance": r.case.utterance,
                            "lang": report.lang_of(r), "expect": list(r.case.expect),
                            "passages": [hit_json(h) for h in r.hits]}
                           for r in report.misses()]}, ensure_ascii=False))
            return 0
        rs = report.answerable()
        print(f"Knowledge base {args.kb} ({plural(len(kb.passages), 'passage')}), "
              f"{kb.mode} search")
        print(f"Answerable questions: {len(rs)}")
        print(f"  expected passage ranked first:         "
              f"{_pct(sum(r.ranked_first for r in rs), len(rs))}")
        print(f"  ranked first and judged relevant:      {_pct(sum(r.found for r in rs), len(rs))}")
        for lang in report.languages():
            ls = report.answerable(lang)
            print(f"    {lang}: first {_pct(sum(r.ranked_first for r in ls), len(ls))}, "
                  f"first and relevant {_pct(sum(r.found for r in ls), len(ls))}")
        un = report.unanswerable()
        print(f"Unanswerable questions: {len(un)}")
        print(f"  correctly judged not relevant (abstain): "
              f"{_pct(sum(r.abstained for r in un), len(un))}")
        wrong = report.summary()["wrong"]
        print(f"Wrong answers, counted apart from silence (of "
              f"{plural(wrong['questions'], 'question')}): "
              f"a line from a wrong passage {wrong['wrong_line']}, a wrong card shown "
              f"{wrong['wrong_card']}")
        print_kinds(report.by_kind())
        misses = report.misses()
        if misses:
            print(f"\nMisses ({len(misses)}):")
        for r in misses:
            print(f"  line {r.case.line} [{report.lang_of(r)}] {r.case.utterance}")
            print(f"    {_why(r, kb.min_evidence)}")
    return 0


def print_kinds(kinds: dict[str, dict[str, Any]]) -> None:
    """One row per kind of question (direct, paraphrase, misheard, ...)."""
    if len(kinds) < 2 and "answerable" in kinds:
        return
    cols = [("right_first", "right first"), ("first_cited", "line cites right"),
            ("card_has_answer", "card has answer"), ("abstained", "silent"),
            ("wrong_line", "wrong line"), ("wrong_card", "wrong card")]
    cols = [(k, name) for k, name in cols if any(k in row for row in kinds.values())]
    print(f"\n  {'kind':<14}{'n':>4}" + "".join(f"{name:>18}" for _, name in cols))
    for kind, row in kinds.items():
        print(f"  {kind:<14}{row['questions']:>4}" + "".join(f"{row[k]:>18}" for k, _ in cols))


def _why(r: Any, floor: float) -> str:
    first = r.first
    if not r.answerable:
        wrong = [h for h in r.hits if h.relevant]
        return ("should abstain, but judged relevant: "
                + ", ".join(f"{h.passage.id} (evidence {h.evidence:.2f}, meaning {h.dense:.2f})"
                            for h in wrong))
    want = " or ".join(r.case.expect)
    if first is None:
        return f"expected {want}; no passage matched"
    if not r.ranked_first:
        got = ", ".join(f"{h.passage.id} {h.score:.2f}" for h in r.hits)
        return f"expected {want}; ranked {got}"
    return (f"{want} ranked first but not relevant enough (evidence {first.evidence:.2f}, "
            f"meaning {first.dense:.2f}): the copilot would abstain")
