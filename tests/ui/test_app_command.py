"""`copilot app` and `copilot` alone: the window in its own process, clear refusals, help."""

from __future__ import annotations

import pytest

from copilot import cli
from copilot.cli import app as app_cmd
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


def test_copilot_alone_opens_the_window_with_a_display(monkeypatch):
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    calls: list = []
    monkeypatch.setattr(app_cmd, "run", lambda args: calls.append(args) or 0)
    assert cli.main([]) == 0
    assert calls == [[]]
