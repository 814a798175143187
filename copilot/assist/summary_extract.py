"""Rule-based extraction for the running summary: no model, so it works on any machine.

Input is the call as `Line`s: final, already-redacted captions, with the English translation in
place of a customer's own words when there is one. Everything returned is either the callers' own
words (a sentence, a date "March third", a plan name) or a value read from them ("seven four two
nine three one" -> 742931, "forty nine dollars" -> 49 dollars), so the summary can only state what
was said. Redaction placeholders ("[card ending 1111]", "[REDACTED]") are copied as they are: this
module never sees, and so can never restore, what they hide.

Heuristics, in English, deliberately plain:
- reason: the first customer sentence that asks or complains (a question, "I want", "charged
  twice", "doesn't work"...), with the sentence before it when it is only "Is that true?".
- actions: agent sentences saying what they did or are doing ("I've issued", "I can see",
  "let me check"); next steps: what someone will do ("I'll send", "you'll see it in 5 days",
  "please restart"); open items: customer questions and requests no later agent sentence took
  up (shares no content word with them, or only stalled: "let me check").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from copilot.knowledge.query import content_words
from copilot.knowledge.verify import stem
from copilot.text.spoken_numbers import find_runs, is_amount

AGENT, CUSTOMER = "agent", "customer"


@dataclass(frozen=True)
class Line:
    channel: str  # agent | customer
    text: str  # English, redacted
    id: str = ""
    start: float = 0.0


@dataclass(frozen=True)
class Fact:
    label: str  # Account number, Amount, Date, Timing, Plan, Card...
    value: str  # as said, or the digits/value read from what was said
    key: str  # for de-duplication ("amount 49 dollar")

    @property
    def text(self) -> str:
        return f"{self.label}: {self.value}"


@dataclass(frozen=True)
class Extraction:
    reason: str
    facts: tuple[Fact, ...]
    actions: tuple[str, ...]
    next: tuple[str, ...]
    open: tuple[str, ...]


# ---- sentences ---------------------------------------------------------------------------------

# Split after . ! ? but not inside a placeholder "[card ending 1111]" or a number "12.50".
_SENT = re.compile(r"(?<=[.!?])\s+(?=[^\s\]])")
_PLACEHOLDER = re.compile(r"\[[^\[\]]{1,40}\]")
_GREETING = re.compile(
    r"^(?:hi|hello|hey|good (?:morning|afternoon|evening)|yes|yeah|okay|ok|sure|thanks|"
    r"thank you|um|uh|so|well|oh|right|great|perfect|alright|bonjour|hola)\b[\s,.!]*"
    r"(?:\w+[.!,]\s*)?$", re.I)
_LEAD_FILLER = re.compile(r"^(?:(?:also|so|well|um|uh|and|oh|okay|ok|hi|hello|yes|yeah),?\s+)+",
                          re.I)


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENT.split(text.strip()) if s.strip()]


def _words(text: str) -> list[str]:
    return re.findall(r"[^\W_]+(?:'[^\W_]+)*", text.lower().replace("\u2019", "'"))


def _topic(text: str) -> set[str]:
    return {stem(w) for w in content_words(_PLACEHOLDER.sub(" ", text), "en")} - _NOT_TOPIC


_NOT_TOPIC = {stem(w) for w in "get want need like know tell please thank thanks help call "
                                "check look see sure okay yes really just actually".split()}


def _tidy(sentence: str) -> str:
    s = _LEAD_FILLER.sub("", sentence).strip()
    return s[:1].upper() + s[1:] if s else s


def _is_question(s: str) -> bool:
    return s.rstrip().endswith("?")


# ---- reason ------------------------------------------------------------------------------------

_ASK = re.compile(
    r"\b(?:i (?:want|need|would like|'d like|wanted|was wondering|'m calling|am calling|"
    r"'m trying|am trying|can't|cannot|couldn't|have a (?:problem|question|issue))|i'd like|"
    r"i want|i need|charged|overcharged|billed|refund|cancel|doesn't work|does not work|"
    r"not working|isn't working|stopped working|broken|problem|issue|complaint|wrong|"
    r"missing|lost|stolen|can i|could i|can you|could you|how (?:do|can|much|long|many)|"
    r"is (?:it|that|there)|do you|does)\b", re.I)
_MAX_REASON_WORDS = 30


def reason(lines: Sequence[Line]) -> str:
    """The customer's first sentence that asks for something or states a problem, short."""
    said = [s for ln in lines if ln.channel == CUSTOMER for s in sentences(ln.text)]
    said = [s for s in said if not _GREETING.match(s)]
    if not said:
        return ""
    pick = next((i for i, s in enumerate(said[:6]) if _ASK.search(s) or _is_question(s)), 0)
    return _shorten(_with_context(_tidy(said[pick]), _tidy(said[pick - 1]) if pick else ""))


def _shorten(s: str) -> str:
    words = s.split()
    if len(words) <= _MAX_REASON_WORDS:
        return s
    cut = " ".join(words[:_MAX_REASON_WORDS])
    at = max(cut.rfind(","), cut.rfind(";"))  # end on a clause when there is one
    return (cut[:at] if at > len(cut) // 2 else cut).rstrip(" ,;") + "..."


# ---- actions, next steps, open items -----------------------------------------------------------

_VERBS_DONE = (r"issued|refunded|credited|cancell?ed|sent|updated|added|removed|applied|reset|"
               r"changed|escalated|processed|filed|booked|scheduled|submitted|waived|reversed|"
               r"activated|deactivated|unlocked|blocked|replaced|ordered|opened|closed|noted|"
               r"checked|found|confirmed|verified|raised|logged|transferred|fixed|restored|"
               r"set up|switched|moved|upgraded|downgraded|extended|arranged|requested")
_ACTION = re.compile(
    rf"^(?:i(?:'ve| have)?|we(?:'ve| have)?)\s+(?:just\s+|now\s+|already\s+)?(?:{_VERBS_DONE})\b"
    r"|^(?:i'm|i am|we're|we are)\s+(?:now\s+|just\s+)?\w+ing\b"
    r"|^(?:i|we)\s+can\s+(?:see|confirm)\b|^let me\s+(?!know\b|see\b|ask\b)\w+", re.I)
_NEXT = re.compile(
    r"^(?:i|we|you|it|that|this|they|the \w+|your \w+)\s*(?:'ll|will|shall|'re going to|"
    r"are going to|'m going to|am going to|is going to|should (?:see|receive|get|arrive)|"
    r"can expect|need to|'ll need to|have to|must)\b|^please\s+\w+", re.I)
_STALL = re.compile(r"^(?:let me (?:check|look|see|find|ask|verify|pull)|one moment|"
                    r"just a moment|bear with me|hold on)", re.I)
_SUBJECT = [
    (re.compile(r"^(?:i've|i have|we've|we have)\s+", re.I), "Agent "),
    (re.compile(r"^(?:i'm|i am|we're|we are)\s+", re.I), "Agent is "),
    (re.compile(r"^(?:i'll|we'll)\s+", re.I), "Agent will "),
    (re.compile(r"^(?:i|we)\s+(?=\w)", re.I), "Agent "),
    (re.compile(r"^you'll\s+", re.I), "Customer will "),
    (re.compile(r"^you're\s+", re.I), "Customer is "),
    (re.compile(r"^you\s+(?=\w)", re.I), "Customer "),
    (re.compile(r"^please\s+", re.I), "Customer to "),
]
_LET_ME = re.compile(r"^let me\s+(\w+)", re.I)


def _ing(verb: str) -> str:
    v = verb.lower()
    if v.endswith("ie"):
        return v[:-2] + "ying"
    if v.endswith("e") and not v.endswith(("ee", "ye", "oe")):
        return v[:-1] + "ing"
    if re.fullmatch(r"(?:stop|plan|ship|drop|log)", v):
        return v + v[-1] + "ing"
    return v + "ing"


def as_note(sentence: str) -> str:
    """An agent's sentence as a note line: the subject named ("I've issued" -> "Agent issued"),
    the rest in the agent's own words."""
    s = _tidy(sentence)
    m = _LET_ME.match(s)
    if m:
        return f"Agent is {_ing(m.group(1))}{s[m.end():]}"
    for pat, repl in _SUBJECT:
        if pat.match(s):
            return pat.sub(repl, s, count=1)
    return s


def agent_steps(lines: Sequence[Line]) -> tuple[list[str], list[str]]:
    """(actions, next steps): the agent's sentences, as said (see as_note for the wording)."""
    actions: list[str] = []
    nxt: list[str] = []
    for ln in lines:
        if ln.channel != AGENT:
            continue
        for s in sentences(ln.text):
            t = _tidy(s)
            if _is_question(t):
                continue
            # Clauses: "Thank you. I can see..." is already split; "Sure, I'll send" is not.
            core = re.sub(r"^(?:sure|okay|ok|alright|right|great|absolutely|certainly|"
                          r"of course|no problem|thank you|thanks)[,.!]?\s+", "", t, flags=re.I)
            if _NEXT.match(core):
                nxt.append(core)
            elif _ACTION.match(core):
                actions.append(core)
    return _unique(actions), _unique(nxt)


def open_items(lines: Sequence[Line]) -> list[str]:
    """Customer questions and requests that no later agent sentence took up."""
    # What each agent sentence is about, once: a call has hundreds of them.
    answers = [(j, _topic(a)) for j, ln in enumerate(lines) if ln.channel == AGENT
               for a in sentences(ln.text) if not (_STALL.match(_tidy(a)) or _is_question(a))]
    out: list[str] = []
    for i, ln in enumerate(lines):
        if ln.channel != CUSTOMER:
            continue
        prev = ""
        for s in sentences(ln.text):
            t = _tidy(s)
            request = re.match(r"^(?:please|can you|could you|would you|i need you to)\b", t,
                               re.I)
            if not (_is_question(t) or request):
                prev = t
                continue
            words = _topic(_with_context(t, prev))
            if not words:
                continue
            if not any(words & topic for j, topic in answers if j > i):
                out.append(_with_context(t, prev))
            prev = t
        prev = ""
    return _unique(out)


def _with_context(sentence: str, before: str) -> str:
    """ "Is that true?" says nothing without the sentence before it."""
    return f"{before} {sentence}" if before and len(_words(sentence)) < 5 else sentence


def _unique(items: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    out: list[str] = []
    for it in items:
        k = " ".join(_words(it))
        if k and k not in seen:
            seen.add(k)
            out.append(it)
    return out


# ---- facts -------------------------------------------------------------------------------------

_ID_CUES = {
    "Account number": r"account(?:\s+(?:number|no|id))?|acct",
    "Order number": r"order(?:\s+(?:number|no|id))?",
    "Reference": r"reference(?:\s+number)?|ref(?:\s+number)?|confirmation(?:\s+number)?|"
                 r"case(?:\s+number)?|claim(?:\s+number)?",
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


def _amounts(text: str) -> list[Fact]:
    out: list[Fact] = []
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
        out.append(Fact("Amount", f"{value} {unit}", f"amount {Decimal(value).normalize()} {unit}"))
    return out


def _identifiers(lines: Sequence[Line]) -> list[Fact]:
    """Numbers read out after a cue ("account number", "order"), in the same caption or the
    next one (the agent asks, the customer answers)."""
    out: list[Fact] = []
    pending: str | None = None  # a cue left without a number, from the previous caption
    for ln in lines:
        text = _PLACEHOLDER.sub(lambda m: " " * len(m.group()), ln.text)  # never read a mask
        runs = [r for r in find_runs(text)[0] if len(r.digits) >= 4 and not is_amount(text, r)]
        cues = [(m.start(), m.end(), _label(m)) for m in _CUE.finditer(text)]
        used_runs: set[int] = set()
        for _cs, ce, label in cues:
            for k, r in enumerate(runs):
                if k not in used_runs and r.start >= ce and \
                        len(_words(text[ce:r.start])) <= _CUE_REACH_WORDS:
                    used_runs.add(k)
                    out.append(Fact(label, r.digits, f"{label} {r.digits}"))
                    break
        if pending:
            first = next((k for k, r in enumerate(runs) if k not in used_runs
                          and len(_words(text[:r.start])) <= 10), None)
            if first is not None:
                out.append(Fact(pending, runs[first].digits, f"{pending} {runs[first].digits}"))
                used_runs.add(first)
        # A cue with no number after it in this caption waits for the next caption.
        last_cue = cues[-1] if cues else None
        pending = last_cue[2] if last_cue and not any(r.start >= last_cue[1] for r in runs) \
            else None
    return out


def _label(m: re.Match[str]) -> str:
    return list(_ID_CUES)[int((m.lastgroup or "c0")[1:])]


def facts(lines: Sequence[Line]) -> list[Fact]:
    """Identifiers, amounts, dates, timings, plan names and redacted items, first said first."""
    out = _identifiers(lines)
    for ln in lines:
        text = ln.text
        out.extend(_amounts(text))
        for m in _DATE.finditer(text):
            if _GREETING_DAY.search(text[max(0, m.start() - 20):m.end()]):
                continue  # "How can I help you today?" dates nothing
            value = m.group().strip()
            if re.fullmatch(r"(?:on|by|until)\s+\w+", value, re.I):
                value = value.split(None, 1)[1]
            out.append(Fact("Date", value, "date " + " ".join(_words(value))))
        for m in _TIMING.finditer(text):
            out.append(Fact("Timing", m.group(), "timing " + " ".join(_words(m.group()))))
        for m in _PLAN.finditer(text):
            words = m.group(1).split()
            while words and words[0].lower() in _NOT_PLAN:
                words = words[1:]
            if words and not (len(words) == 1 and m.start(1) == 0):
                name = " ".join(words)
                out.append(Fact("Plan", name, "plan " + name.lower()))
        for m in _PLACEHOLDER.finditer(text):
            label = next((v for k, v in _MASKED.items() if k in m.group().lower()), "Redacted")
            out.append(Fact(label, m.group(), "redacted " + m.group().lower()))
    seen: set[str] = set()
    unique: list[Fact] = []
    for f in out:
        if f.key not in seen:
            seen.add(f.key)
            unique.append(f)
    return unique


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


def extract(lines: Sequence[Line]) -> Extraction:
    actions, nxt = agent_steps(lines)
    return Extraction(reason(lines), tuple(facts(lines)), tuple(as_note(a) for a in actions),
                      tuple(as_note(n) for n in nxt), tuple(open_items(lines)))
