"""Live assistance for one call: knowledge cards, grounded suggestions, translation, customer
signals and the running summary, computed from final (already redacted) captions.

One worker thread does the work, in arrival order, so the session's writer (which hands it the
captions) never waits on a search or a model. The LLM runs on its own owner thread; its results
come back to this worker through the same queue, so every piece of state here has one owner.

For a customer caption, in this order (each result is emitted as soon as it exists):
1. signals (a lexicon: microseconds);
2. the text in the knowledge base's language: the caption itself, a text translation (a
   CTranslate2 model, else the LLM), or Whisper's own translation, which the ASR emits right
   after the caption (then steps 3-4 wait for that event);
3. the knowledge card: the relevant passages for the latest customer captions;
4. suggested lines: approved lines first (shown at once), then, when an LLM is loaded, its
   rewording of the first line, shown instead only if the verifier passes it and the caption
   is still the latest (a newer customer caption cancels the stale generation);
5. the running summary, debounced: the extractive summary at once, the LLM's refinement later.
Agent captions feed the summary only. Signals never look at the agent's words (principle 6).

Emitted events go to `emit` (the session stores and publishes them on its writer thread).
`finish()` drains the work, then emits the last summary and the after-call note.
"""

from __future__ import annotations

import logging
import queue
import re
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field, replace
from typing import Any

from copilot import logs
from copilot.assist.call_context import CallContext
from copilot.assist.call_languages import CallLanguages, usable_line_translation
from copilot.assist.card_events import knowledge_event, suggestion_event
from copilot.assist.suggest import (
    PassageSentenceAdapter,
    Suggestion,
    check_draft,
    lines_for,
)
from copilot.assist.suggest_llm import LlmLineAdapter, draft_of
from copilot.assist.workers import ChecklistWorker, Clock, SignalWorker, SummaryWorker
from copilot.events import (
    AGENT,
    CUSTOMER,
    AfterCallNote,
    Caption,
    SuggestionEvent,
    Translation,
)
from copilot.knowledge.base import Hit, KnowledgeBase, Translator
from copilot.knowledge.topic import Conversation
from copilot.privacy.payment import is_payment_masked
from copilot.settings import AssistSettings

log = logging.getLogger(__name__)
Emit = Callable[[Any], None]
_QUESTION = re.compile(
    r"\?\s*$|^\s*(?:can|could|would|will|do|does|did|is|are|am|should|how|what|why|when|where|"
    r"which|who)\b", re.I)
_FINISH = object()
# Origin of a line the LLM reworded (suggest.py's "adapted" is the deterministic adapter's).
REWORDED = "reworded"
TICK_SECONDS = 0.5  # a held-back summary refresh runs at most this late
_LLM_DONE = "llm-done"


@dataclass
class AssistOptions:
    agent_lang: str = "en"
    whisper_translates: bool = False  # the ASR emits Translation events for customer finals
    whisper_skip: tuple[str, ...] = ()  # ...except in these languages (a text model has them)
    card_count: int = 3  # passages on a knowledge card, at most
    pack: str = ""  # the model pack in use, kept with every suggestion (the audit trail)
    settings: AssistSettings = field(default_factory=AssistSettings)


@dataclass
class StageTimes:
    """Seconds from a customer caption's arrival here (wall clock) to each of its results."""

    caption_id: str
    knowledge: float | None = None
    suggestion: float | None = None
    reworded: float | None = None  # the LLM's verified rewording of the first line
    translation: float | None = None


class AssistPipeline:
    def __init__(self, kb: KnowledgeBase | None, clock: Clock, emit: Emit, *,
                 options: AssistOptions | None = None, translator: Translator | None = None,
                 line_adapter: LlmLineAdapter | None = None,
                 summary: SummaryWorker | None = None, signals: SignalWorker | None = None,
                 translator_name: str = "ct2", checklist: ChecklistWorker | None = None) -> None:
        self.kb = kb
        self.clock = clock
        self.emit_event = emit
        self.opts = options or AssistOptions()
        self.line_adapter = line_adapter
        self.summary = summary
        self.signals = signals
        self.checklist = checklist
        self.times: dict[str, StageTimes] = {}
        self.errors = 0
        self._inbox: queue.Queue[Any] = queue.Queue()
        # The customer's turns on the issue being discussed (in the knowledge base's language):
        # a follow-up ("how long will that take?") is searched with them (knowledge/topic.py).
        self.conversation = Conversation(kb) if kb is not None else None
        # What the agent's draft box needs of the call (copilot.assist.rephrase): the topic as
        # searched so far and what was said. A frozen snapshot, replaced whole by this worker
        # after each final caption, read from any thread.
        self.context = CallContext()
        # The latest customer texts, whatever their topic: what a line is adapted to (a plan
        # named two turns ago still says which sentence of the passage applies).
        self._recent: list[str] = []
        self._latest_customer: str | None = None
        self._awaiting: dict[str, tuple[Caption, float]] = {}  # id -> caption awaiting Whisper
        self._arrived: dict[str, float] = {}
        self._sentence_adapter = PassageSentenceAdapter()
        self.languages = CallLanguages(
            kb.lang if kb is not None else self.opts.agent_lang, translator, translator_name,
            self.opts.settings.translate_suggestions)
        self._on_done: Callable[[], None] = lambda: None
        self._pending: set[Future] = set()
        self._pending_lock = threading.Lock()
        self._shown_lines: dict[tuple[str, int], str] = {}  # (caption id, rank) -> text shown
        self.finish_wait = 60.0  # seconds finish() waits for LLM requests still running
        self._thread = threading.Thread(target=self._run, name="assist", daemon=True)
        self._started = False

    # -- any thread --
    def start(self) -> AssistPipeline:
        if not self._started:
            self._started = True
            self._thread.start()
            checklist = self.checklist
            if checklist is not None:  # the call's checklist first, for the window to lay out
                self.post(lambda _: self.emit_all(checklist.start(self._now())), None)
        return self

    def on_event(self, event: Any) -> None:
        """A released final caption or a translation; never blocks."""
        if isinstance(event, Caption | Translation):
            self._inbox.put((event, time.monotonic()))

    def finish(self, timeout: float | None = 120.0) -> None:
        """Process what is queued, emit the closing summary and note, stop the worker."""
        self.finish_async(lambda: None)
        self._thread.join(timeout)
        if self._thread.is_alive():
            log.warning("assistance did not finish within %s s", timeout)

    def finish_async(self, on_done: Callable[[], None]) -> None:
        """Like finish() without waiting: `on_done` is called (on the worker) when it is over."""
        self._on_done = on_done
        if not self._started:
            self.start()
        self._inbox.put(_FINISH)

    def post(self, handler: Callable[[Any], None], payload: Any) -> None:
        """Run `handler(payload)` on the worker (for results computed on other threads)."""
        self._inbox.put((_LLM_DONE, handler, payload))

    def track(self, fut: Future, handler: Callable[[Any], None], context: Any) -> None:
        """When `fut` (an LLM request) completes, run `handler((context, fut))` on the worker.
        finish() waits for tracked requests, so the end of a call keeps their results."""
        with self._pending_lock:
            self._pending.add(fut)

        def done(f: Future) -> None:
            with self._pending_lock:
                self._pending.discard(f)
            self.post(handler, (context, f))

        fut.add_done_callback(done)

    # -- the worker --
    def _run(self) -> None:
        try:
            while True:
                try:
                    item = self._inbox.get(timeout=TICK_SECONDS)
                except queue.Empty:
                    self._safely(self._tick)
                    continue
                if item is _FINISH:
                    self._safely(self._finish)
                    return
                self._safely(self._handle, item)
        finally:
            self._on_done()

    def _safely(self, fn: Callable[..., None], *args: Any) -> None:
        try:
            fn(*args)
        except Exception:  # one failing step must never end assistance for the call
            self.errors += 1
            log.exception("assistance step %s failed", getattr(fn, "__name__", fn))

    def _handle(self, item: Any) -> None:
        if isinstance(item, tuple) and item and item[0] == _LLM_DONE:
            _, handler, payload = item
            handler(payload)
            return
        event, arrived = item
        if isinstance(event, Translation):
            self._on_translation(event, arrived)
        elif event.final and event.text:
            self._on_caption(event, arrived)

    def _emit(self, event: Any) -> None:
        if isinstance(event, SuggestionEvent):
            if self.opts.pack and not event.pack:
                event = replace(event, pack=self.opts.pack)
            self._shown_lines[(event.of, event.rank)] = event.text
        self.emit_event(event)

    def on_agent_action(self, action: str, passage_ids: Sequence[str], *, of: str = "",
                        text: str = "") -> None:
        """The agent copied, used or dismissed a card or line (any thread): the summary's
        "Knowledge used" and open items follow what the agent did, not what was shown."""
        summary = self.summary
        if summary is None:
            return
        ids = list(passage_ids)
        self.post(lambda _: self.emit_all(summary.on_agent_action(action, ids, self._now(),
                                                                  of=of, text=text)), None)

    def on_checklist_action(self, checklist: str, item: str, done: bool) -> None:
        """The agent ticked (`done`) or unticked a checklist item by hand (any thread)."""
        tracker = self.checklist
        if tracker is not None:
            self.post(lambda _: self.emit_all(tracker.manual(checklist, item, done,
                                                             self._now())), None)

    def emit_all(self, events: Sequence[Any]) -> None:
        """Emit events computed by a component on the worker (e.g. an LLM-refined summary)."""
        for event in events:
            self._emit(event)

    def _now(self) -> float:
        return self.clock.now()

    # -- captions --
    def _on_caption(self, cap: Caption, arrived: float) -> None:
        if is_payment_masked(cap.text):
            return  # nothing was heard, as far as assistance knows
        customer = cap.channel != AGENT  # mono: speakers unknown, still worth a card
        if cap.channel == CUSTOMER and self.signals is not None:
            for ev in self.signals.feed(cap, self._now()):
                self._emit(ev)
        if not customer:
            self.context = self.context.with_line(cap.channel, cap.text)
            self._check(cap)
            self._summarize(cap, None)
            return
        self._latest_customer = cap.id
        self._arrived[cap.id] = arrived
        self.times[cap.id] = StageTimes(cap.id)
        kb_lang = self.kb.lang if self.kb is not None else self.opts.agent_lang
        lang = cap.lang or kb_lang
        if lang == kb_lang:
            self._assist(cap, cap.text, arrived)
        elif (self.opts.whisper_translates and kb_lang == "en"
              and lang not in self.opts.whisper_skip):
            self._awaiting[cap.id] = (cap, arrived)  # its Whisper translation follows
        elif self.languages.translator is not None:
            done = self.languages.translate(cap.text, lang, kb_lang)
            if done is not None:
                text, engine = done
                self._emit(Translation(cap.id, kb_lang, text, self._now(), engine))
                self.times[cap.id].translation = time.monotonic() - arrived
            self._assist(cap, self.languages.search_text(done[0] if done else "", cap.text, lang),
                         arrived, english=done[0] if done else None)
        else:
            self._assist(cap, self.languages.keywords(cap.text, lang), arrived)

    def _on_translation(self, tr: Translation, arrived: float) -> None:
        pending = self._awaiting.pop(tr.of, None)
        if pending is None:
            return
        cap, cap_arrived = pending
        if tr.text.strip():
            self.times[cap.id].translation = time.monotonic() - cap_arrived
        english = tr.text.strip()
        self._assist(cap, self.languages.search_text(english, cap.text, cap.lang), cap_arrived,
                     english=english or None)

    def _assist(self, cap: Caption, text: str, arrived: float, *,
                english: str | None = "") -> None:
        """`text` is what to search with (in the knowledge base's language); `english` what the
        summary may read for this caption ("" = the text itself, None = no translation)."""
        hits: list[Hit] = []
        self._recent = [*self._recent, text][-3:]
        if self.conversation is not None:
            hits = self.conversation.search(text, k=self.opts.card_count)
        self.context = self.context.after_turn(self.conversation, hits, cap.channel,
                                               english or cap.text)
        if self.kb is not None and self.conversation is not None:
            self._card(cap, hits, arrived)
            self._suggest(cap, text, hits, arrived)
        if english is not None:  # in the base's language: a customer may bring an item up
            self._check(cap, text if english == "" else english)
        self._summarize(cap, text if english == "" else english,
                        [h for h in hits if h.relevant])

    def _card(self, cap: Caption, hits: list[Hit], arrived: float) -> None:
        """The knowledge card: the confident passage, or the candidates for the agent to pick
        from (no line rests on them), each with the sentence that answers the question."""
        assert self.kb is not None and self.conversation is not None
        shown = [h for h in hits if h.shown]
        if not shown:
            return
        self._emit(knowledge_event(self.kb, cap.id, shown, self.conversation.turns,
                                   self._now()))
        self.times[cap.id].knowledge = time.monotonic() - arrived

    def _suggest(self, cap: Caption, text: str, hits: list[Hit], arrived: float) -> None:
        assert self.kb is not None and self.conversation is not None
        if not any(h.shown for h in hits) and not _QUESTION.search(text):
            return  # small talk or a statement with no policy in sight: say nothing
        said = self._recent
        result = lines_for(said, hits, self.kb, adapter=self._sentence_adapter,
                           settings=self.opts.settings)
        now = self._now()
        for rank, s in enumerate(result.suggestions, 1):
            self._emit(suggestion_event(cap.id, s, now, rank))
        self._translate_lines(cap, result.suggestions)
        self.times[cap.id].suggestion = time.monotonic() - arrived
        first = result.suggestions[0] if result.suggestions else None
        if self.line_adapter is not None and first is not None and not first.abstained:
            passage = self.kb.passages[first.sources[0]]
            fut = self.line_adapter.submit(" ".join(said), first.text, passage)
            context = (cap.id, first, passage, arrived)
            self.track(fut, self._on_draft, context)

    def _translate_lines(self, cap: Caption, lines: Sequence[Suggestion]) -> None:
        """Each line again in the customer's language, off this worker; shown only when it
        keeps every number of the line (call_languages.usable_line_translation)."""
        for rank, line, fut in self.languages.submit_lines(cap.lang, lines):
            self.track(fut, self._on_line_translated, (cap.id, rank, line, cap.lang))

    def _on_line_translated(self, payload: tuple[tuple[str, int, Suggestion, str], Future]) -> None:
        (cap_id, rank, line, target), fut = payload
        done = usable_line_translation(line, fut, self._shown_lines.get((cap_id, rank)), cap_id)
        if done is not None:
            self._emit(replace(suggestion_event(cap_id, line, self._now(), rank),
                               translation=done[0], translation_lang=target))

    def _on_draft(self, payload: tuple[tuple[str, Suggestion, Any, float], Future]) -> None:
        (cap_id, shown, passage, arrived), fut = payload
        if fut.cancelled() or fut.exception() is not None:
            return
        draft = draft_of(fut.result())
        if draft is None or cap_id != self._latest_customer or draft == shown.text:
            return
        verdict, reason = check_draft(draft, shown.text, passage)
        if reason is not None:
            log.info("LLM draft for %s rejected: %s; %d words", cap_id,
                     logs.reason_code(reason), logs.words(draft))
            logs.content(log, "LLM draft for %s rejected (%s): %r", cap_id, reason, draft)
            return
        reworded = Suggestion(draft, shown.sources, True, True, REWORDED, (),
                              tuple(verdict.facts))
        self._emit(suggestion_event(cap_id, reworded, self._now(), 1))
        self.times[cap_id].reworded = time.monotonic() - arrived

    def _drain_llm(self) -> None:
        """Handle what is queued and what running LLM requests bring, until none is left."""
        deadline = time.monotonic() + self.finish_wait
        while time.monotonic() < deadline:
            try:
                item = self._inbox.get(timeout=0.05)
            except queue.Empty:
                with self._pending_lock:
                    if not self._pending:
                        return
                continue
            if item is not _FINISH:
                self._safely(self._handle, item)
        log.warning("LLM requests still running at the end of the call were abandoned")

    # -- checklists --
    def _check(self, cap: Caption, text: str | None = None) -> None:
        """After the card and the lines: a tick can wait a few milliseconds, a card should not."""
        if self.checklist is not None:
            for ev in self.checklist.on_caption(cap, self._now(), text):
                self._emit(ev)

    # -- summary --
    def _summarize(self, cap: Caption, english: str | None, hits: Sequence[Hit] = ()) -> None:
        if self.summary is None:
            return
        for ev in self.summary.on_caption(cap, english, hits, self._now()):
            self._emit(ev)

    def _tick(self) -> None:
        if self.summary is not None:
            self.emit_all(self.summary.on_tick(self._now()))

    def _finish(self) -> None:
        for cap, arrived in list(self._awaiting.values()):  # no translation came: search as is
            self._assist(cap, self.languages.keywords(cap.text, cap.lang), arrived)
        self._awaiting.clear()
        self._drain_llm()
        self.languages.close()
        checklist = self.checklist
        if checklist is not None:  # before the note, which says what was done
            for ev in checklist.finish(self._now()):
                self._emit(ev)
        if self.summary is not None:
            for ev in self.summary.finish(self._now()):
                if isinstance(ev, AfterCallNote) and checklist is not None:
                    ev = replace(ev, note=ev.note + checklist.note())
                self._emit(ev)
