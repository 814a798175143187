"""The window on an encrypted call store: the history (list, transcript, export, note, delete)
and the audit trail open it with the settings' store options; without them it is refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from copilot.events import AfterCallNote, Caption
from copilot.store.db import CallStore
from copilot.store.options import KeyFile, StoreOptions
from ui.audit import SUGGESTION_ACTION, AuditRecord, AuditTrail
from ui.dialogs.history import HistoryDialog

MARKER = "walrus-saffron-2290"


@pytest.fixture
def encrypted(tmp_path: Path) -> tuple[Path, StoreOptions, int]:
    db = tmp_path / "calls.sqlite3"
    options = StoreOptions(encrypt=True, key=KeyFile(tmp_path / "keys" / "store.key"))
    with CallStore(db, options=options) as store:
        call = store.start_call("mic", title=f"Refund {MARKER}")
        store.add_segment(call, Caption("c1", True, "customer", 0.5, 2.0, 2.3, "en",
                                        f"I was charged twice, {MARKER}"))
        store.add_event(call, "after_call", 3.0,
                        AfterCallNote("Draft note.", "information_given", 3.0).to_dict())
        store.end_call(call)
    return db, options, call


def test_history_reads_writes_and_erases_an_encrypted_store(qtbot, encrypted,
                                                             tmp_path: Path) -> None:
    db, options, call = encrypted
    d = HistoryDialog(db, store_options=options)
    qtbot.addWidget(d)
    with qtbot.waitSignals([d.calls_loaded, d.detail_loaded]):
        d.show()
    assert d.selected_call_id() == call
    assert MARKER in d.transcript.toPlainText()

    out = tmp_path / "call.txt"
    with qtbot.waitSignal(d.exported):
        d.export_to(out, "txt")
    assert MARKER in out.read_text(encoding="utf-8")  # an export is the agent's own plain file

    wrap = d.edit_note()
    assert wrap is not None and wrap.store_options == options
    wrap.note.setPlainText("Refund filed.")
    wrap.disposition.setCurrentIndex(wrap.disposition.findData("refund_issued"))  # not guessed
    with qtbot.waitSignals([d.note_saved, d.detail_loaded]):
        wrap.save()

    d._confirm_delete = lambda _call: True
    with qtbot.waitSignals([d.deleted, d.calls_loaded]):
        d.delete_button.click()
    with CallStore(db, options=options) as store:
        assert store.list_calls() == []
    assert MARKER.encode() not in db.read_bytes()


def test_history_without_the_store_options_says_the_store_is_encrypted(qtbot,
                                                                       encrypted) -> None:
    db, _options, _call = encrypted
    d = HistoryDialog(db)  # as if the settings did not say encrypt
    qtbot.addWidget(d)
    with qtbot.waitSignal(d.failed) as sig:
        d.show()
    assert "encrypted" in sig.args[0] and "[store] encrypt" in sig.args[0]


def test_audit_trail_writes_into_an_encrypted_store(encrypted) -> None:
    db, options, call = encrypted
    audit = AuditTrail(db, store_options=options)
    audit.record(AuditRecord(call, SUGGESTION_ACTION, 4.0,
                             {"of": "c1", "text": "line", "action": "copied", "pack": "demo"}))
    audit.close()
    assert audit.written == 1 and audit.failed == 0
    with CallStore(db, options=options) as store:
        assert [e.type for e in store.events(call)] == ["after_call", SUGGESTION_ACTION]
