"""`copilot transcribe AUDIO`: run a recording through the live pipeline and print captions.

Without --realtime the file is processed as fast as the CPU allows (finals only); with
--realtime it is replayed at real-time pace exactly as a live call would arrive, partial
captions included, and `at` is the wall time since the replay began.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from collections.abc import Callable
from typing import Any

from copilot.call.build import SourceMaker, open_source
from copilot.call.request import CallRequest
from copilot.cli.common import load_settings
from copilot.cli.printing import CaptionPrinter
from copilot.text.plural import plural


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
    add_pipeline_args(p, recording=False)  # a live call is live: no --realtime to choose
    p.set_defaults(func=cmd_listen, realtime=True, audio="")


def add_pipeline_args(p: argparse.ArgumentParser, *, recording: bool = True) -> None:
    if recording:
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
    p.add_argument("--keep-empty", action="store_true",
                   help="keep the call even when no speech was heard (by default a silent "
                        "recording is said so and not kept)")
    p.add_argument("--title", default="", help="a title stored with the call")


def request_from_args(args: argparse.Namespace, *, devices: bool = False) -> CallRequest:
    """The command line's options as a typed CallRequest. A --model the site's rules refuse
    stops here, before a device or a file is opened (copilot/pack_trust.py)."""
    from copilot import resolver
    from copilot.errors import UserError

    try:
        resolver.check_speech_model(args.model or "")
    except resolver.PackUnusable as e:
        raise UserError(str(e)) from e
    return CallRequest(
        audio=getattr(args, "audio", "") or "", devices=devices,
        agent_device=getattr(args, "agent_device", None) or "",
        customer_device=getattr(args, "customer_device", None) or "",
        realtime=bool(args.realtime) or devices, model=args.model or "", channels=args.channels,
        swap=bool(args.swap), lang=args.lang or "", store=not args.no_store,
        keep_empty=bool(getattr(args, "keep_empty", False)), title=args.title)


def cmd_transcribe(args: argparse.Namespace, *, devices: bool = False) -> int:
    printer = CaptionPrinter(args.jsonl)
    result = run_call(request_from_args(args, devices=devices), printer)
    if result is None:
        return 1
    if printer.broken:
        return 0  # the reader went away (| head): end quietly, as other tools do
    printer.finish()
    where = f"stored as call {result.call_id}" if result.call_id else "not stored"
    print(f"-- {plural(result.finals, 'final caption')}, {where}", file=sys.stderr)
    return 0


def run_call(request: CallRequest, printer: CaptionPrinter, *,
             make_source: SourceMaker = open_source, assist: Any = None) -> Any:
    """Build the session, run the call to its end and close what it opened. Returns the
    CallResult, or None when the call had to stop (the reason was printed). The first Ctrl-C
    ends the call gracefully, a second aborts."""
    from copilot.audio.base import AudioError
    from copilot.call import build
    from copilot.call.session import SessionError
    from copilot.errors import UserError

    session, store, engine = build.build_session(load_settings(), request, [printer],
                                                 make_source=make_source, assist=assist)
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


def cmd_listen(args: argparse.Namespace) -> int:
    return cmd_transcribe(args, devices=True)  # a live call is real time by nature
