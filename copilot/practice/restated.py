"""Absolutes and promise words that state no new policy, read where the words around them show
it (copilot/practice/factcheck.py asks):

- an *absolute that restates a passage*: "only" or "never" is a rule's scope, which only the
  call's passages can state; it states nothing new when its clause says what one sentence of a
  passage of the call says, and that passage states what lies outside it (a "no", "not",
  "never"). "The fee only applies in the first 12 months" restates "within the first 12 months
  ... an early termination fee applies" where the passage adds "after 12 months there is no
  fee"; "to verify you I only need the account number and your 4-digit account PIN" restates
  "verify the caller with the account number and the 4-digit account PIN. Never ask for...";
  "one device was never the rule on our current plans" restates "there is no one-device limit
  on any current plan". The clause's content words (at least two) and numbers must be the
  sentence's, "never" allowing one word of the trainee's own; "only" restates a sentence that
  negates nothing, "never" one that does. Three answer sets flagged such restatements. An absolute over something the passage does not say
  ("only in the app", where the passage gives the app *or* the secure line: "secure line" is
  not said, but neither is the clause "only the app" the passage's sentence, which has more)
  is judged as before when its words are not the passage's;
- a *declined promise*: "I can't promise a different outcome", "I cannot guarantee anything":
  the agent saying they promise nothing makes no promise, whatever follows (two answers of one
  set). "We can't guarantee the refund" is not the agent's own disclaimer and stays checked.

Private to copilot.practice.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from copilot.knowledge.parse import Passage
from copilot.knowledge.query import fold
from copilot.knowledge.verify import verify
from copilot.practice.answer_clauses import _clause_of, now_is_no_time
from copilot.practice.counts import _content
from copilot.practice.own_lack import own_lack
from copilot.practice.said_back import SAID_BACK
from copilot.practice.step_order import after_follows, order_restated, then_follows

__all__ = ["ABSOLUTES", "all_restated", "no_promise", "restated_in"]

ABSOLUTES = frozenset({"only", "never"})
# A trainee's word for a passage's, as their stems: one meaning.
_SAME = {"insid": "within"}
_NEGATION = re.compile(r"\b(?:no|not|never|cannot|none|nor)\b|n't\b", re.I)
_PASSAGE_SENTENCE = re.compile(r"[.!?;]+(?=\s|$)|\n")
# "I can't promise", "I cannot guarantee", "I won't promise", "I'm not able to promise".
# ("I'm" has no space before its "'m": the first writing of "I'm not able to" never matched.)
# The agent, before a verb: "I", "we", with a filler or a pause between ("I, er, can't promise
# that"), or no one in a typed note ("can't promise which is faster": answer set 37).
# (an adverb too: "I honestly can't promise either way": answer set 48)
_ME = (r"(?:\b(?:I|we)(?:[\s,]+(?:um|uh|er|erm|ah|well|honestly|really|truly|just|simply"
       r"|genuinely|frankly))*[\s,]*"
       r"|^\s*|(?<=[.!?;:,]\s)|\b(?:um|uh|er|erm|so|but|and)\s+)")
_DECLINED = re.compile(_ME + r"(?:can['\u2019]?t|cannot|can\s+not|won['\u2019]t|couldn['\u2019]t|"
                       r"(?:am|['\u2019]m)\s+not\s+able\s+to|(?:do|['\u2019]d)\s+not|don['\u2019]t"
                       r"|(?:['\u2019]d|\s*would)\s+rather\s+not)\s+"
                       # ("I won't make any promise there": answer set 49)
                       r"(?:(?:make|give)\s+(?:you\s+)?(?:any|a)\s+)?$",
                       re.I)


def restated_in(text: str, span: tuple[int, int], group: str, passages: Sequence[Passage]
                ) -> tuple[str, ...]:
    """The passages one sentence of which the clause of the absolute at `span` restates, when
    the passage also states what lies outside it (module docstring)."""
    if group == "only" and (then_follows(text, span) or after_follows(text, span)):
        return order_restated(text, span, passages)
    a, b = _clause_of(text, span)
    rest = text[a:span[0]] + " " + text[span[1]:b]
    # ("It only applies inside the first 12 months", for the passage's "within": answer sets 39
    # and 41)
    words = {_SAME.get(w, w) for w in _content(rest)}
    # The items "only" narrows to may run past its clause ("I only need the account number
    # and your PIN" is cut at "and"): the conjuncts are looked for in its whole sentence.
    start = max(text.rfind(c, 0, span[0]) for c in ".!?") + 1
    ends = [i for i in (text.find(c, span[1]) for c in ".!?") if i >= 0]
    whole = _content(text[start:min(ends) if ends else len(text)])
    values = {f.value for f in verify(rest, []).facts if f.value is not None}
    if len(words) < 2:
        return ()
    # "only" narrows: every word of what it narrows to must be the passage's ("only phones and
    # tablets *count*" is no restatement of "your phone and tablet are both fine"); "never"
    # restating a negation may put it in one word of the trainee's ("never *the rule*")
    allowed = 1 if group == "never" else 0
    out = []
    for p in passages:
        lines = [ln for ln in fold(p.full_text).splitlines()
                 if not ln.startswith("customers ask")]  # questions state no policy
        if not any(_NEGATION.search(ln) for ln in lines):
            continue
        for sentence in (s for ln in lines for s in _PASSAGE_SENTENCE.split(ln)):
            # "never" restates a negation, "only" a rule whose outside is negated elsewhere
            if bool(_NEGATION.search(sentence)) != (group == "never"):
                continue
            said = _content(sentence)
            stated = {f.value for f in verify(sentence, []).facts if f.value is not None}
            if len(words & said) >= 2 and len(words - said) <= allowed and values <= stated \
                    and (group == "never" or _names_every_conjunct(whole, sentence)) \
                    and (group == "never" or _outside_stated(words, lines)):
                out.append(p.id)
                break
    return tuple(out)


# Items a passage sentence joins ("the account number and the 4-digit account PIN"): within one
# of its comma-free stretches, the parts between "and" / "or".
_STRETCH = re.compile(r"[,:;()]")
_JOIN = re.compile(r"\s+(?:and|or)\s+")


def _names_every_conjunct(words: set[str], sentence: str) -> bool:
    """"Only" narrows to what it names: naming one of the items a passage sentence joins and
    not the others ("I only need the account number", where the caller is verified "with the
    account number and the 4-digit account PIN") drops a requirement the passage states. Each
    item is known by its words no other item of the list has."""
    for stretch in _STRETCH.split(sentence):
        parts = [_content(x) for x in _JOIN.split(stretch)]
        if len(parts) < 2:
            continue
        own = [part - set().union(*(q for q in parts if q is not part)) for part in parts]
        named = [bool(words & o) for o in own if o]
        if any(named) and not all(named):
            return False
    return True


def _outside_stated(words: set[str], lines: Sequence[str]) -> bool:
    """"Only" says nothing lies outside its clause: the passage must state that outside about
    the same thing, a negated sentence sharing two of the clause's words ("the fee only applies
    in the first 12 months": "after 12 months there is no fee")."""
    return any(len(words & _content(s)) >= 1 for ln in lines
               for s in _PASSAGE_SENTENCE.split(ln) if _NEGATION.search(s))


# "that's all", "... are all I need": "all" as the whole of what was just listed.
_ALL_OF_IT = re.compile(r"(?:\b(?:that|this|it)['\u2019]s|\b(?:that|this|it)\s+is|\bis|\bare)\s+$",
                        re.I)


# ... and nothing after it but the end of its clause or who needs it: "are all *set* to be
# waived" is a scope ("all" the fees), not the whole of a list.
_ALL_ENDS = re.compile(r"\s*(?:[.,;:!?]|$|(?:that\s+)?(?:I|we)\s+need\b)", re.I)


def all_restated(text: str, span: tuple[int, int], passages: Sequence[Passage]
                 ) -> tuple[str, ...]:
    """The passages whose sentence the answer restates when its "all" closes a list ("I verify
    the caller with the account number and the 4-digit account PIN, that's all"; "The account
    number and your four-digit account PIN are all I need"): "all" says nothing lies outside
    what the answer just listed, as "only" does, so the same holds: the list is one passage
    sentence's, naming every item that sentence joins ("Your account number is all I need"
    drops the PIN and stays wrong), and the passage states what lies outside it. The list is
    the sentence of the "all", or the sentence before it when "That's all" starts its own.
    Three answers of two sets."""
    if not _ALL_OF_IT.search(text[max(0, span[0] - 12):span[0]]) \
            or not _ALL_ENDS.match(text, span[1]):
        return ()
    start = max(text.rfind(c, 0, span[0]) for c in ".!?") + 1
    said = text[start:span[0]]
    if len(_content(said)) < 2:  # "That's all": the sentence before it holds the list
        before = max(text.rfind(c, 0, max(0, start - 1)) for c in ".!?") + 1
        said = text[before:span[0]]
    words = _content(said)
    values = {f.value for f in verify(said, []).facts if f.value is not None}
    out = []
    for p in passages:
        lines = [ln for ln in fold(p.full_text).splitlines()
                 if not ln.startswith("customers ask")]
        for sentence in (s for ln in lines for s in _PASSAGE_SENTENCE.split(ln)):
            have = _content(sentence)
            stated = {f.value for f in verify(sentence, []).facts if f.value is not None}
            if len(words & have) >= 2 and len(words - have) <= 1 and values <= stated \
                    and not _NEGATION.search(sentence) \
                    and _names_every_conjunct(words, sentence) and _outside_stated(words, lines):
                out.append(p.id)
                break
    return tuple(out)


def declined_promise(text: str, span: tuple[int, int]) -> bool:
    """Is the promise word at `span` the agent's own "I can't promise" (module docstring)?"""
    return bool(_DECLINED.search(text[:span[0]]))


# What the clause before a fact says of it: the agent declines to promise it ("I can't promise
# the money back right away"), or names what the caller wants ("I know you'd like your money
# back right away", "I understand you want the refund today"). Neither promises what follows
# (a walk-through's trainee failed a session on each).
_NOT_PROMISED = re.compile(
    _ME + r"(?:can['\u2019]?t|cannot|can\s+not|won['\u2019]t|couldn['\u2019]t|"
    r"(?:am|['\u2019]m)\s+not\s+able\s+to|don['\u2019]t\s+want\s+to"
    # ("so I'd rather not promise anything about using it overseas": answer set 39)
    r"|(?:['\u2019]d|\s*would)\s+rather\s+not)\s+(?:promise|guarantee)\b"
    # ("so I won't make any promise there": answer set 49)
    r"|" + _ME + r"(?:won['\u2019]t|will\s+not|can['\u2019]?t|cannot)\s+(?:make|give)\s+(?:you\s+)?"
    r"(?:any|a)\s+(?:promises?|guarantees?)\b"
    r"|\bI\s+(?:know|understand|get|hear|realise|realize|appreciate)\s+(?:that\s+)?"
    r"you(?:['\u2019]d\s+like|\s+would\s+like|\s+want(?:ed)?|\s+need(?:ed)?"
    r"|['\u2019]re\s+hoping\s+for|\s+were\s+hoping\s+for|\s+expected)\b"
    # ... or what the caller read or was told, said back (said_back.py)
    r"|" + SAID_BACK, re.I)


def no_promise(text: str, clause: tuple[int, int], span: tuple[int, int], group: str) -> bool:
    """Is the fact at `span` no promise: the promise word of the agent's own "I can't promise"
    (`group` "guarantee"), or what follows, in its clause, the agent declining to promise it or
    naming what the caller wants (above), or a "now" that says no time
    (answer_clauses.now_is_no_time), or in a clause that says what the trainee does not have or
    know (own_lack.py: "Cancelling just one line isn't something I've got anything on")?"""
    return group == "guarantee" and declined_promise(text, span) or \
        bool(_NOT_PROMISED.search(text, clause[0], span[0])) or now_is_no_time(text, span) or \
        own_lack(text[clause[0]:clause[1]]) or _lack_said_after(text, clause)


# The clause said, then the trainee's lack of it pointing back ("automatic payments are tbc,
# that's not in what I have": answer set 43).
_POINTS_BACK = re.compile(r"[\s,:;-]*(?:that(?:'s|\s+is|\s+one\s+is)|which\s+is|it(?:'s|\s+is)"
                          r"|this\s+is|those\s+are)\b[^.!?;]*", re.I)


# (of what the trainee has or knows: not "that's not something I can change")
_KNOWING = re.compile(r"\b(?:have|got|know|see|notes|guidance|info\w*|speak\s+to|cover\w*"
                      r"|front\s+of\s+me)\b", re.I)


def _lack_said_after(text: str, clause: tuple[int, int]) -> bool:
    m = _POINTS_BACK.match(text.replace("\u2019", "'"), clause[1])
    return m is not None and own_lack(m.group()) and bool(_KNOWING.search(m.group()))
