"""`copilot bench assist`: how well and how fast assistance works.

1. On a question set (the eval JSON lines): retrieval accuracy (expected passage ranked first),
   grounding violations of the suggestions (an independent check: every number in a cited
   passage, no must_not_mention text), abstention rate on the unanswerable questions, all with
   the LLM adapter when a model is loaded; and the time per suggestion. Side by side for each
   search mode (keyword, dense, hybrid: `compare_modes`), per kind of question: the first line
   cites the right passage, silence, a wrong line, a wrong card, abstention when nothing answers.
2. On recordings, replayed in real time through the live pipeline, each twice in the same run:
   without assistance (the baseline) and with it. Latencies on the call clock, from a customer's
   final caption to its knowledge card, its first suggested line, its verified LLM rewording and
   the next summary update; the caption latency of both runs (the cost of assistance to the
   captions); peak memory.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
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
            if e.final and e.text and e.channel == CUSTOMER and not e.amended:
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


def compare_modes(kbs: Mapping[str, Any], cases: Sequence[Any], adapter: Any,
                  translator: Any = None) -> dict[str, Any]:
    """The retrieval and suggestion evals on the same questions, once per search mode (`kbs`:
    mode -> the same knowledge base opened in that mode). Per mode the two evals' summaries and
    totals; per kind of question, per mode, the figures side by side."""
    from copilot.assist.suggest_eval import run_eval as suggest_eval
    from copilot.knowledge import evaluate as kb_eval

    out: dict[str, Any] = {"questions": len(cases), "modes": {}, "by_kind": {}}
    for mode, kb in kbs.items():
        t0 = time.perf_counter()
        retrieval = kb_eval.run(kb, list(cases), translator=translator)
        t1 = time.perf_counter()
        suggestions = suggest_eval(kb, list(cases), adapter, translator=translator)
        t2 = time.perf_counter()
        r_sum, s_sum = retrieval.summary(), suggestions.summary()
        s_sum["seconds_per_question"] = round((t2 - t1) / max(1, len(cases)), 3)
        rows = []
        for kind in dict.fromkeys(c.group for c in cases):
            pairs = [(r, s) for r, s in zip(retrieval.results, suggestions.results, strict=True)
                     if r.case.group == kind]
            row = _side(pairs)
            out["by_kind"].setdefault(kind, {})[mode] = row
            rows.append(row)
        total = _side(list(zip(retrieval.results, suggestions.results, strict=True)))
        out["modes"][mode] = {
            "passages": len(kb.passages), "search": getattr(kb, "mode", mode),
            "retrieval_ms_per_question": round(1000 * (t1 - t0) / max(1, len(cases)), 2),
            "total": total, "retrieval": r_sum, "suggestions": s_sum}
    return out


def _side(pairs: Sequence[tuple[Any, Any]]) -> dict[str, int]:
    """Counts over (retrieval result, suggestion result) pairs of the same questions."""
    answerable = [(r, s) for r, s in pairs if r.case.expect]
    unanswerable = [(r, s) for r, s in pairs if not r.case.expect]
    return {
        "questions": len(pairs), "answerable": len(answerable),
        "first_line_right": sum(s.first_cited for _, s in answerable),
        "silent": sum(s.result.abstained for _, s in pairs),
        "silent_answerable": sum(s.result.abstained for _, s in answerable),
        "wrong_line": sum(s.wrong_line for _, s in pairs),
        "wrong_card": sum(r.wrong_card for r, _ in pairs),
        "card_has_answer": sum(r.card_has_answer for r, _ in answerable),
        "passage_right_first": sum(r.found for r, _ in answerable),
        "unanswerable": len(unanswerable),
        "abstained_unanswerable": sum(s.result.abstained for _, s in unanswerable),
    }


def open_mode_bases(settings: Any, kb_dir: Path, modes: Sequence[str],
                    reuse: Any = None) -> tuple[dict[str, Any], list[str], list[Any]]:
    """The knowledge base of `kb_dir` opened once per search mode, with one sentence encoder
    shared by the dense and hybrid ones (opened by copilot.knowledge.loading.open_knowledge,
    vectors from its on-disk cache). `reuse`: a base already open on that folder, used for its
    own mode. Returns (mode -> base, warnings, the bases the caller must close, in order)."""
    from copilot.knowledge.base import DENSE, HYBRID, KEYWORD, KnowledgeBase
    from copilot.knowledge.loading import open_knowledge, vector_cache_path
    from copilot.knowledge.vectors import VectorCache

    bases: dict[str, Any] = {}
    owned: list[Any] = []
    warnings: list[str] = []
    if reuse is not None and getattr(reuse, "mode", None) in modes:
        bases[reuse.mode] = reuse
    encoder = getattr(getattr(reuse, "vectors", None), "encoder", None)
    min_evidence = getattr(reuse, "min_evidence", None)
    try:
        if encoder is None and any(m in (DENSE, HYBRID) and m not in bases for m in modes):
            kb = open_knowledge(settings, kb_dir, mode=HYBRID)
            if kb.vectors is None:
                warnings.extend(kb.warnings)
                warnings.append("dense and hybrid search not measured: no sentence encoder")
                kb.close()
            else:
                owned.append(kb)  # closed last: it owns the shared encoder
                encoder = kb.vectors.encoder
                if HYBRID in modes:
                    bases.setdefault(HYBRID, kb)
        extra = {} if min_evidence is None else {"min_evidence": min_evidence}
        for mode in modes:
            if mode in bases:
                continue
            if mode == KEYWORD:
                kb = KnowledgeBase.load(kb_dir, mode=KEYWORD, **extra)
            elif encoder is not None:
                cache = VectorCache(vector_cache_path())
                kb = KnowledgeBase.load(kb_dir, encoder=encoder, cache=cache, mode=mode,
                                        **extra)
                kb.owned.append(cache)
            else:
                continue
            owned.insert(0, kb)
            bases[mode] = kb
    except BaseException:
        for kb in owned:
            kb.close()
        raise
    return {m: bases[m] for m in modes if m in bases}, warnings, owned


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
