"""Facts for the running summary: identifiers and reference codes (after a cue, or spelled as
letters and digits), amounts, dates, timings, plan names and redaction placeholders (copied as
they are, never read). A value read from a word the recognizer was unsure of is marked for the
agent to confirm (the rule of every summary line: summary_lines.heard_unsure)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from copilot.assist.summary_lines import _PLACEHOLDER, CONFIRM, Line, _words, heard_unsure
from copilot.text.spoken_numbers import find_runs, is_amount


@dataclass(frozen=True)
class Fact:
    label: str  # Account number, Amount, Date, Timing, Plan, Card, Reference...
    value: str  # as said, or the digits/value read from what was said
    key: str  # for de-duplication ("amount 49 dollar")
    unsure: bool = False  # read from a word the recognizer was unsure of, every time it was said

    @property
    def text(self) -> str:
        return f"{self.label}: {self.value}" + (CONFIRM if self.unsure else "")


# ---- facts -------------------------------------------------------------------------------------

_ID_CUES = {
    "Account number": r"account(?:\s+(?:number|no|id))?|acct",
    "Order number": r"order(?:\s+(?:number|no|id))?",
    "Reference": r"reference(?:\s+(?:number|code))?|ref(?:\s+number)?|"
                 r"confirmation(?:\s+(?:number|code))?|case(?:\s+number)?|claim(?:\s+number)?|"
                 r"booking(?:\s+(?:reference|number|code))?",
    "Ticket": r"ticket(?:\s+number)?",
    "Invoice": r"invoice(?:\s+number)?",
}
_CUE = re.compile("|".join(f"(?P<c{i}>\\b(?:{p})\\b)" for i, p in enumerate(_ID_CUES.values())),
                  re.I)
_CUE_REACH_WORDS = 8  # an identifier read out this far after its cue ("it's, um, 7 4 2...")
_MONTHS = ("january|february|march|april|may|june|july|august|september|october|november|"
           "december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec")
_ORD = (r"\d{1,2}(?:st|nd|rd|th)?|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|"
        r"tenth|eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|"
        r"eighteenth|nineteenth|twentieth|twenty[- ](?:first|second|third|fourth|fifth|sixth|"
        r"seventh|eighth|ninth)|thirtieth|thirty[- ]first")
_DAYS = "monday|tuesday|wednesday|thursday|friday|saturday|sunday"
_DATE = re.compile(
    rf"\b(?:(?:{_MONTHS})\.?\s+(?:the\s+)?(?:{_ORD})\b(?:,?\s+\d{{4}})?"
    rf"|(?:the\s+)?(?:{_ORD})\s+of\s+(?:{_MONTHS})\b"
    rf"|(?:(?:next|this|last|on|by|until)\s+)?(?:{_DAYS})\b"
    r"|\d{1,2}/\d{1,2}(?:/\d{2,4})?"
    r"|(?:next|last|this)\s+(?:week|month|year)\b"
    r"|tomorrow|yesterday|today|tonight"
    rf"|in\s+(?:{_MONTHS})\b)", re.I)
_GREETING_DAY = re.compile(r"\b(?:help|assist|do for) you\s+(?:today|tonight)$", re.I)
_N = r"(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fourteen|" \
     r"fifteen|twenty|thirty|forty|fifty|sixty|ninety|a few|a couple of|several)"
_TIMING = re.compile(
    rf"\b(?:within|in|after|for|about|over|up to)\s+(?:the\s+next\s+)?{_N}(?:\s*(?:to|-|or)\s*"
    rf"{_N})?\s+(?:business\s+|working\s+|calendar\s+)?(?:minutes?|hours?|days?|weeks?|"
    r"months?|years?|billing cycles?)\b", re.I)
_PLAN = re.compile(r"\b((?:[A-Z][\w'-]+\s+){1,3}?)(?:plan|pass|package|bundle|tariff|"
                   r"subscription|add-on)\b")
_NOT_PLAN = {"the", "my", "your", "our", "a", "an", "this", "that", "which", "what", "new",
             "old", "i", "is", "it", "and", "but", "so"}
_CURRENCY = {"$": "dollars", "\u20ac": "euros", "\u00a3": "pounds", "dollar": "dollars",
             "dollars": "dollars", "bucks": "dollars", "euro": "euros", "euros": "euros",
             "pound": "pounds", "pounds": "pounds", "cents": "cents", "cent": "cents"}
_SMALL = {w: i for i, w in enumerate("zero one two three four five six seven eight nine ten "
                                     "eleven twelve thirteen fourteen fifteen sixteen seventeen "
                                     "eighteen nineteen".split())} | {
    w: 10 * (i + 2) for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty "
                                          "ninety".split())}
_NUMWORD = "|".join([*_SMALL, "hundred", "thousand", "and", "a"])
_AMOUNT = re.compile(
    r"(?P<sym>[$\u20ac\u00a3])\s?(?P<d1>\d{1,3}(?:,\d{3})*(?:\.\d{1,2})?|\d+(?:\.\d{1,2})?)"
    r"|(?P<d2>\d{1,3}(?:,\d{3})*(?:\.\d{1,2})?|\d+(?:\.\d{1,2})?)\s?(?P<u2>dollars?|bucks|euros?"
    r"|pounds?|cents?)\b"
    rf"|\b(?P<w>(?:(?:{_NUMWORD})[\s-]+)*(?:{'|'.join(_SMALL)}|hundred|thousand))\s+"
    r"(?P<u3>dollars?|bucks|euros?|pounds?|cents?)\b", re.I)


def words_value(text: str) -> Decimal | None:
    """ "forty nine" -> 49, "one hundred and twenty" -> 120, "a thousand" -> 1000; None when the
    words are not one number ("twelve fifty" is said for 12.50 and for 1250: not guessed)."""
    total, cur, last = Decimal(0), Decimal(0), ""
    for w in re.findall(r"[a-z]+", text.lower()):
        if w == "and":
            continue
        if w == "a" and not last:
            cur, last = Decimal(1), "unit"
        elif w in _SMALL:
            v = _SMALL[w]
            if last == "unit" or (last == "tens" and v >= 10) or (last == "teen"):
                return None
            cur += v
            last = "tens" if v >= 20 else "teen" if v >= 10 else "unit"
        elif w == "hundred" and last in ("unit", "teen", "tens"):
            cur, last = cur * 100, "hundred"
        elif w == "thousand" and last:
            total, cur, last = total + cur * 1000, Decimal(0), "thousand"
        else:
            return None
    return total + cur if last else None


def _amounts(text: str) -> list[tuple[Fact, int, int]]:
    out: list[tuple[Fact, int, int]] = []
    for m in _AMOUNT.finditer(text):
        if m.group("sym"):
            value, unit = m.group("d1"), _CURRENCY[m.group("sym")]
        elif m.group("d2"):
            value, unit = m.group("d2"), _CURRENCY[m.group("u2").lower()]
        else:
            v = words_value(m.group("w"))
            if v is None:
                continue
            value, unit = str(v), _CURRENCY[m.group("u3").lower()]
        value = value.replace(",", "")
        out.append((Fact("Amount", f"{value} {unit}",
                         f"amount {Decimal(value).normalize()} {unit}"), m.start(), m.end()))
    return out


# ---- identifiers and reference codes -------------------------------------------------------------

@dataclass(frozen=True)
class Code:
    """An identifier read out: digits, or letters and digits ("AB1234", "K L M four seven
    two" -> KLM472)."""

    start: int
    end: int
    value: str
    letters: int  # how many letters it has (0: digits only)


# Letters said one by one just before the digits ("K L M", "K-L-M", "K.L.M."), or written as one
# capitalised word ("KLM 472"); glued to the digits ("AB1234", "AB-1234").
_SPELLED = re.compile(r"(?:\b[A-Z](?![a-z'])[\s,.\-]*){1,6}$")
_ACRONYM = re.compile(r"\b([A-Z]{2,4})[\s\-]*$")
_GLUED = re.compile(r"\b([A-Z]{1,4})-?(\d{3,10})\b")
_NOT_CODE = {"OK", "PIN", "CVV", "CVC", "SSN", "AM", "PM", "US", "UK", "TV", "PC", "ID", "SIM"}
_CARD_BEFORE = re.compile(r"\bcard\b(?:\W+\w+){0,4}\W*$", re.I)
_MAX_ID_DIGITS = 12  # 13 and more are card-like: never kept as a reference, whatever the cue


def codes(text: str) -> list[Code]:
    """Identifiers in a caption: digit runs of 4+ digits that are not amounts, and letters
    with 3+ digits. Never read from a placeholder (the caller blanks them), never a card-like
    number (13+ digits, or "card" just before it: a number the redactor did not catch is
    still not a fact)."""
    out: list[Code] = []
    taken: list[tuple[int, int]] = []
    for m in _GLUED.finditer(text):
        if m.group(1) not in _NOT_CODE:
            out.append(Code(m.start(), m.end(), m.group(1) + m.group(2), len(m.group(1))))
            taken.append((m.start(), m.end()))
    for r in find_runs(text)[0]:
        if any(a <= r.start < b for a, b in taken) or len(r.digits) > _MAX_ID_DIGITS:
            continue
        before = text[:r.start]
        spelled = _SPELLED.search(before)
        acronym = _ACRONYM.search(before)
        letters = "".join(re.findall(r"[A-Z]", spelled.group())) if spelled else (
            acronym.group(1) if acronym and acronym.group(1) not in _NOT_CODE else "")
        start = (spelled or acronym).start() if letters else r.start  # type: ignore[union-attr]
        if letters and len(r.digits) >= 3:
            out.append(Code(start, r.end, letters + r.digits, len(letters)))
        elif len(r.digits) >= 4 and not is_amount(text, r):
            out.append(Code(r.start, r.end, r.digits, 0))
    return sorted((c for c in out if not _CARD_BEFORE.search(text[:c.start])),
                  key=lambda c: c.start)


def spoken_codes(text: str) -> str:
    """The codes spelled out in `text`, written as one word each ("K L M 4 7 2" -> KLM472), so
    that a check can find the value a summary states."""
    blank = _PLACEHOLDER.sub(lambda m: " " * len(m.group()), text)
    return " ".join(c.value for c in codes(blank) if c.letters)


def _identifiers(lines: Sequence[Line]) -> list[tuple[Fact, int, int, int]]:
    """Identifiers read out after a cue ("account number", "booking reference"), in the same
    caption or the next one (the agent asks, the customer answers), and codes with two or more
    letters wherever they are said ("Reference: KLM472"). (fact, line index, start, end)."""
    out: list[tuple[Fact, int, int, int]] = []
    pending: str | None = None  # a cue left without a number, from the previous caption

    def add(label: str, c: Code, i: int) -> None:
        out.append((Fact(label, c.value, f"id {c.value}"), i, c.start, c.end))

    for i, ln in enumerate(lines):
        text = _PLACEHOLDER.sub(lambda m: " " * len(m.group()), ln.text)  # never read a mask
        found = codes(text)
        cues = [(m.start(), m.end(), _label(m)) for m in _CUE.finditer(text)]
        used: set[int] = set()
        for _cs, ce, label in cues:
            for k, c in enumerate(found):
                if k not in used and c.start >= ce and \
                        len(_words(text[ce:c.start])) <= _CUE_REACH_WORDS:
                    used.add(k)
                    add(label, c, i)
                    break
        if pending:
            first = next((k for k, c in enumerate(found) if k not in used
                          and len(_words(text[:c.start])) <= 10), None)
            if first is not None:
                add(pending, found[first], i)
                used.add(first)
        for k, c in enumerate(found):
            if k not in used and c.letters >= 2:  # "AB1234", "K L M 4 7 2": a code, cue or not
                add("Reference", c, i)
        # A cue with no number after it in this caption waits for the next caption.
        last_cue = cues[-1] if cues else None
        pending = last_cue[2] if last_cue and not any(c.start >= last_cue[1] for c in found) \
            else None
    return out


def _label(m: re.Match[str]) -> str:
    return list(_ID_CUES)[int((m.lastgroup or "c0")[1:])]


def facts(lines: Sequence[Line]) -> list[Fact]:
    """Identifiers, amounts, dates, timings, plan names and redacted items, first said first.
    A fact is marked unsure (to confirm) when every time it was said, a word it was read from
    was one the recognizer was unsure of: said again clearly (the agent reading it back, the
    customer repeating it), it stands. Amounts the two sides said differently are one fact
    with both values, to confirm (`_disputed_amounts`)."""
    out = _identifiers(lines)
    for i, ln in enumerate(lines):
        text = ln.text
        out.extend((f, i, a, b) for f, a, b in _amounts(text))
        for m in _DATE.finditer(text):
            if _GREETING_DAY.search(text[max(0, m.start() - 20):m.end()]):
                continue  # "How can I help you today?" dates nothing
            value = m.group().strip()
            if re.fullmatch(r"(?:on|by|until)\s+\w+", value, re.I):
                value = value.split(None, 1)[1]
            out.append((Fact("Date", value, "date " + " ".join(_words(value))), i, m.start(),
                        m.end()))
        for m in _TIMING.finditer(text):
            out.append((Fact("Timing", m.group(), "timing " + " ".join(_words(m.group()))), i,
                        m.start(), m.end()))
        for m in _PLAN.finditer(text):
            words = m.group(1).split()
            while words and words[0].lower() in _NOT_PLAN:
                words = words[1:]
            if words and not (len(words) == 1 and m.start(1) == 0):
                name = " ".join(words)
                out.append((Fact("Plan", name, "plan " + name.lower()), i, m.start(1),
                            m.end(1)))
        for m in _PLACEHOLDER.finditer(text):
            label = next((v for k, v in _MASKED.items() if k in m.group().lower()), "Redacted")
            out.append((Fact(label, m.group(), "redacted " + m.group().lower()), i, m.start(),
                        m.start()))  # an empty span: a placeholder is never "unsure"
    first: dict[str, Fact] = {}
    sure: set[str] = set()
    sides: dict[str, set[str]] = {}
    for f, i, a, b in out:
        first.setdefault(f.key, f)
        sides.setdefault(f.key, set()).add(lines[i].channel)
        if not heard_unsure(lines[i], lines[i].text[a:b]):
            sure.add(f.key)
    return _disputed_amounts([replace(f, unsure=f.key not in sure) for f in first.values()],
                             sides)


_OR = " or "


def _disputed_amounts(found: list[Fact], sides: dict[str, set[str]]) -> list[Fact]:
    """Amounts the two sides said differently, as one fact: "Amount: 49.25 dollars or 49
    dollars (confirm)", where the first of them was, never two facts that both look settled.

    Two amounts conflict when they are the same amount to the whole unit (same currency, less
    than one dollar, euro, pound or cent apart: the cents heard differently, or dropped in a
    read-back) and each side said one the other did not (the customer "$49.25", the agent
    "$49"). A value both sides said is agreed, and amounts one side alone said ("the plan is
    $45 but I paid $45.99") are different amounts: neither is a conflict."""
    amounts: list[tuple[int, Decimal, str]] = []
    for n, f in enumerate(found):
        if f.label == "Amount" and f.key.startswith("amount "):
            _, value, unit = f.key.split(" ", 2)
            amounts.append((n, Decimal(value), unit))
    parent = {n: n for n, _, _ in amounts}

    def root(n: int) -> int:
        while parent[n] != n:
            n = parent[n]
        return n

    for x, (n, v, u) in enumerate(amounts):
        for m, w, unit in amounts[x + 1:]:
            a, b = sides[found[n].key], sides[found[m].key]
            if unit == u and abs(v - w) < 1 and (a - b) and (b - a):
                parent[root(m)] = root(n)
    groups: dict[int, list[int]] = {}
    for n, _, _ in amounts:
        groups.setdefault(root(n), []).append(n)
    merged: dict[int, Fact] = {}
    dropped: set[int] = set()
    for members in groups.values():
        if len(members) < 2:
            continue
        members.sort()
        values = [found[n].value for n in members]
        merged[members[0]] = Fact("Amount", _OR.join(values),
                                  "|".join(found[n].key for n in members), unsure=True)
        dropped.update(members[1:])
    return [merged.get(n, f) for n, f in enumerate(found) if n not in dropped]


# What a redaction placeholder stands for (copilot.privacy.redaction's labels), for the fact label.
_MASKED = {"card": "Card", "security code": "Security code", "ssn": "ID number"}


def spoken_digits(text: str) -> str:
    """`text` with each run of spoken digits written as digits ("seven four two nine three one"
    -> "742931"), so that a check can find the value a summary states."""
    runs, _ = find_runs(_PLACEHOLDER.sub(lambda m: " " * len(m.group()), text))
    out, pos = [], 0
    for r in runs:
        if len(r.digits) >= 3 and (len(r.atoms) > 1 or not r.atoms[0].written) and not any(
                a.written and b.written and text[a.end:b.start] in (".", ",")
                for a, b in zip(r.atoms, r.atoms[1:], strict=False)):  # 35.50, 1,249: values
            out += [text[pos:r.start], r.digits]
            pos = r.end
    return "".join(out) + text[pos:]
