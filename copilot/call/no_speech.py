"""What the agent is told when a call's audio held no speech: how much was listened to, and
whether the recording was cut short or the call stopped before its end (issue 15: a silent or
truncated recording was stored as a call with "(not stated)" everywhere and no word)."""

from __future__ import annotations

from copilot.audio.decode import Shortfall, seconds

# A replay whose call clock ends this much before the recording's end was stopped early.
STOPPED_EARLY_SECONDS = 0.5


def no_speech_message(duration: object, shortfall: Shortfall | None, listened: float) -> str:
    """`duration`: the recording's length in seconds (anything else: not a recording);
    `shortfall`: how it was cut short or damaged, if it was; `listened`: the call clock."""
    if not isinstance(duration, int | float) or isinstance(duration, bool):
        return "no speech was heard"
    cut = "" if shortfall is None else (
        f" (it is cut short: its header announces {seconds(shortfall.expected_seconds)})"
        if shortfall.expected_seconds is not None else " (it is damaged)")
    if listened + STOPPED_EARLY_SECONDS < duration:  # the call was stopped before its end
        return (f"no speech was heard in the first {seconds(listened)} of the "
                f"{seconds(duration)} recording{cut}")
    if shortfall is None:
        return f"no speech was heard in the {seconds(duration)} recording"
    held = seconds(duration) if duration >= 0.05 else "few milliseconds"
    return f"no speech was heard in the {held} of audio the file holds{cut}"
