"""Whisper on CTranslate2, one utterance at a time, encoding only the audio that exists.

faster-whisper's `transcribe()` pads every call to a 30 s window; on 2 CPU cores the Whisper base
encoder costs about 1.4 s for 30 s of input but about 0.2 s for a few seconds. So the fast path feeds
the CTranslate2 model the utterance's own mel frames (plus a little silence) and decodes with bounds
that stop the loops short inputs can cause: `max_length` scaled to the duration, no repeated 4-grams,
a mild repetition penalty. A result that still looks wrong (too repetitive, too unlikely) is redone
through the standard padded path. The model is owned by whichever thread calls this engine: the
scheduler gives it to exactly one worker.

Words the decoder was unsure of (`Transcript.unsure`, asked for with DecodeOptions.unsure_below):
the same greedy decode returns its per-step logits (CTranslate2's `return_logits_vocab`), from
which each chosen token's probability is read; a word is unsure when one of its tokens is below
the threshold. Measured on the test calls (Whisper base, int8, 2 cores): the decode itself takes
no longer, reading the probabilities 1.5 ms a caption (median; 4.5 ms at most), so finals ask for
it and partials do not. The padded fallback path reports none (faster-whisper gives word
probabilities only with an extra alignment pass, 20-70 ms here), nor does a beam search
(CTranslate2 4.x returns per-step logits for greedy decoding only; finals are greedy by default).

Words the audio does not hold (DecodeOptions.drop_unheard, issue 13): on a short utterance the
decoder sometimes goes on past the end of the speech and says it again, exactly or not ("Yes,
please. Yes, please!", "... came to $164.00. The roaming charges come into $164,000."). The loop
check (`cut_loop`) only sees exact repeats. So the decoded text is force-aligned to the audio's own
frames (CTranslate2 `align`: the cross-attention of the alignment heads, DTW); a word that was
said holds some of that audio, while the words invented after the speech find none left and pile
up on the last frame. `unheard_start` says where such words begin and they are dropped; the loop
check stays as a second line. Measured on 1486 single utterances (tools/experiments/echo_bound.py:
four voices, espeak-ng and Piper, through a phone chain, cut by the live VAD; Whisper base, int8,
2 cores): echoes 57 -> 10 (6 of them one misheard amount the scorer counts), WER 26.4% -> 24.8%,
insertions 996 -> 653, deletions 813 -> 829 (12 garbled captions whose echo had stood in for
words Whisper missed), decode p50 252 -> 284 ms. The obvious bound, Whisper's timestamp tokens
with the segments placed after the end of the audio dropped, did worse than none (104 echoes,
WER 28.9%): timestamp mode echoes more, and places most of what it invents inside the audio.
"""

from __future__ import annotations

import os
import re
import zlib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from copilot.audio.base import SAMPLE_RATE  # the one rate of the pipeline

FRAMES_PER_SECOND = 100  # Whisper mel hop is 10 ms
MAX_SECONDS = 30.0


class ModelLoadError(Exception):
    pass


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
    # The padded 30 s path costs 1.5-8 s on 2 cores (several temperatures on a full window):
    # worth it for a final caption that looked wrong, never for a partial that is redone anyway.
    allow_padded: bool = True
    # Languages detection may choose from (the ones the site serves); empty: any. Whisper's guess
    # on a short phone-band utterance is often an unrelated language (Thai, Welsh, Latin).
    languages: tuple[str, ...] = ()
    # Report the words whose least likely token is below this probability (Transcript.unsure);
    # 0: not asked (no per-token probabilities read).
    unsure_below: float = 0.0
    # Drop the words the audio does not hold (see the module docstring): one alignment pass,
    # about 30 ms a caption on 2 cores. Transcription only: the words of a translation do not
    # follow the audio's order.
    drop_unheard: bool = True


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


_NUMBER_WORDS = frozenset(
    "zero oh one two three four five six seven eight nine ten double triple".split())


def _loop_start(text: str) -> int | None:
    """Character offset where a decode starts repeating itself, or None.

    `no_repeat_ngram_size` works on tokens, which differ with case and punctuation, so this
    compares words. A loop is a 3-word run seen before, after which (almost) everything to the
    end repeats earlier text: "Let me see what we have. Let me see, what we have!". A phrase
    said twice and then carried on ("I want to cancel, I want to cancel my order") is speech,
    and runs of numbers ("four four four four", "1 1 1 1") repeat by nature.
    """
    spans = [(m.start(), m.group().lower()) for m in re.finditer(r"[\w']+", text)]
    words = [w for _, w in spans]
    grams = [tuple(words[i:i + 3]) for i in range(len(words) - 2)]
    seen: set[tuple[str, ...]] = set()
    for i, gram in enumerate(grams):
        numeric = all(w.isdigit() or w in _NUMBER_WORDS for w in gram)
        if gram in seen and not numeric:
            earlier = set(grams[:i])
            tail = grams[i:]
            if sum(g in earlier for g in tail) >= 0.8 * len(tail):
                return spans[i][0]
        seen.add(gram)
    return None


def looks_looped(text: str) -> bool:
    """A decode that repeats itself ("and so my fellow Americans. And so, my")."""
    return _loop_start(text) is not None


def cut_loop(text: str) -> str:
    """The text before it starts repeating itself (what was actually said, as best we know)."""
    at = _loop_start(text)
    return text if at is None else text[:at].rstrip(" ,;-")


def compression_ratio(text: str) -> float:
    data = text.encode("utf-8")
    return len(data) / max(1, len(zlib.compress(data)))


def token_probs(res: Any, n: int) -> np.ndarray | None:
    """The probability of each of the first `n` chosen tokens of a CTranslate2 Whisper result
    asked with `return_logits_vocab` (one row of vocabulary logits per step); None when the
    result has none (an older CTranslate2, a beam search that returned other rows)."""
    steps = (getattr(res, "logits", None) or [None])[0]
    if not steps or len(steps) < n or n == 0:
        return None
    rows = np.stack([np.asarray(steps[i], dtype=np.float32).reshape(-1) for i in range(n)])
    ids = np.asarray(res.sequences_ids[0][:n])
    if rows.shape[1] <= int(ids.max()):
        return None
    top = rows.max(axis=1, keepdims=True)
    log_norm = top[:, 0] + np.log(np.exp(rows - top).sum(axis=1))
    return np.exp(rows[np.arange(n), ids] - log_norm)


def _unsure_words(tok: Any, res: Any, below: float) -> tuple[str, ...]:
    """The words (as the tokenizer groups tokens: on spaces, or on characters for languages
    written without them) whose least likely token has a probability under `below`."""
    ids = [t for t in res.sequences_ids[0] if t < tok.eot]
    probs = token_probs(res, len(ids))
    if probs is None:
        return ()
    words, groups = tok.split_to_word_tokens(ids)
    out: list[str] = []
    at = 0
    for word, group in zip(words, groups, strict=False):
        p = float(probs[at:at + len(group)].min()) if group else 1.0
        at += len(group)
        w = word.strip().strip(".,!?;:\"'()-")
        if w and p < below:
            out.append(w)
    return tuple(dict.fromkeys(out))


def _present(words: tuple[str, ...], text: str) -> tuple[str, ...]:
    """The words still in `text` (a loop cut or a no-speech verdict removes some): each of
    their letter/digit parts is a part of the text ("131" of "742-131")."""
    parts = set(re.findall(r"[^\W_]+", text))
    return tuple(w for w in words if set(re.findall(r"[^\W_]+", w)) <= parts
                 and re.search(r"[^\W_]", w))


# A word "holds no audio" when the alignment gives it less than this: one 20 ms encoder frame
# and a half (the alignment's own resolution is one frame).
_EMPTY_WORD_SECONDS = 0.03
# The first word is not judged by its alignment (it holds the ~2 s of pre-roll before the voice);
# it is unheard when less than this much voice comes before the second word starts.
_FIRST_WORD_VOICE_SECONDS = 0.1
_SENTENCE_END = re.compile(r"[.?!][\"')]*$")


def _key(word: str) -> str:
    return re.sub(r"\W", "", word).lower()


def unheard_start(words: list[str], starts: list[float], end: float,
                  first_unheard: bool = False) -> int | None:
    """Index of the word where text the audio does not hold begins, or None if it holds it all.

    `words` as the tokenizer splits a decode (punctuation apart: "Yes", ",", " please", "."),
    `starts` their start in seconds in an alignment of the whole text to the audio alone (`end`
    seconds, no padding). A word holds the audio from its start to the next word's: a word that
    was said holds some, the words invented after the speech have none left and pile up on one
    frame. Only words with letters or digits count. The first is judged only by
    `first_unheard` (the caller's voice check): its alignment always holds the pre-roll.

    A run of such empty words is an echo when
      - it has 3 or more empty words: cut where a new sentence, or a restart of the text's
        first two words, begins inside it (the alignment may share the last audio between a
        word and its echo), else where the run begins;
      - it has 2 (the last word counts in the run, as it keeps whatever audio is left after
        the speech, the VAD's tail): only where a new sentence or a restart begins inside it.
        Two words squeezed together inside real speech happen ("not good", "I am applied").
    """
    real = [i for i, w in enumerate(words) if re.search(r"\w", w)]
    if len(real) < 2:
        return None
    runs: list[tuple[list[int], int]] = []  # (the run's words, how many of them are empty)
    run: list[int] = [real[0]] if first_unheard else []
    for k in range(1, len(real)):
        i, last = real[k], k == len(real) - 1
        held = (end if last else starts[real[k + 1]]) - starts[i]
        if held < _EMPTY_WORD_SECONDS:
            run.append(i)
            if last:
                runs.append((run, len(run)))
        else:
            if run:
                runs.append((run + [i] if last else run, len(run)))
            run = []
    opening = [_key(words[i]) for i in real[:2]]
    for run, empty in runs:
        if len(run) < 2:
            continue
        for n in range(1, len(real)):
            i = real[n]
            if not run[0] <= i <= run[-1]:
                continue
            before = [w.strip() for w in words[:i] if w.strip()]
            restart = [_key(words[j]) for j in real[n:n + 2]] == opening
            if restart or (before and _SENTENCE_END.search(before[-1])):
                return i
        if empty >= 3 and run[0] > real[0]:
            return run[0]
    return None


def voiced_seconds(audio: np.ndarray, until: float, below_peak_db: float = 20.0) -> float:
    """Seconds of voice in `audio` before `until`: its 20 ms frames within `below_peak_db` of
    the loudest one (the pre-roll's silence or line noise is far below the voice)."""
    size = SAMPLE_RATE // 50
    n = len(audio) // size
    if n == 0:
        return 0.0
    frames = audio[:n * size].astype(np.float32).reshape(n, size)
    rms = np.sqrt(np.mean(frames ** 2, axis=1) + 1e-12)
    loud = rms >= rms.max() * 10 ** (-below_peak_db / 20)
    return float(loud[:max(0, int(until * 50))].sum()) / 50


def word_starts(alignments: list[tuple[int, int]], group_sizes: list[int]) -> list[float]:
    """The start (seconds) of each word from a CTranslate2 Whisper alignment: (token index,
    encoder frame) pairs along the DTW path, a token starting where its index first appears;
    encoder frames are 20 ms. `group_sizes`: how many tokens each word has."""
    pairs = np.asarray(alignments, dtype=np.int64).reshape(-1, 2)
    if len(pairs) == 0:
        return [0.0] * len(group_sizes)
    jumps = np.concatenate([[True], np.diff(pairs[:, 0]) != 0])
    token_start = pairs[jumps, 1] / 50.0
    out, at = [], 0
    for size in group_sizes:
        out.append(float(token_start[min(at, len(token_start) - 1)]))
        at += size
    return out


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
                   opts: DecodeOptions = DecodeOptions(),
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
            text = cut_loop(text)  # one greedy pass can loop too; keep what came before
        return Transcript(text, lang, lang_prob, avg_logprob, no_speech_prob, path, raw, encoded,
                          _present(unsure, text))

    def translate(self, audio: np.ndarray, lang: str,
                  opts: DecodeOptions = DecodeOptions(allow_padded=False),
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
        if opts.prompt:
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
            initial_prompt=opts.prompt or None)
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
