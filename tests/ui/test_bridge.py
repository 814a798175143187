"""EventBridge: engine threads in, Qt signals out, in order, partials coalesced."""

from __future__ import annotations

import threading

from window_fakes import cap, sug

from ui.bridge import EventBridge
from ui.call_runner import LIVE, CallState


def _collect(bridge: EventBridge) -> list:
    seen: list = []
    for name in ("caption", "suggestion", "state", "other", "notice"):
        getattr(bridge, name).connect(seen.append)
    return seen


def test_events_from_a_worker_thread_arrive_in_order_on_the_ui_thread(qtbot):
    bridge = EventBridge()
    seen = _collect(bridge)
    threads: list = []
    bridge.caption.connect(lambda _e: threads.append(threading.current_thread()))
    events = [CallState(LIVE), cap("c1", "hello", channel="agent"), sug("c1", "line"),
              cap("c2", "world")]
    worker = threading.Thread(target=lambda: [bridge.post(e) for e in events])
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: len(seen) == len(events))
    assert seen == events
    assert set(threads) == {threading.main_thread()}


def test_partials_waiting_for_delivery_are_coalesced_and_the_final_wins(qtbot):
    bridge = EventBridge()
    seen = _collect(bridge)
    # Nothing is delivered until the event loop runs: everything below piles up.
    for i in range(50):
        bridge.post(cap("c1", "word " * (i + 1), final=False))
    bridge.post(cap("c2", "other", final=False, channel="agent"))
    bridge.post(cap("c1", "the final text"))
    bridge.post(cap("c1", "a late partial", final=False))
    qtbot.waitUntil(lambda: bridge.pending() == 0 and len(seen) >= 3)
    assert [(e.id, e.final, e.text) for e in seen] == [
        ("c1", True, "the final text"), ("c2", False, "other"), ("c1", False, "a late partial")]
    assert bridge.coalesced == 50
    assert bridge.posted == 53


def test_a_delivery_over_its_budget_yields_and_resumes_in_order(qtbot):
    bridge = EventBridge(budget_seconds=0.0)  # every delivery stops after one event
    seen = _collect(bridge)
    for i in range(30):
        bridge.post(cap(f"c{i}", f"text {i}"))
    qtbot.waitUntil(lambda: len(seen) == 30)
    assert [e.id for e in seen] == [f"c{i}" for i in range(30)]
    assert bridge.deliveries >= 30


def test_partials_requeued_after_a_budget_break_are_still_replaced(qtbot):
    bridge = EventBridge(budget_seconds=0.0)
    seen = _collect(bridge)
    bridge.post(cap("c0", "first"))
    bridge.post(cap("c1", "partial", final=False))
    # Deliver exactly one event by hand: c1's partial goes back to the queue.
    bridge._deliver()
    bridge.post(cap("c1", "final"))
    qtbot.waitUntil(lambda: bridge.pending() == 0 and len(seen) == 2)
    assert [(e.id, e.text) for e in seen] == [("c0", "first"), ("c1", "final")]


def test_unknown_event_types_go_to_other(qtbot):
    bridge = EventBridge()
    seen = _collect(bridge)

    class Future:
        type = "something_new"

    event = Future()
    bridge.post(event)
    qtbot.waitUntil(lambda: seen == [event])


def test_flush_now_delivers_everything_at_once(qtbot):
    bridge = EventBridge()
    seen = _collect(bridge)
    for i in range(5):
        bridge.post(cap(f"c{i}", "x"))
    bridge.flush_now()
    assert len(seen) == 5 and bridge.pending() == 0
