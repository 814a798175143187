"""What the trainee says they do not have or know: it states no rule and no figure, whatever
cue or number it holds ("I don't have setup steps *to hand*", "Cancelling just *one* line isn't
something I've got anything on", "je ne sais pas comment ça se présentera"). It is the
trainee's own knowledge, as "I only have ..." is (answer_text.py). Said of "I", not "we": "we
don't have paper bills" is the company's rule. The invented-rule readers skip such a clause
(invented_rules.py), and the fact-check does not judge the facts in it (restated.no_promise,
which factcheck.py asks of every fact).

Private to copilot.practice.
"""

from __future__ import annotations

import re

__all__ = ["own_lack"]

# Also "I'm not able to promise ...", "I couldn't say", a question put first ("How your bank
# would handle that, I couldn't tell you"), and not guessing ("je préfère vous le dire plutôt
# que d'inventer"): four correct answers of the thirty-sixth answer set.
# What the trainee has to go by.
_MATERIAL = (r"(?:guidance|notes|policy|rules?|info(?:rmation)?|material|details|sheet"
             r"|script)")
_OWN_LACK = re.compile(
    r"^\W*(?:[\w']+\W+){0,3}?i(?:\s+(?:don't|do not|dont|can't|cannot|couldn't|could not"
    r"|am not able to|won't be able to)|'m not able to)\s+(?:really\s+|actually\s+)?"
    r"(?:have|know|promise|say|tell|see|confirm"
    # ("so I can't give you an answer on voicemail": answer set 55)
    r"|give\s+(?:you\s+)?(?:an|any|a\s+(?:proper|straight|clear))\s+answer)\b"
    r"|\b(?:isn't|is not|not) (?:something|smth|sth) i\b"
    r"|,\s*i\s+(?:don't|do not|can't|cannot|couldn't|could not)\s+(?:really\s+)?(?:tell|say"
    r"|know)(?:\s+you)?\s*[.!]?\s*$"
    r"|\b(?:rather than|instead of) (?:guess|guessing|mak(?:e|ing) (?:it|something|things) up)\b"
    # What the trainee has to go by does not cover it, or is not at hand, or has nothing on it;
    # a question left open ("Whose card you use isn't covered in what I've got", "What the line
    # will ask you step by step I haven't got in front of me", "I've got nothing on voicemail",
    # "no info on part payments on my side", "That one I'd have to leave open": five correct
    # answers of the thirty-eighth answer set)
    # (or by "my guidance", "the rules on devices that I've got": answer set 41)
    # ("... isn't covered in anything I have in front of me": answer set 42)
    # ("... isn't spelled out in what I have", "... i can't promise": answer set 44)
    r"|\bi\s+(?:can't|cannot|couldn't|could not)\s+promise\s*[.!]?\s*$"
    r"|\b(?:isn't|is not|not|aren't|are not)\s+(?:covered|spelled\s+out|spelt\s+out|set\s+out"
    r"|listed|mentioned)\s+(?:in|by)\s+(?:what\s+i|anything\s+i"
    rf"|my\s+(?:[\w-]+\s+)?{_MATERIAL}"
    rf"|the\s+(?:[\w-]+\s+){{0,2}}?{_MATERIAL}(?:\s+(?:on|about|for)\s+[\w-]+)?(?:\s+that)?\s+i)\b"
    # ("a last bill isn't something my notes cover", "Nothing in what I've got mentions a
    # discount", "Price is outside what I can see here", "ma consigne ne couvre que ...": answer
    # set 41)
    rf"|\b(?:isn't|is not)\s+something\s+(?:my|the)\s+(?:[\w-]+\s+)?{_MATERIAL}\s+"
    r"(?:covers?|mentions?|says?|goes\s+into|go\s+into)\b"
    # ("the policy I've got ... says nothing about voicemail": answer sets 41 and 45)
    # (or "the guidance I have": answer set 55)
    rf"|\b(?:it|(?:my|the)\s+(?:[\w-]+\s+)?{_MATERIAL}(?:\s+i(?:'ve|\s+have)?(?:\s+got)?)?)"
    r"\s+says\s+nothing\s+(?:about|on)\b"
    r"|\bnothing\s+in\s+what\s+i(?:'ve|\s+have)?\s+(?:got|have)\b"
    r"|\boutside\s+(?:of\s+)?what\s+i\s+(?:can\s+see|have|know|'ve\s+got)\b"
    r"|\b(?:ma|mes)\s+(?:consignes?|notes|fiches?|informations|règles)\s+ne\s+(?:couvre|couvrent"
    r"|dit|disent|parle|parlent|mentionne|mentionnent)\b"
    r"|\bi\s+(?:haven't|have not|don't have|do not have)\s+(?:got\s+)?(?:\w+\s+){0,2}?"
    r"(?:in front of me|to hand|on (?:my )?(?:screen|file|record|side))\s*[.!]?\s*$"
    r"|\bi(?:'ve|\s+have)?\s+got\s+(?:nothing|no\s+(?:info(?:rmation)?|details?|data))\s+on\b"
    r"|^\W*no\s+info(?:rmation)?\s+on\b"
    r"|\bi(?:'d|\s+would|'ll|\s+will)\s+have\s+to\s+leave\s+(?:(?:it|that|this|them)\s+)?open\b"
    # (what the trainee's own notes do not say, not at hand, or not to be quoted wrong: "my
    # guidance doesn't say how ...", "nothing in my notes covers receipts", "Pricing isn't in
    # front of me", "rather than quote you something wrong", "Je ne veux pas vous donner une date
    # que je ne peux pas garantir": five correct answers of the fortieth answer set)
    # (and "the information I have doesn't say", "I've nothing that compares them": answer set 42)
    # (or "I've got": "The rules I've got don't say whose card it has to be": answer set 54)
    rf"|\b(?:my\s+(?:[\w-]+\s+)?{_MATERIAL}|the\s+(?:[\w-]+\s+)?{_MATERIAL}\s+i(?:\s+have"
    rf"|'ve\s+got|\s+have\s+got|\s+got))\s+"
    r"(?:doesn't|does not|don't|do not)\s+(?:say|cover|mention|tell|give|go into|compare)\b"
    # ... or "our policy", of what it says, not of what it covers, which is the company's rule
    # ("Our policy doesn't compare the two": answer set 51)
    rf"|\bour\s+(?:[\w-]+\s+)?{_MATERIAL}\s+(?:doesn't|does not|don't|do not)\s+(?:say|mention"
    r"|tell|go into|compare|spell out)\b"
    # (and "I've nothing saying your partner has to ring us", "I haven't got anything on
    # charges for extra devices": answer set 52)
    r"|\bi(?:'ve|\s+have)\s+(?:got\s+)?nothing\s+(?:that|which|about|saying)\b"
    r"|\bi\s+(?:haven't|have\s+not|don't\s+have|do\s+not\s+have)\s+(?:got\s+)?anything\s+"
    r"(?:on|about|saying)\b"
    # (or "our": "Nothing in our device rule says where the devices have to be": answer set 53)
    rf"|\bnothing\s+in\s+(?:my|our)\s+(?:[\w-]+\s+)?{_MATERIAL}\b"
    r"|\b(?:isn't|is not|aren't|are not)\s+in\s+front\s+of\s+me\b"
    # ("... isn't smth I can speak to", "automatic payments are tbc, that's not in what I have",
    # "I have nothing on ...": answer set 43)
    rf"|\b(?:isn't|is not|not|aren't|are not)\s+in\s+(?:what\s+i\s*(?:have|'ve\s+got|got|can\s+see)"
    rf"|anything\s+i\b|my\s+(?:[\w-]+\s+)?{_MATERIAL})\b"
    r"|\bi(?:'ve|\s+have)\s+nothing\s+on\b"
    # ("Nothing I have says it has to be a particular phone", "Nothing about a cost in what I
    # have": answer set 45)
    # ("Nothing I have compares the two on speed", "I can't give you a price from what I have
    # here": answer set 49)
    r"|\bnothing\s+(?:i\s+have|i've\s+got|in\s+what\s+i\s+have)\s+(?:says|mentions|covers"
    r"|compares)\b"
    r"|\bi\s+(?:can't|cannot|couldn't|could\s+not)\s+give\s+you\s+(?:a|any)\s+(?:price|figure"
    r"|cost|date|number)\b"
    # ("Nothing in the guidance I follow asks for anything in writing, so I have no document to
    # request", "so I have no cost to confirm": answer set 46)
    rf"|\bnothing\s+in\s+the\s+(?:[\w-]+\s+)?{_MATERIAL}\s+i\s+(?:follow|have|use|go\s+by"
    r"|work\s+from|'ve\s+got)\b"
    r"|\bi(?:\s+have|'ve\s+got)\s+no\s+(?:[\w-]+\s+){1,2}?to\s+(?:confirm|quote|request|check"
    r"|give\s+you|ask\s+(?:you\s+)?for)\b"
    r"|^\W*nothing\s+(?:about|on)\s+[^.!?]*\bin\s+what\s+i(?:\s+have|'ve\s+got)\b"
    # ("The phone itself doesn't come into the fee rule I have": answer set 40)
    r"|\b(?:doesn't|does not|don't|do not)\s+come\s+into\s+(?:the|my)\s+(?:[\w-]+\s+){0,2}?"
    r"(?:rules?|policy|notes|guidance|info(?:rmation)?)\s+i(?:\s+have|'ve\s+got)\b"
    r"|\brather than (?:quote|give|tell) you (?:something|anything)"
    r" (?:wrong|incorrect|inaccurate)\b"
    r"|^\W*(?:[\w']+\W+){0,3}?je ne (?:veux|voudrais) pas vous (?:donner|promettre|avancer)\b"
    r"|\bplutôt que (?:d'inventer|de deviner)\b"
    # ("si ça figurera déjà sur la prochaine facture, je l'ignore": answer set 37)
    r"|,\s*je\s+(?:l'ignore|ne\s+(?:le\s+)?sais\s+pas|n'en\s+sais\s+rien)\s*[.!]?\s*$"
    # (in the conditional too: "Je ne saurais pas vous dire comment ...": answer set 48)
    r"|^\W*(?:[\w']+\W+){0,3}?je ne (?:sais|peux|vois|saurais|pourrais) pas\b"
    r"|^\W*(?:[\w']+\W+){0,3}?je n'ai pas\b",
    re.I)


def own_lack(clause: str) -> bool:
    """Does `clause` say what the trainee does not have or know (module docstring)?"""
    return bool(_OWN_LACK.search(clause.replace("\u2019", "'")))
