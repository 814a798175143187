"""`copilot rephrase`: the agent's draft, rewritten in a tone, with every policy fact checked.

Exit status 0 whether or not a fact is flagged (the flag is in the output: `flagged` in JSON, a
WARNING line per unsupported fact in text); 2 for bad input (missing knowledge folder, empty
draft).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from typing import Any

from copilot.assist.rephrase import LLM_NOTE, TONES, RephraseResult, rephrase
from copilot.cli.common import KB_HELP, kb_folder, load_settings
from copilot.cli.kb import hit_json
from copilot.cli.suggest import open_llm
from copilot.knowledge.base import KnowledgeBase
from copilot.knowledge.parse import KnowledgeError
from copilot.knowledge.verify import Fact


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "rephrase", help="rewrite a draft line calmer, more formal or briefer, facts checked",
        description="Rewrites the agent's draft (a line to say or a follow-up message) in a "
                    "tone, with deterministic rules and optionally the local LLM. Every policy "
                    "fact of the result (numbers, amounts, durations, names, policy terms) is "
                    "looked up in the passages the knowledge base retrieves for the draft; a "
                    "fact no passage states is flagged, never silently kept or dropped.")
    p.add_argument("draft", metavar="DRAFT", help="the text to rephrase")
    p.add_argument("--kb", default=None, metavar="DIR", help=KB_HELP)
    p.add_argument("--kb-lang", default="en", metavar="XX",
                   help="the language the knowledge base and the draft are written in "
                        "(default: en)")
    p.add_argument("--tone", choices=TONES, default="calm",
                   help="calm: no blame or absolutes; formal: no contractions, polite requests; "
                        "brief: no filler (default: calm)")
    p.add_argument("--lang", default=None, metavar="XX",
                   help="the customer's language, to translate the result into (needs a "
                        "translation model; without one the text stays in the base's language)")
    p.add_argument("--llm", action="store_true",
                   help="let the local LLM rewrite the text too; its rewrite is used only when "
                        "it keeps every fact and adds none the knowledge base does not state")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=cmd_rephrase)


def cmd_rephrase(args: argparse.Namespace) -> int:
    from copilot.errors import UserError  # lazy: cli imports this module

    if not args.draft.strip():
        raise UserError("the draft is empty: give the text to rephrase")
    try:
        kb = KnowledgeBase.load(kb_folder(load_settings(), args.kb, say=not args.json),
                                args.kb_lang)
    except KnowledgeError as e:
        raise UserError(str(e)) from e
    with kb, contextlib.ExitStack() as stack:
        for w in kb.warnings:
            print(f"copilot: warning: {w}", file=sys.stderr)
        engine = open_llm(stack) if args.llm else None
        result = rephrase(args.draft, kb, args.tone, target_lang=args.lang, llm=engine)
        if args.json:
            print(json.dumps(result_json(result), ensure_ascii=False))
        else:
            _print(result)
    return 0


def _fact_json(f: Fact, sources: tuple[str, ...]) -> dict[str, Any]:
    return {"kind": f.kind, "text": f.text, "supported": f.supported, "sources": list(sources)}


def result_json(r: RephraseResult) -> dict[str, Any]:
    return {"draft": r.draft, "text": r.text, "text_en": r.text_en, "lang": r.lang,
            "tone": r.tone, "origin": r.origin, "flagged": r.flagged,
            "facts": [_fact_json(f, s) for f, s in zip(r.facts, r.fact_sources, strict=True)],
            "unsupported": [{"kind": f.kind, "text": f.text} for f in r.unsupported],
            "sources": list(r.sources), "notes": list(r.notes),
            # the diagnostic reason (the fact keys) for scripts, and the one said to a person
            "llm_why": r.llm_why,
            "rejected_drafts": [{"draft": d.draft, "reason": d.reason,
                                 "unsupported": [f.text for f in d.unsupported]}
                                for d in r.rejected_drafts],
            "passages": [hit_json(h) for h in r.hits]}


def _print(r: RephraseResult) -> None:
    origin = "rewritten by the LLM, checked" if r.origin == "llm" else "tone rules"
    print(f"Rephrased ({r.tone}, {origin}{', ' + r.lang if r.lang != 'en' else ''}):")
    print(f"  {r.text}" if r.text else "  (nothing left: see the note below)")
    if r.text != r.text_en:
        print(f"  (checked English: {r.text_en})")
    for f in r.unsupported:
        print(f"WARNING: {f.label} \"{f.text}\" is not stated by any relevant passage: "
              "check it before saying it")
    supported = [(f, s) for f, s in zip(r.facts, r.fact_sources, strict=True) if f.supported]
    for f, s in supported:
        print(f"  ok: {f.label} \"{f.text}\" [{', '.join(s)}]")
    if r.sources:
        print("Cited passages:")
        for h in r.hits:
            if h.passage.id in r.sources:
                print(f"  [{h.passage.id}] {h.passage.title}")
    elif not r.facts:
        print("No policy fact to check.")
    # Why the LLM's rewrite was not used, in words (llm_why: 'it left out "5 business days"
    # from your draft'), not the diagnostic reason of its note and rejected draft (--json).
    why = r.llm_why or "no reason given"
    for n in r.notes:
        print(f"note: {f'{LLM_NOTE} ({why})' if n.startswith(LLM_NOTE) else n}")
    for d in r.rejected_drafts:
        print(f"rejected LLM draft ({why}): {d.draft}")
