"""The live call window: a composition root that builds the services and wires the panels.

Services (the CallRunner that loads models and runs calls, the audit trail) are made here and
talk to the panels only through the EventBridge's signals; the panels know nothing of the engine.
Nothing here does model, file or database work on the UI thread.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ui import call_runner as cr
from ui import main_thread_gc, screen_fit
from ui.actions_flow import ActionsFlow
from ui.ask_flow import AskFlow
from ui.audit import AuditTrail
from ui.bridge import EventBridge
from ui.checklist_flow import ChecklistFlow
from ui.closing_flow import ClosingFlow
from ui.draft_flow import DraftFlow
from ui.handoff_flow import HandoffFlow
from ui.jobs import Jobs
from ui.panels.assist_panel import AssistPanel
from ui.panels.call_bar import CallBar
from ui.panels.checklist_panel import ChecklistPanel
from ui.panels.first_run import FirstRunScreen
from ui.panels.passage_view import PassageView
from ui.panels.practice import PracticeTab
from ui.panels.practice.tab import IDLE as PRACTICE_IDLE
from ui.panels.signal_indicator import SignalIndicator
from ui.panels.summary import SummaryPanel
from ui.panels.transcript import TranscriptView
from ui.phase_flow import PhaseFlow
from ui.room import RoomForCards
from ui.runner_api import Runner
from ui.theme import LIGHT, Colors

log = logging.getLogger(__name__)
RunnerFactory = Callable[[Callable[[Any], None]], Any]  # (bridge.post) -> a CallRunner


class MainWindow(QMainWindow):
    devices_listed = Signal(object, str)  # (devices, error): from the device-listing thread
    audit_failed = Signal(str)

    def __init__(self, make_runner: RunnerFactory, *, colors: Colors = LIGHT,
                 audit: AuditTrail | None = None, pack_label: str = "demo",
                 demo_wav: str = "", demo_script: str = "",
                 list_devices: Callable[[], Any] | None = None) -> None:
        super().__init__()
        self.setWindowTitle("Agent Copilot")
        self.colors = colors
        self.pack_label = pack_label
        self.state = cr.CallState(cr.LOADING)
        # Before any worker starts: cycles are collected on this thread only (main_thread_gc).
        self.collector = main_thread_gc.install(QCoreApplication.instance())
        self.bridge = EventBridge(self)
        self.runner: Runner = make_runner(self.bridge.post)
        if not isinstance(self.runner, Runner):  # a fake or a new runner missing a method
            raise TypeError(f"{type(self.runner).__name__} is not a ui.runner_api.Runner")
        # what the agent did with cards and lines, and every record kept with a call
        self.actions = ActionsFlow(self, audit)
        self.reload_pending = False  # a new pack was activated during a call or practice
        self.closer = ClosingFlow(self)  # closing during a call (ui/closing_flow.py)
        # The agent's searches: one job thread (a search takes a moment; never the UI thread).
        self.jobs = Jobs(self)
        self.searching = AskFlow(self)  # the agent's own searches (ui/ask_flow.py)
        self._panels(colors, demo_wav, demo_script)
        self.handoff = HandoffFlow(self)  # Transfer / escalate: the handoff note
        self.drafting = DraftFlow(self)  # the draft box's rephrasings (ui/draft_flow.py)
        self.setCentralWidget(self._layout(colors))
        self.versions = QLabel("")
        self.statusBar().addPermanentWidget(self.versions)
        self.update_versions()
        self._wire()
        self._shortcuts()
        self._list_devices = list_devices

    def _panels(self, colors: Colors, demo_wav: Any, demo_script: Any) -> None:
        self.call_bar = CallBar(demo_wav=demo_wav, demo_script=demo_script)
        self.payment_banner = QLabel("Payment mode: nothing said now is stored or shown in "
                                     "words. Press Ctrl+P when the payment is done.")
        self.payment_banner.setObjectName("paymentBanner")
        self.payment_banner.setWordWrap(True)
        self.payment_banner.hide()
        self.notice = QLabel("")
        self.notice.setObjectName("paymentBanner")
        self.notice.setWordWrap(True)
        self.notice.hide()
        self.transcript = TranscriptView(colors)
        self.signal = SignalIndicator()
        self.checklist = ChecklistPanel()  # the live checklist (ui/checklist_flow.py)
        self.assist = AssistPanel(lookup=self._passage, colors=colors)
        self.summary = SummaryPanel()
        self.passage_view = PassageView(self)
        self.first_run = FirstRunScreen()

    def _layout(self, colors: Colors) -> QWidget:
        """Call bar over the transcript and the assistance column; Live call | Practice tabs."""
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(self.assist)
        right.addWidget(self.summary)
        right.setStretchFactor(0, 3)
        right.setStretchFactor(1, 1)
        right.setChildrenCollapsible(False)
        self.right_split = right
        right_col = QWidget()
        rl = QVBoxLayout(right_col)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(self.signal)
        rl.addWidget(self.checklist)
        rl.addWidget(right, 1)
        call_view = QSplitter(Qt.Orientation.Horizontal)
        call_view.addWidget(self.transcript)
        call_view.addWidget(right_col)
        # Half and half: the lines and cards are what the agent reads mid-call; the transcript
        # is mostly white space at the right of short captions.
        call_view.setStretchFactor(0, 1)
        call_view.setStretchFactor(1, 1)
        call_view.setChildrenCollapsible(False)
        self.call_split = call_view
        self.pages = QStackedWidget()
        self.pages.addWidget(call_view)
        self.pages.addWidget(self.first_run)

        live_tab = QWidget()
        lay = QVBoxLayout(live_tab)
        lay.setContentsMargins(0, 4, 0, 0)
        lay.addWidget(self.call_bar)
        lay.addWidget(self.payment_banner)
        lay.addWidget(self.notice)
        lay.addWidget(self.pages, 1)
        # Practice is kept apart from live calls (its own tab, database and lock).
        self.practice = PracticeTab.for_runner(self.runner, colors)
        self.practice.state_changed.connect(lambda _state: self.reload_if_pending())
        self.tabs = QTabWidget()
        self.tabs.addTab(live_tab, "Live call")
        self.tabs.addTab(self.practice, "Practice")
        root = QWidget()
        root.setObjectName("root")
        root_lay = QVBoxLayout(root)
        root_lay.setContentsMargins(8, 4, 8, 4)
        root_lay.addWidget(self.tabs)
        return root

    def _wire(self) -> None:
        """Engine events (through the bridge) to panels, panel requests to the window."""
        b = self.bridge
        b.caption.connect(self.transcript.show_caption)
        b.translation.connect(self.transcript.show_translation)
        b.knowledge.connect(self.assist.show_knowledge)
        b.suggestion.connect(self.assist.show_suggestion)
        b.summary.connect(self.summary.show_summary)
        b.customer_signal.connect(self.signal.show_signal)
        self.phases = PhaseFlow(self).wire()  # the call's phase shown (ui/phase_flow.py)
        self.call_bar.start_requested.connect(self.start_call)
        self.call_bar.stop_requested.connect(self.stop_call)
        self.call_bar.payment_toggled.connect(self._payment)
        self.handoff.wire()
        self.checklists = ChecklistFlow(self).wire()
        self.room = RoomForCards(self).wire()  # the line and card first (ui/room.py)
        self.actions.wire()
        self.assist.open_passage.connect(self.open_passage)
        self.assist.ask_requested.connect(self.ask)
        self.drafting.wire()
        self.jobs.busy_changed.connect(self.assist.set_searching)
        self.first_run.demo_requested.connect(self.start_demo)
        self.first_run.retry_requested.connect(self.runner.load)
        self.devices_listed.connect(self.call_bar.set_devices)
        self.devices_listed.connect(self.practice.set_devices)
        self.audit_failed.connect(lambda m: self.statusBar().showMessage(m, 10_000))

    def _shortcuts(self) -> None:
        keys: list[tuple[str, Callable[[], Any], str]] = [
            ("Ctrl+Return", self.call_bar.toggle_call, "start or stop the call"),
            ("Ctrl+1", lambda: self.assist.copy_suggestion(1), "copy suggested line 1"),
            ("Ctrl+2", lambda: self.assist.copy_suggestion(2), "copy suggested line 2"),
            ("Alt+1", lambda: self.assist.use_suggestion(1), "mark suggested line 1 used"),
            ("Alt+2", lambda: self.assist.use_suggestion(2), "mark suggested line 2 used"),
            ("Ctrl+P", self.call_bar.toggle_payment, "payment mode on or off"),
            ("Ctrl+T", self.call_bar.request_handoff, "transfer / escalate: the handoff note"),
            ("Ctrl+F", self.transcript.focus_search, "search the transcript"),
            ("Ctrl+K", self._focus_ask, "ask the knowledge base"),
            ("Ctrl+D", self._focus_draft, "rephrase a draft"),
            ("Ctrl+Shift+1", lambda: self.tabs.setCurrentIndex(0), "the live call"),
            ("Ctrl+Shift+2", lambda: self.tabs.setCurrentIndex(1), "practice"),
        ]
        self.shortcuts = {}
        for key, slot, _what in keys:
            sc = QShortcut(QKeySequence(key), self)
            sc.activated.connect(slot)
            self.shortcuts[key] = sc
        # What Help > Keyboard shortcuts lists (ui/window_dialogs.py adds the menus' own keys).
        self.shortcut_help: list[tuple[str, str]] = [(k, what) for k, _slot, what in keys] + [
            ("Esc", "dismiss the focused card (in the search box: clear it; in the draft: "
                    "cancel the rephrasing)"),
            ("Ctrl+Return in the draft", "rephrase (it never starts or stops the call there)"),
            ("Tab", "the next control, down the assistance column as it stands on screen"),
        ]

    # -- start-up --
    def start_services(self) -> None:
        """Load models and list sound devices, both on worker threads."""
        self.runner.load()
        if self._list_devices is not None:
            import threading

            threading.Thread(target=self._devices_worker, name="list-devices",
                             daemon=True).start()

    def _devices_worker(self) -> None:
        try:
            devices, error = list(self._list_devices() or []), ""
        except Exception as e:  # no PortAudio, no sound server: say so, replay still works
            devices, error = [], f"Sound devices unavailable: {e}"
        try:
            self.devices_listed.emit(devices, error)
        except RuntimeError:
            # The window closed while the devices were listed (a quick Ctrl-C at start-up):
            # Qt has deleted the signal's source and there is no one left to tell.
            pass

    def set_colors(self, colors: Colors) -> None:
        """The theme changed in Settings: what the panels write from now on, and the transcript
        already shown, take the new colours (the palette and style sheet are the app's)."""
        self.colors = colors
        self.transcript.set_colors(colors)
        self.assist.draft.colors = colors
        self.practice.colors = colors

    def set_pack_label(self, label: str) -> None:
        """The knowledge/model pack in use ("id@version"), shown and kept with every action."""
        self.pack_label = label
        self.update_versions()

    def update_versions(self) -> None:
        model = self.runner.model_path
        llm = self.runner.llm_name()
        self.versions.setText(f"Pack: {self.pack_label}   ·   Speech: "
                              f"{model.name if model else '…'}   ·   LLM: {llm}")
        self.versions.setToolTip(f"Speech model: {model if model else '…'}\n"
                                 f"LLM: {self.runner.llm_details()}")

    # -- room for what the agent reads --
    def showEvent(self, e: Any) -> None:  # noqa: N802 - Qt's name
        super().showEvent(e)
        if not getattr(self, "_split_once", False):
            self._split_once = True
            half = max(1, self.call_split.width() // 2)
            self.call_split.setSizes([half, half])

    def resizeEvent(self, e: Any) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(e)
        self.room.request()

    @property
    def split_by_agent(self) -> bool:
        return self.room.by_agent

    def fit_assist(self) -> None:
        self.room.fit_assist()

    def resize_within_screen(self, width: int, height: int) -> None:
        """The window's first size: as asked (--size), never larger than the screen's
        available area (a 150 % scale made the default larger than a 1280x800 screen)."""
        screen_fit.resize_within_screen(self, width, height)

    # -- calls --
    def start_call(self, source: cr.CallSource) -> None:
        if self.runner.busy or self.closing:
            return
        self.tabs.setCurrentIndex(0)
        self.pages.setCurrentIndex(0)
        self.room.new_call()  # the window makes room for the cards again
        self.cancel_rephrase()  # its result would belong to the call before
        self.handoff.new_call()
        self.checklists.new_call()
        self.transcript.clear()
        self.assist.clear()
        self.summary.clear()
        self.signal.clear()
        self.notice.hide()
        try:
            self.runner.start(source)
        except (RuntimeError, ValueError) as e:
            self.phases.show_error(str(e))

    def start_demo(self) -> None:
        self.call_bar.source.setCurrentText("Demo call")
        source = self.call_bar.chosen_source()
        if source is not None:
            self.start_call(source)

    def stop_call(self) -> None:
        self.statusBar().showMessage("Stopping: finishing the last words…")
        self.runner.stop()

    def _payment(self, on: bool) -> None:
        self.runner.set_payment_mode(on)
        self.payment_banner.setVisible(on)

    # -- a newly activated pack --
    def reload_models(self, why: str = "loading the newly active pack…") -> bool:
        """Load the models and knowledge again (a newly active pack, new settings) now; during a
        call or a practice run, when it ends (their models are in use). True if loading started
        now."""
        if self.closing:
            return False
        if (self._call_in_progress() or self.practice.state != PRACTICE_IDLE
                or self.state.phase == cr.LOADING):
            self.reload_pending = True  # done when the call, practice run or load ends
            return False
        try:
            self.runner.reload(why)
        except RuntimeError:  # still busy after all: try again shortly
            self.reload_pending = True
            QTimer.singleShot(1000, self, self.reload_if_pending)
            return False
        self.reload_pending = False
        self.call_bar.set_ready(False)  # LOADING comes through the bridge a moment later
        return True

    def reload_if_pending(self) -> None:
        if self.reload_pending and self.reload_models():
            self.statusBar().showMessage("Loading the newly active pack…")

    # -- the agent's search --
    def _focus_ask(self) -> None:
        self.tabs.setCurrentIndex(0)
        self.assist.focus_ask()

    def ask(self, question: str) -> bool:
        """Search the knowledge base for the agent's question (ui/ask_flow.py)."""
        return self.searching.ask(question)

    # -- the agent's drafts (ui/draft_flow.py) --
    def _focus_draft(self) -> None:
        self.tabs.setCurrentIndex(0)
        self.pages.setCurrentIndex(0)
        self.assist.draft.focus_draft()

    def rephrase(self, draft: str, tone: str, lang: str = "") -> bool:
        return self.drafting.rephrase(draft, tone, lang)

    def cancel_rephrase(self) -> bool:
        return self.drafting.cancel()

    @property
    def draft(self) -> Any:
        """The rephrasing in progress (a DraftAsk), None when the box is idle."""
        return self.drafting.current

    @property
    def draft_jobs(self) -> Jobs:
        return self.drafting.jobs

    @property
    def draft_seconds(self) -> list[float]:
        return self.drafting.seconds

    # -- AI output --
    def _passage(self, passage_id: str) -> Any:
        return self.runner.passage(passage_id)

    def open_passage(self, passage_id: str) -> None:
        self.passage_view.show_passage(passage_id, self._passage(passage_id))
        self.actions.passage_opened(passage_id)

    # -- closing --
    def _call_in_progress(self) -> bool:
        return self.runner.busy and self.state.phase not in (
            cr.ENDED, cr.FAILED)

    @property
    def closing(self) -> bool:
        """The agent asked to close while a call was still running."""
        return self.closer.active

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        if self._call_in_progress() and not self.closer.now:
            # Finish the call in the background, say so, and close when it has ended
            # (ui/closing_flow.py).
            event.ignore()
            if self.closer.active:
                self.closer.again()
            else:
                self.closer.begin()
            return
        self.phases.tick.stop()
        self.closer.stop()
        self.jobs.wait(5000)  # a search still running: its result is dropped, the KB closes
        self.cancel_rephrase()
        self.draft_jobs.wait(5000)  # a rephrasing stops within a token once cancelled
        self.passage_view.close()
        self.practice.close_services()
        self.runner.close(timeout=1.0 if self.closer.now else 15.0)
        self.actions.close()
        super().closeEvent(event)
