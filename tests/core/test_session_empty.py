"""A recording in which nothing was heard is said so, and not kept as an empty call unless asked
(issue 15: a silent recording was stored with "Reason for the call: (not stated)", no warning)."""

from __future__ import annotations

import pytest
import test_session_failures as shared

from copilot.audio.decode import Shortfall
from copilot.events import AfterCallNote, Notice, Summary
from copilot.store.db import CallStore


@pytest.fixture
def make(monkeypatch):
    return shared.session_factory(monkeypatch)


def _notices(events):
    return [e for e in events if isinstance(e, Notice)]


def test_nothing_heard_is_said_and_the_empty_call_is_not_kept(make, tmp_path):
    with CallStore(tmp_path / "calls.sqlite3") as store:
        session, events = make([shared.stop_after()], store=store)
        result = session.run()
        assert result.call_id is None and result.finals == 0
        assert store.list_calls() == []
        [notice] = _notices(events)
        assert notice.kind == "no_speech" and "not kept" in notice.message


def test_an_empty_call_is_kept_when_asked_and_a_call_with_speech_always(make, tmp_path):
    with CallStore(tmp_path / "calls.sqlite3") as store:
        session, events = make([shared.stop_after()], store=store)
        session.keep_empty = True
        kept = session.run()
        assert kept.call_id is not None and [c.id for c in store.list_calls()] == [kept.call_id]
        assert [n.kind for n in _notices(events)] == ["no_speech"]
        session, events = make([shared.cap("c1", 0.0, 1.0, "hello there"), shared.stop_after()],
                               store=store)
        spoken = session.run()
        assert spoken.finals == 1 and spoken.call_id is not None
        assert not any(n.kind == "no_speech" for n in _notices(events))


class ClosingAssist:
    """Stands in for the assistance: at hang-up it closes with what the real one closes with,
    a summary and an after-call note (which, for a call of nothing, say "(not stated)")."""

    def __init__(self, clock, emit) -> None:
        self.emit = emit

    def start(self) -> None:
        pass

    def on_event(self, event) -> None:
        pass

    def finish_async(self, on_done) -> None:
        self.emit(Summary(1, {"reason": "(not stated)"}, 1.0))
        self.emit(AfterCallNote("Reason for the call: (not stated)", "other", 1.0))
        on_done()


class CutRecording(shared.FakeSource):
    """A recording cut short: 0.3 s read of the 54.8 s its header announces."""

    def __init__(self) -> None:
        super().__init__(ends=True)
        self.duration = 0.3
        self.shortfall = Shortfall(0.3, 54.8)


def _types(events):
    return [e.type for e in events]


def test_nothing_heard_shows_and_keeps_no_summary_or_note_of_nothing(make, tmp_path):
    """The closing "Reason for the call: (not stated)" is neither printed nor shown (the window
    would open its wrap-up on a call that is about to be erased)."""
    with CallStore(tmp_path / "calls.sqlite3") as store:
        session, events = make([shared.stop_after()], store=store, assist=ClosingAssist)
        result = session.run()
        assert "after_call" not in _types(events) and "summary" not in _types(events)
        assert result.call_id is None and store.list_calls() == []
        [notice] = _notices(events)
        assert notice.kind == "no_speech"


def test_an_empty_call_kept_as_asked_keeps_its_note_and_says_why(make, tmp_path):
    with CallStore(tmp_path / "calls.sqlite3") as store:
        session, events = make([shared.stop_after()], store=store, assist=ClosingAssist)
        session.keep_empty = True
        result = session.run()
        assert "after_call" in _types(events)
        stored = {e.type: e.payload for e in store.events(result.call_id)}
        assert "after_call" in stored and stored["notice"]["kind"] == "no_speech"
        assert "kept, as asked" in stored["notice"]["message"]


def test_a_call_with_speech_keeps_its_closing_note(make, tmp_path):
    with CallStore(tmp_path / "calls.sqlite3") as store:
        session, events = make([shared.cap("c1", 0.0, 1.0, "hello there"), shared.stop_after()],
                               store=store, assist=ClosingAssist)
        result = session.run()
        assert {"summary", "after_call"} <= {e.type for e in store.events(result.call_id)}


def test_a_cut_recording_is_said_at_once_and_in_the_no_speech_notice(make, tmp_path):
    """Silent and cut short end the same way (not kept, no note of nothing); a cut one also
    says how much of it could be read, first thing and again at the end."""
    with CallStore(tmp_path / "calls.sqlite3") as store:
        session, events = make([], store=store, source=CutRecording(), assist=ClosingAssist)
        result = session.run()
        cut, empty = _notices(events)
        assert cut.kind == "audio_truncated" and _types(events)[0] == "notice"
        assert "cut short" in cut.message and "0.3 s" in cut.message
        assert "54.8 s" in cut.message
        assert empty.kind == "no_speech" and "not kept" in empty.message
        assert "0.3 s" in empty.message and "cut short" in empty.message
        assert result.call_id is None and store.list_calls() == []
        assert "after_call" not in _types(events)


def test_a_cut_recording_with_speech_is_kept_with_the_notice(make, tmp_path):
    with CallStore(tmp_path / "calls.sqlite3") as store:
        session, events = make([shared.cap("c1", 0.0, 0.2, "hello"), shared.stop_after()],
                               store=store, source=CutRecording())
        result = session.run()
        [notice] = [e for e in store.events(result.call_id) if e.type == "notice"]
        assert notice.payload["kind"] == "audio_truncated"
        assert not any(n.kind == "no_speech" for n in _notices(events))


def test_a_silent_recording_says_how_long_it_listened(make, tmp_path):
    source = shared.FakeSource(ends=True)
    source.duration = 8.0
    clock = shared.FakeClock()
    clock.t = 8.1  # the whole recording was played
    session, events = make([], source=source, clock=clock)
    session.run()
    [notice] = _notices(events)
    assert notice.message == "no speech was heard in the 8.0 s recording"
    # Stopped before its end: only what was played was listened to.
    clock.t = 2.0
    session, events = make([], source=source, clock=clock)
    session.run()
    [notice] = _notices(events)
    assert notice.message == "no speech was heard in the first 2.0 s of the 8.0 s recording"


def test_a_recording_transcribed_faster_than_it_plays_lasts_as_long_as_its_audio(make, tmp_path):
    """Unpaced, the call clock is the audio's position: `calls list` showed such a call as 0:00."""
    clock = shared.FakeClock()
    clock.realtime = False

    def reach_65_seconds(t) -> None:
        clock.t = 65.0

    with CallStore(tmp_path / "calls.sqlite3") as store:
        session, _ = make([shared.cap("c1", 0.0, 1.0, "hello there"), reach_65_seconds,
                           shared.stop_after()], store=store, clock=clock)
        result = session.run()
        assert store.get_call(result.call_id).duration == pytest.approx(65.0)
