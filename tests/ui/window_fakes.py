"""Fakes for the live window's tests: events as the engine makes them, and a runner without models."""

from __future__ import annotations

import threading
from typing import Any

from copilot.events import (
    Caption,
    Knowledge,
    PassageRef,
    Signal,
    SuggestionEvent,
    Summary,
    Translation,
)
from copilot.knowledge.base import KnowledgeBase
from copilot.knowledge.parse import Passage
from ui import call_runner as cr
from ui import draft_rephraser as dr

PASSAGES = {
    "BILL-01": Passage("BILL-01", "Duplicate or double charges",
                       "When a customer was charged twice, file a billing correction. The "
                       "duplicate is refunded within 5 business days.",
                       ("I've filed a billing correction; the refund takes 5 business days.",),
                       "billing.md"),
    "ROAM-01": Passage("ROAM-01", "North America roaming", "Roaming in Mexico and Canada is "
                       "included.", (), "roaming.md"),
}


def cap(cid: str, text: str, *, final: bool = True, channel: str = "customer",
        start: float = 1.0) -> Caption:
    return Caption(cid, final, channel, start, start + 2.0, start + 2.5, "en", text)


def sug(of: str, text: str, sources=("BILL-01",), rank: int = 1,
        origin: str = "approved_line") -> SuggestionEvent:
    return SuggestionEvent(of, text, tuple(sources), bool(sources), 3.0,
                           origin if sources else "abstain", rank)


def knowledge(of: str, *ids: str) -> Knowledge:
    return Knowledge(of, tuple(PassageRef(i, PASSAGES[i].title if i in PASSAGES else i, 5.0)
                               for i in ids), 3.0)


def summary(version: int, reason: str, facts=()) -> Summary:
    return Summary(version, {"reason": reason, "facts": list(facts)}, 4.0)


def signal(words=("really frustrated",), level: float = 0.8) -> Signal:
    return Signal("c2", "frustration", level, tuple(words), 5.0)


def translation(of: str, text: str) -> Translation:
    return Translation(of, "en", text, 3.0, "whisper")


class _Result:
    def __init__(self, call_id):
        self.call_id = call_id


class FakeRunner:
    """A CallRunner without models: `start()` posts the given events from a worker thread."""

    def __init__(self, post, *, ready_phase: str = cr.READY, call_id: int | None = 7,
                 script: list[Any] | None = None) -> None:
        self.post = post
        self.ready_phase = ready_phase
        self.script = list(script or [])
        self.started: list[cr.CallSource] = []
        self.payment: list[bool] = []
        self.agent_actions: list[tuple[str, list[str], str]] = []
        self.checklist_actions: list[tuple[str, str, bool]] = []
        self.stopped = 0
        self.closed = False
        self.reloads = 0
        self.reload_reasons: list[str] = []
        self.settings = None
        self.model_path = None
        self._call_id = call_id
        self.session = None
        self.thread: threading.Thread | None = None
        self.clock = 12.5
        self.audio_ended: float | None = None
        self.level = {"agent": 0.5, "customer": 0.25}
        self.left = 0.0  # seconds of speech not transcribed yet (left_to_transcribe)
        # The agent's searches: the real copilot.assist.ask on a keyword base of PASSAGES.
        self.asked: list[tuple[str, str, float]] = []  # (question, ask id, at)
        self.ask_error: BaseException | None = None  # raised by the next searches
        self.ask_gate: threading.Event | None = None  # searches wait until it is set
        self.ask_threads: list[str] = []
        self._kb: KnowledgeBase | None = None
        # The agent's drafts: the real draft_rephraser.DraftRephraser (so copilot.assist.rephrase,
        # the redaction, the cancellation and the time limit are the window's own) on the same
        # keyword base, with `rephrase_llm` (a scripted LlmEngine) as the model when set.
        self.rephrase_llm: Any = None
        self.rephrase_translator: Any = None
        self.rephraser = dr.DraftRephraser(timeout=dr.REPHRASE_TIMEOUT)
        self.rephrased: list[tuple[str, str, str]] = []  # (draft as given, tone, lang)
        self.rephrase_threads: list[str] = []
        self.rephrase_gate: threading.Event | None = None  # rephrasings wait until it is set
        self.rephrase_error: BaseException | None = None
        self.rephrase_cancels = 0

    def load(self) -> None:
        self.post(cr.CallState(cr.LOADING))
        self.post(cr.CallState(self.ready_phase, "no speech model is installed"
                               if self.ready_phase == cr.NO_MODEL else ""))

    @property
    def busy(self) -> bool:
        return self.thread is not None and self.thread.is_alive()

    def start(self, source: cr.CallSource) -> None:
        self.started.append(source)
        self.session = _Result(self._call_id)

        def run() -> None:
            self.post(cr.CallState(cr.STARTING, "fake"))
            self.post(cr.CallState(cr.LIVE, "fake"))
            for event in self.script:
                self.post(event)

        self.thread = threading.Thread(target=run)
        self.thread.start()

    def end(self, message: str = "done", phase: str = cr.ENDED) -> None:
        self.post(cr.CallState(phase, message, self._call_id))

    def stop(self) -> None:
        self.stopped += 1

    def set_payment_mode(self, on: bool) -> None:
        self.payment.append(on)

    def agent_action(self, action: str, passage_ids, *, of: str = "", text: str = "") -> None:
        self.agent_actions.append((action, list(passage_ids), of))

    def checklist_action(self, checklist: str, item: str, done: bool) -> None:
        self.checklist_actions.append((checklist, item, done))

    def now(self) -> float:
        return self.clock

    def elapsed(self) -> float:
        """The call timer: the clock, or where the call's audio ended once `audio_ended` is
        set (the real one: CallSession.call_seconds)."""
        return self.clock if self.audio_ended is None else self.audio_ended

    @property
    def call_id(self):
        return self._call_id if self.session is not None else None

    def levels(self) -> dict[str, float]:
        return dict(self.level)

    def left_to_transcribe(self) -> float:
        return self.left

    def passage(self, pid: str):
        return PASSAGES.get(pid)

    def ask(self, question: str, ask_id: str, at: float = 0.0):
        from copilot.assist.ask import ask

        self.asked.append((question, ask_id, at))
        self.ask_threads.append(threading.current_thread().name)
        if self.ask_gate is not None:
            self.ask_gate.wait(10)
        if self.ask_error is not None:
            raise self.ask_error
        if self._kb is None:
            self._kb = KnowledgeBase(list(PASSAGES.values()))
        return ask(self._kb, question, ask_id=ask_id, at=at, pack="fake@1")

    def _base(self) -> KnowledgeBase:
        if self._kb is None:
            self._kb = KnowledgeBase(list(PASSAGES.values()))
        return self._kb

    def rephrase(self, draft: str, tone: str, lang: str = ""):
        self.rephrased.append((draft, tone, lang))
        self.rephrase_threads.append(threading.current_thread().name)
        if self.rephrase_gate is not None:
            self.rephrase_gate.wait(10)
        if self.rephrase_error is not None:
            raise self.rephrase_error
        return self.rephraser.run(self._base(), self.rephrase_llm, self.rephrase_translator,
                                  self.settings, draft, tone, lang)

    def cancel_rephrase(self) -> bool:
        self.rephrase_cancels += 1
        if self.rephrase_gate is not None:
            self.rephrase_gate.set()
        return self.rephraser.cancel()

    @property
    def kb(self):
        return self._kb

    @property
    def llm(self):
        return None

    def llm_name(self) -> str:
        return "fake-llm"

    def llm_details(self) -> str:
        return "fake-llm · no file"

    def reload(self, why: str = "") -> None:
        self.reloads += 1
        self.reload_reasons.append(why)
        self.load()

    def apply_settings(self, settings) -> None:
        self.settings = settings

    def close(self, timeout: float = 15.0) -> None:
        self.closed = True
        if self.thread is not None:
            self.thread.join()


DRAFT = "The duplicate is refunded within 5 business days."


def declined_rewording(rewrite: str, draft: str = DRAFT) -> Any:
    """`draft` rephrased on a keyword base of PASSAGES with a scripted LLM whose rewording is
    `rewrite` (one the checks decline when it changes or drops a fact)."""
    from copilot.assist.rephrase import rephrase
    from copilot.llm.engine import LlmEngine
    from copilot.llm.fake import ScriptedBackend

    backend = ScriptedBackend([rewrite])
    with LlmEngine(lambda: backend) as engine:
        return rephrase(draft, KnowledgeBase(list(PASSAGES.values())), llm=engine)
