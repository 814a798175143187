"""The local LLM runtime (llama.cpp): one owner thread per model, cancellable and prioritised
generation, sandboxed chat templates, loop guards and JSON output. `open_llm` is the one way to
open the model the settings and the active pack choose."""

from copilot.llm.engine import LlmEngine, lower_priority
from copilot.llm.open import LLM_LOAD_SECONDS, open_llm
from copilot.llm.types import (
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
)

__all__ = [
    "LLM_LOAD_SECONDS", "BackendInfo", "ChatMessage", "GenerationOptions", "LlmCancelled",
    "LlmClosed", "LlmEngine", "LlmError", "LlmOutputError", "LlmResult", "ModelLoadError",
    "PromptTooLong", "TemplateError", "lower_priority", "open_llm",
]
