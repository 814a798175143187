"""One call: audio source -> streaming ASR -> redaction -> store -> listeners.

Threads: the source runs on its own thread (a paced replay or device capture only enqueues); the
ingest loop (VAD, utterance cuts) runs on the thread that calls `run()`; the ASR worker owns the
Whisper model; the writer thread owns the store connection. Captions travel from the ASR worker
to the writer through an unbounded queue of small objects, so the ASR never waits on the disk.

Order of work for a final caption, on the writer thread: redact, commit to SQLite (durable when
the commit returns), only then hand it to listeners. So anything printed or shown as final is
already in the store: a crash loses at most the utterance in progress.
"""

from __future__ import annotations

import dataclasses
import logging
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from copilot.asr.streaming import Clock, StreamingOptions, StreamingTranscriber
from copilot.asr.whisper_engine import WhisperEngine
from copilot.assist.redaction import Redactor
from copilot.audio.base import AudioSource, BlockQueue
from copilot.events import Caption, Event, Notice
from copilot.store.db import CallStore

Listener = Callable[[Event], None]
PAYMENT_MODE_TEXT = "[payment mode: not recorded]"
log = logging.getLogger(__name__)


@dataclass
class CallResult:
    call_id: int | None
    finals: int = 0
    partials: int = 0
    dropped_seconds: float = 0.0
    stats: dict[str, Any] = field(default_factory=dict)


class CallSession:
    """Runs one call to the end of its audio (or `stop()`); `run()` blocks."""

    def __init__(self, source: AudioSource, engine: WhisperEngine, *,
                 store: CallStore | None, redactor: Redactor, listeners: list[Listener],
                 realtime: bool, title: str = "", source_label: str = "",
                 langs: dict[str, str] | None = None, options: StreamingOptions | None = None,
                 queue_blocks: int = 2000) -> None:
        self.source = source
        self.store = store
        self.redactor = redactor
        self.listeners = list(listeners)
        self.clock = Clock(realtime, getattr(source, "speed", 1.0))
        self.blocks = BlockQueue(queue_blocks)
        self.transcriber = StreamingTranscriber(
            engine, source.channels, self._from_asr, self.clock, options, langs)
        self.title = title
        self.source_label = source_label
        self._outbox: queue.Queue[Caption | None] = queue.Queue()
        self._payment_mode = threading.Event()
        self.result = CallResult(call_id=None)

    # -- control (any thread) --
    def stop(self) -> None:
        self.source.stop()
        self.transcriber.stop()

    def set_payment_mode(self, on: bool) -> None:
        """While on, final captions are neither stored nor shown in words."""
        (self._payment_mode.set if on else self._payment_mode.clear)()

    # -- pipeline --
    def _from_asr(self, caption: Caption) -> None:  # ASR worker thread: never blocks
        if self._payment_mode.is_set():
            caption = dataclasses.replace(caption, text=PAYMENT_MODE_TEXT if caption.final else "")
            if not caption.final:
                return
        self._outbox.put(caption)

    def run(self) -> CallResult:
        if self.store is not None:
            self.result.call_id = self.store.start_call(
                self.source_label, self.title, {"channels": list(self.source.channels)})
        writer = threading.Thread(target=self._write_loop, name="call-writer", daemon=True)
        feeder = threading.Thread(target=self.source.run, args=(self.blocks,),
                                  name="audio-source", daemon=True)
        log.info("call %s started: channels %s, realtime %s", self.result.call_id,
                 ",".join(self.source.channels), self.clock.realtime)
        writer.start()
        self.clock.start()
        feeder.start()
        status = "completed"
        try:
            self.transcriber.run(self.blocks)
        except BaseException:
            status = "interrupted"
            raise
        finally:
            self.source.stop()
            feeder.join(timeout=5)
            self._outbox.put(None)
            writer.join()
            self.result.dropped_seconds = self.blocks.dropped_seconds
            self.result.stats = dict(self.transcriber.stats)
            if self.blocks.dropped_blocks:
                self._publish(Notice("audio_dropped",
                                     f"{self.blocks.dropped_seconds:.1f} s of audio was dropped "
                                     "because transcription fell behind", self.clock.now()))
            if self.store is not None and self.result.call_id is not None:
                self.store.end_call(self.result.call_id, status)
            log.info("call %s %s: %d finals, %d partials, %.1f s audio dropped, stats %s",
                     self.result.call_id, status, self.result.finals, self.result.partials,
                     self.result.dropped_seconds, self.result.stats)
        return self.result

    def _write_loop(self) -> None:
        """The writer thread: the only user of the store connection during the call."""
        while True:
            try:
                caption = self._outbox.get(timeout=0.5)
            except queue.Empty:
                self._release(self.redactor.tick(self.clock.now()))
                continue
            if caption is None:
                self._release(self.redactor.flush())
                return
            if not caption.final:
                red = self.redactor.redact_partial(caption.channel, caption.text)
                self.result.partials += 1
                self._publish(dataclasses.replace(caption, text=red.text))
                continue
            released = self.redactor.push_final(caption.channel, caption, caption.text,
                                                self.clock.now())
            self._release([(caption.channel, key, red) for key, red in released])
            self._release(self.redactor.tick(self.clock.now()))

    def _release(self, items) -> None:
        for _channel, caption, red in items:
            # A caption held back by redaction is shown later than the ASR produced it.
            final = dataclasses.replace(caption, text=red.text,
                                        at=max(caption.at, self.clock.now()))
            if self.store is not None and self.result.call_id is not None \
                    and final.text != PAYMENT_MODE_TEXT:
                self.store.add_segment(self.result.call_id, final)  # durable before shown
            self.result.finals += 1
            log.debug("final %s %s %.2f-%.2f (%d chars)", final.id, final.channel, final.start,
                      final.end, len(final.text))  # never the words themselves
            self._publish(final)

    def _publish(self, event: Event) -> None:
        for listener in self.listeners:
            listener(event)
