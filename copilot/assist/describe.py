"""One line of plain text per assistance event, for the terminal (`copilot replay`).

Every line that carries model output says so ("AI"): principle 1, the agent must always know
what a machine wrote. Suggestions show their sources, or that the copilot abstained.
"""

from __future__ import annotations

from typing import Any

from copilot.events import (
    ChecklistEvent,
    Knowledge,
    Signal,
    SuggestionEvent,
    Summary,
    Translation,
)

INDENT = "    "


def describe(event: Any) -> str | None:
    """The terminal line for an event, or None for events the terminal does not show."""
    if isinstance(event, Translation):
        return f"{INDENT}\u21b3 ({event.lang}, AI translation) {event.text}"
    if isinstance(event, Knowledge):
        cards = "; ".join(f"[{p.id}] {p.title}" for p in event.passages)
        return f"{INDENT}knowledge: {cards}"
    if isinstance(event, SuggestionEvent):
        return _suggestion(event)
    if isinstance(event, Signal):
        words = ", ".join(f'"{w}"' for w in event.words)
        label = "offer escalation" if event.kind == "offer_escalation" else event.kind
        return f"{INDENT}customer signal: {label} {event.level:.1f}" + (f" ({words})" if words
                                                                         else "")
    if isinstance(event, Summary):
        reason = event.sections.get("reason") or "(not yet clear)"
        return f"{INDENT}summary v{event.version}: {reason}"
    if isinstance(event, ChecklistEvent):
        from copilot.assist.checklist.note import describe_event

        return describe_event(event)
    if getattr(event, "type", "") == "after_call":
        return None  # printed in full at the end of the call
    return None


def _suggestion(event: SuggestionEvent) -> str:
    if not event.sources:
        return f"{INDENT}AI suggestion (no approved source, abstain): {event.text}"
    how = {"reworded": " reworded by the LLM, verified",
           "adapted": " with the passage's sentence"}.get(event.origin, "")
    return (f"{INDENT}AI suggestion {event.rank}{how}: {event.text} "
            f"[{', '.join(event.sources)}]")


def summary_block(sections: dict[str, Any]) -> list[str]:
    """The running summary as a block of lines (end of call)."""
    out = [f"Reason: {sections.get('reason') or '(not stated)'}"]
    for key, title in (("earlier", "Raised earlier"), ("facts", "Facts"),
                       ("actions", "Actions taken"), ("open", "Open items"), ("next", "Next steps"),
                       ("sources", "Knowledge used")):
        items = sections.get(key) or []
        if items:
            out.append(f"{title}:")
            out.extend(f"  - {item}" for item in items)
    return out
