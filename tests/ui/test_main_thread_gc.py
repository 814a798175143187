"""Cycles are collected on the UI thread only (ui/main_thread_gc.py): a worker thread that
allocates a lot never becomes the one that destroys the window's garbage."""

from __future__ import annotations

import gc
import threading
import weakref

from ui import main_thread_gc


class _Cycle:
    died_on: list[str] = []

    def __init__(self) -> None:
        self.me = self

    def __del__(self) -> None:
        _Cycle.died_on.append(threading.current_thread().name)


def _busy_worker(keep: list) -> None:
    # Far past the youngest generation's threshold (and kept, so the count stays past it):
    # automatic collection would run here, on this thread.
    keep.extend([i] for i in range(50_000))


def test_a_worker_allocating_does_not_collect_the_windows_garbage(qtbot, qapp):
    collector = main_thread_gc.install(qapp)
    assert main_thread_gc.install(qapp) is collector
    assert not gc.isenabled()
    _Cycle.died_on.clear()
    alive = weakref.ref(_Cycle())  # garbage at once, kept only by its own cycle
    kept: list = []
    worker = threading.Thread(target=_busy_worker, args=(kept,), name="busy-worker")
    worker.start()
    worker.join()
    assert alive() is not None and _Cycle.died_on == []
    qtbot.waitUntil(lambda: alive() is None, timeout=5000)
    del kept
    assert _Cycle.died_on == [threading.main_thread().name]
    assert sum(collector.collections) >= 1


def test_the_youngest_generation_waits_for_its_threshold(qtbot, qapp):
    collector = main_thread_gc.install(qapp)
    gc.collect()
    before = list(collector.collections)
    collector.tick()  # nothing allocated since: nothing to do
    assert collector.collections == before
    kept = [[i] for i in range(5_000)]
    collector.tick()
    assert collector.collections[0] + collector.collections[1] > before[0] + before[1]
    del kept


def test_settle_freezes_what_loaded_and_stop_gives_collection_back(qapp):
    collector = main_thread_gc.install(qapp)
    assert not gc.isenabled()
    collector.settle()
    assert gc.get_freeze_count() > 0
    collector.stop()
    assert gc.get_freeze_count() == 0
    assert gc.isenabled()
    assert main_thread_gc.install(qapp) is not collector  # a stopped one is not reused
    main_thread_gc.install(qapp).stop()


def test_the_window_collects_on_its_own_thread(qtbot, copilot_home):
    from window_fakes import FakeRunner

    from ui import call_runner as cr
    from ui.main_window import MainWindow

    window = MainWindow(lambda post: FakeRunner(post))
    qtbot.addWidget(window)
    assert window.collector is main_thread_gc.install(window.collector.parent())
    assert not gc.isenabled()
    window.start_services()
    qtbot.waitUntil(lambda: window.state.phase == cr.READY)
    assert gc.get_freeze_count() > 0  # READY: what loaded is out of the collector's sight
