"""What the streaming scheduler's ingest loop hands its worker thread: an utterance to decode
(_Job: a final, an early final or a partial), a final customer caption to translate
(_TranslateJob), and an early final's result kept until its utterance ends (_Early). Private to
copilot.asr.streaming."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass
class _Job:
    channel: str
    caption_id: str
    start: float
    end: float
    audio: np.ndarray
    final: bool
    shown_start: float  # the caption's start: the voice onset, not the decoding lead-in
    early: bool = False  # a final decoded during the pause, before its utterance has ended


@dataclass(frozen=True)
class _Early:
    """An early final's result and what it was decoded from, to check it is the final's."""

    end: float
    samples: int
    language: str
    prior: dict
    result: object


@dataclass
class _TranslateJob:
    caption_id: str
    lang: str  # the caption's (source) language
    audio: np.ndarray
    encoded: object  # the caption's encoder output, or None
