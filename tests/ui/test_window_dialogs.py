"""The main window's dialogs: menu entries for History and Settings, the wrap-up dialog at
hang-up (saved with the call), and the retention clean-up at start-up, on a real CallStore."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from dialog_calls import fill
from window_fakes import FakeRunner

from copilot.events import AfterCallNote
from copilot.settings import Settings
from copilot.store.db import CallStore
from ui import call_runner as cr
from ui.main_window import MainWindow
from ui.window_dialogs import DialogHub


@pytest.fixture
def db(tmp_path, testdata):
    path = tmp_path / "calls.sqlite3"
    ids = fill(path, testdata)
    return path, ids


@pytest.fixture
def make(qtbot, tmp_path):
    def build(db_path, *, call_id=None, settings=None):
        runners: list[FakeRunner] = []

        def factory(post):
            runners.append(FakeRunner(post, script=[], ready_phase=cr.READY, call_id=call_id))
            return runners[-1]

        window = MainWindow(factory)
        qtbot.addWidget(window)
        hub = DialogHub(window, db_path=db_path, settings_path=tmp_path / "settings.toml",
                        settings=settings or Settings()).install()
        window.show()
        return window, hub

    return build


def test_menus_open_history_and_settings(qtbot, make, db):
    path, ids = db
    window, hub = make(path)
    assert hub.history_action.shortcut().toString() == "Ctrl+H"
    hub.history_action.trigger()
    history = next(d for d in hub.open_dialogs if d.__class__.__name__ == "HistoryDialog")
    qtbot.waitUntil(lambda: history.list.topLevelItemCount() == len(ids), timeout=10_000)
    hub.settings_action.trigger()
    assert any(d.__class__.__name__ == "SettingsDialog" for d in hub.open_dialogs)


def test_hang_up_opens_the_wrap_up_and_saving_stores_the_note(qtbot, make, db):
    path, ids = db
    call_id = ids["billing_refund"]
    window, hub = make(path, call_id=call_id)
    window.runner.start(cr.CallSource(cr.FILE, path="demo.wav"))  # the fake call has this id
    window.bridge.post(AfterCallNote("Reason for the call: charged twice.", "refund_issued", 65.0))
    window.bridge.flush_now()
    qtbot.waitUntil(lambda: any(d.__class__.__name__ == "WrapUpDialog"
                                for d in hub.open_dialogs))
    dlg = next(d for d in hub.open_dialogs if d.__class__.__name__ == "WrapUpDialog")
    dlg.note.setPlainText("Refund filed; customer gets an email today.")
    dlg.disposition.setCurrentIndex(dlg.disposition.findData("refund_issued"))  # the agent's
    with qtbot.waitSignal(dlg.saved, timeout=10_000):
        dlg.save_button.click()
    with CallStore(path) as store:
        notes = [e for e in store.events(call_id) if e.type == "after_call"]
    latest = max(notes, key=lambda e: e.id)  # the newest note wins, whatever its call time
    assert latest.payload["note"] == "Refund filed; customer gets an email today."
    assert latest.payload["edited"] is True


def test_no_wrap_up_without_a_stored_call(qtbot, make, db):
    window, hub = make(None)
    assert hub.wrap_up(AfterCallNote("x", "other", 1.0)) is None
    assert hub.open_history() is None


def test_retention_erases_only_calls_older_than_the_setting(qtbot, make, db):
    path, ids = db
    settings = Settings()
    days_old = (datetime.now(UTC) - datetime(2025, 6, 28, tzinfo=UTC)).days
    settings.store.retention_days = days_old  # the fixture's oldest call is older than this
    window, hub = make(path, settings=settings)
    thread = hub.apply_retention()
    assert thread is not None
    thread.join(10)
    with CallStore(path) as store:
        left = {c.id for c in store.list_calls()}
    assert ids["billing_refund"] not in left and ids["device_limit"] in left
