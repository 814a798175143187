"""Actions, next steps and open items for the running summary: the agent's sentences saying what
they did or will do, and the customer's questions and requests not answered yet. Each is a
`Said`: read from a word the recognizer was unsure of, it is marked for the agent to confirm
(summary_lines.heard_unsure, the rule facts follow too)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from copilot.assist.summary_facts import _TIMING
from copilot.assist.summary_lines import (
    _GREETING,
    AGENT,
    CUSTOMER,
    Line,
    Said,
    _is_question,
    _tidy,
    _topic,
    _with_context,
    _words,
    heard_unsure,
)
from copilot.text.sentences import sentences


@dataclass(frozen=True)
class Used:
    """A suggested line or knowledge card the agent used or copied: the agent said it, in
    effect. `of` is the caption it was offered for, `at` the call time of the action."""

    of: str
    text: str
    at: float


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
    actions, nxt = steps(lines)
    return [a.text for a in actions], [n.text for n in nxt]


def steps(lines: Sequence[Line]) -> tuple[list[Said], list[Said]]:
    """`agent_steps` with, for each, whether the clause it was read from ("I'll send" of
    "Sure, I'll send...": what the line says, not the whole caption) has an unsure word."""
    actions: list[Said] = []
    nxt: list[Said] = []
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
                nxt.append(Said(core, heard_unsure(ln, core)))
            elif _ACTION.match(core):
                actions.append(Said(core, heard_unsure(ln, core)))
    return _unique(actions), _unique(nxt)


@dataclass(frozen=True)
class _Asked:
    text: str  # as shown (with the sentence before it when it says nothing alone)
    topic: frozenset[str]
    line: int  # index of its line
    question: bool  # a question, as opposed to a request ("Please send me an email")
    unsure: bool = False  # `text` has a word the recognizer was unsure of (heard_unsure)


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
                out.append(_Asked(text, words, i, question, heard_unsure(ln, text)))
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
    """The texts of `open_said`."""
    return [o.text for o in open_said(lines, used)]


def open_said(lines: Sequence[Line], used: Sequence[Used] = ()) -> list[Said]:
    """Customer questions and requests not answered yet, each once (a question asked twice is
    one item, worded as first asked, open unless answered after it was last asked).

    Answered, in plain rules:
    - a later agent sentence (not a stall, not a question) shares a topic word with it;
    - or the agent's first turn after it that is not only stalling ("Let me check") says yes
      or no, or, for a question, a number, duration, amount or when ("About five business
      days.", "It ships the next business day.");
    - or the agent used or copied a suggested line or card made for the caption that asked
      it, or one (used after it was asked) that shares a topic word with it (`Used`).
    An item is unsure when its words (the first asking's) were unsure every time they were
    said: asked again in the same words, heard clearly, they stand.
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
    out: list[Said] = []
    for group in groups:
        last = group[-1]
        if not (any(last.topic & topic for j, topic in answers if j > last.line)
                or _answered_at_once(lines, last) or _used_for(lines, last, used)):
            out += [Said(q.text, q.unsure) for q in group if _key(q.text) == _key(group[0].text)]
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


def _key(text: str) -> str:
    return " ".join(_words(text))


def _unique(items: Iterable[Said]) -> list[Said]:
    """Each line once, as first said; unsure only when it was unsure every time it was said
    (the same words heard clearly once settle them, as for a fact said again)."""
    first: dict[str, Said] = {}
    sure: set[str] = set()
    for it in items:
        k = _key(it.text)
        if k:
            first.setdefault(k, it)
            if not it.unsure:
                sure.add(k)
    return [Said(s.text, k not in sure) for k, s in first.items()]
