"""The Practice tab: rehearse a difficult call with a simulated customer, apart from live calls.

Pick a scenario, Start: the customer speaks, the trainee answers by typing (Enter sends) or by
voice (Speak, then Stop), and feedback appears under each answer while the checklist beside the
conversation shows where every criterion stands. The customer's last line ends the call with a
scorecard, stored locally; Progress shows the sessions so far.

Every engine call runs on the tab's job runner (ui/jobs.py), never on the UI thread. Practice
never runs during a live call: Start is disabled while one runs (the window says when its own
call starts; a call from another program is seen through the live-call lock, probed once a
second without waiting), and a call that starts mid-practice ends the practice cleanly, with a
scorecard marked as stopped.
"""

from __future__ import annotations

import logging
import threading
from html import escape
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QLabel,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from copilot.practice import LiveCallActive
from ui.jobs import Jobs
from ui.panels.practice import render
from ui.panels.practice.progress import ProgressView
from ui.panels.practice.run import Finished, PracticeRun, PracticeServices, Started
from ui.panels.practice.voice_input import NO_MICROPHONE, MicrophoneAnswers
from ui.panels.practice.widgets import ScenarioBar, SessionView
from ui.theme import LIGHT, Colors

IDLE, STARTING, ANSWERING, WAITING, RECORDING, ENDING = (
    "idle", "starting", "answering", "waiting", "recording", "ending")
LIVE_CALL_TEXT = "Practice is not available during a live call."
PROBE_MS = 1000
CLOSE_WAIT_MS = 5000  # closing the window: the longest it waits to keep a practice under way
log = logging.getLogger(__name__)
LANGUAGES = {"en": "English", "fr": "French", "es": "Spanish"}


class PracticeTab(QWidget):
    state_changed = Signal(str)

    def __init__(self, services: PracticeServices | None = None, colors: Colors = LIGHT, *,
                 voice: Any = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services or PracticeServices()
        self.colors = colors
        self.voice = voice  # a voice_input.MicrophoneAnswers, or None: typing only
        self.state = IDLE
        self.scenarios: list[Any] = []
        self.offers: list[Any] = []  # copilot.practice.Offer, one per scenario
        self.run: PracticeRun | None = None
        self.started: Started | None = None
        self.status: dict[str, str] = {}  # rule id -> status, as the answers decide them
        self.last: Finished | None = None
        self.live = False
        self._window_call = False
        self._microphone = ""  # why Speak cannot be used ("" = it can)
        self._shown_at: float | None = None  # when the customer's line appeared
        self._began_at: float | None = None  # when the trainee began answering
        self._stop_recording: threading.Event | None = None
        self._spoken = False  # the answer being judged was spoken
        self.worker = Jobs(self, name="practice")

        # -- widgets --
        bar = self.bar = ScenarioBar()
        self.picker, self.start_button, self.end_button = bar.picker, bar.start_button, \
            bar.end_button
        self.ai_customer, self.about = bar.ai_customer, bar.about
        view = self.view = SessionView()
        self.conversation, self.checklist, self.answer_box = view.conversation, \
            view.checklist, view.answer_box
        self.send_button, self.speak_button, self.hint = view.send_button, \
            view.speak_button, view.hint
        self.banner = QLabel("")
        self.banner.setObjectName("paymentBanner")
        self.banner.setWordWrap(True)
        self.banner.hide()
        self.progress = ProgressView(colors)
        self.pages = QTabWidget()
        self.pages.addTab(view, "Session")
        self.pages.addTab(self.progress, "Progress")
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 4, 0, 0)
        lay.addWidget(bar)
        lay.addWidget(self.banner)
        lay.addWidget(self.pages, 1)

        self.picker.currentIndexChanged.connect(self._describe)
        self.picker.currentIndexChanged.connect(self._update_buttons)
        self.start_button.clicked.connect(self.start)
        self.end_button.clicked.connect(self.end)
        self.answer_box.submitted.connect(self.send)
        self.answer_box.textChanged.connect(self._typing)
        self.send_button.clicked.connect(self.send)
        self.speak_button.clicked.connect(self.speak)
        self.progress.refresh_requested.connect(self.refresh_progress)
        self.pages.currentChanged.connect(
            lambda i: self.refresh_progress() if self.pages.widget(i) is self.progress else None)

        self._probe_timer = QTimer(self)
        self._probe_timer.setInterval(PROBE_MS)
        self._probe_timer.timeout.connect(self._probe)
        self._probe_timer.start()
        self._probe()
        self.set_devices([], "")
        self._set_state(IDLE)
        self.hint.setText("Loading the scenarios…")
        self.worker.submit(self.services.load_scenarios, self._scenarios_loaded,
                           lambda e: self._fail(f"The practice scenarios cannot be read: {e}"))

    @classmethod
    def for_runner(cls, runner: Any, colors: Colors = LIGHT) -> PracticeTab:
        """The tab as the window builds it: the runner's knowledge base, LLM, speech model
        and settings, loaded once for live calls and practice alike."""
        def settings() -> Any:
            return runner.settings

        voice = MicrophoneAnswers(lambda: runner.model_path, settings)
        return cls(PracticeServices.for_runner(runner), colors, voice=voice)

    # -- what the window tells us --
    def set_live_call(self, on: bool) -> None:
        """The window's own call started (True) or ended (False)."""
        self._window_call = on
        self._probe()
        self._update_buttons()  # the window's LLM may have finished loading meanwhile

    def set_devices(self, devices: list[Any], error: str = "") -> None:
        """The sound devices the window listed: Speak needs one input (a microphone)."""
        if self.voice is None:
            self._microphone = "Answering by voice is not available here: type your answers."
        elif not devices:
            self._microphone = NO_MICROPHONE + (f" ({error})" if error else "")
        else:
            self._microphone = ""
        self.speak_button.setToolTip(self._microphone or "Speak your answer, then press Stop")
        self._update_buttons()

    # -- actions --
    def start(self) -> None:
        if self.state not in (IDLE,) or self.live or not self.scenarios or self._unavailable():
            return
        scenario = self.scenarios[self.picker.currentIndex()]
        self.run = PracticeRun(self.services, scenario, use_llm=self.ai_customer.isChecked())
        self.started, self.status, self.last = None, {}, None
        self.conversation.clear()
        self.checklist.clear()
        self.banner.hide()
        self.pages.setCurrentIndex(0)
        self._set_state(STARTING)
        self.hint.setText("Starting: the customer is calling…")
        self.worker.submit(self.run.start, self._on_started, self._on_error)

    def send(self) -> None:
        text = self.answer_box.toPlainText().strip()
        if self.state != ANSWERING or self.run is None or not text:
            return
        self._submit_answer(text, spoken=False)

    def speak(self) -> None:
        """Start recording an answer; pressed again (Stop), end it and send what was said."""
        if self.state == RECORDING and self._stop_recording is not None:
            self._stop_recording.set()
            self.speak_button.setEnabled(False)
            self.hint.setText("Transcribing your answer…")
            return
        if self.state != ANSWERING or self._microphone or self.voice is None:
            return
        self._began()
        stop = self._stop_recording = threading.Event()
        lang = self.run.scenario.language if self.run is not None else None
        self._set_state(RECORDING)
        self.hint.setText("Listening… press Stop when you have finished your answer.")
        self.worker.submit(lambda: self.voice.listen(stop, lang), self._heard, self._voice_failed)

    def end(self) -> None:
        """Stop the practice call now; the scorecard says it was stopped."""
        if self.state in (ANSWERING, WAITING, RECORDING):
            if self._stop_recording is not None:
                self._stop_recording.set()
            self._finish()

    def refresh_progress(self) -> None:
        self.worker.submit(self.services.progress, self.progress.show_data,
                           lambda e: self.progress.empty.setText(
                               f"The practice records cannot be read: {e}"))

    def close_services(self) -> None:
        """The window is closing: stop recording, release the lock and models on the worker."""
        if self.worker.closed:
            return
        self._probe_timer.stop()
        if self._stop_recording is not None:
            self._stop_recording.set()
        run, voice = self.run, self.voice
        if run is not None and self.state in (ANSWERING, WAITING, RECORDING):
            # A practice under way is kept, stopped, as when a live call stops it (closing the
            # window discarded it without a word: a walk-through); at most CLOSE_WAIT_MS.
            self.worker.submit(run.finish, None, lambda e: log.warning(
                "the practice in progress could not be kept on closing: %s", type(e).__name__))
            self.worker.wait(CLOSE_WAIT_MS)
        if run is not None:
            self.worker.submit(run.close)
        if voice is not None:
            self.worker.submit(voice.close)
        self.worker.close()

    # -- worker results --
    def _scenarios_loaded(self, offers: list[Any]) -> None:
        self.offers = offers
        self.scenarios = [o.scenario for o in offers]
        self.picker.clear()
        for o in offers:
            s = o.scenario
            mark = "" if o.available else "  (not available)"
            self.picker.addItem(f"{s.title}  [{s.language}]{mark}", s.id)
            if not o.available:
                self.picker.setItemData(self.picker.count() - 1, o.why_not,
                                        Qt.ItemDataRole.ToolTipRole)
        first = next((i for i, o in enumerate(offers) if o.available), 0)
        self.picker.setCurrentIndex(first if offers else -1)
        scenarios = self.scenarios
        self.hint.setText("" if scenarios else "No practice scenarios are installed.")
        self._describe()
        self._update_buttons()

    def _on_started(self, started: Started) -> None:
        if self.state != STARTING:
            return
        self.started = started
        self._render_checklist()
        title = self.run.scenario.title if self.run is not None else ""
        # Nothing about who words the customer's lines: see render.customer_html.
        self._append(f'<p style="color:{self.colors.muted}">Practice call: {escape(title)} · '
                     "simulated customer. Nothing here is a real call.</p>")
        self._customer(started.opening)

    def _on_answered(self, result: Any) -> None:
        fb = result.feedback
        self.answer_box.clear()
        self._append(render.agent_html(fb.agent, self.colors, spoken=self._spoken))
        for change in fb.changes:
            self.status[change.id] = change.status
        titles = self.started.titles if self.started else {}
        self._append(render.feedback_html(fb, self.colors, titles))
        self._render_checklist()
        if self.state == ENDING:
            return
        self._customer(result.customer)

    def _on_error(self, e: BaseException) -> None:
        if isinstance(e, LiveCallActive) and self.state == STARTING:
            self.run = None  # start() let go of everything it took
            self._set_state(IDLE)
            self._show_banner(f"{LIVE_CALL_TEXT} It opens again when the call ends.")
            self.hint.setText("")
        elif isinstance(e, LiveCallActive):
            self.answer_box.clear()
            self._show_banner(f"{LIVE_CALL_TEXT} A call started: the practice was stopped "
                              "and its scorecard is on the right.")
            self._finish()
        else:
            self._fail(str(e) or type(e).__name__)

    def _heard(self, text: str) -> None:
        self._stop_recording = None
        if self.state != RECORDING:
            return
        if not text.strip():
            self._set_state(ANSWERING)
            self.hint.setText("Nothing was heard: speak again, or type your answer.")
            return
        self._submit_answer(text, spoken=True)

    def _voice_failed(self, e: BaseException) -> None:
        self._stop_recording = None
        if self.state == RECORDING:
            self._set_state(ANSWERING)
        self.hint.setText(f"Could not take a spoken answer: {e}. Type your answer instead.")

    def _on_finished(self, done: Finished) -> None:
        self.last = done
        self.run = None
        self.checklist.setHtml(render.scorecard_html(done.card, self.colors, done.saved,
                                                     done.error))
        self._append(render.notice_html("The practice call is over: your scorecard is on the "
                                        "right.", self.colors))
        self._set_state(IDLE)
        self.hint.setText("Start again to try the same scenario, or pick another one.")
        if done.saved is not None:
            self.progress.prefer(done.card.scenario_id)
            self.refresh_progress()

    # -- helpers --
    def _submit_answer(self, text: str, *, spoken: bool) -> None:
        now = self.services.clock()
        began = self._began_at if self._began_at is not None else now
        seconds = None if self._shown_at is None else max(0.0, began - self._shown_at)
        # The answer is shown once the session has redacted it (a card number read out or
        # typed is never shown back); a typed one stays in the box meanwhile.
        self._spoken = spoken
        self._set_state(WAITING)
        self.hint.setText("The customer is answering…")
        run = self.run
        assert run is not None
        self.worker.submit(lambda: run.answer(text, seconds), self._on_answered, self._on_error)

    def _customer(self, turn: Any) -> None:
        self._append(render.customer_html(turn, self.colors))
        if turn.last:
            self._finish()
            return
        self._shown_at, self._began_at = self.services.clock(), None
        self._set_state(ANSWERING)
        self.hint.setText("Your turn: answer the customer.")
        self.answer_box.setFocus()

    def _finish(self) -> None:
        if self.run is None or self.state in (ENDING, IDLE):
            return
        self._set_state(ENDING)
        self.hint.setText("Scoring the practice call…")
        self.worker.submit(self.run.finish, self._on_finished, self._fail)

    def _fail(self, message: Any) -> None:
        run, self.run = self.run, None
        if run is not None:
            self.worker.submit(run.close)
        self._show_banner(f"Practice stopped: {message}")
        self._set_state(IDLE)
        self.hint.setText("")

    def _typing(self) -> None:
        if self.state == ANSWERING and self.answer_box.toPlainText():
            self._began()

    def _began(self) -> None:
        if self._began_at is None:
            self._began_at = self.services.clock()

    def _probe(self) -> None:
        # live_call_active() tries a non-blocking flock on a small file: microseconds, so it
        # may run on the UI thread.
        try:
            other = self.services.live_probe()
        except OSError:
            other = False
        live = self._window_call or other
        if live == self.live:
            return
        self.live = live
        if live and self.state not in (IDLE, ENDING):
            self._show_banner(f"{LIVE_CALL_TEXT} A call started: the practice was stopped "
                              "and its scorecard is on the right.")
            self._finish()
        elif live:
            self._show_banner(f"{LIVE_CALL_TEXT} It opens again when the call ends.")
        else:
            self.banner.hide()
        self._update_buttons()

    def _show_banner(self, text: str) -> None:
        self.banner.setText(text)
        self.banner.show()

    def _set_state(self, state: str) -> None:
        self.state = state
        self._update_buttons()
        self.state_changed.emit(state)

    def _update_buttons(self) -> None:
        s = self.state
        why_not = self._unavailable()
        self.start_button.setEnabled(s == IDLE and not self.live and bool(self.scenarios)
                                     and not why_not)
        self.start_button.setToolTip(LIVE_CALL_TEXT if self.live else why_not)
        self.start_button.setText("Start practice" if self.last is None else "Practice again")
        self.picker.setEnabled(s == IDLE)
        self.ai_customer.setEnabled(s == IDLE)
        # Offered only when the window has a language model loaded: otherwise the customer
        # says the scenario's own lines, and a ticked box would say otherwise.
        self.ai_customer.setVisible(self.services.llm() is not None)
        self.end_button.setEnabled(s in (ANSWERING, WAITING, RECORDING))
        self.answer_box.setReadOnly(s != ANSWERING)
        self.answer_box.setEnabled(s in (ANSWERING, WAITING, RECORDING))
        self.send_button.setEnabled(s == ANSWERING)
        self.speak_button.setEnabled(s == RECORDING or (s == ANSWERING and not self._microphone))
        self.speak_button.setText("Stop" if s == RECORDING else "Speak")

    def _unavailable(self) -> str:
        """Why the picked scenario cannot be started with this knowledge base ("" if it can)."""
        i = self.picker.currentIndex()
        return self.offers[i].why_not if 0 <= i < len(self.offers) else ""

    def _describe(self) -> None:
        i = self.picker.currentIndex()
        if not 0 <= i < len(self.scenarios):
            self.about.setText("")
            return
        s, c = self.scenarios[i], self.colors
        lang = LANGUAGES.get(s.language, s.language)
        self.about.setText(f'<b style="color:{c.text}">{escape(s.title)}</b> '
                           f'<span style="color:{c.muted}">· customer speaks {lang}</span><br>'
                           f'<span style="color:{c.muted}">{escape(s.summary)}</span>'
                           + (f'<br><span style="color:{c.signal}">Not available with this '
                              f'knowledge base: {escape(self._unavailable())}</span>'
                              if self._unavailable() else ""))

    def _render_checklist(self) -> None:
        if self.started is not None:
            self.checklist.setHtml(render.criteria_html(self.started.rules, self.status,
                                                        self.colors))

    def _append(self, html: str) -> None:
        self.view.append(html)
