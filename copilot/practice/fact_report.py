"""What the fact-check (copilot/practice/factcheck.py) says of an answer: each fact and its
status (FactCheck: correct, case, echo, time, describes, tally or wrong, as factcheck.py defines
them),
the answer's report (FactReport), and the values a criterion wants said (RequiredFact).

A criterion's required fact ("12.50 dollars") is judged here, once, by `RequiredFact.matches`:
the per-answer feedback and the scorecard's criterion both read that one judgement
(`FactCheck.states`, `FactReport.stated`), so "12.50" said after "150 dollars" is the fee rule's
12.50 dollars in both places.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from copilot.knowledge.parse import Passage
from copilot.knowledge.verify import verify
from copilot.practice.answer_text import _unit
from copilot.practice.errors import ScenarioError

CORRECT, CASE, ECHO, TIME, WRONG = "correct", "case", "echo", "time", "wrong"
DESCRIBES = "describes"
TALLY = "tally"  # a count of what the answer lists (copilot/practice/counts.py)
VALUE_KINDS = ("number", "amount", "duration", "percentage")


@dataclass(frozen=True)
class FactCheck:
    text: str  # as checked: the agent's words, in English when translated
    kind: str  # number | amount | duration | percentage | name | term | rule
    status: str  # correct | case | echo | time | describes | tally | wrong
    passages: tuple[str, ...] = ()  # the passages that state it (correct facts)
    value: str | None = None
    unit: str = ""  # "business day", "dollar", "devic": the verifier's normalised unit
    states: tuple[str, ...] = ()  # the criteria's required phrases this fact states
    elsewhere: tuple[str, ...] = ()  # (wrong facts) other passages that state it, not the case's
    # (wrong promise words) the call's own passages that make this promise, but not as said
    # ("a full refund within 24 hours" where BILL-01 refunds within 5 business days)
    differently: tuple[str, ...] = ()
    # (a rule, kind "rule": copilot/practice/invented_rules.py) its words no passage of the
    # call nor the caller uses
    unsaid: tuple[str, ...] = ()

    @property
    def listed(self) -> bool:
        """Is it a policy fact of its own, listed to the trainee when correct: a value
        (number, amount, duration, percentage) or a name. A term ("fee", "full") and a time
        unit without a number ("months", "per week") are read to judge the answer, and shown
        when wrong (in their words: "per week"), but are no fact to list as found."""
        return self.kind == "name" or self.kind in VALUE_KINDS and self.value is not None

    def to_dict(self) -> dict[str, object]:
        out: dict[str, object] = {"text": self.text, "kind": self.kind, "status": self.status,
                                  "passages": list(self.passages)}
        if self.states:
            out["states"] = list(self.states)
        if self.elsewhere:
            out["elsewhere"] = list(self.elsewhere)
        if self.differently:
            out["differently"] = list(self.differently)
        if self.unsaid:
            out["unsaid"] = list(self.unsaid)
        return out


@dataclass(frozen=True)
class FactReport:
    facts: tuple[FactCheck, ...]
    checked_as: str  # "en" | "translated" | "values only (fr)"
    stated: tuple[tuple[str, str], ...] = ()  # (passage, phrase) required and stated in full
    scenario: tuple[str, ...] = ()  # the scenario's own passages

    def where(self, fact: FactCheck) -> tuple[str, ...]:
        """The passages to name beside a correct fact: the scenario's own that state it, else
        every one that does. "5 business days" is BILL-01's in a double-charge call, although
        the coverage and delivery passages say it too (about something else)."""
        own = tuple(p for p in fact.passages if p in self.scenario)
        return own or fact.passages

    @property
    def limited_to(self) -> str:
        """What the check read when it could not read the whole answer (another language, no
        translator), for the feedback; "" when it read it all."""
        if self.checked_as in ("en", "translated"):
            return ""
        if self.checked_as.endswith("(fr)"):  # copilot/practice/french_rules.py
            return "numbers, units and invented conditions, channels and times"
        return "numbers and units only"

    @property
    def wrong(self) -> list[FactCheck]:
        return [f for f in self.facts if f.status == WRONG]

    @property
    def correct(self) -> list[FactCheck]:
        """The correct policy facts the trainee is shown (FactCheck.listed): the feedback on
        the answer lists these and the scorecard counts these."""
        return [f for f in self.facts if f.status == CORRECT and f.listed]


@dataclass(frozen=True)
class RequiredFact:
    """A value a criterion wants said ("5 business days"), as the verifier reads it, in the
    passage the criterion cites."""

    phrase: str
    kind: str
    value: str
    unit: str
    passage: str = ""

    def matches(self, fact: FactCheck) -> bool:
        """Does this checked fact state the required one? The one judgement the feedback and
        the scorecard share: a correct fact of the cited passage with the same value, and the
        same unit, or no unit of its own ("150 dollars minus 12.50 for each full month": the
        fact-check already found 12.50 in the passage, where it is 12.50 dollars)."""
        if fact.status != CORRECT or fact.value != self.value:
            return False
        if self.passage and self.passage not in fact.passages:
            return False
        if fact.kind == self.kind and (fact.unit == self.unit or not self.unit):
            return True
        return fact.kind == "number" and not fact.unit

    @property
    def key(self) -> tuple[str, str]:
        return (self.passage, self.phrase)

    def said_in(self, report: FactReport) -> bool:
        return self.key in report.stated


def required_facts(phrases: Sequence[str], passage: Passage, where: str = "") -> list[RequiredFact]:
    """The value facts of each phrase; a phrase the passage does not state, or one without a
    value, is a mistake in the scenario (raised as ScenarioError)."""
    out: list[RequiredFact] = []
    for phrase in phrases:
        verdict = verify(phrase, [passage])
        values = [f for f in verdict.facts if f.value is not None]
        if not values:
            raise ScenarioError(f"{where}: {phrase!r} states no number, amount or duration to "
                                "check (write it as the passage does, e.g. '5 business days')")
        if not verdict.ok:
            raise ScenarioError(f"{where}: passage [{passage.id}] does not state {phrase!r} "
                                f"(unsupported: {', '.join(f.text for f in verdict.unsupported)})")
        out.extend(RequiredFact(phrase, f.kind, f.value or "", _unit(f), passage.id)
                   for f in values)
    return out
