"""`copilot app`: the desktop window, started as its own Python process.

The engine never imports Qt or the ui package (import-linter checks every import, lazy ones
included), so this command runs `python -m ui.app` with the same interpreter instead. `copilot`
with no sub-command does the same when there is a display to show a window on.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from collections.abc import Callable


def register(sub: argparse._SubParsersAction) -> None:
    # Listed for `copilot --help`; its arguments are the window's own (`copilot app --help`),
    # handed over untouched by `main()` in copilot/cli.py.
    sub.add_parser("app", add_help=False,
                   help="the desktop window (copilot app --help for its options)")


def has_display() -> bool:
    return any(os.environ.get(v) for v in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"))


def run(args: list[str]) -> int:
    """The window's exit code; its messages go straight to this terminal."""
    try:
        return subprocess.call([sys.executable, "-m", "ui.app", *args])
    except KeyboardInterrupt:  # the window got the same Ctrl-C and closes itself
        return 130
    except OSError as e:
        print(f"copilot: cannot start the desktop window: {e}", file=sys.stderr)
        return 1


def open_or_help(make_parser: Callable[[], argparse.ArgumentParser]) -> int:
    """`copilot` alone: the window when one can be shown, else the list of commands."""
    if has_display():
        return run([])
    make_parser().print_help()
    print("\n(no display found: the desktop window needs one; see `copilot app --help`)")
    return 0
