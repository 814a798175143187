"""What the site policy locks, seen in the window: the Settings dialog shows the site's values as
"set by the site", disabled, the policy file named; Save never writes over them; a path the
site's rules refuse cannot be saved; the Packs dialog refuses an unsigned pack; and the status
bar says where the knowledge comes from when the settings name a folder other than the pack's."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from window_fakes import FakeRunner

from copilot import site_policy
from copilot.settings import Settings
from ui import call_runner as cr
from ui.dialogs.settings_dialog import SettingsDialog
from ui.main_window import MainWindow
from ui.window_dialogs import DialogHub

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "core"))
from packs_helpers import build_pack  # noqa: E402

from models.packs import Policy, install  # noqa: E402


@pytest.fixture
def policy(tmp_path, copilot_home, monkeypatch):
    copilot_home.mkdir(parents=True, exist_ok=True)
    monkeypatch.delenv("COPILOT_SITE_NO_CONTENT_DEBUG", raising=False)
    path = tmp_path / "policy.toml"

    def write(text: str) -> Path:
        path.write_text(text, encoding="utf-8")
        monkeypatch.setenv(site_policy.ENV, str(path))
        return path

    return write


def opened(qtbot, settings_path: Path) -> SettingsDialog:
    d = SettingsDialog(site_policy.load_settings(settings_path), settings_path,
                       list_devices=lambda: [], apply_appearance=False)
    qtbot.addWidget(d)
    with qtbot.waitSignal(d.devices_loaded):
        d.show()
    return d


def test_locked_settings_show_as_set_by_the_site_and_cannot_be_edited(qtbot, tmp_path, policy):
    path = policy('packs_only = true\nretention_days = 90\nredaction_patterns = ["ACC-\\\\d{6}"]\n'
                  'require_signed = true\n')
    settings_path = tmp_path / "settings.toml"
    settings_path.write_text('[store]\nretention_days = 30\n[assist]\nkb_dir = "/home/a/kb"\n')
    d = opened(qtbot, settings_path)
    assert d.retention.value() == 90 and not d.retention.isEnabled()
    assert d.patterns.toPlainText() == "ACC-\\d{6}" and not d.patterns.isEnabled()
    assert d.kb_dir.text() == "" and not d.kb_dir.isEnabled()
    for key in ("asr.model", "llm.model", "assist.kb_dir", "store.retention_days",
                "redaction.extra_patterns"):
        form, widget = d.lockable[key]
        assert not widget.isEnabled(), key  # the Browse button goes with its row
        assert str(path) in widget.toolTip(), key
        assert "(set by the site)" in form.labelForField(widget).text(), key
    assert d.site_note.isVisibleTo(d) and str(path) in d.site_note.text()
    assert "only signed packs" in d.site_note.text()
    assert d.theme.isEnabled() and d.swap.isEnabled()  # the rest stays the agent's

    # Restore defaults keeps the site's values; Save never writes over a locked one.
    d.defaults_button.click()
    assert d.retention.value() == 90
    d.retention.setValue(5)  # as a stale or scripted edit would
    d.kb_dir.setText(str(tmp_path))
    d.theme.setCurrentIndex(d.theme.findData("dark"))
    saved: list[Settings] = []
    d.saved.connect(saved.append)
    d.save()
    on_disk = Settings.load(settings_path)
    assert on_disk.store.retention_days == 30 and on_disk.assist.kb_dir == "/home/a/kb"
    assert on_disk.ui.theme == "dark"
    in_force = saved[0]
    assert in_force.store.retention_days == 90 and in_force.assist.kb_dir == ""
    assert in_force.redaction.extra_patterns == ["ACC-\\d{6}"]


def test_without_a_policy_nothing_is_locked(qtbot, tmp_path, copilot_home, monkeypatch):
    monkeypatch.delenv(site_policy.ENV, raising=False)
    monkeypatch.delenv("COPILOT_SITE_NO_CONTENT_DEBUG", raising=False)
    d = opened(qtbot, tmp_path / "settings.toml")
    assert d.retention.isEnabled() and d.kb_dir.isEnabled()
    assert not d.site_note.isVisibleTo(d)


def test_an_unsigned_knowledge_folder_cannot_be_saved_under_require_signed(qtbot, tmp_path,
                                                                          policy):
    policy("require_signed = true\n")
    kb = tmp_path / "agent-kb"
    kb.mkdir()
    (kb / "mine.md").write_text("## [OWN-01] Refunds\nOne day.\n")
    settings_path = tmp_path / "settings.toml"
    d = opened(qtbot, settings_path)
    d.kb_dir.setText(str(kb))  # Browse is open to every agent; the rule is not
    d.save()
    assert "Knowledge base:" in d.status.text() and "signed pack" in d.status.text()
    assert not settings_path.exists()


def test_the_packs_dialog_refuses_to_activate_an_unsigned_pack(qtbot, tmp_path, policy,
                                                              copilot_home):
    from copilot import active_pack, pack_policy
    from ui.dialogs.packs import PacksDialog

    root = active_pack.packs_root()
    install(root, build_pack(tmp_path / "u", "demo", "1.0.0"), Policy())
    install(root, build_pack(tmp_path / "s", "site", "1.0.0"), Policy())
    path = policy("require_signed = true\n")
    dlg = PacksDialog(root, pack_policy.policy(site_policy.load_settings().packs))
    qtbot.addWidget(dlg)
    qtbot.waitUntil(lambda: not dlg.jobs.busy)
    states = {dlg.list.topLevelItem(i).text(0): dlg.list.topLevelItem(i).text(2)
              for i in range(dlg.list.topLevelItemCount())}
    assert states["demo"] == "installed, refused here"
    assert dlg.list.topLevelItem(0).text(3) == "unsigned"
    dlg.list.setCurrentItem(dlg.list.topLevelItem(0))
    dlg.activate_selected()
    qtbot.waitUntil(lambda: not dlg.jobs.busy)
    assert dlg.result.text().startswith("Refused:") and str(path) in dlg.result.text()
    assert active_pack.active_ref() == "site@1.0.0"


def test_the_status_bar_names_the_settings_knowledge_over_the_pack(qtbot, tmp_path,
                                                                 copilot_home, monkeypatch):
    monkeypatch.delenv(site_policy.ENV, raising=False)
    from copilot import active_pack

    install(active_pack.packs_root(), build_pack(tmp_path / "s", "site", "1.0.0"), Policy())
    window = MainWindow(lambda post: FakeRunner(post), pack_label="site@1.0.0")
    qtbot.addWidget(window)
    hub = DialogHub(window, db_path=None, settings_path=tmp_path / "settings.toml",
                    settings=Settings()).install()
    window.show()
    window.start_services()
    qtbot.waitUntil(lambda: window.state.phase == cr.READY)
    own = tmp_path / "agent-kb"
    changed = Settings()
    changed.assist.kb_dir = str(own)
    hub._settings_saved(changed)  # the Settings dialog's Save with another knowledge folder
    assert f"Pack: site@1.0.0 (knowledge: {own.resolve()})" in window.versions.text()
    hub._settings_saved(Settings())  # emptied again: the pack's knowledge
    assert "Pack: site@1.0.0   " in window.versions.text()
    assert "knowledge:" not in window.versions.text()
