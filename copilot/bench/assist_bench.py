"""`copilot bench assist`: how well and how fast assistance works.

1. On a question set (the eval JSON lines): retrieval accuracy (expected passage ranked first),
   grounding violations of the suggestions (an independent check: every number in a cited
   passage, no must_not_mention text), abstention rate on the unanswerable questions, all with
   the LLM adapter when a model is loaded; and the time per suggestion.
2. On recordings, replayed in real time through the live pipeline, each twice in the same run:
   without assistance (the baseline) and with it. Latencies on the call clock, from a customer's
   final caption to its knowledge card, its first suggested line, its verified LLM rewording and
   the next summary update; the caption latency of both runs (the cost of assistance to the
   captions); peak memory.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from copilot.bench import latency
from copilot.events import (
    CUSTOMER,
    Caption,
    Knowledge,
    SuggestionEvent,
    Summary,
    Translation,
)

STAGES = ("knowledge", "suggestion", "reworded", "summary", "translation")


def stage_latencies(events: Sequence[Any]) -> dict[str, list[float]]:
    """Seconds from each customer final caption (its `at`) to the first event of each stage that
    answers it. The summary answers every customer caption before it not yet summarized (one
    refresh may take in two captions); a caption no summary followed is not counted."""
    out: dict[str, list[float]] = {s: [] for s in STAGES}
    caps: dict[str, Caption] = {}
    seen: set[tuple[str, str]] = set()
    unsummarized: list[Caption] = []
    for e in events:
        if isinstance(e, Caption):
            if e.final and e.text and e.channel == CUSTOMER:
                caps[e.id] = e
                unsummarized.append(e)
            continue
        if isinstance(e, Summary):
            out["summary"].extend(e.at - c.at for c in unsummarized)
            unsummarized = []
            continue
        stage = _stage(e)
        of = getattr(e, "of", None)
        if stage is None or of not in caps or (stage, of) in seen:
            continue
        seen.add((stage, of))
        out[stage].append(e.at - caps[of].at)
    return out


def _stage(e: Any) -> str | None:
    if isinstance(e, Knowledge):
        return "knowledge"
    if isinstance(e, Translation):
        return "translation"
    if isinstance(e, SuggestionEvent):
        return "reworded" if e.origin == "reworded" else "suggestion"
    return None


def spread(values: Sequence[float]) -> dict[str, Any]:
    r = _round
    return {"n": len(values), "p50": r(latency.percentile(values, 50)),
            "p95": r(latency.percentile(values, 95)), "max": r(max(values) if values else None)}


def _round(x: float | None) -> float | None:
    return None if x is None else round(x, 3)


def run_eval(kb: Any, eval_file: Path, adapter: Any) -> dict[str, Any]:
    """Retrieval and suggestion quality on a question set, with the given adapter."""
    from copilot import paths, resolver
    from copilot.assist.suggest_eval import run_eval as suggest_eval
    from copilot.assist.translate import search_translator
    from copilot.knowledge import evaluate as kb_eval
    from copilot.settings import Settings

    cases = kb_eval.load_cases(eval_file)
    try:
        mt_dir = resolver.translation_models(Settings.load(paths.settings_path())).path
    except (ValueError, resolver.PackUnusable):
        mt_dir = None
    translator = search_translator(mt_dir)
    retrieval = kb_eval.run(kb, cases, translator=translator).summary()
    t0 = time.perf_counter()
    report = suggest_eval(kb, cases, adapter, translator=translator)
    seconds = time.perf_counter() - t0
    summary = report.summary()
    summary["seconds_per_question"] = round(seconds / max(1, len(cases)), 3)
    return {"retrieval": retrieval, "suggestions": summary}


def run_calls(audios: Sequence[Path], engine: Any, build: Any, settings: Any, refs: Sequence[Any],
              cmap: Any, progress: Any) -> dict[str, Any]:
    """Each recording without, then with assistance; figures per run and over all recordings."""
    from copilot.asr.model_paths import pack_languages
    from copilot.asr.streaming import options_from_settings
    from copilot.bench import asr_bench

    stages: dict[str, list[float]] = {s: [] for s in STAGES}
    caption_lat: dict[str, list[float]] = {"without": [], "with": []}
    files = []
    peak = {"without": 0.0, "with": 0.0}
    for audio, ref in zip(audios, refs, strict=True):
        langs = {ch: settings.asr.agent_lang if ch == "agent" else settings.asr.customer_lang
                 for ch in cmap.names}
        row: dict[str, Any] = {"audio": str(audio)}
        for mode in ("without", "with"):
            progress(f"{audio}: live replay {mode} assistance ...")
            factory = build.factory(settings, engine) if mode == "with" else None
            res = asr_bench.run_live(Path(audio), engine, ref, cmap, langs,
                                     options_from_settings(settings.asr,
                                                           pack_languages(engine.path)),
                                     assist=factory,
                                     name=mode)
            peak[mode] = max(peak[mode], res.peak_rss_mb or 0.0)
            lats = [t.latency for t in res.latency.turns if t.latency is not None] \
                if res.latency else []
            caption_lat[mode].extend(lats)
            row[f"caption_latency_{mode}"] = spread(lats)
            if mode == "with":
                found = stage_latencies(res.events)
                for k, v in found.items():
                    stages[k].extend(v)
                row["stages"] = {k: spread(v) for k, v in found.items()}
                row["events"] = _counts(res.events)
        files.append(row)
    total: dict[str, Any] = {k: spread(v) for k, v in stages.items()}
    for mode, lats in caption_lat.items():
        total[f"caption_latency_{mode}"] = spread(lats)
    base, assisted = (total["caption_latency_without"]["p50"],
                      total["caption_latency_with"]["p50"])
    if base and assisted:
        total["caption_latency_p50_ratio"] = round(assisted / base, 3)
    total["peak_rss_mb"] = {k: round(v, 1) for k, v in peak.items()}
    return {"files": files, "total": total}


def _counts(events: Sequence[Any]) -> dict[str, int]:
    out: dict[str, int] = {}
    for e in events:
        kind = e.type
        if isinstance(e, SuggestionEvent):
            kind = "suggestion_" + (e.origin or "line")
        if isinstance(e, Caption) and not e.final:
            continue
        out[kind] = out.get(kind, 0) + 1
    return out
