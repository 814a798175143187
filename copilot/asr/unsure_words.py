"""Words the decoder was unsure of (`Transcript.unsure`, asked for with DecodeOptions.unsure_below).

The same greedy decode returns its per-step logits (CTranslate2's `return_logits_vocab`), from
which each chosen token's probability is read; a word is unsure when one of its tokens is below
the threshold. Measured on the test calls (Whisper base, int8, 2 cores): the decode itself takes
no longer, reading the probabilities 1.5 ms a caption (median; 4.5 ms at most), so finals ask for
it and partials do not. The padded fallback path reports none (faster-whisper gives word
probabilities only with an extra alignment pass, 20-70 ms here), nor does a beam search
(CTranslate2 4.x returns per-step logits for greedy decoding only; finals are greedy by default).
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np


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
