"""Live transcription of several channels with one Whisper model on one worker thread.

The ingest loop (the caller's thread) reads audio blocks, runs the streaming VAD per channel and
cuts utterances. The worker thread owns the model and serves, in this order: final captions of
finished utterances (oldest first, never dropped), then partial captions of utterances still
being spoken (a fresh snapshot each time, so when the CPU is short partials are simply skipped
instead of queueing up behind finals: latency stays bounded under contention).

A final is decoded early: when a pause has lasted all but `SegmenterOptions.early_end` of what
ends an utterance, the segmenter announces it with the end the utterance would have, and the
worker decodes exactly that audio (before any partial). If the voice does not come back, the
final is that result, shown the moment the pause is long enough instead of a decode later; if it
does, the early result is dropped and the final decoded as before. Same audio, same options,
same language prior: the same text, sooner (BENCHMARKS.md, "Finals decoded during the pause").

With `translate_customer`, a final customer caption in another language than the agent's (English)
is also translated to English by Whisper itself (task "translate", reusing the caption's encoder
output) and emitted as a `Translation` right after it. Translations wait behind finals, never
the other way round, and come before partials (a partial is redone anyway; a translation is the
only thing the agent can read). When Whisper gives nothing usable (judged no speech, looped) or
fails, the Translation still comes, with empty text: whoever waits for it can stop waiting and
use the caption as it is (a display shows nothing for it).

Its options (StreamingOptions, options_from_settings) are in streaming_options, the call clock
and each channel's audio buffer in call_clock, the worker's jobs in decode_jobs; the options and
the clock are imported back here, as part of the scheduler's face.
"""

from __future__ import annotations

import collections
import dataclasses
import logging
import queue
import threading
import time
from collections.abc import Callable

import numpy as np

from copilot.asr.call_clock import Clock, _Channel
from copilot.asr.decode_jobs import _Early, _Job, _TranslateJob
from copilot.asr.streaming_options import StreamingOptions, options_from_settings
from copilot.asr.vad import SAMPLE_RATE, WINDOW, SileroSession, StreamingVad
from copilot.asr.whisper_engine import WhisperEngine
from copilot.audio.base import BlockQueue
from copilot.events import AGENT, CUSTOMER, Caption, Translation

__all__ = ["Clock", "StreamingOptions", "StreamingTranscriber", "options_from_settings"]

log = logging.getLogger(__name__)
MAX_CONSECUTIVE_ERRORS = 3
MAX_PENDING_TRANSLATIONS = 8  # beyond this the CPU is far behind: the oldest is dropped
SHOWN_LEAD = 0.5  # a caption starts this long before the VAD onset (Silero hears phone voices late)


class StreamingTranscriber:
    def __init__(self, engine: WhisperEngine, channels: tuple[str, ...],
                 emit: Callable[[Caption | Translation], None], clock: Clock,
                 opts: StreamingOptions | None = None, langs: dict[str, str] | None = None,
                 vad_session: SileroSession | None = None) -> None:
        self.engine = engine
        self.opts = opts or StreamingOptions()
        self.emit = emit
        self.clock = clock
        session = vad_session or SileroSession()
        langs = langs or {}
        self.channels = {c: _Channel(c, StreamingVad(session), self.opts.segmenter,
                                     langs.get(c, "")) for c in channels}
        self._cond = threading.Condition()
        self._finals: collections.deque[_Job] = collections.deque()
        self._early_jobs: dict[str, _Job] = {}  # channel -> its early final waiting to be decoded
        self._early: dict[str, _Early] = {}  # caption id -> its early final's result
        self._translations: collections.deque[_TranslateJob] = collections.deque()
        # Whisper translates to English only, and only a multilingual model can.
        self._translate = (self.opts.translate_customer and CUSTOMER in self.channels
                           and (langs.get(AGENT) or "en") == "en"
                           and bool(getattr(engine, "multilingual", False)))
        self._busy_final = False
        self._ingest_done = False
        self._stop = False  # stop reading audio; the utterance in progress is still finished
        self._abort = False  # the worker failed: give up at once
        self._consecutive_errors = 0
        self._next_id = 0
        self._partial_ids: set[str] = set()  # utterances that showed a partial
        self.stats = collections.Counter()
        # Keep at least the audio the segmenter may reach back for at an onset.
        self._preroll = max(self.opts.preroll, self.opts.segmenter.pad_before + 0.3)
        self.worker_error: BaseException | None = None

    # -- ingest (caller's thread) -----------------------------------------------------------
    def run(self, source: BlockQueue) -> None:
        """Transcribe until the source ends (or `stop()`), then finish every pending final."""
        worker = threading.Thread(target=self._work, name="asr-worker", daemon=True)
        worker.start()
        try:
            while not self._stop:
                try:
                    block = source.get(timeout=0.1)
                except queue.Empty:
                    continue
                if block is None or block.channel not in self.channels:
                    if block is None:
                        break
                    continue
                self._ingest(block.channel, block.start, block.samples)
            for ch in self.channels.values():
                if ch.t0 is not None:
                    self._on_end(ch, ch.seg.force_end(ch.t0 + ch.fed / SAMPLE_RATE))
        finally:
            with self._cond:
                self._ingest_done = True
                self._cond.notify_all()
            worker.join()
        if self.worker_error is not None:
            raise self.worker_error

    def behind(self) -> float:
        """How long the oldest final still waiting to be decoded has waited since its speaker
        stopped, in seconds of the call (0 when none waits): on a machine too busy to keep up,
        finals queue and the transcript looks frozen while no audio is dropped yet."""
        with self._cond:
            if not self._finals:
                return 0.0
            return max(0.0, self.clock.now() - min(job.end for job in self._finals))

    def waiting_seconds(self) -> float:
        """Seconds of speech still waiting to be decoded as final captions: the backlog a busy
        machine builds up, which ending the call (closing the window) waits for."""
        with self._cond:
            return sum(job.end - job.start for job in self._finals)

    def stop(self) -> None:
        with self._cond:
            self._stop = True
            self._cond.notify_all()

    def _ingest(self, name: str, start: float, samples: np.ndarray) -> None:
        ch = self.channels[name]
        if ch.t0 is not None:
            expected = ch.t0 + ch.fed / SAMPLE_RATE
            gap = int(round((start - expected) * SAMPLE_RATE))
            if gap > 0:
                # Blocks were dropped (capture overflow): the call clock moved on. Feed silence
                # for the gap so VAD windows and audio positions stay on the call clock.
                self.stats["gap_seconds"] += gap / SAMPLE_RATE
                self._ingest(name, expected, np.zeros(gap, np.float32))
        with self._cond:
            ch.append(start, samples)
        probs = ch.vad.feed(samples)
        assert ch.t0 is not None
        first_window = ch.t0 + (ch.fed // WINDOW) * WINDOW / SAMPLE_RATE
        ch.fed += len(samples)
        if not self.clock.realtime:
            self.clock.audio_pos = max(self.clock.audio_pos, start + len(samples) / SAMPLE_RATE)
        for ev in ch.seg.push(probs, first_window):
            if ev.kind == "start":
                with self._cond:
                    self._next_id += 1
                    ch.utt_id = f"c{self._next_id}"
                    ch.utt_start = max(ev.time, ch.buf_start)
                    # Decoding starts at the padded start (lead-in helps Whisper), but the
                    # caption says when the voice began, as an export or a viewer expects.
                    ch.utt_shown_start = max(ch.utt_start, ev.onset - SHOWN_LEAD)
                    ch.last_partial = (self.clock.now() - self.opts.partial_interval
                                       + self.opts.first_partial_after)
            elif ev.kind == "pause":
                self._on_pause(ch, ev.time)
            else:
                self._on_end(ch, [ev])
        if not ch.seg.in_speech:
            with self._cond:
                ch.trim(start + len(samples) / SAMPLE_RATE - self._preroll)

    def _on_pause(self, ch: _Channel, end: float) -> None:
        """A pause that may end the utterance: decode its final now (see the module docstring).
        Unpaced, the end follows at once anyway."""
        if ch.utt_id is None or not self.clock.realtime:
            return
        with self._cond:
            self._early_jobs[ch.name] = _Job(ch.name, ch.utt_id, ch.utt_start, end,
                                             ch.audio(ch.utt_start, end), True,
                                             min(ch.utt_shown_start, end), early=True)
            self._cond.notify_all()

    def _on_end(self, ch: _Channel, events) -> None:
        for ev in events:
            if ev.kind != "end" or ch.utt_id is None:
                continue
            with self._cond:
                self._finals.append(_Job(ch.name, ch.utt_id, ch.utt_start, ev.time,
                                         ch.audio(ch.utt_start, ev.time), True,
                                         min(ch.utt_shown_start, ev.time)))
                self.stats["finals_queued"] += 1
                self.stats["max_final_backlog"] = max(self.stats["max_final_backlog"],
                                                      len(self._finals))
                ch.utt_id = None
                self._cond.notify_all()
            if not self.clock.realtime:  # unpaced: let the worker catch up (nothing is lost)
                with self._cond:
                    while (self._finals or self._busy_final) and not (self._stop or self._abort):
                        self._cond.wait(0.05)

    # -- worker thread (owns the model) ---------------------------------------------------------
    def _next_job(self) -> _Job | _TranslateJob | None:
        """Called with the lock held. A final if any, else a translation, else a due partial,
        else None."""
        if self._finals:
            self._busy_final = True
            return self._finals.popleft()
        while self._early_jobs:
            job = self._early_jobs.pop(next(iter(self._early_jobs)))
            ch = self.channels[job.channel]
            if ch.utt_id == job.caption_id and ch.seg.pending_end == job.end:
                return job  # else the voice came back, or the final is already decoded
        if self._translations:
            return self._translations.popleft()
        if not (self.opts.partials and self.clock.realtime) or self._stop:
            return None
        now = self.clock.now()
        due = [c for c in self.channels.values()
               if c.utt_id is not None and now - c.last_partial >= self.opts.partial_interval
               and (c.buf_start + len(c.buf) / SAMPLE_RATE - c.utt_start)
               >= self.opts.min_partial_audio]
        if not due:
            return None
        ch = min(due, key=lambda c: c.last_partial)
        end = ch.buf_start + len(ch.buf) / SAMPLE_RATE
        ch.last_partial = now
        return _Job(ch.name, ch.utt_id or "", ch.utt_start, end, ch.audio(ch.utt_start, end),
                    False, ch.utt_shown_start)

    def _work(self) -> None:
        try:
            while True:
                with self._cond:
                    job = self._next_job()
                    while job is None:
                        if self._abort or (self._ingest_done and not self._finals
                                           and not self._translations):
                            return
                        self._cond.wait(0.05)
                        job = self._next_job()
                if isinstance(job, _TranslateJob):
                    self._run_translation(job)
                    continue
                try:
                    self._run(job)
                    self._consecutive_errors = 0
                except Exception:
                    # One bad utterance must not end the call's captions; a model that keeps
                    # failing must (surfaced by run()).
                    log.exception("transcription of %s failed", job.caption_id)
                    self.stats["asr_errors"] += 1
                    self._consecutive_errors += 1
                    with self._cond:
                        self._busy_final = False
                        self._cond.notify_all()
                    if self._consecutive_errors >= MAX_CONSECUTIVE_ERRORS:
                        raise
        except BaseException as e:  # surfaced by run(); the ingest loop must not hang
            self.worker_error = e
            with self._cond:
                self._abort = self._stop = True
                self._cond.notify_all()

    def _run(self, job: _Job) -> None:
        ch = self.channels[job.channel]
        opts = self.opts.decode_for(job.channel, job.final)
        if job.final and self._finals:
            # Others are waiting: no slow 30 s-window retry now, latency stays bounded.
            opts = dataclasses.replace(opts, allow_padded=False)
            self.stats["fallbacks_shed"] += 1
        if job.early:
            opts = dataclasses.replace(opts, allow_padded=False)  # a slow retry waits for the end
        language, prior = ch.lang.language, ch.lang.prior()
        early = self._early.pop(job.caption_id, None) if job.final else None
        if (early is not None and not job.early
                and (early.end, early.samples, early.language, early.prior)
                == (job.end, len(job.audio), language, prior)
                and (early.result.path != "skipped" or not opts.allow_padded)):
            result = early.result
            self.stats["early_finals_used"] += 1
        else:
            t0 = time.perf_counter()
            result = self.engine.transcribe(job.audio, language, opts, prior)
            self.stats["asr_seconds"] += time.perf_counter() - t0
        if job.early:
            self.stats["early_finals_decoded"] += 1
            self._early[job.caption_id] = _Early(job.end, len(job.audio), language, prior,
                                                 result)
            return
        with self._cond:
            if job.final:
                self._busy_final = False
                if result.text:
                    ch.lang.observe(result.lang_probs, job.end - job.start)
                self._cond.notify_all()
            elif ch.utt_id != job.caption_id:
                self.stats["partials_stale"] += 1  # the utterance ended meanwhile
                return
        shown = job.caption_id in self._partial_ids
        if job.final:
            self._partial_ids.discard(job.caption_id)
        if not result.text and not (job.final and shown):
            return  # nothing heard; a final with empty text retracts a partial already shown
        if job.final:
            self.stats["finals"] += 1
        else:
            self._partial_ids.add(job.caption_id)
            self.stats["partials"] += 1
        self.emit(Caption(id=job.caption_id, final=job.final, channel=job.channel,
                          start=job.shown_start, end=job.end, at=self.clock.now(),
                          lang=result.lang,
                          text=result.text, unsure=getattr(result, "unsure", ())))
        if job.final and result.text and self._wants_translation(job.channel, result.lang):
            shed = None
            with self._cond:
                if len(self._translations) >= MAX_PENDING_TRANSLATIONS:
                    shed = self._translations.popleft()
                    self.stats["translations_shed"] += 1
                self._translations.append(_TranslateJob(job.caption_id, result.lang, job.audio,
                                                        result.encoded))
                self._cond.notify_all()
            if shed is not None:  # said, so that nobody waits for it
                self.emit(Translation(of=shed.caption_id, lang="en", text="",
                                      at=self.clock.now(), engine="whisper"))

    def _wants_translation(self, channel: str, lang: str) -> bool:
        return (self._translate and channel == CUSTOMER and lang != "en"
                and lang not in self.opts.translate_skip)

    def _run_translation(self, job: _TranslateJob) -> None:
        """Translate one final customer caption and emit it (empty text: none). A failure costs
        this translation only: captions carry on (it is logged and counted)."""
        opts = self.opts.translate_decode
        if self._finals:  # captions are waiting: no slow 30 s-window retry
            opts = dataclasses.replace(opts, allow_padded=False)
        t0 = time.perf_counter()
        text = ""
        try:
            text = self.engine.translate(job.audio, job.lang, opts, job.encoded).text
        except Exception:
            log.exception("translation of %s failed", job.caption_id)
            self.stats["translate_errors"] += 1
        spent = time.perf_counter() - t0
        self.stats["translate_seconds"] += spent
        self.stats["max_translate_seconds"] = max(self.stats["max_translate_seconds"], spent)
        self.stats["translations" if text else "translations_empty"] += 1
        try:
            self.emit(Translation(of=job.caption_id, lang="en", text=text, at=self.clock.now(),
                                  engine="whisper"))
        except Exception:  # a listener's failure must not cost the captions that follow
            log.exception("delivering the translation of %s failed", job.caption_id)
            self.stats["translate_errors"] += 1
