"""The live checklist in the assistance column: items ticking from the engine's events with the
words that ticked them, ticks by hand (sent to the call's session, or kept with the ended call
through the audit trail), an order violation flagged, and the required items left open shown
prominently at the end."""

from __future__ import annotations

import pytest
from window_fakes import FakeRunner, cap

from copilot.events import ChecklistEvent
from ui import call_runner as cr
from ui.audit import CHECKLIST
from ui.main_window import MainWindow
from ui.panels.checklist_panel import NO_CHECKLIST, ChecklistPanel

ITEMS = ChecklistEvent("items", "support", 0.0, text="Support call", items=(
    {"id": "recorded", "text": "Say the call is recorded", "required": True},
    {"id": "verify", "text": "Verify the caller", "required": True},
    {"id": "account", "text": "Discuss the account after verifying", "required": False,
     "after": "verify"},
    {"id": "retention", "text": "Offer a discount before cancelling", "required": True,
     "conditional": True},
))


def tick(item: str, words: str = "", of: str = "c1", by: str = "copilot") -> ChecklistEvent:
    return ChecklistEvent("tick", "support", 3.0, item=item, of=of, text=f"Hello. {words}",
                          words=words, by=by, score=0.83 if by == "copilot" else None)


@pytest.fixture
def panel(qtbot):
    p = ChecklistPanel()
    qtbot.addWidget(p)
    return p


def test_the_checklist_is_laid_out_with_required_optional_and_conditional_items(panel):
    assert not panel.isVisible() and panel.empty.text() == NO_CHECKLIST  # a call without one
    panel.show_event(ITEMS)
    assert panel.isVisible() and not panel.empty.isVisible()
    assert panel.row("recorded").label.text() == "Say the call is recorded"
    assert panel.row("account").label.text().endswith("(optional)")
    retention = panel.row("retention")
    assert not retention.applies and retention.detail.text() == "Applies if it comes up"
    assert panel.count.text() == "0 of 3 done"  # the conditional item has not come up


def test_a_tick_from_the_agents_words_shows_them_labelled_ai(panel):
    panel.show_event(ITEMS)
    panel.show_event(tick("recorded", "this call is recorded for quality"))
    row = panel.row("recorded")
    assert row.box.isChecked() and row.done
    assert row.detail.text() == "AI ✓ from your words: “this call is recorded for quality”"
    assert "c1" in row.detail.toolTip() and "Hello." in row.detail.toolTip()
    assert panel.ai_note.isVisible() and panel.count.text() == "1 of 3 done"


def test_a_click_is_sent_as_the_agents_and_shown_at_once(panel, qtbot):
    panel.show_event(ITEMS)
    with qtbot.waitSignal(panel.toggled) as sent:
        panel.row("verify").box.click()
    assert sent.args == ["support", "verify", True]
    assert panel.row("verify").detail.text() == "Ticked by you"
    panel.show_event(tick("verify", by="agent"))  # the engine's record comes back
    assert panel.row("verify").box.isChecked()
    with qtbot.waitSignal(panel.toggled) as sent:
        panel.row("verify").box.click()
    assert sent.args == ["support", "verify", False] and not panel.row("verify").done


def test_an_engine_tick_does_not_echo_back_as_a_click(panel, qtbot):
    panel.show_event(ITEMS)
    with qtbot.assertNotEmitted(panel.toggled):
        panel.show_event(tick("recorded", "recorded"))
        panel.show_event(ChecklistEvent("untick", "support", 4.0, item="recorded", by="agent"))
    assert not panel.row("recorded").box.isChecked()


def test_an_order_violation_is_flagged_on_its_item(panel):
    panel.show_event(ITEMS)
    panel.show_event(tick("account", "your last bill was fifty dollars"))
    panel.show_event(ChecklistEvent("order", "support", 3.0, item="account", of="c1",
                                    after="verify"))
    flag = panel.row("account").flag
    assert flag.isVisible() and flag.text() == "⚠ Done before: Verify the caller"
    assert "before “Verify the caller” was ticked" not in panel.row("account").detail.text()


def test_an_item_done_before_its_prerequisite_says_so_without_a_violation(panel):
    # The final walk-through: after an account-number question (close to the check, so no
    # violation is flagged) the account item read as plainly done.
    panel.show_event(ITEMS)
    panel.show_event(tick("account", "I can see both payments"))
    row = panel.row("account")
    assert row.detail.text() == ("AI ✓ from your words: “I can see both payments” · before "
                                 "“Verify the caller” was ticked")
    assert not row.flag.isVisible()
    panel.show_event(tick("verify", "account number and PIN"))  # done first: nothing said
    panel.show_event(ChecklistEvent("untick", "support", 4.0, item="account", by="agent"))
    panel.show_event(tick("account", "your plan", by="agent"))
    assert row.detail.text() == "Ticked by you"


def test_a_conditional_item_that_comes_up_can_be_done(panel):
    panel.show_event(ITEMS)
    panel.show_event(ChecklistEvent("applies", "support", 2.0, item="retention", of="c2",
                                    text="I want to cancel.", words="I want to cancel."))
    row = panel.row("retention")
    assert row.applies and row.detail.text() == "Came up (AI): “I want to cancel.”"
    assert panel.count.text() == "0 of 4 done"


def test_a_conditional_item_done_before_it_came_up_counts_as_come_up(panel):
    panel.show_event(ITEMS)
    assert panel.count.text() == "0 of 3 done"  # the retention offer does not apply yet
    panel.show_event(tick("retention", "If you stay, I'll take ten dollars off."))
    row = panel.row("retention")
    assert row.applies and row.done and panel.count.text() == "1 of 4 done"


def test_required_items_left_open_are_shown_prominently_until_done(panel, qtbot):
    panel.show_event(ITEMS)
    panel.fold.setChecked(True)  # folded: the end of the call unfolds it
    panel.show_event(tick("recorded", "recorded"))
    panel.show_event(ChecklistEvent("closing", "support", 30.0, of="c9", open=("verify",)))
    assert panel.alert.isVisible() and panel.body.isVisible()
    assert panel.alert.text() == "The call is ending: required and not done: Verify the caller"
    assert "700" in panel.row("verify").label.styleSheet()
    panel.row("verify").box.click()  # done at the last moment
    assert not panel.alert.isVisible() and panel.row("verify").label.styleSheet() == ""
    panel.row("verify").box.click()  # unticked again: the end of the call reports it
    panel.show_event(ChecklistEvent("end", "support", 40.0, open=("verify",)))
    assert panel.alert.isVisible()
    assert panel.alert.text() == "The call has ended: required and not done: Verify the caller"


def test_a_new_call_starts_empty(panel):
    panel.show_event(ITEMS)
    panel.show_event(ChecklistEvent("end", "support", 40.0, open=("verify",)))
    panel.clear()
    assert panel.lists == {} and not panel.isVisible() and not panel.alert.isVisible()
    assert panel.items_layout.count() == 3  # the "no checklist" line, the AI note, the stretch


# -- in the window --

SCRIPT = [ITEMS, cap("c1", "Hello, this call is recorded.", channel="agent", start=0.5),
          tick("recorded", "this call is recorded.")]


@pytest.fixture
def window(qtbot):
    holder: dict[str, FakeRunner] = {}

    def factory(post):
        holder["r"] = FakeRunner(post, script=SCRIPT)
        return holder["r"]

    w = MainWindow(factory, demo_wav="demo.wav", demo_script="demo.json")
    qtbot.addWidget(w)
    w.resize(1100, 700)
    w.show()
    qtbot.waitExposed(w)
    w.start_services()
    qtbot.waitUntil(lambda: w.state.phase == cr.READY)
    w.call_bar.source.setCurrentText("Demo call")
    w.call_bar.start_button.click()
    runner = holder["r"]
    qtbot.waitUntil(lambda: w.bridge.pending() == 0 and runner.thread is not None
                    and not runner.thread.is_alive() and w.checklist.row("recorded") is not None
                    and w.checklist.row("recorded").done)
    return w, runner


def test_the_window_shows_the_checklist_beside_the_cards(window):
    w, _ = window
    assert w.checklist.isVisible()
    assert w.checklist.row("recorded").box.isChecked()


def test_a_click_during_the_call_goes_to_the_session(window):
    w, runner = window
    w.checklist.row("verify").box.click()
    assert runner.checklist_actions == [("support", "verify", True)]
    assert w.actions.recorded == []  # the session stores it, not the window


def test_a_click_after_the_call_is_kept_with_it(window, qtbot):
    w, runner = window
    runner.end()
    qtbot.waitUntil(lambda: w.state.phase == cr.ENDED)
    w.checklist.row("verify").box.click()
    assert runner.checklist_actions == []
    (record,) = w.actions.recorded
    assert (record.call_id, record.type) == (7, CHECKLIST)
    assert record.payload == {"type": "checklist", "kind": "tick", "checklist": "support",
                              "item": "verify", "by": "agent", "at": 12.5}


def test_a_new_call_clears_the_checklist(window, qtbot):
    w, runner = window
    runner.end()
    qtbot.waitUntil(lambda: w.state.phase == cr.ENDED)
    runner.script = []
    w.call_bar.start_button.click()
    qtbot.waitUntil(lambda: w.state.phase == cr.LIVE)
    assert w.checklist.lists == {}


def test_with_a_checklist_the_lines_and_cards_keep_their_room_at_150_percent(qtbot):
    """The demo's six items, three ticked with the words that ticked them, do not push the
    first line and card out of sight at 1280x800 and a 150 % font: the items scroll instead."""
    from dialog_screenshots import kept_look
    from PySide6.QtCore import QPoint
    from PySide6.QtWidgets import QApplication
    from window_fakes import knowledge, sug

    from ui import theme

    six = ChecklistEvent("items", "demo", 0.0, text="Support call", items=tuple(
        {"id": f"i{n}", "text": f"Item number {n} that the agent must say on the call",
         "required": n != 3, **({"conditional": True} if n == 5 else {})} for n in range(6)))
    script = [six, cap("c1", "Hello, this call is recorded.", channel="agent", start=0.5),
              *[ChecklistEvent("tick", "demo", 2.0, item=f"i{n}", of="c1", text="Hello.",
                               words="this call is recorded for quality and training purposes",
                               by="copilot", score=0.9) for n in range(3)],
              cap("c2", "I was charged twice this month", start=6.0),
              knowledge("c2", "BILL-01", "ROAM-01"),
              sug("c2", "I've filed a billing correction; the duplicate amount is refunded "
                  "within five business days.", rank=1)]

    def inside(widget, viewport) -> bool:
        top = widget.mapTo(viewport, QPoint(0, 0))
        return top.y() >= 0 and top.y() + widget.height() <= viewport.height()

    app = QApplication.instance()
    with kept_look(app):
        theme.apply(app, "light", 1.5)
        holder: dict[str, FakeRunner] = {}

        def factory(post):
            holder["r"] = FakeRunner(post, script=script)
            return holder["r"]

        w = MainWindow(factory, demo_wav="demo.wav", demo_script="demo.json")
        qtbot.addWidget(w)
        w.resize(1280, 800)
        w.show()
        qtbot.waitExposed(w)
        w.start_services()
        qtbot.waitUntil(lambda: w.state.phase == cr.READY)
        w.call_bar.source.setCurrentText("Demo call")
        w.call_bar.start_button.click()
        runner = holder["r"]
        qtbot.waitUntil(lambda: w.bridge.pending() == 0 and runner.thread is not None
                        and not runner.thread.is_alive() and bool(w.assist.cards))
        viewport = w.assist.scroll.viewport()

        qtbot.waitUntil(lambda: inside(w.assist.visible_suggestions()[0], viewport)
                        and inside(w.assist.cards[0], viewport))
        assert w.checklist.isVisible() and w.checklist.row("i0").done
        # Folded to its heading to make the room, its count still in sight; the agent can
        # unfold it, and then the window leaves it so.
        assert w.checklist.folded and w.checklist.count.text() == "3 of 5 done"
        w.checklist.fold.click()
        assert not w.checklist.folded and w.checklist.folded_by_agent


def test_the_audit_trail_keeps_only_the_agents_own_checklist_ticks(tmp_path):
    from copilot.store.db import CallStore
    from ui.audit import AuditRecord, AuditTrail

    db = tmp_path / "calls.sqlite3"
    with CallStore(db) as store:
        cid = store.start_call("x.flac", "", {})
    trail = AuditTrail(db)
    tick_ = ChecklistEvent("tick", "support", 50.0, item="verify", by="agent").to_dict()
    trail.record(AuditRecord(cid, CHECKLIST, 50.0, tick_))
    with pytest.raises(ValueError, match="the agent's tick or untick"):
        trail.record(AuditRecord(cid, CHECKLIST, 51.0, {**tick_, "by": "copilot"}))
    trail.close()
    with CallStore(db) as store:
        assert [e.payload for e in store.events(cid)] == [tick_]
