"""A newly activated pack loads without restarting the window: at once between calls, at the
end of the call or practice run in progress otherwise."""

from __future__ import annotations

import sys
from pathlib import Path

from test_close_during_call import LongCallRunner
from window_fakes import FakeRunner

from copilot.settings import Settings
from ui import call_runner as cr
from ui.main_window import MainWindow
from ui.panels.practice.tab import ANSWERING, IDLE
from ui.window_dialogs import DialogHub

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "core"))
from packs_helpers import build_pack  # noqa: E402

from models.packs import Policy, install  # noqa: E402


def _window(qtbot, tmp_path, runner_cls=FakeRunner):
    holder: dict[str, FakeRunner] = {}
    window = MainWindow(lambda post: holder.setdefault("r", runner_cls(post)), pack_label="a@1")
    qtbot.addWidget(window)
    hub = DialogHub(window, db_path=None, settings_path=tmp_path / "settings.toml",
                    settings=Settings()).install()
    window.show()
    window.start_services()
    qtbot.waitUntil(lambda: window.state.phase == cr.READY)
    return window, holder["r"], hub


def test_between_calls_the_new_pack_loads_at_once(qtbot, tmp_path):
    window, runner, hub = _window(qtbot, tmp_path)
    hub._pack_changed("b@2")
    assert runner.reloads == 1
    qtbot.waitUntil(lambda: window.state.phase == cr.READY)
    assert "b@2" in window.versions.text()
    hub._pack_changed("b@2")  # the same pack again: nothing to load
    assert runner.reloads == 1


def test_during_a_call_it_loads_when_the_call_ends(qtbot, tmp_path):
    window, runner, hub = _window(qtbot, tmp_path, LongCallRunner)
    window.start_call(cr.CallSource(cr.FILE, path="call.wav"))
    qtbot.waitUntil(lambda: window.state.phase == cr.LIVE)
    hub._pack_changed("b@2")
    assert runner.reloads == 0 and window.reload_pending
    assert "when this call or practice run ends" in window.statusBar().currentMessage()
    window.stop_call()
    qtbot.waitUntil(lambda: runner.reloads == 1, timeout=5_000)
    assert not window.reload_pending


def test_during_practice_it_loads_when_the_run_ends(qtbot, tmp_path):
    window, runner, hub = _window(qtbot, tmp_path)
    window.practice._set_state(ANSWERING)
    hub._pack_changed("b@2")
    assert runner.reloads == 0 and window.reload_pending
    window.practice._set_state(IDLE)
    assert runner.reloads == 1 and not window.reload_pending


def test_while_loading_it_waits_for_the_load_to_end(qtbot, tmp_path):
    window, runner, hub = _window(qtbot, tmp_path)
    runner.post(cr.CallState(cr.LOADING))
    qtbot.waitUntil(lambda: window.state.phase == cr.LOADING)
    hub._pack_changed("b@2")
    assert runner.reloads == 0 and window.reload_pending
    runner.post(cr.CallState(cr.READY))
    qtbot.waitUntil(lambda: runner.reloads == 1)


def test_a_pack_activated_from_the_command_line_is_noticed(qtbot, tmp_path, copilot_home,
                                                           monkeypatch):
    monkeypatch.setattr("ui.window_dialogs.PACK_POLL_MS", 50)
    window, runner, hub = _window(qtbot, tmp_path)
    install(copilot_home / "packs", build_pack(tmp_path, "site", "1.0.0"), Policy())
    qtbot.waitUntil(lambda: runner.reloads == 1, timeout=5_000)
    assert window.pack_label == "site@1.0.0"


class BusyOnceRunner(FakeRunner):
    """reload() refuses once, as a loader thread still returning would."""

    def reload(self, why: str = "") -> None:
        if self.reloads == 0 and not getattr(self, "refused", False):
            self.refused = True
            raise RuntimeError("the models are still loading")
        super().reload(why)


def test_a_refused_reload_is_tried_again(qtbot, tmp_path):
    window, runner, hub = _window(qtbot, tmp_path, BusyOnceRunner)
    hub._pack_changed("b@2")
    assert runner.refused and window.reload_pending
    qtbot.waitUntil(lambda: runner.reloads == 1, timeout=5_000)
    assert not window.reload_pending


# -- settings saved in the window --------------------------------------------------------------

def test_saved_settings_that_change_the_knowledge_base_reload_it_without_a_restart(qtbot,
                                                                                 tmp_path):
    window, runner, hub = _window(qtbot, tmp_path)
    changed = Settings()
    changed.assist.kb_dir = str(tmp_path / "site-kb")
    hub._settings_saved(changed)
    assert runner.settings is changed  # the next call is built with them
    assert runner.reloads == 1 and "new settings" in runner.reload_reasons[0]
    assert "loading the models and knowledge base" in window.statusBar().currentMessage()


def test_saved_settings_that_change_only_call_options_load_nothing(qtbot, tmp_path):
    window, runner, hub = _window(qtbot, tmp_path)
    changed = Settings()
    changed.audio.swap = True
    changed.redaction.extra_patterns = [r"\bAB\d{4}\b"]
    hub._settings_saved(changed)
    assert runner.settings is changed and runner.reloads == 0
    assert "apply from the next call" in window.statusBar().currentMessage()


def test_settings_saved_during_a_call_load_when_it_ends(qtbot, tmp_path):
    window, runner, hub = _window(qtbot, tmp_path, LongCallRunner)
    window.start_call(cr.CallSource(cr.FILE, path="call.wav"))
    qtbot.waitUntil(lambda: window.state.phase == cr.LIVE)
    changed = Settings()
    changed.llm.model = str(tmp_path / "bigger.gguf")
    hub._settings_saved(changed)
    assert runner.reloads == 0 and window.reload_pending
    assert "when this call or practice run ends" in window.statusBar().currentMessage()
    window.stop_call()
    qtbot.waitUntil(lambda: runner.reloads == 1, timeout=5_000)


def test_saved_settings_with_another_theme_recolour_the_open_window(qtbot, tmp_path):
    from dialog_screenshots import kept_look
    from PySide6.QtWidgets import QApplication

    from ui import theme

    window, _runner, hub = _window(qtbot, tmp_path)
    with kept_look(QApplication.instance()):
        changed = Settings()
        changed.ui.theme = "dark"
        theme.apply(QApplication.instance(), "dark", 1.0)  # what the Settings dialog does
        hub._settings_saved(changed)
        assert window.colors is theme.DARK and window.transcript.colors is theme.DARK
        assert window.practice.colors is theme.DARK
