"""Transfer / escalate (issue 18): the call bar's action opens the handoff note, laid out from the
running summary and customer signals the window received (here those the real summary and
signal code make from a test call's turns) and the line the agent used; the destination choice,
the agent's edits kept, Copy, the note kept with the call (redacted), and the wrap-up's
disposition preselected."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QDialog
from window_fakes import FakeRunner, knowledge, sug

from copilot.assist.signals import SignalTracker
from copilot.assist.summary import RunningSummary
from copilot.events import AfterCallNote, Caption, Summary
from copilot.privacy.redaction import Redactor
from copilot.settings import Settings
from copilot.store.db import CallStore
from ui import call_runner as cr
from ui.audit import HANDOFF, AuditTrail
from ui.dialogs.handoff import HandoffDialog
from ui.dialogs.wrap_up import WrapUpDialog
from ui.handoff_flow import NOT_STORED, ONLY_DURING_A_CALL
from ui.main_window import MainWindow
from ui.window_dialogs import DialogHub

LINE = "I've filed a billing correction; the refund takes 5 business days."


def replayed(testdata: Path) -> tuple[list, Summary]:
    """The billing call's turns as the engine would publish them: redacted final captions, the
    customer signals of the real tracker, the real running summary, and a card and line for
    the refund question."""
    doc = json.loads((testdata / "calls" / "billing_refund.json").read_text("utf-8"))
    redactor = Redactor()
    signals = SignalTracker()
    captions, events = [], []
    for i, t in enumerate(doc["turns"]):
        text = redactor.redact(t["text"], final=True).text
        c = Caption(f"c{i}", True, t["speaker"], t["start"], t["end"], t["end"] + 0.6, "en", text)
        captions.append(c)
        events += [c, *signals.feed(c)]
        if "money back" in text:
            events += [knowledge(c.id, "BILL-01"), sug(c.id, LINE)]
    summary = RunningSummary().update(captions)
    assert summary is not None
    return [*events, summary], summary


@pytest.fixture
def call_db(tmp_path: Path) -> tuple[Path, int]:
    db = tmp_path / "calls.sqlite3"
    with CallStore(db) as store:
        return db, store.start_call("billing_refund.wav")


@pytest.fixture
def live(qtbot, testdata, call_db, tmp_path):
    """make(**kw) -> (window, runner, hub, summary): the billing call on screen, still live."""

    def make(*, call_id: int | None = -1, audit: bool = True, settings: Settings | None = None):
        db, stored = call_db
        script, summary = replayed(testdata)
        holder: dict[str, FakeRunner] = {}
        trail = AuditTrail(db) if audit else None

        def factory(post):
            holder["r"] = FakeRunner(post, script=script,
                                     call_id=stored if call_id == -1 else call_id)
            return holder["r"]

        window = MainWindow(factory, audit=trail, demo_wav="demo.wav", demo_script="d.json")
        qtbot.addWidget(window)
        hub = DialogHub(window, db_path=db, settings_path=tmp_path / "settings.toml",
                        settings=settings or Settings()).install()
        window.resize(1100, 760)
        window.show()
        qtbot.waitExposed(window)
        window.start_services()
        qtbot.waitUntil(lambda: window.state.phase == cr.READY)
        runner = holder["r"]
        runner.settings = settings
        assert not window.call_bar.handoff.isEnabled()  # no call yet
        window.call_bar.source.setCurrentText("Demo call")
        window.call_bar.start_button.click()
        qtbot.waitUntil(lambda: window.bridge.pending() == 0 and runner.thread is not None
                        and not runner.thread.is_alive() and window.state.phase == cr.LIVE
                        and window.summary.version > 0)
        return window, runner, hub, summary

    return make


def _open(qtbot, window) -> HandoffDialog:
    window.activateWindow()  # a shortcut of the window's works when the window is active
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    qtbot.keyClick(window, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    dialog = window.handoff.dialog
    assert dialog is not None and dialog.isVisible()
    return dialog


def _handoffs(db: Path, call_id: int) -> list[dict]:
    with CallStore(db) as store:
        return [e.payload for e in store.events(call_id) if e.type == HANDOFF]


def test_only_during_a_call(qtbot, live):
    window, runner, _hub, _summary = live()
    assert window.call_bar.handoff.isEnabled()
    runner.end()
    qtbot.waitUntil(lambda: window.state.phase == cr.ENDED)
    assert not window.call_bar.handoff.isEnabled()
    window.call_bar.request_handoff()  # Ctrl+T between calls: nothing opens
    assert window.handoff.dialog is None
    assert window.handoff.open() is None
    assert window.statusBar().currentMessage() == ONLY_DURING_A_CALL


def test_a_copied_line_is_not_what_the_customer_was_told(qtbot, live):
    window, _runner, _hub, _summary = live()
    window.assist.copy_suggestion(1)
    window.call_bar.handoff.click()
    text = window.handoff.dialog.note_text()
    told = text.split("Customer was told:\n", 1)[1].split("\nOpen items:", 1)[0]
    assert "\u201c" not in told  # no quoted suggested line


def test_the_note_is_the_calls_summary_signal_and_the_line_used(qtbot, live):
    window, _runner, _hub, summary = live()
    window.assist.use_suggestion(1)  # Alt+1: the agent said the approved line
    window.call_bar.handoff.click()
    dialog = window.handoff.dialog
    assert isinstance(dialog, HandoffDialog) and dialog.isVisible()
    text = dialog.note_text()
    s = summary.sections
    assert text.startswith("Handoff to: Billing team\nReason for the call: " + s["reason"])
    assert "- Account number: 742931" in text
    for fact in s["facts"]:
        assert f"- {fact}" in text
    assert "[card ending 1111]" in text and "4111" not in text  # redacted as the captions
    for item in [*s["actions"], *s["open"], *s["next"]]:
        assert f"- {item}" in text
    assert f"- \u201c{LINE}\u201d" in text  # under "Customer was told"
    # Frustrated mid-call, calm again by the last turn ("Okay, thank you."): both are said.
    assert ("Customer signal: calmer now, frustrated earlier (\u201csecond time\u201d, "
            "\u201cfrustrated\u201d)") in text
    assert dialog.draft.summary_version == summary.version  # the summary the window showed
    assert [dialog.destinations.itemText(i) for i in range(dialog.destinations.count())] == [
        "Billing team", "Technical support", "Supervisor"]
    assert not dialog.is_edited()


def test_the_destinations_are_the_sites(qtbot, live):
    site = Settings.from_dict({"handoff": {"destinations": ["Retention", "Fraud desk"]}})
    window, *_ = live(settings=site)
    dialog = _open(qtbot, window)
    assert dialog.destination() == "Retention"
    assert [dialog.destinations.itemData(i) for i in range(dialog.destinations.count())] == [
        "Retention", "Fraud desk"]


def test_a_new_destination_keeps_the_edits_and_reopening_keeps_both(qtbot, live):
    window, *_ = live()
    dialog = _open(qtbot, window)
    cursor = dialog.note.textCursor()
    cursor.movePosition(cursor.MoveOperation.End)
    dialog.note.setTextCursor(cursor)
    qtbot.keyClicks(dialog.note, "Customer prefers email.")
    assert dialog.is_edited()
    dialog.destinations.setCurrentIndex(dialog.destinations.findData("Supervisor"))
    text = dialog.note_text()
    assert text.startswith("Handoff to: Supervisor\n") and "Billing team" not in text
    assert text.endswith("Customer prefers email.")
    qtbot.keyClick(dialog.note, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert dialog.note_text().startswith("Handoff to: Billing team\n")  # one undo step
    assert dialog.destination() == "Billing team"  # the choice follows the line it undid
    dialog.destinations.setCurrentIndex(dialog.destinations.findData("Supervisor"))
    dialog.close_button.click()
    assert not dialog.isVisible()
    again = _open(qtbot, window)
    assert again is not dialog
    assert again.note_text() == text and again.destination() == "Supervisor"
    assert again.is_edited()


def test_a_new_destination_alone_is_no_edit(qtbot, live):
    window, *_ = live()
    dialog = _open(qtbot, window)
    dialog.destinations.setCurrentIndex(dialog.destinations.findData("Technical support"))
    assert not dialog.is_edited()
    assert dialog.handoff("copied").destination == "Technical support"


def test_copy_and_save_keep_the_note_with_the_call_redacted(qtbot, live, call_db):
    db, call_id = call_db
    window, runner, _hub, _summary = live()
    window.set_pack_label("northwind@1.2")
    dialog = _open(qtbot, window)
    cursor = dialog.note.textCursor()
    cursor.movePosition(cursor.MoveOperation.End)
    dialog.note.setTextCursor(cursor)
    qtbot.keyClicks(dialog.note, "Card 4111 1111 1111 1111 read out again.")
    QGuiApplication.clipboard().setText("")
    dialog.copy_button.click()
    copied_text = dialog.note_text()
    assert QGuiApplication.clipboard().text() == copied_text  # the agent's own text, local
    assert dialog.status.text() == "Copied to the clipboard (nothing was sent). Kept with the call."
    runner.clock = 20.0
    dialog.save_button.click()
    assert dialog.result() == QDialog.DialogCode.Accepted and not dialog.isVisible()
    window.actions.audit.wait(10)
    copied, saved = _handoffs(db, call_id)
    assert (copied["action"], copied["at"], saved["action"], saved["at"]) == (
        "copied", 12.5, "saved", 20.0)
    for p in (copied, saved):
        assert p["type"] == "handoff" and p["id"] == "handoff-1"
        assert p["destination"] == "Billing team" and p["edited"] is True
        assert p["pack"] == "northwind@1.2"
        assert "4111 1111" not in p["note"] and "[card ending 1111]" in p["note"]
        assert p["note"].startswith("Handoff to: Billing team\nReason for the call: ")
        assert "- Account number: 742931" in p["note"]
        assert p["sections"]["facts"] and p["summary_version"] > 0
    assert window.handoff.made_for(call_id).action == "saved"
    assert "kept with the call" in window.statusBar().currentMessage()
    window.close()


def test_outside_a_stored_call_nothing_is_kept_and_it_says_so(qtbot, live, call_db):
    db, call_id = call_db
    window, *_ = live(call_id=None)
    dialog = _open(qtbot, window)
    dialog.copy_button.click()
    assert dialog.status.text().endswith("the note is not kept with it.")
    assert window.statusBar().currentMessage() == NOT_STORED
    window.actions.audit.wait(10)
    assert _handoffs(db, call_id) == [] and window.handoff.made == {}


def test_update_from_the_summary_takes_the_newer_summary_and_can_be_undone(qtbot, live):
    window, runner, _hub, summary = live()
    dialog = _open(qtbot, window)
    before = dialog.note_text()
    newer = Summary(summary.version + 1, {**summary.sections,
                                          "open": ["Wants a written confirmation"]}, 70.0)
    runner.post(newer)
    qtbot.waitUntil(lambda: window.summary.version == newer.version)
    dialog.update_button.click()
    assert "- Wants a written confirmation" in dialog.note_text()
    assert dialog.draft.summary_version == newer.version and not dialog.is_edited()
    qtbot.keyClick(dialog.note, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert dialog.note_text() == before


def _wrap_up(qtbot, window, runner, hub) -> WrapUpDialog:
    runner.end()
    runner.post(AfterCallNote("Reason for the call: charged twice", "refund_issued", 64.0))
    qtbot.waitUntil(lambda: any(isinstance(d, WrapUpDialog) for d in hub.open_dialogs))
    return next(d for d in hub.open_dialogs if isinstance(d, WrapUpDialog))


def test_the_wrap_up_preselects_transferred_after_a_handoff_to_a_team(qtbot, live):
    window, runner, hub, _summary = live()
    dialog = _open(qtbot, window)
    dialog.copy_button.click()
    dialog.close_button.click()
    wrap = _wrap_up(qtbot, window, runner, hub)
    assert wrap.current_disposition() == "transferred"  # a peer team (the default codes)
    assert wrap.preselected.isVisible()
    assert wrap.preselected.text() == ("Pre-selected: the call was handed to Billing team at "
                                       "00:12.5.")
    assert wrap.is_dirty()  # closing keeps it as the draft's change, like an edit


def test_the_wrap_up_preselects_escalated_after_a_handoff_to_a_supervisor(qtbot, live):
    window, runner, hub, _summary = live()
    dialog = _open(qtbot, window)
    dialog.destinations.setCurrentIndex(dialog.destinations.findData("Supervisor"))
    dialog.save_button.click()
    wrap = _wrap_up(qtbot, window, runner, hub)
    assert wrap.current_disposition() == "escalated"
    assert "handed to Supervisor" in wrap.preselected.text()


def test_the_wrap_up_says_escalated_when_the_site_has_no_transferred_code(qtbot, live):
    site = Settings()
    site.assist.disposition_codes = [c for c in site.assist.disposition_codes
                                     if c != "transferred"]
    window, runner, hub, _summary = live(settings=site)
    _open(qtbot, window).save_button.click()
    assert _wrap_up(qtbot, window, runner, hub).current_disposition() == "escalated"


def test_without_a_handoff_the_wrap_up_selects_no_disposition(qtbot, live):
    window, runner, hub, _summary = live()
    dialog = _open(qtbot, window)
    dialog.close_button.click()  # opened, nothing copied or saved: no handoff was made
    wrap = _wrap_up(qtbot, window, runner, hub)
    assert wrap.current_disposition() == ""  # the AI's "refund_issued" is a guess
    assert "pick" in wrap.preselected.text() and not wrap.is_dirty()


def test_a_new_call_starts_a_new_note(qtbot, live):
    window, runner, _hub, _summary = live()
    dialog = _open(qtbot, window)
    qtbot.keyClicks(dialog.note, "edited ")
    dialog.close_button.click()
    runner.end()
    qtbot.waitUntil(lambda: window.state.phase == cr.ENDED)
    runner.script = []
    window.call_bar.start_button.click()
    qtbot.waitUntil(lambda: window.state.phase == cr.LIVE and not runner.thread.is_alive())
    fresh = _open(qtbot, window)
    assert fresh.draft.id == "handoff-2" and not fresh.is_edited()
    assert "Reason for the call: (not stated yet)" in fresh.note_text()
    assert "Customer signal: calm" in fresh.note_text()


# -- the call ends while the handoff note is still open --------------------------------------


def _hang_up(qtbot, window, runner, at: float = 64.0) -> None:
    """The call ends (its after-call note made at `at` on the call clock) and the window has
    handled both the end and the note."""
    runner.end()
    runner.post(AfterCallNote("Reason for the call: charged twice", "refund_issued", at))
    qtbot.waitUntil(lambda: window.state.phase == cr.ENDED and window.bridge.pending() == 0)


def _wrap_ups(hub) -> list[WrapUpDialog]:
    return [d for d in hub.open_dialogs if isinstance(d, WrapUpDialog)]


def test_the_wrap_up_waits_for_the_open_handoff_note_then_preselects_from_it(qtbot, live,
                                                                           call_db):
    db, call_id = call_db
    window, runner, hub, _summary = live()
    dialog = _open(qtbot, window)  # the agent starts the handoff at 00:12.5 ...
    _hang_up(qtbot, window, runner)  # ... and the call ends before they saved it
    qtbot.wait(50)
    assert _wrap_ups(hub) == []  # not over the note the agent is still writing
    assert dialog.isVisible()
    assert dialog.ended and "The call has ended" in dialog.status.text()
    assert "wrap-up" in dialog.status.text()
    window.call_bar.request_handoff()  # no second note for a call that is over
    assert window.handoff.dialog is dialog
    runner.clock = 95.0  # the agent saves half a minute after the hang-up
    dialog.save_button.click()
    qtbot.waitUntil(lambda: len(_wrap_ups(hub)) == 1)
    wrap = _wrap_ups(hub)[0]
    assert wrap.call_id == call_id
    assert wrap.current_disposition() == "transferred"  # a peer team, not a supervisor
    assert wrap.preselected.text() == ("Pre-selected: the call was handed to Billing team at "
                                       "01:04.0.")
    window.actions.audit.wait(10)
    (saved,) = _handoffs(db, call_id)
    assert (saved["action"], saved["at"]) == ("saved", 64.0)  # not after the call had ended


def test_a_handoff_note_closed_after_the_call_ended_lets_the_wrap_up_open(qtbot, live, call_db):
    db, call_id = call_db
    window, runner, hub, _summary = live()
    dialog = _open(qtbot, window)
    _hang_up(qtbot, window, runner)
    qtbot.wait(50)
    assert _wrap_ups(hub) == []
    dialog.close_button.click()  # not handed over after all
    qtbot.waitUntil(lambda: len(_wrap_ups(hub)) == 1)
    wrap = _wrap_ups(hub)[0]
    assert wrap.current_disposition() == "" and "handed" not in wrap.preselected.text()
    window.actions.audit.wait(10)
    assert _handoffs(db, call_id) == []


def test_a_note_copied_in_the_call_and_sent_on_after_it_ended(qtbot, live, call_db):
    db, call_id = call_db
    window, runner, hub, _summary = live()
    dialog = _open(qtbot, window)
    dialog.copy_button.click()  # 00:12.5: copied for the billing team
    _hang_up(qtbot, window, runner, at=70.0)
    qtbot.wait(50)
    assert _wrap_ups(hub) == []  # the agent may still change where it goes
    dialog.destinations.setCurrentIndex(dialog.destinations.findData("Supervisor"))
    runner.clock = 120.0
    dialog.save_button.click()
    qtbot.waitUntil(lambda: len(_wrap_ups(hub)) == 1)
    wrap = _wrap_ups(hub)[0]
    assert wrap.current_disposition() == "escalated"
    assert wrap.preselected.text() == ("Pre-selected: the call was handed to Supervisor at "
                                       "01:10.0.")
    window.actions.audit.wait(10)
    assert [(p["destination"], p["action"], p["at"]) for p in _handoffs(db, call_id)] == [
        ("Billing team", "copied", 12.5), ("Supervisor", "saved", 70.0)]


def test_a_note_left_open_into_the_next_call_stays_with_its_own_call(qtbot, live, call_db):
    db, first = call_db
    window, runner, hub, summary = live()
    dialog = _open(qtbot, window)
    _hang_up(qtbot, window, runner)
    with CallStore(db) as store:
        second = store.start_call("next.wav")
    runner._call_id, runner.script = second, []
    window.call_bar.start_button.click()  # the next call starts; the note is still open
    qtbot.waitUntil(lambda: window.state.phase == cr.LIVE and not runner.thread.is_alive())
    assert _wrap_ups(hub) == []
    runner.clock = 3.0
    dialog.update_button.click()  # from its own call's summary, not the new call's (none yet)
    assert "Reason for the call: " + summary.sections["reason"] in dialog.note_text()
    dialog.save_button.click()
    qtbot.waitUntil(lambda: len(_wrap_ups(hub)) == 1)
    wrap = _wrap_ups(hub)[0]
    assert wrap.call_id == first and wrap.current_disposition() == "transferred"
    window.actions.audit.wait(10)
    assert [p["at"] for p in _handoffs(db, first)] == [64.0] and _handoffs(db, second) == []
    assert window.handoff.made_for(second) is None
