"""The Packs dialog on a real packs folder: install from a file with the verification result,
a hostile pack refused with its reason and nothing changed, activate, roll back, remove."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "core"))
from packs_helpers import build_pack, rewrite_tar, tar_file, tree_state  # noqa: E402

from copilot import active_pack, pack_policy  # noqa: E402, F401
from copilot.settings import PacksSettings  # noqa: E402
from ui.dialogs.packs import PacksDialog  # noqa: E402


@pytest.fixture
def dialog(qtbot, tmp_path):
    root = tmp_path / "packs"
    dlg = PacksDialog(root, pack_policy.policy(PacksSettings()), confirm=lambda q: True)
    qtbot.addWidget(dlg)
    qtbot.waitUntil(lambda: not dlg.jobs.busy)
    return dlg


def _wait(qtbot, dlg):
    qtbot.waitUntil(lambda: not dlg.jobs.busy, timeout=20_000)


def test_install_activate_rollback_and_remove(qtbot, dialog, tmp_path):
    labels: list[str] = []
    dialog.changed.connect(labels.append)
    v1 = build_pack(tmp_path / "b1", "site", "1.0.0")
    v2 = build_pack(tmp_path / "b2", "site", "1.1.0")
    dialog.install_from_file(str(v1))
    _wait(qtbot, dialog)
    assert "site@1.0.0: installed, now active" in dialog.result.text()
    dialog.install_from_file(str(v2))
    _wait(qtbot, dialog)
    assert labels[-1] == "site@1.1.0"
    assert dialog.list.topLevelItemCount() == 2
    dialog.rollback()
    _wait(qtbot, dialog)
    assert labels[-1] == "site@1.0.0"
    dialog.list.setCurrentItem(next(
        dialog.list.topLevelItem(i) for i in range(2)
        if dialog.list.topLevelItem(i).text(1) == "1.1.0"))
    dialog.activate_selected()
    _wait(qtbot, dialog)
    assert labels[-1] == "site@1.1.0"
    dialog.list.setCurrentItem(next(
        dialog.list.topLevelItem(i) for i in range(2)
        if dialog.list.topLevelItem(i).text(1) == "1.0.0"))
    dialog.remove_selected()
    _wait(qtbot, dialog)
    assert dialog.list.topLevelItemCount() == 1


def test_a_tampered_pack_is_refused_with_its_reason_and_nothing_changes(qtbot, dialog,
                                                                       tmp_path):
    good = build_pack(tmp_path / "b1", "site", "1.0.0")
    dialog.install_from_file(str(good))
    _wait(qtbot, dialog)
    before = tree_state(dialog.root)
    bad = rewrite_tar(build_pack(tmp_path / "b2", "site", "1.2.0"), tmp_path / "bad.tar",
                      lambda entries: [*entries, tar_file("kb/extra.md", b"# surprise\n")])
    failures: list[str] = []
    dialog.failed.connect(failures.append)
    dialog.install_from_file(str(bad))
    _wait(qtbot, dialog)
    assert failures and dialog.result.text().startswith("Refused:")
    assert "extra.md" in dialog.result.text()
    assert tree_state(dialog.root) == before


def test_cancelled_file_choice_does_nothing(qtbot, tmp_path):
    dlg = PacksDialog(tmp_path / "packs", pack_policy.policy(PacksSettings()),
                      choose_file=lambda: "")
    qtbot.addWidget(dlg)
    _wait(qtbot, dlg)
    dlg.install_button.click()
    assert not dlg.jobs.busy and dlg.result.text() == ""


def test_roll_back_is_offered_only_when_there_is_a_pack_to_go_back_to(qtbot, dialog, tmp_path):
    """Issue 15: with one version installed, Roll back was enabled (and could only fail)."""
    button = dialog.rollback_button
    assert not button.isEnabled() and "no pack is installed" in button.toolTip()
    dialog.install_from_file(str(build_pack(tmp_path / "b1", "site", "1.0.0")))
    _wait(qtbot, dialog)
    assert dialog.list.topLevelItemCount() == 1
    assert not button.isEnabled()
    assert button.toolTip().startswith("Nothing to roll back to")
    assert "site@1.0.0" in button.toolTip()
    dialog.install_from_file(str(build_pack(tmp_path / "b2", "site", "1.1.0")))
    _wait(qtbot, dialog)
    assert button.isEnabled()
    assert button.toolTip() == ("Make site@1.0.0 active again, the pack active before "
                                "site@1.1.0.")
    button.click()
    _wait(qtbot, dialog)
    assert dialog.active_label == "site@1.0.0"
    # Back at the first pack: nothing earlier was active, though two versions are installed.
    assert dialog.list.topLevelItemCount() == 2
    assert not button.isEnabled() and button.toolTip().startswith("Nothing to roll back to")


def test_roll_back_is_not_offered_when_the_earlier_pack_was_removed(qtbot, dialog, tmp_path):
    for i, version in enumerate(("1.0.0", "2.0.0")):
        dialog.install_from_file(str(build_pack(tmp_path / f"b{i}", f"p{i}", version)))
        _wait(qtbot, dialog)
    assert dialog.active_label == "p1@2.0.0" and dialog.rollback_button.isEnabled()
    dialog.list.setCurrentItem(dialog.list.topLevelItem(0))
    assert dialog.selected_label() == "p0@1.0.0"
    dialog.remove_selected()
    _wait(qtbot, dialog)
    assert not dialog.rollback_button.isEnabled()
