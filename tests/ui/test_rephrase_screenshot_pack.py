"""The README's draft-box pictures (tests/e2e/draft_box_screenshots.py) name the pack the way the
agent's window does: the installed, active pack, and where the knowledge comes from when it is
not the pack's; never a label written into the tool (issue 15's walk-through: the pictures said
"bundled sample" whatever was installed)."""

from __future__ import annotations

import sys
from pathlib import Path

from dialog_screenshots import kept_look
from PySide6.QtWidgets import QApplication
from window_fakes import FakeRunner

from models.packs import Policy, install

TESTS = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(TESTS / "e2e"), str(TESTS / "core")]
import draft_box_screenshots as shots  # noqa: E402
from packs_helpers import build_pack  # noqa: E402


def _label(qtbot) -> tuple[str, str]:
    with kept_look(QApplication.instance()):
        window = shots.open_window(QApplication.instance(), "light",
                                   make_runner=lambda post: FakeRunner(post))
        qtbot.addWidget(window)
        return window.pack_label, window.versions.text()


def test_the_pictures_name_the_active_pack(qtbot, tmp_path, copilot_home):
    install(copilot_home / "packs", build_pack(tmp_path, "northwind", "2.3.0"), Policy())
    label, status = _label(qtbot)
    assert label == "northwind@2.3.0"  # its knowledge base is the pack's: nothing more to say
    assert status.startswith("Pack: northwind@2.3.0 ")


def test_without_a_pack_they_say_so_and_where_the_knowledge_comes_from(qtbot, copilot_home):
    label, _status = _label(qtbot)
    assert label == "no pack installed (knowledge: the bundled sample)"
