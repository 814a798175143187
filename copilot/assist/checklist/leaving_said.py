"""Leaving said outright, in an idiom or as a step of leaving (copilot/assist/checklist/leaving.py
reads the rest, leaving_others.py what others have and do): "you've lost me", "it's time we
parted company", "consider this my notice", a switching code asked for, "this will be my last
bill with you"; and asking why they should stay at all (WHY_STAY). And what is no leaving but a
change to what they have with us (CHANGING_WITH_US: leaving.staying). English only.
"""

from __future__ import annotations

import re

__all__ = ["CHANGING_WITH_US", "SAID_OUTRIGHT", "WHAT_WE_GIVE", "WHY_STAY"]

# What we give a caller, which leaving ends ("the lot": everything, as British callers say it).
WHAT_WE_GIVE = (r"(?:contract|account|service|line|lines|landline|agreement|broadband|everything"
                r"|lot)")
# Us, as a cross caller names us in an idiom ("give you lot the boot"), and as the recognizer
# writes our name too ("sent north wind packing": blind call set 64; "Northland").
# ("... staying with North when much longer": blind call set 69)
_US = r"(?:you|you\s+lot|north\s?wind|northland|north\s+when|your\s+company)"

SAID_OUTRIGHT = re.compile(
    r"\byou've lost me\b|\bi'm gone\b|\bready to walk\b|\bjump(?:s|ed|ing)? ship\b"
    # (and "call it a day with you lot": blind call set 54; not "let's call it a day")
    r"|\bcall(?:ing)? it quits\b|\bcall(?:ing)? it a day with (?:you|northwind)\b"
    r"|\btime (?:i|we) shop(?:ped)? around\b|\bi'll shop around\b"
    # ("I've no use for Northwind after this month": blind call set 72)
    rf"|\b(?:no|not\s+any)\s+(?:more\s+|further\s+|longer\s+)?(?:use|need)\s+for\s+{_US}\b"
    r"|\bvot(?:e|ing) with (?:my|our) feet\b|\bwon't see (?:me|us) for dust\b"
    rf"|\bpull(?:ing)? (?:the|a) plug"
    rf"(?: on (?:(?:my|the|this|our)\s+)?(?:\w+\s+)?{WHAT_WE_GIVE})?\s*[.!]"
    r"|\bdone with (?:you|northwind|this company|your company)\b"
    # ("I'm about ready to throw in the towel with you lot": blind call set 51; not with a router)
    r"|\bthrow(?:ing|n)? in the towel with (?:you|northwind|this company|your company)\b"
    # ("Honestly, I think you and me have run our course": blind call set 52; not a problem's,
    # "the outage has run its course")
    # (as the recognizer wrote it too: "thank you in me have run our course")
    r"|(?:\bhave|'ve)\s+run\s+our\s+course\b(?!\s+(?:on|in|for|of|at)\b)"
    # a code to take the number to another company, asked for ("There's a Pochard SIM in my
    # glovebox. I just need the code for my number": blind call set 51; not a PUK, a PIN or a
    # security code, nor a voicemail's)
    r"|\b(?:pac|stac|porting|port-?out|switching)\s+code\b"
    # ("Do I need a code to take my number across?": blind call set 54)
    # (or asked of us for them: "they need some code from you to bring my number": blind call
    # set 61)
    r"|\b(?:the|a|some)\s+code\s+(?:from\s+(?:you|northwind)\s+)?(?:for|to\s+(?:move|take|port"
    # ("Bluethroat said I need a code to bring the number": blind call set 62)
    r"|keep|bring|transfer|switch))\s+(?:my|our|the)\s+(?:numbers?|lines?)\b"
    # notice given ("Consider this my notice.": blind call set 53)
    r"|\bconsider\s+this\s+(?:my|our)\s+notice\b"
    r"|\b(?:i'm|we're|i am|we are)\s+giving\s+(?:you\s+)?(?:my|our)\s+notice\b"
    r"|\b(?:don't|do not) want to be (?:your|a) customer\b"
    r"|\b(?:don't|do not) want (?:this|my|the) (?:contract|account|service) any ?more\b"
    r"|\b(?:leave|leaving) (?:you|northwind)\b"
    # ("Frankly, it's time we parted company", "I think this bill will be my last one with
    # you": blind call set 50; not a partner who left: "we parted company last year")
    r"|\btime\s+(?:we|i)\s+part(?:ed)?\s+(?:company|ways)\b"
    r"|\bwe(?:'ll|'re| will| are| should)\s+part(?:ing)?\s+(?:company|ways)\b"
    r"|\b(?:(?:will|'ll|is going to)\s+be|this\s+is)\s+my\s+last\s+(?:one|bill|month|payment)"
    r"\s+with\s+(?:you|northwind)\b"
    # ("So I suppose this is me saying cheerio to you", "I'm ready to give you lot the boot": blind
    # call set 56; not a goodbye at the call's end, "I'll say goodbye then")
    r"|\bthis\s+is\s+(?:me|us)\s+saying\s+(?:cheerio|goodbye|good-bye|bye|farewell|ta-ta)"
    r"\s+to\s+(?:you|northwind)\b"
    rf"|\bgiv(?:e|ing)\s+{_US}\s+the\s+(?:boot|elbow|push)\b"
    # ("I'm ready to give you lot the elbow", heard "give you lots of elbow": blind call set 70)
    # (not a car's "lots of boot space")
    r"|\bgiv(?:e|ing)\s+you\s+lots\s+of\s+(?:the\s+)?(?:boot|elbow)\b"
    r"(?!\s*-?\s*(?:space|room|grease))"
    # ("I'm about ready to kick you lot to the kerb", written "kick you lot-to the curb"; "I'm
    # halfway out the door": blind call set 58; said of the caller, not a door: "I was halfway out
    # the door when you rang" is in the past)
    rf"|\bkick(?:s|ed|ing)?\s+{_US}[\s-]+to\s+the\s+(?:curb|kerb)\b"
    # ("Honestly, I've half a mind to pack you lot in": blind call set 59; not a job or a habit)
    rf"|\bpack(?:ing)?\s+{_US}\s+in\b"
    # ("It's high time I sent Northwind packing": blind call set 64)
    rf"|\bsen(?:d|ds|t|ding)\s+{_US}\s+packing\b"
    # ("I'm about ready to bow out of Northwind": blind call set 65)
    rf"|\bbow(?:ing)?\s+out\s+of\s+{_US}\b"
    # ("I'm about ready to give Northwind its marching orders"; "its number is going to live with
    # Blackcap", the name heard "black": blind call set 66; not a line's own number moved)
    rf"|\bgiv(?:e|ing)\s+{_US}\s+(?:its|their|your|the|his|her)\s+marching\s+orders\b"
    r"|\bnumbers?\s+(?:is|are|'s|'re)\s+going\s+to\s+live\s+with\s+(?!(?:my|our|the|a|an|me"
    r"|us|you|him|her|them)\b)\w+"
    # ("so we're finished with the line in the old barrier": blind call set 62; not a test of it)
    rf"|\b(?:we're|i'm|we\s+are|i\s+am)\s+(?:\w+\s+)?(?:finished|done)\s+with\s+(?:the|our|my"
    rf"|this|that)\s+(?:[\w'-]+\s+){{0,2}}?{WHAT_WE_GIVE}\b"
    r"(?!\s+(?:check|checks|test|tests|install\w*|engineer|set-?up|fault|repair)\b)"
    # ("Me and Northwind have reached the end of the road": blind call set 63; not a phone's or
    # a repair's end)
    r"|\b(?:me\s+and\s+(?:you|you\s+lot|northwind|\w+)|you\s+and\s+(?:me|i)|we|i)(?:\s+have|'ve)"
    r"\s+(?:reached|come\s+to|hit)\s+the\s+end\s+of\s+the\s+road\b"
    r"(?!\s+(?:with|on|for)\s+(?:the|this|that|it|fixing|troubleshoot\w*|repairs?)\b)"
    # ("I'm about ready to jack it in with you lot": blind call set 61; not a job)
    rf"|\bjack(?:s|ed|ing)?\s+it\s+(?:all\s+)?in\s+with\s+{_US}\b"
    # ("I'm about ready to show you lot the door": blind call set 60)
    rf"|\bshow(?:ing)?\s+{_US}\s+the\s+door\b"
    # ("my phone contract is up at the end of the month, and I've already got something else
    # lined up": blind call set 60; said of a contract, a deal or a provider, not a Friday)
    r"|\b(?:contract|deal|provider|network|broadband|line)\b[^.?!]*\b(?:got|have|found)\s+"
    r"(?:something|someone|somebody|somewhere|another\s+\w+)\s+(?:else\s+)?lined\s+up\b"
    r"|\b(?:i'm|i am|we're|we are)\s+(?:\w+\s+)?(?:half\s*-?way|one\s+foot)\s+out\s+(?:of\s+)?"
    r"the\s+door\b"
    # ("It's time Northwind and I went our separate ways", heard "time North went in and I went
    # our separate ways": blind call set 67; not a couple who did, "my ex and I went our
    # separate ways")
    r"|\btime\s+(?:[\w']+\s+){0,5}?went\s+our\s+separate\s+ways\b"
    r"|\bwe(?:'ll|'re\s+going\s+to|\s+will|\s+should)\s+go\s+our\s+separate\s+ways\b"
    # ("Every month you charge my kimchi shop a late fee ... Time I cut my losses, I think",
    # "I won't carry on with you after that": blind call set 68; not losses on a phone, nor
    # carrying on with a repair)
    r"|\btime\s+(?:i|we)\s+cut\s+(?:my|our)\s+losses\b(?!\s+(?:on|and\s+(?:buy|get|fix))\b)"
    rf"|\b(?:won't|will\s+not|not\s+going\s+to|don't\s+want\s+to)\s+(?:carry\s+on|stay|continue"
    rf"|stick\s+around)\s+with\s+{_US}\b"
    # ("That's the last straw, I'm ready to cut the cord with Northwind": blind call set 69;
    # not a charger's cord)
    rf"|\bcut(?:ting)?\s+the\s+cord\s+with\s+{_US}\b"
    # ("I'm about ready to cut ties with you lot", "I need whatever code lets me move it": blind
    # call set 57)
    r"|\bcut(?:ting)?\s+ties\s+with\s+(?:you|northwind|this company|your company)\b"
    # ("Honestly, I'm this close to hanging up on Northwind for good": blind call set 71; not a
    # call hung up on)
    rf"|\b(?:hang(?:s|ing)?\s+up\s+on|walk(?:s|ing)?\s+away\s+from|finished\s+with|through\s+with)"
    rf"\s+{_US}\s+for\s+good\b"
    # ending what we give, in other words ("our Northwind account needs winding up"; "the cash
    # booth's phone line can retire along with it": blind call set 71; not a repair's need, "the
    # line needs checking")
    rf"|\b{WHAT_WE_GIVE}\s+needs?\s+(?:winding\s+up|closing(?:\s+down)?|cancell?ing"
    rf"|shutting\s+(?:down|off)|terminating|disconnecting)\b"
    rf"|\bwind(?:ing)?\s+up\s+(?:the|our|my|this|that)\s+(?:[\w'-]+\s+){{0,2}}?{WHAT_WE_GIVE}\b"
    rf"|\b(?:the|our|my|that|this|its)\s+(?:[\w'-]+\s+){{0,3}}?{WHAT_WE_GIVE}\s+"
    rf"(?:can|could|should|will|may|is\s+going\s+to)\s+(?:now\s+)?retire\b"
    r"|\bcode\s+(?:that\s+)?lets?\s+(?:me|us)\s+(?:move|take|port|keep|bring|transfer|switch)\b"
    # ("I'm this close to washing my hands of Northland", the recognizer's name for us: blind
    # call set 55; not of a problem: "I wash my hands of it")
    r"|\bwash(?:es|ed|ing)?\s+(?:my|our)\s+hands\s+of\s+(?:you|northwind|this company"
    r"|your company|(?-i:(?!(?:It|This|That|The|Them|Him|Her)\b)[A-Z][\w-]+))\b", re.I)
# Asking why they should stay at all ("Why should I stay with a company like that?", "it makes me
# wonder why I'm still with you lot": two writers): leaving, though "stay with" in it reads as
# not (leaving.py's _NOT_NOW). Not staying in for an engineer.
# ("So convince me. Why should I stick around with Northwind?": blind call set 53)
# ("Tell me why I should carry on with Northwind at all?", which the recognizer wrote "why it
# should": blind call set 55)
# ("I struggle to see why we ought to remain with Northwind": blind call set 69)
WHY_STAY = re.compile(r"\bwhy\s+(?:(?:should|would)\s+(?:i|we)|(?:i|we|it)\s+(?:should|ought\s+to))"
                      r"\s+"
                      # ("So why would I stick it out with Northwind after that?": blind call
                      # set 60)
                      # (or renew: "why should I renew with Northwind at all?": blind call
                      # set 63)
                      r"(?:stay|stick\s+around|stick\s+it\s+out|stick|carry\s+on|remain|renew)"
                      r"(?:\s+with\b|\s*(?:[?.!,]|$))"
                      # (or what staying gets them: "What am I getting for staying with
                      # Northwind?": blind call set 54)
                      r"|\bwhat\s+(?:am\s+i|are\s+we|do\s+i|do\s+we|would\s+i|would\s+we)"
                      r"\s+(?:getting|get)\s+for\s+staying\b"
                      # (or go on paying: "Why should I keep paying you?", two writers of two
                      # blind sets; not for a thing: "why should I keep paying for roaming?")
                      r"|\bwhy\s+(?:should|would|do)\s+(?:i|we)\s+(?:keep|go on|carry on)"
                      r"\s+paying(?:\s+(?:you|northwind|you lot))?\s*(?:[?.!,]|$)"
                      r"|\bwhy\s+(?:i'm|am i|we're|are we|i am|we are)\s+still\s+with\s+"
                      r"(?:you|northwind)\b"
                      # ("what's the point of me staying with you lot?": blind call set 52)
                      r"|\bwhat'?s\s+the\s+point\s+(?:of|in)\s+(?:me\s+|us\s+|my\s+|our\s+)?"
                      r"staying(?:\s+with\s+(?:you|northwind)\b|\s*(?:[?.!,]|$))"
                      # ("is there any reason we should still be with Northwind?": blind call
                      # set 57)
                      r"|\b(?:any|what)\s+reason\s+(?:why\s+)?(?:i|we)\s+should\s+(?:still\s+)?"
                      r"(?:be|stay)\s+with\s+(?:you|northwind|this company|your company|\w+)\b"
                      # ("So what reason have I got to stay with Northwind?": blind call set 56)
                      r"|\bwhat\s+reason\s+(?:have\s+(?:i|we)\s+got|do\s+(?:i|we)\s+have"
                      r"|is\s+there)\s+to\s+stay(?:\s+on)?(?:\s+with\b|\s*(?:[?.!,]|$))"
                      # ("Why should I keep you on?": blind call set 59)
                      r"|\bwhy\s+(?:should|would)\s+(?:i|we)\s+keep\s+(?:you|you\s+lot|northwind)"
                      r"\s+on\b"
                      # ("What's Northwind doing to keep me?": blind call set 58)
                      r"|\bwhat(?:'s|\s+is|\s+are|\s+will|\s+would|\s+can)\s+(?:you|northwind"
                      r"|you\s+lot|your\s+company)\s+(?:going\s+to\s+)?(?:do|doing|offer"
                      r"|offering|give|giving)\s+(?:me\s+|us\s+)?to\s+keep\s+(?:me|us)\b"
                      # ("So tell me what's keeping me with you": blind call set 61)
                      # ("Honestly, what keeps me with Northwind?", heard "Northland": blind
                      # call set 65)
                      rf"|\bwhat(?:'s|\s+is)?\s+keep(?:s|ing)\s+(?:me|us)\s+with\s+{_US}\b"
                      # ("Honestly, what's the case for me staying with Northwind?": blind
                      # call set 62; "the case with me staying" as the recognizer heard it)
                      r"|\bwhat(?:'s|\s+is)\s+the\s+(?:case|argument)\s+(?:for|with)\s+"
                      r"(?:me|us|my|our)\s+staying\b"
                      # ("Frankly, you'll have to talk me out of leaving": blind call set 67;
                      # not out of a purchase)
                      r"|\btalk\s+(?:me|us)\s+out\s+of\s+(?:leaving|going\s+elsewhere"
                      r"|switching|moving\s+to\s+\w+)\b"
                      # (or to be argued out of it: "Convince me not to move them somewhere
                      # else": blind call set 70; not of a purchase, "convince me not to buy
                      # the case")
                      r"|\b(?:convince|persuade)\s+(?:me|us)\s+(?:not\s+to\s+(?:leave|switch"
                      r"|walk|go\s+elsewhere|(?:move|take|port)\s+(?:[\w-]+\s+){0,3}?"
                      r"(?:somewhere|elsewhere|away|over\s+to|across\s+to))"
                      r"|to\s+stay(?:\s+with\b|\s*(?:[?.!,]|$)))"
                      # (or doubted: "I don't see my phone staying with Northwind much longer",
                      # heard "with North when": blind call set 69; not a guest's stay)
                      rf"|\b(?:don't|do\s+not|can't|cannot)\s+see\s+(?:my|our|me|us)\s+"
                      rf"(?:[\w-]+\s+)?staying\s+with\s+{_US}\b"
                      # ("Give me one good reason to stay with Northwind": blind call set 50)
                      r"|\b(?:give|tell)\s+me\s+(?:one|a|any)\s+(?:good\s+)?reason\s+"
                      r"(?:to|why\s+(?:i|we)\s+should)\s+stay(?:\s+with\b|\s*(?:[?.!,]|$))", re.I)


# Changing something they have with us, not leaving: a kind of plan, contract, payment or phone
# as where they go ("I'd like to switch to a contract", "I want to leave pay-as-you-go", "I'm
# switching phones"), or a contract's end said as a fact ("My contract ends soon."). The examples'
# meaning match read each as leaving (0.52-0.81 on scripts of four sets); the reader, which runs
# when a veto drops that match, still hears a caller who goes elsewhere ("I'm moving to a SIM-only
# deal with another network").
CHANGING_WITH_US = re.compile(
    r"\b(?:switch|chang|mov|go|upgrad)\w*\s+(?:over\s+)?(?:to|onto)\s+(?:an?\s+|the\s+|our\s+)?"
    r"(?:[\w-]+\s+)?(?:contract|plan|tariff|bundle|package|monthly|e-?sim|handset)\b(?!\s+with\b)"
    r"|\b(?:switch|chang)\w*\s+(?:phones|handsets|sims|plans|tariffs|contracts)\b"
    r"|\bleav\w*\s+(?:pay[- ]as[- ]you[- ]go|payg|prepaid|prepay|my (?:current )?plan)\b"
    # (a SIM moved to another phone of theirs, an add-on ended, an account that is with us:
    # "my SIM moved to a new phone", "cancel my international calling add-on", "put it on their
    # business account with you")
    r"|\b(?:sim|number)\s+(?:was\s+|got\s+|has\s+been\s+)?moved\s+(?:over\s+)?to\s+(?:a|my|the|his"
    r"|her|another)\s+(?:new\s+|other\s+)?(?:phone|handset|device|mobile)\b"
    r"|\bcancel\w*\s+(?:my|the|our|this|that)\s+(?:[\w-]+\s+){0,3}?(?:add-?ons?|bolt-?ons?|bundles?"
    r"|pass(?:es)?|insurance|boosts?|subscriptions?)\b"
    r"|\b(?:account|plan|contract)\s+with\s+(?:you|us|northwind)\b"
    # (an account's web login closed: "close my account, the online one": blind call set 72)
    r"|\bclos\w*\s+(?:my|the|our)\s+(?:(?:online|app|web)\s+account\b|account[,\s]+(?:the\s+)?"
    r"(?:online|app|web|log-?in)\b)"
    r"|^\W*(?:my|our|the)\s+(?:contract|deal|agreement)\s+(?:ends|is ending|runs out|finishes"
    r"|expires|is up)(?:\s+(?:soon|today|tomorrow|(?:next|this)\s+\w+|in\s+\w+(?:\s+\w+)?"
    r"|on\s+the\s+\w+))?\s*[.?!]?\s*$", re.I)
