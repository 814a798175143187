"""The draft box in the assistance column (issue 18): Ctrl+D, a tone and a language, the rephrasing
off the UI thread through the real draft_rephraser.DraftRephraser and copilot.assist.rephrase, fact
flags marked and listed, Copy, cancellation that stops the LLM, "declined" and "too slow" said
plainly, and the audit trail (what was asked, what was shown, that it was copied)."""

from __future__ import annotations

import threading
import time

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from window_fakes import FakeRunner, cap, knowledge, sug

from copilot.llm.engine import LlmEngine
from copilot.llm.fake import ScriptedBackend
from copilot.store.db import CallStore
from ui import call_runner as cr
from ui import draft_rephraser as dr
from ui.audit import REPHRASE, REPHRASE_ACTION, AuditTrail
from ui.draft_flow import NOT_STORED as DRAFT_NOT_STORED
from ui.main_window import MainWindow
from ui.panels import draft_box as db

SCRIPT = [
    cap("c2", "I was charged twice this month", start=6.0),
    knowledge("c2", "BILL-01"),
    sug("c2", "I've filed a billing correction; the refund takes 5 business days.", rank=1),
]
ROUGH = ("Yeah, obviously the duplicate is just refunded within 5 business days, I can't "
         "change that!!")
INVENTED = "Don't worry, the duplicate is refunded within 30 days!!"
SLOW = " ".join(f"word{i}" for i in range(200))  # never loops: only time stops it
CARD = "The card 4111 1111 1111 1111 was charged twice; the duplicate is refunded within 5 " \
       "business days."


@pytest.fixture
def make_window(qtbot):
    made: list[LlmEngine] = []

    def make(*, call_id=7, audit=None, script=SCRIPT, size=(1100, 760)):
        holder: dict[str, FakeRunner] = {}

        def factory(post):
            holder["r"] = FakeRunner(post, script=script, call_id=call_id)
            return holder["r"]

        window = MainWindow(factory, demo_wav="demo.wav", demo_script="demo.json", audit=audit)
        qtbot.addWidget(window)
        window.resize(*size)
        window.show()
        qtbot.waitExposed(window)
        window.start_services()
        qtbot.waitUntil(lambda: window.state.phase == cr.READY)
        return window, holder["r"]

    yield make, made
    for engine in made:
        engine.close()


def _llm(made, *scripts: str, delay: float = 0.0) -> tuple[LlmEngine, ScriptedBackend]:
    backend = ScriptedBackend(list(scripts), delay=delay)
    engine = LlmEngine(lambda: backend)
    made.append(engine)
    return engine, backend


def _start_call(qtbot, window, runner):
    window.call_bar.source.setCurrentText("Demo call")
    window.call_bar.start_button.click()
    qtbot.waitUntil(lambda: window.bridge.pending() == 0 and runner.thread is not None
                    and not runner.thread.is_alive() and window.state.phase == cr.LIVE
                    and bool(window.assist.cards))


def _type_draft(qtbot, window, text: str, tone: str = "calm", lang: str = "") -> None:
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    box = window.assist.draft
    assert box.expanded and box.edit.hasFocus()
    box.edit.selectAll()
    box.edit.insertPlainText(text)
    box.set_tone(tone)
    if lang:
        assert box.set_language(lang)


def _rephrase(qtbot, window, text: str, tone: str = "calm", lang: str = "") -> db.DraftBox:
    _type_draft(qtbot, window, text, tone, lang)
    box = window.assist.draft
    box.go.click()
    _done(qtbot, window)
    return box


def _done(qtbot, window, timeout=10_000):
    qtbot.waitUntil(lambda: window.draft is None and not window.draft_jobs.busy, timeout=timeout)


def _events(db_path, call_id):
    with CallStore(db_path) as store:
        return [(e.type, e.payload) for e in store.events(call_id)]


def _stored_call(tmp_path):
    db_path = tmp_path / "calls.sqlite3"
    with CallStore(db_path) as store:
        call_id = store.start_call("test")
    return db_path, call_id


# -- opening, typing, asking -------------------------------------------------------------------

def test_folded_until_ctrl_d_which_focuses_the_draft(qtbot, make_window):
    make, _ = make_window
    window, runner = make()
    box = window.assist.draft
    assert not box.expanded and not box.body.isVisible()
    assert "Ctrl+D" in box.toggle.text()
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert box.expanded and box.body.isVisible() and box.edit.hasFocus()
    assert box.tone() == "calm" and box.language() == ""
    # Ctrl+Enter in the draft rephrases; it never starts (or stops) the call from there.
    qtbot.keyClicks(box.edit, "I can't change that!!")
    qtbot.keyClick(box.edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    _done(qtbot, window)
    assert runner.started == [] and runner.stopped == 0
    assert runner.rephrased == [("I can't change that!!", "calm", "")]
    assert box.frame.isVisible() and "!" not in box.copy_text()
    box.toggle.click()  # folded again: one line
    assert not box.body.isVisible()


def test_an_empty_draft_does_nothing(qtbot, make_window):
    make, _ = make_window
    window, runner = make()
    _type_draft(qtbot, window, "   \n ")
    assert not window.assist.draft.submit()
    assert not window.rephrase("  ", "calm")
    assert runner.rephrased == [] and window.draft is None and not window.draft_jobs.busy


@pytest.mark.parametrize("tone", ["calm", "formal", "brief"])
def test_the_chosen_tone_is_the_engines_and_runs_off_the_ui_thread(qtbot, make_window, tone):
    make, _ = make_window
    window, runner = make()
    runner.rephrase_gate = threading.Event()  # the rephrasing takes its time...
    _type_draft(qtbot, window, ROUGH, tone)
    box = window.assist.draft
    box.go.click()
    qtbot.waitUntil(lambda: bool(runner.rephrased))
    assert box.busy and not box.go.isEnabled() and box.cancel.isEnabled()
    assert box.status.text() == db.WORKING
    assert box.edit.isEnabled()  # ...and the window goes on meanwhile
    qtbot.keyClicks(box.edit, "!")
    runner.rephrase_gate.set()
    _done(qtbot, window)
    assert runner.rephrased == [(ROUGH, tone, "")]
    assert runner.rephrase_threads[0] != threading.current_thread().name
    text = box.copy_text()
    assert "5 business days" in text and "!!" not in text and "obviously" not in text.lower()
    if tone == "formal":
        assert "cannot" in text and "can't" not in text and text.startswith("Yes")
    elif tone == "brief":
        assert " just " not in text
    assert f"· {tone} ·" in box.header.text() and "AI rephrasing" in box.header.text()
    assert not box.busy and box.go.isEnabled() and not box.cancel.isEnabled()
    assert not box.flags.isVisible()  # every fact is in the knowledge base
    assert "BILL-01" in box.sources.text()
    assert box.llm_note.text() == db.LLM_STATUS[""]  # no model: the rules, said so


# -- fact flags ---------------------------------------------------------------------------------

def test_a_fact_not_in_the_knowledge_base_is_marked_and_listed(qtbot, make_window):
    make, _ = make_window
    window, runner = make()
    box = _rephrase(qtbot, window, INVENTED)
    result = box.result
    assert result.flagged and "30 days" in [f.text for f in result.unsupported]
    # Marked in the text, kept (never dropped), with the tooltip...
    shown = box.text.text()
    assert 'href="flag:' in shown and ">30 days</a>" in shown
    assert "30 days" in box.copy_text()
    assert box.text.toolTip().startswith(db.FLAG_TIP)
    # ...and listed.
    assert box.flags.isVisible() and box.flags.text().startswith(db.NOT_IN_KB)
    assert "“30 days” (duration)" in box.flags.text()
    assert box.copy.toolTip() == db.COPY_FLAGGED_TIP


def test_a_flagged_timing_is_called_a_timing_not_a_policy_term(qtbot, make_window):
    # the walk-through read "“now” (policy term)": the list names what the word is
    make, _ = make_window
    window, runner = make()
    box = _rephrase(qtbot, window, "We can refund the duplicate charge right now.")
    assert "now" in [f.text for f in box.result.unsupported]
    assert "“now” (timing)" in box.flags.text() and "“now” (policy term)" not in box.flags.text()


def test_a_supported_fact_is_not_marked(qtbot, make_window):
    make, _ = make_window
    window, runner = make()
    box = _rephrase(qtbot, window, "The duplicate is refunded within 5 business days.")
    assert not box.result.flagged and "flag:" not in box.text.text()
    assert not box.flags.isVisible()
    assert 'href="passage:BILL-01"' in box.sources.text()
    with qtbot.waitSignal(window.assist.open_passage) as opened:
        box.sources.linkActivated.emit("passage:BILL-01")
    assert opened.args == ["BILL-01"]


def test_the_customers_language_with_the_checked_text_marked(qtbot, make_window):
    class Fr:
        def translate(self, text, src, tgt):
            assert (src, tgt) == ("en", "fr")
            return "Le doublon est remboursé sous 30 jours."

    make, _ = make_window
    window, runner = make()
    runner.rephrase_translator = Fr()
    box = _rephrase(qtbot, window, INVENTED, lang="fr")
    assert runner.rephrased[-1][2] == "fr"
    assert box.copy_text() == "Le doublon est remboursé sous 30 jours."
    assert "in French" in box.header.text()
    assert box.checked_en.isVisible() and ">30 days</a>" in box.checked_en.text()
    assert box.flags.isVisible()
    assert any("translated from en" in n for n in box.result.notes)


# -- copy and the audit trail -------------------------------------------------------------------

def test_copy_and_the_audit_rows_during_a_stored_call(qtbot, make_window, tmp_path):
    db_path, call_id = _stored_call(tmp_path)
    audit = AuditTrail(db_path)
    make, _ = make_window
    window, runner = make(call_id=call_id, audit=audit)
    window.set_pack_label("northwind@1.2")
    _start_call(qtbot, window, runner)
    box = _rephrase(qtbot, window, CARD + " " + INVENTED, tone="formal")
    # Redacted before the model (the runner) or the store saw it.
    assert "4111" not in runner.rephrased[0][0] and "4111" not in box.copy_text()
    QGuiApplication.clipboard().setText("")
    box.copy.click()
    assert QGuiApplication.clipboard().text() == box.copy_text()
    assert box.copy.text() == "Copied"
    assert "Check the marked facts" in window.statusBar().currentMessage()
    audit.wait(10)
    events = _events(db_path, call_id)
    assert [t for t, _p in events] == [REPHRASE, REPHRASE_ACTION]
    asked, copied = events[0][1], events[1][1]
    assert asked["id"] == "draft-1" and asked["tone"] == "formal" and asked["lang"] == ""
    assert asked["outcome"] == "shown" and asked["at"] == 12.5
    assert "4111" not in asked["draft"] and "30 days" in asked["draft"]
    assert asked["text"] == box.copy_text() and asked["origin"] == "rules"
    assert asked["flagged"] is True and asked["llm"] == ""
    assert {"kind": "duration", "text": "30 days"} in asked["unsupported"]
    assert any(f["text"] == "5 business days" and f["supported"] and f["sources"] == ["BILL-01"]
               for f in asked["facts"])
    assert asked["seconds"] >= 0 and asked["pack"] == "northwind@1.2"
    assert copied == {"of": "draft-1", "action": "copied", "text": box.copy_text(),
                      "flagged": True, "pack": "northwind@1.2"}
    window.close()


def test_between_calls_nothing_is_stored_and_the_window_says_so_once(qtbot, make_window):
    make, _ = make_window
    window, runner = make()
    box = _rephrase(qtbot, window, ROUGH)
    assert window.actions.recorded == []
    assert window.statusBar().currentMessage() == DRAFT_NOT_STORED
    box.copy.click()  # copying is not stored either
    assert window.actions.recorded == []
    window.statusBar().clearMessage()
    _rephrase(qtbot, window, INVENTED)
    assert window.statusBar().currentMessage() == ""  # said once is enough
    assert len(window.draft_seconds) == 2


def test_a_failed_rephrasing_is_one_line_and_recorded(qtbot, make_window, tmp_path):
    db_path, call_id = _stored_call(tmp_path)
    audit = AuditTrail(db_path)
    make, _ = make_window
    window, runner = make(call_id=call_id, audit=audit)
    _start_call(qtbot, window, runner)
    runner.rephrase_error = RuntimeError("the knowledge base\nis still loading")
    box = _rephrase(qtbot, window, ROUGH)
    assert box.status.text() == "Could not rephrase: the knowledge base is still loading"
    assert not box.frame.isVisible() and not box.busy
    audit.wait(10)
    ((kind, payload),) = _events(db_path, call_id)
    assert kind == REPHRASE and payload["outcome"] == "failed"
    assert payload["error"] == "the knowledge base is still loading" and "text" not in payload
    window.close()


# -- the local model: used, declined, too slow, cancelled ---------------------------------------

def test_a_rewording_that_keeps_the_facts_is_used_and_said(qtbot, make_window):
    make, made = make_window
    window, runner = make()
    runner.rephrase_llm, backend = _llm(
        made, "I understand. The duplicate is refunded within 5 business days.")
    box = _rephrase(qtbot, window, ROUGH)
    assert box.result.origin == "llm" and box.llm_note.text() == db.LLM_STATUS["used"]
    assert "reworded by the local model" in box.header.text()
    assert box.copy_text() == "I understand. The duplicate is refunded within 5 business days."
    assert len(backend.prompts) == 1 and "4111" not in backend.prompts[0]


def test_a_declined_rewording_is_said_plainly(qtbot, make_window):
    make, made = make_window
    window, runner = make()
    runner.rephrase_llm, _ = _llm(made, "The duplicate is refunded within 2 days, for free.")
    box = _rephrase(qtbot, window, ROUGH)
    assert box.result.origin == "rules" and box.result.llm_outcome == "declined"
    note = box.llm_note.text()
    assert note.startswith("The local model's rewording was declined (")
    # the agent's own words for what the rewording lost, not the check's keys (those are kept
    # in the audit trail: ui/draft_flow.py)
    assert "it changed \u201c5 business days\u201d to \u201c2 days\u201d" in note, note
    assert "drops a fact" not in note and "business day," not in note
    assert note.endswith("this is the rule-based rephrasing.")
    assert "5 business days" in box.copy_text() and "2 days" not in box.copy_text()


def test_a_model_too_slow_is_said_plainly_and_the_rules_text_shown(qtbot, make_window):
    make, made = make_window
    window, runner = make()
    runner.rephraser.timeout = 0.5
    runner.rephrase_llm, backend = _llm(made, SLOW, delay=0.05)
    box = _rephrase(qtbot, window, ROUGH)
    assert box.result.llm_outcome == "too_slow"
    assert box.llm_note.text() == ("The local model was too slow (no answer within 0.5 s): "
                                   "this is the rule-based rephrasing.")
    assert "5 business days" in box.copy_text() and box.frame.isVisible()
    stopped = backend.produced
    time.sleep(0.3)  # the scenario: time for six more words if the generation ran on
    assert backend.produced <= stopped + 1  # the slow generation was stopped, not left running


def test_cancel_returns_to_idle_at_once_and_stops_the_model(qtbot, make_window, tmp_path):
    db_path, call_id = _stored_call(tmp_path)
    audit = AuditTrail(db_path)
    make, made = make_window
    window, runner = make(call_id=call_id, audit=audit)
    _start_call(qtbot, window, runner)
    runner.rephrase_llm, backend = _llm(made, SLOW, delay=0.1)  # 20 s of words
    _type_draft(qtbot, window, ROUGH)
    box = window.assist.draft
    box.go.click()
    qtbot.waitUntil(lambda: backend.produced >= 2)  # the model is generating
    box.cancel.click()
    # At once: idle, nothing shown, the audit says cancelled.
    assert window.draft is None and not box.busy
    assert box.go.isEnabled() and not box.cancel.isEnabled()
    assert not box.frame.isVisible() and box.status.text() == db.CANCELLED
    # The job ends within a token or two: the LLM honoured the cancellation (20 s of words
    # would be 200 pieces).
    qtbot.waitUntil(lambda: not window.draft_jobs.busy, timeout=5000)
    assert backend.produced < 30
    qtbot.wait(50)
    assert not box.frame.isVisible() and box.result is None  # its result never shows
    assert runner.rephrase_cancels == 1
    audit.wait(10)
    ((kind, payload),) = _events(db_path, call_id)
    assert kind == REPHRASE and payload["outcome"] == "cancelled"
    assert payload["draft"] == ROUGH and payload["tone"] == "calm"
    assert "text" not in payload
    # The next draft goes through as usual.
    runner.rephrase_llm = None
    _rephrase(qtbot, window, INVENTED)
    assert box.frame.isVisible() and box.result.flagged
    window.close()


def test_esc_in_the_draft_cancels_a_rephrasing_and_never_clears_the_draft(qtbot, make_window):
    make, _ = make_window
    window, runner = make()
    runner.rephrase_gate = threading.Event()
    _type_draft(qtbot, window, ROUGH)
    box = window.assist.draft
    qtbot.keyClick(box.edit, Qt.Key.Key_Escape)  # nothing running: nothing happens
    assert box.edit.toPlainText() == ROUGH and box.status.text() == ""
    qtbot.keyClick(box.edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: bool(runner.rephrased))
    qtbot.keyClick(box.edit, Qt.Key.Key_Escape)
    assert not box.busy and box.status.text() == db.CANCELLED
    assert box.edit.toPlainText() == ROUGH
    _done(qtbot, window)
    assert not box.frame.isVisible()


def test_a_new_call_cancels_a_running_rephrasing_and_clears_the_result(qtbot, make_window):
    make, _ = make_window
    window, runner = make()
    _rephrase(qtbot, window, ROUGH)
    box = window.assist.draft
    assert box.frame.isVisible()
    runner.rephrase_gate = threading.Event()
    box.edit.setPlainText(INVENTED)
    box.go.click()
    qtbot.waitUntil(lambda: len(runner.rephrased) == 2)
    _start_call(qtbot, window, runner)
    assert runner.rephrase_cancels == 1 and not box.busy and not box.frame.isVisible()
    assert box.edit.toPlainText() == INVENTED  # the agent's words stay
    _done(qtbot, window)
    assert not box.frame.isVisible()


# -- room: the draft box open beside the lines and cards ----------------------------------------

def _inside(widget, viewport) -> bool:
    from PySide6.QtCore import QPoint

    top = widget.mapTo(viewport, QPoint(0, 0))
    return (top.y() >= 0 and top.y() + widget.height() <= viewport.height()
            and top.x() >= 0 and top.x() + widget.width() <= viewport.width())


@pytest.mark.parametrize("scale", [1.0, 1.5])
@pytest.mark.parametrize("look", ["light", "dark"])
def test_open_with_a_flagged_result_the_first_line_stays_in_view(qtbot, make_window, look,
                                                                 scale):
    from dialog_screenshots import kept_look
    from PySide6.QtWidgets import QApplication
    from test_room_for_cards import SCRIPT as ROOM_SCRIPT

    from ui import theme

    app = QApplication.instance()
    with kept_look(app):
        colors = theme.apply(app, look, scale)
        make, _ = make_window
        window, runner = make(script=ROOM_SCRIPT, size=(1280, 800))
        window.assist.draft.colors = colors
        window.call_bar.source.setCurrentText("Demo call")
        window.call_bar.start_button.click()
        qtbot.waitUntil(lambda: window.bridge.pending() == 0 and window.summary.version == 3)
        box = _rephrase(qtbot, window, INVENTED)
        assert box.flags.isVisible()
        panel = window.assist
        # Nothing of the draft box is clipped: every part has the height its text needs...
        for label in (box.header, box.text, box.flags, box.sources):
            qtbot.waitUntil(lambda w=label: w.height() >= w.heightForWidth(w.width()))
        for w in (box.edit, box.go, box.cancel, box.copy, box.frame):
            assert _inside(w, panel), w
        # ...and the first suggested line is still in full view under it.
        viewport = panel.scroll.viewport()
        first = panel.visible_suggestions()[0]
        qtbot.waitUntil(lambda: _inside(first, viewport))
        for w in (first.copy, first.used, first.dismiss):
            assert _inside(w, viewport)
        # Folded again, the cards have their room back.
        box.toggle.click()
        qtbot.waitUntil(lambda: _inside(panel.cards[0], viewport))
        window.close()


# -- the runner's side: draft_rephraser.DraftRephraser ---------------------------------------------

def test_a_cancel_before_the_request_reaches_the_model_stops_it_there(make_window):
    _, made = make_window
    engine, backend = _llm(made, "I understand.")
    guard = dr._CancellableLlm(engine)
    guard.cancel()
    result = guard.generate([{"role": "user", "content": "Draft: hi"}], key="rephrase")
    assert result.cancelled and backend.prompts == []
    assert not dr.DraftRephraser().cancel()  # nothing running: nothing to stop


def test_the_translation_goes_through_the_same_cancel_with_its_own_key(make_window):
    from window_fakes import PASSAGES

    from copilot.assist.translate import TranslationService
    from copilot.assist.translate.llm import LlmTranslator
    from copilot.knowledge.base import KnowledgeBase

    _, made = make_window
    engine, backend = _llm(made, "The duplicate is refunded within 5 business days.",
                           "Le doublon est remboursé sous 5 jours ouvrés.")
    keys: list[str | None] = []
    submit = engine.submit

    def spy(*args, **kwargs):
        keys.append(kwargs.get("key"))
        return submit(*args, **kwargs)

    engine.submit = spy  # type: ignore[method-assign]
    translator = TranslationService(None, LlmTranslator(engine))  # the call's service
    kb = KnowledgeBase(list(PASSAGES.values()))
    result = dr.DraftRephraser().run(kb, engine, translator, None, ROUGH, "calm", "fr")
    assert keys == ["rephrase", dr.REPHRASE_TRANSLATE_KEY]
    assert result.lang == "fr" and result.text == "Le doublon est remboursé sous 5 jours ouvrés."
    assert len(backend.prompts) == 2


def test_the_real_runner_says_when_there_is_no_knowledge_base():
    from copilot.assist.ask import AskError
    from copilot.settings import Settings

    runner = cr.CallRunner(lambda _event: None, cr.RunnerOptions(kb_dir="none"),
                           settings=Settings())
    with pytest.raises(AskError, match="no knowledge base is loaded"):
        runner.rephrase(ROUGH, "calm")
    assert not runner.cancel_rephrase()
    assert dr.clean_draft("  card 4111 1111 1111 1111\n refunded in 5 days ") == \
        "card [card ending 1111] refunded in 5 days"


def test_the_real_runner_checks_a_draft_in_the_call_it_is_written_in():
    """The draft box's draft is about the call in progress (or just ended): the runner hands
    the call's context (AssistPipeline.context) to copilot.assist.rephrase, so the customer's
    own amount is theirs, not a policy fact to flag."""
    from types import SimpleNamespace

    from window_fakes import PASSAGES

    from copilot.assist.call_context import CallContext
    from copilot.knowledge.base import KnowledgeBase
    from copilot.settings import Settings

    runner = cr.CallRunner(lambda _event: None, cr.RunnerOptions(kb_dir="none"),
                           settings=Settings())
    runner.build = SimpleNamespace(kb=KnowledgeBase(list(PASSAGES.values())), llm=None,
                                   translator=None)
    draft = "The 49.25 dollars will be back on your card soon."
    assert [f.text for f in runner.rephrase(draft, "calm").unsupported] == ["49.25 dollars"]
    said = CallContext((("customer", "The charge was $49.25 on March 3rd."),))
    runner.session = SimpleNamespace(assist=SimpleNamespace(context=said))
    result = runner.rephrase(draft, "calm")
    assert result.unsupported == () and [f.text for f in result.from_call] == ["49.25 dollars"]


def test_a_draft_that_is_all_blame_shows_the_note_and_nothing_to_copy(qtbot, make_window):
    make, _ = make_window
    window, runner = make()
    box = _rephrase(qtbot, window, "Calm down.")
    assert box.result.text == "" and not box.copy.isEnabled()
    assert db.NOTHING_LEFT_SHOWN in box.text.text() and box.notes.isVisible()
    assert "nothing of the draft is left" in box.notes.text()
    QGuiApplication.clipboard().setText("kept")
    assert not box.do_copy() and QGuiApplication.clipboard().text() == "kept"
    box = _rephrase(qtbot, window, "There is nothing I can do.")  # a usable result again
    assert box.copy.isEnabled() and box.result.text == "I'm not able to change that."
