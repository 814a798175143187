"""What the Practice tab asks of the engine, as plain calls its worker thread makes (no Qt).

`PracticeServices` says where things come from: the window's knowledge base and LLM when the
live-call runner has loaded them (loading them twice would cost seconds and memory), else a
knowledge base of our own; the scorecard database; the live-call probe. `PracticeRun` is one
practice call, from taking the practice lock to saving the scorecard.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from copilot.practice import (
    Offer,
    PracticeOptions,
    PracticeSession,
    PracticeStore,
    Scenario,
    Scorecard,
    TurnResult,
    live_call_active,
    offers,
    practice_lock,
)
from copilot.practice.customer import CustomerTurn
from ui.runner_api import Runner


def _none() -> Any:
    return None


@dataclass
class PracticeServices:
    kb: Callable[[], Any] = _none  # the window's loaded KnowledgeBase, or None
    llm: Callable[[], Any] = _none  # the window's LlmEngine, or None (scripted customer)
    settings: Callable[[], Any] = _none  # copilot.settings.Settings, or None (defaults)
    kb_dir: str = ""  # our own knowledge base when the window has none ("" = configured)
    store_path: Path | None = None  # None: $COPILOT_HOME/practice.sqlite3
    scenarios_dir: Path | None = None  # None: the active pack's, then the bundled ones
    live_probe: Callable[[], bool] = live_call_active
    clock: Callable[[], float] = time.monotonic

    @classmethod
    def for_runner(cls, runner: Runner, **kw: Any) -> PracticeServices:
        """Reuse what the window's runner loaded (ui/runner_api.py)."""
        return cls(kb=lambda: runner.kb, llm=lambda: runner.llm,
                   settings=lambda: runner.settings, **kw)

    def load_scenarios(self) -> list[Offer]:
        """The scenarios to offer, each marked when the knowledge base practice uses cannot
        serve it (copilot/practice/catalog.py): the window's, else our own, read for its
        passages only."""
        from copilot import resolver

        folders = [(self.scenarios_dir, "bundled")] if self.scenarios_dir is not None else [
            (c.path, c.origin) for c in resolver.scenario_folders() if c.path is not None]
        kb = self.kb()
        if kb is not None:
            return offers(folders, kb)
        from copilot.assist.assembly import resolve_kb_dir
        from copilot.knowledge.base import KnowledgeBase
        from copilot.settings import Settings

        with KnowledgeBase.load(resolve_kb_dir(self.settings() or Settings(), self.kb_dir)) as own:
            return offers(folders, own)

    def store(self) -> PracticeStore:
        return PracticeStore(self.store_path)

    def progress(self) -> dict[str, Any]:
        """Everything the Progress view shows, read in one go."""
        with self.store() as store:
            return {"progress": store.progress(), "sessions": store.sessions(limit=1000)}


@dataclass
class Started:
    opening: CustomerTurn
    rules: list[tuple[str, str, bool]]  # (id, label, forbidden), in the scorecard's order
    titles: dict[str, str]  # passage id -> title, for the feedback
    ai_customer: bool
    warnings: list[str] = field(default_factory=list)


@dataclass
class Finished:
    card: Scorecard
    saved: int | None
    error: str = ""  # the scorecard could not be stored: why


class PracticeRun:
    """One practice call. Every method runs on the tab's worker thread, in order."""

    def __init__(self, services: PracticeServices, scenario: Scenario, *, use_llm: bool = True):
        self.services, self.scenario, self.use_llm = services, scenario, use_llm
        self.session: PracticeSession | None = None
        self._stack = contextlib.ExitStack()

    def start(self) -> Started:
        from copilot.privacy.redaction import Redactor

        try:
            guard = self._stack.enter_context(practice_lock())  # LiveCallActive during a call
            settings = self.services.settings()
            kb = self.services.kb() or self._own_kb(settings)
            llm = self.services.llm() if self.use_llm else None
            extra = list(settings.redaction.extra_patterns) if settings is not None else []
            # Scripted answers are timed by the tab itself (from the customer's line to the
            # trainee's first key or the Speak button): the session's clock would add the
            # typing time.
            self.session = PracticeSession(self.scenario, kb, llm, guard=guard,
                                           clock=self.services.clock,
                                           options=PracticeOptions(timed=False),
                                           redactor=Redactor(extra))
            opening = self.session.opening()
        except BaseException:
            self._stack.close()
            raise
        titles = {pid: p.title for pid, p in kb.passages.items()}
        rules = [(r.spec.id, r.spec.label, r.spec.forbidden) for r in self.session.rules]
        return Started(opening, rules, titles, llm is not None)

    def _own_kb(self, settings: Any) -> Any:
        from copilot.assist.assembly import resolve_kb_dir
        from copilot.knowledge.base import KnowledgeBase
        from copilot.knowledge.parse import KnowledgeError
        from copilot.settings import Settings

        folder = resolve_kb_dir(settings or Settings(), self.services.kb_dir)
        try:
            return self._stack.enter_context(KnowledgeBase.load(folder))
        except KnowledgeError as e:
            raise KnowledgeError(f"the knowledge base {folder} cannot be used for practice: "
                                 f"{e}") from e

    def answer(self, text: str, seconds: float | None) -> TurnResult:
        if self.session is None:
            raise RuntimeError("the practice call has not started")
        return self.session.answer(text, seconds=seconds)

    def finish(self, save: bool = True) -> Finished:
        """The scorecard, stored (unless nothing was answered); releases the practice lock."""
        if self.session is None:
            raise RuntimeError("the practice call has not started")
        try:
            card = self.session.finish()
            saved, error = None, ""
            if save and card.answers:
                try:
                    with self.services.store() as store:
                        saved = store.save(card)
                except Exception as e:  # the card is still shown; say why it was not kept
                    error = f"the scorecard was not saved: {e}"
            return Finished(card, saved, error)
        finally:
            self.close()

    def close(self) -> None:
        self._stack.close()
