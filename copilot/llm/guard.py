"""Stop a generation that repeats itself.

Small models loop: SmolLM2-135M asked for a reply writes "I'm sorry, I'm sorry, I'm sorry..." or
the same sentence again and again until max_tokens. The guard is fed the streamed pieces and says
when the output has started repeating, so generation stops there instead of burning the rest of
the token budget, and where the repetition starts, so the result keeps the first copy only.

Two shapes count as a loop (compared on lower-case words, punctuation ignored):
- the tail is one unit of words said again and again, covering at least `min_words` words: a unit
  of 1-3 words at least three times ("I'm sorry, I'm sorry, I'm sorry"), a longer one at least twice;
- a finished sentence of at least three words that was already said, word for word.
Units made only of numbers never count: reading back digits ("4 4 1 2, 4 4 1 2") is speech.
"""

from __future__ import annotations

import re

_WORD = re.compile(r"[\w']+")
_SENTENCE_END = re.compile(r"[.!?\n]")
_NUMBER_WORDS = frozenset(
    "zero oh one two three four five six seven eight nine ten double triple".split())


def _numeric(words: tuple[str, ...] | list[str]) -> bool:
    return all(w.isdigit() or w in _NUMBER_WORDS for w in words)


class LoopGuard:
    def __init__(self, min_words: int = 6, max_period: int = 24, min_sentence_words: int = 3):
        self.min_words = min_words
        self.max_period = max_period
        self.min_sentence_words = min_sentence_words
        self.text = ""
        self.cut: int | None = None  # where the repetition starts, once looped
        self._checked_words = 0
        self._checked_sentences = 0

    @property
    def looped(self) -> bool:
        return self.cut is not None

    def kept_text(self) -> str:
        """The output up to where it started repeating (all of it when it did not)."""
        if self.cut is None:
            return self.text
        return self.text[:self.cut].rstrip(" \t\n,;:-")

    def feed(self, piece: str) -> bool:
        """Add a streamed piece; True once the output loops."""
        if self.cut is not None:
            return True
        self.text += piece
        spans = [(m.start(), m.group().lower()) for m in _WORD.finditer(self.text)]
        if spans and self.text[-1:].isalnum():
            spans.pop()  # the last word may still be growing
        if len(spans) > self._checked_words:
            self._checked_words = len(spans)
            self.cut = self._tandem(spans)
        if self.cut is None:
            self.cut = self._repeated_sentence()
        return self.cut is not None

    def _tandem(self, spans: list[tuple[int, str]]) -> int | None:
        words = [w for _, w in spans]
        n = len(words)
        for p in range(1, min(self.max_period, n // 2) + 1):
            unit = words[n - p:]
            if _numeric(unit):
                continue
            copies = 1
            while (copies + 1) * p <= n and words[n - (copies + 1) * p:n - copies * p] == unit:
                copies += 1
            needed = max(3 if p <= 3 else 2, -(-self.min_words // p))
            if copies >= needed:
                return spans[n - (copies - 1) * p][0]  # keep the first copy
        return None

    def _repeated_sentence(self) -> int | None:
        ends = [m.end() for m in _SENTENCE_END.finditer(self.text)]
        if len(ends) <= self._checked_sentences:
            return None
        self._checked_sentences = len(ends)
        seen: set[tuple[str, ...]] = set()
        start = 0
        for end in ends:
            words = tuple(w.lower() for w in _WORD.findall(self.text[start:end]))
            if len(words) >= self.min_sentence_words and not _numeric(words):
                if words in seen:
                    return start
                seen.add(words)
            start = end
        return None
