"""The settings dialog: devices, languages, models and knowledge base, privacy, the transfer
destinations (Transfer / escalate's list), appearance.

It edits a copy of the typed Settings (copilot/settings.py) and writes the one TOML file on Save;
fields it does not show are carried over untouched. The sound-device list comes from PortAudio on
the dialog's worker thread (opening PortAudio can take a moment, and there may be no device).

Settings the site policy locks (copilot/site_policy.py) are shown with the site's value, marked
"set by the site" and disabled, the policy file named on hover; Save never writes over them
(site_policy.save_settings keeps the file's own value).
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from copilot import site_policy
from copilot.assist.handoff import destinations as destinations_in_force
from copilot.audio.devices import DeviceInfo
from copilot.settings import MAX_CHARS, Settings
from ui import theme
from ui.dialogs import settings_checks
from ui.dialogs.destination_list import DestinationList
from ui.dialogs.text import colors, language_name
from ui.jobs import Jobs

PAGES = ("audio", "languages", "models", "privacy", "handoff", "appearance")
NO_DEVICES = ("No sound devices found. Connect a headset or microphone (on Linux, check that "
              "PulseAudio or PipeWire is running), then press Refresh. Recordings can still be "
              "replayed.")


def _default_list_devices() -> list[DeviceInfo]:
    from copilot.audio.devices import list_devices

    return list_devices()


def _set_combo(combo: QComboBox, value: str, missing: str = "{} (not available)") -> None:
    """Select the item whose data is `value`, adding it (marked) when it is not offered."""
    i = combo.findData(value)
    if i < 0:
        combo.addItem(missing.format(value), value)
        i = combo.count() - 1
    combo.setCurrentIndex(i)


class SettingsDialog(QDialog):
    """SettingsDialog(settings, path=None, list_devices=None, apply_appearance=True,
    policy=None, parent=None)

    - settings: the current Settings (not modified; the dialog edits a copy).
    - path: the TOML file Save writes (copilot.paths.settings_path()); None = do not write.
    - list_devices: returns the input devices (default: copilot.audio.devices.list_devices).
    - apply_appearance: on Save, apply theme and font scale to the running app (ui.theme.apply).
    - policy: the site policy (default: the one in force, copilot.site_policy.load()).
    Signals: saved(Settings) after a successful Save, with the site's locked values;
    devices_loaded(int count).
    """

    saved = Signal(object)
    devices_loaded = Signal(int)

    def __init__(self, settings: Settings, path: Path | None = None, *,
                 list_devices: Callable[[], Sequence[DeviceInfo]] | None = None,
                 apply_appearance: bool = True, policy: site_policy.SitePolicy | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.policy = policy if policy is not None else site_policy.load()
        # The widgets of settings a site may lock: "section.field" -> (its form, its row).
        self.lockable: dict[str, tuple[QFormLayout, QWidget]] = {}
        self.original = settings
        self.path = Path(path) if path is not None else None
        self.result_settings: Settings | None = None
        self._list_devices = list_devices or _default_list_devices
        self._apply_appearance = apply_appearance
        self.devices: list[DeviceInfo] = []
        self.jobs = Jobs(self)
        self.setWindowTitle("Settings")
        self.setObjectName("settingsDialog")
        self._build()
        self._fill(self.policy.apply(settings))
        self._show_locks()
        self.refresh_devices()
        fm = self.fontMetrics()
        # Every page's tab in view (no scroll arrows), at any text size, within the screen.
        width = max(fm.averageCharWidth() * 95,
                    self.tabs.tabBar().sizeHint().width() + fm.averageCharWidth() * 6)
        screen = self.screen().availableGeometry() if self.screen() else None
        if screen is not None:
            width = min(width, int(screen.width() * 0.95))
        self.resize(width, fm.lineSpacing() * 26)

    # -- layout --

    def _page(self, name: str, title: str) -> QFormLayout:
        page = QWidget()
        page.setObjectName(f"page_{name}")
        form = QFormLayout(page)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.tabs.addTab(page, title)
        return form

    def _note(self, text: str) -> QLabel:
        label = QLabel(text)
        label.setWordWrap(True)
        label.setObjectName("muted")
        return label

    def _path_row(self, edit: QLineEdit, pick: Callable[[], str]) -> QWidget:
        row = QWidget()
        h = QHBoxLayout(row)
        h.setContentsMargins(0, 0, 0, 0)
        h.addWidget(edit, 1)
        browse = QPushButton("Browse…")

        def browse_clicked() -> None:
            chosen = pick()
            if chosen:  # an empty answer is a cancelled file dialog
                edit.setText(chosen)

        browse.clicked.connect(browse_clicked)
        h.addWidget(browse)
        return row

    def _build(self) -> None:
        root = QVBoxLayout(self)
        self.site_note = self._note("")
        self.site_note.setObjectName("siteNote")
        self.site_note.setVisible(False)
        root.addWidget(self.site_note)
        self.tabs = QTabWidget()
        root.addWidget(self.tabs, 1)
        self._audio_page()
        self._languages_page()
        self._models_page()
        self._privacy_page()
        self._handoff_page()
        self._appearance_page()
        self._buttons(root)

    def _audio_page(self) -> None:
        form = self._page("audio", "&Audio")
        self.device_status = self._note("Looking for sound devices…")
        self.device_status.setObjectName("deviceStatus")
        form.addRow(self.device_status)
        self.agent_device = QComboBox()
        self.customer_device = QComboBox()
        self.channels = QComboBox()
        self.channels.addItem("Stereo: agent on the left, customer on the right", "stereo")
        self.channels.addItem("Mono: both sides mixed", "mono")
        self.swap = QCheckBox("Swap left and right")
        refresh = QPushButton("&Refresh devices")
        refresh.clicked.connect(self.refresh_devices)
        form.addRow("Agent microphone:", self.agent_device)
        form.addRow("Customer line:", self.customer_device)
        form.addRow("Channels:", self.channels)
        form.addRow("", self.swap)
        form.addRow("", refresh)


    def _languages_page(self) -> None:
        form = self._page("languages", "&Languages")
        self.agent_lang = QComboBox()
        self.customer_lang = QComboBox()
        self.site_languages = QLineEdit()
        self.site_languages.setPlaceholderText("e.g. en, fr, es (empty: any language)")
        self.site_languages.editingFinished.connect(self._refill_languages)
        self.translate_customer = QCheckBox("Translate the customer's words into English")
        form.addRow("The agent speaks:", self.agent_lang)
        form.addRow("The customer speaks:", self.customer_lang)
        form.addRow("Site languages:", self.site_languages)
        form.addRow(self._note("Detection chooses among the site languages; a fixed language "
                               "is more reliable for short lines."))
        form.addRow("", self.translate_customer)
        self.agent_name = QLineEdit()
        self.agent_name.setMaxLength(MAX_CHARS[("asr", "agent_name")])
        self.agent_name.setPlaceholderText("As you say it on calls, e.g. Priya")
        form.addRow("Your name:", self.agent_name)
        form.addRow(self._note("Captions then write your name right when you give it, and the "
                               "checklist can tick \u201cgive your name\u201d."))


    def _models_page(self) -> None:
        form = self._page("models", "&Models and knowledge")
        form.addRow(self._note("The active model pack (Tools > Model packs) sets these. A "
                               "path here overrides the pack; leave a field empty to use it."))
        self.asr_model = QLineEdit()
        self.asr_model.setPlaceholderText("From the active pack (else Whisper base)")
        self.llm_model = QLineEdit()
        self.llm_model.setPlaceholderText("From the active pack (else SmolLM2-135M)")
        self.kb_dir = QLineEdit()
        # (a site that accepts only signed packs never falls back to the bundled sample)
        strict = (self.policy.require_signed or self.policy.packs_only
                  or self.original.packs.require_signed)
        self.kb_dir.setPlaceholderText("From the active pack" if strict else
                                       "From the active pack (else the bundled sample)")
        rows = (("asr.model", "Speech model folder:", self._path_row(self.asr_model, lambda: (
                    QFileDialog.getExistingDirectory(self, "Speech model folder")))),
                ("llm.model", "Language model file:", self._path_row(self.llm_model, lambda: (
                    QFileDialog.getOpenFileName(self, "Language model", "",
                                                "GGUF models (*.gguf)")[0]))),
                ("assist.kb_dir", "Knowledge base folder:", self._path_row(self.kb_dir, lambda: (
                    QFileDialog.getExistingDirectory(self, "Knowledge base folder")))))
        for key, label, row in rows:
            form.addRow(label, row)
            self.lockable[key] = (form, row)


    def _privacy_page(self) -> None:
        form = self._page("privacy", "&Privacy")
        form.addRow(self._note("Card numbers, security codes and national ID numbers are always "
                               "masked before anything is stored or shown."))
        self.patterns = QPlainTextEdit()
        self.patterns.setPlaceholderText("One regular expression per line, e.g. ACC-\\d{6}")
        self.patterns.setTabChangesFocus(True)
        form.addRow("Also mask:", self.patterns)
        self.lockable["redaction.extra_patterns"] = (form, self.patterns)
        self.retention = QSpinBox()
        self.retention.setRange(0, settings_checks.MAX_RETENTION_DAYS)
        self.retention.setSpecialValueText("Forever")
        self.retention.setSuffix(" days")
        # A number field as wide as a number, not the whole row.
        self.retention.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        form.addRow("Keep calls for:", self.retention)
        self.lockable["store.retention_days"] = (form, self.retention)
        form.addRow(self._note("Older calls are erased when the app starts."))


    def _handoff_page(self) -> None:
        form = self._page("handoff", "&Transfers")
        form.addRow(self._note(
            "Where Transfer / escalate (Ctrl+T during a call) can hand the call, in the order "
            "offered: the first is preselected. At wrap-up, a handoff to a supervisor or "
            "manager preselects the disposition \u201cescalated\u201d; to any other "
            "destination, \u201ctransferred\u201d."))
        self.destinations = DestinationList(settings_checks.MAX_DESTINATIONS)
        form.addRow("Destinations:", self.destinations)
        self.lockable["handoff.destinations"] = (form, self.destinations)

    def _appearance_page(self) -> None:
        form = self._page("appearance", "Appea&rance")
        self.font_scale = QSpinBox()
        lo, hi = settings_checks.FONT_SCALE_RANGE
        self.font_scale.setRange(round(lo * 100), round(hi * 100))
        self.font_scale.setSingleStep(25)
        self.font_scale.setSuffix(" %")
        self.font_scale.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.theme = QComboBox()
        for label, value in (("Follow the system", "system"), ("Light", "light"),
                             ("Dark", "dark")):
            self.theme.addItem(label, value)
        form.addRow("Text size:", self.font_scale)
        form.addRow("Colours:", self.theme)


    def _buttons(self, root: QVBoxLayout) -> None:
        """Problems found, then Restore defaults, Cancel and Save."""
        self.status = QLabel("")
        self.status.setObjectName("problems")
        self.status.setWordWrap(True)
        root.addWidget(self.status)
        row = QHBoxLayout()
        self.defaults_button = QPushButton("Restore &defaults")
        self.defaults_button.clicked.connect(
            lambda: self._fill(self.policy.apply(Settings())))  # the site's values stay
        cancel = QPushButton("Cancel")
        cancel.clicked.connect(self.reject)
        self.save_button = QPushButton("&Save")
        self.save_button.setObjectName("primary")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        row.addWidget(self.defaults_button)
        row.addStretch(1)
        row.addWidget(cancel)
        row.addWidget(self.save_button)
        root.addLayout(row)

    # -- the site's locks --

    def _show_locks(self) -> None:
        """Mark what the site policy locks: disabled, "set by the site", the file on hover; and
        a note above the pages naming the file and the rules not shown as fields."""
        locks = self.policy.locks()
        for key, (form, widget) in self.lockable.items():
            if key not in locks:
                continue
            why = (f"Set by the site ({self.policy.where(locks[key])}); it cannot be changed "
                   "here.")
            widget.setEnabled(False)
            widget.setToolTip(why)
            label = form.labelForField(widget)
            if isinstance(label, QLabel):
                label.setText(label.text().rstrip(":") + " (set by the site):")
                label.setToolTip(why)
        rules = self.policy.rules()
        if rules:
            self.site_note.setText(f"Set by the site policy {self.policy.path}: "
                                   + "; ".join(rules) + ". Fields marked 'set by the site' "
                                   "cannot be changed here.")
            self.site_note.setToolTip(str(self.policy.path))
            self.site_note.setVisible(True)

    # -- settings <-> widgets --

    def _fill(self, s: Settings) -> None:
        self._audio = (s.audio.agent_device, s.audio.customer_device)
        self._fill_devices()
        _set_combo(self.channels, s.audio.channels, "{}")
        self.swap.setChecked(s.audio.swap)
        self.site_languages.setText(", ".join(s.asr.languages))
        self._langs = (s.asr.agent_lang, s.asr.customer_lang)
        self._refill_languages()
        self.translate_customer.setChecked(s.asr.translate_customer)
        self.agent_name.setText(s.asr.agent_name)
        self.asr_model.setText(s.asr.model)
        self.llm_model.setText(s.llm.model)
        self.kb_dir.setText(s.assist.kb_dir)
        self.patterns.setPlainText("\n".join(s.redaction.extra_patterns))
        self.retention.setValue(max(0, min(int(s.store.retention_days),
                                           settings_checks.MAX_RETENTION_DAYS)))
        self.font_scale.setValue(round(float(s.ui.font_scale) * 100))
        _set_combo(self.theme, s.ui.theme, "{}")
        # The ones Transfer / escalate offers (an empty list in the file means the defaults).
        self.destinations.set_names(destinations_in_force(s))

    def _refill_languages(self) -> None:
        if self.agent_lang.count():  # keep what the agent picked while editing the list
            self._langs = (str(self.agent_lang.currentData()),
                           str(self.customer_lang.currentData()))
        codes = settings_checks.parse_languages(self.site_languages.text())
        for combo, value in zip((self.agent_lang, self.customer_lang), self._langs, strict=True):
            combo.clear()
            combo.addItem("Detect automatically", "")
            for code in codes:
                combo.addItem(language_name(code), code)
            _set_combo(combo, value, "{} (not a site language)")

    def collect(self) -> Settings:
        """A new Settings from the widgets; fields the dialog does not show are kept as they were."""
        s = copy.deepcopy(self.original)
        s.audio.agent_device = str(self.agent_device.currentData() or "")
        s.audio.customer_device = str(self.customer_device.currentData() or "")
        s.audio.channels = str(self.channels.currentData())
        s.audio.swap = self.swap.isChecked()
        s.asr.languages = settings_checks.parse_languages(self.site_languages.text())
        s.asr.agent_lang = str(self.agent_lang.currentData() or "")
        s.asr.customer_lang = str(self.customer_lang.currentData() or "")
        s.asr.translate_customer = self.translate_customer.isChecked()
        s.asr.agent_name = self.agent_name.text().strip()
        s.asr.model = self.asr_model.text().strip()
        s.llm.model = self.llm_model.text().strip()
        s.assist.kb_dir = self.kb_dir.text().strip()
        s.redaction.extra_patterns = settings_checks.parse_patterns(self.patterns.toPlainText())
        s.store.retention_days = self.retention.value()
        s.ui.font_scale = self.font_scale.value() / 100
        s.ui.theme = str(self.theme.currentData())
        s.handoff.destinations = [" ".join(n.split()) for n in self.destinations.names()]
        return self.policy.apply(s)  # a locked field is the site's, whatever its widget holds

    # -- devices --

    def refresh_devices(self) -> None:
        self.device_status.setText("Looking for sound devices…")
        self.jobs.submit(lambda: list(self._list_devices()), self._on_devices,
                         self._on_devices_failed)

    def _on_devices(self, devices: list[DeviceInfo]) -> None:
        if self.agent_device.count():  # keep what the agent picked before the refresh
            self._audio = (str(self.agent_device.currentData() or ""),
                           str(self.customer_device.currentData() or ""))
        self.devices = devices
        self.device_status.setText(
            NO_DEVICES if not devices else
            f"{len(devices)} input device{'s' if len(devices) != 1 else ''} found.")
        self._fill_devices()
        self.devices_loaded.emit(len(devices))

    def _on_devices_failed(self, error: BaseException) -> None:
        self.devices = []
        self.device_status.setText(f"{NO_DEVICES}\n({error})")
        self._fill_devices()
        self.devices_loaded.emit(0)

    def _fill_devices(self) -> None:
        for combo, value, none_label in (
                (self.agent_device, self._audio[0], "System default input"),
                (self.customer_device, self._audio[1],
                 "None: the agent device carries both sides")):
            combo.clear()
            combo.addItem(none_label, "")
            for d in self.devices:
                combo.addItem(f"{d.name} ({d.hostapi}, {d.max_input_channels} ch)", d.name)
            _set_combo(combo, value, "{} (not connected)")
            # With no device there is nothing to choose, but a saved choice stays visible.
            combo.setEnabled(bool(self.devices))

    # -- saving --

    def save(self) -> None:
        s = self.collect()
        problems = settings_checks.check(s)
        if problems:
            self.status.setStyleSheet(f"color: {colors().signal_strong}")
            self.status.setText("Please fix: " + " ".join(f"• {p.message}." for p in problems))
            self.tabs.setCurrentIndex(PAGES.index(problems[0].page))
            return
        if self.path is not None:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                s = site_policy.save_settings(s, self.path, self.policy)
            except OSError as e:
                self.status.setText(f"The settings were not saved: cannot write {self.path}: "
                                    f"{e.strerror or e}")
                return
            except site_policy.UnreadableSettings as e:
                self.status.setText(f"The settings were not saved: {e}.")
                return
        self.result_settings = s
        if self._apply_appearance and (s.ui.theme, s.ui.font_scale) != (
                self.original.ui.theme, self.original.ui.font_scale):
            app = QApplication.instance()
            if isinstance(app, QApplication):
                theme.apply(app, s.ui.theme, s.ui.font_scale)
        self.saved.emit(s)
        self.accept()

