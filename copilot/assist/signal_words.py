"""How a customer signal's level is said in a word. The window's signal indicator and the handoff
note both say it so, and the same level must read the same in both. Kept apart from signals.py
so the window can use it without loading the cue lexicons and the knowledge package."""

from __future__ import annotations

__all__ = ["MOODS", "mood"]

# Frustration levels (0..1) as words, highest first. Below the last step the customer reads as
# calm: the tracker's own "faded" level (signals.SignalSettings.clear_below, 0.25).
MOODS = ((0.75, "angry"), (0.5, "frustrated"), (0.25, "tense"))


def mood(level: float) -> str:
    return next((word for floor, word in MOODS if level >= floor), "calm")
