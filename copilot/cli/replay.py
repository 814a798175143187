"""`copilot replay CALL [--kb DIR]`: a recording through the whole live pipeline, assistance included.

Captions, translations, knowledge cards, suggested lines, customer signals and the running
summary are printed as they come (as the event JSON lines of DESIGN.md with --jsonl) and stored
with the call; at the end, the summary and the after-call note. Without --realtime the file is
processed as fast as the CPU allows; with it, at the pace of a live call (latencies are real).
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from copilot.cli.common import KB_HELP
from copilot.cli.printing import CaptionPrinter
from copilot.cli.transcribe import add_pipeline_args, request_from_args, run_call
from copilot.events import AfterCallNote, Summary


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("replay", help="a recording through the live pipeline with assistance",
                       description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("audio", metavar="CALL", help="WAV, FLAC, MP3, OGG, ... recording")
    p.add_argument("--kb", default=None, metavar="DIR", help=KB_HELP)
    p.add_argument("--no-llm", action="store_true",
                   help="no language model: approved lines and extractive summaries only")
    add_pipeline_args(p)
    p.set_defaults(func=cmd_replay)


def cmd_replay(args: argparse.Namespace) -> int:
    from copilot.assist.assembly import AssistBuild, AssistSetupError
    from copilot.errors import UserError

    printer = _EndPrinter(args.jsonl)
    try:
        build = AssistBuild.open(args.kb or "", use_llm=not args.no_llm)
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
    printer.print_wrap_up()
    where = f"stored as call {result.call_id}" if result.call_id else "not stored"
    print(f"-- {result.finals} final captions, {result.assist_events} assistance events, {where}",
          file=sys.stderr)
    return 0


class _EndPrinter(CaptionPrinter):
    """Prints events as they come and keeps the last summary and note for the end."""

    def __init__(self, jsonl: bool) -> None:
        super().__init__(jsonl)
        self.summary: Summary | None = None
        self.note: AfterCallNote | None = None

    def __call__(self, event: Any) -> None:
        if isinstance(event, Summary):
            self.summary = event
        elif isinstance(event, AfterCallNote):
            self.note = event
        super().__call__(event)

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
