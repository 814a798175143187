"""The call timer and the history say how long the call lasted, and say the same (issue 15: the
timer read 00:15 after replaying a 10.9 s recording). The call is its audio: the seconds the
copilot then takes to finish the last caption, the summary and the note (with the LLM) are not
part of it, in the timer or in the stored length, and both round to whole seconds alike."""

from __future__ import annotations

import threading

import pytest
from window_fakes import FakeRunner

from copilot.audio.base import AudioSource, BlockQueue
from copilot.call import session as session_mod
from copilot.call.session import CallSession
from copilot.events import AfterCallNote, Caption
from copilot.privacy import Redactor
from copilot.store.db import CallStore
from copilot.store.export import duration
from ui import call_runner as cr
from ui.call_runner import CallRunner, RunnerOptions
from ui.main_window import MainWindow
from ui.panels.call_bar import clock_text

AUDIO = 10.9  # the recording's length
FINISHED = 15.5  # the clock once the last caption, the summary and the note were made


class Clock:
    """A paced call's clock (wall time since the start), moved by the test's fakes."""

    realtime = True

    def __init__(self) -> None:
        self.t = 0.0
        self.audio_pos = 0.0

    def start(self) -> None:
        pass

    def now(self) -> float:
        return self.t


class Recording(AudioSource):
    """Plays to its end: 10.9 s on the call clock."""

    channels = ("agent", "customer")

    def __init__(self, clock: Clock) -> None:
        self.clock = clock

    def run(self, out: BlockQueue) -> None:
        self.clock.t = AUDIO
        out.close()

    def stop(self) -> None:
        pass


class Transcriber:
    """One final caption, then the rest of the audio until the recording ends."""

    def __init__(self, engine, channels, emit, clock, opts=None, langs=None) -> None:
        self.emit = emit
        self.stats: dict = {}
        self.stopped = threading.Event()

    def behind(self) -> float:
        return 0.0

    def run(self, blocks: BlockQueue) -> None:
        self.emit(Caption("c1", True, "customer", 1.0, 3.0, 3.5, "en", "I was charged twice"))
        while not self.stopped.is_set() and blocks.get(timeout=0.02) is not None:
            pass

    def stop(self) -> None:
        self.stopped.set()


class SlowNote:
    """The assistance: its summary and note at hang-up take 4.6 s (the LLM)."""

    def __init__(self, clock: Clock, emit) -> None:
        self.clock, self.emit = clock, emit

    def start(self) -> None:
        pass

    def on_event(self, event) -> None:
        pass

    def finish_async(self, on_done) -> None:
        self.clock.t = FINISHED
        self.emit(AfterCallNote("Reason for the call: charged twice", "", FINISHED))
        on_done()


def test_the_timer_and_the_stored_length_are_the_recordings(monkeypatch, tmp_path):
    monkeypatch.setattr(session_mod, "StreamingTranscriber", Transcriber)
    clock = Clock()
    with CallStore(tmp_path / "calls.sqlite3") as store:
        session = CallSession(Recording(clock), engine=None, store=store, redactor=Redactor(),
                              listeners=[], realtime=True, clock=clock, assist=SlowNote)
        result = session.run()
        stored = store.get_call(result.call_id).duration
    assert clock.now() == FINISHED  # the clock ran on while the note was made ...
    assert stored == pytest.approx(AUDIO)  # ... the call lasted as long as its audio
    runner = CallRunner(lambda _event: None, RunnerOptions(kb_dir=""), settings=object())
    runner.session = session
    assert runner.elapsed() == AUDIO and runner.now() == FINISHED  # stamps keep the clock
    assert clock_text(runner.elapsed()) == "00:11" and duration(stored) == "0:11"


def test_the_timer_rounds_as_the_history_does():
    for seconds, shown in ((11.9, "00:12"), (11.4, "00:11"), (0.2, "00:00"), (59.6, "01:00")):
        assert clock_text(seconds) == shown
        assert duration(seconds) == shown[1:]  # "0:12": the same whole seconds


def test_the_windows_timer_stops_where_the_audio_ended(qtbot):
    holder: dict[str, FakeRunner] = {}

    def factory(post):
        holder["r"] = FakeRunner(post, script=[])
        return holder["r"]

    window = MainWindow(factory, demo_wav="demo.wav", demo_script="d.json")
    qtbot.addWidget(window)
    window.show()
    window.start_services()
    qtbot.waitUntil(lambda: window.state.phase == cr.READY)
    runner = holder["r"]
    window.call_bar.source.setCurrentText("Demo call")
    window.call_bar.start_button.click()
    qtbot.waitUntil(lambda: window.state.phase == cr.LIVE)
    runner.clock = 4.2
    qtbot.waitUntil(lambda: window.call_bar.timer.text() == "00:04")  # ticking with the call
    runner.audio_ended, runner.clock = AUDIO, FINISHED  # the recording ended; the note is made
    runner.end()
    qtbot.waitUntil(lambda: window.state.phase == cr.ENDED)
    assert window.call_bar.timer.text() == "00:11"  # not 00:15
