"""The streaming scheduler with the real Silero VAD and a fake Whisper engine (fast, no model):
utterances become finals on the right channel, nothing is lost, partials refresh while someone
speaks, and finals are served before partials when the engine is slow."""

from __future__ import annotations

import json
import time

import numpy as np
import pytest

from copilot.asr.streaming import StreamingOptions
from copilot.asr.whisper_engine import Transcript
from copilot.audio.channels import ChannelMap
from copilot.audio.decode import read_audio
from copilot.audio.synthetic import SyntheticSource, silence
from copilot.call.session import CallSession
from copilot.privacy.redaction import Redactor


class FakeEngine:
    """Answers with the utterance's duration; optionally slow, like a busy CPU."""

    def __init__(self, delay: float = 0.0) -> None:
        self.delay = delay
        self.calls: list[tuple[float, bool]] = []

    def transcribe(self, audio, lang=None, opts=None, prior=None) -> Transcript:
        time.sleep(self.delay)
        self.calls.append((len(audio) / 16000, lang))
        return Transcript(f"speech {len(audio) / 16000:.1f}s", lang or "en", 1.0, -0.1, 0.0,
                          "direct")


@pytest.fixture(scope="module")
def call(testdata):
    ref = json.loads((testdata / "calls" / "billing_refund.json").read_text())
    frames, sr = read_audio(testdata / "calls" / "billing_refund.wav")
    assert sr == 16000
    signals = ChannelMap().split(frames)
    return ref, signals


def _run(signals, engine, realtime=False, speed=1.0, seconds=None, opts=None):
    if seconds is not None:
        signals = {k: v[: int(seconds * 16000)] for k, v in signals.items()}
    events = []
    source = SyntheticSource(signals, realtime=realtime, speed=speed)
    session = CallSession(source, engine, store=None, redactor=Redactor(),
                          listeners=[events.append], realtime=realtime, options=opts,
                          langs={"agent": "en"})
    session.run()
    return events, session


def test_every_turn_becomes_a_final_on_its_channel(call):
    ref, signals = call
    events, _ = _run(signals, FakeEngine())
    finals = [e for e in events if e.final]
    assert len({e.id for e in finals}) == len(finals)
    for turn in ref["turns"]:
        mid = (turn["start"] + turn["end"]) / 2
        hits = [e for e in finals if e.channel == turn["speaker"] and e.start <= mid <= e.end]
        assert hits, f"no final caption covers {turn}"
    # No final caption on a channel during the other speaker's turn only.
    for e in finals:
        own = [t for t in ref["turns"] if t["speaker"] == e.channel
               and t["start"] < e.end and t["end"] > e.start]
        assert own, f"caption {e} overlaps no turn of its speaker"


def test_agent_language_is_fixed_customer_detected(call):
    _, signals = call
    engine = FakeEngine()
    _run(signals, engine, seconds=30)
    assert "en" in [lang for _, lang in engine.calls]
    assert None in [lang for _, lang in engine.calls]


def test_slow_engine_loses_no_final_when_not_paced(call):
    ref, signals = call
    events, session = _run(signals, FakeEngine(delay=0.3))
    assert session.blocks.dropped_blocks == 0
    assert len([e for e in events if e.final]) >= len(ref["turns"])


def test_partials_refresh_while_speaking_and_share_the_final_id(call):
    """How often they refresh is measured, not asserted: `copilot bench asr` reports
    partial_refresh_p50/p95 (BENCHMARKS.md)."""
    _, signals = call
    events, _ = _run(signals, FakeEngine(), realtime=True, speed=4.0, seconds=20)
    partials = [e for e in events if not e.final]
    finals = {e.id for e in events if e.final}
    assert partials, "no partial captions in a paced replay"
    assert {p.id for p in partials} <= finals
    # While an utterance lasts its partial is refreshed, each time over more of it.
    by_id: dict[str, list[float]] = {}
    for p in partials:
        by_id.setdefault(p.id, []).append(p.end)
    refreshed = [ends for ends in by_id.values() if len(ends) >= 2]
    assert refreshed, by_id
    for ends in by_id.values():
        assert ends == sorted(ends), ends
    assert all(ends[-1] > ends[0] for ends in refreshed), refreshed


def test_finals_before_partials_when_the_cpu_is_short(call):
    """A slow engine (0.5 s per decode at 2x speed = 1 s of call time) still gives every final;
    partials are what gets skipped. (Final-caption latency is measured by `copilot bench asr`,
    not asserted.)"""
    ref, signals = call
    engine = FakeEngine(delay=0.5)
    events, session = _run(signals, engine, realtime=True, speed=2.0, seconds=32,
                           opts=StreamingOptions(partial_interval=0.5))
    finals = [e for e in events if e.final]
    assert session.transcriber.stats["max_final_backlog"] <= 2
    turns = [t for t in ref["turns"] if t["end"] < 31]
    assert len(finals) >= len(turns)


class QueueWatchingEngine(FakeEngine):
    """A slow engine that notes, at each decode it starts, whether it is a final or a partial and
    how many finals were waiting for the engine at that moment."""

    def __init__(self, delay: float) -> None:
        super().__init__(delay)
        self.transcriber = None
        self.finals_started = 0
        self.decodes: list[tuple[str, int]] = []

    def transcribe(self, audio, lang=None, opts=None, prior=None) -> Transcript:
        final = opts.unsure_below > 0  # finals ask for unsure words, partials never do
        self.finals_started += final
        waiting = self.transcriber.stats["finals_queued"] - self.finals_started
        self.decodes.append(("final" if final else "partial", waiting))
        return super().transcribe(audio, lang, opts, prior)


def test_a_final_waits_for_no_partial_while_the_other_side_keeps_talking(call):
    """The customer's short utterance ends while the agent goes on talking: its final is decoded
    next, before any more of the agent's partials (which stay due all the while)."""
    _, signals = call

    def cut(channel: str, start: float, end: float) -> np.ndarray:
        return signals[channel][int(start * 16000):int(end * 16000)]

    agent = np.concatenate([silence(0.5), cut("customer", 44.4, 53.7), silence(2)])  # 9 s
    customer = np.concatenate([silence(3), cut("agent", 41.3, 44.2), silence(2)])  # 3 s in it

    def replay() -> tuple[QueueWatchingEngine, list]:
        engine = QueueWatchingEngine(delay=0.25)  # 1 s of call time per decode at 4x speed
        events: list = []
        session = CallSession(SyntheticSource({"agent": agent, "customer": customer},
                                              realtime=True, speed=4.0),
                              engine, store=None, redactor=Redactor(),
                              listeners=[events.append], realtime=True,
                              options=StreamingOptions(partial_interval=0.5),
                              langs={"agent": "en", "customer": "en"})
        engine.transcriber = session.transcriber
        session.run()
        return engine, events

    def partials_before_the_first_final(engine: QueueWatchingEngine) -> bool:
        kinds = [kind for kind, _ in engine.decodes]
        return "final" in kinds and "partial" in kinds[:kinds.index("final")]

    # The scene needs the agent's partials decoded before the customer's final is due. On a
    # loaded machine (a full suite on 2 cores) the engine thread may first run only once the
    # final is already queued, and finals go first: the scene did not happen, which says
    # nothing of the rule. Replayed, at most three times, until it does.
    for _ in range(3):
        engine, events = replay()
        if partials_before_the_first_final(engine):
            break
    finals = [(e.channel, e.end) for e in events if e.final]
    assert [ch for ch, _ in sorted(finals, key=lambda f: f[1])] == ["customer", "agent"]
    kinds = [kind for kind, _ in engine.decodes]
    # The agent's partials were due before the customer's final and still after it.
    assert "partial" in kinds[:kinds.index("final")] and "partial" in kinds[kinds.index("final"):]
    # At most one partial may have been picked the instant before a final was queued.
    behind = [d for d in engine.decodes if d[0] == "partial" and d[1] > 0]
    assert len(behind) <= 1, engine.decodes


def test_stop_mid_utterance_still_gives_its_final(call):
    """Ending the call while someone speaks: the utterance in progress becomes a final."""
    _, signals = call
    events = []
    source = SyntheticSource({k: v[: int(9.0 * 16000)] for k, v in signals.items()},
                             realtime=True, speed=3.0)
    session = CallSession(source, FakeEngine(), store=None, redactor=Redactor(),
                          listeners=[events.append], realtime=True, langs={"agent": "en"})
    # The customer speaks from 6.4 s of call time: hang up when the audio reaches 8 s,
    # mid-sentence.
    offer = session.blocks.offer

    def offer_then_hang_up_at_8s(block):
        if block.end >= 8.0:
            session.stop()
        return offer(block)

    session.blocks.offer = offer_then_hang_up_at_8s
    session.run()
    finals = [e for e in events if e.final and e.channel == "customer"]
    assert finals and finals[-1].end > 7.0
    assert max(e.end for e in events if hasattr(e, "end")) <= 8.0 + 0.03  # nothing after it


def test_dropped_blocks_keep_the_call_clock(call):
    """A capture overflow leaves a gap on the call clock; captions after it stay in place."""
    ref, signals = call
    from copilot.asr.streaming import Clock, StreamingTranscriber
    from copilot.audio.base import AudioBlock, BlockQueue

    q = BlockQueue(100000)
    for i in range(0, 20 * 16000, 480):
        t = i / 16000
        if 2.0 <= t < 4.0:
            continue  # two seconds lost in the agent's greeting
        for name, sig in signals.items():
            q.put(AudioBlock(name, t, sig[i:i + 480].copy()))
    q.close()
    out = []
    st = StreamingTranscriber(FakeEngine(), ("agent", "customer"), out.append, Clock(False))
    st.run(q)
    customer = [c for c in out if c.channel == "customer"]
    turn = next(t for t in ref["turns"] if t["speaker"] == "customer")
    assert customer and abs(customer[0].end - turn["end"]) < 0.6, (customer[0], turn)
    assert st.stats["gap_seconds"] > 1.9


def test_caption_start_is_the_voice_onset_not_the_decoding_lead_in(call):
    """Finals are decoded with up to 2 s of lead-in audio, but show when the voice began."""
    ref, signals = call
    events, _ = _run(signals, FakeEngine())
    finals = [e for e in events if e.final]
    for turn in ref["turns"]:
        # The first caption of the turn (a turn with a pause inside may be cut in two).
        hit = min((e for e in finals if e.channel == turn["speaker"]
                   and e.start < turn["end"] and e.end > turn["start"]), key=lambda e: e.start)
        assert abs(hit.start - turn["start"]) < 1.0, (hit, turn)  # 2 s lead-in before


class ContentEngine(FakeEngine):
    """Answers with a digest of the exact samples it was given."""

    def transcribe(self, audio, lang=None, opts=None, prior=None) -> Transcript:
        import hashlib

        self.calls.append((len(audio) / 16000, lang))
        digest = hashlib.sha256(np.ascontiguousarray(audio).tobytes()).hexdigest()[:12]
        return Transcript(f"audio {digest}", lang or "en", 1.0, -0.1, 0.0, "direct")


def test_a_final_decoded_during_the_pause_is_the_final_it_would_have_been(call):
    """Finals decoded early (the pause announced before it ends the utterance) are used, and
    every final caption holds exactly what decoding it at its end gives: the same samples."""
    from copilot.asr.vad import SegmenterOptions

    _, signals = call
    finals = {}
    for early_end in (0.0, 0.15):
        opts = StreamingOptions(segmenter=SegmenterOptions(early_end=early_end))
        events, session = _run(signals, ContentEngine(), realtime=True, speed=4.0, seconds=20,
                               opts=opts)
        finals[early_end] = [(e.channel, e.text) for e in events if e.final]
        stats = session.transcriber.stats
        assert bool(stats["early_finals_used"]) == (early_end > 0), stats
    assert finals[0.15] == finals[0.0] and finals[0.0]


class PromptWatchingEngine(FakeEngine):
    """Records the prompt each decode was given, with the language it was asked in (the
    agent's is fixed to English here, the customer's detected: None)."""

    def __init__(self) -> None:
        super().__init__()
        self.prompts: list[tuple[str | None, str, str]] = []

    def transcribe(self, audio, lang=None, opts=None, prior=None) -> Transcript:
        self.prompts.append((lang, opts.prompt, opts.prompt_lang))
        return super().transcribe(audio, lang, opts, prior)


def test_the_site_vocabulary_goes_with_the_agents_decodes_only(call):
    _, signals = call
    engine = PromptWatchingEngine()
    _run(signals, engine, opts=StreamingOptions(agent_vocabulary=("Northwind Mobile", "PIN")))
    agent = {p for p in engine.prompts if p[0] == "en"}
    customer = {p for p in engine.prompts if p[0] is None}
    assert agent == {("en", "Northwind Mobile, PIN.", "en")}  # finals and partials alike
    assert customer == {(None, "", "")}
    engine = PromptWatchingEngine()
    _run(signals, engine)
    assert {p[1] for p in engine.prompts} == {""}  # no checklist vocabulary: no prompt


def test_finals_queued_behind_a_slow_engine_are_told_to_the_agent(call):
    """The real scheduler, its engine far slower than the call (each decode takes seconds of
    call time): finals queue, the session says captions are behind, and nothing is lost."""
    from copilot.events import Notice

    ref, signals = call
    events, session = _run(signals, FakeEngine(delay=2.0), realtime=True, speed=6.0,
                           seconds=30)
    kinds = [e.kind for e in events if isinstance(e, Notice)]
    assert "captions_behind" in kinds and "audio_dropped" not in kinds
    finals = [e for e in events if getattr(e, "final", False)]
    assert len(finals) == session.transcriber.stats["finals_queued"] >= 4
    assert session.transcriber.behind() == 0.0  # all decoded by the end


def test_what_is_left_to_transcribe_is_the_queued_speech(call):
    """The seconds of speech queued behind a slow engine (what closing the window waits for,
    through the runner's left_to_transcribe) while captions are behind, none at the end."""
    from copilot.events import Notice
    from ui.call_runner import CallRunner, RunnerOptions

    _, signals = call
    signals = {k: v[: 30 * 16000] for k, v in signals.items()}
    left: list[float] = []
    holder: list[CallSession] = []

    def listen(event) -> None:
        if isinstance(event, Notice) and event.kind == "captions_behind":
            left.append(holder[0].transcriber.waiting_seconds())

    session = CallSession(SyntheticSource(signals, realtime=True, speed=6.0),
                          FakeEngine(delay=2.0), store=None, redactor=Redactor(),
                          listeners=[listen], realtime=True, langs={"agent": "en"})
    holder.append(session)
    runner = CallRunner(lambda event: None, RunnerOptions(kb_dir=""))
    assert runner.left_to_transcribe() == 0.0  # no call
    session.run()
    assert left and all(seconds > 0 for seconds in left), left
    runner.session = session
    assert runner.left_to_transcribe() == 0.0  # all decoded by the end
