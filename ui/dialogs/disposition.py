"""The wrap-up's disposition: the site's codes, and what may select one for the agent.

The disposition is the agent's choice. The AI's draft note carries a guess
(copilot.assist.disposition.choose_disposition, from words such as "billing correction"), which the
wrap-up never selects: the walk-through of issue 15 found "Refund issued" selected for a call in
which no refund was issued. A code is selected only from evidence, with the evidence shown
beside it: a handoff the agent made (handoff_preselect), or a suggested line the agent marked
Used that states it (used_line_preselect); the agent's own earlier choice stays theirs.
"""

from __future__ import annotations

from collections.abc import Sequence

from copilot.settings import AssistSettings

# The built-in codes: the settings' defaults (copilot/settings.py), the one list.
DEFAULT_CODES = tuple(AssistSettings().disposition_codes)
# What choose_disposition falls back to when no code's words were said: never evidence.
FALLBACK_CODES = ("information_given", "other")
PICK = "Pick the disposition…"
PICK_HINT = "Not chosen for you: pick what happened on the call."
PICK_FIRST = "Pick the disposition first: the copilot does not choose it for you."
QUOTED_CHARS = 60  # of a used line, in the reason for a preselected disposition


def disposition_codes(settings: object) -> list[str]:
    """The site's codes from Settings.assist.disposition_codes, or the built-in list."""
    codes = getattr(getattr(settings, "assist", None), "disposition_codes", None)
    return list(codes) if codes else list(DEFAULT_CODES)


def handoff_preselect(destination: str, at: float,
                      codes: Sequence[str]) -> tuple[str, str] | None:
    """`preselect` for a call handed to `destination` at call time `at`: "escalated" for a
    supervisor or manager, "transferred" for a peer team (copilot.assist.handoff
    .disposition_for), with the reason shown beside it; None when the codes have neither."""
    from copilot.assist.handoff import disposition_for
    from copilot.store.export import clock

    code = disposition_for(destination, codes)
    if code is None:
        return None
    return code, f"Pre-selected: the call was handed to {destination} at {clock(at)}."


def used_line_preselect(lines: Sequence[str], codes: Sequence[str]) -> tuple[str, str] | None:
    """`preselect` from the suggested lines the agent marked Used (the agent said them): the
    code the last of them states, by the after-call note's own rule (choose_disposition on the
    line as the agent's words), with the line quoted beside it. A line that only looks
    something up states nothing ("Let me check the refund policy"). None when no line states
    a code."""
    from copilot.assist.disposition import choose_disposition
    from copilot.events import Caption

    # Without the fallbacks, and "" last: choose_disposition returns its last code when no
    # code's words are in the line, and "" then means that none were.
    stated = [c for c in codes if c not in FALLBACK_CODES] + [""]
    for text in reversed([str(t) for t in lines if str(t).strip()]):
        said = Caption("used", True, "agent", 0.0, 0.0, 0.0, "en", text)
        code = choose_disposition([said], [], stated)
        if code:
            quoted = text if len(text) <= QUOTED_CHARS else text[:QUOTED_CHARS - 1] + "…"
            return code, f"Pre-selected: you used the line “{quoted}”."
    return None
