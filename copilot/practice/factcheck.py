"""Policy facts in a trainee's answer, checked like a suggested line (copilot.knowledge.verify).

Each fact of the answer (number, amount, duration, percentage, plan name, policy term) is
- correct: a passage of the knowledge base states it (which ones is kept: the scenario's own
  passages, or another one, which is right but maybe beside the point);
- case: not policy but the caller's own details, which the scenario lists (the amount charged,
  the months of service, the customer's name): the agent may repeat them;
- wrong: nothing supports it. That is the "promised what no policy allows" of the issue.

Courtesy phrases are masked first ("have a good day" is not a duration). The verifier reads
English: an answer in another language is checked through a Translator when one is given;
otherwise a small glossary writes its numbers and units in English ("5 jours ouvrés" ->
"5 business days") and only the facts that carry a value are checked (names and policy words
of a French sentence would be misread); the report says so in `checked_as`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from copilot.knowledge.base import KnowledgeBase, Translator
from copilot.knowledge.parse import Passage
from copilot.knowledge.verify import Fact, known_names, verify
from copilot.practice.errors import ScenarioError

__all__ = ["FactCheck", "FactChecker", "FactReport", "RequiredFact", "required_facts"]

CORRECT, CASE, WRONG = "correct", "case", "wrong"
VALUE_KINDS = ("number", "amount", "duration", "percentage")


@dataclass(frozen=True)
class FactCheck:
    text: str  # as checked: the agent's words, in English when translated
    kind: str  # number | amount | duration | percentage | name | term
    status: str  # correct | case | wrong
    passages: tuple[str, ...] = ()  # the passages that state it (correct facts)
    value: str | None = None
    unit: str = ""  # "business day", "dollar", "devic": the verifier's normalised unit

    def to_dict(self) -> dict[str, object]:
        return {"text": self.text, "kind": self.kind, "status": self.status,
                "passages": list(self.passages)}


@dataclass(frozen=True)
class FactReport:
    facts: tuple[FactCheck, ...]
    checked_as: str  # "en" | "translated" | "values only (fr)"

    @property
    def wrong(self) -> list[FactCheck]:
        return [f for f in self.facts if f.status == WRONG]

    @property
    def correct(self) -> list[FactCheck]:
        return [f for f in self.facts if f.status == CORRECT]


@dataclass(frozen=True)
class RequiredFact:
    """A value a criterion wants said ("5 business days"), as the verifier reads it."""

    phrase: str
    kind: str
    value: str
    unit: str

    def said_in(self, report: FactReport) -> bool:
        return any(f.status == CORRECT and f.value == self.value and f.kind == self.kind
                   and (f.unit == self.unit or not self.unit) for f in report.facts)


def _unit(fact: Fact) -> str:
    parts = fact.key.split()
    return " ".join(parts[parts.index(fact.value) + 1:]) if fact.value in parts else ""


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
        out.extend(RequiredFact(phrase, f.kind, f.value or "", _unit(f)) for f in values)
    return out


# Pleasantries and empathy the verifier would read as facts ("a good day" is a duration to it,
# "that must be frustrating" a requirement).
_COURTESY = re.compile(
    r"\b(?:have|enjoy) an? (?:great|good|nice|lovely|wonderful|pleasant) (?:day|evening|"
    r"weekend|afternoon|morning|night)\b|\bgood (?:morning|afternoon|evening|day)\b"
    r"|\b(?:one|a|just a|give me a) (?:moment|second|minute|sec)\b"
    r"|\b(?:how )?(?:can|may) I (?:help|assist)(?: you)?(?: today)?\b"
    r"|\b(?:that|this|it) must (?:be|have been|feel)\b|\b(?:for|just) now\b"
    r"|\bbonne (?:journée|soirée|fin de journée)\b|\bun (?:instant|moment)\b", re.I)

# French numbers and units in English words, so the verifier can read their values.
_FR = [(re.compile(p, re.I), r) for p, r in (
    (r"(\d+),(\d{1,2})\b", r"\1.\2"),
    (r"\bjours? (?:ouvrés|ouvrables|ouvres)\b", "business days"), (r"\bjours?\b", "days"),
    (r"\bmois\b", "months"), (r"\bheures?\b", "hours"), (r"\bsemaines?\b", "weeks"),
    (r"\bans\b|\bannées?\b", "years"), (r"\bGo\b", "GB"), (r"\bMo\b", "MB"),
    (r"\beuros?\b", "euros"), (r"\bdollars?\b", "dollars"), (r"\bpour ?cent\b", "percent"),
    (r"\bappareils?\b", "devices"), (r"\blignes?\b", "lines"), (r"\bchiffres\b", "digits"),
    (r"\bjusqu['’]à\b", "up to"), (r"\bau (?:plus|maximum)\b", "at most"),
    (r"\bau moins\b", "at least"), (r"\bsous\b|\bdans un délai de\b", "within"),
    (r"\baprès\b", "after"), (r"\bavant\b", "before"),
    *((rf"\b{w}\b", str(n)) for w, n in (
        ("deux", 2), ("trois", 3), ("quatre", 4), ("cinq", 5), ("six", 6), ("sept", 7),
        ("huit", 8), ("neuf", 9), ("dix", 10), ("douze", 12), ("quinze", 15), ("vingt", 20),
        ("trente", 30), ("soixante", 60), ("cent cinquante", 150), ("cent", 100))),
)]


def _mask(text: str) -> str:
    return _COURTESY.sub(lambda m: " " * len(m.group()), text)


def _english_values(text: str) -> str:
    for pattern, repl in _FR:
        text = pattern.sub(repl, text)
    return text


class FactChecker:
    """Checks answers against one knowledge base for one scenario."""

    def __init__(self, kb: KnowledgeBase, scenario_passages: Sequence[str],
                 case_facts: Sequence[str] = (), *, translator: Translator | None = None):
        self.kb = kb
        self.all = list(kb.passages.values())
        self.scenario_passages = tuple(scenario_passages)
        self.names = known_names(self.all)
        self.case = Passage("CASE", "the caller's details", "\n".join(case_facts), (), "scenario")
        self.translator = translator

    def check(self, text: str, lang: str = "en") -> FactReport:
        text = _mask(text)
        values_only = False
        checked_as = "en"
        if lang != "en":
            if self.translator is not None:
                text, checked_as = self.translator.translate(text, lang, "en"), "translated"
            else:
                text, checked_as, values_only = _english_values(text), f"values only ({lang})", True
        by_passage = {p.id: {f.span for f in verify(text, [p], names=self.names).facts
                             if f.supported} for p in self.all}
        case = {f.span for f in verify(text, [self.case], names=self.names).facts if f.supported}
        out: list[FactCheck] = []
        for f in verify(text, self.all, names=self.names).facts:
            if values_only and f.kind not in VALUE_KINDS:
                continue
            ids = tuple(pid for pid, spans in by_passage.items() if f.span in spans)
            if not ids and values_only and f.kind == "number" and f.value is not None:
                # a French noun after the number is unknown to the verifier: compare the value
                ids = tuple(p.id for p in self.all if verify(f.value, [p]).ok)
            status = CORRECT if ids else CASE if f.span in case else WRONG
            out.append(FactCheck(f.text, f.kind, status, ids, f.value,
                                 _unit(f) if f.value is not None else ""))
        return FactReport(tuple(out), checked_as)
