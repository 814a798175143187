"""`copilot bench asr AUDIO... [--ref REF] [--json]` (copilot/bench/asr_bench.py) and the
registration of `copilot bench assist` (copilot/cli/bench_assist.py)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from copilot.cli.bench_assist import SEARCH_MODES, cmd_bench_assist
from copilot.cli.common import KB_HELP, machine, progress

PEERS = ("ufal", "package")


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
    report: dict[str, Any] = {"model": str(model_path), "machine": machine(), "files": []}
    runs: dict[str, list] = {}
    with WhisperEngine(model_path, settings.asr.compute_type, settings.asr.threads) as engine:
        for audio, ref, known in zip(args.audio, refs, knowns, strict=True):
            langs = {ch: args.lang or (settings.asr.agent_lang if ch == "agent" else
                                       settings.asr.customer_lang) for ch in cmap.names}
            progress(f"{audio}: live replay in real time ...")
            results = [asr_bench.run_live(Path(audio), engine, ref, cmap, langs,
                                          options_from_settings(
                                              settings.asr, pack_languages(model_path)),
                                          known=known)]
            if not args.no_offline:
                progress(f"{audio}: offline batch ...")
                results.append(asr_bench.run_offline(Path(audio), engine, ref, cmap, langs))
            for policy in peers:
                if not peer_available(policy):
                    progress(f"peer {policy} is not installed; skipped")
                    continue
                progress(f"{audio}: peer {policy} in real time ...")
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
