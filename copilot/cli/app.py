"""`copilot app`: the desktop window, started as its own Python process.

The engine never imports Qt or the ui package (import-linter checks every import, lazy ones
included), so this command runs `python -m ui.app` with the same interpreter instead. `copilot`
with no sub-command does the same when there is a display to show a window on.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Callable


def register(sub: argparse._SubParsersAction) -> None:
    # Listed for `copilot --help`; its arguments are the window's own (`copilot app --help`),
    # handed over untouched by `main()` in copilot/cli.py.
    sub.add_parser("app", add_help=False,
                   help="the desktop window (copilot app --help for its options)")


def has_display() -> bool:
    return any(os.environ.get(v) for v in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"))


NO_DISPLAY = ("copilot: no display found: the desktop window needs one (a desktop session, or "
              "a virtual one: xvfb-run -a copilot app ...); `copilot replay AUDIO` runs the same "
              "live pipeline in the terminal")


# Passed on to the window, which closes as its close button does (finishing a running call).
FORWARDED_SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGINT")
                          if hasattr(signal, name))


def run(args: list[str]) -> int:
    """The window's exit code (128 + N when signal N ended it); its messages go straight to
    this terminal."""
    if not has_display() and not {"-h", "--help"} & set(args):
        # Qt would abort with its own words ("Could not load the Qt platform plugin ...
        # Reinstalling the application may fix this problem"), which fix nothing.
        print(NO_DISPLAY, file=sys.stderr)
        return 2
    try:
        window = subprocess.Popen([sys.executable, "-m", "ui.app", *args])
    except OSError as e:
        print(f"copilot: cannot start the desktop window: {e}", file=sys.stderr)
        return 1
    restore = _forward_signals(window)
    try:
        rc = window.wait()
    finally:
        restore()
    return 128 - rc if rc < 0 else rc


def _forward_signals(window: subprocess.Popen) -> Callable[[], None]:
    """SIGTERM and SIGINT to this process go to the window, and this process waits for it to
    close: ended by them (the default), it left the window running without its parent; a
    Ctrl-C (KeyboardInterrupt in subprocess.call) killed it mid-call. Returns what puts the
    previous handlers back."""
    if threading.current_thread() is not threading.main_thread():
        return lambda: None  # signal handlers can only be set from the main thread

    def forward(signum: int, frame: object) -> None:
        with contextlib.suppress(OSError):  # the window has just exited
            window.send_signal(signum)

    previous = {sig: signal.signal(sig, forward) for sig in FORWARDED_SIGNALS}

    def restore() -> None:
        for sig, handler in previous.items():
            signal.signal(sig, handler if handler is not None else signal.SIG_DFL)

    return restore


def open_or_help(make_parser: Callable[[], argparse.ArgumentParser]) -> int:
    """`copilot` alone: the window when one can be shown, else the list of commands."""
    if has_display():
        return run([])
    make_parser().print_help()
    print("\n(no display found: the desktop window needs one; see `copilot app --help`)")
    return 0
