"""The window's Qt-free services: level meters, the audit trail, the scripted demo, the runner."""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest

from copilot import paths
from copilot.audio.base import AudioBlock, AudioSource, BlockQueue
from copilot.events import Caption
from copilot.store.db import CallStore
from ui import call_runner as cr
from ui.audit import SUGGESTION_ACTION, AuditRecord, AuditTrail
from ui.demo_script import ScriptedCall, load_turns
from ui.levels import LevelMeter, LevelTap, to_meter


class _Tone(AudioSource):
    channels = ("agent", "customer")

    def run(self, out) -> None:
        for i in range(10):
            out.put(AudioBlock("agent", i * 0.03, np.full(480, 0.5, np.float32)))
            out.offer(AudioBlock("customer", i * 0.03, np.zeros(480, np.float32)))
        out.close()


def test_level_tap_passes_every_block_and_measures_each_channel():
    tone = _Tone()
    tone.label = "tone"
    tap = LevelTap(tone)
    q = BlockQueue(100)
    tap.run(q)
    blocks = []
    while (b := q.get(timeout=1)) is not None:
        blocks.append(b)
    assert len(blocks) == 20
    levels = tap.levels()
    assert levels["customer"] == 0.0
    assert levels["agent"] == pytest.approx(to_meter(0.5), abs=0.02)
    assert tap.label == "tone" and tap.channels == ("agent", "customer")


def test_meter_scale_and_decay():
    assert to_meter(0.0) == 0.0 and to_meter(1.0) == 1.0
    assert to_meter(0.001) == pytest.approx(0.0)  # -60 dBFS: the floor
    assert 0.4 < to_meter(0.03) < 0.6  # speech-like levels sit mid-scale
    meter = LevelMeter(("agent",))
    meter.note("agent", np.full(10, 1.0, np.float32))
    meter._peak["agent"] = (1.0, time.monotonic() - 1.0)  # a second ago
    assert meter.levels()["agent"] == pytest.approx(1.0 - 24 / 60, abs=0.01)


def test_audit_trail_writes_beside_the_call_and_reports_failures(tmp_path):
    db = tmp_path / "calls.sqlite3"
    with CallStore(db) as store:
        call_id = store.start_call("test")
    errors: list[str] = []
    audit = AuditTrail(db, on_error=errors.append)
    audit.record(AuditRecord(call_id, SUGGESTION_ACTION, 12.0,
                             {"of": "c2", "text": "line", "action": "copied", "pack": "demo"}))
    audit.record(AuditRecord(call_id + 99, SUGGESTION_ACTION, 13.0,
                             {"of": "c2", "action": "used", "pack": "demo"}))  # no such call
    with pytest.raises(ValueError):
        audit.record(AuditRecord(call_id, SUGGESTION_ACTION, 1.0, {"action": "sent"}))
    audit.close()
    with CallStore(db) as store:
        events = store.events(call_id)
    assert [(e.type, e.payload["action"]) for e in events] == [(SUGGESTION_ACTION, "copied")]
    assert audit.written == 1 and audit.failed == 1 and len(errors) == 1


def test_scripted_demo_plays_partials_then_redacted_finals():
    script = paths.resources() / "calls" / "demo_call.json"
    turns = load_turns(script)
    events: list[Caption] = []
    call = ScriptedCall(script, events.append, speed=400.0)
    shown = call.run()
    finals = [e for e in events if e.final]
    assert shown == len(turns) == len(finals)
    assert [e.channel for e in finals] == [t["speaker"] for t in turns]
    first = events.index(finals[0])
    assert not events[first - 1].final and events[first - 1].id == finals[0].id
    said = [(t["text"], e.text) for t, e in zip(turns, finals, strict=True)
            if "card number" in t["text"]]
    assert said and "[card ending 1111]" in said[0][1]
    # Spoken as words in the recording; the final shows only the mask.
    assert "one one one one" in said[0][0] and "one one" not in said[0][1]


def test_scripted_demo_stops_when_asked():
    script = paths.resources() / "calls" / "demo_call.json"
    events: list = []
    call = ScriptedCall(script, events.append, speed=1.0)
    worker = threading.Thread(target=call.run)
    worker.start()
    call.stop()
    worker.join(5)
    assert not worker.is_alive()


def test_scripted_demo_reports_a_missing_transcript(tmp_path):
    with pytest.raises(ValueError, match="missing"):
        load_turns(tmp_path / "nope.json")
    (tmp_path / "bad.json").write_text("{")
    with pytest.raises(ValueError, match="cannot be read"):
        load_turns(tmp_path / "bad.json")


def _wait_for(states: list, phase: str, timeout: float = 30.0) -> cr.CallState:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = [s for s in states if getattr(s, "phase", None) == phase]
        if found:
            return found[-1]
        time.sleep(0.02)
    raise AssertionError(f"no {phase} state in {states}")


def test_runner_without_a_speech_model_offers_the_scripted_demo(copilot_home, tmp_path):
    posted: list = []
    runner = cr.CallRunner(posted.append, cr.RunnerOptions(
        kb_dir=str(paths.sample_kb()), use_llm=False, model=str(tmp_path / "no-model")))
    runner.load()
    state = _wait_for(posted, cr.NO_MODEL)
    assert "no Whisper model" in state.message
    assert runner.passage("BILL-01").title  # the knowledge base loaded all the same
    runner.start(cr.CallSource(cr.DEMO_SCRIPT, path=str(paths.resources() / "calls" /
                                                        "demo_call.json"), speed=400.0))
    _wait_for(posted, cr.ENDED)
    kinds = {getattr(e, "type", "") for e in posted}
    assert {"caption", "knowledge", "suggestion"} <= kinds
    assert runner.call_id is None  # the demo stores nothing
    runner.close()


def test_the_llm_reads_loading_while_the_models_load_and_none_when_there_is_none(
        copilot_home, tmp_path):
    posted: list = []
    runner = cr.CallRunner(posted.append, cr.RunnerOptions(
        kb_dir=str(paths.sample_kb()), use_llm=False, model=str(tmp_path / "no-model")))
    assert runner.llm_name() == "none"  # nothing asked to load
    gate = threading.Event()
    load = runner._load
    runner._load = lambda: (gate.wait(10), load())  # type: ignore[method-assign]
    runner.load()
    assert runner.llm_name() == "loading"  # a walk-through read "LLM: none" here
    gate.set()
    _wait_for(posted, cr.NO_MODEL)
    runner._loader.join(10)
    assert runner.llm_name() == "none"  # loaded: use_llm=False
    runner.close()


def test_runner_reports_a_recording_that_cannot_be_read(copilot_home, tmp_path):
    bad = tmp_path / "broken.wav"
    bad.write_bytes(b"not audio")
    posted: list = []
    runner = cr.CallRunner(posted.append, cr.RunnerOptions(
        kb_dir=str(tmp_path / "no-kb"), use_llm=False, model=str(tmp_path / "no-model")))
    runner.load()
    _wait_for(posted, cr.NO_MODEL)
    assert any("no assistance" in w for w in runner.warnings)
    runner.start(cr.CallSource(cr.FILE, path=str(bad)))
    state = _wait_for(posted, cr.FAILED)
    assert "no Whisper model" in state.message or "broken.wav" in state.message
    runner.close()


def _sample_kb_runner(tmp_path) -> tuple[list, cr.CallRunner]:
    """A runner loaded with the sample knowledge base and no speech model (nothing heavy)."""
    posted: list = []
    runner = cr.CallRunner(posted.append, cr.RunnerOptions(
        kb_dir=str(paths.sample_kb()), use_llm=False, model=str(tmp_path / "no-model")))
    runner.load()
    _wait_for(posted, cr.NO_MODEL)
    return posted, runner


def test_a_call_still_running_when_closing_is_cut_short_keeps_its_models(copilot_home, tmp_path):
    posted, runner = _sample_kb_runner(tmp_path)
    build = runner.build
    release = threading.Event()
    runner._thread = threading.Thread(target=release.wait, args=(10,), daemon=True)
    runner._thread.start()  # a call that does not end when asked
    runner.close(timeout=0.1)
    assert runner.build is build  # not freed under the running call
    release.set()
    runner._thread.join()
    runner.close(timeout=0.1)
    assert runner.build is None  # freed once nothing uses it


def test_reload_replaces_the_knowledge_base_between_calls(copilot_home, tmp_path):
    posted, runner = _sample_kb_runner(tmp_path)
    old_kb = runner.kb
    posted.clear()
    runner.reload()
    assert runner.kb is None  # nothing picks up the old models from now on
    _wait_for(posted, cr.NO_MODEL)
    assert runner.kb is not None and runner.kb is not old_kb
    assert runner.passage("BILL-01").title
    assert [s.phase for s in posted if isinstance(s, cr.CallState)][0] == cr.LOADING
    runner.close()


def test_stop_while_the_call_is_still_starting_ends_it_once_started(copilot_home, tmp_path,
                                                                    monkeypatch):
    import copilot.call.build as tc

    building, release = threading.Event(), threading.Event()

    class Session:
        def __init__(self) -> None:
            self.stopped = threading.Event()
            self.result = type("R", (), {"finals": 0, "call_id": None})()

        def stop(self) -> None:
            self.stopped.set()

        def run(self):
            assert self.stopped.wait(10), "the stop asked while starting was lost"
            return self.result

    def slow_build(settings, request, listeners, **kw):
        building.set()
        release.wait(10)  # loading the audio source, opening the store...
        return Session(), None, kw["engine"]

    monkeypatch.setattr(tc, "build_session", slow_build)
    posted, runner = _sample_kb_runner(tmp_path)
    runner.start(cr.CallSource(cr.FILE, path="call.wav"))
    assert building.wait(5)
    runner.stop()  # the agent pressed Stop (or closed the window) during STARTING
    release.set()
    _wait_for(posted, cr.ENDED)
    runner.close()
