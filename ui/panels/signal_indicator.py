"""The customer signal: frustration or escalation cues in the customer's words, and which words.

Computed by the engine from the customer's text only (principle 6); this panel never says
anything about the agent. A signal fades back to calm after a while without a new one, so an
early outburst does not colour the rest of the call.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

# Frustration as a word an agent reads at a glance (the number is in the tooltip): the engine's
# words, so a handoff note says it the same way as this indicator.
from copilot.assist.signal_words import MOODS, mood  # noqa: F401 (MOODS re-exported)

LABELS = {"escalation": "Customer asks to escalate",
          "offer_escalation": "Consider offering escalation"}
CALM = "Customer signal: calm"
FADE_MS = 45_000


class SignalIndicator(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.dot = QLabel("●")
        self.text = QLabel(CALM)
        self.text.setWordWrap(True)
        self.current: Any = None
        for w in (self.dot, self.text):
            w.setObjectName("signalIdle")
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.dot)
        lay.addWidget(self.text, 1)
        self._fade = QTimer(self)
        self._fade.setSingleShot(True)
        self._fade.setInterval(FADE_MS)
        self._fade.timeout.connect(self.clear)

    def show_signal(self, sig: Any) -> None:
        """A copilot.events.Signal."""
        if sig.kind == "frustration" and mood(sig.level) == "calm":
            self.clear()
            return
        self.current = sig
        label = LABELS.get(sig.kind) or (f"Customer sounds {mood(sig.level)}"
                                         if sig.kind == "frustration"
                                         else sig.kind.replace("_", " ").capitalize())
        words = ", ".join(f"“{w}”" for w in sig.words)
        self.text.setText(label + (f": {words}" if words else ""))
        self.text.setToolTip(f"Level {sig.level:.0%}, from the customer's words only: "
                             + (words or "no single cue"))
        # The strong colour is the word "angry"'s (its own threshold had been 0.7, so 0.70-0.75
        # read "frustrated" in angry's red: a walk-through).
        name = "signalStrong" if mood(sig.level) == "angry" or sig.kind == "escalation" \
            else "signalActive"
        self._set_style(name)
        self._fade.start()

    def clear(self) -> None:
        self.current = None
        self.text.setText(CALM)
        self.text.setToolTip("")
        self._set_style("signalIdle")

    def _set_style(self, name: str) -> None:
        for w in (self.dot, self.text):
            w.setObjectName(name)
            w.style().unpolish(w)
            w.style().polish(w)
