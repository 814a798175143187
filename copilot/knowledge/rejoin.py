"""Words a recognizer split in two, put back together against the knowledge base's vocabulary.

A phone-line recognizer that does not know a word writes the pieces it does know: "in surance",
"re fund", "state mints", "a range meant", "pay per less". Each piece is a word, so neither
keyword search nor the sentence encoder can tell that the customer said "insurance", "refund",
"statements", "arrangement", "paperless", and the question goes unanswered. Before searching,
two or three neighbouring words are joined into one word of the base when:

- they spell it exactly ("re fund" -> "refund", "super market" -> "supermarket"; six letters
  at least when one of them is a function word: "a part" is not "apart"), or
- they sound like it (the same Metaphone code, jellyfish) and spell it nearly (an edit or one
  per four letters, two from six letters: "state mints" -> "statements", "deep posit" ->
  "deposit"). A sound-alike join that takes in a function
  word ("a", "in", "to", "it") needs a long code (six sounds), because short words glued to
  their neighbours sound like too much: "to let" -> "toilet", "a line" -> "alone", "for to night"
  -> "fortnight" were all joined at four;
- three pieces sound one sound off a long code (seven sounds) and spell it nearly, from the
  same first letter: the seam adds a sound ("come pen station" -> "compensation"; the first
  letter keeps a word glued on in front out: "my small holding" is not "smallholding");
- and the join is not the first word inflected ("need to" -> "needed", "cancel it" ->
  "cancelled", "start a" -> "start"), judged by the index's own stemmer.

Single misheard words ("wave the lake fee", "pen" for "PIN", "fair" for "fare") are left alone:
they are real words, and telling them from what the customer meant needs the sentence around
them. A sound-alike rule for single words, tried on the seven question sets, turned "much" into
"match", "lost" into "least" and "were" into "where" (191 changes, most wrong).

Only the search reads the joined text: captions, the summary and the audit trail keep what the
recognizer wrote. English only (the codes are English sounds). On the seven question sets it was
developed on (651 questions; BENCHMARKS.md) every join was a split, misheard questions answered
42 -> 48 of 76 and wrong lines 14 -> 13; on the seventh blind set, run once: 3 -> 5 of 10.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from itertools import pairwise

import jellyfish

from copilot.knowledge.query import STOPWORDS, digits_for_number_words

__all__ = ["Rejoiner"]

# Shorter base words are too easy to spell by accident with two short words.
MIN_LETTERS = 5
# A join that takes in a function word spells a word at least this long.
MIN_LETTERS_WITH_FUNCTION_WORD = 6
# Sound codes of joins that take in a function word must be at least this long (see above).
MIN_SOUNDS_WITH_FUNCTION_WORD = 6
MIN_SOUNDS = 4
# The first word plus at most this many letters is that word inflected, not a join.
INFLECTION = 3
# A sound-alike spells its word within an edit per four letters, and within two from LONG
# letters: a split often doubles or drops a letter at the seam as well as one inside ("deep
# posit" -> "deposit", "cast rel" -> "kestrel", "ex pier" -> "expiry"). Over the nineteen
# question sets' 1,731 questions these four were the only joins it added, all of words split.
LONG, SLACK_LONG = 6, 2
# Three pieces may sound one sound off a base word whose code is at least this long (the seam's
# sound: "come pen station" -> "compensation", two questions of the twenty-three sets; nothing
# else joined).
NEAR_SOUNDS = 7

# Words with their inner apostrophes, so a contraction stays one word and is never joined.
_WORD = re.compile(r"[A-Za-z]+(?:['\u2019][A-Za-z]+)*")
_LETTERS = re.compile(r"[A-Za-z]+")


class Rejoiner:
    """`texts`: the base's texts (titles, policy, approved lines, how callers ask).
    `stem(words)`: each word's index token (KnowledgeBase's FTS5 Porter stemmer)."""

    def __init__(self, texts: Iterable[str],
                 stem: Callable[[list[str]], dict[str, str]]) -> None:
        counts: dict[str, int] = {}
        for text in texts:
            for m in _LETTERS.finditer(text):
                w = m.group().lower()
                if len(w) >= MIN_LETTERS:
                    counts[w] = counts.get(w, 0) + 1
        self._words = frozenset(counts)
        # A sound code may belong to several words: the base's commonest one stands for it.
        by_sound: dict[str, tuple[int, str]] = {}
        for w, n in counts.items():
            code = jellyfish.metaphone(w)
            if (n, w) > by_sound.get(code, (0, "")):
                by_sound[code] = (n, w)
        self._by_sound = {code: w for code, (_, w) in by_sound.items()}
        # The long codes by length: a code one sound off is one longer, one shorter or as long
        # (_near_sound reads three lengths, not the base's whole vocabulary: it took 0.16 ms a
        # three-word span on 1,000 passages).
        self._long: dict[int, list[tuple[str, str]]] = {}
        for code, w in self._by_sound.items():
            if len(code) >= NEAR_SOUNDS:
                self._long.setdefault(len(code), []).append((code, w))
        self._stem = stem
        self._stop = STOPWORDS["en"]

    def mend(self, text: str) -> str:
        """`text` with split words joined (unchanged when nothing is to join)."""
        words = list(_WORD.finditer(text))
        out: list[str] = []
        pos = i = 0
        while i < len(words):
            joined = self._join_at(text, words, i)
            if joined is None:
                i += 1
                continue
            word, n = joined
            out += [text[pos:words[i].start()], word]
            pos = words[i + n - 1].end()
            i += n
        return "".join(out) + text[pos:] if out else text

    def _join_at(self, text: str, words: Sequence[re.Match[str]],
                 i: int) -> tuple[str, int] | None:
        for n in (3, 2):
            span = words[i:i + n]
            # Only plain words next to each other, with nothing but spaces between them: never
            # a contraction ("i'm moving") or a number ("one line" is not "online").
            if len(span) < n or not all(text[a.end():b.start()].isspace()
                                        for a, b in pairwise(span)):
                continue
            parts = [m.group().lower() for m in span]
            if any(not p.isalpha() or digits_for_number_words(p) != p for p in parts) or \
                    all(p in self._stop for p in parts):  # "help you with in the meantime"
                continue
            whole = "".join(parts)
            short = len(whole) < MIN_LETTERS_WITH_FUNCTION_WORD and \
                any(p in self._stop for p in parts)  # "a part" is not "apart"
            word = whole if whole in self._words and not short else self._sounds_like(parts)
            if word and self._is_join(parts, word):
                return word, n
        return None

    def _sounds_like(self, parts: list[str]) -> str | None:
        whole = "".join(parts)
        code = jellyfish.metaphone(whole)
        least = MIN_SOUNDS_WITH_FUNCTION_WORD if any(p in self._stop for p in parts) \
            else MIN_SOUNDS
        word = self._by_sound.get(code)
        if word is None and len(parts) == 3:
            word = self._near_sound(parts, code)
        if word is None or len(code) < least:
            return None
        if any(p in self._words and p in word and len(whole) - len(p) <= INFLECTION
               for p in parts):
            return None  # "per payment" is not "prepayment": a base word and an affix
        slack = max(SLACK_LONG if len(word) >= LONG else 1, len(word) // 4)
        return word if jellyfish.levenshtein_distance(word, whole) <= slack else None

    def _near_sound(self, parts: list[str], code: str) -> str | None:
        """The base word whose long code is one sound from the three pieces' `code`, spelt from
        the same first letter: a seam adds or drops a sound ("come pen station" KMPNSTXN ->
        "compensation" KMPNSXN); a word in front of a split ("my small holding": MSMLHLTNK,
        "smallholding" SMLHLTNK) starts with another letter."""
        whole = "".join(parts)
        # (the code alone is one sound off either way)
        found = [w for n in (len(code) - 1, len(code), len(code) + 1)
                 for c, w in self._long.get(n, ())
                 if w[0] == whole[0] and jellyfish.levenshtein_distance(c, code) == 1]
        return found[0] if len(found) == 1 else None

    def _is_join(self, parts: list[str], word: str) -> bool:
        """Every word of the span is part of `word`, and it is not the first words inflected
        ("need to" -> "needed"; "up grade to" -> "upgraded" is "upgrade" and "to")."""
        if all(p in self._words for p in parts):
            return False  # the base knows each word: nothing was split
        # A base word the first words already spell, plus a few letters, is that word inflected.
        heads = ["".join(parts[:k]) for k in range(2, len(parts))]
        if any(h in self._words and word.startswith(h) and len(word) - len(h) <= INFLECTION
               for h in heads):
            return False
        # The first word inflected, judged by the stemmer ("need to" -> "needed", "policy as"
        # -> "policies"); not by spelling: "can a da" is "canada". Only for the first word:
        # "install" and "instalment" share a stem, yet "in stall meant" is the second.
        first = parts[0]
        stems = self._stem([word, first])
        return stems.get(word, word) != stems.get(first, first)
