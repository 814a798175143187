"""The copilot's log file: `$COPILOT_HOME/logs/copilot.log`, rotated.

What a call said never goes into the log, redacted or not: deleting a call must erase its words,
and a log line would outlive the deletion. Log lines carry ids, timings, counts and errors only.
"""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

from copilot import paths

_handler: logging.Handler | None = None
_path: Path | None = None


def setup(level: int = logging.INFO) -> Path:
    """Log to the data folder's log file; returns its path. Calling it again after COPILOT_HOME
    changed (tests, an embedding app) moves the log to the new folder instead of keeping the old."""
    global _handler, _path
    folder = paths.home() / "logs"
    path = folder / "copilot.log"
    if _handler is not None and _path == path:
        return path
    folder.mkdir(parents=True, exist_ok=True)
    handler = logging.handlers.RotatingFileHandler(
        path, maxBytes=2_000_000, backupCount=3, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger("copilot")
    if _handler is not None:
        root.removeHandler(_handler)
        _handler.close()
    root.addHandler(handler)
    root.setLevel(level)
    _handler, _path = handler, path
    return path
