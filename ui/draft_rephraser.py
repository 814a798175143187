"""The agent's drafts (the draft box) rephrased off the UI thread: `DraftRephraser` runs
copilot.assist.rephrase (the same function as `copilot rephrase`) with the call runner's loaded
knowledge base, LLM and translator, one at a time, cancellable from the UI thread. No Qt here:
the window's draft flow (ui/draft_flow.py) calls it on its job thread."""

from __future__ import annotations

import threading
from typing import Any

__all__ = ["MAX_DRAFT_CHARS", "REPHRASE_PRIORITY", "REPHRASE_TIMEOUT", "REPHRASE_TRANSLATE_KEY",
           "DraftRephraser", "RephraseCancelled", "clean_draft"]

# The agent's drafts (the draft box): how long the window waits for the LLM's rewording before
# it shows the tone rules' text and says the model was too slow, and how much of a draft counts.
REPHRASE_TIMEOUT = 20.0
MAX_DRAFT_CHARS = 2000
# Before the call's own LLM work (suggested lines 0, summaries 1): the agent asked and waits.
# A generation already running still finishes first (the engine does not preempt).
REPHRASE_PRIORITY = -1
# A draft's LLM translation has its own key: cancelling it leaves the call's line translations
# ("translate") alone, and a newer line translation does not cancel it.
REPHRASE_TRANSLATE_KEY = "rephrase-translate"



class RephraseCancelled(Exception):
    """The agent cancelled the rephrasing of a draft: there is no result to show."""


def clean_draft(draft: str, settings: Any = None) -> str:
    """The agent's draft as it is rephrased, shown and stored: one paragraph (the tone rules
    join lines anyway), bounded, and redacted like a final caption before a model or the store
    sees it (an agent may paste what the customer read out). A draft is complete text: the
    partial-caption rule that masks digits which might still continue a card number would eat
    the "5" of "refunded within 5 business days" after a pasted card number."""
    from copilot.privacy.redaction import Redactor
    from copilot.settings import Settings

    cfg = settings if settings is not None else Settings()
    text = " ".join(draft.split())[:MAX_DRAFT_CHARS]
    return Redactor(cfg.redaction.extra_patterns).redact(text, final=True).text if text else ""


class _CancellableLlm:
    """One rephrasing's way to the LLM engine. `cancel()` stops its requests whether they are
    queued, generating or not yet submitted (the engine's own `cancel(key)` reaches only the
    first two). Has the engine's `generate` (what rephrase and LlmTranslator call)."""

    def __init__(self, engine: Any) -> None:
        self.engine = engine
        self._lock = threading.Lock()
        self._cancelled = False
        self._keys: set[str] = set()

    @property
    def cancelled(self) -> bool:
        return self._cancelled

    def cancel(self) -> None:
        with self._lock:
            self._cancelled = True
            keys = set(self._keys)
        if self.engine is not None:
            for key in keys:  # submitted before the flag was set: stopped within a token
                self.engine.cancel(key)

    def generate(self, messages: Any, opts: Any = None, *, key: str | None = None,
                 priority: int = 0, on_token: Any = None, timeout: float | None = None) -> Any:
        from copilot.llm.types import LlmResult

        with self._lock:  # cancel() cannot come between the check and the submit
            if self._cancelled or self.engine is None:
                return LlmResult("", "cancelled", key=key)
            future = self.engine.submit(messages, opts, key=key, priority=priority,
                                        on_token=on_token)
            if key is not None:
                self._keys.add(key)
        try:
            return future.result(timeout)
        except TimeoutError:  # too slow: stop it, and the caller keeps the rules' text
            if key is not None:
                self.engine.cancel(key)
            raise


class DraftRephraser:
    """The agent's drafts rephrased by copilot.assist.rephrase (the same function as `copilot
    rephrase`) with the loaded knowledge base, LLM and translator: one at a time (on the
    window's job thread), cancellable from the UI thread."""

    def __init__(self, timeout: float = REPHRASE_TIMEOUT) -> None:
        self.timeout = timeout
        self._lock = threading.Lock()
        self._current: _CancellableLlm | None = None

    def run(self, kb: Any, llm: Any, translator: Any, settings: Any, draft: str, tone: str,
            lang: str = "", context: Any = None) -> Any:
        """A copilot.assist.rephrase.RephraseResult; RephraseCancelled when cancel() came
        meanwhile; ValueError for an empty draft or an unknown tone. `context`: the call's
        (copilot.assist.call_context.CallContext), when there is one."""
        from copilot.assist.rephrase import RephraseOptions, rephrase

        text = clean_draft(draft, settings)
        guard = _CancellableLlm(llm)
        with self._lock:
            self._current = guard
        try:
            result = rephrase(text, kb, tone, target_lang=lang or None,
                              llm=guard if llm is not None else None,
                              translator=self._translator(translator, guard),
                              options=RephraseOptions(timeout=self.timeout,
                                                      priority=REPHRASE_PRIORITY),
                              context=context)
        finally:
            with self._lock:
                if self._current is guard:
                    self._current = None
        if guard.cancelled:
            raise RephraseCancelled("the rephrasing was cancelled")
        return result

    def cancel(self) -> bool:
        """Stop the rephrasing in progress (any thread); whether there was one."""
        with self._lock:
            guard = self._current
        if guard is None:
            return False
        guard.cancel()
        return True

    def _translator(self, translator: Any, guard: _CancellableLlm) -> Any:
        """The call's translation service, its LLM part under this rephrasing's cancel and time
        limit (and REPHRASE_TRANSLATE_KEY)."""
        if translator is None or not hasattr(translator, "ct2"):
            return translator
        from copilot.assist.translate import TranslationService
        from copilot.assist.translate.llm import LlmTranslator

        llm = None
        if getattr(translator, "llm", None) is not None and guard.engine is not None:
            llm = LlmTranslator(guard, key=REPHRASE_TRANSLATE_KEY,  # type: ignore[arg-type]
                                timeout=self.timeout, priority=REPHRASE_PRIORITY)
        return TranslationService(translator.ct2, llm)
