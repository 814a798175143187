"""The dialogs' worker: jobs run off the UI thread, in order, results come back on it."""

from __future__ import annotations

import threading

import pytest
from dialog_screenshots import fill_demo_store, render_all
from PySide6.QtGui import QImage

from copilot.store.db import CallStore
from ui.jobs import Jobs


def test_jobs_run_in_order_on_a_worker_and_report_back_on_the_ui_thread(qtbot) -> None:
    jobs = Jobs()
    ui_thread = threading.get_ident()
    ran: list[tuple[str, int]] = []
    results: list[tuple[object, int]] = []
    busy: list[bool] = []
    jobs.busy_changed.connect(busy.append)

    def work(name: str) -> str:
        ran.append((name, threading.get_ident()))
        return name.upper()

    for name in ("save", "reload"):
        jobs.submit(lambda n=name: work(n), lambda r: results.append((r, threading.get_ident())))
    assert jobs.busy
    qtbot.waitUntil(lambda: len(results) == 2)
    assert [n for n, _ in ran] == ["save", "reload"]
    assert all(t != ui_thread for _, t in ran)
    assert results == [("SAVE", ui_thread), ("RELOAD", ui_thread)]
    assert busy == [True, False] and not jobs.busy


def test_an_error_reaches_the_error_callback(qtbot) -> None:
    jobs = Jobs()
    errors: list[BaseException] = []

    def fail() -> None:
        raise KeyError("no call with id 9")

    jobs.submit(fail, lambda _r: pytest.fail("no result expected"), errors.append)
    qtbot.waitUntil(lambda: bool(errors))
    assert isinstance(errors[0], KeyError) and not jobs.busy


def test_the_demo_store_is_redacted_and_the_screenshots_render(qtbot, tmp_path) -> None:
    db = tmp_path / "demo.sqlite3"
    call, summary, draft = fill_demo_store(db)
    with CallStore(db) as store:
        text = " ".join(s.text for s in store.segments(call))
    assert "[card ending 1111]" in text and "four one one one" not in text
    assert summary.sections["reason"] and draft.note.startswith("Reason for the call")

    shots = render_all(tmp_path / "shots", variants=(("dark", 1.25),))
    assert {p.name.split("-")[0] for p in shots} == {
        "wrap_up", "handoff", "history", "history_summary", "reports",
        # every tab of the Reports view after the first
        *(f"reports_{tab}" for tab in ("checklists", "suggestions", "passages_used",
                                        "passages_dismissed", "customer_signals",
                                        "dispositions", "key_figures")),
        *(f"settings{i}" for i in range(6))}
    for p in shots:
        image = QImage(str(p))
        assert image.width() > 300 and image.height() > 200
        # Dark theme: the window background, not an unpainted white or black image.
        corner = image.pixelColor(image.width() - 3, image.height() - 3)
        assert corner.name() == "#15191e"
