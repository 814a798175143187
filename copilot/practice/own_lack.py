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
_OWN_LACK = re.compile(
    r"^\W*(?:[\w']+\W+){0,3}?i(?:\s+(?:don't|do not|dont|can't|cannot|couldn't|could not"
    r"|am not able to|won't be able to)|'m not able to)\s+(?:really\s+|actually\s+)?"
    r"(?:have|know|promise|say|tell|see)\b|\b(?:isn't|is not|not) something i\b"
    r"|,\s*i\s+(?:don't|do not|can't|cannot|couldn't|could not)\s+(?:really\s+)?(?:tell|say"
    r"|know)(?:\s+you)?\s*[.!]?\s*$"
    r"|\b(?:rather than|instead of) (?:guess|guessing|mak(?:e|ing) (?:it|something|things) up)\b"
    # What the trainee has to go by does not cover it, or is not at hand, or has nothing on it;
    # a question left open ("Whose card you use isn't covered in what I've got", "What the line
    # will ask you step by step I haven't got in front of me", "I've got nothing on voicemail",
    # "no info on part payments on my side", "That one I'd have to leave open": five correct
    # answers of the thirty-eighth answer set)
    r"|\b(?:isn't|is not|not|aren't|are not)\s+covered\s+(?:in|by)\s+(?:what"
    r"|the\s+(?:[\w-]+\s+){0,2}?(?:policy|rules?|notes|info(?:rmation)?|details|material"
    r"|guidance))\s+i\b"
    r"|\bi\s+(?:haven't|have not|don't have|do not have)\s+(?:got\s+)?(?:\w+\s+){0,2}?"
    r"(?:in front of me|to hand|on (?:my )?(?:screen|file|record|side))\s*[.!]?\s*$"
    r"|\bi(?:'ve|\s+have)?\s+got\s+(?:nothing|no\s+(?:info(?:rmation)?|details?|data))\s+on\b"
    r"|^\W*no\s+info(?:rmation)?\s+on\b"
    r"|\bi(?:'d|\s+would|'ll|\s+will)\s+have\s+to\s+leave\s+(?:(?:it|that|this|them)\s+)?open\b"
    r"|\bplutôt que (?:d'inventer|de deviner)\b"
    # ("si ça figurera déjà sur la prochaine facture, je l'ignore": answer set 37)
    r"|,\s*je\s+(?:l'ignore|ne\s+(?:le\s+)?sais\s+pas|n'en\s+sais\s+rien)\s*[.!]?\s*$"
    r"|^\W*(?:[\w']+\W+){0,3}?je ne (?:sais|peux|vois) pas\b|^\W*(?:[\w']+\W+){0,3}?je n'ai pas\b",
    re.I)


def own_lack(clause: str) -> bool:
    """Does `clause` say what the trainee does not have or know (module docstring)?"""
    return bool(_OWN_LACK.search(clause.replace("\u2019", "'")))
