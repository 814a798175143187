"""Precision and recall of the live checklists' automatic ticks, per kind of item, on the
neural-voice calls of tests/data/calls/checklist/ (copilot/bench/checklist_bench.py says how
each tick is judged):

    .venv/bin/python tests/bench/checklist_calls.py [dev|heldout ...] [--realtime] [--model base]
        [--checklists PATH] [--scripts] [--together]

--scripts reads each call's script instead of its audio, a turn a caption (no recognizer: what
the readers make of the words alone, a whole corpus in under a minute); --together prints one
table over all the parts named.

Each call goes through the live pipeline as `copilot replay --no-llm --no-store` runs it: the
audio source, the Silero VAD, Whisper (base by default), redaction, the assistance worker with
the knowledge base's sentence encoder (all-MiniLM-L6-v2) and the repository's demo checklist
(resources/checklists/, not the copy inside an installed demo pack, which may be older; or
--checklists). The LLM
is left out: it plays no part in checklists and would only slow the run. --realtime paces each
call like a live one (captions cut as they are during a call); without it the audio is read as
fast as the CPU allows. The held-out calls are for one run at the end, never for tuning. Each
part also prints its final captions' word error rate per channel (redacted captions against the
scripts), so a change to what Whisper is given shows what it does to the captions too.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from copilot import paths
from copilot.asr import model_paths
from copilot.asr.whisper_engine import WhisperEngine
from copilot.assist.assembly import AssistBuild
from copilot.bench import checklist_bench as bench
from copilot.bench.wer import corpus_wer
from copilot.settings import Settings

CALLS = Path(__file__).resolve().parents[1] / "data" / "calls" / "checklist"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("parts", nargs="*", default=["dev"], help="dev and/or heldout")
    ap.add_argument("--realtime", action="store_true", help="pace every call like a live one")
    ap.add_argument("--model", default="base", help="Whisper: base, tiny.en or a folder")
    ap.add_argument("--checklists", default=str(paths.sample_checklists()), metavar="PATH",
                    help="checklist file or folder (default: the repository's demo checklist)")
    ap.add_argument("--verbose", action="store_true", help="every tick, condition and flag")
    ap.add_argument("--no-agent-name", action="store_true",
                    help="without each agent's own name (agents.json) given to the recognizer")
    ap.add_argument("--scripts", action="store_true",
                    help="the scripts' turns as captions, without audio or recognizer")
    ap.add_argument("--together", action="store_true", help="one table over all the parts")
    a = ap.parse_args(argv)
    settings = Settings()
    settings.asr.model = a.model
    build = AssistBuild.open(use_llm=False, settings=settings, checklists=a.checklists)
    if build.checklists is None or not build.checklists.automatic:
        print("no checklist or no sentence encoder: nothing to measure", file=sys.stderr)
        return 1
    items = {i.id: i.kind for c in build.checklists.checklists for i in c.items}
    engine = None if a.scripts else WhisperEngine(
        model_paths.resolve_whisper_model(a.model), settings.asr.compute_type,
        settings.asr.threads)
    groups = [a.parts] if a.together else [[part] for part in a.parts]
    try:
        for parts in groups:
            outcomes: list[bench.Outcome] = []
            pairs: dict[str, list[tuple[str, str]]] = {}
            t0 = time.perf_counter()
            calls = [call for part in parts for call in bench.load_calls(CALLS / part)]
            for call in calls:
                if engine is None:
                    events = bench.replay_script(call, build.checklists)
                else:
                    events = bench.replay(call, settings, build.factory, engine,
                                          realtime=a.realtime, agent_name=not a.no_agent_name)
                    for channel, pair in bench.caption_pairs(call, events).items():
                        pairs.setdefault(channel, []).append(pair)
                outcomes += bench.score_call(call, events, items)
                if a.verbose:
                    for line in bench.trace(call, events):
                        print(line)
            rows = bench.table(outcomes)
            name = parts[0] if len(parts) == 1 else f"{len(parts)} parts"
            print()
            for line in bench.format_table(rows, f"{name}{' (scripts)' if a.scripts else ''}: "
                                                 f"{len(calls)} calls, "
                                                 f"{time.perf_counter() - t0:.0f} s"):
                print(line)
            for channel, channel_pairs in sorted(pairs.items()):
                w = corpus_wer(channel_pairs)
                print(f"{channel} captions: WER {w.wer:.3f} ({w.sub} substituted, {w.ins} "
                      f"inserted, {w.dels} deleted of {w.ref_words} words)")
            for row, counts in rows.items():
                for miss in counts.misses:
                    print(f"  {row}: {miss}")
    finally:
        if engine is not None:
            engine.close()
        build.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
