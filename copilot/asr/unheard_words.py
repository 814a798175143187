"""Words the audio does not hold (DecodeOptions.drop_unheard, issue 13).

On a short utterance the decoder sometimes goes on past the end of the speech and says it
again, exactly or not ("Yes, please. Yes, please!", "... came to $164.00. The roaming charges
come into $164,000."). The loop check (decode_guards.cut_loop) only sees exact repeats. So the
engine force-aligns the decoded text to the audio's own frames (CTranslate2 `align`: the
cross-attention of the alignment heads, DTW; whisper_engine.WhisperEngine._heard); a word that
was said holds some of that audio, while the words invented after the speech find none left and
pile up on the last frame. `unheard_start` says where such words begin and they are dropped;
the loop check stays as a second line. Measured on 1486 single utterances
(tools/experiments/echo_bound.py: four voices, espeak-ng and Piper, through a phone chain, cut by
the live VAD; Whisper base, int8, 2 cores): echoes 57 -> 10 (6 of them one misheard amount the
scorer counts), WER 26.4% -> 24.8%, insertions 996 -> 653, deletions 813 -> 829 (12 garbled
captions whose echo had stood in for words Whisper missed), decode p50 252 -> 284 ms. The
obvious bound, Whisper's timestamp tokens with the segments placed after the end of the audio
dropped, did worse than none (104 echoes, WER 28.9%): timestamp mode echoes more, and places
most of what it invents inside the audio.
"""

from __future__ import annotations

import re

import numpy as np

from copilot.audio.base import SAMPLE_RATE  # the one rate of the pipeline

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
