"""Recognition only: streaming finals vs the offline batch, with no redaction on any side.

`copilot bench asr` scores what the live pipeline shows, which is redacted by design (a card
number said in full becomes "[card ending 1111]"), so it applies the same redaction to the
reference and the offline text. This script answers the other question, "does streaming hear
worse than the batch run?", with nothing masked anywhere. Bench-only: the captions it makes
are never stored or shown, which is the only reason it may bypass the redactor.

Finals are decoded unpaced (the file is read as fast as the worker keeps up, so utterance
boundaries are the same on every run); the offline run is `asr_bench.run_offline`.

    python tests/bench/recognition_wer.py ../shared/testdata/calls/{billing_refund,device_limit,student_discount}.wav
"""

from __future__ import annotations

import argparse
from pathlib import Path

from copilot.asr.model_paths import resolve_whisper_model
from copilot.asr.whisper_engine import WhisperEngine
from copilot.audio.channels import ChannelMap
from copilot.audio.files import FileSource
from copilot.bench import wer
from copilot.bench.asr_bench import run_offline
from copilot.bench.references import load_reference
from copilot.call.session import CallSession
from copilot.events import Caption
from copilot.privacy.redaction import Redacted, Redactor


class _PassThrough(Redactor):
    """Releases every final as heard (see the module docstring for why this exists)."""

    def push_final(self, channel, key, text, now):
        return [(key, Redacted(text, ()))]

    def tick(self, now):
        return []

    def flush(self):
        return []

    def redact_partial(self, channel, text):
        return Redacted(text, ())


def _score(ref, captions, cmap) -> wer.WerResult:
    parts = []
    for ch in cmap.names:
        hyp = " ".join(c.text for c in sorted(captions, key=lambda c: c.start) if c.channel == ch)
        parts.append(wer.wer(ref.text_by_channel.get(ch, ""), hyp, ref.lang_of(ch)))
    return wer.combine(parts)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("audio", nargs="+")
    ap.add_argument("--model", default="base")
    args = ap.parse_args()
    cmap, langs = ChannelMap("stereo"), {"agent": "en", "customer": ""}
    totals = {"streaming": [], "offline": []}
    with WhisperEngine(resolve_whisper_model(args.model)) as engine:
        for audio in map(Path, args.audio):
            ref = load_reference(audio)
            events: list = []
            CallSession(FileSource(audio, cmap, realtime=False), engine, store=None,
                        redactor=_PassThrough(), listeners=[events.append], realtime=False,
                        langs=langs).run()
            live = _score(ref, [e for e in events if isinstance(e, Caption) and e.final], cmap)
            off = _score(ref, run_offline(audio, engine, ref, cmap, langs).finals, cmap)
            totals["streaming"].append(live)
            totals["offline"].append(off)
            print(f"{audio.name}: streaming {live.wer:.3f}  offline {off.wer:.3f}  "
                  f"({live.ref_words} words)")
    s, o = wer.combine(totals["streaming"]), wer.combine(totals["offline"])
    print(f"all: streaming {s.wer:.3f}  offline {o.wer:.3f}  gap {100 * (s.wer - o.wer):+.1f} "
          f"points ({s.ref_words} words)")


if __name__ == "__main__":
    main()
