"""The draft box in the real window with the real small models (Whisper base, SmolLM2-135M, the
northwind knowledge base), during a live replay stored with its audit trail: a draft with a fact
the knowledge base does not state comes back rephrased with that fact marked and listed; Copy
puts it on the clipboard; cancelling stops the real LLM's request; the audit trail has what was
asked, shown, copied and cancelled; nothing slow ran on the UI thread.

Whether SmolLM2's rewording was used, declined or too slow, and how long each took, is printed
(BENCHMARKS.md records the figures), never asserted: the small model decides."""

from __future__ import annotations

import threading
import time

import pytest
from PySide6.QtGui import QGuiApplication
from test_window_real import _heavy_calls_on_the_ui_thread

from copilot import paths
from copilot.settings import Settings
from copilot.store.db import CallStore
from ui import call_runner as cr
from ui import draft_rephraser as dr
from ui.audit import REPHRASE, REPHRASE_ACTION, AuditTrail
from ui.call_runner import CallRunner, RunnerOptions
from ui.main_window import MainWindow
from ui.panels import draft_box as db

DRAFT = "Don't worry, you'll get a full refund within 90 days, I promise!!"
SECOND = ("Obviously you should have checked your bill!! The duplicate amount is refunded in "
          "full within 5 business days.")


def _rephrase(qtbot, window, draft: str, tone: str) -> None:
    box = window.assist.draft
    window._focus_draft()
    box.edit.setPlainText(draft)
    box.set_tone(tone)
    box.go.click()


@pytest.mark.slow
def test_a_draft_rephrased_in_the_real_window_during_a_stored_call(
        qtbot, testdata, base_model, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("COPILOT_HOME", str(tmp_path / "home"))
    on_ui_thread = _heavy_calls_on_the_ui_thread(monkeypatch)
    run = dr.DraftRephraser.run

    def watched_run(*args, **kwargs):
        if threading.current_thread() is threading.main_thread():
            on_ui_thread.append("DraftRephraser.run")
        return run(*args, **kwargs)

    monkeypatch.setattr(dr.DraftRephraser, "run", watched_run)
    settings = Settings()
    opts = RunnerOptions(kb_dir=str(testdata / "kb" / "northwind"), use_llm=True,
                         model=str(base_model), store=True, title="e2e draft box")
    audit = AuditTrail(paths.database_path())
    window = MainWindow(lambda post: CallRunner(post, opts, settings=settings), audit=audit,
                        pack_label="e2e")
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    window.start_services()
    qtbot.waitUntil(lambda: window.state.phase == cr.READY, timeout=180_000)
    engine = window.runner.llm
    assert engine is not None and window.runner.llm_name() not in ("none", "loading")
    window.start_call(cr.CallSource(cr.FILE, path=str(testdata / "calls" /
                                                      "billing_refund.wav")))
    qtbot.waitUntil(lambda: window.state.phase == cr.LIVE and window.runner.call_id is not None,
                    timeout=60_000)
    call_id = window.runner.call_id
    box = window.assist.draft

    # 1. A draft with an invented promise: rephrased, the promise kept and flagged.
    _rephrase(qtbot, window, DRAFT, "calm")
    qtbot.waitUntil(lambda: window.draft is None and not window.draft_jobs.busy, timeout=90_000)
    result = box.result
    assert result is not None and box.frame.isVisible(), box.status.text()
    assert "90 days" in [f.text for f in result.unsupported]
    assert ">90 days</a>" in box.text.text() and "“90 days”" in box.flags.text()
    assert "!!" not in result.text
    assert result.llm_outcome in ("used", "declined", "too_slow")
    assert box.llm_note.isVisible() == (result.llm_outcome != "used")
    first = window.draft_seconds[-1]
    QGuiApplication.clipboard().setText("")
    box.copy.click()
    assert QGuiApplication.clipboard().text() == result.text

    # 2. Cancelled while the real LLM has the request (queued behind the call's, or running).
    _rephrase(qtbot, window, SECOND, "formal")
    qtbot.waitUntil(lambda: _llm_has_rephrase(engine) or not window.draft_jobs.busy,
                    timeout=30_000)
    seen_in_llm = _llm_has_rephrase(engine)
    t0 = time.perf_counter()
    assert window.cancel_rephrase()
    assert not box.busy and not box.frame.isVisible() and box.status.text() == db.CANCELLED
    qtbot.waitUntil(lambda: not window.draft_jobs.busy, timeout=10_000)
    stopped = time.perf_counter() - t0
    assert not _llm_has_rephrase(engine)
    qtbot.wait(100)
    assert box.result is None and not box.frame.isVisible()

    # 3. The same draft again, to the end: the window works on after a cancellation.
    _rephrase(qtbot, window, SECOND, "formal")
    qtbot.waitUntil(lambda: window.draft is None and not window.draft_jobs.busy, timeout=90_000)
    again = box.result
    assert again is not None and "5 business days" in again.text_en and not again.flagged
    second = window.draft_seconds[-1]

    window.stop_call()
    qtbot.waitUntil(lambda: window.state.phase in (cr.ENDED, cr.FAILED), timeout=120_000)
    audit.wait(10)
    with CallStore(paths.database_path()) as store:
        events = [(e.type, e.payload) for e in store.events(call_id)
                  if e.type in (REPHRASE, REPHRASE_ACTION)]
    assert [(t, p.get("outcome", p.get("action"))) for t, p in events] == [
        (REPHRASE, "shown"), (REPHRASE_ACTION, "copied"), (REPHRASE, "cancelled"),
        (REPHRASE, "shown")]
    shown = events[0][1]
    assert shown["draft"] == DRAFT and shown["tone"] == "calm" and shown["flagged"] is True
    assert {"kind": "duration", "text": "90 days"} in shown["unsupported"]
    assert shown["text"] == result.text and shown["llm"] == result.llm_outcome
    assert events[1][1]["text"] == result.text and events[2][1]["tone"] == "formal"
    with capsys.disabled():
        print(f"\n[draft box] mid-call, real SmolLM2-135M: flagged draft {first:.2f} s "
              f"({result.origin}/{result.llm_outcome}: {result.text!r}); cancel took "
              f"{stopped:.2f} s (request {'in' if seen_in_llm else 'not yet in'} the LLM); "
              f"again {second:.2f} s ({again.origin}/{again.llm_outcome}: {again.text!r})")
    assert on_ui_thread == []
    window.close()


def _llm_has_rephrase(engine) -> bool:
    """Whether the engine holds a rephrasing's request, queued or generating (its internals:
    the test must know the cancellation reached the model, not just the window)."""
    with engine._cv:
        running = engine._running
        return (running is not None and running.key == "rephrase"
                and not running.cancel.is_set()) or any(r.key == "rephrase"
                                                        for r in engine._queue)
