"""Closing the window during a call: the call finishes in the background (the window keeps
painting and says so), then the window closes; a call that never ends is cut short."""

from __future__ import annotations

import threading

from window_fakes import FakeRunner

from copilot.events import AfterCallNote
from copilot.settings import Settings
from ui import call_runner as cr
from ui import closing_flow
from ui.main_window import MainWindow
from ui.window_dialogs import DialogHub


class LongCallRunner(FakeRunner):
    """A call that runs until stop(); then, like the real runner, it stores the last words,
    posts the after-call note and ENDED, and its thread ends. `hang` ignores stop()."""

    def __init__(self, post, *, hang: bool = False) -> None:
        super().__init__(post, script=[], call_id=3)
        self.hang = hang
        self._stop = threading.Event()
        self.close_timeouts: list[float] = []

    def start(self, source: cr.CallSource) -> None:
        self.started.append(source)
        self.session = object()

        def run() -> None:
            self.post(cr.CallState(cr.STARTING, "fake"))
            self.post(cr.CallState(cr.LIVE, "fake"))
            self._stop.wait(30)
            if self.hang:
                return
            self._stop.wait(0.3)  # finishing the last utterance and the note
            self.post(AfterCallNote("Charged twice; refund filed.", "refund_issued", 9.0))
            self.post(cr.CallState(cr.ENDED, "done", 3))

        self.thread = threading.Thread(target=run, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        super().stop()
        if not self.hang:
            self._stop.set()

    def close(self, timeout: float = 15.0) -> None:
        self.closed = True
        self.close_timeouts.append(timeout)
        if self.thread is not None:
            self.thread.join(timeout)

    @property
    def call_id(self):
        return 3 if self.session is not None else None


def _window(qtbot, tmp_path, *, hang: bool = False):
    holder: dict[str, LongCallRunner] = {}
    window = MainWindow(lambda post: holder.setdefault("r", LongCallRunner(post, hang=hang)))
    qtbot.addWidget(window)
    hub = DialogHub(window, db_path=tmp_path / "calls.sqlite3",
                    settings_path=tmp_path / "settings.toml", settings=Settings()).install()
    window.show()
    qtbot.waitExposed(window)
    window.start_services()
    qtbot.waitUntil(lambda: window.state.phase == cr.READY)
    runner = holder["r"]
    window.start_call(cr.CallSource(cr.FILE, path="call.wav"))
    qtbot.waitUntil(lambda: window.state.phase == cr.LIVE)
    return window, runner, hub


def test_closing_during_a_call_finishes_it_then_closes(qtbot, tmp_path):
    window, runner, hub = _window(qtbot, tmp_path)
    assert window.close() is False  # refused for now: the call is still running
    assert window.isVisible() and window.closing
    assert runner.stopped == 1 and not runner.closed
    assert "finishing the call" in window.statusBar().currentMessage()
    button = window.call_bar.start_button
    assert button.text() == "Closing…" and not button.isEnabled()
    window.close()  # asking again does not stop twice
    assert runner.stopped == 1
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=5_000)
    assert runner.closed and runner.close_timeouts == [15.0]
    window.start_call(cr.CallSource(cr.FILE, path="call.wav"))  # nothing new starts now
    assert len(runner.started) == 1
    # The note was stored by the session; no wrap-up dialog holds the closing window open.
    assert not any(d.__class__.__name__ == "WrapUpDialog" for d in hub.open_dialogs)


def test_a_call_that_does_not_finish_is_cut_short(qtbot, tmp_path, monkeypatch):
    monkeypatch.setattr(closing_flow, "CLOSE_WAIT_MS", 300)
    window, runner, _hub = _window(qtbot, tmp_path, hang=True)
    window.close()
    assert window.isVisible()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=5_000)
    assert runner.close_timeouts == [1.0]
    runner._stop.set()  # let the fake call's thread end with the test


def test_closing_waits_on_while_captions_catch_up_and_says_what_is_left(qtbot, tmp_path,
                                                                        monkeypatch):
    # Captions far behind the call (a busy machine): each check finds less speech left, so the
    # window waits past CLOSE_WAIT_MS instead of cutting the rest off, and says how much is left.
    monkeypatch.setattr(closing_flow, "CLOSE_WAIT_MS", 300)
    monkeypatch.setattr(closing_flow, "CLOSE_CHECK_MS", 50)
    window, runner, _hub = _window(qtbot, tmp_path, hang=True)
    runner.left = 30.0
    window.close()
    assert "transcribing the last 30 s of the call" in window.statusBar().currentMessage()
    for left in (24.0, 18.0, 12.0, 6.0):  # a second and a half between checks of progress
        qtbot.wait(150)
        runner.left = left
    qtbot.wait(150)
    assert window.isVisible()  # 750 ms after closing, over twice CLOSE_WAIT_MS: still waiting
    assert "transcribing the last 6 s" in window.statusBar().currentMessage()
    # No progress now (the call hangs): cut short after CLOSE_WAIT_MS.
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=5_000)
    assert runner.close_timeouts == [1.0]
    runner._stop.set()


def test_asked_again_while_speech_is_left_the_agent_may_close_now(qtbot, tmp_path):
    window, runner, _hub = _window(qtbot, tmp_path, hang=True)
    asked: list[float] = []
    answers = [False, True]
    window.closer.ask_close_now = lambda left: asked.append(left) or answers.pop(0)
    window.close()
    assert asked == []  # the first request only starts closing
    window.close()
    qtbot.wait(50)
    assert asked == [] and window.isVisible()  # nothing left to transcribe: nothing to ask
    runner.left = 30.0
    window.close()  # "Keep waiting"
    qtbot.wait(50)
    assert asked == [30.0] and window.isVisible()
    window.close()  # "Close now": what is left is given up, the call cut short
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=5_000)
    assert asked == [30.0, 30.0] and runner.close_timeouts == [1.0]
    runner._stop.set()


def test_closing_with_no_call_closes_at_once(qtbot, tmp_path):
    holder: dict[str, FakeRunner] = {}
    window = MainWindow(lambda post: holder.setdefault("r", FakeRunner(post)))
    qtbot.addWidget(window)
    window.show()
    window.start_services()
    qtbot.waitUntil(lambda: window.state.phase == cr.READY)
    assert window.close() is True
    assert holder["r"].closed and not window.closing
