"""Waiting for a condition instead of sleeping for a guessed time.

    assert wait_until(lambda: out.qsize() == 3)

`wait_until` polls the predicate and returns its last value as soon as it holds, so the test goes
on the moment the behaviour happened and asserts on the behaviour itself. The timeout only keeps
a broken build from hanging the suite: it is generous on purpose and is never what is asserted.
(Qt tests use `qtbot.waitUntil`, which also runs the event loop meanwhile.)
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

TIMEOUT = 30.0  # seconds; only reached when the awaited behaviour never happens


def wait_until(predicate: Callable[[], T], timeout: float = TIMEOUT,
               interval: float = 0.005) -> T:
    """Poll `predicate` until it returns something truthy or `timeout` passes; its last value."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value or time.monotonic() >= deadline:
            return value
        time.sleep(interval)
