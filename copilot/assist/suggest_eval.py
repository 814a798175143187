"""The suggestion eval: on a question set, does the first line cite an expected passage, state
the facts it must, and stay silent when nothing answers?

It reads the knowledge eval's JSON lines (copilot/knowledge/evaluate.py), with two optional
fields for the wording: `must_mention` (text an answer has to contain) and `must_not_mention`
(text that would be an invented policy). Its grounding check is independent of the verifier on
purpose, so that a bug in the verifier cannot hide itself: every number in a suggestion, digits or
words, must appear in a cited passage, and no `must_not_mention` text may appear at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from copilot.assist.suggest import Adapter, Suggestion, SuggestionResult, suggest
from copilot.knowledge import evaluate as kb_eval
from copilot.knowledge.base import KnowledgeBase
from copilot.knowledge.evaluate import EvalCase
from copilot.knowledge.parse import KnowledgeError
from copilot.knowledge.query import digits_for_number_words
from copilot.settings import AssistSettings

__all__ = ["CaseResult", "Report", "load_cases", "run_eval", "violations"]


@dataclass(frozen=True)
class CaseResult:
    case: EvalCase
    result: SuggestionResult
    violations: tuple[str, ...]  # invented policy: the bar is zero

    @property
    def cited(self) -> bool:
        return bool(set(self.result.sources) & set(self.case.expect))

    @property
    def first(self) -> Suggestion | None:
        return self.result.suggestions[0] if self.result.suggestions else None

    @property
    def first_cited(self) -> bool:
        """The first line cites an expected passage (what the agent reads first)."""
        return self.first is not None and bool(set(self.first.sources) & set(self.case.expect))

    @property
    def wrong_line(self) -> bool:
        """A line is shown that cites no expected passage: a policy that does not apply."""
        return any(not s.abstained and not set(s.sources) & set(self.case.expect)
                   for s in self.result.suggestions)

    @property
    def mentions(self) -> bool:
        said = " ".join(s.text for s in self.result.suggestions).casefold()
        return all(m.casefold() in said for m in self.case.must_mention)

    @property
    def ok(self) -> bool:
        if self.violations:
            return False
        if not self.case.expect:
            return self.result.abstained
        return self.cited and self.mentions


@dataclass
class Report:
    results: list[CaseResult] = field(default_factory=list)
    default_lang: str = "en"

    def lang_of(self, r: CaseResult) -> str:
        return r.case.lang or self.default_lang

    def answerable(self, lang: str | None = None) -> list[CaseResult]:
        return [r for r in self.results
                if r.case.expect and (lang is None or self.lang_of(r) == lang)]

    def summary(self) -> dict[str, Any]:
        def frac(rs: list[CaseResult], ok: Any) -> float | None:
            return round(sum(map(ok, rs)) / len(rs), 4) if rs else None

        out: dict[str, Any] = {}
        langs = sorted({self.lang_of(r) for r in self.answerable()},
                       key=lambda x: (x != self.default_lang, x))
        for lang in [None, *langs]:
            rs = self.answerable(lang)
            named = [r for r in rs if r.case.must_mention]
            out["answerable" if lang is None else f"answerable_{lang}"] = {
                "questions": len(rs), "cited": frac(rs, lambda r: r.cited),
                "must_mention_questions": len(named),
                "must_mention": frac(named, lambda r: r.mentions)}
        un = [r for r in self.results if not r.case.expect]
        out["unanswerable"] = {"questions": len(un),
                               "abstained": frac(un, lambda r: r.result.abstained)}
        out["by_kind"] = self.by_kind()
        shown = [s for r in self.results for s in r.result.suggestions if not s.abstained]
        out["suggestions"] = {"shown": len(shown),
                              "adapted": sum(s.origin == "adapted" for s in shown),
                              "rejected_drafts": sum(len(s.rejected_drafts) for s in shown),
                              "with_violation": sum(len(r.violations) for r in self.results),
                              "wrong_line": sum(r.wrong_line for r in self.results)}
        return out

    def by_kind(self) -> dict[str, dict[str, int]]:
        """Per kind of question: the first line cites the right passage, silence, and wrong
        lines, counted apart."""
        out: dict[str, dict[str, int]] = {}
        for kind in dict.fromkeys(r.case.group for r in self.results):
            rs = [r for r in self.results if r.case.group == kind]
            out[kind] = {"questions": len(rs),
                         "first_cited": sum(r.first_cited for r in rs if r.case.expect),
                         "abstained": sum(r.result.abstained for r in rs),
                         "wrong_line": sum(r.wrong_line for r in rs)}
        return out


load_cases = kb_eval.load_cases  # one reader for the eval file format


def run_eval(kb: KnowledgeBase, cases: list[EvalCase], adapter: Adapter | None = None,
             settings: AssistSettings | None = None, translator: Any = None) -> Report:
    unknown = sorted({i for c in cases for i in c.expect if i not in kb.passages})
    if unknown:
        raise KnowledgeError(f"the eval expects passages the knowledge base does not have: "
                             f"{', '.join(unknown)}")
    report = Report(default_lang=kb.lang)
    for c in cases:
        result = suggest(c.said, kb, adapter=adapter, settings=settings, lang=c.lang,
                         translator=translator)
        bad = [v for s in result.suggestions for v in violations(s, kb, c.must_not_mention)]
        report.results.append(CaseResult(c, result, tuple(bad)))
    return report


_DIGITS = re.compile(r"\d+(?:[.,]\d+)*")


def violations(s: Suggestion, kb: KnowledgeBase, must_not: tuple[str, ...] = ()) -> list[str]:
    """What in a shown line would be an invented policy, checked without the verifier."""
    out = [f"says {m!r}" for m in must_not if m.casefold() in s.text.casefold()]
    cited = " ".join(kb.passages[i].full_text for i in s.sources if i in kb.passages)
    known = set(_DIGITS.findall(digits_for_number_words(cited)))
    out += [f"number {n} is in no cited passage"
            for n in _DIGITS.findall(digits_for_number_words(s.text)) if n not in known]
    if not s.abstained and (not s.sources or not s.verified):
        out.append("not verified against a cited passage")
    return out
