"""The agent's own searches in the window: a question typed into the search box mid-call
("roaming in Canada on the basic plan?") is searched off the UI thread and answered with the same
cards and grounded lines as the customer's turns, above them, until the agent closes it or asks
again. The question and what it showed are stored with the call (redacted) through the audit
trail while a stored call is on; outside one, the status bar says they are not kept.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QObject

from copilot.events import Ask
from ui import call_runner as cr
from ui.audit import AuditRecord

log = logging.getLogger(__name__)
NOT_STORED = "Searched outside a stored call: the question and its results are not kept."


class AskFlow(QObject):
    """The window's searches. `window` is the MainWindow: its runner, call state, jobs, assist
    panel, status bar and audit trail (window.actions.store)."""

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self.count = 0
        self.calls: dict[str, int | None] = {}  # ask id -> the call it is stored with
        self._told_not_stored = False

    def call_of(self, ask: str, otherwise: int | None) -> int | None:
        """The call a search belongs to (a card it showed is that call's), else `otherwise`."""
        return self.calls[ask] if ask in self.calls else otherwise

    def ask(self, question: str) -> bool:
        """Search the knowledge base for the agent's question, off the UI thread; the result
        shows above the customer's cards until the agent closes it or asks again. Stored with
        the call only while a stored call is on."""
        from copilot.assist.ask import ask_id  # loaded with the models already: no wait here

        question = question.strip()
        if not question:
            return False
        w = self.window
        self.count += 1
        ask = ask_id(self.count)
        at = w.runner.now()
        call_id = w.runner.call_id if w.state.phase in (cr.STARTING, cr.LIVE) else None
        self.calls[ask] = call_id
        runner = w.runner
        w.jobs.submit(lambda: runner.ask(question, ask, at),
                      lambda result: self._asked(result, call_id),
                      lambda e: self._failed(e, ask, question, at, call_id))
        return True

    def _asked(self, result: Any, call_id: int | None) -> None:
        w = self.window
        w.assist.show_ask(result)
        if call_id is None:
            if not self._told_not_stored:
                self._told_not_stored = True
                w.statusBar().showMessage(NOT_STORED, 10_000)
            return
        for event in result.events():
            w.actions.store(AuditRecord(call_id, event.type, event.at, event.to_dict()))

    def _failed(self, error: BaseException, ask: str, question: str, at: float,
                call_id: int | None) -> None:
        w = self.window
        message = " ".join(str(error).split()) or type(error).__name__
        log.warning("the search %s failed: %s", ask, error)  # an exception: logs' rules
        w.statusBar().showMessage(f"Search failed: {message}", 10_000)
        if call_id is not None:  # what the agent asked is part of the call's record anyway
            from copilot.assist.ask import clean_question

            try:
                payload = {**Ask(ask, clean_question(question, w.runner.settings),
                                 at).to_dict(), "error": message}
            except Exception:  # never a traceback for the agent: the line above says it
                log.exception("the failed search %s could not be recorded", ask)
                return
            w.actions.store(AuditRecord(call_id, "ask", at, payload))
