"""One call: audio source -> streaming ASR -> redaction -> store -> listeners.

Threads: the source runs on its own thread (a paced replay or device capture only enqueues); the
ingest loop (VAD, utterance cuts) runs on the thread that calls `run()`; the ASR worker owns the
Whisper model; the writer thread owns the store connection. Captions travel from the ASR worker
to the writer through an unbounded queue of small objects, so the ASR never waits on the disk.

Order of work for a final caption, on the writer thread: redact, commit to SQLite (durable when
the commit returns), only then hand it to listeners. So anything printed or shown as final is
already in the store: a crash loses at most the utterance in progress.

Failures end the call visibly, never silently: a broken listener is logged and skipped (storage
goes on); a store or redaction failure stops the call; a failing audio source ends it. In both
latter cases the call is marked 'interrupted', a Notice is published and `run()` raises.

How a call ends (its length, the no-speech verdict and the empty call erased, the failure
messages) is in ending.py, whose CallEnding is a part of CallSession; payment-mode intervals are
in payment_windows.py. CallResult and SessionError are imported back here, as part of the
session's face.
"""

from __future__ import annotations

import dataclasses
import logging
import math
import queue
import sqlite3
import threading
import time
from collections.abc import Callable
from typing import Any

from copilot import logs
from copilot.asr.streaming import (
    Clock,
    StreamingOptions,
    StreamingTranscriber,
    options_from_settings,
)
from copilot.asr.whisper_engine import WhisperEngine
from copilot.audio.base import AudioSource, BlockQueue
from copilot.call.ending import CallEnding, CallResult, SessionError
from copilot.call.payment_windows import PaymentWindows
from copilot.events import Caption, Event, Notice, Translation
from copilot.locks import live_call
from copilot.privacy.payment import PAYMENT_MODE_TEXT
from copilot.privacy.redaction import Redactor
from copilot.settings import AsrSettings
from copilot.store.db import CallStore
from copilot.store.errors import StoreError

__all__ = ["CallResult", "CallSession", "SessionError"]

Listener = Callable[[Event], None]
# Builds the call's assistance (copilot.assist.pipeline.AssistPipeline) from the session's clock
# and its emit function; the session owns its lifetime.
AssistFactory = Callable[[Clock, Callable[[Any], None]], Any]
_ASSIST_DONE = object()
TICK_SECONDS = 0.5  # writer housekeeping: held redacted finals, dropped-audio checks
DROP_NOTICE_SECONDS = 5.0  # at most one dropped-audio Notice this often (the count accumulates)
# Captions this late are said to be behind (a walk-through under load saw one caption in 30 s of
# the demo, and no word why); back under a quarter of it, they are said to have caught up.
BEHIND_NOTICE_SECONDS = 8.0
log = logging.getLogger(__name__)


class CallSession(CallEnding):
    """Runs one call to the end of its audio (or `stop()`); `run()` blocks."""

    def __init__(self, source: AudioSource, engine: WhisperEngine, *,
                 store: CallStore | None, redactor: Redactor, listeners: list[Listener],
                 realtime: bool, title: str = "", source_label: str = "",
                 langs: dict[str, str] | None = None, options: StreamingOptions | None = None,
                 queue_blocks: int = 2000, clock: Clock | None = None,
                 assist: AssistFactory | None = None, keep_empty: bool = False) -> None:
        self.source = source
        self.store = store
        self.redactor = redactor
        self.listeners = list(listeners)
        self.clock = clock or Clock(realtime, getattr(source, "speed", 1.0))
        self.blocks = BlockQueue(queue_blocks)
        self.transcriber = StreamingTranscriber(
            engine, source.channels, self._from_asr, self.clock,
            options or options_from_settings(AsrSettings()), langs)
        self.title = title
        self.source_label = source_label
        self.keep_empty = keep_empty
        self.payment = PaymentWindows()
        self.result = CallResult(call_id=None)
        self.session_id = logs.session_id()  # names the call in the log when it is not stored
        self.source_error: BaseException | None = None
        self.writer_error: BaseException | None = None
        self.audio_ended: float | None = None  # the call clock when the audio ended
        self._outbox: queue.Queue[Any] = queue.Queue()
        # Whisper translations wait here until their caption is released by the redactor.
        self._translations: dict[str, Translation] = {}
        self._released: dict[str, bool] = {}  # caption id -> masked by payment mode
        self.assist = assist(self.clock, self._from_assist) if assist is not None else None
        self._dropped_reported = 0
        self._last_drop_notice = -math.inf
        # The delay a captions_behind notice last gave (0: none out, or captions caught up).
        self._behind_said = 0.0
        self._asr_failed = False
        # Decided when the audio ends: nothing was heard, so the call's closing assistance (a
        # summary and a note of nothing) is neither shown nor stored, unless keep_empty.
        self._nothing_heard = False

    # -- control (any thread) --
    def stop(self) -> None:
        self.source.stop()
        self.transcriber.stop()

    def set_payment_mode(self, on: bool) -> None:
        """Speech from now until payment mode ends is neither stored nor shown in words."""
        self.payment.set(on, self.clock.now())

    def agent_action(self, action: str, passage_ids: list[str], *, of: str = "",
                     text: str = "") -> None:
        """What the agent did with a card or line, for the assistance (the summary)."""
        if self.assist is not None:
            self.assist.on_agent_action(action, passage_ids, of=of, text=text)

    def checklist_action(self, checklist: str, item: str, done: bool) -> None:
        """The agent ticked (`done`) or unticked a checklist item by hand (any thread); the
        assistance records it (a `checklist` event, stored with the call)."""
        if self.assist is not None:
            self.assist.on_checklist_action(checklist, item, done)

    # -- pipeline --
    def _screen(self, caption: Caption) -> Caption | None:
        """Payment mode: a final spoken (partly) inside an interval becomes the placeholder, a
        partial is dropped. Applied on arrival and again on release (an interval may have
        opened meanwhile). An empty final (a retraction) reveals nothing and passes."""
        if not caption.text or not self.payment.overlaps(caption.start, caption.end):
            return caption
        return dataclasses.replace(caption, text=PAYMENT_MODE_TEXT) if caption.final else None

    def _from_asr(self, caption: Caption | Translation) -> None:  # ASR worker: never blocks
        if isinstance(caption, Translation):
            self._outbox.put(caption)
            return
        screened = self._screen(caption)
        if screened is not None:
            self._outbox.put(screened)

    def _run_source(self) -> None:
        """The source thread. A failure (device unplugged) is kept for `run()` to report rather
        than left to threading.excepthook while the call carries on as if it ended normally."""
        try:
            self.source.run(self.blocks)
        except BaseException as e:
            self.source_error = getattr(self.source, "error", None) or e
            log.warning("audio source failed: %s", self.source_error, exc_info=True)
        finally:
            self.audio_ended = float(self.clock.now())  # the call's end (call_seconds)
            self.blocks.close()  # the transcriber finishes what it has, then returns

    def run(self) -> CallResult:
        # Practice mode cannot run while a call is live (it probes this lock before each turn).
        with live_call():
            return self._run()

    def _run(self) -> CallResult:
        if self.store is not None:
            try:
                self.result.call_id = self.store.start_call(
                    self.source_label, self.title, {"channels": list(self.source.channels)})
            except (StoreError, sqlite3.Error, OSError) as e:
                raise SessionError(f"cannot record the call in the database: {e}") from e
        self._say_shortfall()
        writer = threading.Thread(target=self._write_loop, name="call-writer", daemon=True)
        feeder = threading.Thread(target=self._run_source, name="audio-source", daemon=True)
        log.info("call %s started: channels %s, realtime %s, stored %s", self._log_name(),
                 ",".join(self.source.channels), self.clock.realtime,
                 self.result.call_id is not None)
        writer.start()
        if self.assist is not None:
            self.assist.start()
        self.clock.start()
        feeder.start()
        status = "completed"
        try:
            self.transcriber.run(self.blocks)
        except BaseException:
            status = "interrupted"
            self._asr_failed = True  # before the writer hears the audio has ended
            raise
        finally:
            self.source.stop()
            feeder.join(timeout=5)
            self._outbox.put(None)
            writer.join()
            self.result.dropped_seconds = self.blocks.dropped_seconds
            self.result.stats = dict(self.transcriber.stats)
            if self.source_error is not None or self.writer_error is not None:
                status = "interrupted"
            if self.source_error is not None and self.writer_error is None:
                self._source_failed_notice()
            self._end_call(status)
            self._drop_if_empty(status)
        if self.writer_error is not None:
            raise SessionError(self._writer_failure_message()) from self.writer_error
        if self.source_error is not None:
            raise self.source_error
        return self.result


    # -- writer thread --
    def _write_loop(self) -> None:
        """The writer thread: the only user of the store connection during the call."""
        try:
            self._write_items()
        except Exception as e:
            self.writer_error = e
            log.exception("call %s: writer failed; stopping the call", self._log_name())
            self._notice("call_stopped", self._writer_failure_message(), store=False)
            self.stop()

    def _write_items(self) -> None:
        last_tick = time.monotonic()
        ending = False
        while True:
            try:
                item = self._outbox.get(timeout=TICK_SECONDS)
                if item is None:  # end of the audio: release what redaction holds, then wait
                    ending = True  # for assistance to finish with it (it ends with _ASSIST_DONE)
                    self._release(self.redactor.flush())
                    self._amend(self.redactor.take_amendments())
                    # Nothing heard: the closing summary and note would only say "(not
                    # stated)"; they are not kept (or shown) unless the empty call is.
                    self._nothing_heard = self._heard_nothing()
                    if self.assist is None:
                        break
                    self.assist.finish_async(lambda: self._outbox.put(_ASSIST_DONE))
                elif item is _ASSIST_DONE:
                    break
                elif isinstance(item, Translation):
                    self._take_translation(item)
                elif isinstance(item, Caption):
                    self._take(item)
                elif ending and self._nothing_heard and not self.keep_empty:
                    log.debug("call %s: nothing heard, closing %s not kept", self._log_name(),
                              getattr(item, "type", "event"))
                else:
                    self._keep(item)
            except queue.Empty:
                pass
            # Every TICK_SECONDS, busy or idle: a stream of partials must not starve the release
            # of held finals (they would show up seconds late) nor hide dropped audio.
            if time.monotonic() - last_tick >= TICK_SECONDS:
                last_tick = time.monotonic()
                if not ending:
                    self._release(self.redactor.tick(self.clock.now()))
                    self._amend(self.redactor.take_amendments())
                self._check_dropped()
                self._check_behind()
        self._check_dropped(force=True)

    def _take(self, caption: Caption) -> None:
        if not caption.final:
            if self._screen(caption) is None:
                return  # payment mode began after the ASR produced it
            red = self.redactor.redact_partial(caption.channel, caption.text)
            self.result.partials += 1
            self._publish(dataclasses.replace(caption, text=red.text))
            return
        if not caption.text:
            # A retraction: the partial shown for this id turned out to be nothing. Listeners
            # must clear it; there is nothing to store or count.
            self._publish(caption)
            return
        if caption.text == PAYMENT_MODE_TEXT:
            self._release([(caption.channel, caption, None)])  # never given to the redactor
            return
        released = self.redactor.push_final(caption.channel, caption, caption.text,
                                            self.clock.now())
        self._release([(caption.channel, key, red) for key, red in released])
        self._amend(self.redactor.take_amendments())

    def _release(self, items) -> None:
        for _channel, caption, red in items:
            # A caption held back by redaction is shown later than the ASR produced it.
            final = dataclasses.replace(caption, text=caption.text if red is None else red.text,
                                        at=max(caption.at, self.clock.now()))
            screened = self._screen(final)
            assert screened is not None  # finals are masked, never dropped
            if screened.text == PAYMENT_MODE_TEXT:
                self.result.masked += 1
                final = screened
            elif self.store is not None and self.result.call_id is not None:
                self.store.add_segment(self.result.call_id, final)  # durable before shown
            self.result.finals += 1
            log.debug("final %s %s %.2f-%.2f (%d chars)", final.id, final.channel, final.start,
                      final.end, len(final.text))  # never the words themselves
            logs.content(log, "final %s %s: %r", final.id, final.channel, final.text)
            self._publish(final)
            if self.assist is not None:
                self.assist.on_event(final)
            masked = final.text == PAYMENT_MODE_TEXT
            self._released[final.id] = masked
            waiting = self._translations.pop(final.id, None)
            if waiting is not None:
                self._release_translation(waiting, masked=masked)

    def _amend(self, items) -> None:
        """Captions already shown that a later caption proved to hold part of a card number:
        overwritten in the store (and erased from its files) before the safer text is shown.
        Assistance is not told: it is the same speech, and it never saw more than a short
        run of digits (copilot/privacy/redaction.py)."""
        for _channel, caption, red in items:
            if self._released.get(caption.id, True):
                continue  # not shown yet, or shown as the payment-mode placeholder
            amended = dataclasses.replace(caption, text=red.text, amended=True,
                                          at=max(caption.at, self.clock.now()))
            if self.store is not None and self.result.call_id is not None:
                self.store.amend_segment(self.result.call_id, amended)
            self.result.amended += 1
            log.debug("amended %s %s (%d chars)", amended.id, amended.channel, len(red.text))
            self._publish(amended)

    # -- assistance --
    def _take_translation(self, tr: Translation) -> None:
        """A translation follows its caption: shown (and stored) only once the caption is."""
        if tr.of in self._released:
            self._release_translation(tr, masked=self._released[tr.of])
        else:
            self._translations[tr.of] = tr

    def _release_translation(self, tr: Translation, *, masked: bool) -> None:
        if masked:
            return  # what was said in payment mode is not kept in any language
        # Redacted on its own, conservatively: its caption's card digits were masked with the
        # caption's context; the translation gets the stricter stateless rules.
        text = self.redactor.redact(tr.text).text
        tr = dataclasses.replace(tr, text=text, at=max(tr.at, self.clock.now()))
        if text.strip():  # an empty one only tells assistance to stop waiting for it
            self._keep(tr)
        if self.assist is not None:
            self.assist.on_event(tr)

    def _from_assist(self, event: Any) -> None:  # the assistance worker: never blocks
        self._outbox.put(event)

    def _keep(self, event: Any) -> None:
        """Store an assistance event with the call (durable before shown), then publish it."""
        if self.store is not None and self.result.call_id is not None:
            self.store.add_event(self.result.call_id, event.type, event.at, event.to_dict())
        self.result.assist_events += 1
        self._publish(event)

    def _check_dropped(self, force: bool = False) -> None:
        """Tell the agent during the call, not only at its end, that audio is being lost."""
        dropped = self.blocks.dropped_blocks
        if dropped <= self._dropped_reported:
            return
        if not force and time.monotonic() - self._last_drop_notice < DROP_NOTICE_SECONDS:
            return
        self._dropped_reported = dropped
        self._last_drop_notice = time.monotonic()
        self._notice("audio_dropped", f"{self.blocks.dropped_seconds:.1f} s of audio was dropped "
                     "so far because transcription fell behind", store=True)

    def _check_behind(self) -> None:
        """Tell the agent when captions fall well behind the call, and when they catch up."""
        behind = self.transcriber.behind() if self.clock.realtime else 0.0
        said = self._behind_said
        # Said again each time the delay doubles: a walk-through saw "8 s behind" on the
        # banner while captions were 32 s behind.
        if behind >= max(BEHIND_NOTICE_SECONDS, 2 * said):
            self._behind_said = behind
            self._notice("captions_behind", f"captions are running {behind:.0f} s behind the "
                         "call: this computer is too busy to keep up (nothing is lost while "
                         "the call goes on; they catch up when it is less busy)", store=True)
        elif behind < BEHIND_NOTICE_SECONDS / 4 and said:
            self._behind_said = 0.0
            self._notice("captions_caught_up", "captions have caught up with the call",
                         store=True)

    # -- events --
    def _notice(self, kind: str, message: str, *, store: bool) -> None:
        """Publish a Notice; with store=True also keep it with the call (a store error raises)."""
        notice = Notice(kind, message, self.clock.now())
        if store and self.store is not None and self.result.call_id is not None:
            self.store.add_event(self.result.call_id, notice.type, notice.at, notice.to_dict())
        self._publish(notice)


    def _publish(self, event: Event) -> None:
        for listener in self.listeners:
            try:
                listener(event)
            except Exception:
                # One broken listener (a UI panel, a closed pipe) must not stop the others, and
                # above all must not stop storage: the caption is already committed.
                log.exception("listener %s failed on a %s event",
                              getattr(listener, "__qualname__", type(listener).__name__),
                              event.type)
