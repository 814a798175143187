"""Closing the window during a call: the call is finished in the background (its last words,
summary and note stored) while the window keeps painting and says what is left, then the window
closes. Waiting in closeEvent itself would freeze the window for seconds.

Past CLOSE_WAIT_MS with no progress the window closes anyway and whatever is still running is
cut short (the store keeps every final caption already committed; the call is marked
interrupted at the next start). On a busy machine (two other jobs on two cores) the last words,
summary and note took over 30 s. Captions far behind the call are progress: the wait starts
again each time fewer seconds of speech are left to transcribe (a call closed 30 s behind lost
what was not yet decoded, BENCHMARKS.md). Asked to close again while speech is left, the agent
chooses: keep waiting, or close now and lose those captions.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QMessageBox

log = logging.getLogger(__name__)

__all__ = ["CLOSE_CHECK_MS", "CLOSE_WAIT_MS", "ClosingFlow"]

CLOSE_WAIT_MS = 60_000
CLOSE_CHECK_MS = 1_000  # how often closing looks at what is left


class ClosingFlow:
    """The window's closing during a call (`window` is the MainWindow)."""

    def __init__(self, window: Any) -> None:
        self.window = window
        self.active = False  # the agent asked to close while a call was still running
        self.now = False  # close at once: the wait ran out, or the agent chose to
        self._timer = QTimer(window)
        self._timer.timeout.connect(self.check)
        self._waited = 0  # ms since the call last made progress towards its end
        self._left = 0.0  # seconds of speech left to transcribe at the last check

    def begin(self) -> None:
        """The first request to close during a call: end it, and watch it end."""
        w = self.window
        self.active = True
        w.call_bar.set_closing()
        w.runner.stop()
        self._left = w.runner.left_to_transcribe()
        self._waited = 0
        self._timer.start(CLOSE_CHECK_MS)
        self.check(waited=0)

    def again(self) -> None:
        """Asked to close again while closing: with speech still left to transcribe, ask."""
        left = self.window.runner.left_to_transcribe()
        if left >= 1 and self.ask_close_now(left):
            self.now = True
            QTimer.singleShot(0, self.window.close)

    def ask_close_now(self, left: float) -> bool:
        box = QMessageBox(QMessageBox.Icon.Question, "Close now?",
                          f"{left:.0f} s of the call are not transcribed yet. Closing now loses "
                          "their captions; the call is kept, marked interrupted.",
                          parent=self.window)
        wait = box.addButton("Keep waiting", QMessageBox.ButtonRole.RejectRole)
        now = box.addButton("Close now", QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(wait)
        box.exec()
        return box.clickedButton() is now

    def check(self, waited: int | None = None) -> None:
        """Say what is left, wait on while captions catch up, and close anyway once the call
        has made no progress for CLOSE_WAIT_MS."""
        w = self.window
        waited = CLOSE_CHECK_MS if waited is None else waited
        left = w.runner.left_to_transcribe()
        self._waited = 0 if left < self._left - 0.5 else self._waited + waited
        self._left = min(left, self._left)
        w.statusBar().showMessage(
            f"Closing: transcribing the last {left:.0f} s of the call, then saving the note…"
            if left >= 1 else
            "Closing: finishing the call first (saving the last words and the note)…")
        if self._waited >= CLOSE_WAIT_MS and w.isVisible():
            log.warning("the call made no progress for %d s after closing; closing anyway",
                        CLOSE_WAIT_MS // 1000)
            self.now = True
            w.close()

    def stop(self) -> None:
        self._timer.stop()  # never fires after the window has closed (or is deleted)
