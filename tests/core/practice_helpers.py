"""Shared by the practice fact-check tests: a scenario's checker, built as a session builds it
(its passages, its caller's details and name, its language), and what it judges wrong."""

from __future__ import annotations

from copilot.practice.factcheck import FactChecker
from copilot.practice.scenario import find_scenario


def scenario_checker(kb, name: str) -> FactChecker:
    s = find_scenario(name)
    return FactChecker(kb, s.passages, [*s.case_facts, s.customer.name], lang=s.language)


def wrong(checker: FactChecker, answer: str) -> list[tuple[str, str]]:
    """(kind, words) of every fact of `answer` judged wrong."""
    return [(f.kind, f.text) for f in checker.check(answer).wrong]
