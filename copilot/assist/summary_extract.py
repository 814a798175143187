"""Rule-based extraction for the running summary: no model, so it works on any machine.

Input is the call as `Line`s: final, already-redacted captions, with the English translation in
place of a customer's own words when there is one. Everything returned is either the callers' own
words (a sentence, a date "March third", a plan name) or a value read from them ("seven four two
nine three one" -> 742931, "forty nine dollars" -> 49 dollars, "K L M four seven two" -> KLM472),
so the summary can only state what was said. Redaction placeholders ("[card ending 1111]",
"[REDACTED]") are copied as they are: this module never sees, and so can never restore, what they
hide, and never reads a reference number out of them.

Heuristics, in English, deliberately plain:
- reason: the customer's issue, kept once stated (see `issues`): the first customer sentence that
  states a problem or asks for something, replaced only when a later sentence raises a new issue
  (a request or problem of its own, no "it/that/this", nothing in common with the current one);
  follow-up questions ("How long does that take?", "What's the limit?") never replace it.
- facts: identifiers and reference codes after a cue ("account number", "booking reference") or
  spelled as letters and digits; amounts, dates, timings, plan names, placeholders. A value read
  from words the recognizer was unsure of (`Line.unsure`) is marked for the agent to confirm.
- actions: agent sentences saying what they did or are doing ("I've issued", "I can see",
  "let me check"); next steps: what someone will do ("I'll send", "you'll see it in 5 days",
  "please restart"); open items: customer questions and requests not yet answered (see
  `open_items`), the same question asked twice being one item.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from copilot.knowledge.query import content_words
from copilot.knowledge.verify import stem
from copilot.text.sentences import sentences
from copilot.text.spoken_numbers import find_runs, is_amount

AGENT, CUSTOMER = "agent", "customer"


@dataclass(frozen=True)
class Line:
    channel: str  # agent | customer
    text: str  # English, redacted
    id: str = ""
    start: float = 0.0
    unsure: tuple[str, ...] = ()  # words the recognizer was unsure of (Caption.unsure)


CONFIRM = " (confirm)"  # after a fact the recognizer was unsure of: the agent checks it


@dataclass(frozen=True)
class Fact:
    label: str  # Account number, Amount, Date, Timing, Plan, Card, Reference...
    value: str  # as said, or the digits/value read from what was said
    key: str  # for de-duplication ("amount 49 dollar")
    unsure: bool = False  # read from a word the recognizer was unsure of, every time it was said

    @property
    def text(self) -> str:
        return f"{self.label}: {self.value}" + (CONFIRM if self.unsure else "")


@dataclass(frozen=True)
class Used:
    """A suggested line or knowledge card the agent used or copied: the agent said it, in
    effect. `of` is the caption it was offered for, `at` the call time of the action."""

    of: str
    text: str
    at: float


@dataclass(frozen=True)
class Extraction:
    reason: str
    facts: tuple[Fact, ...]
    actions: tuple[str, ...]
    next: tuple[str, ...]
    open: tuple[str, ...]
    earlier: tuple[str, ...] = ()  # issues raised before the current reason, oldest first


# ---- sentences ---------------------------------------------------------------------------------

# Split after . ! ? but not inside a placeholder "[card ending 1111]" or a number "12.50".
_PLACEHOLDER = re.compile(r"\[[^\[\]]{1,40}\]")
_GREETING = re.compile(
    r"^(?:hi|hello|hey|good (?:morning|afternoon|evening)|yes|yeah|okay|ok|sure|thanks|"
    r"thank you|um|uh|so|well|oh|right|great|perfect|alright|bonjour|hola)\b[\s,.!]*"
    r"(?:\w+[.!,]\s*)?$", re.I)
_LEAD_FILLER = re.compile(r"^(?:(?:also|so|well|um|uh|and|oh|okay|ok|hi|hello|yes|yeah),?\s+)+",
                          re.I)
# A name said to the agent before the request ("Hi Sam, I was charged twice"): one capitalised
# word and a comma, followed by the speaker's own words. Not part of the customer's problem.
_VOCATIVE = re.compile(r"^[A-Z][a-z]+,\s+(?=(?:I|I'm|I've|I'd|we|we're|my|our|can|could|"
                       r"would|is|do|does)\b)")


def _words(text: str) -> list[str]:
    return re.findall(r"[^\W_]+(?:'[^\W_]+)*", text.lower().replace("\u2019", "'"))


def _topic(text: str) -> set[str]:
    return {stem(w) for w in content_words(_PLACEHOLDER.sub(" ", text), "en")} - _NOT_TOPIC


_NOT_TOPIC = {stem(w) for w in "get want need like know tell please thank thanks help call "
                                "check look see sure okay yes really just actually".split()}


def _tidy(sentence: str) -> str:
    s = _VOCATIVE.sub("", _LEAD_FILLER.sub("", sentence).strip())
    return s[:1].upper() + s[1:] if s else s


def _is_question(s: str) -> bool:
    return s.rstrip().endswith("?")


# ---- reason ------------------------------------------------------------------------------------

# Why a customer calls, in three kinds of words. A *request* or a *problem* states an issue; a
# plain question ("can I", "how much", "do you") may open the call but is otherwise a follow-up
# or an open item, never a new issue of its own.
_REQUEST = (r"i (?:want|need|would like|'d like|wanted|was wondering|'m calling|am calling|"
            r"'m also calling|'m trying|am trying|can't|cannot|couldn't|"
            r"have (?:a|another|one more) (?:problem|question|issue|complaint))|i'd like|i want|"
            r"i need")
_PROBLEM = (r"charged|overcharged|double[- ]charged|billed|refund|cancel|doesn't work|"
            r"does not work|not working|isn't working|stopped working|broken|broke|cracked|"
            r"damaged|smashed|problem|issue|complaint|wrong|missing|lost|stolen|"
            r"no (?:signal|service|coverage|internet|data|connection|network|reception)|"
            r"(?:isn't|is not|aren't|wasn't|won't|will not|doesn't|does not|didn't|did not|"
            r"can't|cannot|keeps?) (?:\w+ )?(?:work|working|connect|connecting|charge|charging|"
            r"turn on|load|loading|arrive|arrived|go through|send|sending|receive|receiving|"
            r"ring|dropping|cutting out)|never (?:arrived|came|received|got)|"
            r"(?:haven't|have not|hasn't|has not) (?:received|got|arrived|come)|"
            r"went up|gone up|too (?:much|high|expensive)|locked out|blocked|suspended|cut off|"
            r"disconnected")
_QUESTION_WORDS = (r"can i|could i|can you|could you|how (?:do|can|much|long|many)|"
                   r"is (?:it|that|there)|do you|does")
_ASK = re.compile(rf"\b(?:{_REQUEST}|{_PROBLEM}|{_QUESTION_WORDS})\b", re.I)
_STATES_ISSUE = re.compile(rf"\b(?:{_REQUEST}|{_PROBLEM})\b", re.I)
# Words that point back at something already said: a sentence with one is about the current
# issue ("How long does that take?", "if that's the new rule I want to cancel"). "that" opening
# a clause ("I read that my plan...") points at nothing.
_ANAPHORA = re.compile(r"\b(?:it|its|it's|this|these|those|they|them|their|there|"
                       r"that(?!\s+(?:i|my|the|a|an|you|your|we|our|he|she)\b)|that's)\b", re.I)
# The customer saying a new subject is coming ("Also, separate thing, ..."): then only the
# current reason itself must not share a word with it, not everything said since.
_NEW_SUBJECT = re.compile(r"\b(?:also|another|separate|different|unrelated|one more thing|"
                          r"something else|while i have you|on another note|besides)\b", re.I)
_SUBJECT_LEAD = re.compile(
    r"^(?:(?:a |one )?(?:separate|different|other|another|unrelated|second|new)\s+"
    r"(?:thing|question|issue|matter|topic|problem)|one more thing|something else|"
    r"while i have you|on another note)[,:;.!]?\s*", re.I)
_MAX_REASON_WORDS = 30


@dataclass(frozen=True)
class Issue:
    text: str  # as shown: the customer's sentence, tidied and shortened
    line: int  # index of the line that raised it
    topic: frozenset[str]


def issues(lines: Sequence[Line]) -> list[Issue]:
    """The issues the customer raised, in order; the last is the reason for the call.

    The first is the first customer sentence that states a problem, asks for something or asks
    a question (with the sentence before it when it is only "Is that true?"); with none, the
    first thing the customer said. A question shaped like a follow-up (it/that/this, or fewer
    than two topic words: "What can I claim?") asked after the customer described something
    (two topic words or more) is about that: the description is the issue (with the question
    when it comes right after it: "I read my plan allows one device. Is that true?").
    A later sentence raises a *new* issue only when all hold:
    - it states a request or a problem ("I want to cancel my other line", "my bill went up"):
      a plain question ("What's the limit?") is a follow-up or an open item;
    - it points back at nothing (no it/that/this/they...): "How long does that take?" is about
      the current issue;
    - it has words of its own (two topic words; one after "also", "separate thing"...), and
      shares none with the current issue: with everything said since the issue was raised
      (the agent's answers included: "can I claim for the taxi?" after the agent spoke of
      claims), or, when the customer announced a new subject, with the reason sentence itself.
    A first issue with no topic word at all ("Can you help me?") is replaced by the first one
    that has some, and not kept as an issue of its own.
    Everything else is a follow-up: it keeps the reason, and its words join the issue's topic.
    """
    out: list[Issue] = []
    thread: set[str] = set()  # topic words said since the current issue was raised
    prev = ""  # the customer's sentence before, across captions ("Is that true?")
    first_said = ""  # the customer's first sentence with two topic words
    for i, ln in enumerate(lines):
        if ln.channel != CUSTOMER:
            if out:
                thread |= _topic(ln.text)
            continue
        announced = False  # "Also, separate thing." on its own announces the next sentence
        for raw in sentences(ln.text):
            if _GREETING.match(raw):
                continue
            marked = announced or bool(_NEW_SUBJECT.search(raw))
            t = _tidy_issue(raw)
            if not t:  # it was only "Separate thing."
                announced = True
                continue
            topic = frozenset(_topic(t))
            current = out[-1] if out else None
            if current is None or not current.topic:
                asked = _with_context(t, prev)
                if first_said and (_ANAPHORA.search(t) or len(topic) < 2):
                    # A follow-up's shape ("What can I claim?") after the customer described
                    # something: what they described is the issue.
                    asked = f"{prev} {t}" if first_said == prev else first_said
                if (_ASK.search(t) or _is_question(t)) and (current is None or _topic(asked)):
                    out = [Issue(_shorten(asked), i, frozenset(_topic(asked)))]
                    thread = set(out[0].topic)
            elif _is_new_issue(t, topic, current.topic if marked else frozenset(thread),
                               few=1 if marked else 2):
                out.append(Issue(_shorten(t), i, topic))
                thread = set(topic)
            else:
                thread |= topic
            announced = marked and len(_words(raw)) <= 4 and not _STATES_ISSUE.search(t)
            if not first_said and len(topic) >= 2:
                first_said = t
            prev = t
    if not out:  # nothing asked or complained about: what the customer said first
        first = next((_tidy(s) for ln in lines if ln.channel == CUSTOMER
                      for s in sentences(ln.text) if not _GREETING.match(s)), "")
        return [Issue(_shorten(first), 0, frozenset(_topic(first)))] if first else []
    return out


def _is_new_issue(sentence: str, topic: frozenset[str], against: frozenset[str],
                  few: int) -> bool:
    return (bool(_STATES_ISSUE.search(sentence)) and not _ANAPHORA.search(sentence)
            and len(topic) >= few and not topic & against)


def _tidy_issue(sentence: str) -> str:
    """A sentence tidied, without its "separate thing," lead; "" when that was all of it."""
    s = _tidy(sentence)
    rest = _SUBJECT_LEAD.sub("", s)
    return _tidy(rest) if rest != s else s


def reason(lines: Sequence[Line]) -> str:
    """The reason for the call: the customer's current issue (see `issues`), short."""
    found = issues(lines)
    return found[-1].text if found else ""


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


@dataclass(frozen=True)
class _Asked:
    text: str  # as shown (with the sentence before it when it says nothing alone)
    topic: frozenset[str]
    line: int  # index of its line
    question: bool  # a question, as opposed to a request ("Please send me an email")


_REQUEST_START = re.compile(r"^(?:please|can you|could you|would you|i need you to)\b", re.I)
# An agent sentence that answers by its shape: yes or no, or a number, a duration, an amount.
_YES_NO = re.compile(r"^(?:yes|yeah|yep|no(?! problem| worries)|nope|unfortunately|i'm afraid|"
                     r"certainly|absolutely|of course|correct|that's right|that's correct|sure)\b",
                     re.I)
_ACK = re.compile(r"^(?:sure|okay|ok|alright|right|great|absolutely|certainly|of course|"
                  r"no problem|thank you|thanks)[,.!]?\s+", re.I)
_WHEN = re.compile(r"\b(?:immediately|right away|straight away|same day|tomorrow|today|"
                   r"next (?:business |working )?(?:day|week|month|bill|billing cycle))\b", re.I)
_NUMBER_WORD = re.compile(r"\b(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
                          r"fifteen|twenty|thirty|forty|fifty|sixty|ninety|hundred|thousand|"
                          r"percent|half|once|twice)\b", re.I)


def asked(lines: Sequence[Line]) -> list[_Asked]:
    """The customer's questions and requests, in order."""
    out: list[_Asked] = []
    for i, ln in enumerate(lines):
        if ln.channel != CUSTOMER:
            continue
        prev = ""
        for s in sentences(ln.text):
            t = _tidy(s)
            question = _is_question(t)
            if not (question or _REQUEST_START.match(t)):
                prev = prev if _GREETING.match(s) else t  # "Okay." is no context
                continue
            text = _with_context(t, prev)
            words = frozenset(_topic(text))
            if words:
                out.append(_Asked(text, words, i, question))
            prev = t
    return out


def same_question(a: frozenset[str], b: frozenset[str]) -> bool:
    """The same question asked again: the same topic words, or one's words all among the
    other's with at least two of them ("How long until I get my money back?" and "How long will
    it take to get my money back?"). "What's the limit?" and "What's the limit for claims?"
    stay two: one word is too little to tell."""
    small, big = (a, b) if len(a) <= len(b) else (b, a)
    return a == b or (len(small) >= 2 and small <= big)


def open_items(lines: Sequence[Line], used: Sequence[Used] = ()) -> list[str]:
    """Customer questions and requests not answered yet, each once (a question asked twice is
    one item, worded as first asked, open unless answered after it was last asked).

    Answered, in plain rules:
    - a later agent sentence (not a stall, not a question) shares a topic word with it;
    - or the agent's first turn after it that is not only stalling ("Let me check") says yes
      or no, or, for a question, a number, duration, amount or when ("About five business
      days.", "It ships the next business day.");
    - or the agent used or copied a suggested line or card made for the caption that asked
      it, or one (used after it was asked) that shares a topic word with it (`Used`).
    """
    # What each agent sentence is about, once: a call has hundreds of them.
    answers = [(j, _topic(a)) for j, ln in enumerate(lines) if ln.channel == AGENT
               for a in sentences(ln.text) if not (_STALL.match(_tidy(a)) or _is_question(a))]
    groups: list[list[_Asked]] = []
    for q in asked(lines):
        group = next((g for g in groups if same_question(g[0].topic, q.topic)), None)
        if group is None:
            groups.append([q])
        else:
            group.append(q)
    out: list[str] = []
    for group in groups:
        last = group[-1]
        if not (any(last.topic & topic for j, topic in answers if j > last.line)
                or _answered_at_once(lines, last) or _used_for(lines, last, used)):
            out.append(group[0].text)
    return _unique(out)


def _answered_at_once(lines: Sequence[Line], q: _Asked) -> bool:
    """Does the agent's first turn after `q` that is not only stalling answer it by its shape?"""
    turn: list[tuple[str, str]] = []  # (sentence, without "Sure," before it)
    for ln in lines[q.line + 1:]:
        if ln.channel == AGENT:
            turn += [(t, c) for s in sentences(ln.text) if not _is_question(s)
                     and (c := _ACK.sub("", t := _tidy(s))) and not _STALL.match(c)]
        elif turn:
            break
    if not turn:
        return False
    if _YES_NO.match(turn[0][0]):
        return True
    said = " ".join(c for _, c in turn)
    return q.question and bool(re.search(r"\d", said) or _NUMBER_WORD.search(said)
                               or _TIMING.search(said) or _WHEN.search(said))


def _used_for(lines: Sequence[Line], q: _Asked, used: Sequence[Used]) -> bool:
    line = lines[q.line]
    return any((u.of and u.of == line.id) or (u.at >= line.start and q.topic & _topic(u.text))
               for u in used)


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


# Words that carry no value: an unsure "the" in "on the third" does not make the date unsure.
_NO_VALUE = frozenset("the a an on of in at by to and or is it's its my your was for until "
                      "about within over up after".split())


def _value_words(text: str) -> set[str]:
    return {w for w in re.findall(r"[^\W_]+", text.lower()) if w not in _NO_VALUE}


def _unsure(line: Line, start: int, end: int) -> bool:
    """Was a word the value was read from one the recognizer was unsure of?"""
    if not line.unsure:
        return False
    said = _value_words(line.text[start:end])
    return any(_value_words(w) & said for w in line.unsure)


def facts(lines: Sequence[Line]) -> list[Fact]:
    """Identifiers, amounts, dates, timings, plan names and redacted items, first said first.
    A fact is marked unsure (to confirm) when every time it was said, a word it was read from
    was one the recognizer was unsure of: said again clearly (the agent reading it back, the
    customer repeating it), it stands."""
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
    for f, i, a, b in out:
        first.setdefault(f.key, f)
        if not _unsure(lines[i], a, b):
            sure.add(f.key)
    return [replace(f, unsure=f.key not in sure) for f in first.values()]


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


def extract(lines: Sequence[Line], used: Sequence[Used] = ()) -> Extraction:
    """The summary's sections from the call so far; `used`: what the agent used or copied
    (answers open items, see `open_items`)."""
    actions, nxt = agent_steps(lines)
    found = issues(lines)
    return Extraction(found[-1].text if found else "", tuple(facts(lines)),
                      tuple(as_note(a) for a in actions), tuple(as_note(n) for n in nxt),
                      tuple(open_items(lines, used)), tuple(i.text for i in found[:-1]))
