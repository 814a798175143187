"""The main window's dialogs: History, Reports and Settings from the menu, the wrap-up at
hang-up, and the retention clean-up at start-up. Kept apart from main_window.py so the window
stays a small composition root; this hub only opens dialogs and hands them what they need.
"""

from __future__ import annotations

import logging
import threading
from html import escape
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QMessageBox

from copilot.settings import Settings
from ui.dialogs.history import HistoryDialog
from ui.dialogs.packs import PacksDialog
from ui.dialogs.settings_dialog import SettingsDialog
from ui.dialogs.wrap_up import WrapUpDialog, disposition_codes, handoff_preselect

log = logging.getLogger(__name__)
# How soon a pack activated outside the window (`copilot pack activate`) is noticed. Only the
# packs' small state file is read (about 0.15 ms here; the full label with its manifest
# costs 1.3 ms), on the UI thread.
PACK_POLL_MS = 5_000
DRAFT_KEPT = "The wrap-up was kept as an unsaved draft: Calls > History reopens it."


class DialogHub(QObject):
    retention_done = Signal(str)  # a status message, from the clean-up thread

    def __init__(self, window: Any, *, db_path: Path | None, settings_path: Path,
                 settings: Settings, list_devices: Any = None, wrap_up: bool = True,
                 kb: str = "") -> None:
        super().__init__(window)
        self.window = window
        self.kb = kb  # the window's --kb, which wins over settings and pack (status bar label)
        self.db_path = db_path
        self.settings_path = settings_path
        self.settings = settings
        self.list_devices = list_devices
        self.wrap_up_enabled = wrap_up
        self.latest_summary: Any = None
        self.open_dialogs: list[Any] = []  # kept alive while shown (and for tests)
        self.retention_done.connect(lambda m: window.statusBar().showMessage(m, 10_000))

    def install(self) -> DialogHub:
        bar = self.window.menuBar()
        calls = bar.addMenu("&Calls")
        self.history_action = _action(calls, "&History…", "Ctrl+H", self.open_history)
        self.reports_action = _action(calls, "&Reports…", "", self.open_reports)
        calls.addSeparator()
        _action(calls, "&Quit", "Ctrl+Q", self.window.close)
        tools = bar.addMenu("&Tools")
        self.settings_action = _action(tools, "&Settings…", "Ctrl+,", self.open_settings)
        self.packs_action = _action(tools, "Model &packs…", "Ctrl+Shift+P", self.open_packs)
        helps = bar.addMenu("&Help")
        self.keys_action = _action(helps, "&Keyboard shortcuts…", "F1", self.show_shortcuts)
        self.window.bridge.summary.connect(self._remember_summary)
        self.window.bridge.after_call.connect(self.wrap_up)
        from copilot import active_pack

        self._active_ref = active_pack.active_ref()
        self._pack_poll = QTimer(self)
        self._pack_poll.setInterval(PACK_POLL_MS)
        self._pack_poll.timeout.connect(self._poll_pack)
        self._pack_poll.start()
        return self

    # -- dialogs --
    def shortcut_rows(self) -> list[tuple[str, str]]:
        """Every key the window answers to, with what it does: its own shortcuts and the
        menus' (a walk-through found them only in the README)."""
        rows = list(getattr(self.window, "shortcut_help", []))
        for menu in self.window.menuBar().findChildren(QMenu):
            for act in menu.actions():
                key = act.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
                if key and act is not self.keys_action:
                    rows.append((key, act.text().replace("&", "").rstrip("…").lower()))
        return rows

    def show_shortcuts(self) -> QMessageBox:
        box = QMessageBox(QMessageBox.Icon.NoIcon, "Keyboard shortcuts", "Keyboard shortcuts",
                          QMessageBox.StandardButton.Close, self.window)
        box.setObjectName("shortcuts")
        box.setTextFormat(Qt.TextFormat.RichText)
        rows = "".join(f"<tr><td><b>{escape(k)}</b>&nbsp;&nbsp;</td><td>{escape(w)}</td></tr>"
                       for k, w in self.shortcut_rows())
        box.setInformativeText(f"<table>{rows}</table>")
        box.setModal(False)
        box.show()
        self.open_dialogs.append(box)
        return box

    def open_history(self) -> HistoryDialog | None:
        if self.db_path is None:
            self.window.statusBar().showMessage("Calls are not stored in this session.", 6000)
            return None
        dlg = HistoryDialog(self.db_path, codes=disposition_codes(self.settings),
                            store_options=self._store_options(), parent=self.window)
        return self._show(dlg)

    def open_reports(self) -> Any:
        """The supervisor's view of this desk (ui/dialogs/reports.py)."""
        if self.db_path is None:
            self.window.statusBar().showMessage("Calls are not stored in this session.", 6000)
            return None
        # Imported here: the report engine brings pyarrow, DuckDB and matplotlib, which the
        # call view never needs; the window starts without them.
        from ui.dialogs.reports import ReportsDialog

        return self._show(ReportsDialog(self.db_path, store_options=self._store_options(),
                                        parent=self.window))

    def open_settings(self) -> SettingsDialog:
        dlg = SettingsDialog(self.settings, self.settings_path, list_devices=self.list_devices,
                             parent=self.window)
        dlg.saved.connect(self._settings_saved)
        return self._show(dlg)

    def open_packs(self) -> PacksDialog:
        """The supervisor's dialog. A newly active pack's models and knowledge load at once,
        or when the call or practice run in progress ends; its label shows at once."""
        from copilot import active_pack, pack_policy

        dlg = PacksDialog(active_pack.packs_root(), pack_policy.policy(self.settings.packs),
                          parent=self.window)
        dlg.changed.connect(self._pack_changed)
        return self._show(dlg)

    def _poll_pack(self) -> None:
        from copilot import active_pack

        if active_pack.active_ref() != self._active_ref:  # changed from the command line
            self._pack_changed(active_pack.label())

    def _pack_changed(self, label: str) -> None:
        from copilot import active_pack

        self._active_ref = active_pack.active_ref()
        before = self.window.pack_label
        self.window.set_pack_label(self._source_label(label))
        if before == self.window.pack_label:
            return
        if self.window.reload_models():
            self.window.statusBar().showMessage("Active pack changed: loading its models…")
        elif self.window.reload_pending:
            self.window.statusBar().showMessage(
                "Active pack changed: its models load when this call or practice run ends.",
                15_000)

    def wrap_up(self, note: Any) -> WrapUpDialog | None:
        """At hang-up: the AI's draft note to edit and the disposition, stored on Save. When a
        handoff note of the call is still open, the wrap-up opens once the agent has saved or
        closed it (ui/handoff_flow.py), with the call and summary of now."""
        call_id = self.window.runner.call_id
        if self.window.closing:
            return None  # the agent is closing the window: the draft note is stored already
        if not self.wrap_up_enabled or self.db_path is None or call_id is None:
            return None
        summary = self.latest_summary
        handoff = getattr(self.window, "handoff", None)
        if handoff is not None and handoff.wrap_up_waits(
                call_id, lambda: self._open_wrap_up(note, call_id, summary),
                at=getattr(note, "at", None)):
            return None
        return self._open_wrap_up(note, call_id, summary)

    def _open_wrap_up(self, note: Any, call_id: int, summary: Any) -> WrapUpDialog | None:
        if self.window.closing:
            return None
        codes = disposition_codes(self.settings)
        dlg = WrapUpDialog(self.db_path, call_id, draft=note, summary=summary,
                           codes=codes, preselect=self._handed_over(call_id, codes),
                           lines_used=self.window.actions.lines_used(call_id),
                           store_options=self._store_options(), parent=self.window)
        dlg.failed.connect(lambda m: self.window.statusBar().showMessage(m, 10_000))
        dlg.draft_kept.connect(lambda _note: self.window.statusBar().showMessage(
            DRAFT_KEPT, 10_000))
        return self._show(dlg)

    def _handed_over(self, call_id: int, codes: list[str]) -> tuple[str, str] | None:
        """The wrap-up's disposition when the agent handed the call over (Transfer /
        escalate): "escalated" or "transferred" (copilot.assist.handoff.disposition_for)."""
        made = self.window.handoff.made_for(call_id)
        return handoff_preselect(made.destination, made.at, codes) if made is not None else None

    def _store_options(self) -> Any:
        """How the call database is opened (plain or encrypted), from the settings in force."""
        from copilot.store.options import options_from_settings

        return options_from_settings(self.settings.store)

    def _show(self, dlg: Any) -> Any:
        self.open_dialogs.append(dlg)
        dlg.finished.connect(lambda _=0, d=dlg: self._forget(d))
        dlg.show()  # not exec(): the call view keeps updating behind it
        return dlg

    def _forget(self, dlg: Any) -> None:
        if dlg in self.open_dialogs:
            self.open_dialogs.remove(dlg)

    def _remember_summary(self, summary: Any) -> None:
        self.latest_summary = summary

    def _source_label(self, pack_label: str | None = None) -> str:
        """The pack, and where the knowledge comes from when not from it (settings, --kb, the
        bundled sample): the status bar never passes another folder off as the pack's."""
        from copilot import resolver

        return resolver.knowledge_label(self.settings, self.kb, pack_label)

    def _settings_saved(self, settings: Settings) -> None:
        before, self.settings = self.settings, settings
        if (before.ui.theme, before.ui.font_scale) != (settings.ui.theme, settings.ui.font_scale):
            from ui.dialogs.text import colors

            self.window.set_colors(colors())  # the dialog has themed the app with them
        self.window.runner.apply_settings(settings)
        self.window.set_pack_label(self._source_label())
        if not before.needs_reload(settings):
            message = "Settings saved. They apply from the next call."
        elif self.window.reload_models("loading the models and knowledge base of the new "
                                       "settings…"):
            message = "Settings saved: loading the models and knowledge base…"
        else:
            message = ("Settings saved: the models and knowledge base load when this call or "
                       "practice run ends; the rest applies from the next call.")
        self.window.statusBar().showMessage(message, 15_000)

    # -- retention --
    def apply_retention(self) -> threading.Thread | None:
        """Erase calls older than the settings' retention, off the UI thread."""
        days = self.settings.store.retention_days
        if self.db_path is None or days <= 0:
            return None
        thread = threading.Thread(target=self._retention, args=(days,), name="retention",
                                  daemon=True)
        thread.start()
        return thread

    def _retention(self, days: int) -> None:
        from copilot.store.db import CallStore
        from copilot.store.retention import delete_older_than

        try:
            with CallStore(self.db_path, options=self._store_options()) as store:
                erased = delete_older_than(store, days)
        except Exception as e:  # the call view must open anyway; say why nothing was erased
            log.warning("retention clean-up failed", exc_info=True)
            self.retention_done.emit(f"Old calls could not be erased: {e}")
            return
        if erased:
            self.retention_done.emit(f"Erased {len(erased)} call(s) older than {days} days.")


def _action(menu: Any, text: str, keys: str, slot: Any) -> QAction:
    act = QAction(text, menu)
    act.setShortcut(QKeySequence(keys))
    act.triggered.connect(slot)
    menu.addAction(act)
    return act
