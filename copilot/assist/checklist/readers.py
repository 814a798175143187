"""Built-in readers an item may name with `reader = "..."` (docs/checklists.md; the names the
file format accepts are format.READER_NAMES, one for each reader here): for items
whose ways of being said no list of examples covers, a rule on the shape of what the agent says
ticks the item besides its examples. Each takes a caption's text and returns the words that say
it, or None."""

from __future__ import annotations

from collections.abc import Callable

from copilot.assist.checklist.account_facts import account_fact, asks, first_answer
from copilot.assist.checklist.leaving import leaving, staying
from copilot.assist.checklist.offers import ended_deal, proposes, retention_offer, staying_offer

__all__ = ["ANSWERING", "PRESUMING", "READERS", "VETOES"]

READERS: dict[str, Callable[[str], str | None]] = {
    "account-facts": account_fact,  # a fact of the caller's account told to them
    "offers": retention_offer,  # something offered to the caller to stay
    "leaving": leaving,  # the customer says they are leaving (for a condition)
}

# Readers of a conditional item whose words also say its condition came up: an offer that asks
# the caller to stay presumes they said they would leave (offers.py), so it ticks the item even
# when the condition was not heard.
PRESUMING: dict[str, Callable[[str], str | None]] = {
    "offers": staying_offer,
}

# Readers of an item that comes `after` another, as they read the agent's first caption once that
# item is done: what the agent tells a caller they have just verified is the account's
# (account_facts.first_answer).
ANSWERING: dict[str, Callable[[str], str | None]] = {
    "account-facts": first_answer,
}


def _told_not_offered(text: str) -> bool:
    """`text` tells the caller what they have (a deal ended, or a fact of their account: "your
    plan is eighteen dollars, and last month you used forty minutes") and puts nothing to them
    (blind call set 50: two such false offers once the callers' leaving was read)."""
    return (ended_deal(text) or account_fact(text) is not None) and not proposes(text)


# Readers that know what their item (or condition) is not, however close the words the examples
# found come to them: a deal said to have ended or a fact of the account told is no offer ("Your
# welcome discount finished in May" came within the offer's keyword floor of its examples, as
# did "you're on a rolling monthly plan"), a caller who says they are not leaving does not bring
# retention up, and a request tells no fact of the account, whatever account words it names.
VETOES: dict[str, Callable[[str], bool]] = {
    "account-facts": asks,  # "Please tell me the PIN and the email on the account."
    "offers": _told_not_offered,
    "leaving": staying,  # "I'm not leaving Northwind, by the way" (a condition's examples)
}
