"""The after-call note's disposition code: one of the site's codes, from what the agent said
they did or will do (copilot.assist.summary's CallSummarizer calls it at hang-up; the window's
disposition dialog uses it to read a code the agent states)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

from copilot.assist.summary_extract import extract
from copilot.assist.summary_lines import AGENT, lines_of
from copilot.events import Caption
from copilot.knowledge.verify import stem

__all__ = ["choose_disposition"]

# A handoff's destination that is a supervisor or a manager (an escalation, not a transfer).
_SENIOR = r"\s+(?:(?:a|my|the|our|your)\s+)?(?:supervisor|manager|team ?lead|escalat)"
# What each built-in code is about, as the agent would say it. A site's own codes are matched
# by their words ("billing_dispute" -> billing, dispute).
_CODE_WORDS: dict[str, str] = {
    "cancelled": r"cancell?(?:ed|ation)|(?:i'll|i will|i have|i've) (?:now )?cancel",
    "refund_issued": r"refund(?:ed)?|credit(?:ed)?|reimburs\w*|money back|billing correction|"
                     r"revers(?:ed|al)",
    "escalated": r"escalat\w*|supervisor|manager|specialist|transfer(?:ring)? you|second line",
    # The call handed to a peer team (checked before "escalated"): never a supervisor or
    # manager, never a bank or number transfer.
    "transferred": rf"(?:transfer\w*|connect\w*) you (?:over )?(?:to|with)\b(?!{_SENIOR})|"
                   rf"put\w* you through\b(?!(?:\s+to)?{_SENIOR})",
    "callback_scheduled": r"call you back|callback|call back|ring you back",
    "resolved": r"(?:that|it)(?:'s| is| has been| should be) (?:fixed|resolved|sorted|working)|"
                r"all set|problem solved",
    "information_given": r"",
    "other": r"",
}
_LOOKING = re.compile(r"^Agent is (?:check|look|see|find|ask|verify|pull)", re.I)
_PRIORITY = ["cancelled", "transferred", "escalated", "callback_scheduled", "refund_issued",
             "resolved", "information_given", "other"]


def choose_disposition(captions: Iterable[Caption], passages: Iterable[tuple[str, str]],
                       codes: Sequence[str], *, english: Mapping[str, str] | None = None) -> str:
    """One code of `codes` for the call, from what the agent said they did or will do.
    "information_given" when knowledge came up and the agent answered; "other" (or the last
    code) when nothing matches. Raises ValueError for an empty list."""
    if not codes:
        raise ValueError("no disposition codes configured (assist.disposition_codes is empty)")
    lines = lines_of(captions, english)
    ex = extract(lines)
    # What the agent did or committed to; "checking the refund policy" is neither.
    done = " ".join(a for a in [*ex.actions, *ex.next] if not _LOOKING.match(a)).lower()
    agent = " ".join(ln.text for ln in lines if ln.channel == AGENT).lower()
    ranked = sorted(codes, key=lambda c: _PRIORITY.index(c) if c in _PRIORITY else -1)
    for code in ranked:
        pattern = _CODE_WORDS.get(code)
        if pattern is None:  # a site's own code: all its words said by the agent
            words = [w for w in re.split(r"[_\W]+", code.lower()) if len(w) > 2]
            if words and all(re.search(rf"\b{re.escape(stem(w))}", agent) for w in words):
                return code
        elif pattern and re.search(rf"\b(?:{pattern})", done):
            return code
    answered = any(ln.channel == AGENT for ln in lines) and list(passages) and not ex.open
    if answered and "information_given" in codes:
        return "information_given"
    return "other" if "other" in codes else codes[-1]
