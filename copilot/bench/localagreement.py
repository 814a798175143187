"""The LocalAgreement-2 streaming policy of ufal/whisper_streaming, written from its description.

Macháček et al. (2023): keep one growing audio buffer per speaker; every iteration re-transcribe
the whole buffer (with word times) and *commit* the longest prefix on which this hypothesis and
the previous one agree. Committed words scroll out of the buffer once a Whisper segment that ends
inside the committed text can be cut off (when the buffer exceeds `trim_seconds`); the last 200
characters of committed text that left the buffer are the prompt for the next pass.

Why our own copy and not the PyPI `whisper-streaming` 0.1.0 port: in that port the prompt is
always empty (the index it needs is never set), the n-gram de-duplication is dead code, sentence
trimming raises, and the only trimming left cuts the buffer at whole seconds mid-word. Measured on
billing_refund, that port stops committing after the first trim while ufal's policy does not; a
broken peer would flatter us. The port can still be run as-is (`peer_localagreement`,
policy="package") to show the difference.

The policy is pure Python over a `Transcriber` callable, so it is tested without a model.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from copilot.audio.base import SAMPLE_RATE  # the one rate of the pipeline


@dataclass(frozen=True)
class TimedWord:
    start: float
    end: float
    text: str  # as Whisper wrote it, leading space included (ufal compares these exactly)


# audio (16 kHz float32), prompt -> (words with buffer-relative times, ends of Whisper segments)
Transcriber = Callable[[np.ndarray, str], tuple[list[TimedWord], list[float]]]


class Hypotheses:
    """The agreement bookkeeping: what is committed, and the last unconfirmed tail."""

    def __init__(self) -> None:
        self.committed_in_buffer: list[TimedWord] = []
        self.tail: list[TimedWord] = []  # previous hypothesis beyond the committed text
        self._new: list[TimedWord] = []
        self.last_time = 0.0  # end of the last committed word

    def insert(self, words: list[TimedWord], offset: float) -> None:
        new = [replace(w, start=w.start + offset, end=w.end + offset) for w in words]
        # Only words after what is committed (0.1 s tolerance for timestamp jitter) are new.
        new = [w for w in new if w.start > self.last_time - 0.1]
        if new and abs(new[0].start - self.last_time) < 1 and self.committed_in_buffer:
            # The new pass may repeat the last committed words (up to 5): drop them once.
            for n in range(1, min(len(self.committed_in_buffer), len(new), 5) + 1):
                done = " ".join(w.text for w in self.committed_in_buffer[-n:])
                if done == " ".join(w.text for w in new[:n]):
                    new = new[n:]
                    break
        self._new = new

    def confirm(self) -> list[TimedWord]:
        """Commit the longest common prefix of the previous tail and the new hypothesis."""
        commit: list[TimedWord] = []
        new, tail = self._new, self.tail
        while new and tail and new[0].text == tail[0].text:
            commit.append(new[0])
            self.last_time = new[0].end
            new, tail = new[1:], tail[1:]
        self.tail, self._new = new, []
        self.committed_in_buffer.extend(commit)
        return commit

    def forget_before(self, t: float) -> None:
        while self.committed_in_buffer and self.committed_in_buffer[0].end <= t:
            self.committed_in_buffer.pop(0)


class LocalAgreement:
    """One speaker's stream: feed audio, call `step()` once per iteration, `finish()` at the end."""

    def __init__(self, transcribe: Transcriber, trim_seconds: float = 15.0,
                 prompt_chars: int = 200) -> None:
        self.transcribe = transcribe
        self.trim_seconds = trim_seconds
        self.prompt_chars = prompt_chars
        self.audio = np.zeros(0, dtype=np.float32)
        self.offset = 0.0  # call time of audio[0]
        self.hyp = Hypotheses()
        self.committed: list[TimedWord] = []
        self._cut_at = 0.0

    def insert_audio(self, samples: np.ndarray) -> None:
        self.audio = np.concatenate([self.audio, np.asarray(samples, dtype=np.float32)])

    def prompt(self) -> str:
        """Up to `prompt_chars` of committed text that has already scrolled out of the buffer."""
        k = max(0, len(self.committed) - 1)  # as ufal: the newest committed word never counts
        while k > 0 and self.committed[k - 1].end > self._cut_at:
            k -= 1
        picked: list[str] = []
        size = 0
        for w in reversed(self.committed[:k]):
            if size >= self.prompt_chars:
                break
            picked.append(w.text)
            size += len(w.text) + 1
        return "".join(reversed(picked))

    def step(self) -> list[TimedWord]:
        """Transcribe the buffer once; returns the newly committed words (call-clock times)."""
        words, segment_ends = self.transcribe(self.audio, self.prompt())
        self.hyp.insert(words, self.offset)
        out = self.hyp.confirm()
        self.committed.extend(out)
        if len(self.audio) / SAMPLE_RATE > self.trim_seconds:
            self._trim_at_segment(segment_ends)
        return out

    @property
    def tail(self) -> list[TimedWord]:
        return list(self.hyp.tail)

    def finish(self) -> list[TimedWord]:
        """The unconfirmed tail, committed because no more audio will come."""
        out, self.hyp.tail = self.hyp.tail, []
        self.committed.extend(out)
        return out

    def _trim_at_segment(self, segment_ends: list[float]) -> None:
        # Cut at the end of the latest Whisper segment (not the last one, still being spoken)
        # that lies inside the committed text, so no word is cut in half and nothing uncommitted
        # is thrown away.
        if not self.committed or len(segment_ends) < 2:
            return
        last = self.committed[-1].end
        ends = [e + self.offset for e in segment_ends[:-1]]
        inside = [e for e in ends if e <= last]
        if inside:
            self._cut(inside[-1])

    def _cut(self, t: float) -> None:
        self.hyp.forget_before(t)
        self.audio = self.audio[int((t - self.offset) * SAMPLE_RATE):]
        self.offset = t
        self._cut_at = t


def faster_whisper_transcriber(model: Any, lang: str | None, beam_size: int = 5,
                               vad: bool = False) -> Transcriber:
    """ufal's faster-whisper call: word times, conditioned on previous text, the prompt given;
    `vad` is ufal's --vad (faster-whisper drops the buffer's silence before decoding)."""

    def transcribe(audio: np.ndarray, prompt: str) -> tuple[list[TimedWord], list[float]]:
        segments, _ = model.transcribe(audio, language=lang, initial_prompt=prompt or None,
                                       beam_size=beam_size, word_timestamps=True,
                                       condition_on_previous_text=True, vad_filter=vad)
        words: list[TimedWord] = []
        ends: list[float] = []
        for seg in segments:
            ends.append(seg.end)
            if seg.no_speech_prob > 0.9:  # ufal skips segments Whisper itself calls silence
                continue
            words.extend(TimedWord(w.start, w.end, w.word) for w in seg.words or [])
        return words, ends

    return transcribe
