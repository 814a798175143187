"""Does the agent offer the caller something to stay? The reader behind an item with
`reader = "offers"` (docs/checklists.md), such as the demo's retention offer, which ticks only
once the customer has said they want to leave (the item's condition).

Agents put a retention offer in as many ways as there are deals ("Stay, and I'll take ten
dollars off your monthly bill", "might I offer our Business Flex bundle at two ninety, if you
remain with us?", "what if I drop you to five dollars a month while you're away?"), and the
sentence encoder hears "I'll process the cancellation now" as close to them as any. What they
share is their shape, which this reads (English only): an offer (a proposal, "what if I",
"how about", "I can offer", "if you stay", "rather than leaving", ...) and, in the same sentence
or the next one, something the caller would get (a discount, a credit, a cheaper or other plan,
something free, a price per month). On the scripts of the 229 checklist calls its word lists
were written from (in-sample, so a ceiling; BENCHMARKS.md has the blind figures): it reads 43
of the 47 agent turns written as retention offers, none of the 200 other agent turns after a
customer said they were leaving, and one of the 1,042 agent turns of calls where no one was.
"""

from __future__ import annotations

import re

from copilot.text.sentences import sentences

__all__ = ["retention_offer"]

_PROPOSAL = re.compile(
    r"\b(?:what if (?:i|we)|how about"
    r"|(?:i|we) (?:can|could|'d be glad to|would be glad to|'d like to|would like to|can also"
    r"|could also) (?:offer|give|take|knock|drop|add|move|waive|lock|bring|throw|put|switch)"
    r"|if i (?:drop|lower|bring|take|give|add|knock|put|move|cut|waive)\w*|i give you"
    r"|(?:may|might|can|could) i (?:offer|suggest|also move|move)|shall i (?:move|put|switch)"
    r"|if you (?:stay|remain|stick)|should you (?:stay|remain)|to (?:stay|keep you)|keep you"
    r"|help you stay|change your mind|would you (?:stay|stick)|(?:consider|think about) staying"
    r"|stay,? and|one more (?:go|chance)|rather than|instead of"
    r"|before you (?:go|cancel|do|leave))\b", re.I)
# What the caller would get: money off, a credit, another plan, something free, a price.
_BENEFIT = re.compile(
    r"(?:\b\d+ ?%|\b(?:percent|off|discount\w*|free|credit|cheaper|half price|same price"
    r"|lock(?:ed)? in|freeze|waive\w*|plan|bundle|upgrade|extra|on us|loyalty)\b"
    r"|\bno (?:cap|extra|cost|fee)\b|\b(?:dollars?|bucks|\d+) (?:a|per|by) month\b)", re.I)


def retention_offer(text: str) -> str | None:
    """The words of the first offer of something to the caller in `text` (module docstring),
    or None."""
    said = sentences(text)
    for i, sentence in enumerate(said):
        if not _PROPOSAL.search(sentence):
            continue
        for words in (sentence, " ".join(said[i:i + 2])):  # the deal may follow the proposal
            if _BENEFIT.search(words):
                return words.strip()
    return None
