"""The window opens with a hand-edited settings file holding bad values: each keeps its default
and a non-blocking message names them (before, `font_scale = 5` stopped the app with a
traceback and `theme = "purple"` left no window)."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QMessageBox

from copilot import paths
from ui import app


def test_the_window_opens_and_names_the_values_it_did_not_use(qtbot, copilot_home, capsys):
    copilot_home.mkdir(parents=True)
    (copilot_home / "settings.toml").write_text(
        '[ui]\nfont_scale = 5\ntheme = "purple"\n[asr]\nthreads = "two"\n', encoding="utf-8")
    launch = app.Launch(QApplication.instance(),
                        app.build_parser().parse_args(["--no-store", "--no-llm"]), paths)
    qtbot.addWidget(launch.window)
    try:
        launch.window.show()
        launch._say_settings_problems()
        box = launch.window.findChild(QMessageBox, "settings_problems")
        assert box is not None and box.isVisible() and not box.isModal()
        assert 'theme = "purple" is not one of system, light, dark' in box.informativeText()
        assert "font_scale = 5 is out of range" in box.detailedText()
        assert 'threads = "two" is not a whole number' in capsys.readouterr().err
    finally:
        launch.window.close()


def test_a_settings_file_that_is_not_toml_opens_the_window_with_the_defaults(
        qtbot, copilot_home, capsys):
    # Before: the window's call runner read the file again and stopped the app with a
    # traceback, after the launcher had said it would use the defaults.
    copilot_home.mkdir(parents=True)
    (copilot_home / "settings.toml").write_text("[ui\nfont_scale =\n", encoding="utf-8")
    launch = app.Launch(QApplication.instance(),
                        app.build_parser().parse_args(["--no-store", "--no-llm"]), paths)
    qtbot.addWidget(launch.window)
    try:
        assert launch.window.runner.settings.ui.font_scale == 1.0
        launch._say_settings_problems()
        box = launch.window.findChild(QMessageBox, "settings_problems")
        assert "is not valid TOML" in box.informativeText()
        assert "every setting keeps its default" in box.informativeText()
        assert "Traceback" not in capsys.readouterr().err
    finally:
        launch.window.close()
