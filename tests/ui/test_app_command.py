"""`copilot app` and `copilot` alone: the window in its own process, clear refusals, help."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest
from waiting import wait_until

from copilot import cli
from copilot.cli import app as app_cmd
from copilot.store.db import CallStore
from ui import app


def test_copilot_app_runs_the_window_module_and_passes_its_refusal_on(capfd):
    # The child process refuses before it opens any window: a missing recording.
    assert cli.main(["app", "--replay", "/no/such/call.wav"]) == 2
    assert "no recording at /no/such/call.wav" in capfd.readouterr().err


@pytest.mark.parametrize("argv, message", [
    (["--screenshot", "x.png"], "--screenshot needs --quit-after"),
    (["--kb", "/no/such/kb"], "no knowledge folder"),
    (["--size", "10x10"], "at least 400x300"),
    (["--font-scale", "5"], "between 0.8 and 2.0"),
    (["--screenshot", "/no/such/dir/x.png", "--quit-after", "3"], "no folder"),
    (["--ask", "roaming in Canada?"], "--ask needs --quit-after"),
])
def test_bad_arguments_are_refused_with_a_reason(argv, message, capsys):
    assert app.main(argv) == 2
    assert message in capsys.readouterr().err


def test_copilot_alone_prints_help_without_a_display(monkeypatch, capsys):
    for var in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(var, raising=False)
    assert cli.main([]) == 0
    out = capsys.readouterr().out
    assert "usage: copilot" in out and "no display found" in out


def test_copilot_app_without_a_display_says_so_and_how_to_get_one(monkeypatch, capfd):
    for var in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(var, raising=False)
    assert cli.main(["app", "--demo"]) == 2  # Qt aborted with its own words (exit 134)
    err = capfd.readouterr().err
    assert "no display found" in err and "xvfb-run" in err and "Qt platform plugin" not in err
    assert cli.main(["app", "--help"]) == 0  # the options are still listed
    assert "--replay" in capfd.readouterr().out


def test_copilot_alone_opens_the_window_with_a_display(monkeypatch):
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    calls: list = []
    monkeypatch.setattr(app_cmd, "run", lambda args: calls.append(args) or 0)
    assert cli.main([]) == 0
    assert calls == [[]]


# -- the window process and its signals (real processes, offscreen) --------------------------

@pytest.fixture
def start(tmp_path):
    """start(*argv, window_only=False): `copilot app ARGV` as an agent starts it (or the window
    process alone) on a home of its own, in a process group of its own that is killed at the
    end of the test whatever happened."""
    home = tmp_path / "home"
    env = {**os.environ, "COPILOT_HOME": str(home), "QT_QPA_PLATFORM": "offscreen",
           "HF_HUB_OFFLINE": "1"}
    started: list[subprocess.Popen] = []

    def run(*argv: str, window_only: bool = False) -> subprocess.Popen:
        command = ["-m", "ui.app"] if window_only else ["-m", "copilot.cli", "app"]
        proc = subprocess.Popen([sys.executable, *command, *argv], env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                start_new_session=True)
        started.append(proc)
        return proc

    run.home = home  # type: ignore[attr-defined]
    yield run
    for proc in started:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)  # its window too, if a test failed early
        proc.communicate()


def _window_pid(home: Path, proc: subprocess.Popen) -> int:
    """The window process's id, once its event loop runs with its signal handlers in place
    (the window logs it then)."""
    log = home / "logs" / "copilot.log"

    def said() -> re.Match | None:
        text = log.read_text(encoding="utf-8") if log.is_file() else ""
        return re.search(r"window open \(process (\d+)\)", text) or (
            proc.poll() is not None and pytest.fail(f"the window ended: {proc.communicate()}"))

    found = wait_until(said, timeout=120)
    assert found, "the window never said it was open"
    return int(found.group(1))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    status = Path(f"/proc/{pid}/status")
    return not (status.is_file() and "\nState:\tZ" in status.read_text())  # a zombie is gone


def _ended(proc: subprocess.Popen, window: int) -> int:
    """The exit status, once the process and the window are both gone (the timeouts only keep
    a broken build from hanging the suite)."""
    rc = proc.wait(timeout=120)
    assert wait_until(lambda: not _alive(window), timeout=60), "the window is still running"
    return rc


@pytest.mark.parametrize("sig, window_only", [
    (signal.SIGTERM, False),  # to `copilot app`: it passes it on and waits for the window
    (signal.SIGINT, False),
    (signal.SIGTERM, True),  # to the window process itself
], ids=["sigterm-copilot-app", "sigint-copilot-app", "sigterm-window"])
def test_a_signal_closes_the_window_cleanly(start, sig, window_only):
    home = start.home
    proc = start("--no-llm", "--no-store", window_only=window_only)
    window = _window_pid(home, proc)
    assert (window == proc.pid) is window_only
    proc.send_signal(sig)
    assert _ended(proc, window) == 128 + sig  # the shell's status for it: 143, 130
    _out, err = proc.communicate()
    assert "Traceback" not in err and "KeyboardInterrupt" not in err
    assert f"signal {int(sig)}: closing the window" in (home / "logs" / "copilot.log").read_text()


def test_sigterm_during_a_call_finishes_and_keeps_the_call(start, testdata):
    """The window closes as its close button does: the call is finished and stored, with its
    after-call note, not left for the next start to mark interrupted."""
    home = start.home
    db = home / "calls.sqlite3"
    proc = start("--replay", str(testdata / "calls" / "billing_refund.wav"),
                  "--model", "tiny.en", "--no-llm", "--no-wrap-up")
    window = _window_pid(home, proc)

    def captions() -> int:
        try:
            with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as conn:
                return conn.execute("SELECT COUNT(*) FROM segments").fetchone()[0]
        except sqlite3.Error:  # not created yet
            return 0

    assert wait_until(lambda: captions() > 0 or proc.poll() is not None, timeout=180)
    assert proc.poll() is None, proc.communicate()
    proc.send_signal(signal.SIGTERM)
    assert _ended(proc, window) == 128 + signal.SIGTERM
    with CallStore(db) as store:
        [call] = store.list_calls()
        events = store.events(call.id)
    assert call.status == "completed" and call.segment_count >= 1
    assert any(e.type == "after_call" for e in events)


def test_a_zero_byte_recording_in_the_window_says_only_what_is_wrong(start, tmp_path):
    """The terminal gets the one clean line; the window's own log line (which may name the
    error's class) goes to the log file, not to the terminal (issue 15)."""
    empty = tmp_path / "EMPTY.wav"
    empty.write_bytes(b"")
    proc = start("--replay", str(empty), "--model", "tiny.en", "--no-llm", "--no-store",
                 "--no-wrap-up", "--quit-after", "1")
    _out, err = proc.communicate(timeout=180)  # a failure guard, never what is asserted
    assert proc.returncode == 1
    assert f"copilot app: audio file {empty} is empty (0 bytes)" in err.splitlines()
    assert "UserError" not in err and "Traceback" not in err
    assert "the call could not run: UserError" in (start.home / "logs" / "copilot.log").read_text()


# The window process with its close cut short while the call runs on: as under load, where the
# last words, summary and note outlast closing_flow.CLOSE_WAIT_MS (here made to, by a wait of
# 1 ms, looked at every 1 ms, and a call runner that does not wait for its call when closed).
_CUT_SHORT = """
import sys
import ui.call_runner as cr
import ui.closing_flow as mw
mw.CLOSE_WAIT_MS = 1
mw.CLOSE_CHECK_MS = 1
cr.CallRunner.close = lambda self, timeout=15.0: self.stop()
import ui.app as app
sys.exit(app.main(sys.argv[1:]))
"""


def test_a_close_cut_short_during_a_call_exits_cleanly_and_keeps_the_captions(start, testdata):
    """It crashed (a segmentation fault, exit 139: Qt and the interpreter torn down under the
    call's threads); now it says so and leaves, and the call is found interrupted."""
    home = start.home
    env = {**os.environ, "COPILOT_HOME": str(home), "QT_QPA_PLATFORM": "offscreen",
           "HF_HUB_OFFLINE": "1"}
    proc = subprocess.run(
        [sys.executable, "-c", _CUT_SHORT, "--replay", str(testdata / "calls" /
         "billing_refund.wav"), "--model", "tiny.en", "--no-llm", "--no-wrap-up",
         "--quit-after", "12"], env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    log = (home / "logs" / "copilot.log").read_text(encoding="utf-8")
    assert "the call was still running when the window closed: exiting now" in log
    with CallStore(home / "calls.sqlite3") as store:  # opening it finds the owner gone
        [call] = store.list_calls()
    assert call.status == "interrupted" and call.segment_count >= 1
