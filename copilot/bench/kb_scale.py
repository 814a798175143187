"""`copilot bench assist --scale N`: knowledge retrieval at the size of a real site's base.

A synthetic base of N passages is generated deterministically from a sample base (each passage
recombines one sample passage with a sentence of another, with its product and plan names
replaced by made-up ones and its numbers shifted, so no two passages are the same) and written to
a temporary folder as Markdown. Then, in this order:

1. the sentence encoder is loaded (its own time);
2. the base is indexed with an empty vector cache in a temporary file: parsing, the FTS5 index and
   every passage unit embedded (the first start on a new base);
3. the base is loaded again with the cache warm (every later start);
4. customer turns are searched in hybrid mode, each followed by the live pipeline's
   copilot.knowledge.topic.Conversation (a turn searched with up to two earlier turns of its
   issue): time per turn;
5. resident memory before the encoder was loaded and after the first indexing (encoder, vectors
   and index all in memory; the embedding's scratch space is still counted, so it is an upper
   bound), and the peak in between; and, in a fresh process (`warm_rss`, as every later start of
   the app), before and after loading the encoder and the base from the warm cache, and after
   a few searches.

Targets (issue "meaning"): <= 30 ms p95 per turn on 1,000 passages on 2 cores; indexing 1,000
passages < 60 s once, then instant; memory <= +150 MB.
"""

from __future__ import annotations

import os
import re
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from copilot.bench import latency
from copilot.bench.memory import MB, PeakRss
from copilot.knowledge.parse import Passage
from copilot.text.sentences import sentences

__all__ = ["TARGETS", "run_scale", "synthetic_markdown", "turns_from_cases",
           "write_synthetic_base"]

TARGETS = {"turn_p95_ms": 30.0, "index_cold_s": 60.0, "rss_growth_mb": 150.0}

# Names of the sample base (longest first, so "Northwind app" goes before "Northwind").
KNOWN_NAMES = ("Travel Day Pass", "Device Protection", "Family Unlimited", "Unlimited Plus",
               "Northwind Mobile", "World Calling", "Wi-Fi Calling", "Data Top-Up", "Essentials",
               "Northwind")
_PREFIX = ("Aurora", "Beacon", "Cedar", "Delta", "Ember", "Falcon", "Glacier", "Harbor", "Iris",
           "Juniper", "Keystone", "Lumen", "Meridian", "Nova", "Orchid", "Pioneer", "Quartz",
           "Riverside", "Summit", "Tundra", "Vista", "Willow")
_SUFFIX = ("Plan", "Pass", "Bundle", "Plus", "Saver", "Max", "Flex", "Core", "Care", "Connect")
_NAMES = re.compile("|".join(re.escape(n) for n in KNOWN_NAMES))
_NUMBER = re.compile(r"\b\d+\b")
PER_FILE = 50


def _name(i: int, j: int) -> str:
    """The made-up name standing for the sample's j-th name in synthetic passage i: the first
    (j = 0) is different for every i."""
    n = len(_PREFIX) * len(_SUFFIX)
    prefix = _PREFIX[(i + 5 * j) % len(_PREFIX)]
    base = f"{prefix} {_SUFFIX[(i // len(_PREFIX) + 3 * j) % len(_SUFFIX)]}"
    return base if i < n else f"{base} {1 + i // n}"


def _rewrite(text: str, i: int, shift: int) -> str:
    if shift:
        text = _NUMBER.sub(lambda m: str(int(m.group(0)) + shift), text)
    return _NAMES.sub(lambda m: _name(i, KNOWN_NAMES.index(m.group(0))), text)


def synthetic_passages(source: Sequence[Passage], n: int) -> list[Passage]:
    """n distinct passages made from `source` (see the module docstring); the same every time."""
    if not source:
        raise ValueError("no source passages")
    m = len(source)
    out = []
    for i in range(n):
        base, other = source[i % m], source[(i * 7 + 3) % m]
        if other.id == base.id:
            other = source[(i * 7 + 4) % m]
        shift = i // m  # numbers shift by one every time the sample comes round again
        extra = sentences(other.text)
        body = [_rewrite(base.text.strip(), i, shift)]
        if extra:
            body.append(_rewrite(extra[i % len(extra)].strip(), i, shift))
        title = _rewrite(base.title, i, shift)
        if _name(i, 0) not in title:
            title = f"{title}: {_name(i, 0)}"
        out.append(Passage(f"SYN-{i + 1:04d}", title, "\n".join(body),
                           tuple(_rewrite(a, i, shift) for a in base.approved_lines), ""))
    return out


def synthetic_markdown(source: Sequence[Passage], n: int) -> dict[str, str]:
    """file name -> Markdown text of a synthetic base of n passages, PER_FILE passages a file."""
    files: dict[str, str] = {}
    ps = synthetic_passages(source, n)
    for start in range(0, len(ps), PER_FILE):
        part = start // PER_FILE + 1
        lines = [f"# Synthetic knowledge base, part {part}", ""]
        for p in ps[start:start + PER_FILE]:
            lines += [f"## [{p.id}] {p.title}", p.text,
                      *(f"Approved line: {a}" for a in p.approved_lines), ""]
        files[f"part-{part:03d}.md"] = "\n".join(lines)
    return files


def write_synthetic_base(folder: Path, source: Sequence[Passage], n: int) -> Path:
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in synthetic_markdown(source, n).items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def turns_from_cases(cases: Sequence[Any], count: int) -> list[tuple[str, ...]]:
    """Conversations of customer turns (an eval case's context, then its question), taken in
    order and again from the start until `count` turns in all."""
    convs: list[tuple[str, ...]] = []
    total = 0
    said = [tuple(t for t in c.said if t.strip()) for c in cases]
    said = [s for s in said if s]
    while said and total < count:
        for s in said:
            s = s[:count - total]
            convs.append(s)
            total += len(s)
            if total >= count:
                break
    return convs


def _rss() -> float:
    import psutil

    return psutil.Process().memory_info().rss / MB


def run_scale(source: Sequence[Passage], n: int, conversations: Sequence[Sequence[str]],
              open_encoder: Callable[[], Any], *, work_dir: Path | None = None,
              k: int = 3, progress: Callable[[str], None] = lambda _m: None,
              warm_rss: Callable[[Path, Path], dict[str, Any]] | None = None) -> dict[str, Any]:
    """The figures of the module docstring. `open_encoder()` returns a loaded sentence encoder
    (.dim, .embed, optionally .close); `warm_rss(kb_folder, cache_file)` measures the memory of a
    warm start in a fresh process (see warm_rss_child)."""
    from copilot.knowledge.base import HYBRID, KnowledgeBase
    from copilot.knowledge.topic import Conversation
    from copilot.knowledge.vectors import VectorCache

    with tempfile.TemporaryDirectory(prefix="copilot-kb-scale-", dir=work_dir) as tmp:
        folder = write_synthetic_base(Path(tmp) / "kb", source, n)
        cache_path = Path(tmp) / "kb-vectors.sqlite3"
        rss_before = _rss()
        with PeakRss() as mem:
            t0 = time.perf_counter()
            encoder = open_encoder()
            t1 = time.perf_counter()
            progress(f"indexing {n} synthetic passages (empty vector cache) ...")
            cache = VectorCache(cache_path)
            kb = KnowledgeBase.load(folder, encoder=encoder, cache=cache, mode=HYBRID)
            t2 = time.perf_counter()
        rss_after = _rss()
        assert kb.vectors is not None
        units, embedded = len(kb.vectors.vectors), kb.vectors.embedded
        passages = len(kb.passages)
        kb.close()
        cache.close()
        progress("loading it again (vector cache warm) ...")
        t3 = time.perf_counter()
        cache = VectorCache(cache_path)
        kb = KnowledgeBase.load(folder, encoder=encoder, cache=cache, mode=HYBRID)
        t4 = time.perf_counter()
        assert kb.vectors is not None
        warm_embedded = kb.vectors.embedded
        try:
            total = sum(len(c) for c in conversations)
            progress(f"searching {total} customer turns, hybrid, with their earlier turns ...")
            if conversations:
                Conversation(kb).search(conversations[0][-1], k)  # warm-up, not timed
            times: list[float] = []
            cpu0 = os.times()
            for turns in conversations:
                conv = Conversation(kb)
                for turn in turns:
                    s = time.perf_counter()
                    conv.search(turn, k)
                    times.append(time.perf_counter() - s)
            cpu1 = os.times()
            cpu = (cpu1.user - cpu0.user) + (cpu1.system - cpu0.system)
            rss_end = _rss()
            warm = None
            if warm_rss is not None:
                progress("memory of a warm start, in a fresh process ...")
                warm = warm_rss(folder, cache_path)
        finally:
            kb.close()
            cache.close()
            close = getattr(encoder, "close", None)
            if close is not None:
                close()
    ms = [t * 1000 for t in times]
    r1 = _round1
    return {
        "passages": passages, "units": units, "embedded_first": embedded,
        "embedded_second": warm_embedded,
        "encoder_load_s": round(t1 - t0, 3), "index_cold_s": round(t2 - t1, 3),
        "load_warm_s": round(t4 - t3, 3),
        "turn_ms": {"n": len(ms), "p50": r1(latency.percentile(ms, 50)),
                    "p95": r1(latency.percentile(ms, 95)), "max": r1(max(ms) if ms else None),
                    "cpu_mean": r1(1000 * cpu / len(ms) if ms else None)},
        "rss_mb": {"before": r1(rss_before), "after_first_load": r1(rss_after),
                   "growth": r1(rss_after - rss_before), "peak": r1(mem.peak_bytes / MB),
                   "peak_growth": r1(mem.peak_bytes / MB - rss_before),
                   "after_turns": r1(rss_end)},
        "rss_mb_warm_start": warm,
        "targets": dict(TARGETS),
    }


def _round1(x: float | None) -> float | None:
    return None if x is None else round(x, 1)


def warm_rss_child(kb_folder: Path, cache: Path, encoder_dir: Path,
                   timeout: float = 600) -> dict[str, Any]:
    """Runs `python -m copilot.bench.kb_scale` in a fresh process: the memory of a warm start."""
    import json
    import subprocess
    import sys

    # `python -m` puts the current directory first on the path: run from the folder holding
    # this copilot package, so the child measures the code the parent runs (from another
    # checkout's folder it imported that checkout's copilot).
    root = Path(__file__).resolve().parents[2]
    args = [str(Path(p).resolve()) for p in (kb_folder, cache, encoder_dir)]
    out = subprocess.run([sys.executable, "-m", "copilot.bench.kb_scale", *args],
                         capture_output=True, text=True,
                         timeout=timeout, check=False, cwd=root)
    if out.returncode != 0:
        return {"error": (out.stderr.strip().splitlines() or ["failed"])[-1]}
    return json.loads(out.stdout)


def _warm_start(kb_folder: str, cache: str, encoder_dir: str) -> dict[str, Any]:
    """In this (fresh) process: RSS with the modules the app has imported anyway, after loading
    the encoder and the base from the warm vector cache, and after a few searches."""
    import numpy  # noqa: F401  (the app has these loaded before any knowledge base)

    from copilot.knowledge.base import HYBRID, KnowledgeBase
    from copilot.knowledge.encoder import SentenceEncoder
    from copilot.knowledge.topic import Conversation
    from copilot.knowledge.vectors import VectorCache

    before = _rss()
    encoder = SentenceEncoder(Path(encoder_dir))
    kb = KnowledgeBase.load(kb_folder, encoder=encoder, cache=VectorCache(cache), mode=HYBRID)
    loaded = _rss()
    for p in list(kb.passages.values())[:20]:
        Conversation(kb).search(f"Can you tell me about {p.title.lower()}?", 3)
    searched = _rss()
    assert kb.vectors is not None
    return {"before": round(before, 1), "after_load": round(loaded, 1),
            "growth": round(loaded - before, 1), "after_searches": round(searched, 1),
            "growth_after_searches": round(searched - before, 1),
            "embedded": kb.vectors.embedded}


if __name__ == "__main__":
    import json
    import sys

    print(json.dumps(_warm_start(*sys.argv[1:4])))
