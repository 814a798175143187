"""What the agent did with the AI's output, kept with the call: a suggested line or knowledge card
used, copied or dismissed, a passage opened, and the window's other records (searches, checklist
ticks, handoff notes, rephrasings), through the audit trail (ui/audit.py).

Each record carries the knowledge pack it came from (`window.pack_label`) and belongs to the call
it was shown in: a card of the agent's own search to the call it was asked in (ui/ask_flow.py),
so an answer arriving after the hang-up is not filed under the next call. A record with no stored
call (the call has no record: `--no-store`, payment mode) is logged, not kept. The records of
this session are also held in memory for the wrap-up, whose disposition the lines marked Used
preselect (`lines_used`).
"""

from __future__ import annotations

import logging
from typing import Any

from ui.audit import KNOWLEDGE_ACTION, SUGGESTION_ACTION, AuditRecord, AuditTrail
from ui.panels.assist_panel import SuggestionCard

log = logging.getLogger(__name__)


class ActionsFlow:
    """The agent's actions on cards and lines, and every record the window keeps with a call."""

    def __init__(self, window: Any, audit: AuditTrail | None) -> None:
        self.w = window
        self.audit = audit
        self.recorded: list[AuditRecord] = []  # this session's records, in order

    def wire(self) -> ActionsFlow:
        self.w.assist.action.connect(self.card_action)
        if self.audit is not None:
            # called on the audit thread: the window's signal queues it to the UI thread
            self.audit.on_error = self.w.audit_failed.emit
        return self

    def passage_opened(self, passage_id: str) -> None:
        self.action(KNOWLEDGE_ACTION, {"passage": passage_id, "action": "opened"})

    def card_action(self, kind: str, card: Any, action: str) -> None:
        """A suggestion or knowledge card's button (`kind` as the panel says it): recorded,
        told to the runner (the after-call note's "knowledge used"), and for a line the agent
        said, to the handoff note."""
        w = self.w
        if isinstance(card, SuggestionCard):
            e = card.event
            payload = {"of": e.of, "text": e.text, "sources": list(e.sources), "rank": e.rank,
                       "origin": e.origin, "grounded": e.grounded, "action": action}
            self.action(SUGGESTION_ACTION, payload, of=e.of)
            ids, of, text = list(e.sources), e.of, e.text
            # Only "used" means the agent said it: a copied line may never have reached the
            # customer, and the handoff note must not tell the next agent it did.
            if action == "used":
                w.handoff.line_used(e.text)
        else:
            payload = {"of": card.of, "passage": card.ref.id, "title": card.ref.title,
                       "action": action}
            if action == "copied":
                payload["text"] = card.copy_text()
            self.action(KNOWLEDGE_ACTION, payload, of=card.of)
            ids, of, text = [card.ref.id], card.of, card.copy_text()
        w.runner.agent_action(action, ids, of=of, text=text)
        if action == "copied":
            w.statusBar().showMessage("Copied to the clipboard (nothing was sent).", 4000)

    def lines_used(self, call_id: int | None) -> list[str]:
        """The suggested lines the agent marked Used during stored call `call_id`, in order:
        what the agent said, the wrap-up's evidence for a disposition (a copied line may never
        have been said)."""
        return [str(r.payload.get("text", "")) for r in self.recorded
                if r.call_id == call_id and r.type == SUGGESTION_ACTION
                and r.payload.get("action") == "used"]

    def action(self, type_: str, payload: dict[str, Any], *, of: str = "") -> None:
        """An agent action, timed now, with the pack it came from."""
        w = self.w
        payload = {**payload, "pack": w.pack_label}
        # A card of the agent's search belongs to the call it was asked in, if any.
        call_id = w.searching.call_of(of, w.runner.call_id)
        if call_id is None:
            log.info("agent action %s not stored: the call has no record", payload["action"])
            return
        self.store(AuditRecord(call_id, type_, w.runner.now(), payload))

    def store(self, record: AuditRecord) -> None:
        self.recorded.append(record)
        if self.audit is not None:
            self.audit.record(record)

    def close(self) -> None:
        if self.audit is not None:
            self.audit.close()
