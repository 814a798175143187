"""Whisper on CTranslate2, one utterance at a time, encoding only the audio that exists.

faster-whisper's `transcribe()` pads every call to a 30 s window; on 2 CPU cores the Whisper base
encoder costs about 1.4 s for 30 s of input but about 0.2 s for a few seconds. So the fast path feeds
the CTranslate2 model the utterance's own mel frames (plus a little silence) and decodes with bounds
that stop the loops short inputs can cause: `max_length` scaled to the duration, no repeated 4-grams,
a mild repetition penalty. A result that still looks wrong (too repetitive, too unlikely:
decode_guards) is redone through the standard padded path. The model is owned by whichever thread
calls this engine: the scheduler gives it to exactly one worker.

What a decode is asked and gives back (DecodeOptions, Transcript, UNSURE_BELOW) is in
decode_options and imported here, as part of the engine's face. The same decode reports the
words it was unsure of (unsure_words) and drops the words the audio does not hold
(unheard_words, issue 13): each module says how, and what it was measured to cost.
"""

from __future__ import annotations

import os
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from copilot.asr.decode_guards import (
    compression_ratio,
    cut_digit_loop,
    cut_loop,
    looks_looped,
)
from copilot.asr.decode_options import UNSURE_BELOW, DecodeOptions, Transcript
from copilot.asr.unheard_words import (
    _FIRST_WORD_VOICE_SECONDS,
    unheard_start,
    voiced_seconds,
    word_starts,
)
from copilot.asr.unsure_words import _present, _unsure_words
from copilot.audio.base import SAMPLE_RATE  # the one rate of the pipeline

__all__ = ["UNSURE_BELOW", "DecodeOptions", "ModelLoadError", "Transcript", "WhisperEngine"]

FRAMES_PER_SECOND = 100  # Whisper mel hop is 10 ms
MAX_SECONDS = 30.0
# A decode with fewer words a second than this over an utterance of at least SHORT_AFTER
# seconds stopped before the speech did (people say 2-3 words a second; an utterance's audio
# also holds about a second of lead-in, so a farewell of 3-4 s has few words). A decode again
# (without the prompt, or on the padded path) replaces it only with MORE_WORDS words more: most
# bare decodes of short prompted ones said the same, or were worse ("Account number, then P
# Diane.").
SHORT_WORDS_PER_SECOND, SHORT_AFTER, MORE_WORDS = 1.5, 5.0, 3
# A final of RETRY_AFTER seconds or more that stopped short is first decoded again with
# RETRY_PAD seconds of silence after it instead of pad_seconds: with a second of padding Whisper
# ended "Northwind Mobile, Wilfred speaking. Calls here are recorded." (4.1 s) after its first
# sentence, with or without the prompt, and went on to the second with three (a recording notice
# lost is a required item shown as not done). About 0.2 s a retry on 2 cores, against 0.6-1.2 s
# for the 30 s window (_padded) that also finds it.
RETRY_AFTER, RETRY_PAD = 3.0, 3.0


class ModelLoadError(Exception):
    pass


class WhisperEngine:
    """A loaded Whisper model. Use from one thread; `close()` frees it."""

    def __init__(self, model_path: str | Path, compute_type: str = "int8", threads: int = 2):
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        path = Path(model_path)
        if not (path / "model.bin").is_file():
            raise ModelLoadError(
                f"no Whisper model at {path}: expected a CTranslate2 folder with model.bin")
        from faster_whisper import WhisperModel  # heavy: imported only when a model is loaded
        from faster_whisper.tokenizer import Tokenizer

        try:
            self._fw = WhisperModel(str(path), device="cpu", compute_type=compute_type,
                                    cpu_threads=threads, num_workers=1, local_files_only=True)
        except (RuntimeError, ValueError, OSError) as e:
            raise ModelLoadError(f"cannot load the Whisper model at {path}: {e}") from e
        self._Tokenizer = Tokenizer
        self.path = path
        self.multilingual = self._fw.model.is_multilingual
        self.languages = tuple(self._fw.supported_languages) if self.multilingual else ("en",)
        self._tokenizers: dict[tuple[str, str], object] = {}

    # -- helpers -------------------------------------------------------------------------
    def _tokenizer(self, lang: str, task: str = "transcribe"):
        tok = self._tokenizers.get((lang, task))
        if tok is None:
            tok = self._Tokenizer(self._fw.hf_tokenizer, self.multilingual, task=task,
                                  language=lang if self.multilingual else "en")
            self._tokenizers[(lang, task)] = tok
        return tok

    def _features(self, audio: np.ndarray, pad_seconds: float) -> np.ndarray:
        pad = int(pad_seconds * SAMPLE_RATE)
        padded = np.concatenate([audio.astype(np.float32), np.zeros(pad, np.float32)])
        mel = self._fw.feature_extractor(padded)
        # Round the frame count up to a whole 0.5 s so the encoder sees few distinct shapes.
        frames = min(3000, -(-mel.shape[-1] // 50) * 50)
        out = np.zeros((mel.shape[0], frames), np.float32)
        n = min(frames, mel.shape[-1])
        out[:, :n] = mel[:, :n]
        if n < frames:
            out[:, n:] = mel.min()
        return out

    def _encode(self, features: np.ndarray):
        import ctranslate2

        return self._fw.model.encode(ctranslate2.StorageView.from_array(features[None]))

    def detect(self, encoded, prior: dict[str, float] | None = None,
               candidates: tuple[str, ...] = ()) -> dict[str, float]:
        """Language probabilities for this utterance, among `candidates` if given (renormalised),
        plus `prior` if given (evidence from the same speaker's earlier utterances: one short
        utterance alone is often misjudged)."""
        if not self.multilingual:
            return {"en": 1.0}
        probs = {tok[2:-2]: float(p) for tok, p in self._fw.model.detect_language(encoded)[0]}
        allowed = {c: probs[c] for c in candidates if c in probs}
        if allowed:
            total = sum(allowed.values()) or 1.0
            probs = {c: p / total for c, p in allowed.items()}
        for lang, weight in (prior or {}).items():
            probs[lang] = probs.get(lang, 0.0) + weight
        return probs

    # -- public ----------------------------------------------------------------------------
    def transcribe(self, audio: np.ndarray, lang: str | None = None,
                   opts: DecodeOptions = DecodeOptions(),  # noqa: B008 (frozen)
                   prior: dict[str, float] | None = None) -> Transcript:
        """Text of one utterance (16 kHz mono float32, at most 30 s). `lang` fixes the language;
        otherwise it is detected, with `prior` as earlier evidence."""
        audio = audio[: int(MAX_SECONDS * SAMPLE_RATE)]
        duration = len(audio) / SAMPLE_RATE
        if duration < 0.1:
            return Transcript("", lang or "en", 0.0, 0.0, 1.0, "direct")
        encoded = self._encode(self._features(audio, opts.pad_seconds))
        if lang and (lang in self.languages):
            lang_prob, raw = 1.0, {lang: 1.0}
        else:
            raw = self.detect(encoded, None, opts.languages)
            probs = dict(raw)
            for code, weight in (prior or {}).items():
                probs[code] = probs.get(code, 0.0) + weight
            lang = max(probs, key=probs.__getitem__)
            lang_prob = min(1.0, probs[lang])
        result = self._generate(encoded, lang, duration, opts, audio=audio)
        if opts.allow_padded and result is not None and \
                _stopped_short(result[0], duration, RETRY_AFTER):
            more_silence = self._encode(self._features(audio, RETRY_PAD))
            longer = self._generate(more_silence, lang, duration, opts, audio=audio)
            if longer is not None and _continues(result[0], longer[0]):
                result = longer
        if _prompted(opts, lang) and result is not None and _stopped_short(result[0], duration):
            # A prompt now and then makes Whisper end after the first sentence ("I
            # understand." for five seconds of speech): decoded again without it, the longer
            # text is kept (BENCHMARKS.md, "... the agent's words given to the recognizer").
            bare = self._generate(encoded, lang, duration, replace(opts, prompt=""),
                                  audio=audio)
            if bare is not None and \
                    len(bare[0].split()) >= len(result[0].split()) + MORE_WORDS:
                result = bare
        if opts.allow_padded and result is not None and _stopped_short(result[0], duration):
            # Without a prompt too, the bounded decode sometimes ends at the first pause ("I'll
            # text you the link." for "... I'm Wilma, by the way. Anything else I can help
            # with?"), whatever the padding or beam; the standard 30 s window reads on. Its text
            # is kept when it says MORE_WORDS more and is not a loop.
            whole = self._padded(audio, lang, opts)
            text = cut_loop(whole[0])
            if not looks_looped(whole[0]) and \
                    compression_ratio(text) <= opts.compression_ratio_threshold and \
                    len(text.split()) >= len(result[0].split()) + MORE_WORDS:
                result = (text, *whole[1:])
        if result is not None and not result[0] and result[2] < opts.no_speech_threshold:
            result = None  # nothing decoded, yet Whisper thinks there was speech: look again
        if (result is None or self._no_speech(result, opts)) and not opts.allow_padded:
            return Transcript("", lang, lang_prob, 0.0, 1.0, "skipped", raw)
        if result is None or self._no_speech(result, opts):
            # The bounded direct decode looked wrong, or judged the audio to be no speech although
            # the VAD heard some (short inputs make Whisper's no-speech estimate unreliable,
            # mostly for other languages): let the standard 30 s window decide.
            result = self._padded(audio, lang, opts)
        text, avg_logprob, no_speech_prob, path, unsure = result
        if self._no_speech(result, opts):
            text = ""  # Whisper's own rule: likely silence or noise
        elif path == "padded":
            # one greedy pass can loop too; keep what came before
            text = cut_digit_loop(cut_loop(text), duration)
        return Transcript(text, lang, lang_prob, avg_logprob, no_speech_prob, path, raw, encoded,
                          _present(unsure, text))

    def translate(self, audio: np.ndarray, lang: str,
                  opts: DecodeOptions = DecodeOptions(allow_padded=False),  # noqa: B008 (frozen)
                  encoded: Any = None) -> Transcript:
        """English text of one utterance spoken in `lang` (Whisper's task "translate"), with the
        same bounded decoding and loop guards as `transcribe`. Pass the transcription's
        `Transcript.encoded` to skip the encoder (about 0.2 s of the cost for base).
        An English-only model (tiny.en) cannot translate: ValueError."""
        if not self.multilingual:
            raise ValueError(f"the Whisper model at {self.path} is English-only (like tiny.en) "
                             "and cannot translate; install a multilingual model such as base")
        if lang not in self.languages:
            raise ValueError(f"the Whisper model at {self.path} does not know language {lang!r}")
        audio = audio[: int(MAX_SECONDS * SAMPLE_RATE)]
        duration = len(audio) / SAMPLE_RATE
        if duration < 0.1:
            return Transcript("", "en", 1.0, 0.0, 1.0, "direct")
        # The speaker's earlier words are in the source language: as a prompt they pull the
        # decoder towards transcribing instead of translating.
        opts = replace(opts, prompt="")
        if encoded is None:
            encoded = self._encode(self._features(audio, opts.pad_seconds))
        # Whisper's no-speech rule is not applied: the transcription already heard speech, and
        # on these short inputs it refused fair translations ("How much is the phone number?"
        # had a no-speech probability of 0.81). The loop and run-on guards still apply.
        result = self._generate(encoded, lang, duration, opts, task="translate")
        if result is None and opts.allow_padded:
            result = self._padded(audio, lang, opts, task="translate")
        if result is None:
            return Transcript("", "en", 1.0, 0.0, 1.0, "skipped")
        text, avg_logprob, no_speech_prob, path, _unsure = result
        if path == "padded":
            text = cut_loop(text)
        return Transcript(text, "en", 1.0, avg_logprob, no_speech_prob, path)

    @staticmethod
    def _no_speech(result, opts: DecodeOptions) -> bool:
        avg_logprob, no_speech_prob = result[1], result[2]
        return no_speech_prob > opts.no_speech_threshold and avg_logprob < opts.log_prob_threshold

    def _generate(self, encoded, lang: str, duration: float, opts: DecodeOptions,
                  task: str = "transcribe", audio: np.ndarray | None = None):
        tok = self._tokenizer(lang, task)
        prompt = list(tok.sot_sequence) + [tok.no_timestamps]
        if _prompted(opts, lang):
            prev = tok.encode(" " + opts.prompt.strip())[-100:]
            prompt = [tok.sot_prev] + prev + prompt
        # A decode longer than max_new tokens is a run-on (speech is about 3-4 tokens a second).
        # The cap handed to CTranslate2 leaves room above max_new so that a run-on shows itself
        # by its length, whatever the cap counts (observed: about half of max_length here).
        max_new = max(opts.min_tokens, int(duration * opts.tokens_per_second))
        res = self._fw.model.generate(
            encoded, [prompt], beam_size=opts.beam_size,
            max_length=min(448, len(prompt) + 2 * max_new + 4),
            no_repeat_ngram_size=opts.no_repeat_ngram_size,
            repetition_penalty=opts.repetition_penalty,
            return_scores=True, return_no_speech_prob=True, suppress_blank=True,
            return_logits_vocab=opts.unsure_below > 0,
        )[0]
        ids = [t for t in res.sequences_ids[0] if t < tok.eot]
        whole = tok.decode(ids).strip()
        n = max(1, len(res.sequences_ids[0]))
        # CTranslate2's score is already divided by the length; match faster-whisper's average.
        avg_logprob = float(res.scores[0]) * n / (n + 1)
        text, path = whole, "direct"
        if opts.drop_unheard and task == "transcribe" and audio is not None:
            kept = self._heard(tok, encoded, ids, duration, audio)
            if len(kept) < len(ids):
                text, path = tok.decode(kept).strip(), "direct-end"
        # The loop check stays as a second line, on the whole decode and on what the audio
        # held: usually the utterance followed by an echo of itself ("Let me see what we have.
        # Let me see, what we have!"), what came before the echo is what was said. Both keep a
        # beginning of the same decode, so the shorter one is the better bound.
        for candidate in (whole, text):
            if looks_looped(candidate) and len(cut_loop(candidate)) < len(text):
                text, path = cut_loop(candidate), "direct-cut"
        digits_cut = cut_digit_loop(text, duration)
        if digits_cut != text:
            text, path = digits_cut, "direct-cut"
        # A decode that ran on (longer than the audio can hold) is redone on the padded path,
        # unless the alignment already ended it where the speech ended.
        truncated = len(ids) > max_new and path != "direct-end"
        if not text and path == "direct-cut":
            return None
        if text and (compression_ratio(text) > opts.compression_ratio_threshold
                     or (truncated and path == "direct")):
            return None
        unsure = _unsure_words(tok, res, opts.unsure_below) if opts.unsure_below > 0 else ()
        return text, avg_logprob, float(res.no_speech_prob), path, _present(unsure, text)

    def _heard(self, tok, encoded, ids: list[int], duration: float,
               audio: np.ndarray) -> list[int]:
        """`ids` without the words the audio does not hold (`unheard_start`): one CTranslate2
        `align` of the decoded text over the frames of the audio, not of the padding."""
        words, groups = tok.split_to_word_tokens(ids + [tok.eot])
        words, groups = words[:-1], groups[:-1]  # the end-of-text "word"
        real = [i for i, w in enumerate(words) if re.search(r"\w", w)]
        if len(real) < 2:
            return ids  # one word: nothing it could have repeated
        frames = min(int(round(duration * FRAMES_PER_SECOND)), int(encoded.shape[1]) * 2)
        res = self._fw.model.align(encoded, tok.sot_sequence, [ids], frames,
                                   median_filter_width=7)[0]
        starts = word_starts(res.alignments, [len(g) for g in groups])
        first_unheard = voiced_seconds(audio, starts[real[1]]) < _FIRST_WORD_VOICE_SECONDS
        k = unheard_start(words, starts, frames / FRAMES_PER_SECOND, first_unheard)
        return ids if k is None else ids[:sum(len(g) for g in groups[:k])]

    def _padded(self, audio: np.ndarray, lang: str, opts: DecodeOptions,
                task: str = "transcribe"):
        segments, _info = self._fw.transcribe(
            audio, language=lang if self.multilingual else None, task=task,
            beam_size=max(1, opts.beam_size),
            vad_filter=False, condition_on_previous_text=False, without_timestamps=True,
            temperature=0.0,  # one pass: the temperature ladder made a decode take 8 s
            compression_ratio_threshold=opts.compression_ratio_threshold,
            log_prob_threshold=opts.log_prob_threshold,
            no_speech_threshold=opts.no_speech_threshold,
            initial_prompt=opts.prompt if _prompted(opts, lang) else None)
        segs = list(segments)
        text = " ".join(s.text.strip() for s in segs).strip()
        if not segs:
            return "", 0.0, 1.0, "padded", ()
        avg = float(np.mean([s.avg_logprob for s in segs]))
        nsp = float(max(s.no_speech_prob for s in segs))
        return text, avg, nsp, "padded", ()

    def close(self) -> None:
        self._fw = None  # type: ignore[assignment]

    def __enter__(self) -> WhisperEngine:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _prompted(opts: DecodeOptions, lang: str) -> bool:
    """Is the prompt given to this decode? Not to one in another language than the prompt's."""
    return bool(opts.prompt) and (not opts.prompt_lang or opts.prompt_lang == lang)


def _stopped_short(text: str, duration: float, after: float = SHORT_AFTER) -> bool:
    return duration >= after and _spoken_words(text) < SHORT_WORDS_PER_SECOND * duration


def _continues(first: str, longer: str) -> bool:
    """Does `longer` say what `first` said and go on by MORE_WORDS words or more, without
    looping or starting over? More padding lets Whisper run on past the speech too ("Forty
    dollars." came out "14 Northern 14 Northern"); a decode that stopped short and was then
    read further begins with the same words, and what it adds does not start over with the
    first word ("Yes, please. Yes, clean")."""
    a, b = _plain_words(first), _plain_words(longer)
    return b[:len(a)] == a and _spoken_words(longer) >= _spoken_words(first) + MORE_WORDS \
        and not looks_looped(longer) and b[len(a):len(a) + 1] != a[:1]


def _plain_words(text: str) -> list[str]:
    return re.findall(r"[\w']+", text.lower())


def _spoken_words(text: str) -> int:
    """Words as said: a run of digits counts one a digit ("342 066" is read digit by digit,
    or as a number of as many words), so an account number read out is not taken for a decode
    that stopped short."""
    return sum(max(1, len(re.findall(r"\d", w))) for w in text.split())
