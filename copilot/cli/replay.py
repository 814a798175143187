"""`copilot replay CALL [--kb DIR]`: a recording through the whole live pipeline, assistance included.

Captions, translations, knowledge cards, suggested lines, customer signals and the running
summary are printed as they come (as the event JSON lines of docs/architecture.md with --jsonl) and stored
with the call; at the end, the summary and the after-call note. Without --realtime the file is
processed as fast as the CPU allows; with it, at the pace of a live call (latencies are real).

--handoff-at SECONDS makes the handoff note of a transfer at that call time (as the window's
Transfer / escalate does, from the running summary and the customer signals so far), prints it
(a `handoff` event with --jsonl) and stores it with the call.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from copilot.assist.handoff import HandoffAt
from copilot.cli.common import KB_HELP
from copilot.cli.printing import CaptionPrinter
from copilot.cli.transcribe import add_pipeline_args, request_from_args, run_call
from copilot.events import AfterCallNote, Handoff, Summary
from copilot.store.export import clock
from copilot.text.plural import plural


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("replay", help="a recording through the live pipeline with assistance",
                       description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("audio", metavar="CALL", help="WAV, FLAC, MP3, OGG, ... recording")
    p.add_argument("--kb", default=None, metavar="DIR", help=KB_HELP)
    p.add_argument("--no-llm", action="store_true",
                   help="no language model: approved lines and extractive summaries only")
    p.add_argument("--checklists", default="", metavar="PATH",
                   help="live checklists: a checklist file or a folder of them (docs/"
                        "checklists.md); 'none' for none (default: the active pack's, else the "
                        "bundled demo's with the sample knowledge base)")
    p.add_argument("--handoff-at", type=float, default=None, metavar="SECONDS",
                   help="make the handoff note of a transfer at this call time (seconds; at "
                        "the end of the call when it is shorter)")
    p.add_argument("--handoff-to", default="", metavar="DESTINATION",
                   help="where the call is handed (default: the first of the settings' "
                        "[handoff] destinations)")
    add_pipeline_args(p)
    p.set_defaults(func=cmd_replay)


def cmd_replay(args: argparse.Namespace) -> int:
    from copilot.assist.assembly import AssistBuild, AssistSetupError
    from copilot.errors import UserError

    printer = _EndPrinter(args.jsonl, _handoff_at(args))
    try:
        build = AssistBuild.open(args.kb or "", use_llm=not args.no_llm,
                                 checklists=args.checklists)
    except AssistSetupError as e:
        raise UserError(str(e)) from e
    with build:
        for warning in build.warnings:
            print(f"copilot: warning: {warning}", file=sys.stderr)
        result = run_call(request_from_args(args), printer, assist=build.factory)
    if result is None:
        return 1
    if printer.broken:
        return 0
    printer.finish()
    if printer.handoff is not None:
        printer.handoff_at_end()
        _store_handoff(result.call_id, printer.handoff.made)
    printer.print_wrap_up()
    where = f"stored as call {result.call_id}" if result.call_id else "not stored"
    print(f"-- {plural(result.finals, 'final caption')}, "
          f"{plural(result.assist_events, 'assistance event')}, {where}", file=sys.stderr)
    return 0


def _handoff_at(args: argparse.Namespace) -> HandoffAt | None:
    from copilot.assist.handoff import destinations
    from copilot.cli.common import load_settings
    from copilot.errors import UserError

    if args.handoff_at is None:
        if args.handoff_to:
            raise UserError("--handoff-to needs --handoff-at SECONDS")
        return None
    if not args.handoff_at >= 0:  # also refuses nan
        raise UserError(f"--handoff-at takes a call time in seconds, not {args.handoff_at}")
    where = " ".join(args.handoff_to.split()) or destinations(load_settings())[0]
    return HandoffAt(args.handoff_at, where)


def _store_handoff(call_id: int | None, note: Handoff | None) -> None:
    """Keep the replay's handoff note with its call, as the window keeps the agent's."""
    if call_id is None or note is None:
        return
    from copilot.cli.common import load_settings
    from copilot.paths import database_path
    from copilot.store.db import CallStore
    from copilot.store.errors import StoreError
    from copilot.store.options import options_from_settings

    try:  # opened as the session opened it (plain or encrypted, as the settings say)
        with CallStore(database_path(),
                       options=options_from_settings(load_settings().store)) as store:
            store.add_event(call_id, note.type, note.at, note.to_dict())
    except (StoreError, OSError) as e:
        print(f"copilot: warning: the handoff note was not stored with call {call_id}: {e}",
              file=sys.stderr)


class _EndPrinter(CaptionPrinter):
    """Prints events as they come and keeps the last summary and note for the end; with a
    HandoffAt, makes the handoff note when the call reaches its time and prints it there."""

    def __init__(self, jsonl: bool, handoff: HandoffAt | None = None) -> None:
        super().__init__(jsonl)
        self.summary: Summary | None = None
        self.note: AfterCallNote | None = None
        self.handoff = handoff
        self.last_at = 0.0  # the call time of the latest event

    def __call__(self, event: Any) -> None:
        self.last_at = max(self.last_at, float(getattr(event, "at", 0.0)))
        if self.handoff is not None:
            made = self.handoff.before(event)
            if made is not None:
                self._print_handoff(made)
        if isinstance(event, Summary):
            self.summary = event
        elif isinstance(event, AfterCallNote):
            self.note = event
        super().__call__(event)

    def handoff_at_end(self) -> None:
        """The call ended before the handoff time without an after-call note: make it now."""
        assert self.handoff is not None
        made = self.handoff.at_end(self.last_at)
        if made is not None:
            self._print_handoff(made)

    def _print_handoff(self, made: Handoff) -> None:
        if self.jsonl or self.broken:
            super().__call__(made)
            return
        self._line("")
        self._line(f"== Handoff note (AI draft, to {made.destination}, at "
                   f"{clock(made.at)}) ==")
        for line in made.note.splitlines():
            self._line(line)
        self._line("")

    def print_wrap_up(self) -> None:
        if self.jsonl or self.broken:
            return
        from copilot.assist.describe import summary_block

        if self.summary is not None:
            self._line("")
            self._line(f"== Summary (AI, v{self.summary.version}) ==")
            for line in summary_block(self.summary.sections):
                self._line(line)
        if self.note is not None:
            self._line("")
            self._line(f"== After-call note (AI draft; disposition: {self.note.disposition}) ==")
            for line in self.note.note.splitlines():
                self._line(line)
