"""`copilot transcribe AUDIO`: run a recording through the live pipeline and print captions.

Without --realtime the file is processed as fast as the CPU allows (finals only); with
--realtime it is replayed at real-time pace exactly as a live call would arrive, partial
captions included, and `at` is the wall time since the replay began.
"""

from __future__ import annotations

import argparse
import sys
from typing import TextIO

from copilot import paths
from copilot.events import Caption, Event
from copilot.store.export import clock, speaker


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("transcribe", help="transcribe a recording through the live pipeline",
                       description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("audio", metavar="AUDIO", help="WAV, FLAC, MP3, OGG, ... recording")
    add_pipeline_args(p)
    p.set_defaults(func=cmd_transcribe)

    p = sub.add_parser("listen", help="transcribe a live call from the sound devices (Ctrl-C ends)",
                       description="Live call from sound devices: one stereo device (agent left, "
                       "customer right) or --agent-device plus --customer-device (for example "
                       "the softphone's output monitor). See `copilot devices`.")
    p.add_argument("--agent-device", default=None, help="index or part of the name")
    p.add_argument("--customer-device", default=None, help="index or part of the name")
    add_pipeline_args(p)
    p.set_defaults(func=cmd_listen, realtime=True, audio="")


def add_pipeline_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--realtime", action="store_true", help="replay at real-time pace (live)")
    p.add_argument("--jsonl", action="store_true", help="print events as JSON lines")
    p.add_argument("--model", default="", metavar="PATH",
                   help="CTranslate2 Whisper folder, or 'base' / 'tiny.en' (default: settings, "
                        "then the installed Whisper base)")
    p.add_argument("--channels", choices=("stereo", "mono"), default=None,
                   help="stereo: agent left, customer right (default); mono: one mixed channel")
    p.add_argument("--swap", action="store_true", help="stereo with the agent on the right")
    p.add_argument("--lang", default="", metavar="XX",
                   help="fix the language of every speaker (default: detect per speaker)")
    p.add_argument("--no-store", action="store_true", help="do not keep the call in the database")
    p.add_argument("--title", default="", help="a title stored with the call")


class CaptionPrinter:
    """Listener that prints events. Partial captions are drawn in place on a terminal only."""

    def __init__(self, jsonl: bool, out: TextIO = sys.stdout) -> None:
        self.jsonl = jsonl
        self.out = out
        self.tty = out.isatty()
        self._partial_open = False

    def __call__(self, event: Event) -> None:
        if self.jsonl:
            self.out.write(event.to_json() + "\n")
            self.out.flush()
            return
        if not isinstance(event, Caption):
            self._line(f"[{event.kind}] {event.message}")
            return
        text = f"[{clock(event.start)}] {speaker(event.channel)}: {event.text}"
        if not event.final:
            if self.tty:
                self.out.write("\r\x1b[2K" + text[: 160] + " …")
                self.out.flush()
                self._partial_open = True
            return
        if event.text:
            self._line(text)

    def _line(self, text: str) -> None:
        if self._partial_open:
            self.out.write("\r\x1b[2K")
            self._partial_open = False
        self.out.write(text + "\n")
        self.out.flush()


def _file_source(args: argparse.Namespace, settings):
    from copilot.audio.channels import ChannelMap
    from copilot.audio.files import FileSource

    cmap = ChannelMap(args.channels or settings.audio.channels,
                      swap=args.swap or settings.audio.swap)
    return FileSource(args.audio, cmap, realtime=args.realtime)


def build_session(args: argparse.Namespace, listeners: list, *, store_enabled: bool = True,
                  make_source=_file_source):
    """Everything a call needs, from the command-line arguments and the settings file."""
    from copilot.asr.model_paths import NoModelError, resolve_whisper_model
    from copilot.asr.streaming import options_from_settings
    from copilot.asr.whisper_engine import ModelLoadError, WhisperEngine
    from copilot.assist.redaction import Redactor
    from copilot.audio.base import AudioError
    from copilot.cli import UserError
    from copilot.session import CallSession
    from copilot.settings import Settings
    from copilot.store.db import CallStore, StoreError

    try:
        settings = Settings.load(paths.settings_path())
        source = make_source(args, settings)
        redactor = Redactor(settings.redaction.extra_patterns)
        engine = WhisperEngine(resolve_whisper_model(args.model, settings.asr.model),
                               settings.asr.compute_type, settings.asr.threads)
    except (AudioError, NoModelError, ModelLoadError, ValueError) as e:
        raise UserError(str(e)) from e
    langs = {"agent": args.lang or settings.asr.agent_lang,
             "customer": args.lang or settings.asr.customer_lang,
             "mono": args.lang or settings.asr.customer_lang}
    store = None
    if store_enabled and not args.no_store:
        try:
            store = CallStore(paths.database_path())
        except StoreError as e:
            raise UserError(str(e)) from e
    session = CallSession(source, engine, store=store, redactor=redactor, listeners=listeners,
                          realtime=args.realtime, title=args.title,
                          source_label=getattr(source, "label", "") or str(args.audio),
                          langs=langs, options=options_from_settings(settings.asr))
    return session, store, engine


def cmd_transcribe(args: argparse.Namespace, make_source=_file_source) -> int:
    printer = CaptionPrinter(args.jsonl)
    session, store, engine = build_session(args, [printer], make_source=make_source)
    try:
        result = session.run()
    except KeyboardInterrupt:
        session.stop()
        raise
    finally:
        if store is not None:
            store.close()
        engine.close()
    where = f"stored as call {result.call_id}" if result.call_id else "not stored"
    print(f"-- {result.finals} final captions, {where}", file=sys.stderr)
    return 0


def _device_source(args: argparse.Namespace, settings):
    from copilot.audio.channels import ChannelMap
    from copilot.audio.devices import DeviceSource

    cmap = ChannelMap(args.channels or settings.audio.channels,
                      swap=args.swap or settings.audio.swap)
    source = DeviceSource(args.agent_device or settings.audio.agent_device or None,
                          args.customer_device or settings.audio.customer_device or None, cmap)
    source.label = " + ".join(str(d) for d in source.devices)
    return source


def cmd_listen(args: argparse.Namespace) -> int:
    args.realtime = True  # a live call is real time by nature
    return cmd_transcribe(args, make_source=_device_source)
