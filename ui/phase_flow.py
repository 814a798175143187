"""What the window shows of the call's phase: loading, ready, no speech model, starting, live,
ended or failed (the CallRunner's `state` events through the EventBridge), the call clock and
level meters while it is live, and the engine's notices and errors in the banner.

Each phase sets the call bar, the status bar and the page (the call view, or the first-run
screen when no speech model is installed), tells the practice tab whether a live call holds the
models, and lets a pack activated meanwhile load once nothing uses the models any more
(MainWindow.reload_models). Kept apart from the window so that the window only builds and wires.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, QTimer

from ui import call_runner as cr

TICK_MS = 100  # call timer and level meters


class PhaseFlow(QObject):
    """The call's phase as the window shows it (see the module's docstring)."""

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self.tick = QTimer(self)
        self.tick.setInterval(TICK_MS)
        self.tick.timeout.connect(self.on_tick)

    def wire(self) -> PhaseFlow:
        self.window.bridge.notice.connect(self.show_notice)
        self.window.bridge.state.connect(self.on_state)
        return self

    def on_state(self, state: cr.CallState) -> None:
        w = self.window
        w.state = state
        phase = state.phase
        status = w.statusBar()
        w.practice.set_live_call(phase in (cr.STARTING, cr.LIVE))
        if phase == cr.LOADING:
            w.call_bar.set_ready(False)
            status.showMessage("Loading the knowledge base and models…")
        elif phase == cr.READY:
            w.collector.settle()  # the models are in: out of the collector's sight
            QTimer.singleShot(0, w, w.reload_if_pending)
            w.drafting.languages()
            w.call_bar.use_demo_script = False
            w.call_bar.set_ready(True)
            w.pages.setCurrentIndex(0)
            status.showMessage(("Ready. " + state.message) if state.message else "Ready.", 15_000)
        elif phase == cr.NO_MODEL:
            QTimer.singleShot(0, w, w.reload_if_pending)
            w.call_bar.use_demo_script = True
            w.call_bar.set_ready(True)
            w.first_run.set_reason(state.message)
            w.pages.setCurrentIndex(1)
            status.showMessage("No speech model: the demo call still works.")
        elif phase == cr.STARTING:
            w.call_bar.set_live(True)
            status.showMessage(f"Starting: {state.message}…")
        elif phase == cr.LIVE:
            w.call_bar.set_live(True)
            status.showMessage(f"Live: {state.message}")
            self.tick.start()
        elif phase in (cr.ENDED, cr.FAILED):
            if w.closing:
                QTimer.singleShot(0, w, w.close)  # the call is over: now close
            else:
                QTimer.singleShot(0, w, w.reload_if_pending)
            self.tick.stop()
            self.on_tick()
            w.call_bar.set_live(False)
            w.payment_banner.hide()
            if phase == cr.FAILED:
                self.show_error(state.message)
            else:
                status.showMessage(f"Call ended: {state.message}")
        w.update_versions()

    def on_tick(self) -> None:
        # elapsed(), not now(): the clock runs on while the copilot finishes the last caption
        # and the note, and the timer would end seconds past the call (and its stored length).
        runner = self.window.runner
        self.window.call_bar.set_elapsed(runner.elapsed())
        self.window.call_bar.set_levels(runner.levels() if self.tick.isActive() else {})

    def show_notice(self, notice: Any) -> None:
        # Engine messages are written to follow "copilot: " on a terminal, so they start in
        # lower case; a banner is a sentence of its own.
        message = for_the_window(str(notice.message))
        self.window.notice.setText(message[:1].upper() + message[1:])
        self.window.notice.show()

    def show_error(self, message: str) -> None:
        self.window.notice.setText(f"The call could not go on: {for_the_window(message)}")
        self.window.notice.show()
        self.window.statusBar().showMessage("Call stopped.")


# The engine's messages name the command line's flags (they are printed after "copilot: "); the
# window has those choices in Settings.
_FLAGS = (("use --channels mono", 'set Channels to "mono" in Settings'),
          ("--channels mono", 'Channels "mono" in Settings'))


def for_the_window(message: str) -> str:
    """An engine message with the command line's flags put as the window's settings."""
    for flag, setting in _FLAGS:
        message = message.replace(flag, setting)
    return message
