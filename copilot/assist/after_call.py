"""The after-call note: the running summary's sections as plain text the agent checks, edits
and saves in the wrap-up (ui/dialogs/wrap_up.py), with the disposition code chosen apart
(copilot/assist/disposition.py). Made at hang-up by the summary's worker
(summary.CallSummarizer.finish)."""

from __future__ import annotations

from copilot.assist.summary_extract import CONFIRM
from copilot.assist.summary_lines import CONFIRM_LEGEND
from copilot.events import Summary

__all__ = ["after_call_note"]

# The sections of the note that are the summary's lines, in order: (heading, key).
_NOTE_SECTIONS = (("Key facts", "facts"), ("Actions taken", "actions"), ("Next steps", "next"),
                  ("Open items", "open"))


def after_call_note(summary: Summary | None) -> str:
    """Plain text the agent edits before saving: the summary's sections as a note (None: no
    summary, the reason "(not stated)"; the summarizer makes one from the captions first when
    the call ended before any, summary.CallSummarizer.finish). A line to confirm (heard
    unclearly, or a fact said two ways) keeps its one "(confirm)" at its end, and when there is
    one the note's first line says what that asks of the agent (CONFIRM_LEGEND: before
    everything it explains, never a line under a list, which reads as a mark of its last
    line)."""
    s = summary.sections if summary is not None else {}
    lines = [str(s.get("reason") or ""),
             *(str(x) for key in ("earlier", *(k for _, k in _NOTE_SECTIONS))
               for x in s.get(key) or [])]
    out = [CONFIRM_LEGEND, ""] if any(x.endswith(CONFIRM) for x in lines) else []
    out.append(f"Reason for the call: {s.get('reason') or '(not stated)'}")
    earlier = s.get("earlier") or []
    if earlier:
        out += ["", "Also raised earlier in the call:", *(f"- {x}" for x in earlier)]
    for title, key in _NOTE_SECTIONS:
        items = s.get(key) or []
        if items:
            out += ["", f"{title}:", *(f"- {x}" for x in items)]
    sources = s.get("sources") or []
    if sources:
        out += ["", "Knowledge used:", *(f"- {p}" for p in sources)]
    return "\n".join(out) + "\n"
