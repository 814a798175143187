"""The Settings dialog's editor of the handoff destinations ([handoff] destinations, offered by
Transfer / escalate): add, rename, remove and reorder, saved to the settings file; checked before
saving (no empty name, no name twice, at most MAX_DESTINATIONS); shown as "set by the site" and
never written over when the site policy locks it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt

from copilot import site_policy
from copilot.settings import Settings
from ui.dialogs import settings_checks
from ui.dialogs.settings_dialog import PAGES, SettingsDialog

DEFAULTS = ["Billing team", "Technical support", "Supervisor"]


def opened(qtbot, settings: Settings, path: Path | None, **kw) -> SettingsDialog:
    d = SettingsDialog(settings, path, list_devices=lambda: [], apply_appearance=False,
                       policy=kw.pop("policy", site_policy.SitePolicy()), **kw)
    qtbot.addWidget(d)
    with qtbot.waitSignal(d.devices_loaded):
        d.show()
    return d


def names(d: SettingsDialog) -> list[str]:
    return d.destinations.names()


def test_the_destinations_are_on_their_own_page_and_round_trip(qtbot, tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    d = opened(qtbot, Settings(), path)
    page = d.tabs.widget(PAGES.index("handoff"))
    assert d.destinations.isVisibleTo(page) or page.isAncestorOf(d.destinations)
    assert d.tabs.tabText(PAGES.index("handoff")) == "&Transfers"
    assert names(d) == DEFAULTS
    d.destinations.entry.setText("  Retention   team ")
    qtbot.keyClick(d.destinations.entry, Qt.Key.Key_Return)  # Enter adds; it does not save
    assert d.isVisible() and names(d) == [*DEFAULTS, "Retention team"]
    assert d.destinations.entry.text() == ""
    d.destinations.list.setCurrentRow(1)
    d.destinations.remove_button.click()  # Technical support
    d.destinations.list.setCurrentRow(1)  # Supervisor
    d.destinations.up_button.click()
    assert names(d) == ["Supervisor", "Billing team", "Retention team"]
    d.destinations.down_button.click()  # Supervisor back down one
    assert names(d) == ["Billing team", "Supervisor", "Retention team"]
    d.destinations.list.item(2).setText("Retention desk")  # renamed in place (F2)
    saved: list[Settings] = []
    d.saved.connect(saved.append)
    d.save()
    assert saved and not d.isVisible()
    expected = ["Billing team", "Supervisor", "Retention desk"]
    assert Settings.load(path).handoff.destinations == expected
    assert saved[0].handoff.destinations == expected


def test_a_file_without_destinations_shows_the_ones_in_force(qtbot, tmp_path: Path) -> None:
    start = Settings.from_dict({"handoff": {"destinations": []}})
    d = opened(qtbot, start, None)
    assert names(d) == DEFAULTS  # what Transfer / escalate offers with an empty list
    d.destinations.set_names(["Fraud desk"])
    d.defaults_button.click()
    assert names(d) == DEFAULTS


def test_adding_refuses_a_blank_a_duplicate_and_one_too_many(qtbot) -> None:
    d = opened(qtbot, Settings(), None)
    editor = d.destinations
    editor.entry.setText("   ")
    editor.add_button.click()
    assert names(d) == DEFAULTS
    editor.entry.setText("billing  TEAM")
    editor.add_button.click()
    assert names(d) == DEFAULTS
    assert editor.list.currentRow() == 0  # the one already there is shown
    assert "already in the list" in editor.message.text()
    many = [f"Team {n}" for n in range(settings_checks.MAX_DESTINATIONS)]
    editor.set_names(many)
    editor.entry.setText("One more")
    assert not editor.add_button.isEnabled()
    editor.add_button.click()
    assert names(d) == many
    assert f"at most {settings_checks.MAX_DESTINATIONS}" in editor.message.text()


def test_saving_refuses_empty_duplicate_and_too_many_destinations(qtbot, tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    d = opened(qtbot, Settings(), path)
    cases = [
        (["Billing team", "   ", "Supervisor"], "entry 2 is empty"),
        (["Billing team", "Supervisor", "billing  team"], "Billing team is listed twice"),
        ([f"Team {n}" for n in range(settings_checks.MAX_DESTINATIONS + 1)],
         f"at most {settings_checks.MAX_DESTINATIONS}"),
        ([], "add at least one"),
        (["x" * (settings_checks.MAX_DESTINATION_CHARS + 1)], "too long"),
    ]
    for given, expected in cases:
        d.destinations.set_names(given)
        d.tabs.setCurrentIndex(0)
        d.save()
        assert d.isVisible(), given
        assert expected in d.status.text(), (given, d.status.text())
        assert d.tabs.currentIndex() == PAGES.index("handoff")  # the page with the problem
        assert not path.exists()


def test_the_checks_alone() -> None:
    s = Settings()
    assert settings_checks.check(s) == []
    s.handoff.destinations = ["Billing team", "", "Billing Team"]
    problems = settings_checks.check(s)
    assert [p.page for p in problems] == ["handoff", "handoff"]


@dataclass(frozen=True)
class _LockingPolicy(site_policy.SitePolicy):
    """A site policy that sets the destinations (no policy key does yet; the dialog's lock
    machinery is the same for every field)."""

    handoff_destinations: tuple[str, ...] = ("Site billing", "Site supervisor")

    def locks(self) -> dict[str, str]:
        return {**super().locks(), "handoff.destinations": "handoff_destinations"}


def test_a_site_lock_shows_the_sites_list_and_save_keeps_the_files(qtbot, tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_text('[handoff]\ndestinations = ["Mine"]\n', encoding="utf-8")
    policy = _LockingPolicy(path=tmp_path / "policy.toml")
    d = opened(qtbot, Settings.load(path), path, policy=policy)
    assert names(d) == ["Site billing", "Site supervisor"]
    form, widget = d.lockable["handoff.destinations"]
    assert widget is d.destinations and not widget.isEnabled()
    assert not d.destinations.add_button.isEnabled()  # the whole editor goes with it
    assert "(set by the site)" in form.labelForField(widget).text()
    assert str(tmp_path / "policy.toml") in widget.toolTip()
    d.destinations.set_names(["Edited anyway"])  # as a stale or scripted edit would
    saved: list[Settings] = []
    d.saved.connect(saved.append)
    d.save()
    assert Settings.load(path).handoff.destinations == ["Mine"]  # the file's own value
    assert saved[0].handoff.destinations == ["Site billing", "Site supervisor"]
