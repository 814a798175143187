"""`copilot bench asr AUDIO... [--ref REF] [--json]`: see copilot/bench/asr_bench.py."""

from __future__ import annotations

import argparse
import json
import platform
import sys
from pathlib import Path
from typing import Any

from copilot.cli.common import KB_HELP

PEERS = ("ufal", "package")


def register(sub: argparse._SubParsersAction) -> None:
    bench = sub.add_parser("bench", help="measure speed and accuracy")
    bsub = bench.add_subparsers(dest="bench_command", required=True, metavar="BENCH")
    p = bsub.add_parser(
        "asr", help="live transcription vs offline batch and the LocalAgreement peer",
        description="Replays each recording in real time through the live pipeline and, in the "
        "same run, transcribes it offline in one batch with the same model (and through the "
        "LocalAgreement streaming peer when it can run). Prints WER, real-time factor, "
        "final-caption latency, time to first partial and peak memory.")
    p.add_argument("audio", nargs="+", metavar="AUDIO")
    p.add_argument("--ref", default=None, metavar="REF",
                   help="a call .json, MANIFEST.tsv or script .txt (default: found beside AUDIO)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--model", default="", help="Whisper folder, 'base' or 'tiny.en'")
    p.add_argument("--channels", choices=("stereo", "mono"), default=None)
    p.add_argument("--swap", action="store_true")
    p.add_argument("--lang", default="", help="fix every speaker's language")
    p.add_argument("--peer", action="append", choices=PEERS + ("none",), default=None,
                   help="peer(s) to run: ufal (our faithful LocalAgreement port, default) and/or "
                        "package (whisper-streaming from PyPI as shipped); none to skip")
    p.add_argument("--no-offline", action="store_true", help="skip the offline batch run")
    p.set_defaults(func=cmd_bench_asr)

    p = bsub.add_parser(
        "assist", help="assistance: retrieval, grounding, abstention, latencies, memory",
        description="On a question set: retrieval accuracy, grounding violations and abstention "
        "of the suggested lines (with the LLM when one is installed). On recordings replayed in "
        "real time, each with and without assistance in the same run: final caption to knowledge "
        "card, to suggestion, to summary update; caption latency both ways; peak memory.")
    p.add_argument("audio", nargs="*", metavar="CALL", help="two-channel calls with a .json "
                   "reference beside them (none: the question set only)")
    p.add_argument("--kb", default=None, metavar="DIR", help=KB_HELP)
    p.add_argument("--eval", dest="eval_file", default=None, metavar="EVAL.jsonl",
                   help="question set (default: eval.jsonl beside the knowledge folder, if any)")
    p.add_argument("--no-llm", action="store_true", help="approved lines only, no LLM")
    p.add_argument("--model", default="", help="Whisper folder, 'base' or 'tiny.en'")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=cmd_bench_assist)


def cmd_bench_asr(args: argparse.Namespace) -> int:
    from copilot import paths
    from copilot.asr.model_paths import NoModelError, pack_languages, resolve_whisper_model
    from copilot.asr.streaming import options_from_settings
    from copilot.asr.whisper_engine import WhisperEngine
    from copilot.audio.base import AudioError
    from copilot.audio.channels import ChannelMap
    from copilot.bench import asr_bench, latency
    from copilot.bench.peer_localagreement import peer_available
    from copilot.bench.references import ReferenceNotFound, load_reference
    from copilot.errors import UserError
    from copilot.settings import Settings

    settings = Settings.load(paths.settings_path())
    try:
        model_path = resolve_whisper_model(args.model, settings.asr.model)
        cmap = ChannelMap(args.channels or "stereo", swap=args.swap)
        refs = [load_reference(a, args.ref) for a in args.audio]
    except (NoModelError, AudioError, ReferenceNotFound, OSError) as e:
        raise UserError(str(e)) from e
    peers = [p for p in (args.peer or ["ufal"]) if p != "none"]
    report: dict[str, Any] = {"model": str(model_path), "machine": _machine(), "files": []}
    runs: dict[str, list] = {}
    with WhisperEngine(model_path, settings.asr.compute_type, settings.asr.threads) as engine:
        for audio, ref in zip(args.audio, refs, strict=True):
            langs = {ch: args.lang or (settings.asr.agent_lang if ch == "agent" else
                                       settings.asr.customer_lang) for ch in cmap.names}
            _progress(f"{audio}: live replay in real time ...")
            results = [asr_bench.run_live(Path(audio), engine, ref, cmap, langs,
                                          options_from_settings(
                                              settings.asr, pack_languages(model_path)))]
            if not args.no_offline:
                _progress(f"{audio}: offline batch ...")
                results.append(asr_bench.run_offline(Path(audio), engine, ref, cmap, langs))
            for policy in peers:
                if not peer_available(policy):
                    _progress(f"peer {policy} is not installed; skipped")
                    continue
                _progress(f"{audio}: peer {policy} in real time ...")
                results.append(asr_bench.run_peer(Path(audio), model_path, ref, cmap, langs,
                                                  policy))
            report["files"].append({"audio": str(audio),
                                    "runs": {r.name: r.to_dict() for r in results}})
            for r in results:
                runs.setdefault(r.name, []).append(r)
    report["total"] = {name: _aggregate(rs, latency) for name, rs in runs.items()}
    live = report["total"].get("live", {})
    for name, agg in report["total"].items():
        if name.startswith("peer:") and agg.get("latency_p50") and live.get("latency_p50"):
            agg["latency_p50_ratio_vs_live"] = round(agg["latency_p50"] / live["latency_p50"], 2)
    if args.json:
        print(json.dumps(report, indent=1))
    else:
        _print_table(report)
    return 0


def _aggregate(results, latency_mod) -> dict[str, Any]:
    from copilot.bench import wer

    w = wer.combine(r.wer for r in results if r.wer is not None)
    lats = [t.latency for r in results if r.latency for t in r.latency.turns
            if t.latency is not None]
    firsts = [r.latency.first_partial_median for r in results
              if r.latency and r.latency.first_partial_median is not None]
    rtfs = [r.rtf for r in results if r.rtf is not None]
    rss = [r.peak_rss_mb for r in results if r.peak_rss_mb is not None]
    pct = latency_mod.percentile
    return {
        "wer": round(w.wer, 4) if w.ref_words else None,
        "latency_p50": _r(pct(lats, 50)), "latency_p95": _r(pct(lats, 95)),
        "latency_max": _r(max(lats) if lats else None), "turns_scored": len(lats),
        "first_partial_median": _r(latency_mod.median(firsts) if firsts else None),
        "rtf": _r(max(rtfs) if rtfs else None), "peak_rss_mb": _r(max(rss) if rss else None),
    }


def _r(x):
    return None if x is None else round(x, 3)


def _machine() -> dict[str, Any]:
    import os

    import psutil

    return {"cpus": os.cpu_count(), "ram_gb": round(psutil.virtual_memory().total / 2**30, 1),
            "cpu": platform.processor() or platform.machine(), "python": platform.python_version()}


def _progress(msg: str) -> None:
    print(f"-- {msg}", file=sys.stderr, flush=True)


def _print_table(report: dict[str, Any]) -> None:
    print(f"model: {report['model']}")
    cols = ("wer", "latency_p50", "latency_p95", "latency_max", "first_partial_median", "rtf",
            "peak_rss_mb")
    heads = ("WER", "lat p50", "lat p95", "lat max", "1st partial", "RTF", "peak MB")
    print(f"{'run':14}" + "".join(f"{h:>12}" for h in heads))
    for name, agg in report["total"].items():
        cells = ["-" if agg.get(c) is None else f"{agg[c]:.3f}" if c != "peak_rss_mb"
                 else f"{agg[c]:.0f}" for c in cols]
        print(f"{name:14}" + "".join(f"{c:>12}" for c in cells))
    for name, agg in report["total"].items():
        if "latency_p50_ratio_vs_live" in agg:
            print(f"{name} final-caption latency p50 is {agg['latency_p50_ratio_vs_live']}x ours")


def cmd_bench_assist(args: argparse.Namespace) -> int:
    from copilot import paths
    from copilot.asr.model_paths import NoModelError, resolve_whisper_model
    from copilot.asr.whisper_engine import WhisperEngine
    from copilot.assist.assembly import AssistBuild, AssistSetupError
    from copilot.assist.suggest import PassageSentenceAdapter
    from copilot.assist.suggest_llm import LlmLineAdapter
    from copilot.audio.base import AudioError
    from copilot.audio.channels import ChannelMap
    from copilot.bench import assist_bench
    from copilot.bench.references import ReferenceNotFound, load_reference
    from copilot.errors import UserError
    from copilot.knowledge.parse import KnowledgeError
    from copilot.settings import Settings

    settings = Settings.load(paths.settings_path())
    from copilot.assist.assembly import resolve_kb_dir

    try:
        kb_dir = resolve_kb_dir(settings, args.kb or "")
    except AssistSetupError as e:
        raise UserError(str(e)) from e
    eval_file = Path(args.eval_file) if args.eval_file else None
    try:
        refs = [load_reference(a, None) for a in args.audio]
        build = AssistBuild.open(kb_dir, use_llm=not args.no_llm, settings=settings)
    except (AudioError, ReferenceNotFound, OSError, AssistSetupError) as e:
        raise UserError(str(e)) from e
    report: dict[str, Any] = {"machine": _machine(), "kb": str(kb_dir),
                              "llm": None if build.llm is None else
                              build.llm.wait_ready().name}
    with build:
        for w in build.warnings:
            _progress(f"warning: {w}")
        if eval_file is not None:
            _progress(f"question set {eval_file} ...")
            adapter = (LlmLineAdapter(build.llm) if build.llm is not None
                       else PassageSentenceAdapter())
            try:
                report["eval"] = assist_bench.run_eval(build.kb, eval_file, adapter)
            except KnowledgeError as e:
                raise UserError(str(e)) from e
        if args.audio:
            try:
                model = resolve_whisper_model(args.model, settings.asr.model)
            except NoModelError as e:
                raise UserError(str(e)) from e
            report["model"] = str(model)
            with WhisperEngine(model, settings.asr.compute_type, settings.asr.threads) as engine:
                report["calls"] = assist_bench.run_calls(
                    [Path(a) for a in args.audio], engine, build, settings, refs,
                    ChannelMap("stereo"), _progress)
    if args.json:
        print(json.dumps(report, indent=1, ensure_ascii=False))
    else:
        _print_assist(report)
    return 0


def _print_assist(report: dict[str, Any]) -> None:
    print(f"knowledge base: {report['kb']}; LLM: {report['llm'] or 'none'}")
    ev = report.get("eval")
    if ev:
        r, s = ev["retrieval"], ev["suggestions"]
        print(f"retrieval, expected passage first: {r['answerable']['ranked_first']} of "
              f"{r['answerable']['questions']} answerable; abstained on "
              f"{r['unanswerable']['abstained']} of {r['unanswerable']['questions']} unanswerable")
        print(f"suggestions: cited {s['answerable']['cited']}, must-mention "
              f"{s['answerable']['must_mention']}, abstained {s['unanswerable']['abstained']}, "
              f"grounding violations {s['suggestions']['with_violation']}, LLM rewordings kept "
              f"{s['suggestions']['adapted']} (rejected {s['suggestions']['rejected_drafts']}), "
              f"{s['seconds_per_question']} s per question")
    calls = report.get("calls")
    if calls:
        t = calls["total"]
        print(f"{'from a customer final caption to':36}{'n':>5}{'p50':>9}{'p95':>9}{'max':>9}")
        for stage in ("knowledge", "suggestion", "reworded", "summary", "translation"):
            row = t[stage]
            cells = "".join("       -" if row[k] is None else f"{row[k]:9.3f}"
                            for k in ("p50", "p95", "max"))
            print(f"  {stage:34}{row['n']:5}{cells}")
        for mode in ("without", "with"):
            row = t[f"caption_latency_{mode}"]
            print(f"caption latency {mode} assistance: p50 {row['p50']} s, p95 {row['p95']} s "
                  f"(n {row['n']})")
        print(f"caption p50 ratio with/without: {t.get('caption_latency_p50_ratio')}; "
              f"peak RSS MB: {t['peak_rss_mb']}")
