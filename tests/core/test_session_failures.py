"""CallSession with a scripted fake transcriber (no model, no VAD): how failures end a call.

A broken listener must not stop storage; a failing store or audio source must end the call
visibly (Notice, 'interrupted', an exception) instead of letting ASR run on for nobody.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections import Counter

import pytest
from waiting import wait_until

import copilot.call.session as session_mod
from copilot.audio.base import AudioError, AudioSource, BlockQueue
from copilot.call.session import CallSession, SessionError
from copilot.events import Caption, Notice
from copilot.privacy.redaction import Redacted, Redactor
from copilot.store.db import CallStore


class FakeClock:
    realtime = True

    def __init__(self) -> None:
        self.t = 0.0
        self.audio_pos = 0.0

    def start(self) -> None:
        pass

    def now(self) -> float:
        return self.t


class FakeTranscriber:
    """Runs `script` (captions to emit, or callables taking the transcriber), then waits, like
    the real one, until the audio ends or stop() is called."""

    script: list = []

    def __init__(self, engine, channels, emit, clock, opts=None, langs=None) -> None:
        self.emit = emit
        self.clock = clock
        self.stats: Counter = Counter()
        self.stopped = threading.Event()
        self.lag = 0.0  # what behind() says: a step may set it

    def behind(self) -> float:
        return self.lag

    def run(self, blocks: BlockQueue) -> None:
        for step in self.script:
            if self.stopped.is_set():
                break
            step(self) if callable(step) else self.emit(step)
        while not self.stopped.is_set():
            try:
                if blocks.get(timeout=0.02) is None:
                    return
            except Exception:  # queue.Empty
                continue

    def stop(self) -> None:
        self.stopped.set()


class FakeSource(AudioSource):
    """Ends when stopped (a live call), when `end` is set, or fails with `error`."""

    channels = ("agent", "customer")

    def __init__(self, error: Exception | None = None, after: float = 0.0,
                 ends: bool = False) -> None:
        self.error_to_raise = error
        self.after = after
        self.ends = ends
        self._stopped = threading.Event()

    def run(self, out: BlockQueue) -> None:
        if self._stopped.wait(self.after) or self.ends:
            out.close()
            return
        if self.error_to_raise is not None:
            raise self.error_to_raise  # without closing `out`: the session must cope
        self._stopped.wait()
        out.close()

    def stop(self) -> None:
        self._stopped.set()


def cap(cid: str, start: float, end: float, text: str, final: bool = True,
        channel: str = "customer", at: float | None = None) -> Caption:
    return Caption(cid, final, channel, start, end, end + 1 if at is None else at, "en", text)


def stop_after():
    """Hang up as soon as the script gets here. Nothing waits for the captions emitted before:
    the session must still store and show every one of them (it drains its queue first)."""
    def step(t: FakeTranscriber) -> None:
        t.stop()
    return step


def session_factory(monkeypatch):
    """A builder of CallSessions around FakeTranscriber (also used by the other session tests)."""
    monkeypatch.setattr(session_mod, "StreamingTranscriber", FakeTranscriber)
    monkeypatch.setattr(session_mod, "TICK_SECONDS", 0.05)

    def build(script, *, store=None, listeners=None, source=None, redactor=None, clock=None,
              assist=None):
        FakeTranscriber.script = script
        events: list = []
        s = CallSession(source or FakeSource(ends=False), engine=None, store=store,
                        redactor=redactor or Redactor(), listeners=[events.append, *(listeners
                        or [])], realtime=True, clock=clock or FakeClock(), assist=assist)
        return s, events
    return build


@pytest.fixture
def make(monkeypatch):
    return session_factory(monkeypatch)


@pytest.fixture
def store(tmp_path):
    with CallStore(tmp_path / "calls.sqlite3") as s:
        yield s


def run_to_its_end(s: CallSession, timeout: float = 30.0) -> tuple[bool, BaseException | None]:
    """Run the call on a thread: (whether it ended by itself, what run() raised). A call still
    running after `timeout` (far longer than any of these take) is stopped, so a failure that
    does not end the call fails the test instead of hanging it."""
    raised: list[BaseException] = []

    def call() -> None:
        try:
            s.run()
        except BaseException as e:
            raised.append(e)

    thread = threading.Thread(target=call, daemon=True)
    thread.start()
    thread.join(timeout)
    ended_by_itself = not thread.is_alive()
    s.stop()
    thread.join(5)
    return ended_by_itself, raised[0] if raised else None


def test_a_broken_listener_does_not_stop_storage(make, store):
    def broken(event):
        raise BrokenPipeError("reader went away")

    s, events = make([cap("c1", 0, 2, "hello"), cap("c2", 3, 5, "there"), stop_after()],
                     store=store, listeners=[broken])
    result = s.run()
    assert result.finals == 2
    assert [seg.text for seg in store.segments(result.call_id)] == ["hello", "there"]
    assert store.get_call(result.call_id).status == "completed"
    assert [e.text for e in events if isinstance(e, Caption)] == ["hello", "there"]


class FailingStore:
    """A CallStore whose segment writes fail like a full disk."""

    def __init__(self, inner: CallStore) -> None:
        self.inner = inner

    def __getattr__(self, name):
        return getattr(self.inner, name)

    def add_segment(self, call_id, caption):
        raise sqlite3.OperationalError("database or disk is full")


def test_a_store_failure_stops_the_call_and_raises(make, store):
    s, events = make([cap("c1", 0, 2, "hello"), cap("c2", 3, 5, "there")],
                     store=FailingStore(store))  # the fake source never ends by itself
    ended_by_itself, raised = run_to_its_end(s)
    assert ended_by_itself, "the call ran on for nobody after saving failed"
    assert isinstance(raised, SessionError)
    assert "saving the call failed: database or disk is full" in str(raised)
    notices = [e for e in events if isinstance(e, Notice)]
    assert [n.kind for n in notices] == ["call_stopped"]
    assert not [e for e in events if isinstance(e, Caption)]  # never shown unless stored
    assert store.get_call(s.result.call_id).status == "interrupted"


def test_a_redactor_failure_stops_the_call(make, store):
    class BadRedactor(Redactor):
        def push_final(self, *a, **k):
            raise RuntimeError("regex exploded")

    s, events = make([cap("c1", 0, 2, "hello")], store=store, redactor=BadRedactor())
    ended_by_itself, raised = run_to_its_end(s)
    assert ended_by_itself, "the call ran on for nobody after redaction failed"
    assert isinstance(raised, SessionError)
    assert "processing captions failed: regex exploded" in str(raised)
    assert store.get_call(s.result.call_id).status == "interrupted"


def test_a_failing_audio_source_interrupts_the_call(make, store):
    source = FakeSource(AudioError("input device 3 stopped delivering audio (unplugged?)"),
                        after=0.1)
    s, events = make([cap("c1", 0, 2, "kept before the failure")], store=store, source=source)
    ended_by_itself, raised = run_to_its_end(s)
    assert ended_by_itself, "the call ran on without its audio"
    assert isinstance(raised, AudioError) and "unplugged" in str(raised)
    call = store.get_call(s.result.call_id)
    assert call.status == "interrupted"
    assert [seg.text for seg in store.segments(call.id)] == ["kept before the failure"]
    notices = [e for e in events if isinstance(e, Notice)]
    assert [n.kind for n in notices] == ["audio_failed"]
    assert "unplugged" in notices[0].message
    assert [e.type for e in store.events(call.id)] == ["notice"]


def test_source_error_attribute_is_preferred(make):
    """DeviceSource keeps the AudioError it raised in `.error` (the raised one may be wrapped)."""
    class WrappingSource(FakeSource):
        def run(self, out):
            self.error = AudioError("capture from mic failed")
            raise RuntimeError("wrapped")

    s, _ = make([], source=WrappingSource())
    with pytest.raises(AudioError, match="capture from mic failed"):
        s.run()


class TickCounter(Redactor):
    """Counts the writer's housekeeping ticks (each one also checks for dropped audio)."""

    ticks = 0

    def tick(self, now):
        self.ticks += 1
        return super().tick(now)


def test_dropped_audio_is_reported_during_the_call_and_stored(make, store, monkeypatch):
    monkeypatch.setattr(session_mod, "DROP_NOTICE_SECONDS", 10.0)
    writer = TickCounter()

    def drop(seconds):
        def step(t):
            s.blocks.dropped_blocks += 1
            s.blocks.dropped_seconds += seconds
            seen = writer.ticks
            assert wait_until(lambda: writer.ticks >= seen + 2)  # a whole tick saw the drop
        return step

    s, events = make([drop(0.5), drop(0.5), stop_after()], store=store, redactor=writer)
    s.run()
    notices = [e for e in events if isinstance(e, Notice)]
    # One during the call; the second drop is within the rate limit, reported at the end.
    assert [n.kind for n in notices] == ["audio_dropped", "audio_dropped"]
    assert "0.5 s" in notices[0].message and "1.0 s" in notices[1].message
    stored = store.events(s.result.call_id)
    assert [e.payload["kind"] for e in stored] == ["audio_dropped", "audio_dropped"]


def test_captions_falling_behind_and_catching_up_are_told_and_stored(make, store):
    # A walk-through under load saw one caption in 30 s of the demo and no word why.
    writer = TickCounter()

    def lag(seconds):
        def step(t):
            t.lag = seconds
            seen = writer.ticks
            assert wait_until(lambda: writer.ticks >= seen + 2)  # a whole tick saw it
        return step

    s, events = make([cap("c1", 0.5, 2.0, "I was charged twice."), lag(3.0), lag(12.0), lag(9.0),
                      lag(20.0), lag(30.0), lag(1.0), lag(0.5), stop_after()], store=store,
                     redactor=writer)
    s.run()
    notices = [e for e in events if isinstance(e, Notice) and e.kind.startswith("captions")]
    # said again when the delay doubled (30 s after 12 s), not at every change (20 s)
    assert [n.kind for n in notices] == ["captions_behind", "captions_behind",
                                         "captions_caught_up"]
    assert "12 s behind" in notices[0].message and "nothing is lost" in notices[0].message
    assert "30 s behind" in notices[1].message
    stored = [e.payload["kind"] for e in store.events(s.result.call_id)]
    assert [k for k in stored if k.startswith("captions")] == [
        "captions_behind", "captions_behind", "captions_caught_up"]


def test_held_finals_are_released_while_partials_stream(make):
    """Busy partials must not starve redactor.tick(): a held final shows within a tick."""
    class HoldingRedactor(Redactor):
        ticks = 0

        def push_final(self, channel, key, text, now):
            self.held = (channel, key, Redacted(text, ()))
            return []

        def tick(self, now):
            self.ticks += 1
            held, self.held = getattr(self, "held", None), None
            return [held] if held else []

    def partials(t):
        for i in range(40):  # one every 20 ms: the outbox is never idle for a whole tick
            t.emit(cap("c2", 3, 3.5 + i, f"partial {i}", final=False))
            time.sleep(0.02)

    s, events = make([cap("c1", 0, 2, "held final"), partials, stop_after()],
                     redactor=HoldingRedactor())
    s.run()
    texts = [e.text for e in events if isinstance(e, Caption)]
    assert texts.index("held final") < texts.index("partial 30")
