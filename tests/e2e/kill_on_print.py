"""Run `copilot` (as nonet.py does) and SIGKILL the process the instant it has printed its Nth
final caption, from inside the printer: the harshest moment for "nothing shown is lost". A final
is committed to the store before any listener sees it, so the one just printed must be stored.
Usage: python tests/e2e/kill_on_print.py N ARGS..."""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import nonet  # noqa: E402,F401 - refuses every network socket, as in the other e2e runs

from copilot.cli import printing  # noqa: E402
from copilot.events import Caption  # noqa: E402

if __name__ == "__main__":
    after = int(sys.argv[1])
    printed = 0
    original = printing.CaptionPrinter._print

    def print_then_die(self, event):  # type: ignore[no-untyped-def]
        global printed
        original(self, event)
        if isinstance(event, Caption) and event.final and event.text:
            printed += 1
            if printed >= after:
                self.out.flush()
                os.kill(os.getpid(), signal.SIGKILL)

    printing.CaptionPrinter._print = print_then_die  # type: ignore[method-assign]
    from copilot.cli import main

    sys.exit(main(sys.argv[2:]))
