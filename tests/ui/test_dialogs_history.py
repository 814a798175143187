"""The history dialog on a real call database: list and search, one call's transcript, summary
and note, export in every format, delete that really erases, editing a note."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from dialog_calls import CALLS, disk_bytes, fill, notes
from PySide6.QtWidgets import QFileDialog

from copilot.store import export
from copilot.store.db import CallStore
from ui.dialogs import call_data
from ui.dialogs.history import HistoryDialog
from ui.dialogs.wrap_up import PICK_HINT


@pytest.fixture
def db(tmp_path: Path, testdata: Path) -> tuple[Path, dict[str, int]]:
    path = tmp_path / "calls.sqlite3"
    return path, fill(path, testdata)


def opened(qtbot, path: Path) -> HistoryDialog:
    d = HistoryDialog(path)
    qtbot.addWidget(d)
    with qtbot.waitSignals([d.calls_loaded, d.detail_loaded]):
        d.show()
    return d


def rows(d: HistoryDialog) -> list[list[str]]:
    return [[d.list.topLevelItem(i).text(c) for c in range(4)]
            for i in range(d.list.topLevelItemCount())]


def show(qtbot, d: HistoryDialog, call_id: int) -> None:
    with qtbot.waitSignal(d.detail_loaded, check_params_cb=lambda i: i == call_id):
        d.select_call(call_id)


def test_lists_calls_newest_first_and_shows_the_newest(qtbot, db) -> None:
    path, ids = db
    d = opened(qtbot, path)
    listed = rows(d)
    assert [r[1] for r in listed] == [
        "Device limit question (fabricated-policy trap)",
        "French-speaking customer asks about cancellation fees",
        "Duplicate charge, refund timing, card number spoken"]
    assert all(r[3] == "completed" for r in listed)
    assert listed[2][2] == "1:04"  # billing_refund's last turn ends at 64.1 s
    assert d.selected_call_id() == ids["device_limit"]
    assert "Device limit question" in d.header.text()


def test_transcript_names_each_speaker_and_shows_translations(qtbot, db) -> None:
    path, ids = db
    d = opened(qtbot, path)
    show(qtbot, d, ids["cancel_french"])
    text = d.transcript.toPlainText()
    assert "Customer: Bonjour, je ne parle pas bien anglais." in text
    assert "Translation: [en] Bonjour, je ne parle pas bien anglais." in text
    assert "Agent: " in text
    assert text.count("Customer:") + text.count("Agent:") == len(d.detail.segments) == 6
    html = d.transcript.toHtml()
    assert html.count("#0b5cad") >= 3 or html.count("#7ab7f5") >= 3  # the customer's accent


def test_summary_tab_shows_the_latest_summary_and_note(qtbot, db) -> None:
    path, ids = db
    d = opened(qtbot, path)
    show(qtbot, d, ids["billing_refund"])
    text = d.summary.toPlainText()
    assert "Charged twice for the phone bill" in text and "stale" not in text
    assert "Draft note for billing_refund." in text
    assert "Information given" in text and "AI draft" in text


def test_search_matches_titles_and_transcript_text(qtbot, db) -> None:
    path, ids = db
    d = opened(qtbot, path)
    with qtbot.waitSignal(d.calls_loaded) as sig:
        d.search.setText("résilier")  # words said in the French call only
    assert sig.args == [1] and d.selected_call_id() == ids["cancel_french"]
    with qtbot.waitSignal(d.calls_loaded) as sig:
        d.search.setText("DUPLICATE charge")  # a title, any case
    assert sig.args == [1] and rows(d)[0][1].startswith("Duplicate charge")
    with qtbot.waitSignal(d.calls_loaded) as sig:
        d.search.setText("100%_off")  # LIKE wildcards are taken literally
    assert sig.args == [0] and "No calls match" in d.header.text()
    assert not d.export_button.isEnabled() and not d.delete_button.isEnabled()
    with qtbot.waitSignal(d.calls_loaded) as sig:
        d.search.clear()
    assert sig.args == [len(CALLS)]


@pytest.mark.parametrize("fmt", export.FORMATS)
def test_export_writes_what_the_cli_writes(qtbot, db, tmp_path: Path, fmt: str) -> None:
    path, ids = db
    d = opened(qtbot, path)
    show(qtbot, d, ids["billing_refund"])
    out = tmp_path / f"out.{fmt}"
    d._ask_export_target = lambda call: (out, fmt)
    with qtbot.waitSignal(d.exported) as sig:
        d.export_button.click()
    assert sig.args == [ids["billing_refund"], str(out)]
    with CallStore(path) as store:
        call = store.get_call(ids["billing_refund"])
        expected = export.render(fmt, call, store.segments(call.id), store.events(call.id))
    assert out.read_text("utf-8") == expected
    if fmt == "json":
        assert json.loads(expected)["call"]["title"].startswith("Duplicate charge")
    assert str(out) in d.status.text()


def test_export_file_dialog_picks_the_format(qtbot, db, monkeypatch, tmp_path: Path) -> None:
    path, _ids = db
    d = opened(qtbot, path)
    answers = iter([(str(tmp_path / "a.srt"), "Plain text (*.txt)"),  # typed suffix wins
                    (str(tmp_path / "b"), "WebVTT subtitles (*.vtt)"),  # no suffix: the filter
                    ("", "")])  # cancelled
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: next(answers))
    call = d.detail.call
    assert d._ask_export_target(call) == (tmp_path / "a.srt", "srt")
    assert d._ask_export_target(call) == (tmp_path / "b.vtt", "vtt")
    assert d._ask_export_target(call) is None


def test_delete_asks_then_erases_the_call_from_the_files(qtbot, db) -> None:
    path, ids = db
    d = opened(qtbot, path)
    show(qtbot, d, ids["cancel_french"])
    marker = "résilier".encode()
    assert marker in disk_bytes(path)
    d._confirm_delete = lambda call: False
    d.delete_button.click()
    d.jobs.wait()
    with CallStore(path) as store:
        assert store.get_call(ids["cancel_french"]) is not None  # "No" keeps it

    d._confirm_delete = lambda call: True
    with qtbot.waitSignals([d.deleted, d.calls_loaded]):
        d.delete_button.click()
    assert [r[1] for r in rows(d)] == [
        "Device limit question (fabricated-policy trap)",
        "Duplicate charge, refund timing, card number spoken"]
    assert "deleted and erased" in d.status.text()
    with CallStore(path) as store:
        assert store.get_call(ids["cancel_french"]) is None
    assert marker not in disk_bytes(path)


def test_a_call_being_recorded_cannot_be_deleted_or_edited(qtbot, tmp_path, testdata) -> None:
    from copilot.store.db import CallStore

    path = tmp_path / "calls.sqlite3"
    fill(path, testdata)
    # A session recording right now: its store stays open (it holds the call's owner lock).
    with CallStore(path) as recording:
        live = recording.start_call("mic", title="On the line")
        d = opened(qtbot, path)
        assert d.selected_call_id() == live
        assert rows(d)[0][2:] == ["-", "recording"]
        assert d.export_button.isEnabled()
        assert not d.delete_button.isEnabled() and not d.edit_button.isEnabled()
        with pytest.raises(call_data.CallIsActive, match="still being recorded"):
            call_data.delete_call(path, live)


def test_edit_note_saves_and_the_history_shows_it(qtbot, db) -> None:
    path, ids = db
    d = opened(qtbot, path)
    show(qtbot, d, ids["billing_refund"])
    wrap = d.edit_note()
    assert wrap is not None and wrap.note_text() == "Draft note for billing_refund."
    wrap.note.setPlainText("Refund filed, 3-5 business days.")
    wrap.disposition.setCurrentIndex(wrap.disposition.findData("refund_issued"))
    with qtbot.waitSignals([d.note_saved, d.detail_loaded]):
        wrap.save()
    assert notes(path, ids["billing_refund"])[-1]["note"] == "Refund filed, 3-5 business days."
    assert d.status.text() == "Note saved (Refund issued)."
    text = d.summary.toPlainText()
    assert "Refund filed, 3-5 business days." in text and "saved by the agent" in text
    assert "Refund issued" in text


def test_an_empty_or_missing_database_says_so(qtbot, tmp_path: Path) -> None:
    d = opened_empty = HistoryDialog(tmp_path / "new.sqlite3")
    qtbot.addWidget(opened_empty)
    with qtbot.waitSignal(d.calls_loaded) as sig:
        d.show()
    assert sig.args == [0] and d.header.text() == "No calls stored yet."
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(b"this is not sqlite" * 100)
    d2 = HistoryDialog(bad)
    qtbot.addWidget(d2)
    with qtbot.waitSignal(d2.failed) as sig:
        d2.show()
    assert "not a readable call database" in sig.args[0]
    assert "not a readable call database" in d2.status.text()


# -- the handoff note of Transfer / escalate ----------------------------------------------------


def _hand_over(path: Path, call_id: int) -> None:
    """The billing call's note copied for the billing team, edited and saved, then sent on to a
    supervisor: the events the window's Transfer / escalate stores."""
    from copilot.assist.handoff import HandoffTracker
    from copilot.events import Summary

    tracker = HandoffTracker()
    tracker.feed(Summary(2, {"reason": "Charged twice for the phone bill",
                             "facts": ["Account number: 742931"]}, 20.0))
    draft = tracker.note("Billing team", 30.0, "handoff-1").to_dict()
    copied = {**draft, "action": "copied", "at": 31.0}
    saved = {**copied, "action": "saved", "edited": True, "at": 33.5,
             "note": draft["note"].replace("- (none)", "- Customer prefers email <b>", 1)}
    onward = {**saved, "destination": "Supervisor", "at": 52.0,
              "note": saved["note"].replace("Billing team", "Supervisor")}
    with CallStore(path) as store:
        for payload in (copied, saved, onward):
            store.add_event(call_id, "handoff", payload["at"], payload)


def test_the_summary_tab_shows_the_handoff_notes_as_the_export_does(qtbot, db) -> None:
    path, ids = db
    call_id = ids["billing_refund"]
    _hand_over(path, call_id)
    d = opened(qtbot, path)
    show(qtbot, d, call_id)
    text = d.summary.toPlainText()
    # Summary first, then the handoff notes, then the after-call note (the export's order).
    summary_at = text.index("Charged twice for the phone bill")
    billing = text.index("Handoff to Billing team at 00:33.5 (edited and saved by the agent)")
    onward = text.index("Handoff to Supervisor at 00:52.0 (edited and saved by the agent)")
    note_at = text.index("Draft note for billing_refund.")
    assert summary_at < billing < onward < note_at
    assert text.count("Handoff to Billing team at") == 1  # the copy before the save is not a note
    assert "- Customer prefers email <b>" in text  # the agent's text, as text (not markup)
    assert "Handoff to: Supervisor" in text and "- Account number: 742931" in text
    # The same notes, times and states as `copilot calls show` and the txt export.
    with CallStore(path) as store:
        record = export.record_lines(store.events(call_id))
    headings = [line for line in record if line.startswith("Handoff note to ")]
    assert len(headings) == 2
    for line in headings:
        dest, rest = line[len("Handoff note to "):].split(" at ", 1)
        assert f"Handoff to {dest} at {rest.rstrip(':')}" in text
    first = record.index(headings[0])
    for line in record[first + 1:record.index(headings[1])]:
        assert line[2:] in text  # every line of the note, as the export prints it
    assert d.tabs.tabText(1) == "Su&mmary and notes"
    assert "handed to Billing team, Supervisor" in d.header.text()  # seen without scrolling


def test_a_call_without_a_handoff_shows_no_handoff_section(qtbot, db) -> None:
    path, ids = db
    d = opened(qtbot, path)
    show(qtbot, d, ids["billing_refund"])
    assert "Handoff" not in d.summary.toPlainText()


def test_editing_an_unreviewed_note_of_a_handed_over_call_preselects_its_disposition(qtbot,
                                                                                     db) -> None:
    path, ids = db
    call_id = ids["billing_refund"]
    _hand_over(path, call_id)  # the last handoff went to a supervisor
    d = opened(qtbot, path)
    show(qtbot, d, call_id)
    wrap = d.edit_note()
    assert wrap is not None and wrap.current_disposition() == "escalated"
    assert wrap.preselected.text() == ("Pre-selected: the call was handed to Supervisor at "
                                       "00:52.0.")
    with qtbot.waitSignal(wrap.draft_kept):  # the preselection is a change: kept as a draft
        wrap.close_button.click()
    assert d.status.text().startswith("Changes kept as a draft")  # not "Note saved"
    other = ids["device_limit"]  # no handoff: the AI's guess is not selected
    show(qtbot, d, other)
    wrap = d.edit_note()
    assert wrap.current_disposition() == ""
    assert wrap.preselected.text() == PICK_HINT
