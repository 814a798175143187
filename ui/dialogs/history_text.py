"""What the History dialog writes about a stored call besides its transcript: its handoff notes,
and the disposition a never-reviewed note of a handed-over call starts from."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from copilot.store import export
from copilot.store.rows import EventRow
from ui.dialogs import call_data
from ui.dialogs.text import clock
from ui.dialogs.wrap_up import handoff_preselect
from ui.theme import Colors

__all__ = ["handed_over", "handoffs_html"]


def handoffs_html(handoffs: Sequence[EventRow], c: Colors) -> str:
    """The call's handoff notes (copilot.store.export.handoffs), each headed as the exports
    head it: 'Handoff to Billing team at 00:33.5 (edited and saved by the agent)', then the
    note as the agent left it. Nothing when the call was not handed over."""
    if not handoffs:
        return ""
    title = "Handoff note" if len(handoffs) == 1 else "Handoff notes"
    out = [f"<h3 style='color:{c.text}'>{title}</h3>"]
    for h in handoffs:
        p = h.payload
        destination = " ".join(str(p.get("destination") or "").split()) or "(no destination)"
        note = str(p.get("note") or "").rstrip("\n")
        body = (escape(note).replace("\n", "<br>") if note.strip()
                else f"<i style='color:{c.muted}'>(empty)</i>")
        out.append(f"<p><b style='color:{c.muted}'>Handoff to {escape(destination)}</b> "
                   f"<span style='color:{c.faint}'>at {clock(h.at)} "
                   f"({escape(export.handoff_state(p))})</span></p>"
                   f"<p style='color:{c.text}; white-space:pre-wrap'>{body}</p>")
    return "".join(out)


def handed_over(detail: call_data.CallDetail, codes: Sequence[str]) -> tuple[str, str] | None:
    """The disposition to preselect when the note of a handed-over call is edited from the
    history and the agent never reviewed it (the AI's draft): "escalated" or "transferred"
    for where the call went last, as the wrap-up at hang-up does. A note the agent saved or
    changed keeps its own."""
    note = detail.note
    if not detail.handoffs or (note is not None and (note.saved or note.edited)):
        return None
    last = max(detail.handoffs, key=lambda e: (e.at, e.id))
    return handoff_preselect(str(last.payload.get("destination") or ""), last.at, codes)
