"""Does the agent tell the caller a fact of their own account? The reader behind an item with
`reader = "account-facts"` (docs/checklists.md), such as the demo's "discuss the account only
after the caller is verified".

Examples cannot cover that item: any fact of any account counts ("your line was suspended on
Monday", "two lines on Unlimited Plus, contract ended in May", "balance is one dollar twenty"),
and such sentences are no closer in meaning to each other than to a request for the account
number. What they share is their shape, which this reads (English only):

- a statement: not a question, not a request ("may I have your account number", "read me the
  PIN"), not an offer ("what if I took ten dollars off your bill") nor an instruction ("dial one
  two one from your phone");
- about the caller's account: second person ("your bill", "you're on", "you're registered for",
  "you've been with us", "you owe", "you're eligible", "you're paid up"), someone on it ("his line", "she used
  ..."), the agent reading it ("I can see", "looking at", "on file", "our records show", "we
  have it recorded as", "the address we've got for you", "the card ending ...", "the number
  you're calling from", "pulling it up"), what is left to pay ("eighteen payments left"), or
  read off the screen tersely, a bare account noun opening a clause ("Balance is one dollar twenty",
  "Balance eighteen dollars", "Next bill is twenty-five", "August bill was not sent", "Plan's
  Essentials", "Broadband's at nine Quarry Lane", "two lines on Unlimited Plus");
- with a concrete detail: a number, a date or time ("on Monday", "in May", "from the ninth",
  "since", "ago"), a status ("locked", "suspended", "paid off", "unpaid", "declined",
  "disabled", "pending", "out for delivery", "in good standing", "booked", "opened", a line
  test's "no fault"; what is left of a credit or an allowance: "six dollars credit left"), what
  the records say ("our record says we sent you a standard SIM", "the repair notes say ..."),
  or a plan, holder or kind
  named ("you're on Talk Plus", "the plan is Basic", "in the name of Laura Bennett", "your
  landline's a Dunmore number": a capital after them), or a feature's setting as found or
  what it reaches ("your spam filter is on strict", "the activation lock was still on",
  "you're on email bills", "your add-on covers landlines only"; not "you're on." nor "on the
  way"). "Today" and "this month" are no such
  date: greetings and offers of help use them ("thanks for calling today, your call may be
  recorded").

Without a word of whose account it is, a date with a sum or a status, said of what happened
(a past tense, "since", "due"), is still the account's fact: what was charged, or what
happened, and when ("The caller tune started in March, three dollars a month", "the card we
tried on the first was declined"). Policy and offers are told otherwise ("Roaming in Europe
costs five dollars a day", "the deal ends on Sunday, twenty dollars off"). Nor is the first answer
after the check the account's when it tells what anyone pays or gets (a rate per minute or day, a
zone, "our shortest broadband is ...", "every phone Northwind sells"): the policy the caller asked
about (_POLICY).

A statement that ends by asking the caller to confirm it ("..., is that still right?", "...
since March, yeah?") or runs on into another question ("... since twenty nineteen, so can I
take the account number?", "I've got you at twelve Park Street, what's the new one?") is read
up to that question; one read back with the voice rising, which Whisper writes with a question
mark ("You've got two gigs left this month?"), is read whole when it opens like a statement of
what the caller has or is on.

Clauses that say what the agent or a colleague will do ("I'll send a new one", "I shall close
it", "she'll call you") or could ("I can have it enabled on your line") or has just done ("I've
unlocked the PIN on your account": match.reports_done, as for examples), what holds under a
condition ("once the SIM is active, ..."), or what they offer ("I can give her Talk Mobiles,
five dollars more", and the terms after an offer's question: offers.py), are set aside first:
they state no fact of the account as it was found. On the scripts of the 245 checklist calls
its word lists were first written from, and the 16 of a blind set run once (in-sample, so a
ceiling; BENCHMARKS.md has the blind figures): it read 211 of the 264 agent turns written to
discuss the account (179 of 236 before the tags, plans, bare nouns and dated sums above), and
one of the 1,052 agent turns that do not.
"""

from __future__ import annotations

import re

from copilot.assist.checklist.match import reports_done
from copilot.assist.checklist.offers import NUMBER_WORD, proposes, retention_offer
from copilot.text.sentences import sentences
from copilot.text.spoken_numbers import find_runs

__all__ = ["account_fact", "asks", "first_answer"]

# A sentence that asks for something, offers or instructs: whatever it names, it tells the
# caller no fact ("Could you read me the account number on your bill?").
_REQUEST = re.compile(
    r"\b(?:may i|can i|could i|could you|can you|would you|will you|what's|what is|i'll need"
    r"|i need|i'd need|give me|read me|tell me|let me have|what if|offer|if you stay"
    r"|if you stick|would you like|dial|press|hold down)\b", re.I)
# A clause about what someone will do, or may: an action or a promise, not the account's state.
_FUTURE = re.compile(r"\b(?:i'll|we'll|it'll|you'll|he'll|she'll|they'll|we will|you will"
                     r"|i will|i shall|we shall|i can knock|i'll waive|i'll take"
                     r"|(?:i|we|you) (?:can|could) (?:have|get))\b", re.I)
_CONDITION = re.compile(r"\W*(?:if|once|when|unless|as soon as)\b", re.I)
_CLAUSE = re.compile(r"\s*[,;:]\s+|\s+(?:and|but|so|which)\s+", re.I)
# Whose account: the caller's, someone's on it, or what the agent reads on it.
_WHOSE = re.compile(
    # ("you're" only with what the account is: "you're on Basic", not "you're through to ...")
    r"\b(?:your|you(?:'re| are) (?:on|in|still|paying|due|over|under|signed|logged|registered"
    r"|set up|enrolled|opted|paid up|all paid|up to date|behind|in arrears)|you've|you have"
    r"|you had"
    r"|you were|you used|you joined"
    r"|you moved|you went|you got|you owe|you(?:'re| are) eligible|we've got (?:you|for you)"
    r"|(?:number|line|card) ending|the account|that account|this account|his|her|their|he|she"
    # (the caller's number as the agent names it: "Wi-Fi calling's off on this number. Since the
    # twentieth of March": blind call set 69; not "calls on this line are recorded")
    r"|(?:on|for) this number"
    # what is left of an allowance or a credit is the account's ("six dollars credit left")
    r"|(?:credit|data|gigs?|minutes|texts|days|payments) left"
    # the line they call from ("the number you're calling from is on Pay Per Minute")
    r"|(?:number|line|phone) you(?:'re| are) calling (?:from|on)"
    r"|i (?:can )?see|found you|looking at|shows?|it says|on file|we have you|i've got"
    # the account brought up on the screen ("okay pulling it up right twenty calls to ...")
    r"|(?:pulling|bringing) (?:it|that|you|your \w+|the account) up"
    # what the account's records say: "our record says ...", "we have it recorded as ..."
    r"|(?:our|the|my) records? (?:says?|shows?|has)|(?:system|we have it) recorded"
    # ... or the record of one of the caller's dealings ("the repair notes say ...", not "the
    # release notes say ...")
    r"|(?:our|the|my) (?:repair|service|order|delivery|engineer's|engineer|billing|payment"
    r"|case|ticket|claim) (?:notes|history|log|records?) (?:says?|shows?|has))\b",
    re.I)
_WHEN = re.compile(
    r"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february|march"
    r"|april|june|july|august|september|october|november|december|yesterday"
    # "May" the month, not the modal ("before I access the account may have ...")
    r"|(?:in|since|of|from|until|till|by|last|next) may|may \d+|\d+(?:st|nd|rd|th)? (?:of )?may"
    r"|this morning|last (?:week|month|night|year|trip|bill)|since|ago"
    r"|(?:on|from|since|until|till|by) the (?:first|second|third|\w+th|\d+(?:st|nd|rd|th)))\b",
    re.I)
# (what a named record says too: "the repair notes say it was reset", "the account history
# shows two payments", "the engineer's log shows no fault")
_RECORD = re.compile(r"\b(?:your (?:[\w-]+ ){0,2}(?:says|shows|lists|notes|reads)"
                     r"|(?:our|the) (?:[\w'-]+ )?(?:records?|notes|history|log) "
                     r"(?:says?|shows?|lists?|notes?|reads?))\b", re.I)
_SCREEN = re.compile(r"\bI (?:can )?see (?:here |on (?:the|my) screen )?(?:that )?(?:[\w'-]+ ){0,4}?"
                     r"(?:on )?your (?:line|account|number|plan|bill|contract|phone|sim|balance"
                     r"|add-on|bundle|tablet|broadband|mobile)\b", re.I)
_STATUS = re.compile(
    r"\b(?:locked|blocked|suspended|closed|cancell?ed|active|expired|paid off|missed"
    r"|rejected|stuck|issued|posted|billed|charged|barred|switched (?:on|off)"
    r"|turned (?:on|off)|registered|flagged|overdue|owing|outstanding|in credit"
    r"|in contract|out of contract|(?:un)?paid|not (?:sent|received)"
    r"|disabled|enabled|(?:de|re)?activated|pending|on hold|on backorder|backordered"
    r"|out for delivery|dispatched|delivered|in good standing|switch(?:ed)? (?:on|off)"
    r"|booked|scheduled|opened|no faults?"
    # (what the account is free of: "Plough Track, five a month, no contract, nothing owing":
    # blind call set 65)
    r"|no contract|nothing (?:owing|owed|outstanding|to pay))\b", re.I)
# A tag that asks the caller to confirm what was just said ("..., is that still right?",
# "... since March, yeah?"): the statement before it is told all the same.
_TAG = re.compile(r"[\s,]*\b(?:is that (?:still )?(?:right|correct)|yeah|right|correct|yes|no"
                  r"|isn't it|ok(?:ay)?)\?\s*$", re.I)
# A statement with a question mark, said as one (the agent reads the account back, its voice
# rising, and Whisper writes "?": "You've got two gigs left this month?", "So you're on
# Soundloft Solo for 99 a month?": two blind sets): it opens, after a filler or two, with what
# the caller has or is on, not with a verb or a question word.
_DECLARED = re.compile(
    r"^(?:(?:so|okay|ok|right|thanks|thank you|yeah|yep|great|perfect|um|uh|oh|and|like|lovely"
    r"|cheers|now)[,.!]?\s+)*(?:you've got|you have|you(?:'re| are) (?:on|in|still|paying)"
    r"|(?:your|his|her|their) [\w'-]+(?:'s|(?: still| now| already)? (?:is|was|are|were)"
    r"| (?:still|now|already) (?:has|had)))\b", re.I)
# A run-on statement that ends by asking something else ("... since twenty nineteen, so can I
# just take the account number?", "I've got you at twelve Park Street, what's the new one?"):
# the statement is what was said before that question.
_THEN_ASKS = re.compile(
    r"^(.*\S)(?:[\s,]+so\s+[^,]*|,\s+(?:what|where|when|which|who|how)\b[^,]*)\?\s*$", re.I)
# A plan named after "on" (case counts: a product's name), the account's own detail when
# said of the caller: "you're on Unlimited Plus", "his line's on the Junior plan".
_PLAN = re.compile(r"\b(?:[Oo]n (?:the )?|(?:plan|tariff|package)(?:'s| is) (?:the )?"
                   r"|in the name of |is under )[A-Z][\w+-]*"
                   # a kind of plan the caller is on, described ("you're on a rolling monthly
                   # plan": blind call set 50)
                   r"|(?i:you(?:'re| are) (?:still )?on an? (?:[\w-]+ ){1,3}(?:plan|contract"
                   r"|tariff|package)\b)"
                   # a kind of number or line named ("your landline's a Dunmore number"; not an
                   # acronym explained: "your PUK is a PIN Unlock Key")
                   r"|(?:'s|\bis) an? (?!Northwind\b)[A-Z][a-z][\w-]* (?:number|line|plan|account"
                   r"|tariff|contract|package|SIM)\b")
# Read off the screen, tersely: a bare account noun opening a clause ("Balance is one dollar
# twenty", "Plan's Essentials, twenty-two a month", "two lines on Unlimited Plus").
_BARE = re.compile(r"(?:^|,\s)(?:(?:(?:next|last|january|february|march|april|may|june|july"
                   r"|august|september|october|november|december) )?"
                   r"(?:balance|plan|contract|bill|account|line|broadband|order|excess|allowance)"
                   r"(?:'s|\s+(?:is|was|ended|ends|runs|expired|expires))\b"
                   # (a line named between: "One line, the shop phone, on Counter Basic":
                   # blind call set 65)
                   r"|(?:one|two|three|four|five|\d+) lines?(?:,\s+[^,.?!]{1,30},)?\s+on\b"
                   # a sum right after it: "Balance eighteen dollars", "Bill $42.10"
                   r"|(?:balance|bill|payment)\s+(?:\$\s?\d|\d|" + NUMBER_WORD + r"\b))", re.I)
# A sum: with a date, what an account was charged and when ("three dollars a month, since March").
_MONEY = re.compile(r"(?:\$\s?\d|\b(?:dollars?|bucks|cents?|pounds?|euros?)\b|\b(?:a|per) month\b)",
                    re.I)
# ... said of what happened ("started", "was declined", "since"), not of an offer's terms ("the
# deal ends on Sunday, twenty dollars off", "from March it goes up to forty-nine a month").
# (A past tense's "-ed", not "need", "speed" or "unlimited".)
# (and the irregular pasts of use: "Last month you made calls to Tasmania, eighteen minutes at
# eighty cents a minute": blind call set 65)
_HAPPENED = re.compile(r"\b(?:since|ago|was|were|owe|due|came|went|bought|paid|sent|got|took"
                       r"|made|had|spent|rang|ran"
                       r"|(?!(?:un)?limited\b)\w+[^e\W]ed)\b", re.I)
# A feature's setting as found ("your spam filter is on strict", "the activation lock was still
# on, like, your cloud account"), or what it reaches ("your add-on covers landlines only"): not
# "on the way", "on your bill".
_SETTING = re.compile(
    r"\b(?:is|was|are|were|'s|'re)\s+(?:(?:still|now|already)\s+(?:on|off)\b|set\s+to\s+\w+"
    # a bare "on" needs its setting after it: "you're on." is "you're connected"; not the call
    # itself ("you're on mute", "on speaker", "on hold")
    r"|(?:on|off)\s+(?!(?:the|a|an|your|my|our|its|his|her|their|this|that|hold|to|mute|muted"
    r"|speaker\w*|loudspeaker|silent)\b)[a-z])"
    r"|\b(?:covers?|includes?|works?)\b[^.,;]{0,30}\bonly\b|\bonly (?:covers?|includes?|works?)\b",
    re.I)
# What anyone pays or gets, told as it is to every caller: a rate for each use ("calls $2 a
# minute", "$10 a day"), a zone, or what "our" range has ("our shortest broadband is FlexFiber, 28
# a month"), not the account's (not "our records"): after the check, such a first answer is the
# policy the caller asked about (three "no details" calls of blind call sets 53-55).
# (anywhere in the caption: "Faroe Islands is Zone 3. Calls 150 the minute.", and a price a
# product starts at: "Data SIM starts at $8 a month": blind call set 57)
_POLICY = re.compile(r"\b(?:a|per|each)\s+(?:minute|min|day|text|message|gig|gigabyte|gb|mb"
                     r"|megabyte)\b|\bthe\s+(?:minute|min|text|message|gig|gigabyte)\b"
                     r"|\bzone\s+(?:\d|one|two|three|four|five|six)\b"
                     r"|\bstart(?:s|ing)?\s+(?:at|from)\b"
                     r"|\bour\s+(?:\w+est|cheapest|plans?|range|deals?|tariffs?|bundles?|packages?"
                     r"|offers?)\b"
                     # (or every one of a kind: "Every phone what Northwind sells is unlocked",
                     # written "Every phone with Northwind cells": blind call set 58; not the
                     # caller's: "every phone on your account")
                     r"|\b(?:every|all\s+(?:the|our))\s+(?:\w+\s+)?(?:phones?|handsets?|plans?"
                     r"|sims?|customers?|routers?)\b(?![^.?!]{0,25}\byour?\b)"
                     # (or what the company has not: "A pause of the plan we do not have":
                     # blind call set 60; not the caller's, "we don't have your new address")
                     r"|\bwe\s+(?:do\s+not|don't|dont)\s+(?:have|offer|do)\b"
                     r"(?![^.?!]*\b(?:you|your)\b)"
                     # (or what it does for anyone who asks: "For big crowds we bring a mast on
                     # a trailer": blind call set 65; not what was done, "we sent")
                     r"|\bwe\s+(?:usually\s+|always\s+|normally\s+)?(?:bring|provide|supply"
                     r"|lend|offer)\b"
                     # (or how many a feature takes: "One number rings up to five phones at
                     # once": blind call set 67; not a date the account is paid to, "paid up to
                     # the twentieth")
                     r"|\bup\s+to\s+(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten"
                     r"|twelve|twenty|fifty|a\s+hundred)\b(?![-\s]*(?:th|st|nd|rd)\b)"
                     # (or on what terms anyone gets it: "broadband moves free with two weeks'
                     # notice": blind call set 68; not notice the caller gave, "you gave us")
                     r"|\bwith\s+(?:\w+\s+){0,2}?(?:days?|weeks?|months?)['\u2019]?\s+notice\b", re.I)
# "your four-digit PIN" names the PIN's shape, not a fact of the account; nor is the greeting
# "you're through to Linus", which Whisper writes "your three to Linus" (blind call sets 44, 52).
_NO_FACT = re.compile(r"\b(?:four|4|six|6)[- ]digits?\b"
                    r"|\byou(?:'re|r| are)\s+(?:three|through|thru)\s+to\b", re.I)


def account_fact(text: str) -> str | None:
    """The words of the first sentence of `text` that tell the caller a fact of their account
    (module docstring), or None."""
    return _fact(text, answering=False)


def first_answer(text: str) -> str | None:
    """The agent's first words after the caller was verified (the tracker knows when): the
    statement with a concrete detail that answers what the check was for, whoever it names
    ("Two lines, both without contract, so no fee for closing", "Cheers. Yep, three roaming
    days this month, about eighteen bucks": no "your", no date of what happened).
    The agent verifies the caller in order to tell them about their account, so the first thing
    told after it is the account's, as "your ..." would say; an offer is not (a sentence that
    proposes anything is left out whole). Only that first caption: over the scripts of the 357
    checklist calls it read 20 more account turns for 3 that were not (the second caption after
    it: 29 for 30)."""
    return _fact(text, answering=True)


def asks(sentence: str) -> bool:
    """`sentence` asks, requests or offers (a question, "please tell me the PIN and the email
    on the account"), and tells no fact of the account before it does ("You've been with us six
    years, so I could waive ... if you stay on" does): whatever account words it names, it tells
    the caller nothing. The veto of the item's examples (readers.VETOES): in blind call set 52 a
    request came 0.54 close to them; over every script, eight such false ticks."""
    if _statement(sentence) is not None:
        return False
    sentence = sentence.replace("\u2019", "'")  # as _statement reads it
    request = _REQUEST.search(sentence)
    return request is None or account_fact(sentence[:request.start()]) is None


def _statement(sentence: str) -> str | None:
    """`sentence` as a statement (a tag or a question run on after it left out), or None when
    it asks, requests or offers."""
    sentence = _TAG.sub(".", sentence.replace("\u2019", "'"))
    m = _THEN_ASKS.match(sentence)
    if m:
        sentence = m.group(1)
    if sentence.rstrip().endswith("?") and not _DECLARED.match(sentence.strip()):
        return None
    return None if _REQUEST.search(sentence) else sentence


def _fact(text: str, answering: bool) -> str | None:
    said = sentences(text.replace("\u2019", "'"))
    answering = answering and not _POLICY.search(text)
    for i, whole in enumerate(said):
        sentence = _statement(whole)
        if sentence is None:
            continue
        if i and proposes(said[i - 1]) and retention_offer(" ".join(said[i - 1:i + 1])):
            continue  # an offer's terms ("May I suggest Number Keeper? Three dollars a month ...")
        if answering and proposes(sentence):
            continue  # "I could move you to Fibre Solo: no line rental, four dollars less"
        kept = ", ".join(c for c in _CLAUSE.split(sentence) if c and not _FUTURE.search(c)
                         and not _CONDITION.match(c) and not reports_done(c)
                         and not proposes(c))
        plain = _NO_FACT.sub(" ", kept)
        whose = answering or _WHOSE.search(plain) or _BARE.search(plain)
        detail = (_has_number(plain) or _WHEN.search(plain) or _STATUS.search(plain)
                  or _PLAN.search(plain) or _RECORD.search(plain) or _SCREEN.search(plain)
                  or _SETTING.search(plain))
        dated = _WHEN.search(plain) and _HAPPENED.search(plain) and (
            _MONEY.search(plain) or _STATUS.search(plain))
        if (whose and detail) or dated:
            return kept.strip()
    return None


def _has_number(text: str) -> bool:
    """A number other than the word "one", which is a pronoun as often as a count ("texted you
    a new one")."""
    return any(not (r.digits == "1" and text[r.start:r.end].strip().lower() == "one")
               for r in find_runs(text)[0])
