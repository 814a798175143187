"""Suggested lines for the agent that cannot invent policy ("grounded or silent").

For the latest customer captions: retrieve passages; when none is relevant enough, abstain with
the settings' wording. Otherwise offer up to two lines:

1. the best relevant passage that has an approved line gives the first: that approved line,
   verbatim. It is verified against its own passage like any line (approved lines are part of
   what a passage states, so it passes; the facts found are kept for the audit). A passage
   without an approved line gives nothing: its policy text is written for agents, not for
   customers, and no line is composed from it alone.
2. an `Adapter` (the local LLM, later) may rewrite that line for the conversation. Its draft
   replaces the approved line only when the verifier finds every fact of it in the cited
   passage *and* it keeps every number of the approved line (a draft that drops "once in any
   12-month period" has lost the condition). Otherwise the approved line is shown and the draft
   is kept in `rejected_drafts` for the audit.
3. a second line comes from the next passage with an approved line, when it is relevant too and
   close enough to the best one (AssistSettings.second_min_ratio).

An abstention is labelled `abstained=True`, cites nothing and is `grounded=False` (it rests on
no passage), yet it is a safe line: the verifier checks that the configured wording states no
policy fact of its own (`verified`).
"""

from __future__ import annotations

import logging
import re
import weakref
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from copilot import logs
from copilot.knowledge.base import Hit, KnowledgeBase, Translator
from copilot.knowledge.parse import Passage
from copilot.knowledge.query import content_words, fold
from copilot.knowledge.topic import Conversation
from copilot.knowledge.verify import Fact, Verdict, known_names, stem, verify
from copilot.settings import AssistSettings
from copilot.text.sentences import sentences

log = logging.getLogger(__name__)

APPROVED, ADAPTED, ABSTAIN = "approved_line", "adapted", "abstain"
# A draft this much longer than the approved line is not a rephrasing: small models loop
# ("I'm sorry, I'm sorry...") or go on to invent the customer's next turn.
_MAX_GROWTH, _MAX_EXTRA_CHARS = 3, 200


class Adapter(Protocol):
    """Rewrites an approved line for the conversation (the LLM). None means "keep the line"."""

    def adapt(self, customer_text: str, approved_line: str, passage: Passage) -> str | None: ...


@dataclass(frozen=True)
class RejectedDraft:
    draft: str
    unsupported: tuple[Fact, ...]
    reason: str  # "unsupported facts" | "drops a fact of the approved line" | ...


@dataclass(frozen=True)
class Suggestion:
    text: str
    sources: tuple[str, ...]
    grounded: bool  # rests on cited passages and every fact in it was found there
    verified: bool  # the verifier passed it
    origin: str  # approved_line | adapted | abstain
    rejected_drafts: tuple[RejectedDraft, ...] = ()
    facts: tuple[Fact, ...] = ()

    @property
    def abstained(self) -> bool:
        return self.origin == ABSTAIN

    def to_event(self, of_caption_id: str, at: float) -> dict[str, Any]:
        """The `suggestion` event (docs/architecture.md)."""
        return {"type": "suggestion", "of": of_caption_id, "text": self.text,
                "sources": list(self.sources), "grounded": self.grounded, "at": round(at, 3)}


@dataclass(frozen=True)
class SuggestionResult:
    utterances: tuple[str, ...]
    suggestions: tuple[Suggestion, ...]
    hits: tuple[Hit, ...] = ()

    @property
    def abstained(self) -> bool:
        return any(s.abstained for s in self.suggestions)

    @property
    def sources(self) -> list[str]:
        return list(dict.fromkeys(i for s in self.suggestions for i in s.sources))

    def to_events(self, of_caption_id: str, at: float) -> list[dict[str, Any]]:
        return [s.to_event(of_caption_id, at) for s in self.suggestions]


def suggest(utterances: str | Sequence[str], kb: KnowledgeBase, *,
            adapter: Adapter | None = None, settings: AssistSettings | None = None,
            lang: str | None = None, translator: Translator | None = None,
            typed: bool = False) -> SuggestionResult:
    """One or two lines the agent could say next, each citing its passage, or the abstention.

    `utterances` is the latest customer turn, or several (oldest first): then the earlier ones
    are what the caller said before, followed turn by turn as in a live call
    (copilot/knowledge/topic.py), so a follow-up is searched with the issue it follows.
    `typed`: the agent's own search (KnowledgeBase.search)."""
    cfg = settings or AssistSettings()
    said = (utterances,) if isinstance(utterances, str) else tuple(utterances)
    hits = Conversation.replay(kb, said, k=max(3, cfg.max_suggestions + 1), lang=lang,
                               translator=translator, typed=typed)
    return lines_for(said, hits, kb, adapter=adapter, settings=cfg)


def lines_for(said: Sequence[str], hits: Sequence[Hit], kb: KnowledgeBase, *,
              adapter: Adapter | None = None,
              settings: AssistSettings | None = None) -> SuggestionResult:
    """The lines for hits already found (the live pipeline searches once for the card and the
    lines): approved lines of the relevant passages, or the abstention."""
    cfg = settings or AssistSettings()
    said = tuple(said)
    candidates = [h for h in hits if h.relevant and h.passage.approved_lines]
    if not candidates:
        claim = any(h.reason == "claim" for h in hits)
        return SuggestionResult(said, (abstention(cfg, claim=claim),), tuple(hits))
    names = _names(kb)
    best = candidates[0]
    out = [_line(" ".join(said), best.passage, adapter, names)]
    for h in candidates[1:cfg.max_suggestions]:
        if h.evidence >= cfg.second_min_ratio * best.evidence:
            out.append(_line(" ".join(said), h.passage, adapter, names))
    return SuggestionResult(said, tuple(out), tuple(hits))


def abstention(cfg: AssistSettings, *, claim: bool = False) -> Suggestion:
    """The line that states nothing: the settings' abstain_text, or claim_text when the caller
    reports a promise someone made them (a card shows the passage to check it against)."""
    key = "claim_text" if claim else "abstain_text"
    text = getattr(cfg, key)
    verdict = verify(text, ())
    if not verdict.ok:
        log.warning("the abstention wording (settings assist.%s) states %d facts no passage "
                    "backs", key, len(verdict.unsupported))
    return Suggestion(text, (), False, verdict.ok, ABSTAIN, (), tuple(verdict.facts))


_NAMES: weakref.WeakKeyDictionary[KnowledgeBase, frozenset[tuple[str, ...]]] = (
    weakref.WeakKeyDictionary())


def _names(kb: KnowledgeBase) -> frozenset[tuple[str, ...]]:
    """The base's names, computed once per KnowledgeBase (its passages never change)."""
    names = _NAMES.get(kb)
    if names is None:
        names = _NAMES[kb] = known_names(kb.passages.values())
    return names


def _line(said: str, passage: Passage, adapter: Adapter | None,
          names: frozenset[tuple[str, ...]]) -> Suggestion:
    line = pick_approved_line(said, passage)
    base = verify(line, [passage], names=names)
    if not base.ok:  # cannot happen unless the verifier reads a text two ways: say so, loudly
        log.error("approved line of [%s] fails its own passage: %d facts unsupported",
                  passage.id, len(base.unsupported))
        logs.content(log, "approved line of [%s] fails its own passage: %s", passage.id,
                     ", ".join(f.text for f in base.unsupported))
    rejected: list[RejectedDraft] = []
    if adapter is not None:
        try:
            draft = adapter.adapt(said, line, passage)
        except Exception:  # a failing model must never cost the agent the approved line
            log.exception("adapter failed for [%s]", passage.id)
            draft = None
        draft = (draft or "").strip()
        if draft and draft != line:
            verdict, reason = check_draft(draft, line, passage, names)
            if reason is None:
                return Suggestion(draft, (passage.id,), True, True, ADAPTED, (),
                                  tuple(verdict.facts))
            log.info("draft for [%s] rejected: %s; %d words", passage.id,
                     logs.reason_code(reason), logs.words(draft))
            logs.content(log, "draft for [%s] rejected (%s): %r", passage.id, reason, draft)
            rejected.append(RejectedDraft(draft, tuple(verdict.unsupported), reason))
    return Suggestion(line, (passage.id,), base.ok, base.ok, APPROVED, tuple(rejected),
                      tuple(base.facts))


def check_draft(draft: str, approved_line: str, passage: Passage,
                names: frozenset[tuple[str, ...]] = frozenset()) -> tuple[Verdict, str | None]:
    """The verdict on a draft and why it must not replace the approved line (None: it may)."""
    verdict = verify(draft, [passage], names=names)
    if len(draft) > _MAX_GROWTH * len(approved_line) + _MAX_EXTRA_CHARS:
        return verdict, "too long for a rephrasing"
    if not verdict.ok:
        return verdict, "unsupported facts"
    kept = {f.value for f in verdict.facts if f.value is not None}
    dropped = [f.text for f in verify(approved_line, [passage], names=names).facts
               if f.value is not None and f.value not in kept]
    if dropped:
        return verdict, "drops a fact of the approved line: " + ", ".join(dropped)
    return verdict, None


def pick_approved_line(said: str, passage: Passage) -> str:
    """The passage's approved line that shares the most words with what the customer said
    (the first one on a tie: the knowledge base lists its default first)."""
    words = {stem(w) for w in content_words(said, "en")}
    return max(passage.approved_lines,
               key=lambda line: len(words & {stem(w) for w in content_words(line, "en")}))


class PassageSentenceAdapter:
    """A deterministic adapter, no model: when the customer names something (a plan, a place,
    a product) that the approved line leaves out but a sentence of the passage covers, that
    sentence follows the approved line, verbatim. "How many devices on Family Unlimited?" gets
    the general 5-device line *and* the passage's Family Unlimited sentence."""

    def adapt(self, customer_text: str, approved_line: str, passage: Passage) -> str | None:
        asked = {n for n in known_names([passage]) if _mentions(customer_text, n)}
        missing = {n for n in asked if not _mentions(approved_line, n)}
        if not missing:
            return None
        extra = [s for s in sentences(passage.text) if any(_mentions(s, n) for n in missing)]
        return " ".join([approved_line, *extra[:1]]) if extra else None


def _mentions(text: str, name: tuple[str, ...]) -> bool:
    words = [w.removesuffix("'s")
             for w in re.findall(r"[^\W_]+(?:'[^\W_]+)*", fold(text).replace("\u2019", "'"))]
    n = len(name)
    return any(tuple(words[i:i + n]) == name for i in range(len(words) - n + 1))
