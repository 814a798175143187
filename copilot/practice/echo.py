"""What a trainee's answer repeats of the customer's own words: no credit for it.

A walk-through passed a practice call at 100 % with answers that only repeated the customer:
"When exactly do I get my money back? Within 5 business days?" was read as stating the refund's
timing, and "I want to speak to a manager." as offering one. A sentence of the answer whose
words (at least MIN_WORDS of them) are, all but a few, those of one sentence the customer said
(SHARE) is the customer's, not the trainee's: it is left out of what the answer is judged on,
fact-check and criteria alike (one judgement for the feedback and the scorecard), and the
feedback says so. A restatement with the answer in it ("You asked when you get your money back:
within 5 business days") keeps most of its words of its own, and counts.
"""

from __future__ import annotations

from collections.abc import Sequence

from copilot.knowledge.query import fold
from copilot.practice.feedback import sentences, words_of

__all__ = ["MIN_WORDS", "SHARE", "echoed", "without"]

MIN_WORDS = 3
SHARE = 0.8


def echoed(answer: str, customer: Sequence[str]) -> list[str]:
    """The sentences of `answer` that repeat a sentence of the customer's lines `customer`."""
    theirs = [set(_words(s)) for line in customer for s in sentences(line)]
    out = []
    for sentence in sentences(answer):
        words = _words(sentence)
        if len(words) >= MIN_WORDS and any(
                sum(w in said for w in words) >= SHARE * len(words) for said in theirs):
            out.append(sentence)
    return out


def without(answer: str, repeated: Sequence[str]) -> str:
    """`answer` with the sentences `repeated` left out."""
    for sentence in repeated:
        answer = answer.replace(sentence, " ", 1)
    return " ".join(answer.split())


def _words(text: str) -> list[str]:
    return [fold(w) for w in words_of(text.replace("\u2019", "'"))]
