"""The handoff note of a warm transfer or an escalation: what the agent taking the call over needs
so the customer does not have to say everything again.

Nothing here is worked out anew. The note is laid out from what the call already produced:
the running summary's latest `summary` event (copilot/assist/summary.py: the reason, facts read
from redacted captions, actions, next steps, open items, the knowledge the agent used), the
customer signals of the call (copilot/assist/signals.py) and the suggested lines the agent used
or copied. `HandoffTracker` follows a call's events (the window's bridge, the replay's printer)
and keeps the latest of each; `HandoffTracker.note` lays them out in a short fixed layout the
agent edits and copies:

    Handoff to: Billing team
    Reason for the call: ...
    Key facts:
    - Account number: 742931
    Tried and suggested:
    - Agent can see both payments of forty nine dollars on March third.
    Customer was told:
    - Agent will file the billing correction now.
    Open items:
    - How long will it take to get my money back?
    Customer signal: frustrated ("second time", "frustrated")

No model, no clock, no Qt: the same events always give the same note.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from copilot.assist.signal_words import mood
from copilot.events import Handoff, Signal, Summary
from copilot.settings import HandoffSettings, Settings

__all__ = ["DESTINATION_LINE", "HandoffAt", "HandoffTracker", "SECTIONS", "destinations",
           "disposition_for", "layout", "redact_note", "signal_text", "with_destination"]

DESTINATION_LINE = "Handoff to: "
# The note's sections after the reason, in the order of the fixed layout: (key, heading).
SECTIONS = (("facts", "Key facts"), ("tried", "Tried and suggested"),
            ("told", "Customer was told"), ("open", "Open items"))
NONE = "- (none)"  # an empty section stays, so the receiving agent knows it was not forgotten
KNOWLEDGE_USED = "Knowledge used: "
# Destinations that are an escalation rather than a transfer to a peer team: a supervisor or a
# manager (a team lead, an escalations desk: the same by other names). Any other destination,
# a complaints or second-line team included, is a peer team: "transferred" (the rule of
# copilot/settings.py's HandoffSettings).
_ESCALATION = re.compile(r"supervisor|manager|team ?lead|escalat", re.I)
ESCALATED, TRANSFERRED = "escalated", "transferred"


def destinations(settings: Any) -> list[str]:
    """The settings' [handoff] destinations, cleaned; the defaults when there are none."""
    given = getattr(getattr(settings, "handoff", None), "destinations", None) or []
    names = list(dict.fromkeys(" ".join(str(d).split()) for d in given if str(d).strip()))
    return names or list(HandoffSettings().destinations)


def layout(destination: str, sections: dict[str, Any]) -> str:
    """The note as plain text, in the fixed layout above."""
    out = [f"{DESTINATION_LINE}{destination}",
           f"Reason for the call: {sections.get('reason') or '(not stated yet)'}"]
    for key, heading in SECTIONS:
        items = [str(i) for i in sections.get(key) or [] if str(i).strip()]
        out += [f"{heading}:", *(f"- {i}" for i in items)] if items else [f"{heading}:", NONE]
    out.append(f"Customer signal: {sections.get('signal') or 'calm'}")
    return "\n".join(out) + "\n"


def with_destination(note: str, destination: str) -> str:
    """`note` handed to another destination: its "Handoff to:" line replaced (the agent's other
    edits kept), or one put first when the agent deleted it."""
    lines = note.split("\n")
    for i, line in enumerate(lines):
        if line.startswith(DESTINATION_LINE.strip()):
            lines[i] = f"{DESTINATION_LINE}{destination}"
            return "\n".join(lines)
    return f"{DESTINATION_LINE}{destination}\n{note}"


def disposition_for(destination: str, codes: Sequence[str]) -> str | None:
    """The wrap-up's disposition once a call was handed to `destination`: "escalated" for a
    supervisor or manager, "transferred" for a peer team (the default codes have both). A
    site whose codes lack one gets the other; None when it has neither."""
    if "transferred" in codes and not _ESCALATION.search(destination):
        return TRANSFERRED
    if ESCALATED in codes:
        return ESCALATED
    return TRANSFERRED if TRANSFERRED in codes else None


def redact_note(text: str, settings: Any = None) -> str:
    """The note as it may be stored: redacted like a final caption, line by line (the agent may
    have typed what the customer read out), its layout kept."""
    from copilot.privacy.redaction import Redactor  # loaded when a note is stored, not before

    cfg = settings if settings is not None else Settings()
    redactor = Redactor(cfg.redaction.extra_patterns)
    return "\n".join(redactor.redact(line, final=True).text if line.strip() else line
                     for line in text.split("\n"))


def _quoted(words: Iterable[str]) -> str:
    return ", ".join(f"\u201c{w}\u201d" for w in dict.fromkeys(words))


def signal_text(signals: Sequence[Signal]) -> str:
    """The call's customer signals as one line: how the customer sounds now (or sounded at the
    worst, when they have calmed down), what they asked that is an escalation, and the words
    that raised each. Only the customer's words (principle 6)."""
    frustration = [s for s in signals if s.kind == "frustration"]
    worst = max((s for s in frustration if s.words), key=lambda s: s.level, default=None)
    latest = frustration[-1] if frustration else None
    parts = []
    if latest is not None and mood(latest.level) != "calm":
        words = latest.words or (worst.words if worst is not None else ())
        parts.append(mood(latest.level) + (f" ({_quoted(words)})" if words else ""))
    elif worst is not None and mood(worst.level) != "calm":
        parts.append(f"calmer now, {mood(worst.level)} earlier ({_quoted(worst.words)})")
    escalation = [w for s in signals if s.kind == "escalation" for w in s.words]
    if escalation:
        parts.append(f"escalation cue ({_quoted(escalation)})")
    if any(s.kind == "offer_escalation" for s in signals):
        parts.append("upset more than once during the call")
    return "; ".join(parts) if parts else "calm (no frustration or escalation cue)"


@dataclass
class HandoffTracker:
    """What a handoff note is made from, following one call's events in order: the latest
    summary, the customer signals, the lines the agent used or copied. `reset()` for a new
    call. Not thread-safe: feed it from one thread (the window's UI thread, the replay's
    printer on the session's writer thread)."""

    summary: Summary | None = None
    signals: list[Signal] = field(default_factory=list)
    told: list[str] = field(default_factory=list)  # suggested lines the agent marked used

    def reset(self) -> None:
        self.summary, self.signals, self.told = None, [], []

    def feed(self, event: Any) -> None:
        """Any event of the call; those a note is made from are kept."""
        if isinstance(event, Summary):
            self.summary = event
        elif isinstance(event, Signal):
            self.signals.append(event)

    def line_used(self, text: str) -> None:
        """The agent marked a suggested line used (said it): the customer was told it."""
        text = " ".join(text.split())
        if text and text not in self.told:
            self.told.append(text)

    def sections(self) -> dict[str, Any]:
        """The note's content: the summary's sections, regrouped for the receiving agent."""
        s = self.summary.sections if self.summary is not None else {}
        sources = [str(p) for p in s.get("sources") or []]
        return {
            "reason": str(s.get("reason") or ""),
            "facts": [str(f) for f in s.get("facts") or []],
            "tried": [*(str(a) for a in s.get("actions") or []),
                      *(f"{KNOWLEDGE_USED}{p}" for p in sources)],
            "told": [*(f"\u201c{t}\u201d" for t in self.told),
                     *(str(n) for n in s.get("next") or [])],
            "open": [str(o) for o in s.get("open") or []],
            "signal": signal_text(self.signals),
        }

    def note(self, destination: str, at: float, id: str = "handoff-1") -> Handoff:
        """The copilot's note for `destination`, made now (`at`, call clock): a draft."""
        sections = self.sections()
        return Handoff(id, destination, layout(destination, sections), sections, at,
                       self.summary.version if self.summary is not None else 0)


class HandoffAt:
    """One handoff, made at call time `at` by a listener that sees the call's events in order
    (`copilot replay --handoff-at`): `before(event)` returns the note to emit ahead of the
    first event at or past that time, made from everything before it; at the end of the call
    (its after-call note, or `at_end()` when none came) when the call was shorter."""

    def __init__(self, at: float, destination: str, id: str = "handoff-1") -> None:
        self.at, self.destination, self.id = at, destination, id
        self.tracker = HandoffTracker()
        self.made: Handoff | None = None

    def before(self, event: Any) -> Handoff | None:
        due = None
        if self.made is None:
            when = float(getattr(event, "at", 0.0))
            if when >= self.at:
                due = self._make(self.at)
            elif getattr(event, "type", "") == "after_call":  # the call ended before `at`
                due = self._make(when)
        self.tracker.feed(event)
        return due

    def at_end(self, now: float) -> Handoff | None:
        return self._make(min(now, self.at)) if self.made is None else None

    def _make(self, at: float) -> Handoff:
        self.made = self.tracker.note(self.destination, at, self.id)
        return self.made
