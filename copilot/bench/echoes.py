"""Does a caption repeat what was not said? The echo check of issue 13, shared by the bench and
the tests.

Whisper can decode on past the end of the speech and say again, or paraphrase, what it has just
written ("Yes, clean. Yes, clean!" for "Yes, please."). The check looks only at the words: a
caption repeats what was not said when one of its word n-grams comes twice or more, and more often
than in what was really said. Single words when the reference has up to 3 words (a short answer
echoes as a whole: "$40. $40."), word pairs otherwise (in a longer sentence a single word such as
"the" legitimately comes back; a repeated pair is what an echoed clause leaves). Case and
punctuation are ignored.

Standard library only: tests import it without loading any engine.
"""

from __future__ import annotations

import re
from collections import Counter

__all__ = ["collapse_placeholders", "ngram_size", "repeated_unsaid", "words"]

_WORD = re.compile(r"[\w']+")
_PLACEHOLDER = re.compile(r"\[([^\[\]]*)\]")


def words(text: str) -> list[str]:
    """The words of `text`, lower case, punctuation dropped ("$40." -> ["40"])."""
    return _WORD.findall(text.lower())


def ngram_size(reference: str) -> int:
    return 1 if len(words(reference)) <= 3 else 2


def repeated_unsaid(reference: str, caption: str, n: int | None = None) -> list[tuple[str, ...]]:
    """The caption's word n-grams that come twice or more and more often than in the reference
    (in the order they first appear); [] when the caption repeats nothing that was not said.
    `n`: by default `ngram_size(reference)`; given when the texts were rewritten first (numbers
    as one word each), so the choice still follows the words that were said."""
    ref, hyp = words(reference), words(caption)
    n = n or (1 if len(ref) <= 3 else 2)
    in_ref = Counter(tuple(ref[i:i + n]) for i in range(len(ref) - n + 1))
    in_hyp = Counter(tuple(hyp[i:i + n]) for i in range(len(hyp) - n + 1))
    return [g for g, c in in_hyp.items() if c >= 2 and c > in_ref[g]]


def collapse_placeholders(text: str) -> str:
    """Each redaction placeholder ("[card ending 9903]", "[card number]") as one word.

    The live pipeline shows a placeholder where a card or code was said. Its words were not said,
    so left as words they would pair up: a number read in two breaths becomes two captions of one
    turn, "[card number] [card number]", whose pair ("card", "number") would look like an echo.
    As one word each, a placeholder still counts: the same placeholder twice in a short turn, or
    with the same words around it twice, is an echo of what was said once.
    """
    return _PLACEHOLDER.sub(lambda m: "_".join(["ph", *words(m.group(1))]), text)
