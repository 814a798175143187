"""Ask the knowledge base from the window: a question the agent types mid-call ("roaming in
Canada on the basic plan?") when the proactive card missed.

The answer is what a customer turn brings (copilot/assist/pipeline.py): the knowledge card (the
shown passages, each with the sentence that answers the question) and the suggested lines
(approved lines, the deterministic adapter, or the abstention), built by the same functions.
Its events say where they come from: `of` is the ask's id ("ask-3"), never a caption id, so
the window and the call store tell them apart from the caption-driven ones.

The question is searched on its own: it is not one of the customer's turns, so it never joins
(or changes) the call's topic (copilot/knowledge/topic.py), and a topic never bends its search.
No LLM: the lines are the approved wording, at once. Redacted like a caption before anything
else sees it (principle 4): an agent may paste what the customer read out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from copilot.assist.card_events import knowledge_event, suggestion_event
from copilot.assist.suggest import PassageSentenceAdapter, lines_for, suggest
from copilot.events import Ask, Knowledge, SuggestionEvent
from copilot.knowledge.base import KnowledgeBase
from copilot.knowledge.typed_language import typed_language
from copilot.privacy.redaction import Redactor
from copilot.settings import Settings

ASK_PREFIX = "ask-"
MAX_QUESTION_CHARS = 500  # a question, not a document: the rest is not searched or stored


class AskError(Exception):
    """The knowledge base cannot be asked now (still loading, or none could be opened)."""


def ask_id(n: int) -> str:
    return f"{ASK_PREFIX}{n}"


def is_ask(of: str) -> bool:
    """Whether an event's `of` names an agent's question rather than a customer caption."""
    return of.startswith(ASK_PREFIX)


@dataclass(frozen=True)
class AskResult:
    ask: Ask
    knowledge: Knowledge | None  # None: no passage is worth a card
    suggestions: tuple[SuggestionEvent, ...]  # the lines, or the abstention

    @property
    def id(self) -> str:
        return self.ask.id

    @property
    def question(self) -> str:
        return self.ask.question

    @property
    def passages(self) -> list[str]:
        return [p.id for p in self.knowledge.passages] if self.knowledge is not None else []

    def events(self) -> list[Any]:
        """What the call store keeps, in order: the ask, then what it showed."""
        shown: list[Any] = [self.knowledge] if self.knowledge is not None else []
        return [self.ask, *shown, *self.suggestions]


def clean_question(question: str, settings: Settings | None = None) -> str:
    """The question as it is searched, shown and stored: one line, bounded, redacted. A typed
    question is complete text, so the final-caption rules apply: the partial-caption rules
    (digits that might still continue a card) would mask "2024" in "the fee for 2024" or the
    "5" after a pasted card number."""
    cfg = settings or Settings()
    text = " ".join(question.split())
    if len(text) > MAX_QUESTION_CHARS:
        # Its end, where the question is, after whatever was pasted or typed before it (its
        # first 500 characters searched the preamble and found nothing): marked as cut.
        tail = text[-(MAX_QUESTION_CHARS - 1):]
        text = "…" + (tail.split(" ", 1)[1] if " " in tail[:40] else tail)
    return Redactor(cfg.redaction.extra_patterns).redact(text, final=True).text


def ask(kb: KnowledgeBase, question: str, settings: Settings | None = None, *,
        context: Sequence[str] = (), ask_id: str = "ask-1", at: float = 0.0,
        pack: str = "", translator: Any = None) -> AskResult:
    """The card and lines for a typed question. `context`: earlier things said (oldest first)
    that a line may be adapted to (a plan the customer named), never searched with.
    `at` is the call clock when it was asked; `pack` the model pack kept with each line;
    `translator` searches a question in another language (default: the service glossary).
    ValueError for a question with nothing in it."""
    cfg = settings or Settings()
    text = clean_question(question, cfg)
    if not text:
        raise ValueError("nothing to search: the question is empty")
    adapter = PassageSentenceAdapter()
    # A typed question has no language of its own: told by its function words
    # (copilot/knowledge/typed_language.py), searched through the service glossary if need be.
    lang = typed_language(text, kb.lang)
    if lang != kb.lang and translator is None:
        from copilot.assist.translate import search_translator

        translator = search_translator()  # the service glossary (no translation model given)
    found = suggest(text, kb, adapter=adapter, settings=cfg.assist, lang=lang,
                    translator=translator, typed=True)
    lines = found if not context else lines_for(
        [*context, text], found.hits, kb, adapter=adapter, settings=cfg.assist)
    shown = [h for h in found.hits if h.shown]
    card = knowledge_event(kb, ask_id, shown, [text], at) if shown else None
    events = tuple(replace(suggestion_event(ask_id, s, at, rank), pack=pack)
                   for rank, s in enumerate(lines.suggestions, 1))
    return AskResult(Ask(ask_id, text, at), card, events)
