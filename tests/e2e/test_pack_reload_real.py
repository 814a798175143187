"""Activating a pack while the window is open loads its models and knowledge at once: the
real CallRunner, real Whisper, the real demo pack, no restart."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from copilot.settings import Settings
from ui import call_runner as cr
from ui.call_runner import CallRunner, RunnerOptions
from ui.main_window import MainWindow
from ui.window_dialogs import DialogHub

# The demo recipe's version: bumped whenever the pack changes.
DEMO_VERSION = tomllib.loads((Path(__file__).resolve().parents[2] / "models" / "recipes" /
                                "demo.toml").read_text(encoding="utf-8"))["version"]

pytestmark = pytest.mark.e2e


def test_a_newly_activated_pack_replaces_the_loaded_models(qtbot, testdata, tiny_model,
                                                           tmp_path, monkeypatch, capsys):
    home = tmp_path / "home"
    monkeypatch.setenv("COPILOT_HOME", str(home))
    from copilot import active_pack
    from copilot.cli import main

    settings = Settings()
    settings.asr.model = str(tiny_model)  # what the site used before it had a pack
    opts = RunnerOptions(kb_dir="", use_llm=False, model="", store=False)
    window = MainWindow(lambda post: CallRunner(post, opts, settings=settings),
                        pack_label="no pack installed")
    qtbot.addWidget(window)
    hub = DialogHub(window, db_path=None, settings_path=tmp_path / "settings.toml",
                    settings=settings).install()
    window.show()
    window.start_services()
    qtbot.waitUntil(lambda: window.state.phase == cr.READY, timeout=120_000)
    runner = window.runner
    old_engine, old_kb = runner.engine, runner.kb
    assert not old_engine.multilingual

    # The supervisor installs and activates the demo pack (Tools > Model packs does the same)
    # and the site's settings now leave the model choice to the pack.
    assert main(["pack", "install-demo"]) == 0
    capsys.readouterr()
    settings.asr.model = ""
    hub._pack_changed(active_pack.label())
    assert window.pack_label == "demo@" + DEMO_VERSION
    qtbot.waitUntil(lambda: window.state.phase == cr.LOADING, timeout=10_000)
    qtbot.waitUntil(lambda: window.state.phase == cr.READY, timeout=120_000)

    root = home / "packs" / "installed" / "demo" / DEMO_VERSION
    assert runner.model_path == root / "asr" / "base"
    assert runner.engine is not old_engine and runner.engine.multilingual
    assert old_engine._fw is None  # the previous model was released
    from copilot.assist.assembly import resolve_kb_dir

    assert runner.kb is not None and runner.kb is not old_kb  # reopened, from the pack's copy
    assert resolve_kb_dir(settings) == root / "kb"

    # And a call runs on the new models.
    window.start_call(cr.CallSource(cr.FILE, path=str(
        testdata / "speech" / "conversation" / "stereo_diarization.wav")))
    qtbot.waitUntil(lambda: window.state.phase in (cr.ENDED, cr.FAILED), timeout=120_000)
    window.bridge.flush_now()
    assert window.state.phase == cr.ENDED, window.state.message
    assert "horizon" in window.transcript.plain_text().lower()
