"""The copilot's log file: `$COPILOT_HOME/logs/copilot.log`, rotated.

What a call said never goes into the log, redacted or not: deleting a call must erase its words,
and a log line would outlive the deletion. Log lines carry ids, timings, counts and errors only.
"""

from __future__ import annotations

import logging
import logging.handlers

from copilot import paths

_configured = False


def setup(level: int = logging.INFO) -> None:
    global _configured
    if _configured:
        return
    folder = paths.home() / "logs"
    folder.mkdir(parents=True, exist_ok=True)
    handler = logging.handlers.RotatingFileHandler(
        folder / "copilot.log", maxBytes=2_000_000, backupCount=3, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger("copilot")
    root.addHandler(handler)
    root.setLevel(level)
    _configured = True
