"""What a Whisper decode is asked (DecodeOptions) and what it gives back (Transcript), for the
engine (whisper_engine) and whoever tunes it: the streaming scheduler's finals, partials and
translations (streaming_options), practice's spoken answers."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class DecodeOptions:
    """Our own small set of decoding knobs (faster-whisper's signature is much wider)."""

    beam_size: int = 1
    pad_seconds: float = 1.0  # silence appended so the last word is not cut by the encoder
    tokens_per_second: float = 7.0  # speech is 3-4 tokens a second (English), more is a run-on
    min_tokens: int = 12
    no_repeat_ngram_size: int = 4
    repetition_penalty: float = 1.1
    compression_ratio_threshold: float = 2.4
    log_prob_threshold: float = -1.0
    no_speech_threshold: float = 0.6
    prompt: str = ""  # previous text of the same speaker, for context and spelling
    # The prompt's language: given only to a decode in it ("" any). Words of another language
    # pull the decoder towards that language (or towards translating).
    prompt_lang: str = ""
    # The padded 30 s path costs 1.5-8 s on 2 cores (several temperatures on a full window):
    # worth it for a final caption that looked wrong, never for a partial that is redone anyway.
    allow_padded: bool = True
    # Languages detection may choose from (the ones the site serves); empty: any. Whisper's guess
    # on a short phone-band utterance is often an unrelated language (Thai, Welsh, Latin).
    languages: tuple[str, ...] = ()
    # Report the words whose least likely token is below this probability (Transcript.unsure);
    # 0: not asked (no per-token probabilities read).
    unsure_below: float = 0.0
    # Drop the words the audio does not hold (see copilot/asr/unheard_words.py): one alignment
    # pass, about 30 ms a caption on 2 cores. Transcription only: the words of a translation do
    # not follow the audio's order.
    drop_unheard: bool = True


def vocabulary_prompt(words: tuple[str, ...]) -> str:
    """A site's words as a Whisper prompt: a plain list, like a glossary heading a transcript.
    Whisper takes a prompt for text said just before, so it spells those words the same way
    ("PIN" for what it heard as "pion" or "pen" on a phone line); a sentence would also be
    continued now and then (a prompt "... Your account number and PIN." made an agent's
    "Northwind Mobile, Lee" come out as "Northwind Mobile. Your account")."""
    return ", ".join(w.strip() for w in words if w.strip()) + "." if words else ""


# The threshold finals use: on the test calls, misheard digits and amounts came out at 0.06-0.45
# ("742-131" for "seven four two nine three one"), clearly heard words above 0.5.
UNSURE_BELOW = 0.5


@dataclass(frozen=True)
class Transcript:
    text: str
    lang: str
    lang_prob: float
    avg_logprob: float
    no_speech_prob: float
    # "direct" (own frames), "direct-end" (words the audio does not hold removed), "direct-cut"
    # (a loop removed), "padded" (30 s window)
    path: str
    lang_probs: dict[str, float] = field(default_factory=dict)  # the detector's own, no prior
    # The encoder output of the utterance's own frames, so that a translation of the same
    # utterance (task "translate") skips the encoder. Dropped with the transcript.
    encoded: Any = field(default=None, repr=False, compare=False)
    # Words of `text` the decoder was unsure of (DecodeOptions.unsure_below), as written there
    # without surrounding punctuation ("742", "$600"); () when not asked or on the padded path.
    unsure: tuple[str, ...] = ()

    @property
    def is_speech(self) -> bool:
        return bool(self.text)
