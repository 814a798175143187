"""Retrieval eval: does the knowledge base find the right passage, and stay silent otherwise?

An eval file is JSON lines: {"utterance": "...", "expect": ["BILL-01"], "lang": "fr",
"kind": "paraphrase", "context": ["an earlier turn", ...]} ("lang", "kind" and "context"
optional). `context` holds what the caller said before (oldest first): the question is searched
after them, turn by turn, as in a live call (copilot/knowledge/topic.py). `kind` groups the
figures: direct, paraphrase, misheard, near_miss, unanswerable, follow_up.

For an answerable question (non-empty `expect`) we ask whether an expected passage ranks first,
and whether it is also judged relevant (what a suggestion needs). For an unanswerable one
(`expect: []`) the copilot must abstain: no hit may be judged relevant. Wrong answers are counted
apart from silence: a relevant first passage that is not expected is a WRONG LINE (the agent
would be handed a policy that does not apply); a card shown for a passage that is not expected
is a WRONG CARD.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from copilot.knowledge.base import Hit, KnowledgeBase, KnowledgeError, Translator
from copilot.knowledge.topic import Conversation


@dataclass(frozen=True)
class EvalCase:
    utterance: str
    expect: tuple[str, ...]
    lang: str | None
    line: int
    must_mention: tuple[str, ...] = ()  # facts a suggestion must state (suggestion eval)
    must_not_mention: tuple[str, ...] = ()  # invented policy a suggestion must never state
    kind: str = ""  # direct, paraphrase, misheard, near_miss, unanswerable, follow_up
    context: tuple[str, ...] = ()  # what the caller said before, oldest first

    @property
    def group(self) -> str:
        return self.kind or ("answerable" if self.expect else "unanswerable")

    @property
    def said(self) -> tuple[str, ...]:
        return (*self.context, self.utterance)


@dataclass(frozen=True)
class EvalResult:
    case: EvalCase
    hits: tuple[Hit, ...]

    @property
    def answerable(self) -> bool:
        return bool(self.case.expect)

    @property
    def first(self) -> Hit | None:
        return self.hits[0] if self.hits else None

    @property
    def ranked_first(self) -> bool:
        return self.first is not None and self.first.passage.id in self.case.expect

    @property
    def found(self) -> bool:
        """Ranked first and relevant enough to ground a suggestion."""
        return self.ranked_first and self.first is not None and self.first.relevant

    @property
    def abstained(self) -> bool:
        return not any(h.relevant for h in self.hits)

    @property
    def wrong_line(self) -> bool:
        """A passage that does not answer is judged relevant first: a line would be wrong."""
        return self.first is not None and self.first.relevant and \
            self.first.passage.id not in self.case.expect

    @property
    def wrong_card(self) -> bool:
        """A card is shown for a passage that does not answer."""
        return any(h.shown and h.passage.id not in self.case.expect for h in self.hits)

    @property
    def card_has_answer(self) -> bool:
        return any(h.shown and h.passage.id in self.case.expect for h in self.hits)

    @property
    def ok(self) -> bool:
        return self.found if self.answerable else self.abstained


@dataclass
class EvalReport:
    results: list[EvalResult] = field(default_factory=list)
    default_lang: str = "en"

    def lang_of(self, r: EvalResult) -> str:
        return r.case.lang or self.default_lang

    def answerable(self, lang: str | None = None) -> list[EvalResult]:
        return [r for r in self.results
                if r.answerable and (lang is None or self.lang_of(r) == lang)]

    def unanswerable(self) -> list[EvalResult]:
        return [r for r in self.results if not r.answerable]

    def languages(self) -> list[str]:
        return sorted({self.lang_of(r) for r in self.results if r.answerable},
                      key=lambda x: (x != self.default_lang, x))

    def summary(self) -> dict[str, object]:
        def frac(ok: int, n: int) -> float | None:
            return round(ok / n, 4) if n else None

        out: dict[str, object] = {}
        for lang in [None, *self.languages()]:
            rs = self.answerable(lang)
            key = "answerable" if lang is None else f"answerable_{lang}"
            out[key] = {
                "questions": len(rs),
                "ranked_first": frac(sum(r.ranked_first for r in rs), len(rs)),
                "ranked_first_and_relevant": frac(sum(r.found for r in rs), len(rs)),
            }
        un = self.unanswerable()
        out["unanswerable"] = {"questions": len(un),
                               "abstained": frac(sum(r.abstained for r in un), len(un))}
        out["wrong"] = {"questions": len(self.results),
                        "wrong_line": sum(r.wrong_line for r in self.results),
                        "wrong_card": sum(r.wrong_card for r in self.results)}
        out["by_kind"] = self.by_kind()
        return out

    def by_kind(self) -> dict[str, dict[str, object]]:
        """Per kind of question: how often the right passage is relevant first (answerable),
        silence, and wrong lines and cards, counted apart."""
        out: dict[str, dict[str, object]] = {}
        for kind in dict.fromkeys(r.case.group for r in self.results):
            rs = [r for r in self.results if r.case.group == kind]
            ans = [r for r in rs if r.answerable]
            out[kind] = {"questions": len(rs),
                         "right_first": sum(r.found for r in ans),
                         "card_has_answer": sum(r.card_has_answer for r in ans),
                         "abstained": sum(r.abstained for r in rs),
                         "wrong_line": sum(r.wrong_line for r in rs),
                         "wrong_card": sum(r.wrong_card for r in rs)}
        return out

    def misses(self) -> list[EvalResult]:
        return [r for r in self.results if not r.ok]


def load_cases(path: str | Path) -> list[EvalCase]:
    p = Path(path).expanduser()
    try:
        lines = p.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as e:
        raise KnowledgeError(f"cannot read eval file {p}: {e}") from e
    cases = []
    for n, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except ValueError as e:
            raise KnowledgeError(f"{p}:{n}: not a JSON line ({e})") from e
        # Said in the file's terms, not Python's ("expect": "RET-02" was read letter by letter,
        # a missing "utterance" reported as KeyError: a second walk-through).
        if not isinstance(row, dict) or not isinstance(row.get("utterance"), str):
            raise KnowledgeError(f'{p}:{n}: an eval line is an object with "utterance" (text)')
        lang, kind = row.get("lang"), row.get("kind", "")
        if not (lang is None or isinstance(lang, str)) or not isinstance(kind, str):
            raise KnowledgeError(f'{p}:{n}: "lang" and "kind" must be text')
        names = ("expect", "must_mention", "must_not_mention", "context")
        for name in names:
            value = row.get(name, [])
            if not isinstance(value, list) or not all(isinstance(x, str) for x in value):
                raise KnowledgeError(f'{p}:{n}: "{name}" must be a list of text '
                                     f'(["..."]), not {json.dumps(value)[:40]}')
        utterance = row["utterance"]
        lists = [tuple(row.get(name, [])) for name in names]
        cases.append(EvalCase(utterance, lists[0], lang, n, lists[1], lists[2], kind, lists[3]))
    if not cases:
        raise KnowledgeError(f"no questions in eval file {p}")
    return cases


def run(kb: KnowledgeBase, cases: list[EvalCase], k: int = 3,
        translator: Translator | None = None) -> EvalReport:
    unknown = sorted({i for c in cases for i in c.expect if i not in kb.passages})
    if unknown:
        raise KnowledgeError(f"the eval expects passages the knowledge base does not have: "
                             f"{', '.join(unknown)}")
    report = EvalReport(default_lang=kb.lang)
    for c in cases:
        hits = Conversation.replay(kb, c.said, k, lang=c.lang, translator=translator)
        report.results.append(EvalResult(c, tuple(hits)))
    return report
