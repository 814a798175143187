"""A rule, channel or requirement the trainee invents without a number or a promise word ("you'll
need to register the card in a store first", "the refund will come as a cheque in the post",
"it has to be done by signed letter"): the verifier sees values and promise words only, and four
answer sets written apart from it showed these as the fact-check's usual miss.

A clause is read as stating a rule when it has a cue of obligation, restriction, condition or
channel (need to, have to, must, only, unless, as long as, provided, once, first, in a store, in
writing, by post / letter / cheque / bank transfer, press N, option N, register, bring, send
us...), or of when something happens without a number ("immediately", "instantly",
"overnight", "on the spot", "the moment ...", "as soon as ...", "tonight", "from tomorrow", "at
the end of your billing cycle", "from the next billing cycle": fifteen answer sets, inventions
missed 339 -> 322, no correct answer failed; "straight away" and "same day" failed correct
ones, the trainee's own action and the caller's own words; "once" and "from tomorrow", after the
sixteenth set was run: 311 -> 308; what the caller "will need" or must have "to hand": 308 ->
302; "as soon as" and "once" not of the trainee's own next step, "as soon as I've checked"; what
anyone "will (just) ask for" or "will (also) need" and a message the caller "will get":
seventeen sets, 330 -> 322, no correct answer failed; "if" and "through" as cues failed 14 and
33 correct ones: "if you'd like", "put you through"; a scope's exclusion ("but not",
"except", "doesn't apply", "not covered") and three more channels ("direct debit", "a phone
call", "ring you back"), with a requirement read together with its purpose ("... so it's
listed on your account"): twenty-one sets, 1800 -> 1810 caught, no correct answer failed; the
twenty-first, blind, 82 -> 87 after it was read; a caveat put with "though", exclusions with
"though not", "apart from", "other than", and one way "rather than" another, with the French
reader's restrictions: twenty-three sets, 1973 -> 1988 caught, no correct answer failed; the
twenty-fourth, blind, 80 caught before and after; channels and means no passage offers, "in
the post", "we'll post you", a web chat, "on our website", a text message, a voucher or a
prepaid card: twenty-six sets, 2154 + 79 -> 2163 + 80 caught, no correct answer failed; the
twenty-seventh, blind, 80 -> 81; a claim added with "also", "as well", "on top of that", "in
addition" ("you can also pay through our voice assistant"): twenty-seven sets, 2324 -> 2336
caught, no correct answer failed; the twenty-eighth, blind, 81 -> 84).
Such a clause is an invented rule when at least MIN_UNSAID of its content words are used by none
of the call's own passages, the caller's details and the caller's words: "press 3 from the main
menu" uses the passage's words, "register your card in a store" does not ("register",
"store"). Content words are what is left once function words, number and time words, chat
shorthand and the cue words themselves are set aside. One unsaid word is not enough: a
trainee's own verb ("reach", "settle", "grab") is not a rule (on the development answers, one
word flagged 27 correct answers, two flagged none).

A question states no rule ("Could you confirm your PIN first?"). English only: a French answer
checked for its values (no translator) has a reader of its own (french_rules.py), another
language none. Private to copilot.practice.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from copilot.knowledge.query import STOPWORDS
from copilot.knowledge.verify import stem
from copilot.practice.own_lack import own_lack
from copilot.practice.said_back import said_back

__all__ = ["MIN_UNSAID", "InventedRule", "content_stems", "invented_rules", "rules_in"]

MIN_UNSAID = 2

_CUE = re.compile(
    r"\b(?:needs? to|have to|has to|had to|must|required|requires?|only|unless|as long as|first|"
    r"in (?:a|the|our|one of our) (?:stores?|shops?|branch(?:es)?)|in person|in writing"
    r"|by (?:post|mail|letter|"
    r"e-?mail|text|sms|cheque|check|bank transfer)|bank transfer|cheque|via|press \d|option \d|"
    r"register|bring|send (?:us|in)|e-?mail us|text us|signed|provided|providing|"
    # ("... by sending us a text", "one of our stores": answer set 43)
    r"sending us|"
    # (an account online, a line or a team that asks the caller for something: answer set 44)
    r"online account|(?:line|team|form|app|system) (?:also )?asks? (?:you )?for|"
    # (a voice message left for the caller: answer set 45)
    r"voice ?mail|voice message|"
    # (not the idioms "at the moment", "at the end of the day")
    r"immediately|instantly|overnight|on the spot|(?<!at )(?<!for )the moment|tonight|"
    r"at the (?:end|start) of (?!the day\b)|from the next|next billing|from tomorrow|"
    # ... but the end of the day said after what happens then ("go through at the end of the
    # day"), not as the idiom opening a clause ("..., at the end of the day it's your call")
    r"(?<=[a-z] )(?<!but )(?<!and )(?<!so )(?<!which )(?<!that )(?<!it )at the end of the day|"
    # a condition, unless it is the trainee's own next step ("as soon as I've checked")
    r"(?:as soon as|once)(?!\s+(?:i|i've|i'm|i'll|we|we've|we're)\b)|"
    # what the caller will need, or what anyone will ask of them ("the secure line will ask for
    # your billing postcode"), or have to hand (not "hand out")
    r"(?:'ll| will) (?:(?:just|also|first|then|still) )?(?:need|ask (?:you )?for|want|require)|"
    r"to hand(?!\s+\w)|"
    # a message the caller will get ("you'll get a text when the ticket's filed")
    r"you(?:'ll| will) (?:get|receive) (?:a|an)|"
    # a scope's exclusion ("the refund covers the 49 dollars but not the tax on it", "the limit
    # doesn't apply while you're roaming") and more channels ("collected by direct debit",
    # "you'll get a phone call from us", "someone will ring you back")
    r"(?:but|though|although) not|apart from|other than(?! that)|with the exception of"
    r"|not including|except|excluding|(?:doesn't|does not|won't) apply|(?:isn't|not) covered|"
    r"direct debit|call you back|ring you|a phone call|"
    # channels and means no call's passage offers without saying so ("a letter in the post",
    # "we'll post you a SIM", "our web chat can take it", "a prepaid card", "on our website")
    r"(?:we|i)(?:'ll| will)? post|(?:will|can|to) post (?:it|them|you)|in the post|courier"
    r"|web ?chat|live chat|social media"
    # (a means said as what the caller does, and a phone's own settings: "you can chase the
    # ticket by messaging our social media team", "add the tablet from your phone's settings,
    # under the Northwind menu": answer set 49; not a menu, which the passages have: "pressing 3
    # from the main menu")
    r"|by (?:messaging|e-?mailing|texting|calling|ringing|phoning|writing to|contacting"
    r"|visiting)|(?:in|from|under) (?:your|the) (?:[\w'-]+ ){0,2}settings"
    r"|(?:on|through|via) (?:our|the) website|website's|online form|contact form"
    r"|text message|prepaid card|voucher|gift card|store credit|in branch|"
    # (a counter to pay at: "at the post office with the barcode on your bill", "payment kiosks
    # in supermarkets": six answer sets invented one)
    r"post office|kiosks?|supermarkets?|"
    # (a message we send: "we send a verification code to your phone": answer set 47)
    r"(?:we|i)(?:'ll| will)? send (?:you |it to you )?(?:a|an)\b|"
    # a caveat ("..., though the tablet gets its own data allowance"; not the trainee's own
    # "though I can't promise", a feeling "though it sounds like good news", nor ", though,")
    # and one way rather than another ("added to your final bill rather than paid separately")
    r"(?<!as )(?:al)?though\s+(?!(?:i|i'm|i'd|i'll|i've|we|we'd|we'll|we're|we've)\b)"
    r"(?!it(?:'s)? (?:sounds|seems|looks)\b)(?=[a-z])|rather than|"
    # a claim added to the answer ("you can also pay through our voice assistant", "I've also
    # put a temporary block on payments", "they close your account for you as well")
    r"also|as well|on top of that|in addition)\b", re.I)
# A channel no call's passage offers, named: its own word unsaid is enough, cue or none ("you
# can also pay by card on our website": "website" the one word no passage uses; "Adding the
# tablet is done in the Northwind app" where the call's passage has no app: answer set 47), as a
# trainee's own verb is not. (The app as a cue of its own failed correct answers where the call
# has it: "you're welcome to pay in the Northwind app".)
_CHANNEL = re.compile(r"\b(?:website|web ?chat|live chat|social media|online form|contact form"
                      r"|text message"
                      r"|prepaid card|voucher|gift card|store credit|post office|kiosks?|courier"
                      r"|cheque|bank transfer|app"
                      # ("They send the transfer request to us by fax", "Some cash machines let
                      # you pay Northwind bills by card": answer set 52)
                      # (an ATM in capitals: "atm" is typed for "at the moment")
                      r"|fax|faxes|cash\s?machines?|cashpoints?|(?-i:ATMs?))\b", re.I)
# Clauses, at sentence ends, semicolons and colons, and a comma or dash before a conjunction: a
# rule is stated with its object ("register the card, then pay in the app" is one rule), and
# with its purpose: a bare "so" is no break before "(that) it / you / they ..." ("you'll need to
# give us the tablet's IMEI number so it's listed on your account": twenty answer sets, 3 more
# inventions caught, no correct answer failed), but is before the trainee's next step ("... the
# app so grab your phone", "so I'll put you through").
_CLAUSE = re.compile(r"[.!?;:]+(?=\s|$)|\n|,\s+(?:and|so|then)\s+|,?\s+but\s+(?!not\b)|\s+-\s+|"
                     r"\sso\s(?!(?:that\s)?(?:it|it's|they|they're|we|we're|you|you're|he|she)\b)",
                     re.I)
# Words that name nothing a rule could invent: the closed classes English does not add to
# (conjunctions, prepositions, quantifiers), numbers and time words (the verifier checks those
# as values), chat shorthand, the words that make a clause a rule or a next step, what is
# left of a negation cut at its apostrophe ("doesn't" -> "doesn"), and the words a trainee
# reports the policy with or says there is space with ("The rule I have says ...", "It only
# says the app is one of the places ...", "there's room for ..."; answer sets 14, 17, 19, 36
# and 55 had correct answers flagged for them). Not "side", "step", "exact", "handle", "reach"
# nor "place": tried beside these on every answer set, they passed 8 more correct answers and
# lost 12 inventions ("I'll have to unlock the overdue bill on my side first", "Once both steps
# are done", "I'll first place a payment flag on your account").
_FUNCTION = frozenset("""
since because though although unless whether inside outside within without across along
around among upon whatever whenever wherever however therefore either neither every everything
nothing anyway else ever per via plus minus less total max min maximum minimum
one two three four five six seven eight nine ten eleven twelve twenty thirty forty fifty
hundred thousand first second third last next
ur u pls plz thx def nope yup yea ya gonna gotta wanna theres thats ok okay cool great lovely
cuz coz cos tho thru
perfect fine sure absolutely definitely totally basically dont didnt doesnt cant wont isnt
day days week weeks month months year years hour hours minute minutes today tomorrow tonight
morning night evening time times
able also already always anyway back bit couple fewer keep kept stay stays stayed use using
rather straight quite pretty really actually quickly something anything someone anyone
used make made take taken give given show shown
need have must only first unless long before press option take takes moment minute make sure
just also able help want like call line pay payment phone number thing way today now right
glad sorry understand question quick stop ask going except excluding
suit suits suited
doesn isn aren wasn weren didn couldn wouldn shouldn hasn haven hadn don won mustn needn ain
remember
itself yourself themselves myself ourselves whichever
say says said policy room
""".split())
_FUNCTION_STEMS = frozenset(stem(w) for w in _FUNCTION)
# "reached by pressing 3" says how to get to what the passage has the caller press for: the verb
# adds nothing (five answer sets' correct answers, "accepted only through our automated secure
# payment line, reached by pressing 3 from the main menu", had it as an unsaid word). Reaching
# anything else is a word like any other ("before you can reach the secure payment line").
_REACHED_BY_PRESSING = re.compile(r"\breach(?:ed|es|ing)?(?=\s+(?:(?:it|them)\s+)?by\s+press)",
                                  re.I)


@dataclass(frozen=True)
class InventedRule:
    span: tuple[int, int]  # the clause, in the answer
    text: str
    unsaid: tuple[str, ...]  # its content words no passage of the call nor the caller uses


def content_stems(text: str) -> set[str]:
    """The stems of a text's content words (module docstring)."""
    return {s for w in re.findall(r"[^\W\d_]+", text.lower().replace("\u2019", "'"))
            if len(w) > 2 and w not in STOPWORDS["en"] and w not in _FUNCTION
            and (s := stem(w)) not in _FUNCTION_STEMS}


def invented_rules(text: str, said: Iterable[str]) -> list[InventedRule]:
    """The clauses of `text` that state a rule in words none of `said` (the call's passages,
    the caller's details and words) uses."""
    known: set[str] = set()
    for t in said:
        known |= content_stems(t)

    def unsaid(clause: str) -> tuple[str, ...]:
        clause = _REACHED_BY_PRESSING.sub(" ", clause)
        words = re.findall(r"[^\W\d_]+", clause.lower().replace("\u2019", "'"))
        return tuple(dict.fromkeys(w for w in words if content_stems(w) - known))

    return rules_in(text, _CLAUSE, _CUE, unsaid, _CHANNEL)


# The trainee's own next step, put first ("Let me finish what fixes it first": answer set 43).
_OWN_STEP = re.compile(r"\W*(?:(?:so|ok|okay|right|now|first)\W+)?let me\b", re.I)


def rules_in(text: str, clauses: re.Pattern[str], cue: re.Pattern[str],
             unsaid: Callable[[str], tuple[str, ...]],
             channel: re.Pattern[str] | None = None) -> list[InventedRule]:
    """The clauses of `text` (split where `clauses` matches) that have a `cue` and at least
    MIN_UNSAID `unsaid` words, or one when it names the `channel` itself: the reading shared by
    the English and French rule readers."""
    out = []
    start = 0
    for end, nxt in [*((m.start(), m.end()) for m in clauses.finditer(text)),
                     (len(text), len(text))]:
        clause = text[start:end]
        # A question states no rule ("could you confirm your PIN first?").
        plain = clause.replace("\u2019", "'")
        named = {w for m in (channel.finditer(plain) if channel else ())
                 for w in m.group().lower().split()}
        cued = cue.search(plain)
        if (cued or named) and "?" not in text[end:nxt] and not own_lack(plain) \
                and not _OWN_STEP.match(plain) and not said_back(plain):
            words = unsaid(clause)
            if cued and len(words) >= MIN_UNSAID or named & set(words):
                lead = len(clause) - len(clause.lstrip())
                out.append(InventedRule((start + lead, end), clause.strip(), words))
        start = nxt
    return out
