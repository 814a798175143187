"""Does the agent offer the caller something to stay? The reader behind an item with
`reader = "offers"` (docs/checklists.md), such as the demo's retention offer, which ticks only
once the customer has said they want to leave (the item's condition).

Agents put a retention offer in as many ways as there are deals ("Stay, and I'll take ten
dollars off your monthly bill", "might I offer our Business Flex bundle at two ninety, if you
remain with us?", "what if I drop you to five dollars a month while you're away?"), and the
sentence encoder hears "I'll process the cancellation now" as close to them as any. What they
share is their shape, which this reads (English only): an offer (a proposal, "what if I",
"how about", "I can offer", "I can do", "if you stay", "rather than leaving", ...) and, in the
same sentence or the next one, something the caller would get (a discount, a credit, a cheaper
or other plan, something free, a price per month, the price they pay now). On the scripts of
the 229 checklist calls its word lists were written from (in-sample, so a ceiling; BENCHMARKS.md
has the blind figures): it reads 43 of the 47 agent turns written as retention offers, none of
the 200 other agent turns after a customer said they were leaving, and one of the 1,042 agent
turns of calls where no one was.

An offer that asks the caller to stay ("if you stay", "stick with us", "rather than leaving",
"please don't go", "before you go", "I'd hate to lose you") presumes what the condition listens
for: the caller said they would go. The recogniser often loses that turn ("I think I'm gonna
jump ship", "Pelican's got a better deal"), or the caller says it in a way no example covers;
the agent's answer to it is plainer. Such an offer (`staying_offer`) ticks the item even when
its condition was not heard (the tick says it came up, as a tick by hand does). A proposal
without those words ("might I offer you ten off?", "how about Essentials?") does not: agents
offer deals to callers who are not leaving, too. On the scripts of the 245 checklist calls
then held: 46 of the 58 agent turns written as retention offers are read so, no other agent
turn of any call (in-sample; BENCHMARKS.md has the blind figures). An offer put in the future
("I'll knock ten off", "I'll do twenty a month"), with "tell you what", or as a learner of
English puts it ("I send free signal box", "stay, please"): scripts of 565 calls, retention
offers 128 -> 130 read, no wrong tick (stop 41). The price made so ("should you remain with us,
I could make it fourteen"), and a month's price as the recognizer may write it ("40 in a
month"): blind call set 46. A price for each line ("rather than cancel, how about eight dollars
each for a year?"): blind call set 48. A rival's price matched ("I can match their twenty-four
if you stay"): blind call set 49. A plan at its price ("Might I propose Fibre Eighty at
twenty-five dollars, should you remain with us?"): blind call set 51. The price they pay now said
as a sum ("for the same 39"), a price brought down to or fixed for years, unlimited, and a line
kept ("Keep the line, and I'll put it on unlimited"), "were you to remain": blind call set 55. A
charge wiped or waived ("hang on with us and I'll wipe the fifty-four"; "wave" as the recognizer
writes "waive"): blind call set 56. "Hang in there with us", months "on the house", "renew, and
I'll ...": blind call set 63. Twice the data: blind call set 64.
"""

from __future__ import annotations

import re

from copilot.text.sentences import sentences

__all__ = ["NUMBER_WORD", "ended_deal", "proposes", "retention_offer", "staying_offer"]

# An English number word, as a script or Whisper writes a price ("thirty five a month"): for
# the readers that read prices (here, and account_facts.py).
NUMBER_WORD = (r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\w+teen"
               r"|\w+ty|hundred)")

_PROPOSAL = re.compile(
    r"\b(?:what if (?:i|we)|how about"
    # (no space before "'d": "I'd like to take twenty dollars off your next three bills")
    r"|(?:i|we)(?: can| could|'d be glad to| would be glad to|'d like to| would like to"
    r"| can also| could also) (?:offer|give|take|knock|drop|add|move|waive|wave|wipe|lock"
    r"|bring|throw"
    r"|put|switch|remove|reduce|lower|cut|halve|match|freeze|upgrade)"
    r"|if i (?:drop|lower|bring|take|give|add|knock|put|move|cut|waive)\w*|i give you"
    # the same in the future, and as a learner of English puts it ("I'll add back the missed
    # forty-five", "I send free signal box", "I move you to Silver Sixty"); "tell you what"
    r"|(?:i|we)(?:'ll| will) (?:add|take|knock|drop|give|throw|waive|lower|cut|do you"
    r"|do (?:it|you) for|bump (?:you|it|that)|wipe"
    # (a plan, not where a charge goes: "I'll put it on unlimited", not "on your bill")
    r"|put (?:you|it|that|the line) on (?!(?:(?:your|the|a|my|this) )?(?:bill|account|card"
    r"|statement|hold|record|file|system|list|speaker|mute|line)\b))"
    r"|i (?:send|move|put|make) you\b|i send (?:a |an |you )?free|tell you what"
    # "I can do twelve months at five dollars a month off", "I can do you a deal" (a deal
    # named by its terms; not "I can do it now, no fee", "anything else I can do")
    r"|(?:i|we) can do (?:you )?(?:an? |\d|" + NUMBER_WORD + r"\b)"
    r"|let me (?:knock|take|give|drop|lower|bring|add|waive|lock|throw|put you|move you)"
    r"|(?:may|might|can|could) i (?:offer|suggest|propose|also move|move)"
    # ("Then allow me to propose the same Duo at forty-four", "I'll hold you at twenty, two years
    # fixed": blind call set 60)
    r"|allow me to (?:offer|suggest|propose)|let me (?:offer|suggest|propose)"
    r"|(?:i|we)(?:'ll| will| can| could) hold (?:you|it|that|the price)"
    r"|shall i (?:move|put|switch)"
    r"|if you (?:stay|remain|stick)|should you (?:stay|remain)|to (?:stay|keep you)|keep you"
    r"|help you stay|change your mind|would you (?:stay|stick)|(?:consider|think about) staying"
    r"|stay,? and|one more (?:go|chance)|rather than|instead of"
    # ("Let me make it up to you: 40 bucks off your next bill if you give us another shot":
    # blind call set 60)
    r"|(?:another|one more) (?:go|chance|shot|try)|make it up to you"
    r"|before you (?:go|cancel|close|do|leave|switch))\b", re.I)
# What the caller would get: money off, a credit, another plan, something free, a price.
_BENEFIT = re.compile(
    r"(?:\b\d+ ?%|\b(?:percent|off|discount\w*|free|credit|cheaper|half price|same price"
    r"|lock(?:ed)? in|freeze|waive\w*|plan|bundle|upgrade|extra|on us|loyalty)\b"
    r"|\bno (?:cap|extra|cost|fee)\b|\bon the house\b"
    # (more of what they have: "if you stay with us I can do Street Talk Plus at twenty-two with
    # twice the data": blind call set 64)
    r"|\b(?:twice|double|triple|more) (?:the |your )?(?:data|speed|gigs|minutes|allowance)\b"
    # the price they pay now kept on a better plan ("... with Wi-Fi calling at the forty price",
    # "Breeze Max, full speed, for what you pay now")
    r"|\bat (?:the|your) (?:[\w$]+ )?price\b|\b(?:for|at) what you(?:'re)? pay(?:ing)? now\b"
    # (a price as the recognizer may write it: "40 in a month"; or the price made so: "should
    # you remain with us, I could make it fourteen")
    r"|\b(?:dollars?|bucks|\d+|" + NUMBER_WORD + r") (?:in )?(?:a|per|by) month\b"
    r"|\bmake it (?:\$\s?\d|\d|" + NUMBER_WORD + r"\b)(?![\d.,:]*\s*(?:am|pm|a\.m|p\.m|o'clock"
    r"|working|business|days?|hours?|minutes?|weeks?|times?)\b)"
    r"|\b(?:dollars?|bucks|\d+|" + NUMBER_WORD + r") less\b"
    # (the price they pay now, said as a sum, a price brought down, or fixed: "I'll bump you up to
    # Fiber Pro for the same 39", "I knock it down to eighteen", "at 52 fixed for two years":
    # blind call set 55)
    r"|\b(?:for|at) the same (?:\$\s?\d|\d|" + NUMBER_WORD + r"\b)"
    r"|\b(?:knock|bring|drop|take)\w* (?:it|that|this|you|the (?:price|bill|cost)) down to\b"
    # (fixed, as the recognizer may write it: "fix two years": blind call set 65)
    r"|\bfix(?:ed)? (?:for )?(?:a|one|two|three|\d+) (?:years?|months?)\b|\bunlimited\b"
    r"|\b(?:a|one|two|three|\d+)[- ](?:years?|months?)[- ]fixed\b"
    # (a charge wiped or waived, as the recognizer writes "waive" too: "hang on with us and I'll
    # wipe the 54", "I could wave the broadband for six months": blind call set 56)
    r"|\b(?:wipe|wave) (?:the|that|this|your) (?:[\w$-]+ ){0,2}?(?:charge|fee|bill|call|cost"
    r"|broadband|rental|balance|amount|\$?\d[\w.]*|" + NUMBER_WORD + r")\b"
    # (a rival's price matched: "I can match their twenty-four if you stay": blind call set 49)
    r"|\bmatch (?:their|that|the|this|his|her) (?:price|offer|deal|quote|\$?\d|" + NUMBER_WORD
    + r"\b)"
    # (a price for each line: "rather than cancel, how about eight dollars each for a year?")
    r"|(?:\$\s?\d[\d.]*|\b(?:dollars?|bucks))\s+(?:each|apiece|a line|per line|a sim|per sim)\b"
    # (a plan at its price: "Might I propose Fibre Eighty at twenty-five dollars, should you
    # remain with us?": blind call set 51; an amount, not a time: "at five")
    r"|\bat (?:\$\s?\d|(?:\d[\d.]*|" + NUMBER_WORD + r"(?:[- ]" + NUMBER_WORD
    + r")?) (?:dollars?|bucks)\b)"
    # (or a plan named, at a bare price: "may I propose Fibre Ninety at twenty-four", written
    # "Fiber 90 at 24": blind call set 65; not a time, "suggest the engineer comes at five")
    # (or put on: "stay put and I'll pop you on Shore Talk Lite at twenty")
    r"|\b(?:propose|suggest|offer|(?:put|pop|move|switch)\s+you\s+(?:on|onto|to|over\s+to))"
    r"\s+(?:you\s+)?(?!(?:monday|tuesday|wednesday|thursday|friday"
    r"|saturday|sunday|today|tomorrow|january|february|march|april|may|june|july|august"
    r"|september|october|november|december|noon|midday|the)\b)(?-i:[A-Z][\w-]*)"
    r"(?:\s+(?-i:[A-Z\d][\w-]*)){0,3}\s+at\s+(?:\$\s?\d|\d|" + NUMBER_WORD + r"\b)"
    r"(?![\d.:]*\s*(?:am|pm|a\.m|p\.m|o'clock)\b))",
    re.I)


# Words that ask the caller to stay, so presume they said they would leave (see the module
# docstring). "Stay on the line", "stay on Essentials", "stay connected" ask nothing of the kind.
_STAYING = re.compile(
    # (also as a learner of English puts it: "If you are staying with us, I give you Unlimited")
    r"\b(?:if you(?:(?:'ll| will| decide to| choose to| agree to)? (?:stay|remain|stick)"
    r"|(?:'re| are) (?:staying|remaining|sticking))"
    r"(?!\s+(?:on\s+(?!board\b)\w+|in|at|within|under|connected|signed|logged|online|home|till"
    r"|until)\b)"
    r"|should you (?:stay|remain)(?!\s+(?:on|in|at|within|under)\b)"
    # ("hang in there with us, and your next two months are on the house", "Renew, and I'll do
    # nineteen a month": blind call set 63)
    r"|(?:stay|stick|remain|hang on|hang in there) with (?:us|northwind)"
    r"|(?:stay|remain|renew|stay put),? and (?:i|we)\b"
    # ("Keep the line, and I'll put it on unlimited", "Were you to remain with us, I could ...",
    # which the recognizer wrote "Where you to remain": blind call set 55)
    r"|keep (?:the|your|this) (?:line|account|contract|service|broadband),? and (?:i|we)\b"
    r"|(?:were|where) you to (?:stay|remain)\b"
    r"|(?:rather than|instead of) (?:leav|cancel|end|go|switch|port|clos|mov|terminat|tak)\w*"
    r"|(?:don't|do not) (?:go|leave|cancel|switch)\b|please,? (?:don't|do not)\b"
    r"|(?:not|don't|do not) leave us|before you (?:go|leave|cancel|switch|do)\b"
    r"|please,? stay\b|\bstay,? please"
    r"|(?:hate|sorry|sad) to (?:lose you|see you go)|keep you (?:with us|as a customer|on board)"
    r"|for staying(?!\s+on\s+(?:the\s+line|hold))\b"
    r"|change your mind|would you (?:stay|stick|remain)|(?:consider|think about) staying"
    r"|one more (?:go|chance))", re.I)


def proposes(text: str) -> bool:
    """Whether `text` puts something to the caller ("I could take ...", "may I suggest ...",
    "if you stay"): an offer's words, whatever they name."""
    return bool(_PROPOSAL.search(text) or _STAYING.search(text))


def retention_offer(text: str) -> str | None:
    """The words of the first offer of something to the caller in `text` (module docstring),
    or None. An offer that asks the caller to stay is one too ("stick with us and I'll throw in
    a free charger")."""
    return _offer(text, _PROPOSAL) or staying_offer(text)


def staying_offer(text: str) -> str | None:
    """The words of the first offer in `text` that asks the caller to stay, so presumes they
    said they would leave (module docstring), or None."""
    return _offer(text, _STAYING)


# Taking a payment, not money off ("I can take that off your card today").
_PAYMENT = re.compile(r"\btak\w* (?:(?:it|that|this|the \w+|[\w$.]+(?: dollars)?) )?"
                      r"(?:off|from) (?:your|the) (?:card|bank|debit|credit)\b", re.I)


def _offer(text: str, proposal: re.Pattern[str]) -> str | None:
    said = sentences(text)
    for i, sentence in enumerate(said):
        if not proposal.search(_PAYMENT.sub(" ", sentence)):
            continue
        # The deal may follow the proposal, or come just before it ("there's a plan at thirty
        # dollars. Shall I move you onto it?").
        for words in (sentence, " ".join(said[i:i + 2]), " ".join(said[max(i - 1, 0):i + 1])):
            if _BENEFIT.search(words):
                return words.strip()
    return None


# A deal the caller had, said to have ended ("Your welcome discount finished in May", "your
# half price offer is finish in May", "the promo rate expired last month"): the account's
# history, told before any offer, which the examples hear as close to one as an offer.
_ENDED = re.compile(
    r"\b(?:discount|offer|deal|promo\w*|price|rate|bundle|credit)s?\b[^.?!]{0,40}?"
    r"\b(?:ended|finished|finish(?:es)?|expired|ran out|run out|stopped|(?:is|was|are|were) over"
    r"|came to an end|has gone|went up)\b", re.I)


def ended_deal(text: str) -> bool:
    """`text` tells the caller a deal they had has ended, offering nothing in its place: no
    retention offer, however close its words come to the examples (tracker: readers.VETOES)."""
    return bool(_ENDED.search(text)) and not proposes(text)
