"""What the checklists say about a call, in words: a section of the after-call note and one line
per `checklist` event for the terminal (`copilot replay`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from copilot.assist.checklist.format import AUTO, Checklist, Item
from copilot.events import ChecklistEvent

__all__ = ["describe_event", "note_section"]

INDENT = "    "


class ItemState(Protocol):
    """What the note reads of an item's state (tracker.ItemState; not imported: tracker uses
    this module)."""

    item: Item
    applies: bool
    done: bool
    by: str
    out_of_order: bool


def note_section(lists: Sequence[tuple[Checklist, Sequence[ItemState]]]) -> str:
    """The checklists' part of the after-call note: what was done (and who ticked it), the
    required items left undone first among the rest, what did not come up."""
    out: list[str] = []
    for checklist, states in lists:
        if not states:
            continue
        texts = {s.item.id: s.item.text for s in states}
        done = {s.item.id for s in states if s.done}
        out += ["", f"Checklist ({checklist.title}):"]
        undone = [s for s in states if s.applies and not s.done]
        for s in sorted(undone, key=lambda s: not s.item.required):
            out.append(f"- {'NOT DONE (required)' if s.item.required else 'Not done'}: "
                       f"{s.item.text}")
        for s in (s for s in states if s.done):
            who = "recognized in the call (AI)" if s.by == AUTO else "ticked by the agent"
            out.append(f"- Done, {who}: {s.item.text}")
            before = texts.get(s.item.after or "", s.item.after)
            if s.out_of_order:
                out.append(f"  Out of order: done before \"{before}\"")
            elif s.item.after and s.item.after not in done:
                # Not flagged as it happened (the agent had begun the first item), but the
                # first item was never done: "only after" did not hold, whatever the tick says.
                out.append(f"  But \"{before}\" was never done")
        out += [f"- Did not come up: {s.item.text}" for s in states if not s.applies]
    return "\n".join(out) + ("\n" if out else "")


def describe_event(event: ChecklistEvent) -> str | None:
    """The terminal line of a checklist event (None: not shown as it comes)."""
    if event.kind == "tick":
        how = "AI, from the agent's words" if event.by == AUTO else "by the agent"
        said = f': "{event.words}"' if event.words else ""
        return f"{INDENT}checklist \u2713 {event.item} ({how}){said}"
    if event.kind == "untick":
        return f"{INDENT}checklist \u2717 {event.item} unticked by the agent"
    if event.kind == "applies":
        return f'{INDENT}checklist: {event.item} now applies (AI: "{event.words}")'
    if event.kind == "order":
        return f"{INDENT}checklist \u26a0 {event.item} done before {event.after}"
    if event.kind in ("closing", "end"):
        if not event.open:
            return f"{INDENT}checklist: every required item is done" if event.kind == "end" \
                else None
        when = "the call is ending" if event.kind == "closing" else "at hang-up"
        return f"{INDENT}checklist \u26a0 {when}, required and not done: {', '.join(event.open)}"
    return None
