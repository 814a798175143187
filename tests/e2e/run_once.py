"""A module fixture's work done once per test run, not once per worker.

Under pytest-xdist a module-scoped fixture is built again on every worker that runs one of its
module's tests: the log-content fixtures (every command of the app, real models, about 90 s
each) were built up to three times a run. `once` builds it in the run's shared temporary folder
under a file lock; the first worker to get there builds it, the others wait and read its result.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any


def once(tmp_path_factory: Any, name: str, build: Callable[[Path], Any]) -> Any:
    """`build(folder)` run once for the whole run, in `folder` (shared by the workers); its
    result, which must be JSON, is kept and returned to every caller."""
    base = tmp_path_factory.getbasetemp()
    root = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    result = root / f"{name}.json"
    with open(root / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file is closed
        if result.exists():
            return json.loads(result.read_text(encoding="utf-8"))
        folder = root / name
        shutil.rmtree(folder, ignore_errors=True)  # what a failed build left
        folder.mkdir()
        value = build(folder)
        result.write_text(json.dumps(value), encoding="utf-8")
        return value
