"""Feedback after one answer, and the scorecard at the end of a practice session.

Plain data with `to_dict()` (the CLI's --json, the store, the app's Practice tab). Every text in
here went through redaction in the session before it was put here.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from typing import Any

from copilot.practice.criteria import RuleResult
from copilot.practice.customer import CustomerTurn
from copilot.practice.factcheck import FactReport
from copilot.practice.feedback import Tone

__all__ = ["WRONG_FACTS", "Scorecard", "TurnFeedback", "TurnResult"]

# What the count of wrong facts (Scorecard.facts_wrong) says of them, after the number: some
# are stated by no passage, others by a passage about something else (the feedback names it),
# so the words are what they all share. The command and the Practice tab both print this.
WRONG_FACTS = "not supported by this call's passages"


@dataclass(frozen=True)
class TurnFeedback:
    n: int  # 1-based answer number
    customer: str  # the line the agent answered
    agent: str  # the answer, redacted
    lang: str  # the answer's language as read ("en", "fr")
    seconds: float | None  # response time; None when not measured (scripted answers)
    slow: bool
    facts: FactReport
    tone: Tone
    changes: tuple[RuleResult, ...]  # criteria decided by this answer: met, missed, violated
    notes: tuple[str, ...]  # one line each, for people

    def to_dict(self) -> dict[str, Any]:
        return {"n": self.n, "customer": self.customer, "agent": self.agent, "lang": self.lang,
                "seconds": None if self.seconds is None else round(self.seconds, 2),
                "slow": self.slow, "facts": [f.to_dict() for f in self.facts.facts],
                "facts_checked_as": self.facts.checked_as, "tone": self.tone.to_dict(),
                "changes": [c.to_dict() for c in self.changes], "notes": list(self.notes)}


@dataclass(frozen=True)
class TurnResult:
    feedback: TurnFeedback
    customer: CustomerTurn  # the customer's next line; `.last` when the call is over


@dataclass(frozen=True)
class Scorecard:
    scenario_id: str
    scenario_title: str
    started_at: str  # ISO 8601, UTC
    ended_at: str
    completed: bool  # the customer ended the conversation (not stopped half-way)
    customer_turns: tuple[CustomerTurn, ...]
    answers: tuple[TurnFeedback, ...]
    results: tuple[RuleResult, ...]  # criteria first, then forbidden moves

    @property
    def criteria(self) -> list[RuleResult]:
        return [r for r in self.results if not r.forbidden]

    @property
    def forbidden(self) -> list[RuleResult]:
        return [r for r in self.results if r.forbidden]

    @property
    def score(self) -> float:
        """The share of rules satisfied (met, not applicable, or a forbidden move avoided)."""
        return sum(r.ok for r in self.results) / len(self.results) if self.results else 0.0

    @property
    def passed(self) -> bool:
        return self.completed and all(r.ok for r in self.results)

    @property
    def facts_correct(self) -> int:
        return sum(len(a.facts.correct) for a in self.answers)

    @property
    def facts_wrong(self) -> int:
        """The facts of the answers no passage of the scenario supports (WRONG_FACTS), each
        counted once per answer (a pasted answer repeating one line 27 times counted 27)."""
        return sum(len({f.text.casefold() for f in a.facts.wrong}) for a in self.answers)

    @property
    def response_times(self) -> list[float]:
        return [a.seconds for a in self.answers if a.seconds is not None]

    @property
    def median_response(self) -> float | None:
        times = self.response_times
        return statistics.median(times) if times else None

    def tone_summary(self) -> dict[str, Any]:
        return {
            "apology_answers": sum(bool(a.tone.apology) for a in self.answers),
            "empathy_answers": sum(bool(a.tone.empathy) for a in self.answers),
            "plain_answers": sum(a.tone.plain for a in self.answers),
            "jargon": sorted({j for a in self.answers for j in a.tone.jargon}),
            "longest_sentence": max((a.tone.longest_sentence for a in self.answers), default=0),
        }

    def to_dict(self) -> dict[str, Any]:
        median = self.median_response
        return {
            "scenario": self.scenario_id, "title": self.scenario_title,
            "started_at": self.started_at, "ended_at": self.ended_at,
            "completed": self.completed, "score": round(self.score, 3), "passed": self.passed,
            "criteria": [r.to_dict() for r in self.criteria],
            "forbidden": [r.to_dict() for r in self.forbidden],
            "facts": {"correct": self.facts_correct, "wrong": self.facts_wrong},
            "tone": self.tone_summary(),
            "response_seconds": {
                "median": None if median is None else round(median, 2),
                "max": round(max(self.response_times), 2) if self.response_times else None,
                "slow_answers": sum(a.slow for a in self.answers)},
            "transcript": self.transcript(),
            "answers": [a.to_dict() for a in self.answers],
        }

    def transcript(self) -> list[dict[str, Any]]:
        """The conversation in order: customer, agent, customer, ..."""
        out: list[dict[str, Any]] = []
        for i, c in enumerate(self.customer_turns):
            out.append({"role": "customer", "text": c.text, "source": c.source,
                        **({"rejected": [{"text": r.text, "reason": r.reason}
                                         for r in c.rejected]} if c.rejected else {})})
            if i < len(self.answers):
                a = self.answers[i]
                out.append({"role": "agent", "text": a.agent, "seconds": a.seconds})
        return out
