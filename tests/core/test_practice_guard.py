"""Practice never runs during a live call: the lock a live call holds, seen from the same
process and from another one."""

from __future__ import annotations

import subprocess
import sys

import pytest

from copilot import paths
from copilot.knowledge.base import KnowledgeBase
from copilot.locks import (
    LiveCallActive,
    live_call,
    live_call_active,
    practice_active,
    practice_lock,
)
from copilot.practice.scenario import find_scenario
from copilot.practice.session import PracticeSession


def test_no_call_no_practice_at_first(copilot_home):
    assert not live_call_active() and not practice_active()
    with practice_lock() as guard:
        assert practice_active() and not live_call_active()
        guard.check()
    assert not practice_active()


def test_practice_refused_while_a_live_call_runs(copilot_home):
    with live_call():
        assert live_call_active()
        with pytest.raises(LiveCallActive, match="live call is running"), practice_lock():
            pass
        assert not practice_active()
    assert not live_call_active()
    with practice_lock():  # the call ended: practice may start
        pass


def test_a_call_starting_mid_practice_stops_the_next_answer(copilot_home):
    with KnowledgeBase.load(paths.sample_kb()) as kb, practice_lock() as guard:
        s = PracticeSession(find_scenario("one_device"), kb, guard=guard)
        s.opening()
        s.answer("Which plan are you on?")
        with live_call():  # never blocked by the practice session
            with pytest.raises(LiveCallActive):
                s.answer("Up to 5 devices at the same time.")
        s.answer("Up to 5 devices at the same time.")  # the call is over: go on
        assert len(s.answers) == 2


def test_a_live_call_in_another_process_is_seen(copilot_home):
    code = ("import sys\nfrom copilot.locks import live_call\n"
            "with live_call():\n    print('held', flush=True)\n    sys.stdin.readline()\n")
    proc = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "held"
        assert live_call_active()
        with pytest.raises(LiveCallActive), practice_lock():
            pass
    finally:
        proc.stdin.write("\n")
        proc.stdin.flush()
        proc.wait(30)
    assert not live_call_active()


def test_a_crashed_call_leaves_no_stale_lock(copilot_home):
    code = ("import os\nfrom copilot.locks import live_call\n"
            "with live_call():\n    os._exit(1)\n")
    subprocess.run([sys.executable, "-c", code], check=False)
    assert (copilot_home / "live-call.lock").exists()
    assert not live_call_active()


def test_a_probe_at_the_moment_a_call_starts_never_refuses_the_call(tmp_path):
    """The practice tab probes the live-call lock every second by taking it exclusively for an
    instant; a call starting in that instant must wait it out, not fail."""
    import fcntl
    import threading

    from copilot.locks import LIVE_LOCK, live_call

    path = tmp_path / LIVE_LOCK
    path.touch()
    with open(path, "a+b") as probe:
        fcntl.flock(probe.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)  # the probe's instant
        threading.Timer(0.05, lambda: fcntl.flock(probe.fileno(), fcntl.LOCK_UN)).start()
        with live_call(tmp_path):
            pass  # got the lock once the probe let go
