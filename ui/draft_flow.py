"""The draft box's rephrasings in the window: one at a time, off the UI thread, kept with the call.

The agent types a draft (a follow-up message, a case note, a sentence about to be said) and asks
for it rephrased (ui/panels/draft_box.py). The runner rephrases it on a job thread of its own
(a rephrasing may wait seconds for the LLM; the knowledge search must not queue behind it);
a newer draft cancels the one in progress. What was asked, what was shown with its fact flags,
a cancellation, a failure and a copy are stored with the call (redacted) through the audit
trail while a stored call is on; outside one, the status bar says they are not kept.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject

from ui import call_runner as cr
from ui import draft_rephraser as dr
from ui.audit import REPHRASE, REPHRASE_ACTION, AuditRecord
from ui.jobs import Jobs

log = logging.getLogger(__name__)
NOT_STORED = "Outside a stored call: the draft and its rephrasing are not kept."


@dataclass
class DraftAsk:
    """A rephrasing the agent asked for, from the click to its result (or cancellation)."""

    id: str  # "draft-2"
    draft: str  # redacted (draft_rephraser.clean_draft): what is given to the model and stored
    tone: str
    lang: str  # the customer's language asked for, "" = as written
    at: float  # call clock
    call_id: int | None  # the stored call it belongs to, None between calls
    started: float  # time.perf_counter() at the click
    cancelled: bool = False

    def asked(self) -> dict[str, Any]:
        return {"type": REPHRASE, "id": self.id, "draft": self.draft, "tone": self.tone,
                "lang": self.lang, "at": self.at}


def rephrase_payload(ask: DraftAsk, result: Any, seconds: float) -> dict[str, Any]:
    """The audit record of a shown rephrasing: what was asked, what was shown, its fact flags.
    A declined rewording's diagnostic reason ("drops a fact of the draft: ...") is kept here;
    the draft box says `llm_why` to the agent instead (ui/panels/draft_box.py llm_status)."""
    return {**ask.asked(), "outcome": "shown", "seconds": round(seconds, 3),
            "text": result.text, "text_en": result.text_en, "shown_lang": result.lang,
            "origin": result.origin, "llm": result.llm_outcome, "flagged": result.flagged,
            "unsupported": [{"kind": f.kind, "text": f.text} for f in result.unsupported],
            "facts": [{"kind": f.kind, "text": f.text, "supported": f.supported,
                       "sources": list(s)}
                      for f, s in zip(result.facts, result.fact_sources, strict=False)],
            "sources": list(result.sources), "notes": list(result.notes),
            "rejected": [d.reason for d in result.rejected_drafts]}


class DraftFlow(QObject):
    """The window's rephrasings. `window` is the MainWindow: its runner, call state, draft box
    (window.assist.draft), status bar and audit trail (window.actions.store)."""

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self.jobs = Jobs(window, name="rephrase")
        self.count = 0
        self.current: DraftAsk | None = None  # the rephrasing in progress
        self.calls: dict[str, int | None] = {}  # draft id -> the call it is stored with
        self.seconds: list[float] = []  # from each click to its result on screen
        self._told_not_stored = False

    def wire(self) -> DraftFlow:
        box = self.window.assist.draft
        box.rephrase_requested.connect(self.rephrase)
        box.cancel_requested.connect(self.cancel)
        box.copied.connect(self._copied)
        return self

    @property
    def _box(self) -> Any:
        return self.window.assist.draft

    def languages(self) -> None:
        """The customer languages a draft may be put into: the site's (settings)."""
        from copilot.assist.translate.llm import language_name

        runner = self.window.runner
        codes = list(getattr(getattr(runner.settings, "asr", None), "languages", None)
                     or ["en", "fr", "es", "de", "it", "pt"])
        kb_lang = getattr(runner.kb, "lang", "en") or "en"
        self._box.set_languages(kb_lang, [(c, language_name(c)) for c in codes])

    def rephrase(self, draft: str, tone: str, lang: str = "") -> bool:
        """Rephrase the agent's draft off the UI thread; the result shows under it. Stored with
        the call (redacted) only while a stored call is on. False when there is nothing to do."""
        w = self.window
        text = dr.clean_draft(draft, w.runner.settings)
        if not text:
            return False
        if self.current is not None:
            self.cancel()  # one at a time: the newer draft wins
        self.count += 1
        call_id = w.runner.call_id if w.state.phase in (cr.STARTING, cr.LIVE) else None
        ask = DraftAsk(f"draft-{self.count}", text, tone, lang, w.runner.now(), call_id,
                       time.perf_counter())
        self.current = ask
        self.calls[ask.id] = call_id
        self._box.set_busy(True)
        runner = w.runner

        def job() -> Any:
            if ask.cancelled:  # cancelled while it waited for the thread
                raise dr.RephraseCancelled("cancelled before it started")
            return runner.rephrase(ask.draft, ask.tone, ask.lang)

        self.jobs.submit(job, lambda result: self._rephrased(ask, result),
                         lambda e: self._failed(ask, e))
        return True

    def cancel(self) -> bool:
        """Cancel: the box is idle again at once, nothing is shown, the audit trail says so;
        the runner stops the rephrasing (its LLM request within a token)."""
        ask = self.current
        if ask is None:
            return False
        ask.cancelled = True
        self.current = None
        self.window.runner.cancel_rephrase()
        self._box.show_cancelled()
        self._store(ask, {**ask.asked(), "outcome": "cancelled",
                          "seconds": round(time.perf_counter() - ask.started, 3)})
        return True

    def _rephrased(self, ask: DraftAsk, result: Any) -> None:
        if ask.cancelled or ask is not self.current:
            return  # cancelled meanwhile: already recorded as such
        self.current = None
        self._box.show_result(ask.id, result)
        seconds = time.perf_counter() - ask.started
        self.seconds.append(seconds)
        self._store(ask, rephrase_payload(ask, result, seconds))

    def _failed(self, ask: DraftAsk, error: BaseException) -> None:
        if ask.cancelled or ask is not self.current or isinstance(error, dr.RephraseCancelled):
            return
        self.current = None
        message = " ".join(str(error).split()) or type(error).__name__
        log.warning("rephrasing %s failed: %s", ask.id, type(error).__name__)
        self._box.show_error(message)
        self.window.statusBar().showMessage(f"Could not rephrase: {message}", 10_000)
        self._store(ask, {**ask.asked(), "outcome": "failed", "error": message,
                          "seconds": round(time.perf_counter() - ask.started, 3)})

    def _store(self, ask: DraftAsk, payload: dict[str, Any]) -> None:
        if ask.call_id is None:
            if not self._told_not_stored:
                self._told_not_stored = True
                self.window.statusBar().showMessage(NOT_STORED, 10_000)
            return
        self.window.actions.store(AuditRecord(ask.call_id, REPHRASE, ask.at,
                                       {**payload, "pack": self.window.pack_label}))

    def _copied(self, draft_id: str, text: str) -> None:
        w = self.window
        result = self._box.result
        flagged = bool(result is not None and result.flagged)
        w.statusBar().showMessage(
            "Copied to the clipboard (nothing was sent). Check the marked facts: they are not "
            "in the knowledge base." if flagged else
            "Copied to the clipboard (nothing was sent).", 6000)
        call_id = self.calls.get(draft_id)
        if call_id is None:
            return
        w.actions.store(AuditRecord(call_id, REPHRASE_ACTION, w.runner.now(),
                             {"of": draft_id, "action": "copied", "text": text,
                              "flagged": flagged, "pack": w.pack_label}))
