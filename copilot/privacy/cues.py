"""The words around a number that say what it is: cue patterns ("card number", "CVV" and the
ways a phone line's recognizer writes it, "social security", "order number"...), the expiry date
after "expires", and the phrases that announce a number being read out. Used by
copilot/privacy/redaction.py, which decides what to mask.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from copilot.text.run_kinds import Mask

__all__ = ["CODE_REACH", "CUE_REACH", "CUES", "DIGITS_AND_LETTER", "READ_OUT", "Cue",
           "expiry_masks", "find_cues", "reach_of"]

# ---- cues -------------------------------------------------------------------------------------
# Words that tell what the next number is.
SSN_CUE = r"""
    (?:\b(?:my|your|the|his|her|their)\s+)?social\s+security(?:\s+(?:number|no\.?))?
  | \b(?:my|your|the|his|her|their)\s+social\b
  | (?<![a-z])s\.?\s?s\.?\s?n\b\.?
  | \btax(?:payer)?\s+id(?:entification)?(?:\s+number)?
  | \bitin\b
"""
SECURITY_CUE = r"""
    security\s+(?:code|number|digits)
  | (?<![a-z])(?:c\.?\s?[vb]\.?\s?[vb2]|c\.?\s?v\.?\s?c|c\.?\s?s\.?\s?c)\.?(?:\s?2)?(?![a-z])
    # CVV CVC CV2 CSC, and CVV as a phone line's recognizer writes it: CBB, CBV, CVB
  | card\s+verification(?:\s+(?:value|code|number))?
  | (?:three|four|3|4)[\s-]+(?:digits?|numbers?)\s+(?:on|at|from|in)\s+the\s+(?:back|front)
  | (?:the\s+)?last\s+(?:three|four|3|4)\s+on\s+the\s+back
  | (?:three|four|3|4)[\s-]+digit\s+(?:security\s+)?code
  | (?:code|number|digits)\s+on\s+the\s+(?:back|front)
"""
# Other kinds of numbers. The nearest cue wins, so "my account number is ..." said after a
# mention of a card is not taken for a card number.
OTHER_CUE = r"""
    \b(?P<word>account|acct|order|phone|mobile|cell|telephone|reference|ref|confirmation
      |ticket|case|zip|postal|post\s?code|member(?:ship)?|policy|tracking|routing
      |extension|ext|invoice|serial|imei|iccid|sim(?:\s+card)?|claim
      |transaction|booking)\b(?P<noun>\s+(?:number|no\.?|id|code))?
  | \bcustomer\s+(?:number|no\.?|id)\b
"""
# Kinds of numbers that are everyday nouns too ("Northwind Mobile, how can I help?", "my phone
# keeps dropping calls"): without "number" after them they name the number that follows them in
# the same caption, but are not remembered as a question still waiting for one.
_EVERYDAY_KINDS = frozenset(
    "account order phone mobile cell telephone ticket case member membership policy claim "
    "transaction booking confirmation".split())
# Only with a card in context (see analyze): "... 1111, code 123", "the code is one two three",
# and the ways a caller names the code without saying so ("the three on the back are 737",
# "and on the back, 737", "the back says 737", "the little number is 737", "security 737",
# "CV 737", its PIN), which alone name other things too.
CODE_CUE = (r"\bcode\b|\b(?:on\s+)?the\s+back\b|\bsecurity\b(?!\s+(?:question|check|reasons?))"
            r"|\bcv\b|\bpin\b|\blittle\s+numbers?\b")
CARD_CUE = r"""
    \b(?:credit|debit|visa|master\s?card|amex|american\s+express)\b
  | \bcard\b(?:\s+(?:number|no\.?|num))?
  | \blong\s+number\b
"""
# Checked in this order; a later match that overlaps an earlier one is dropped: "social security
# number" is an SSN cue, "card verification" a security cue, "SIM card" is no card cue.
CUES = [
    (kind, re.compile(pattern, re.I | re.X))
    for kind, pattern in (
        ("ssn", SSN_CUE),
        ("security_code", SECURITY_CUE),
        ("other", OTHER_CUE),
        ("card", CARD_CUE),
        ("code", CODE_CUE),
    )
]
# "expires oh four twenty eight", "expiry 04/28", "expiration date is April 2028", "valid thru":
# with a card in context, the date that follows is masked.
# (Also "valid to", "good until", "end date", "runs out", "the date is": the expiry date is the
# only date a card has.)
EXPIRY_CUE = re.compile(
    r"\b(?:exp(?:ir(?:es|ed|y|ation|ing))?(?:\s+date)?|valid\s+(?:thru|through|until|till|to)"
    r"|good\s+(?:thru|through|until|till|to)|end\s+date|runs?\s+out|date)\b\.?", re.I)
MONTH = (r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
          r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?")
NUMBER_WORD = (r"zero|oh|o|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
                r"|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty"
                r"|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|first|second|third"
                r"|\w+th"
                # as Whisper writes "oh", "four", "two", "eight" in a date ("expires all for 28")
                r"|all|for|to|too|ate")
# A letter glued to digits is a misheard "oh" ("expires l9 27", "o9/27").
DATE_TOKEN = re.compile(rf"\s*(?:[a-z]?\d+|{MONTH}|{NUMBER_WORD}|[/-]|of)\b\.?", re.I)
DATE_LEAD = re.compile(r"(?:\s*(?:date|is|it's|on|in|at|the|:|,|let me see|um|uh|so|okay))*",
                       re.I)
DATE_MAX_TOKENS = 6
# "Let me read it: ...": a number about to be read out, whatever it is. A partial hides its
# digits (the recognizer may have lost the first ones: "four oh one two" heard as "for all one
# two"); the final shows what the rules allow.
READ_OUT = re.compile(r"\b(?:let me read (?:it|that|them|you)|i'?ll read (?:it|that|them)"
                       r"|here (?:it is|goes)|reading (?:it|them) (?:out|off))\b", re.I)
DIGITS_AND_LETTER = re.compile(r"\b(\d{2,})([A-Za-z]{1,2})\b")
CUE_REACH = 8  # words between a cue and its number ("card number? Um, yes, it's 4111...")
# A security code is looked for further: the caller turns the card over first ("the CVV is, uh,
# hold on, let me flip it over, 737"; an adversarial probe of the redactor). Only a run of up to
# four digits with no other cue between takes it (analysis.analyze).
CODE_REACH = 16


def reach_of(kind: str) -> int:
    """How many words after a cue of `kind` its number may come."""
    return CODE_REACH if kind == "security_code" else CUE_REACH


@dataclass(frozen=True)
class Cue:
    kind: str
    start: int
    end: int
    virtual: bool = False  # remembered from an earlier caption, placed at a caption start
    waits: bool = True  # may wait for its number in a later caption (see _EVERYDAY_KINDS)




def find_cues(text: str) -> list[Cue]:
    found: list[Cue] = []
    taken = bytearray(len(text))  # characters already inside a cue of an earlier kind
    for kind, pat in CUES:
        for m in pat.finditer(text):
            if not any(taken[m.start() : m.end()]):
                word = m.groupdict().get("word")
                bare = word is not None and m.group("noun") is None
                found.append(Cue(kind, m.start(), m.end(),
                                 waits=not (bare and word.lower() in _EVERYDAY_KINDS)))
        for c in found:
            taken[c.start : c.end] = b"\x01" * (c.end - c.start)
    return sorted(found, key=lambda c: c.end)


def expiry_masks(text: str) -> list[Mask]:
    """The date after each expiry cue: month names, digits and number words, at most
    DATE_MAX_TOKENS of them and six digits (a card's digits read on after it stay the card's)."""
    out = []
    for cue in EXPIRY_CUE.finditer(text):
        pos = DATE_LEAD.match(text, cue.end()).end()
        start = end = None
        digits = 0
        for _ in range(DATE_MAX_TOKENS):
            m = DATE_TOKEN.match(text, pos)
            if m is None:
                break
            digits += sum(ch.isdigit() for ch in m.group())
            if digits > 6:
                break
            token = m.group().strip()
            if start is None:
                start = m.start() + (len(m.group()) - len(m.group().lstrip()))
            if token not in ("/", "-"):
                end = m.start() + len(m.group().rstrip(". "))
            pos = m.end()
        if start is not None and end is not None and end > start:
            out.append(Mask("expiry", ((start, end),)))
    return out
