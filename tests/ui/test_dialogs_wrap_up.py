"""The wrap-up dialog on a real call database: shows the draft, saves the agent's note, keeps
unsaved changes as a draft on close, reports a failed save without losing the text."""

from __future__ import annotations

from pathlib import Path

import pytest
from dialog_calls import fill, notes
from PySide6.QtWidgets import QDialog

from copilot.events import AfterCallNote, Summary
from copilot.settings import Settings
from copilot.store.db import CallStore
from ui.dialogs.wrap_up import DEFAULT_CODES, PICK, WrapUpDialog, disposition_codes

DRAFT = AfterCallNote("Reason for the call: double charge.\n\nNext steps:\n- Refund in 5 days",
                      "refund_issued", at=64.0)
SUMMARY = Summary(3, {"reason": "Charged twice for March", "facts": ["Amount: 49 dollars"],
                      "actions": ["Agent filed a billing correction"], "next": ["Email when done"],
                      "open": []}, at=60.0)


@pytest.fixture
def call(tmp_path: Path, testdata: Path) -> tuple[Path, int]:
    db = tmp_path / "calls.sqlite3"
    return db, fill(db, testdata)["billing_refund"]


def make(qtbot, db: Path, call_id: int, **kw) -> WrapUpDialog:
    kw.setdefault("draft", DRAFT)
    kw.setdefault("summary", SUMMARY)
    dialog = WrapUpDialog(db, call_id, **kw)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_shows_the_draft_the_disposition_and_the_summary_read_only(qtbot, call) -> None:
    d = make(qtbot, *call, title="Duplicate charge")
    assert d.note_text() == DRAFT.note
    assert d.current_disposition() == ""  # the AI's guess is not selected (issue 15)
    assert d.disposition.currentText() == "" and d.disposition.placeholderText() == PICK
    assert [d.disposition.itemData(i) for i in range(d.disposition.count())] == list(DEFAULT_CODES)
    shown = d.summary_view.toPlainText()
    for text in ("Charged twice for March", "Amount: 49 dollars", "Agent filed a billing "
                 "correction", "Email when done", "Key facts", "Next steps"):
        assert text in shown
    assert "Open items" not in shown  # empty sections are left out
    assert d.summary_view.isReadOnly() and not d.note.isReadOnly()
    assert "Duplicate charge" in d.windowTitle()
    assert not d.is_dirty()


def test_save_stores_the_agents_note_as_the_newest_after_call_event(qtbot, call) -> None:
    db, call_id = call
    d = make(qtbot, db, call_id)
    d.note.setPlainText("Refund of 49 dollars filed; customer gets an email.")
    d.disposition.setCurrentIndex(d.disposition.findData("resolved"))
    assert d.is_dirty()
    with qtbot.waitSignal(d.saved) as sig:
        d.save_button.click()
    note = sig.args[0]
    assert note == AfterCallNote("Refund of 49 dollars filed; customer gets an email.",
                                 "resolved", at=DRAFT.at, edited=True, saved=True)
    assert d.result() == QDialog.DialogCode.Accepted
    stored = notes(db, call_id)
    assert stored[-1] == note.to_dict()  # the newest: what the history shows
    assert stored[0]["edited"] is False  # the session's AI draft is still there, for the audit
    assert not d.is_dirty()


def test_closing_with_changes_keeps_them_as_a_draft(qtbot, call) -> None:
    db, call_id = call
    d = make(qtbot, db, call_id)
    d.note.setPlainText("Half-written note")
    with qtbot.waitSignal(d.draft_kept) as sig:
        d.close_button.click()
    assert d.result() == QDialog.DialogCode.Rejected
    assert sig.args[0].note == "Half-written note" and sig.args[0].saved is False
    last = notes(db, call_id)[-1]
    assert (last["note"], last["edited"], last["saved"], last["disposition"]) == (
        "Half-written note", True, False, "")  # no disposition picked yet


def test_a_disposition_picked_and_kept_as_a_draft_comes_back_selected(qtbot, call) -> None:
    # The walk-through: the AI's guess picked by the agent, note untouched, Close: the kept
    # draft is the agent's (edited), and the note reopens with that disposition, not "Pick...".
    db, call_id = call
    d = make(qtbot, db, call_id)
    assert d.current_disposition() == ""  # the AI's guess is never selected for the agent
    d.disposition.setCurrentIndex(d.disposition.findData(DRAFT.disposition))
    with qtbot.waitSignal(d.draft_kept) as sig:
        d.close_button.click()
    kept = sig.args[0]
    assert (kept.disposition, kept.edited, kept.saved) == (DRAFT.disposition, True, False)
    again = make(qtbot, db, call_id, draft=kept)
    assert again.current_disposition() == DRAFT.disposition and not again.is_dirty()


def test_closing_unchanged_writes_nothing(qtbot, call) -> None:
    db, call_id = call
    before = notes(db, call_id)
    d = make(qtbot, db, call_id)
    d.reject()
    d.jobs.wait()
    assert notes(db, call_id) == before


def test_a_failed_save_keeps_the_dialog_open_with_the_text(qtbot, call) -> None:
    db, call_id = call
    with CallStore(db) as store:
        store.delete_call(call_id)  # e.g. erased from another window meanwhile
    d = make(qtbot, db, call_id)
    d.note.setPlainText("Important note")
    d.disposition.setCurrentIndex(d.disposition.findData("resolved"))
    with qtbot.waitSignal(d.failed) as sig:
        d.save()
    assert "no longer stored" in sig.args[0]
    assert "no longer stored" in d.status.text()
    assert d.isVisible() and d.note_text() == "Important note"
    assert d.save_button.isEnabled()  # the agent can copy the text or try again


def test_codes_come_from_the_settings_and_an_unknown_draft_code_stays(qtbot, call) -> None:
    s = Settings()
    s.assist.disposition_codes = ["billing_dispute", "other"]
    assert disposition_codes(s) == ["billing_dispute", "other"]
    assert disposition_codes(object()) == list(DEFAULT_CODES)  # before the field existed
    saved = AfterCallNote(DRAFT.note, "refund_issued", DRAFT.at, edited=True, saved=True)
    d = make(qtbot, *call, codes=disposition_codes(s), draft=saved)  # the agent's own choice
    assert [d.disposition.itemData(i) for i in range(d.disposition.count())] == [
        "billing_dispute", "other", "refund_issued"]
    assert d.current_disposition() == "refund_issued"


def test_without_draft_or_summary_it_starts_empty_with_no_disposition(qtbot, call) -> None:
    d = make(qtbot, *call, draft=None, summary=None)
    assert d.note_text() == "" and d.current_disposition() == ""
    assert "No summary yet" in d.summary_view.toPlainText()
    assert not d.is_dirty()


def test_ctrl_s_saves(qtbot, call) -> None:
    from PySide6.QtCore import Qt

    db, call_id = call
    d = make(qtbot, db, call_id)
    d.disposition.setCurrentIndex(d.disposition.findData("resolved"))
    with qtbot.waitActive(d):
        d.activateWindow()
    d.note.setFocus()
    with qtbot.waitSignal(d.saved):
        qtbot.keyClick(d.note, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert notes(db, call_id)[-1]["saved"] is True


def test_saving_the_draft_unchanged_is_saved_but_not_edited(qtbot, call) -> None:
    db, call_id = call
    d = make(qtbot, db, call_id)
    d.disposition.setCurrentIndex(d.disposition.findData(DRAFT.disposition))  # the AI's, picked
    with qtbot.waitSignal(d.saved) as sig:
        d.save_button.click()
    assert (sig.args[0].saved, sig.args[0].edited) == (True, False)
    last = notes(db, call_id)[-1]
    assert (last["saved"], last["edited"]) == (True, False)
    d2 = make(qtbot, db, call_id)  # another code than the hidden guess: still not an edit
    d2.disposition.setCurrentIndex(d2.disposition.findData("resolved"))
    with qtbot.waitSignal(d2.saved) as sig:
        d2.save_button.click()
    assert (sig.args[0].saved, sig.args[0].edited) == (True, False)
    # Changing a disposition the dialog had selected (the agent's own earlier one) is an edit.
    d3 = make(qtbot, db, call_id, draft=sig.args[0])
    assert d3.current_disposition() == "resolved"
    d3.disposition.setCurrentIndex(d3.disposition.findData("escalated"))
    with qtbot.waitSignal(d3.saved) as sig:
        d3.save_button.click()
    assert (sig.args[0].saved, sig.args[0].edited) == (True, True)


def test_tab_in_the_note_moves_on_and_types_nothing(qtbot, call) -> None:
    from PySide6.QtCore import Qt

    from copilot.events import Handoff
    from ui.dialogs.handoff import HandoffDialog

    wrap = make(qtbot, *call)
    handoff = HandoffDialog(Handoff("handoff-1", "Billing", "Reason: double charge.", {}, 60.0),
                            destinations=["Billing"])
    qtbot.addWidget(handoff)
    handoff.show()
    for dialog in (wrap, handoff):
        before = dialog.note.toPlainText()
        dialog.activateWindow()
        qtbot.waitUntil(dialog.isActiveWindow)
        dialog.note.setFocus()
        qtbot.waitUntil(dialog.note.hasFocus)
        qtbot.keyClick(dialog.note, Qt.Key.Key_Tab)
        assert "\t" not in dialog.note.toPlainText() and dialog.note.toPlainText() == before
        assert not dialog.note.hasFocus()  # a keyboard user is never stuck in the box
