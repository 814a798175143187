"""`copilot transcribe AUDIO`: run a recording through the live pipeline and print captions.

Without --realtime the file is processed as fast as the CPU allows (finals only); with
--realtime it is replayed at real-time pace exactly as a live call would arrive, partial
captions included, and `at` is the wall time since the replay began.
"""

from __future__ import annotations

import argparse
import math
import shutil
import signal
import sys
import threading
from collections.abc import Callable
from typing import TextIO

from copilot import paths
from copilot.assist.describe import describe
from copilot.events import Caption, Event, Notice
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
    """Listener that prints events. Partial captions are drawn in place on a terminal only.

    When the reader goes away (`copilot transcribe --jsonl x.wav | head`), printing stops and
    `on_broken` (the session's stop) ends the call quietly instead of transcribing for no one.
    """

    def __init__(self, jsonl: bool, out: TextIO | None = None,
                 on_broken: Callable[[], None] | None = None) -> None:
        self.jsonl = jsonl
        self.out = out or sys.stdout
        self.tty = self.out.isatty()
        self.on_broken = on_broken
        self.broken = False
        self._partial_open = False
        self._partial_id = ""

    def __call__(self, event: Event) -> None:
        if self.broken:
            return
        try:
            self._print(event)
        except BrokenPipeError:
            self.broken = True
            _silence_stdout(self.out)
            if self.on_broken is not None:
                self.on_broken()

    def _print(self, event: Event) -> None:
        if self.jsonl:
            self.out.write(event.to_json() + "\n")
            self.out.flush()
            return
        if isinstance(event, Notice):
            self._line(f"[{event.kind}] {event.message}")
            return
        if not isinstance(event, Caption):
            line = describe(event)
            if line is not None:
                self._line(line)
            return
        prefix = f"[{clock(event.start)}] {speaker(event.channel)}: "
        if not event.final:
            if self.tty:
                self.out.write("\r\x1b[2K" + _fit(prefix, event.text, _columns() - 2))
                self.out.flush()
                self._partial_open = True
                self._partial_id = event.id
            return
        if event.text:
            self._line(prefix + event.text)
        elif self._partial_open and event.id == self._partial_id:
            # A retraction: the partial on screen was nothing after all.
            self.out.write("\r\x1b[2K")
            self.out.flush()
            self._partial_open = False

    def finish(self) -> None:
        """Clear a partial left on screen (a summary line follows)."""
        if self._partial_open and not self.broken:
            self.out.write("\r\x1b[2K")
            self.out.flush()
            self._partial_open = False

    def _line(self, text: str) -> None:
        if self._partial_open:
            self.out.write("\r\x1b[2K")
            self._partial_open = False
        self.out.write(text + "\n")
        self.out.flush()


def _columns() -> int:
    return shutil.get_terminal_size().columns


def _fit(prefix: str, text: str, width: int) -> str:
    """One terminal line: the speaker prefix and the newest words (a partial grows at its end;
    a wrapped line could not be redrawn in place)."""
    line = prefix + text + " …"
    if len(line) <= width:
        return line
    room = width - len(prefix) - 3
    if room <= 0:
        return line[: max(0, width)]
    tail = text[-room:]
    if text[-room - 1] != " " and " " in tail:
        tail = tail[tail.index(" ") + 1:]  # start at a whole word
    return prefix + "…" + tail + " …"


def _silence_stdout(out: TextIO) -> None:
    if out is sys.stdout:
        from copilot.cli import silence_stdout

        silence_stdout()


def _file_source(args: argparse.Namespace, settings):
    from copilot.audio.channels import ChannelMap
    from copilot.audio.files import FileSource

    cmap = ChannelMap(args.channels or settings.audio.channels,
                      swap=args.swap or settings.audio.swap)
    return FileSource(args.audio, cmap, realtime=args.realtime)


def build_session(args: argparse.Namespace, listeners: list, *, store_enabled: bool = True,
                  make_source=_file_source, assist=None, engine=None):
    """Everything a call needs, from the command-line arguments and the settings file.
    `assist(settings, whisper_engine)`, when given, returns the session's assistance factory.
    `engine`: a WhisperEngine loaded beforehand (the window keeps one across calls); the caller
    keeps owning it. Otherwise one is loaded here and returned for the caller to close."""
    from copilot.asr.model_paths import NoModelError, resolve_whisper_model
    from copilot.asr.whisper_engine import ModelLoadError, WhisperEngine
    from copilot.assist.redaction import Redactor
    from copilot.audio.base import AudioError
    from copilot.cli import UserError
    from copilot.settings import Settings

    try:
        settings = Settings.load(paths.settings_path())
        source = make_source(args, settings)
        redactor = Redactor(settings.redaction.extra_patterns)
        owned = engine is None
        model = resolve_whisper_model(args.model, settings.asr.model) if owned else engine.path
        if owned:
            engine = WhisperEngine(model, settings.asr.compute_type, settings.asr.threads)
    except (AudioError, NoModelError, ModelLoadError, ValueError) as e:
        raise UserError(str(e)) from e
    try:
        factory = assist(settings, engine) if assist is not None else None
        return _assemble(args, listeners, settings, source, redactor, engine, model,
                         store_enabled=store_enabled, assist=factory)
    except BaseException:
        if owned:
            engine.close()  # a loaded model holds hundreds of MB; nothing else will free it
        raise


def _assemble(args, listeners, settings, source, redactor, engine, model, *, store_enabled,
              assist=None):
    from copilot.cli import UserError
    from copilot.session import CallSession
    from copilot.store.db import CallStore, StoreError

    langs = {"agent": args.lang or settings.asr.agent_lang,
             "customer": args.lang or settings.asr.customer_lang,
             "mono": args.lang or settings.asr.customer_lang}
    check_languages(langs, engine, model, from_cli=bool(args.lang))
    store = None
    if store_enabled and not args.no_store:
        try:
            store = CallStore(paths.database_path())
        except StoreError as e:
            raise UserError(str(e)) from e
    session = CallSession(source, engine, store=store, redactor=redactor, listeners=listeners,
                          realtime=args.realtime, title=args.title,
                          source_label=getattr(source, "label", "") or str(args.audio),
                          langs=langs, options=_stream_options(settings, assist, model),
                          queue_blocks=queue_blocks(settings.audio.queue_seconds,
                                                    len(source.channels)),
                          assist=assist)
    return session, store, engine


def _stream_options(settings, assist, model_path):
    import dataclasses

    from copilot.asr.model_paths import pack_languages
    from copilot.asr.streaming import options_from_settings

    opts = options_from_settings(settings.asr, pack_languages(model_path))
    skip = tuple(getattr(assist, "translate_skip", ()) or ())
    return dataclasses.replace(opts, translate_skip=skip) if skip else opts


def check_languages(langs: dict[str, str], engine, model, *, from_cli: bool) -> None:
    """A fixed language the model cannot transcribe (e.g. 'fr' with tiny.en) would otherwise be
    silently ignored or fail mid-call; refuse it up front, naming where it came from."""
    from copilot.cli import UserError

    known = set(getattr(engine, "languages", ()) or ())
    for channel, code in langs.items():
        if code and code not in known:
            where = "--lang" if from_cli else (
                "settings asr.agent_lang" if channel == "agent" else "settings asr.customer_lang")
            offered = ", ".join(sorted(known)) if len(known) <= 12 else f"{len(known)} languages"
            raise UserError(f"language {code!r} ({where}) is not supported by the speech model "
                            f"{model} (it knows: {offered})")


def queue_blocks(queue_seconds: float, channels: int) -> int:
    """Capture queue size: `queue_seconds` of audio for every channel (30 ms per block)."""
    from copilot.audio.base import FRAME_SAMPLES, SAMPLE_RATE

    per_second = SAMPLE_RATE / FRAME_SAMPLES
    return max(16, math.ceil(max(0.0, float(queue_seconds)) * per_second * max(1, channels)))


def cmd_transcribe(args: argparse.Namespace, make_source=_file_source) -> int:
    printer = CaptionPrinter(args.jsonl)
    result = run_call(args, printer, make_source=make_source)
    if result is None:
        return 1
    if printer.broken:
        return 0  # the reader went away (| head): end quietly, as other tools do
    printer.finish()
    where = f"stored as call {result.call_id}" if result.call_id else "not stored"
    print(f"-- {result.finals} final captions, {where}", file=sys.stderr)
    return 0


def run_call(args: argparse.Namespace, printer: CaptionPrinter, *, make_source=_file_source,
             assist=None):
    """Build the session, run the call to its end and close what it opened. Returns the
    CallResult, or None when the call had to stop (the reason was printed). The first Ctrl-C
    ends the call gracefully, a second aborts."""
    from copilot.audio.base import AudioError
    from copilot.cli import UserError
    from copilot.session import SessionError

    session, store, engine = build_session(args, [printer], make_source=make_source,
                                           assist=assist)
    printer.on_broken = session.stop
    restore = _install_sigint(session)
    try:
        return session.run()
    except KeyboardInterrupt:
        session.stop()
        raise
    except AudioError as e:
        raise UserError(str(e)) from e
    except SessionError as e:
        print(f"copilot: {e}", file=sys.stderr)
        return None
    finally:
        restore()
        if store is not None:
            store.close()
        engine.close()


def _install_sigint(session) -> Callable[[], None]:
    """First Ctrl-C: stop listening and finish the captions in progress (the summary follows);
    a second Ctrl-C aborts at once. Returns what puts the previous handler back."""
    if threading.current_thread() is not threading.main_thread():
        return lambda: None  # signal handlers can only be set from the main thread
    presses = 0

    def on_sigint(signum, frame) -> None:
        nonlocal presses
        presses += 1
        if presses > 1:
            raise KeyboardInterrupt
        print("\ncopilot: stopping; finishing the last captions (Ctrl-C again to abort)",
              file=sys.stderr)
        # Not inline: the handler runs on the main thread, maybe while it holds a lock stop()
        # needs.
        threading.Thread(target=session.stop, name="stop-on-sigint", daemon=True).start()

    previous = signal.signal(signal.SIGINT, on_sigint)
    # None means a handler not set from Python: Python's own is the best stand-in.
    return lambda: signal.signal(signal.SIGINT, previous or signal.default_int_handler)


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
