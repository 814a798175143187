"""How a call ends: what it ends with (CallResult, or SessionError when it had to stop), and the
session's bookkeeping around its end (CallEnding, a part of CallSession in session.py): the call's
length, marking it in the store, the messages that say why it stopped.

A recording cut short is said at the start (an `audio_truncated` Notice, kept with the call). A
call in which no speech was heard (a silent or cut recording, the wrong file) ends with a
`no_speech` Notice and without the closing summary and after-call note, which would only say
"(not stated)"; the empty call is erased unless `keep_empty` asks to keep it.
"""

from __future__ import annotations

import logging
import sqlite3
from dataclasses import dataclass, field
from typing import Any

from copilot.asr.call_clock import Clock
from copilot.audio.base import AudioSource, BlockQueue
from copilot.audio.decode import Shortfall
from copilot.call.no_speech import no_speech_message
from copilot.store.db import CallStore
from copilot.store.errors import StoreError

# The session's own logger: a call's story (started, cut short, no speech, ended) is told under
# one name, whichever module of the session tells it.
log = logging.getLogger("copilot.call.session")


class SessionError(Exception):
    """The call had to stop (its store or redaction failed); what was kept is 'interrupted'."""


@dataclass
class CallResult:
    call_id: int | None
    finals: int = 0
    partials: int = 0
    masked: int = 0  # finals replaced by the payment-mode placeholder
    amended: int = 0  # finals shown again with more masked (a card completed later)
    assist_events: int = 0  # translations, cards, suggestions, signals, summaries kept
    dropped_seconds: float = 0.0
    stats: dict[str, Any] = field(default_factory=dict)


class CallEnding:
    """The end of a call, for CallSession: it reads the session's state below, which
    CallSession.__init__ sets, and tells the agent through the session's `_notice`."""

    source: AudioSource
    store: CallStore | None
    clock: Clock
    blocks: BlockQueue
    result: CallResult
    keep_empty: bool
    session_id: str
    source_error: BaseException | None
    writer_error: BaseException | None
    audio_ended: float | None
    _asr_failed: bool
    _nothing_heard: bool

    def call_seconds(self) -> float:
        """How long the call has lasted, on the call clock: the clock while its audio goes on;
        once the audio of a paced call has ended (the recording's end, Stop, a failed device),
        where it ended. The copilot finishing the last caption, the summary and the note (with
        the LLM, seconds) is not the call: a 10.9 s recording lasted 15 s by the clock. Unpaced,
        the clock is the audio's position already. The window's timer shows this and the store
        keeps it as the call's length: one number."""
        if self.clock.realtime and self.audio_ended is not None:
            return self.audio_ended
        return float(self.clock.now())

    def _shortfall(self) -> Shortfall | None:
        """The recording's shortfall (cut short, damaged), if the source is one that has it."""
        shortfall = getattr(self.source, "shortfall", None)
        return shortfall if isinstance(shortfall, Shortfall) else None

    def _say_shortfall(self) -> None:
        """A recording cut short plays what it holds; the agent is told so at once."""
        shortfall = self._shortfall()
        if shortfall is None:
            return
        log.info("call %s: the recording is cut short (%.1f s read)", self._log_name(),
                 shortfall.read_seconds)
        self._notice_kept("audio_truncated", shortfall.describe())

    def _heard_nothing(self) -> bool:
        """At the end of the audio: no final caption, and nothing failed or was lost (then the
        call is what there is of it, and is kept)."""
        return (not self.result.finals and not self._asr_failed and self.source_error is None
                and self.writer_error is None and self.blocks.dropped_blocks == 0)

    def _drop_if_empty(self, status: str) -> None:
        """A recording in which nothing was heard (silent, truncated, the wrong file) is not
        kept as a call with "(not stated)" everywhere: it is said, and the empty call erased,
        unless asked for (`keep_empty`)."""
        if not self._nothing_heard or status != "completed" or not self._heard_nothing():
            return  # something was heard, failed or lost: the call is what there is of it
        message = self._no_speech_message()
        store = False
        if self.store is not None and self.result.call_id is not None:
            if self.keep_empty:
                message += "; the empty call was kept, as asked"
                store = True
            else:
                try:
                    self.store.delete_call(self.result.call_id)
                    message += "; the empty call was not kept"
                    log.info("call %s: no speech, not kept", self._log_name())
                    self.result.call_id = None
                except (StoreError, sqlite3.Error, OSError):
                    log.warning("call %s: no speech, and the empty call could not be removed",
                                self._log_name(), exc_info=True)
                    message += (f"; the empty call could not be removed (call "
                                f"{self.result.call_id})")
        self._notice_kept("no_speech", message, store=store)

    def _no_speech_message(self) -> str:
        duration = getattr(self.source, "duration", None)
        return no_speech_message(duration, self._shortfall(), float(self.clock.now()))

    def _source_failed_notice(self) -> None:
        self._notice_kept("audio_failed",
                          f"audio input failed: {self.source_error}; the call was ended")

    def _end_call(self, status: str) -> None:
        if self.store is not None and self.result.call_id is not None:
            try:
                # As long as its audio (call_seconds), not as long as transcribing it and
                # writing the note took.
                self.store.end_call(self.result.call_id, status, length=self.call_seconds())
            except (StoreError, sqlite3.Error, OSError) as e:
                # The call stays 'active'; recover_interrupted() marks it at the next start.
                log.warning("could not mark call %s %s", self._log_name(), status,
                            exc_info=True)
                if self.writer_error is None:
                    self.writer_error = e
        log.info("call %s %s: %d finals, %d partials, %d masked, %.1f s audio dropped, stats %s",
                 self._log_name(), status, self.result.finals, self.result.partials,
                 self.result.masked, self.result.dropped_seconds, self.result.stats)

    def _log_name(self) -> str:
        """The call as the log names it: its id when stored, else its session id."""
        return str(self.result.call_id) if self.result.call_id is not None else self.session_id

    def _writer_failure_message(self) -> str:
        e = self.writer_error
        what = "saving the call" if isinstance(e, (StoreError, sqlite3.Error, OSError)) \
            else "processing captions"
        kept = f"captions before this point are kept in call {self.result.call_id}" \
            if self.result.call_id is not None else "nothing was stored"
        return f"the call was stopped because {what} failed: {e} ({kept})"

    def _notice_kept(self, kind: str, message: str, *, store: bool = True) -> None:
        """A notice kept with the call when it can be; shown anyway when the store fails (the
        call is ending: a store error must not hide what the agent needs to know)."""
        try:
            self._notice(kind, message, store=store)
        except (StoreError, sqlite3.Error, OSError):
            log.warning("could not store the %s notice", kind, exc_info=True)
            self._notice(kind, message, store=False)
