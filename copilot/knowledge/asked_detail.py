"""A contact detail the caller asks for, which a passage must hold to answer: a number to call
("What's the phone number for the Roadside Services Arbiter?"), an email address, a web address.

A passage on the right topic often lacks the detail itself: the complaints passage names the
arbiter but gives no number, the scams passage says where to forward a text but not a number to
ring. Its approved line then reads as an answer to a question it does not answer. So when the
caller asks for such a detail and the first passage holds none of that form, it gets a card, no
line (KnowledgeBase.cards_for): grounded or silent. Over the twenty-six question sets of stop 60
(2,361 questions) two asked for a number to call; both got a wrong line from a passage with no
number in it, and no right line was lost.

The kind of answer asked for is read from the question's grammar, not from any topic word ("what's
the phone number for ...", "what number do I ring", "the number to call"); a question about the
caller's own number ("Can I change my phone number?") asks for none. English only.
"""

from __future__ import annotations

import re

__all__ = ["asked_detail", "holds_detail"]

_ASKED = {
    "phone": re.compile(
        r"\bwhat(?:'s|\s+is|\s+are)\s+(?:the|their|your)\s+(?:(?:phone|telephone|contact|helpline"
        r"|hotline)\s+)?numbers?\s+(?:for|of|to\s+(?:call|ring|dial|reach|contact))\b"
        r"|\bwhat\s+(?:phone\s+)?number\s+(?:do|should|can|would)\s+(?:i|we)\s+(?:call|ring|dial"
        r"|phone)\b"
        r"|\b(?:which|what)\s+number\s+(?:to|(?:i|we)\s+(?:need|have)\s+to)\s+(?:call|ring|dial)\b"
        r"|\bnumber\s+(?:i|we)\s+can\s+(?:call|ring|dial)\b", re.I),
    "email": re.compile(
        r"\bwhat(?:'s|\s+is)\s+(?:the|their|your)\s+e-?mail(?:\s+address)?\b"
        r"|\b(?:which|what)\s+e-?mail\s+address\s+(?:do|should|can)\b", re.I),
    "web": re.compile(
        r"\bwhat(?:'s|\s+is)\s+(?:the|their|your)\s+(?:web\s*site(?:\s+address)?|web\s+address"
        r"|url)\b", re.I),
}
# What holds each: a phone number (six digits or more, in groups), or a short code to call
# ("call 150", "ring 0800 ..."); an email address; a web address.
_HOLDS = {
    "phone": re.compile(r"\+?\d[\d ()-]{4,}\d|\b(?:call|ring|dial|text|phone)\s+(?:us\s+on\s+)?\d{3,}",
                        re.I),
    "email": re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+"),
    "web": re.compile(r"\bwww\.|https?://|\b[\w-]+\.(?:com|co\.uk|org|net|uk|ie|io|gov|eu)\b", re.I),
}


def asked_detail(turn: str, lang: str = "en") -> str | None:
    """The kind of contact detail `turn` asks for ("phone", "email", "web"), or None."""
    if lang != "en":
        return None
    turn = turn.replace("\u2019", "'")
    return next((kind for kind, asked in _ASKED.items() if asked.search(turn)), None)


def holds_detail(kind: str, text: str) -> bool:
    """Whether `text` (a passage's) holds a detail of that kind."""
    return bool(_HOLDS[kind].search(text))
