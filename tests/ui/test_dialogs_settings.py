"""The settings dialog: every field round-trips through the TOML file, devices (none, some,
PortAudio missing), validation before saving, and the font scale applied to the app."""

from __future__ import annotations

from pathlib import Path

import pytest
from dialog_screenshots import kept_look
from PySide6.QtWidgets import QApplication

from copilot.audio.base import AudioError
from copilot.audio.devices import DeviceInfo
from copilot.settings import Settings
from ui import theme
from ui.dialogs.settings_dialog import NO_DEVICES, PAGES, SettingsDialog

HEADSET = DeviceInfo(3, "USB Headset", 2, 48000.0, "ALSA")
MONITOR = DeviceInfo(7, "Softphone monitor", 2, 48000.0, "PulseAudio")


def opened(qtbot, settings: Settings, path: Path | None, devices=(), **kw) -> SettingsDialog:
    listing = devices if callable(devices) else (lambda: list(devices))
    d = SettingsDialog(settings, path, list_devices=listing, apply_appearance=False, **kw)
    qtbot.addWidget(d)
    with qtbot.waitSignal(d.devices_loaded):
        d.show()
    return d


def choose(combo, data) -> None:
    i = combo.findData(data)
    assert i >= 0, f"{data!r} not offered"
    combo.setCurrentIndex(i)


def test_every_field_round_trips_through_the_settings_file(qtbot, tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    start = Settings()
    start.llm.temperature = 0.55  # not shown by the dialog: must survive untouched
    start.assist.disposition_codes = ["ok", "other"]
    d = opened(qtbot, start, path, [HEADSET, MONITOR])
    choose(d.agent_device, "USB Headset")
    choose(d.customer_device, "Softphone monitor")
    choose(d.channels, "mono")
    d.swap.setChecked(True)
    d.site_languages.setText("en, fr  de")
    d.site_languages.editingFinished.emit()
    choose(d.agent_lang, "fr")
    choose(d.customer_lang, "")
    d.translate_customer.setChecked(False)
    d.agent_name.setText("  Priya ")
    assert d.agent_name.maxLength() == 40  # as the settings file allows
    model = tmp_path / "whisper"
    model.mkdir()
    (model / "model.bin").write_bytes(b"x")
    gguf = tmp_path / "m.gguf"
    gguf.write_bytes(b"x")
    kb = tmp_path / "kb"
    kb.mkdir()
    (kb / "billing.md").write_text("## [B-1] Refunds\nText.\n")
    d.asr_model.setText(str(model))
    d.llm_model.setText(f"  {gguf}  ")
    d.kb_dir.setText(str(kb))
    d.patterns.setPlainText("ACC-\\d{6}\n\n  TICKET-[0-9]+  \n")
    d.retention.setValue(90)
    d.font_scale.setValue(150)
    choose(d.theme, "dark")
    with qtbot.waitSignal(d.saved) as sig:
        d.save_button.click()

    loaded = Settings.load(path)
    assert loaded == sig.args[0] == d.result_settings
    assert (loaded.audio.agent_device, loaded.audio.customer_device) == (
        "USB Headset", "Softphone monitor")
    assert (loaded.audio.channels, loaded.audio.swap) == ("mono", True)
    assert loaded.asr.languages == ["en", "fr", "de"]
    assert (loaded.asr.agent_lang, loaded.asr.customer_lang) == ("fr", "")
    assert loaded.asr.translate_customer is False and loaded.asr.agent_name == "Priya"
    assert (loaded.asr.model, loaded.llm.model, loaded.assist.kb_dir) == (
        str(model), str(gguf), str(kb))
    assert loaded.redaction.extra_patterns == ["ACC-\\d{6}", "TICKET-[0-9]+"]
    assert loaded.store.retention_days == 90
    assert (loaded.ui.font_scale, loaded.ui.theme) == (1.5, "dark")
    assert loaded.llm.temperature == 0.55 and loaded.assist.disposition_codes == ["ok", "other"]
    assert start.ui.font_scale == 1.0  # the caller's object is not modified

    again = opened(qtbot, loaded, path, [HEADSET, MONITOR])  # and it shows what was saved
    assert again.collect() == loaded
    assert again.retention.text() == "90 days" and again.font_scale.text() == "150 %"


def test_no_sound_device_is_a_clear_state_and_keeps_the_saved_choice(qtbot, tmp_path) -> None:
    s = Settings()
    s.audio.agent_device = "USB Headset"
    d = opened(qtbot, s, tmp_path / "s.toml", [])
    assert d.device_status.text() == NO_DEVICES
    assert not d.agent_device.isEnabled() and not d.customer_device.isEnabled()
    assert d.agent_device.currentText() == "USB Headset (not connected)"
    assert d.collect().audio.agent_device == "USB Headset"  # unplugged today, kept for tomorrow
    assert d.collect().audio.customer_device == ""


def test_portaudio_missing_is_reported_not_raised(qtbot) -> None:
    def broken() -> list[DeviceInfo]:
        raise AudioError("audio capture needs the PortAudio library, which was not found")

    d = opened(qtbot, Settings(), None, broken)
    assert "No sound devices found" in d.device_status.text()
    assert "PortAudio library" in d.device_status.text()
    assert d.agent_device.currentData() == ""


def test_refresh_finds_a_device_plugged_in_later(qtbot) -> None:
    found: list[DeviceInfo] = []
    d = opened(qtbot, Settings(), None, lambda: list(found))
    assert d.agent_device.count() == 1
    found.append(HEADSET)
    with qtbot.waitSignal(d.devices_loaded) as sig:
        d.refresh_devices()
    assert sig.args == [1] and d.agent_device.isEnabled()
    assert d.device_status.text() == "1 input device found."
    assert d.agent_device.itemText(1) == "USB Headset (ALSA, 2 ch)"


@pytest.mark.parametrize(("field", "value", "page", "words"), [
    ("patterns", "ACC-(\\d{6}", "privacy", "not a valid regular expression"),
    ("asr_model", "/nowhere/model", "models", "no model.bin"),
    ("llm_model", "/nowhere/x.gguf", "models", "not a .gguf file"),
    ("kb_dir", "/nowhere/kb", "models", "Markdown"),
    ("site_languages", "en, english", "languages", "not a language code"),
])
def test_bad_input_is_explained_and_nothing_is_saved(qtbot, tmp_path, field, value, page,
                                                     words) -> None:
    path = tmp_path / "settings.toml"
    d = opened(qtbot, Settings(), path)
    widget = getattr(d, field)
    (widget.setPlainText if field == "patterns" else widget.setText)(value)
    d.tabs.setCurrentIndex(0)
    d.save_button.click()
    assert words in d.status.text()
    assert d.tabs.currentIndex() == PAGES.index(page)  # the page with the problem is shown
    assert not path.exists() and d.result_settings is None and d.isVisible()


def test_a_fixed_language_outside_the_site_languages_is_refused(qtbot, tmp_path) -> None:
    s = Settings()
    s.asr.customer_lang = "ja"
    d = opened(qtbot, s, tmp_path / "s.toml")
    assert d.customer_lang.currentText() == "ja (not a site language)"
    d.save()
    assert "customer's language (ja) is not one of the site languages" in d.status.text()


def test_restore_defaults_resets_the_fields(qtbot) -> None:
    s = Settings()
    s.store.retention_days = 7
    s.ui.font_scale = 2.0
    d = opened(qtbot, s, None)
    assert d.collect() == s
    d.defaults_button.click()
    assert d.collect() == Settings()


def test_saving_applies_the_font_scale_and_theme_to_the_app(qtbot, tmp_path) -> None:
    app = QApplication.instance()
    with kept_look(app):
        theme.apply(app, "light", 1.0)
        base = app.font().pointSizeF()
        d = SettingsDialog(Settings(), tmp_path / "s.toml", list_devices=list)
        qtbot.addWidget(d)
        d.font_scale.setValue(175)
        choose(d.theme, "dark")
        with qtbot.waitSignal(d.saved):
            d.save()
        assert app.font().pointSizeF() == pytest.approx(base * 1.75)
        assert app.property("copilot_colors") == "dark"
        d.jobs.wait()


def test_an_unwritable_settings_file_is_reported(qtbot, tmp_path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    d = opened(qtbot, Settings(), blocker / "settings.toml")  # parent is a file
    d.save()
    assert "were not saved" in d.status.text() and d.result_settings is None


def test_a_settings_file_that_cannot_be_read_is_not_saved_over(qtbot, tmp_path) -> None:
    path = tmp_path / "settings.toml"
    path.write_text('[store]\nencrypt = true\n[ui]\ntheme = "dark\n', encoding="utf-8")
    d = opened(qtbot, Settings(), path)
    d.save()
    assert "were not saved" in d.status.text() and "not valid TOML" in d.status.text()
    assert d.result_settings is None and "encrypt = true" in path.read_text(encoding="utf-8")


def test_the_knowledge_hint_offers_no_bundled_sample_where_only_signed_packs_are_used(qtbot):
    # (a second walk-through: the hint promised the sample a signed-only site never uses)
    d = opened(qtbot, Settings(), None)
    assert "bundled sample" in d.kb_dir.placeholderText()
    strict = Settings()
    strict.packs.require_signed = True
    d = opened(qtbot, strict, None)
    assert d.kb_dir.placeholderText() == "From the active pack"
