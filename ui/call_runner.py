"""The window's services: loading the models once, then running calls, all off the UI thread.

Plain Python threads, no Qt: everything the runner has to say (its state, and every engine event)
goes to one `post` callable, the window's EventBridge. Loading the knowledge base and the language
model takes seconds, and a call's `run()` blocks for the whole call, so both happen on worker
threads; the UI thread only ever calls the quick methods (start, stop, payment mode, now).
"""

from __future__ import annotations

import gc
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ui.draft_rephraser import REPHRASE_TIMEOUT, DraftRephraser
from ui.levels import LevelTap
from ui.runner_errors import expected, user_message

log = logging.getLogger(__name__)

# Phases of CallState, in the order a window sees them.
LOADING = "loading"  # models and knowledge base are being opened
READY = "ready"  # a call can start
NO_MODEL = "no_model"  # no speech model installed: the first-run screen
STARTING = "starting"
LIVE = "live"
ENDED = "ended"
FAILED = "failed"  # a call could not start or stopped on an error (message says why)

DEVICES = "devices"
FILE = "file"
DEMO_SCRIPT = "demo_script"  # the bundled demo's own transcript: works with no model at all

@dataclass(frozen=True)
class CallState:
    phase: str
    message: str = ""
    call_id: int | None = None
    type: str = field(default="call_state", init=False)


@dataclass(frozen=True)
class CallSource:
    kind: str  # DEVICES | FILE | DEMO_SCRIPT
    path: str = ""  # FILE: the recording; DEMO_SCRIPT: the call's .json turns
    agent_device: str = ""  # DEVICES: index or name ("" = the settings', then the default)
    customer_device: str = ""
    realtime: bool = True  # a replay paced like a live call
    speed: float = 1.0


@dataclass
class RunnerOptions:
    kb_dir: str
    use_llm: bool = True
    model: str = ""  # Whisper: a folder, "base", "tiny.en"; "" = settings, then installed
    store: bool = True
    title: str = ""
    rephrase_timeout: float = REPHRASE_TIMEOUT


class CallRunner:
    """One per window. `load()` once, then `start()` / `stop()` calls, one at a time."""

    def __init__(self, post: Callable[[Any], None], options: RunnerOptions,
                 settings: Any = None) -> None:
        from copilot import site_policy

        self.post = post
        self.options = options
        # The settings in force: the file's, with the site policy's locked values (a file
        # that is not TOML: the defaults with the locks, as the window opened with them).
        if settings is None:
            try:
                settings = site_policy.load_settings()
            except ValueError as e:
                from copilot.settings import Settings

                log.warning("settings not used: %s", type(e).__name__)
                settings = site_policy.load().apply(Settings())
        self.settings = settings
        self.build: Any = None  # copilot.assist.assembly.AssistBuild once loaded
        self.model_path: Path | None = None
        # Loaded once with the rest, kept across calls: loading holds the GIL for a while
        # (tokenizer, model files), which would freeze the window at every call start.
        self.engine: Any = None
        self.warnings: list[str] = []
        self.session: Any = None
        self.tap: LevelTap | None = None
        self._thread: threading.Thread | None = None
        self._loader: threading.Thread | None = None
        self._closed = False
        self._stop_requested = False  # stop() before the session existed
        self.rephraser = DraftRephraser(options.rephrase_timeout)

    # -- loading --
    def load(self) -> None:
        if self._loader is not None and self._loader.is_alive():
            return
        self.post(CallState(LOADING, "opening the knowledge base and models…"))
        self._loader = threading.Thread(target=self._load, name="copilot-load", daemon=True)
        self._loader.start()

    def apply_settings(self, settings: Any) -> None:
        """Settings saved in the window: the next call is built with them; what is loaded once
        (models, knowledge base) changes at the next reload()."""
        self.settings = settings

    def reload(self, why: str = "loading the newly active pack…") -> None:
        """Load the knowledge base and models again, from scratch (a newly activated pack, new
        settings). Between calls and loads only; the window defers it while a call, a practice
        run or a load is on."""
        if self.busy and self._thread is not None:
            # ENDED is the call thread's last act: right after it, it may still be returning.
            self._thread.join(1.0)
        if self.busy:
            raise RuntimeError("cannot reload the models during a call")
        if self._loader is not None and self._loader.is_alive():
            # The window asks only once a load has posted READY (or NO_MODEL), its last act: the
            # thread may still be returning. A load truly in progress is refused.
            self._loader.join(1.0)
            if self._loader.is_alive():
                raise RuntimeError("the models are still loading")
        # Dropped here, on the caller's thread, so nothing picks up the old models from now
        # on (the practice tab reads build and kb when a run starts); freed on the loader.
        old, self.build, self.engine, self.model_path = (self.build, self.engine), None, None, None
        self.post(CallState(LOADING, why))
        self._loader = threading.Thread(target=self._reload, args=(old,), name="copilot-load",
                                        daemon=True)
        self._loader.start()

    def _reload(self, old: tuple[Any, Any]) -> None:
        build, engine = old
        gc.unfreeze()  # what the window froze after loading must be collectable once they are closed
        for thing in (build, engine):
            try:
                if thing is not None:
                    thing.close()
            except Exception:  # the new models must load whatever the old ones do
                log.exception("closing the previous models failed")
        del build, engine, old, thing
        # No collection here: this is a worker thread (ui/main_thread_gc.py). What the old
        # models leave in cycles goes at the window's full collection when READY comes.
        self._load()

    def _load(self) -> None:
        from copilot.asr.model_paths import NoModelError, resolve_whisper_model
        from copilot.assist.assembly import AssistBuild, AssistSetupError

        if self.build is None:  # "Check again" after installing a model: keep what loaded
            self.warnings = []
            try:
                self.build = AssistBuild.open(self.options.kb_dir, use_llm=self.options.use_llm,
                                              settings=self.settings)
                self.warnings.extend(self.build.warnings)
            except AssistSetupError as e:
                self.warnings.append(f"no assistance: {e}")
            except Exception as e:  # a broken LLM runtime must not keep the window from working
                log.exception("assistance failed to load")
                self.warnings.append(f"no assistance: {type(e).__name__}: {e}")
        if self._closed:
            self._close_build()
            return
        try:
            # Assembling Whisper base from its packages the first time takes a while: here.
            self.model_path = resolve_whisper_model(self.options.model, self.settings.asr.model)
        except NoModelError as e:
            self.post(CallState(NO_MODEL, str(e)))
            return
        if self.engine is None or self.engine.path != self.model_path:
            from copilot.asr.whisper_engine import ModelLoadError, WhisperEngine

            try:
                engine = WhisperEngine(self.model_path, self.settings.asr.compute_type,
                                       self.settings.asr.threads)
            except ModelLoadError as e:
                self.post(CallState(NO_MODEL, str(e)))
                return
            if self.engine is not None:
                self.engine.close()
            self.engine = engine
        if self._closed:
            self._close_build()
            return
        # The window collects and freezes what loaded when READY reaches the UI thread
        # (MainThreadCollector.settle): never collected here, on a worker thread.
        self.post(CallState(READY, "; ".join(self.warnings)))

    @property
    def kb(self) -> Any:
        return None if self.build is None else self.build.kb

    @property
    def llm(self) -> Any:
        """The loaded LLM engine (practice's simulated customer shares it), or None."""
        return None if self.build is None else self.build.llm

    def passage(self, passage_id: str) -> Any:
        """The approved passage a card or suggestion cites (kb_parse.Passage), or None."""
        kb = self.kb
        return None if kb is None else kb.passages.get(passage_id)

    def ask(self, question: str, ask_id: str, at: float = 0.0) -> Any:
        """The knowledge base's card and lines for a question the agent typed
        (copilot.assist.ask.AskResult). Takes a search's time: the window calls it off the UI
        thread. AskError when there is no knowledge base to ask."""
        from copilot.assist.ask import ask

        build = self._loaded()
        return ask(build.kb, question, self.settings, ask_id=ask_id, at=at, pack=build.pack)

    def rephrase(self, draft: str, tone: str, lang: str = "") -> Any:
        """The agent's draft (redacted first) in `tone`, optionally in the customer's `lang`,
        its policy facts checked (copilot.assist.rephrase.RephraseResult). Takes a rules pass
        and maybe an LLM rewording: the window calls it off the UI thread. RephraseCancelled
        after cancel_rephrase(); AskError when there is no knowledge base."""
        build = self._loaded()
        # The call in progress (or just ended): the draft is about it.
        context = getattr(getattr(self.session, "assist", None), "context", None)
        return self.rephraser.run(build.kb, build.llm, build.translator, self.settings, draft,
                                  tone, lang, context)

    def cancel_rephrase(self) -> bool:
        """Stop the rephrasing in progress, its LLM request included (any thread)."""
        return self.rephraser.cancel()

    def _loaded(self) -> Any:
        from copilot.assist.ask import AskError

        build = self.build
        if build is None:
            loading = self._loader is not None and self._loader.is_alive()
            raise AskError("the knowledge base is still loading" if loading else
                           "no knowledge base is loaded: " + ("; ".join(self.warnings) or
                                                              "see the log"))
        return build

    def llm_name(self) -> str:
        """A short human name ("SmolLM2 135M"), "none" or "loading"."""
        info = self._llm_info()
        return info.label if info is not None else self._llm_state()

    def llm_details(self) -> str:
        """The model's own name, file and context size (the status bar's tooltip)."""
        info = self._llm_info()
        if info is None:
            return self._llm_state()
        return f"{info.name} · {info.file or 'no file'} · context {info.context} tokens"

    def _llm_info(self):
        llm = None if self.build is None else self.build.llm
        if llm is None:
            return None
        try:
            return llm.ready.result(0)
        except Exception:
            return None

    def _llm_state(self) -> str:  # "none" while loading read as "no LLM" (a walk-through)
        if self.build is None:
            return "loading" if self._loader is not None and self._loader.is_alive() else "none"
        return "none" if self.build.llm is None else "loading"

    # -- calls --
    @property
    def busy(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self, source: CallSource) -> None:
        if self.busy:
            raise RuntimeError("a call is already running")
        self.session = None
        self.tap = None
        self._stop_requested = False
        self.post(CallState(STARTING, _describe(source)))
        self._thread = threading.Thread(target=self._run_call, args=(source,), name="copilot-call",
                                        daemon=True)
        self._thread.start()

    def _run_call(self, source: CallSource) -> None:
        try:
            if source.kind == DEMO_SCRIPT:
                self._run_demo_script(source)
            else:
                self._run_session(source)
        except Exception as e:
            if expected(e):  # a bad file, a missing model: the banner says it, no traceback
                log.warning("the call could not run: %s", type(e).__name__)
            else:
                log.exception("the call failed")
            self.post(CallState(FAILED, user_message(e)))

    def request_for(self, source: CallSource) -> Any:
        """The typed CallRequest for a call from this window."""
        from copilot.call.request import CallRequest

        return CallRequest(
            audio=source.path if source.kind == FILE else "", devices=source.kind == DEVICES,
            agent_device=source.agent_device, customer_device=source.customer_device,
            realtime=source.realtime, speed=source.speed, model=self.options.model,
            store=self.options.store, title=self.options.title)

    def _run_session(self, source: CallSource) -> None:
        from copilot.call import build

        assist = self.build.factory if self.build is not None else None
        session, store, engine = build.build_session(
            self.settings, self.request_for(source), [self.post], make_source=self._tapped,
            assist=assist, engine=self.engine)
        self.session = session
        if self._stop_requested:  # Stop (or closing the window) came while it was starting
            self.stop()
        try:
            self.post(CallState(LIVE, _describe(source)))
            result = session.run()
        finally:
            if store is not None:
                store.close()
            if engine is not self.engine:
                engine.close()
        from copilot.text.plural import plural

        where = f"stored as call {result.call_id}" if result.call_id else "not stored"
        self.post(CallState(ENDED, f"{plural(result.finals, 'caption')}, {where}",
                            result.call_id))

    def _tapped(self, request: Any, settings: Any) -> LevelTap:
        """The request's audio source, with the level meters' tap in front of it."""
        from copilot.call.build import open_source

        self.tap = LevelTap(open_source(request, settings))
        return self.tap

    def _run_demo_script(self, source: CallSource) -> None:
        from ui.demo_script import ScriptedCall

        call = ScriptedCall(source.path, self.post, self.build, speed=source.speed)
        self.session = call
        if self._stop_requested:
            self.stop()
        self.post(CallState(LIVE, "demo call (its written transcript; no speech model)"))
        shown = call.run()
        self.post(CallState(ENDED, f"demo ended: {shown} captions, not stored"))

    def stop(self) -> None:
        """Ends the call: the last words are still transcribed, then ENDED is posted. Asked
        while the call is still starting, it ends the call as soon as it has started."""
        self._stop_requested = True
        session = self.session
        if session is not None:
            # stop() takes the transcriber's lock; never let the UI thread wait on it.
            threading.Thread(target=session.stop, name="copilot-stop", daemon=True).start()

    def set_payment_mode(self, on: bool) -> None:
        if self.session is not None:
            self.session.set_payment_mode(on)

    def agent_action(self, action: str, passage_ids: list[str], *, of: str = "",
                     text: str = "") -> None:
        """The agent copied, used or dismissed a card or line of the call in progress."""
        session = self.session
        if session is not None:
            session.agent_action(action, passage_ids, of=of, text=text)

    def checklist_action(self, checklist: str, item: str, done: bool) -> None:
        """The agent ticked or unticked a checklist item of the call in progress: the session
        records it (a `checklist` event, stored with the call) and the panel shows it."""
        session = self.session
        if session is not None and hasattr(session, "checklist_action"):  # not the demo
            session.checklist_action(checklist, item, done)

    def now(self) -> float:
        """The call clock (seconds since the call's audio began), 0 before a call."""
        try:
            return float(self.session.clock.now()) if self.session is not None else 0.0
        except Exception:  # a session still being built; the timer asks again shortly
            return 0.0

    def elapsed(self) -> float:
        """The call timer: how long the call has lasted (CallSession.call_seconds, what the store
        keeps as its length), 0 before a call. Unlike now(), it stops where the audio ended."""
        session = self.session
        seconds = getattr(session, "call_seconds", None)
        if seconds is None:  # the demo's scripted call: its clock is its length
            return self.now()
        try:
            return float(seconds())
        except Exception:  # a session still being built; the timer asks again shortly
            return 0.0

    @property
    def call_id(self) -> int | None:
        result = self.session.result if self.session is not None else None
        return result.call_id if result is not None else None

    def levels(self) -> dict[str, float]:
        return self.tap.levels() if self.tap is not None else {}

    def left_to_transcribe(self) -> float:
        transcriber = getattr(self.session, "transcriber", None)  # none in the scripted demo
        return transcriber.waiting_seconds() if transcriber is not None else 0.0

    def close(self, timeout: float = 15.0) -> None:
        self._closed = True
        self.stop()
        if self._thread is not None:
            self._thread.join(timeout)
        # A call still running after the wait (closing was cut short) keeps its models: freeing
        # them under it could crash the process before the store is closed.
        if self._loader is not None and not self._loader.is_alive() and not self.busy:
            self._close_build()

    def _close_build(self) -> None:
        if self.build is not None:
            self.build.close()
            self.build = None
        if self.engine is not None:
            self.engine.close()
            self.engine = None


def _describe(source: CallSource) -> str:
    if source.kind == FILE:
        return f"replaying {Path(source.path).name}"
    if source.kind == DEMO_SCRIPT:
        return "demo call"
    return "live call from the sound devices"
