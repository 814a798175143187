"""Words Whisper was unsure of (Caption.unsure), without a model: the per-token probabilities
read from CTranslate2's per-step logits, grouped into words; finals ask for them, partials do
not; they reach the caption and never outlive redaction."""

from __future__ import annotations

import json

import numpy as np
import pytest

from copilot.asr.streaming import StreamingOptions, options_from_settings
from copilot.asr.unsure_words import _present, _unsure_words, token_probs
from copilot.asr.whisper_engine import UNSURE_BELOW, DecodeOptions, Transcript
from copilot.audio.channels import ChannelMap
from copilot.audio.decode import read_audio
from copilot.audio.synthetic import SyntheticSource
from copilot.call.session import CallSession
from copilot.privacy.redaction import Redactor
from copilot.settings import AsrSettings

VOCAB = 12
EOT = 10


class Result:
    """A CTranslate2 WhisperGenerationResult as the engine reads it."""

    def __init__(self, ids: list[int], probs: list[float] | None):
        self.sequences_ids = [ids]
        self.logits = None
        if probs is not None:  # logits whose softmax gives `p` to the chosen token
            rows = []
            for tid, p in zip(ids, probs, strict=True):
                row = np.full(VOCAB, np.log((1 - p) / (VOCAB - 1)), np.float32)
                row[tid] = np.log(p)
                rows.append(row)
            self.logits = [rows]


class Tok:
    """Tokens 0..9 stand for the pieces below; a leading space starts a word."""

    eot = EOT
    pieces = [" I", " paid", " $", "600", " on", " March", " 3", "rd", ".", " it"]

    def split_to_word_tokens(self, ids):
        words, groups = [], []
        for t in ids:
            piece = self.pieces[t]
            if piece.startswith(" ") or not words or piece.strip() in ".,!?":
                words.append(piece)
                groups.append([t])
            else:
                words[-1] += piece
                groups[-1].append(t)
        return words, groups


def test_token_probabilities_come_from_the_logits():
    res = Result([1, 2, 3, EOT], [0.9, 0.5, 0.2, 0.99])
    assert token_probs(res, 3) == pytest.approx([0.9, 0.5, 0.2], abs=1e-5)
    assert token_probs(Result([1, 2], None), 2) is None  # not asked, or an older CTranslate2
    short = Result([1, 2, 3], [0.9, 0.9, 0.9])
    short.logits = [short.logits[0][:1]]  # a beam search returns one row: no guessing
    assert token_probs(short, 3) is None


def test_a_word_is_unsure_when_its_least_likely_token_is():
    # " I paid $600 on March 3rd." with "600" and "rd" unsure
    ids = [0, 1, 2, 3, 4, 5, 6, 7, 8, EOT]
    probs = [0.99, 0.95, 0.9, 0.3, 0.8, 0.97, 0.9, 0.4, 0.9, 0.99]
    assert _unsure_words(Tok(), Result(ids, probs), UNSURE_BELOW) == ("$600", "3rd")
    assert _unsure_words(Tok(), Result(ids, [0.99] * 10), UNSURE_BELOW) == ()


def test_unsure_words_are_kept_only_while_the_text_has_them():
    assert _present(("742", "131", "wife"), "Sure, it's 742-131.") == ("742", "131")
    assert _present(("$600",), "") == ()


def test_finals_ask_for_unsure_words_and_partials_do_not():
    assert StreamingOptions().final_decode.unsure_below == UNSURE_BELOW
    assert StreamingOptions().partial_decode.unsure_below == 0
    opts = options_from_settings(AsrSettings())
    assert opts.final_decode.unsure_below == UNSURE_BELOW
    assert opts.partial_decode.unsure_below == 0 and opts.translate_decode.unsure_below == 0
    assert DecodeOptions().unsure_below == 0  # costs nothing unless asked


class UnsureEngine:
    """Says a card number and an amount; unsure of both, when asked."""

    def transcribe(self, audio, lang=None, opts=None, prior=None) -> Transcript:
        below = opts.unsure_below if opts is not None else 0.0
        unsure = ("4111", "49") if below > 0 else ()
        return Transcript("My card is 4111 1111 1111 1111 and it was 49 dollars.",
                          lang or "en", 1.0, -0.1, 0.0, "direct", unsure=unsure)


def test_finals_carry_the_unsure_words_through_redaction(testdata):
    frames, sr = read_audio(testdata / "calls" / "billing_refund.wav")
    signals = {k: v[: 15 * sr] for k, v in ChannelMap().split(frames).items()}
    events: list = []
    session = CallSession(SyntheticSource(signals, realtime=False), UnsureEngine(), store=None,
                          redactor=Redactor(), listeners=[events.append], realtime=False,
                          langs={"agent": "en", "customer": "en"})
    session.run()
    finals = [e for e in events if getattr(e, "final", False)]
    partials = [e for e in events if getattr(e, "type", "") == "caption" and not e.final]
    assert finals and all("4111" not in e.text for e in finals)
    assert all(e.unsure == ("49",) for e in finals)  # the card's digits went with the card
    assert all(e.unsure == () for e in partials)
    assert json.loads(finals[0].to_json())["unsure"] == ["49"]
