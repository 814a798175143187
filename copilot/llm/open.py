"""The one way to open the local LLM: the model the settings and the active pack choose
(copilot/resolver.py), loaded on its owner thread, waited for once with one time limit."""

from __future__ import annotations

from typing import TYPE_CHECKING

from copilot.llm.engine import LlmEngine
from copilot.llm.types import ModelLoadError

if TYPE_CHECKING:
    from copilot.settings import LlmSettings

# Loading a GGUF is reading it from disk (memory-mapped) and building the context: seconds for
# the bundled 135M model, a minute or two for a multi-GB pack model on a slow disk. Past this the
# front end goes on without the LLM (approved lines, extractive summary, scripted customer).
LLM_LOAD_SECONDS = 300.0


def open_llm(settings: LlmSettings, *, prompt_cache_entries: int = 0,
             timeout: float = LLM_LOAD_SECONDS) -> LlmEngine:
    """A loaded engine (the caller closes it). Raises ModelLoadError, with the reason, when the
    model cannot be found or loaded in time; the engine is then already closed."""
    engine = LlmEngine.from_settings(settings, prompt_cache_entries=prompt_cache_entries)
    try:
        engine.wait_ready(timeout)
    except TimeoutError:
        engine.close()
        raise ModelLoadError(f"the language model did not load within {timeout:g} s") from None
    except BaseException:
        engine.close()
        raise
    return engine
