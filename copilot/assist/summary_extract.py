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
  spelled as letters and digits; amounts, dates, timings, plan names, placeholders.
- actions: agent sentences saying what they did or are doing ("I've issued", "I can see",
  "let me check"); next steps: what someone will do ("I'll send", "you'll see it in 5 days",
  "please restart"); open items: customer questions and requests not yet answered (see
  `open_items`), the same question asked twice being one item.
- to confirm: any of these lines (a fact's value, the reason, an action, a next step, an open
  item) read from words the recognizer was unsure of (`Line.unsure`) is marked for the agent to
  confirm, by one rule (`summary_lines.heard_unsure`): only the words the line uses count, and
  the same words said again clearly settle them.

The reason is found here; the facts in `summary_facts`, the actions, next steps and open items
in `summary_steps`, `Line` and the shared sentence helpers in `summary_lines`. The names other
code uses are all importable from here.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from copilot.assist.summary_facts import (
    Code,
    Fact,
    codes,
    facts,
    spoken_codes,
    spoken_digits,
    words_value,
)
from copilot.assist.summary_lines import (
    _GREETING,
    AGENT,
    CONFIRM,
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
from copilot.assist.summary_steps import (
    Used,
    agent_steps,
    as_note,
    asked,
    open_items,
    open_said,
    same_question,
    steps,
)
from copilot.text.sentences import sentences

__all__ = [
    "AGENT", "CONFIRM", "CUSTOMER", "Code", "Extraction", "Fact", "Issue", "Line", "Said",
    "Used", "agent_steps", "as_note", "asked", "codes", "extract", "facts", "heard_unsure",
    "issues", "open_items", "open_said", "reason", "same_question", "spoken_codes",
    "spoken_digits", "steps", "words_value", "_tidy",
]


@dataclass(frozen=True)
class Extraction:
    reason: str
    facts: tuple[Fact, ...]
    actions: tuple[str, ...]
    next: tuple[str, ...]
    open: tuple[str, ...]
    earlier: tuple[str, ...] = ()  # issues raised before the current reason, oldest first
    # The lines above (not the facts: they carry their own mark) read from words the recognizer
    # was unsure of, every time those words were said: shown with CONFIRM (`marked`).
    to_confirm: frozenset[str] = frozenset()

    def marked(self, text: str, shown: str | None = None) -> str:
        """`shown` (by default `text`, a line of this extraction) with CONFIRM after it when
        `text` is to confirm: the LLM's rephrasing of an unsure reason is as unsure."""
        out = text if shown is None else shown
        return out + CONFIRM if text in self.to_confirm and out else out


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
    unsure: bool = False  # a word of `text` was one the recognizer was unsure of


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
    prev_at = first_at = 0  # the lines they were said in (for their unsure words)
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
                # The sentences the issue is said in, each with its line: (line, sentence).
                parts = [(prev_at, prev), (i, t)] if _with_context(t, prev) != t else [(i, t)]
                if first_said and (_ANAPHORA.search(t) or len(topic) < 2):
                    # A follow-up's shape ("What can I claim?") after the customer described
                    # something: what they described is the issue.
                    parts = [(prev_at, prev), (i, t)] if first_said == prev else \
                        [(first_at, first_said)]
                asked = " ".join(p for _, p in parts)
                if (_ASK.search(t) or _is_question(t)) and (current is None or _topic(asked)):
                    out = [_issue(lines, parts, i, frozenset(_topic(asked)))]
                    thread = set(out[0].topic)
            elif _is_new_issue(t, topic, current.topic if marked else frozenset(thread),
                               few=1 if marked else 2):
                out.append(_issue(lines, [(i, t)], i, topic))
                thread = set(topic)
            else:
                thread |= topic
            announced = marked and len(_words(raw)) <= 4 and not _STATES_ISSUE.search(t)
            if not first_said and len(topic) >= 2:
                first_said, first_at = t, i
            prev, prev_at = t, i
    if not out:  # nothing asked or complained about: what the customer said first
        k, first = next(((k, _tidy(s)) for k, ln in enumerate(lines) if ln.channel == CUSTOMER
                         for s in sentences(ln.text) if not _GREETING.match(s)), (0, ""))
        return [_issue(lines, [(k, first)], 0, frozenset(_topic(first)))] if first else []
    return out


def _issue(lines: Sequence[Line], parts: Sequence[tuple[int, str]], at: int,
           topic: frozenset[str]) -> Issue:
    """The issue said in `parts` ((line, sentence), in order) as shown: joined and shortened;
    unsure when a word it still shows was unsure in the line that word was said in (a word
    `_shorten` cut off is not shown, so it marks nothing)."""
    text = _shorten(" ".join(p for _, p in parts))
    left = len(text.split())  # _shorten keeps the first words ("... cut..." is one of them)
    unsure = False
    for k, sentence in parts:
        words = sentence.split()
        unsure = unsure or heard_unsure(lines[k], " ".join(words[:max(left, 0)]))
        left -= len(words)
    return Issue(text, at, topic, unsure)


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


def extract(lines: Sequence[Line], used: Sequence[Used] = ()) -> Extraction:
    """The summary's sections from the call so far; `used`: what the agent used or copied
    (answers open items, see `open_items`)."""
    done, will = steps(lines)
    actions = [Said(as_note(a.text), a.unsure) for a in done]
    nxt = [Said(as_note(n.text), n.unsure) for n in will]
    still_open = open_said(lines, used)
    found = issues(lines)
    said = [*actions, *nxt, *still_open, *(Said(i.text, i.unsure) for i in found)]
    # The same words said clearly anywhere settle them, as for a fact said again.
    to_confirm = frozenset(s.text for s in said if s.unsure) - {s.text for s in said
                                                                 if not s.unsure}
    return Extraction(found[-1].text if found else "", tuple(facts(lines)),
                      tuple(a.text for a in actions), tuple(n.text for n in nxt),
                      tuple(o.text for o in still_open), tuple(i.text for i in found[:-1]),
                      to_confirm)
