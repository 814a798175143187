"""Printing a call's events on the terminal: captions (partials in place on a terminal), notices
and assistance lines; JSON lines with --jsonl."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Callable
from typing import TextIO

from copilot.assist.describe import describe
from copilot.events import Caption, Event, Notice
from copilot.store.export import clock, speaker

__all__ = ["CaptionPrinter", "silence_stdout"]


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
        if event.amended:
            self._line(f"{prefix}(corrected, more masked) {event.text}")
        elif event.text:
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
        silence_stdout()


def silence_stdout() -> None:
    """Point stdout at /dev/null once its reader is gone: Python flushes stdout again at exit
    and would print "Exception ignored ... BrokenPipeError"."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass
