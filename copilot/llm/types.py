"""Types shared by the LLM runtime (`copilot.llm.engine`), its backends and its tests.

Kept free of llama_cpp so that importing them costs nothing: the real backend imports llama_cpp
only when a model is loaded, on the engine's owner thread.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

ROLES = ("system", "user", "assistant")


class LlmError(Exception):
    """Base of every error the LLM runtime raises."""


class ModelLoadError(LlmError):
    """The model could not be loaded (missing file, bad GGUF, llama_cpp not installed)."""


class TemplateError(LlmError):
    """A chat template is invalid, or tried something its sandbox forbids."""


class PromptTooLong(LlmError):
    """The rendered prompt does not fit the context window."""


class LlmOutputError(LlmError):
    """The model's output is not what was asked for (not JSON, not matching the schema)."""


class LlmCancelled(LlmError):
    """The request was cancelled (superseded by a newer one with the same key, or closed)."""


class LlmClosed(LlmError):
    """The engine is closed."""


@dataclass(frozen=True)
class GenerationOptions:
    """Our small set of sampling knobs (llama.cpp's completion call takes about thirty)."""

    max_tokens: int = 96
    temperature: float = 0.2
    top_p: float = 0.95
    stop: tuple[str, ...] = ()  # extra stop strings; the chat template adds its own
    repeat_penalty: float = 1.1
    seed: int | None = None  # None: the backend's own (deterministic per loaded model)
    loop_guard: bool = True  # stop when the output repeats itself (see llm_guard)


@dataclass(frozen=True)
class ChatMessage:
    role: str
    content: str


def as_messages(messages: Any) -> tuple[ChatMessage, ...]:
    """Accept ChatMessage objects or {"role": ..., "content": ...} mappings; validate roles."""
    out: list[ChatMessage] = []
    for m in messages:
        if isinstance(m, ChatMessage):
            msg = m
        elif isinstance(m, Mapping):
            msg = ChatMessage(str(m.get("role", "")), str(m.get("content", "")))
        else:
            raise TypeError(f"a chat message must be a ChatMessage or a mapping, not {type(m).__name__}")
        if msg.role not in ROLES:
            raise ValueError(f"unknown chat role {msg.role!r} (expected one of {', '.join(ROLES)})")
        out.append(msg)
    if not out:
        raise ValueError("a chat request needs at least one message")
    return tuple(out)


@dataclass(frozen=True)
class BackendInfo:
    """What the engine needs to know about a loaded model."""

    name: str
    context: int  # tokens
    chat_template: str = ""  # the GGUF's `tokenizer.chat_template`, "" when it has none
    bos_token: str = ""
    eos_token: str = ""
    adds_bos: bool = False  # the backend prepends BOS itself (the template must not)
    metadata: Mapping[str, str] = field(default_factory=dict)
    file: str = ""  # the model file's name, when loaded from one

    @property
    def label(self) -> str:
        """A name for people, with the size: "SmolLM2 135M". A GGUF's `general.name` is often
        a training-run tag ("Smollm2 135M 8k Lc100K Mix1 Ep2"); then the model's base name
        (cased as in the file name when it appears there) and its size label are used."""
        if len(self.name.split()) <= 3:
            return self.name
        base = self.metadata.get("general.basename", "")
        size = self.metadata.get("general.size_label", "")
        if not base:
            return self.name
        stem = self.file.replace("-", " ").replace("_", " ")
        at = stem.lower().find(base.lower().replace("-", " "))
        cased = stem[at:at + len(base)] if at >= 0 else base
        return f"{cased} {size}".strip()


@dataclass(frozen=True)
class PromptStats:
    tokens: int
    reused: int = 0  # leading tokens whose evaluation is kept from an earlier request


@dataclass(frozen=True)
class Chunk:
    """One streamed piece of output; the last one may carry why generation ended."""

    text: str
    finish: str | None = None  # "stop" | "length"


class Backend(Protocol):
    """A loaded model. Every method is called from the engine's owner thread only."""

    info: BackendInfo

    def prepare(self, prompt: str) -> PromptStats: ...

    def stream(self, prompt: str, opts: GenerationOptions, schema: Mapping[str, Any] | None,
               cancel: threading.Event | None = None) -> Iterator[Chunk]:
        """Generate; closing the iterator early stops generation. A backend may also watch
        `cancel` where the engine cannot (during prompt evaluation) and end the stream early."""
        ...

    def close(self) -> None: ...


@dataclass(frozen=True)
class LlmResult:
    text: str
    finish_reason: str  # "stop" | "length" | "loop" | "cancelled"
    tokens: int = 0  # streamed pieces (one per token, except multi-byte characters)
    prompt_tokens: int = 0
    reused_prompt_tokens: int = 0
    queued_seconds: float = 0.0  # from submit to start
    first_token_seconds: float | None = None  # from start: prompt evaluation, mostly
    seconds: float = 0.0  # from start to end
    key: str | None = None

    @property
    def cancelled(self) -> bool:
        return self.finish_reason == "cancelled"

    @property
    def looped(self) -> bool:
        return self.finish_reason == "loop"

    @property
    def tokens_per_second(self) -> float:
        """Generation speed after the first token (prompt evaluation excluded)."""
        if self.first_token_seconds is None or self.tokens < 2:
            return 0.0
        gen = self.seconds - self.first_token_seconds
        return (self.tokens - 1) / gen if gen > 0 else 0.0
