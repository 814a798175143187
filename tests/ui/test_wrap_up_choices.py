"""The wrap-up leaves the agent's choices to the agent (issue 15's walk-through):

- Esc and the window's close button never close a wrap-up with changes at once: the agent is
  asked whether to save them, keep them as a draft, or go on editing; nothing typed is lost
  without a word (a draft that cannot be stored keeps the dialog open).
- The AI's guessed disposition ("Refund issued" for a call in which no refund was issued) is
  never selected: Save asks for a choice. Only evidence selects one, saying which: a suggested
  line the agent marked Used that states it, or a handoff the agent made.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from dialog_calls import fill, notes
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox
from window_fakes import FakeRunner, cap, knowledge, sug

from copilot.assist.summary_lines import CONFIRM_LEGEND
from copilot.events import AfterCallNote
from copilot.settings import Settings
from copilot.store.db import CallStore
from ui import call_runner as cr
from ui.dialogs.wrap_up import (
    DEFAULT_CODES,
    PICK_FIRST,
    PICK_HINT,
    WrapUpDialog,
    used_line_preselect,
)
from ui.main_window import MainWindow
from ui.window_dialogs import DRAFT_KEPT, DialogHub

# The AI's draft of the walk-through: its disposition a guess from "billing correction".
GUESS = AfterCallNote("Reason for the call: charged twice.\n", "refund_issued", at=55.0)
REFUND_LINE = ("I've filed a billing correction for the duplicate charge; the full amount will "
               "be back on your original payment method within 5 business days.")


@pytest.fixture
def call(tmp_path: Path, testdata: Path) -> tuple[Path, int]:
    db = tmp_path / "calls.sqlite3"
    return db, fill(db, testdata)["billing_refund"]


def _dialog(qtbot, db: Path, call_id: int, **kw) -> WrapUpDialog:
    kw.setdefault("draft", GUESS)
    dialog = WrapUpDialog(db, call_id, **kw)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def _question(qtbot, dialog: WrapUpDialog) -> QMessageBox:
    qtbot.waitUntil(lambda: dialog.unsaved_question is not None
                    and dialog.unsaved_question.isVisible())
    return dialog.unsaved_question


def _answer(box: QMessageBox, text: str) -> None:
    next(b for b in box.buttons() if b.text() == text).click()


def _esc(qtbot, dialog: WrapUpDialog) -> None:
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    qtbot.keyClick(dialog.note, Qt.Key.Key_Escape)


# -- Esc and the close button ask --------------------------------------------------------------


def test_esc_with_changes_asks_and_keep_editing_keeps_everything(qtbot, call) -> None:
    db, call_id = call
    before = notes(db, call_id)
    d = _dialog(qtbot, db, call_id)
    d.note.setPlainText("Customer charged twice; correction filed")
    d.disposition.setCurrentIndex(d.disposition.findData("resolved"))
    _esc(qtbot, d)
    box = _question(qtbot, d)
    assert d.isVisible()  # not closed at once
    assert "not saved" in box.text()
    assert [b.text() for b in box.buttons()] and box.escapeButton().text() == "Keep editing"
    assert box.defaultButton().text() == "Keep editing"
    _answer(box, "Keep editing")
    qtbot.waitUntil(lambda: d.unsaved_question is None)
    assert d.isVisible()
    assert d.note_text() == "Customer charged twice; correction filed"
    assert d.current_disposition() == "resolved"
    d.jobs.wait()
    assert notes(db, call_id) == before  # nothing written, nothing thrown away


def test_esc_then_keep_as_draft_stores_it_and_closes(qtbot, call) -> None:
    db, call_id = call
    d = _dialog(qtbot, db, call_id)
    d.note.setPlainText("Half-written note")
    _esc(qtbot, d)
    with qtbot.waitSignal(d.draft_kept) as kept:
        _answer(_question(qtbot, d), "Keep as draft and close")
    qtbot.waitUntil(lambda: not d.isVisible())
    assert kept.args[0].note == "Half-written note" and kept.args[0].saved is False
    last = notes(db, call_id)[-1]
    assert (last["note"], last["saved"], last["disposition"]) == ("Half-written note", False, "")


def test_the_window_close_button_asks_and_save_stores_the_note(qtbot, call) -> None:
    db, call_id = call
    d = _dialog(qtbot, db, call_id)
    d.note.setPlainText("Refund filed; email today.")
    d.disposition.setCurrentIndex(d.disposition.findData("refund_issued"))
    d.close()  # the title bar's close button
    box = _question(qtbot, d)
    assert d.isVisible()
    with qtbot.waitSignal(d.saved):
        _answer(box, "Save note")
    qtbot.waitUntil(lambda: not d.isVisible())
    assert d.result() == QDialog.DialogCode.Accepted
    last = notes(db, call_id)[-1]
    assert (last["note"], last["disposition"], last["saved"]) == (
        "Refund filed; email today.", "refund_issued", True)


def test_esc_on_the_question_goes_back_to_editing(qtbot, call) -> None:
    db, call_id = call
    d = _dialog(qtbot, db, call_id)
    d.note.setPlainText("Typed")
    _esc(qtbot, d)
    box = _question(qtbot, d)
    qtbot.keyClick(box, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: d.unsaved_question is None)
    assert d.isVisible() and d.note_text() == "Typed"


def test_save_from_the_question_without_a_disposition_asks_for_one(qtbot, call) -> None:
    db, call_id = call
    before = notes(db, call_id)
    d = _dialog(qtbot, db, call_id)
    d.note.setPlainText("Typed")
    _esc(qtbot, d)
    _answer(_question(qtbot, d), "Save note")
    qtbot.waitUntil(lambda: d.unsaved_question is None)
    assert d.isVisible() and d.status.text() == PICK_FIRST and d.note_text() == "Typed"
    assert notes(db, call_id) == before


def test_esc_without_changes_closes_at_once_and_writes_nothing(qtbot, call) -> None:
    db, call_id = call
    before = notes(db, call_id)
    d = _dialog(qtbot, db, call_id)
    _esc(qtbot, d)
    qtbot.waitUntil(lambda: not d.isVisible())
    assert d.unsaved_question is None and d.result() == QDialog.DialogCode.Rejected
    d.jobs.wait()
    assert notes(db, call_id) == before


def test_a_draft_that_cannot_be_stored_keeps_the_dialog_open_with_the_text(qtbot, call) -> None:
    db, call_id = call
    d = _dialog(qtbot, db, call_id)
    d.note.setPlainText("Important note")
    with CallStore(db) as store:
        store.delete_call(call_id)  # erased from another window meanwhile
    with qtbot.waitSignal(d.failed) as failed:
        d.close_button.click()
    assert "no longer stored" in failed.args[0] and "no longer stored" in d.status.text()
    assert d.isVisible() and d.note_text() == "Important note"


# -- the disposition is the agent's --------------------------------------------------------------


def test_the_ai_guess_is_not_selected_and_save_asks_for_a_choice(qtbot, call) -> None:
    db, call_id = call
    before = notes(db, call_id)
    d = _dialog(qtbot, db, call_id)
    assert d.current_disposition() == "" and d.disposition.currentIndex() == -1
    assert d.preselected.isVisible() and d.preselected.text() == PICK_HINT
    assert not d.is_dirty()
    d.save_button.click()
    assert d.isVisible() and d.status.text() == PICK_FIRST
    assert d.focusWidget() is d.disposition  # where the choice is to be made
    d.jobs.wait()
    assert notes(db, call_id) == before
    d.disposition.setCurrentIndex(d.disposition.findData("information_given"))
    assert not d.preselected.isVisible()  # the hint has done its work
    with qtbot.waitSignal(d.saved) as saved:
        d.save_button.click()
    # Choosing where nothing was selected is not an edit of the draft (the AI's guess, hidden
    # from the agent, does not count): the note's text is the draft's.
    assert saved.args[0].disposition == "information_given" and saved.args[0].edited is False


def test_a_note_the_agent_kept_or_saved_keeps_their_disposition(qtbot, call) -> None:
    db, call_id = call
    for mine in (AfterCallNote("n", "callback_scheduled", 5.0, edited=True, saved=False),
                 AfterCallNote("n", "callback_scheduled", 5.0, edited=False, saved=True)):
        d = _dialog(qtbot, db, call_id, draft=mine)
        assert d.current_disposition() == "callback_scheduled" and not d.is_dirty()
        assert not d.preselected.isVisible()


def test_a_used_line_that_states_the_refund_is_evidence(qtbot, call) -> None:
    assert used_line_preselect([REFUND_LINE], DEFAULT_CODES) == (
        "refund_issued", f"Pre-selected: you used the line “{REFUND_LINE[:59]}…”.")
    # A line that only looks it up, or says nothing done, states no code.
    assert used_line_preselect(["Let me check the refund policy for you."], DEFAULT_CODES) is None
    assert used_line_preselect(["Roaming in Canada is included in your plan."],
                               DEFAULT_CODES) is None
    assert used_line_preselect([], DEFAULT_CODES) is None
    # The last line that states a code is what the agent did last.
    assert used_line_preselect([REFUND_LINE, "I've cancelled the plan as of today."],
                               DEFAULT_CODES)[0] == "cancelled"
    db, call_id = call
    d = _dialog(qtbot, db, call_id, lines_used=[REFUND_LINE])
    assert d.current_disposition() == "refund_issued"
    assert d.preselected.text().startswith("Pre-selected: you used the line")
    assert d.is_dirty()  # like any preselection: closing keeps it as the draft's change


# -- in the window: only a line marked Used counts ----------------------------------------------


@pytest.fixture
def window_call(qtbot, tmp_path, testdata):
    """make() -> (window, runner, hub): a stored call on screen with the refund line and card."""

    def make():
        db = tmp_path / "calls.sqlite3"
        with CallStore(db) as store:
            call_id = store.start_call("billing_refund.wav")
        script = [cap("c2", "I was charged twice and want the money back", start=5.0),
                  knowledge("c2", "BILL-01"), sug("c2", REFUND_LINE)]
        holder: dict[str, FakeRunner] = {}

        def factory(post):
            holder["r"] = FakeRunner(post, script=script, call_id=call_id)
            return holder["r"]

        window = MainWindow(factory, demo_wav="demo.wav", demo_script="d.json")
        qtbot.addWidget(window)
        hub = DialogHub(window, db_path=db, settings_path=tmp_path / "settings.toml",
                        settings=Settings()).install()
        window.show()
        window.start_services()
        qtbot.waitUntil(lambda: window.state.phase == cr.READY)
        runner = holder["r"]
        window.call_bar.source.setCurrentText("Demo call")
        window.call_bar.start_button.click()
        qtbot.waitUntil(lambda: window.bridge.pending() == 0 and not runner.thread.is_alive()
                        and window.assist.visible_suggestions() != [])
        return window, runner, hub

    return make


def _hang_up(qtbot, runner, hub) -> WrapUpDialog:
    runner.end()
    runner.post(GUESS)
    qtbot.waitUntil(lambda: any(isinstance(d, WrapUpDialog) for d in hub.open_dialogs))
    return next(d for d in hub.open_dialogs if isinstance(d, WrapUpDialog))


def test_in_the_window_the_line_marked_used_selects_refund_issued(qtbot, window_call):
    window, runner, hub = window_call()
    window.assist.visible_suggestions()[0].used.click()
    wrap = _hang_up(qtbot, runner, hub)
    assert wrap.current_disposition() == "refund_issued"
    assert "you used the line" in wrap.preselected.text()


def test_in_the_window_a_line_only_copied_selects_nothing(qtbot, window_call):
    window, runner, hub = window_call()
    window.assist.visible_suggestions()[0].copy.click()  # may never have been said
    wrap = _hang_up(qtbot, runner, hub)
    assert wrap.current_disposition() == "" and wrap.preselected.text() == PICK_HINT
    wrap.note.setPlainText("Typed, then closed")
    with qtbot.waitSignal(wrap.draft_kept):
        wrap.close_button.click()
    assert window.statusBar().currentMessage() == DRAFT_KEPT  # said, not silently


# -- lines to confirm ----------------------------------------------------------------------------

UNSURE = AfterCallNote(
    f"{CONFIRM_LEGEND}\n\nReason for the call: charged twice.\n\nKey facts:\n"
    "- Amount: $600 (confirm)\n- Account: 55120 (confirm)\n", "refund_issued", at=55.0)


def test_the_confirm_instruction_is_shown_beside_the_note_and_never_kept_in_it(qtbot, call):
    # The walk-through: a draft saved unchanged stored the AI's instruction as the note's first
    # line, and the "(confirm)" marks without a word at Save.
    db, call_id = call
    before = notes(db, call_id)
    d = _dialog(qtbot, db, call_id, draft=UNSURE)
    assert not d.note_text().startswith(CONFIRM_LEGEND)
    assert d.note_text().startswith("Reason for the call: charged twice.")
    assert d.confirm_hint.isVisible() and d.confirm_hint.text().startswith("2 lines end in")
    assert not d.is_dirty()  # the instruction taken out is no change of the agent's
    d.disposition.setCurrentIndex(d.disposition.findData("refund_issued"))
    d.save_button.click()  # two lines still marked: the agent is asked, nothing is written
    qtbot.waitUntil(lambda: d.unconfirmed_question is not None
                    and d.unconfirmed_question.isVisible())
    assert d.unconfirmed_question.text() == '2 lines are still marked "(confirm)".'
    d.unconfirmed_question.reject()  # Esc: check them
    qtbot.waitUntil(lambda: d.unconfirmed_question is None)
    d.jobs.wait()
    assert d.isVisible() and notes(db, call_id) == before
    # one line checked and its mark deleted: the count follows; saved marked, on purpose
    d.note.setPlainText(d.note_text().replace("$600 (confirm)", "$600"))
    assert d.confirm_hint.text().startswith("1 line ends in")
    d.save_button.click()
    qtbot.waitUntil(lambda: d.unconfirmed_question is not None
                    and d.unconfirmed_question.isVisible())
    with qtbot.waitSignal(d.saved) as saved:
        _answer(d.unconfirmed_question, "Save them marked")
    stored = notes(db, call_id)
    assert len(stored) == len(before) + 1
    assert CONFIRM_LEGEND not in stored[-1]["note"]
    assert "55120 (confirm)" in stored[-1]["note"] and "$600\n" in stored[-1]["note"]
    assert saved.args[0].edited is True  # a mark deleted is the agent's edit


def test_a_note_with_nothing_to_confirm_saves_without_a_question(qtbot, call):
    db, call_id = call
    d = _dialog(qtbot, db, call_id, draft=UNSURE)
    d.note.setPlainText("Reason for the call: charged twice.\n")
    assert not d.confirm_hint.isVisible()
    d.disposition.setCurrentIndex(d.disposition.findData("refund_issued"))
    with qtbot.waitSignal(d.saved):
        d.save_button.click()
    assert d.unconfirmed_question is None
