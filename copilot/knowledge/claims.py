"""A caller who reports what someone else promised: "your website said Premier customers get free
wires", "the woman at the branch told me you'd drop the fee", "I read on your site that ...".

Such a turn asks the agent to confirm a policy the caller was told, and the passage retrieval
finds is the one on that topic: the wire-fee passage, the foreign-fee passage. Its approved line
states the general rule and says nothing about the promise, so as a suggested line it reads as
an answer ("International wires cost $45") to a question it does not answer (is there an
exception for Premier customers?). Most such promises are not in the base at all: the issue that
asked for this work lists "your website said I could ..." among the questions the copilot must
abstain on. So a reported promise gets the topic's card, for the agent to check the claim
against, and never a line: grounded or silent.

A category of turn, recognised by its grammar (a source of information, then a verb of saying),
not by any topic word. English only: in another language a turn is searched as before.
"""

from __future__ import annotations

import re

__all__ = ["reports_claim"]

# Who or what told the caller: the company's channels, its people, or an unnamed "they".
_SOURCE = (r"(?:web\s?site|site|web\s?page|page|app|ad|advert(?:isement)?|commercial|e-?mail|"
           r"letter|flyer|brochure|text(?:\s+message)?|leaflet|poster|"
           r"guy|man|woman|lady|girl|person|rep|representative|agent|associate|"
           # British callers' words for a man who told them (heldout8, a UK car-hire base).
           r"chap|bloke|fella|fellow|gentleman|gent|"
           r"sales(?:man|woman|person)?|someone|somebody|staff|manager|employee|clerk|"
           r"cashier|teller|advisor|adviser|colleague|people|folks)")
# "told me to ..." is an instruction ("the guy at the store told me to call you"), not a promise.
_SAYS = (r"(?:said|says|told\s+(?:me|us)(?!\s+to\b)|tells\s+(?:me|us)(?!\s+to\b)|"
         r"promised|promises|claimed|claims|mentioned|stated|states|advertised|advertises|quoted|assured\s+(?:me|us)|"
         r"offered|showed|shows)")
_CLAIM = re.compile(
    # "your website said", "the guy at the Elm Street branch told me", "an email from you said"
    rf"\b{_SOURCE}s?\b(?:\W+\w+){{0,6}}?\W+{_SAYS}\b"
    # "I was told", "we got told", "I've been promised"
    r"|\b(?:i|we)(?:\s+was|\s+were|\s+got|'ve\s+been|\s+have\s+been|\s+had\s+been)\s+"
    r"(?:told|promised|quoted|assured|advised)\b"
    # "I read on your site", "I saw in the app that", "according to your website"
    r"|\b(?:i|we)\s+(?:read|saw|heard)\s+(?:on|in|from|at)\s+(?:your|the|an?)\b"
    r"|\baccording\s+to\s+(?:your|the)\b"
    # "they told me", "they promised"
    r"|\bthey\s+(?:told\s+(?:me|us)|promised|assured\s+(?:me|us)|said\s+(?:i|we)\b)"
    # Anyone else who told or promised: "the parking warden told me I had 60 days", "the lad at
    # reception told me ...", "one of your engineers promised ...". Callers name whoever they
    # spoke to, and no list of sources keeps up (a warden, a nurse, an engineer, a lad at
    # reception: four sets, four writers).
    r"|\b(?:the|your|a|an|one\s+of\s+your)\s+(?:[\w'-]+\s+){1,4}?"
    r"(?:told\s+(?:me|us)(?!\s+to\b)|promised|assured\s+(?:me|us))\b",
    re.IGNORECASE)


def reports_claim(turn: str, lang: str = "en") -> bool:
    """True when the turn reports a promise or statement the caller was given by someone else
    (see the module docstring)."""
    return lang == "en" and bool(_CLAIM.search(turn))
