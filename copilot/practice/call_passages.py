"""What the passages of one practice call say, computed once per call: the promise groups of
each passage, its words and detail numbers, the schedules and counts of the call's own
passages, and which passages make a promise. The fact-check (factcheck.FactChecker) judges an
answer's facts against them."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cached_property

from copilot.knowledge.base import KnowledgeBase, Translator
from copilot.knowledge.parse import Passage
from copilot.knowledge.query import fold
from copilot.knowledge.verify import Fact, known_names, term_keys, verify
from copilot.practice.answer_clauses import _promise
from copilot.practice.answer_text import _english_values, _unit
from copilot.practice.derived_values import Schedule, schedules
from copilot.practice.fact_report import RequiredFact

__all__ = ["ELIGIBILITY", "CallPassages"]

# The eligibility comparators: a number a passage puts after them conditions its promise ("after
# 12 months there is no fee"), and a line that drops it promises more than the passage does.
# Other numbers near a promise are its details ("refunded ... within 5 business days"): a line
# may leave them for another sentence; when it states them, they are checked as facts.
ELIGIBILITY = frozenset({"after", "before", "first", "last", "min", "over", "under"})
_FLIPS = {"charge": "free", "free": "charge", "limit": "unlimited", "unlimited": "limit"}


class CallPassages:
    """One knowledge base seen from one scenario: its passages (the call's own first), the
    caller's details as a passage of their own, and what each says."""

    def __init__(self, kb: KnowledgeBase, scenario_passages: Sequence[str],
                 case_facts: Sequence[str] = (), *, translator: Translator | None = None,
                 required: Sequence[RequiredFact] = (), lang: str = "en"):
        """`lang`: the language of the case facts and of the customer's lines."""
        self.kb = kb
        self.all = list(kb.passages.values())
        self.scenario_passages = tuple(p for p in scenario_passages if p in kb.passages)
        self.names = known_names(self.all)
        self.lang = lang
        case = "\n".join(case_facts)
        self.case = Passage("CASE", "the caller's details",
                            _english_values(case) if lang != "en" else case, (), "scenario")
        self.translator = translator
        self.required = tuple(required)
        self._groups: dict[str, frozenset[str]] = {}
        self._details: dict[str, str] = {}
        self._words: dict[str, str] = {}

    # -- what each passage says, computed once ---------------------------------------------
    def groups(self, passage: Passage) -> frozenset[str]:
        """The promise groups a passage's words use, either polarity ("no fee" is about fees
        too)."""
        key = passage.id if passage.id not in ("HEARD",) else passage.full_text
        if key not in self._groups:
            found = {k.removeprefix("not ") for k in term_keys(passage.full_text)}
            self._groups[key] = frozenset(found | {_FLIPS[g] for g in found if g in _FLIPS})
        return self._groups[key]

    def words(self, passage: Passage) -> str:
        """" word word ... ": the passage's words, folded, for looking names up."""
        if passage.id not in self._words:
            self._words[passage.id] = " " + " ".join(
                w.removesuffix("'s") for w in re.findall(r"[^\W\d_]+(?:'[^\W\d_]+)*|\d+",
                                                          fold(passage.full_text).replace(
                                                              "\u2019", "'"))) + " "
        return self._words[passage.id]

    def details(self, passage: Passage) -> str:
        """The passage's detail numbers (not eligibility conditions), as a sentence added after
        an answer when it is checked against that passage: see ELIGIBILITY."""
        if passage.id not in self._details:
            values = dict.fromkeys(f.value for f in verify(passage.full_text, [passage]).facts
                                   if f.value is not None
                                   and f.key.split()[0] not in ELIGIBILITY)
            self._details[passage.id] = "".join(f"\n{v} ." for v in values)
        return self._details[passage.id]

    @cached_property
    def _said_here(self) -> tuple[str, ...]:
        """What the call's own passages and the caller's details say, for invented_rules."""
        return (*(self.kb.passages[p].full_text for p in self.scenario_passages),
                self.case.full_text)

    @cached_property
    def schedules(self) -> list[Schedule]:
        """The schedules the call's passages state ("150 dollars, reduced by 12.50 dollars for
        each full month"): derived_values."""
        return schedules([(p, self.kb.passages[p].full_text) for p in self.scenario_passages])

    @cached_property
    def counted(self) -> frozenset[str]:
        """What the scenario's passages count: the units of their numbers ("devic" for "up to 5
        devices", "digit" for "4-digit"). A compound that counts one of these states a rule of
        the call ("a 3-device limit"); another only describes its noun ("two-factor")."""
        return frozenset(_unit(f) for pid in self.scenario_passages
                         for f in verify(self.kb.passages[pid].full_text,
                                         [self.kb.passages[pid]]).facts
                         if f.kind == "number" and f.value is not None)

    def promised_here(self, fact: Fact) -> tuple[str, ...]:
        """(a wrong promise word) the call's own passages that make that promise, with other
        conditions than the answer gives it."""
        return tuple(p for p in self.scenario_passages
                     if _promise(fact) in term_keys(self.kb.passages[p].full_text))

    def promised_in(self, fact: Fact) -> tuple[str, ...]:
        """(a wrong promise word no passage supports as said) the other passages that make
        that promise, about something else: "refund" is BILL-01's and BILL-08's."""
        return tuple(p.id for p in self.all if p.id not in self.scenario_passages
                     and _promise(fact) in term_keys(p.full_text))
