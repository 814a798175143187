"""What the customer stated about themselves in a practice call: the facts of their lines an
answer may repeat as an echo (the "echo" status of copilot/practice/factcheck.py), without their
questions, requests and hearsay about the policy."""

from __future__ import annotations

import re
from collections.abc import Iterable

# A customer sentence that asks or demands: its facts are wishes, not details to echo.
_ASKS = re.compile(
    r"\b(?:i want|i'd like|i would like|i need|i demand|i expect|can you|could you|"
    r"would you|will you|can i|could i|can we|please|give me|put me|je veux|je voudrais|"
    r"j'aimerais|pouvez-vous|pourriez-vous|est-ce que|pourrez-vous)\b", re.I)
_QUESTION = re.compile(
    r"^\W*(?:(?:and|so|but|then|et|alors|mais|donc)\s+)?(?:can|could|will|would|is|are|do|does|"
    r"did|was|were|when|how|what|which|why|where|who|may|shall|should|have|has|est-ce|"
    r"pouvez|pourrez|pourriez|puis|peut|quand|comment|combien|pourquoi|quel\w*|vous pourrez|"
    r"vous pouvez|si)\b|\b(?:can't|won't|couldn't|wouldn't) you\b", re.I)
_HEARSAY = re.compile(
    r"\b(?:i read|i've read|i have read|i heard|i've heard|i was told|they told me|someone "
    r"(?:said|told)|a friend (?:said|told)|forum|online|on the internet|on social media|j'ai lu|"
    r"on m'a dit|j'ai entendu)\b", re.I)


# Digits read out one by one ("the number is 4 5 3 9, 1 4 8 8"): a card or account number, whose
# digits are no values an answer may echo ("option 5 from the main menu" is no echo of it).
_DIGIT_RUN = re.compile(r"\b\d\b(?:[\s,.-]+\d\b){2,}")


def statements(lines: Iterable[str]) -> str:
    """What the customer stated about themselves, which the agent may repeat as an echo: the
    clauses of their lines that are not questions ("is there a fee for cancelling now?"),
    requests ("I want it back today") or hearsay about the policy ("I read on a forum that my
    plan only allows one device": confirming that is a promise, not an echo)."""
    out = []
    for line in lines:
        line = _DIGIT_RUN.sub(" ", line)
        for sentence in re.split(r"(?<=[.!?])\s+|\n", line):
            if _HEARSAY.search(sentence) or "?" in sentence and (
                    _QUESTION.search(sentence) or _ASKS.search(sentence)):
                continue
            out.extend(c for c in re.split(r"[,;:]\s*|\s+(?:so|but|donc|mais)\s+", sentence)
                       if c.strip() and not _ASKS.search(c))
    return "\n".join(out)
