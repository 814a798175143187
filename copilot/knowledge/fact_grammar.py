"""When does a word that only qualifies (now, today, twice, again, in full, a bare time unit)
state a policy? The verb group of its clause tells a report from a promise, the agent's own
action from the company's, and a question from a statement (verify.py's module docstring has
the rule with examples)."""

from __future__ import annotations

import re
from typing import NamedTuple

from copilot.knowledge.fact_tokens import Num, Tok, same_clause

__all__ = ["qualifies", "question_sentences", "said_as_rate"]


# -- words that only qualify (QUALIFIERS): a fact only about a policy fact of their clause ----
# The verb group a qualifier belongs to tells a report from a statement of policy: "you *were
# charged* twice", "you *paid* twice", "I've *filed* it today" say what happened (the caller's
# account, not policy); "you'll *be charged* twice", "it's *refunded* in full" say what the
# company does. Its subject tells the agent's own action in the call ("*I'll* file it now",
# "*let me* check that now", "*I can* put you through right away") from the company's or the
# customer's ("*we can* unlock it right away", "*it'll* be back today").
_PAST_AUX = frozenset("was were been had did got gotten wasn't weren't didn't hadn't".split())
_HAVE = frozenset("have has haven't hasn't having".split())
_MODALS = frozenset("will would can could may might shall should must won't wouldn't can't "
                    "cannot couldn't shouldn't mustn't".split())
_PRESENT_AUX = frozenset("is are am be being do does don't doesn't isn't aren't get gets getting "
                         "going".split())
_IRREGULAR_PAST = frozenset("paid took taken made sent gave given told said saw seen came went "
                            "bought spent left lost kept brought found heard sold".split())
_SUBJECTS = frozenset("i you we they he she it there that".split())
_ADVERBS = frozenset("not just also already really still even never always only now".split())


def _aux(w: str) -> str | None:
    """past | have | modal | present, for a word that is (or contracts) an auxiliary."""
    base, _, tail = w.partition("'")
    if tail and base in _SUBJECTS:  # "we'll", "it's", "I've"; not "customer's"
        return {"ll": "modal", "d": "modal", "ve": "have"}.get(tail, "present")
    if w in _PAST_AUX:
        return "past"
    if w in _HAVE:
        return "have"
    return "modal" if w in _MODALS else "present" if w in _PRESENT_AUX else None


def _past_form(w: str) -> bool:
    return w in _IRREGULAR_PAST or len(w) > 3 and w.endswith("ed") and not w.endswith("eed")


class _Verb(NamedTuple):
    reported: bool  # it says what happened
    modal: bool  # will, can, may...: what will or can be done
    agent: bool  # its subject is the agent: I, let me
    procedure: bool = False  # its verb starts a procedure: "I'll *file* a refund"


# Verbs of the agent's own paperwork: what they act on is a request, not the benefit itself, so
# a timing beside them is the agent's ("I'll file a refund right away" files now; when the money
# comes back is another fact). Not "send", "give", "issue" or "process": those hand the benefit
# over ("I'll send you a refund today" promises the refund today).
_PROCEDURES = frozenset("file submit raise log lodge open request escalate report flag note start "
                        "begin create".split())
# Words between an agent's verb group and its verb: "let *me* file", "I'm going *to* file",
# "I'll *go ahead and* file", "I'll *just* file".
_BEFORE_VERB = frozenset("me us to go ahead and just quickly also".split())


def _verb(toks: list[Tok], q: int, used: set[int]) -> _Verb:
    """The verb group of the clause that word q belongs to: the nearest one before it, else
    the first after it ("*Once* the ticket is filed")."""
    clause = [m for m in range(len(toks)) if toks[m].clause == toks[q].clause]
    verbish = [m for m in clause if m != q and m not in used and toks[m].kind == "word"
               and (_aux(toks[m].low) or _past_form(toks[m].low)
                    or toks[m].low in ("let", "let's"))]
    before = [m for m in verbish if m < q]
    if not before and not [m for m in verbish if m > q]:
        return _Verb(False, False, False)
    v = before[-1] if before else next(m for m in verbish if m > q)
    group = [v]
    while group[0] - 1 >= clause[0] and (group[0] - 1 in verbish
                                          or toks[group[0] - 1].low in _ADVERBS):
        group.insert(0, group[0] - 1)
    kinds = [_aux(toks[m].low) for m in group]
    head = toks[group[0]].low
    subject = head.partition("'")[0] if "'" in head else (
        toks[group[0] - 1].low if group[0] > clause[0] else "")
    if head == "let" or head.startswith("let'"):
        subject = "i"  # "let me check", "let's see"
    past = any(_past_form(toks[m].low) for m in group)
    # a past auxiliary ("were charged", "has been"), a perfect ("I've filed"), or a past form
    # after its subject ("you paid", "we refunded"); not a participle that qualifies a noun
    # ("reduced by 12.50 dollars for each month", "the charge taken twice")
    reported = "past" in kinds or past and not ({"modal", "present"} & set(kinds)) and (
        "have" in kinds or subject in _SUBJECTS)
    if toks[v].low in _HAVE or toks[v].low.endswith("'ve"):
        # "I've now filed it": a perfect whose participle comes after the qualifier
        reported = any(_past_form(toks[m].low) for m in clause if v < m <= q + 2)
    main = next((m for m in range(group[-1] + 1, clause[-1] + 1)
                 if toks[m].low not in _BEFORE_VERB and toks[m].low not in _ADVERBS), None)
    procedure = main is not None and main != q and toks[main].low in _PROCEDURES
    return _Verb(reported, "modal" in kinds, subject == "i", procedure)


def question_sentences(text: str, toks: list[Tok]) -> set[int]:
    """The sentences (indices) that end with a question mark: they ask, and state nothing."""
    last: dict[int, int] = {}
    for t in toks:
        last[t.sent] = t.end
    return {s for s, end in last.items() if "?" in _END.match(text, end).group(1)}


_END = re.compile(r"[\s\"')\]\u201d]*([.!?]*)")  # always matches: what ends a sentence


def said_as_rate(toks: list[Tok], i: int, numbers: list[Num]) -> bool:
    """A bare time unit said as a rate: "per week", "12 dollars a month", "twice a year"."""
    prev = toks[i - 1].low if same_clause(toks, i - 1, i) else ""
    if prev == "per":
        return True
    before = toks[i - 2] if prev in ("a", "an") and same_clause(toks, i - 2, i) else None
    return before is not None and (before.low in ("once", "twice", "times") or any(
        x.span[1] == before.end for x in numbers))


def qualifies(toks: list[Tok], q: int, used: set[int], heads: dict[int, set[str]],
               questions: set[int]) -> bool:
    """Does the qualifier at token q (a term of QUALIFIERS, or a bare time unit) state a
    policy? Only about a policy fact of its clause (`heads`: clause -> "value" for a number or
    a rate, "benefit" for BENEFITS, "term" for another policy term), never in a report of
    what happened; in the agent's own action only about a value or a benefit ("I'll refund it
    today", not "I'll file it today"); and a promise of what will or can be done counts
    unless it is the agent's or asked ("we can unlock it right away", "it'll be back today")."""
    verb = _verb(toks, q, used)
    if verb.reported:
        return False
    found = heads.get(toks[q].clause, set())
    if verb.agent:
        return not verb.procedure and bool(found & {"value", "benefit"})
    return bool(found) or verb.modal and toks[q].sent not in questions
