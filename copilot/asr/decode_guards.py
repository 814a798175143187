"""The checks that stop a bounded Whisper decode from passing a loop off as speech: a decode
that repeats itself (`looks_looped`, cut back to what came before by `cut_loop`) and one whose
text compresses too well (`compression_ratio`, Whisper's own test for repetitive output). The
engine (whisper_engine) redoes a decode that still looks wrong through the padded 30 s path."""

from __future__ import annotations

import re
import zlib

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
