"""Last-resort translation with the local LLM (when no translation model is installed for a pair).

A small instruct model translates poorly: its output is low-confidence machine text, labelled
with the engine name "llm" wherever it is shown. What it returns is checked, and refused rather
than shown when it is empty, looped, cut short, much longer than the source (invented dialogue),
much shorter (a fragment) or just the source echoed back: `translate()` then raises
`TranslationRejected`, and a superseded request (a newer translation has the same key) raises
`TranslationCancelled`. Both are `TranslationError`s, so a caller that only wants "a
translation or nothing" catches that.
"""

from __future__ import annotations

import re

from copilot.assist.translate.ct2 import TranslationError
from copilot.llm.engine import GenerationOptions, LlmEngine, LlmError
from copilot.llm.guard import LoopGuard
from copilot.text.languages import language_name  # names the model reads better than codes

_LABEL = re.compile(r"^\s*(?:translation|translated text|[A-Z][a-z]+ translation|"
                    r"english|french|spanish|german|italian|portuguese)\s*:\s*", re.I)
_QUOTES = "\"'“”«»‘’"
SHORTEST_SHARE = 0.45  # a translation shorter than this share of its source is a fragment
# Written with far fewer characters than European languages: lengths are not compared alike.
DENSE_SCRIPTS = frozenset({"zh", "ja", "ko"})
MIN_CHECKED_SOURCE = 30  # characters: a short reply ("Oui, d'accord, bien sûr.") may shrink a lot


class TranslationRejected(TranslationError):
    """The LLM's output does not look like a translation; nothing is shown."""


class TranslationCancelled(TranslationError):
    """A newer translation request superseded this one (or the engine closed)."""


class LlmTranslator:
    engine_name = "llm"

    def __init__(self, engine: LlmEngine, *, max_tokens: int = 96, timeout: float | None = 60.0,
                 key: str = "translate", priority: int = 0) -> None:
        self.engine = engine
        self.max_tokens = max_tokens
        self.timeout = timeout
        self.key = key  # a newer translation cancels a stale one still queued or running
        self.priority = priority

    def messages(self, text: str, src: str, tgt: str) -> list[dict[str, str]]:
        source, target = language_name(src), language_name(tgt)
        return [
            {"role": "system", "content": f"You translate {source} into {target}. Reply with "
                                          f"the {target} translation only, nothing else."},
            {"role": "user", "content": text.strip()},
        ]

    def translate(self, text: str, src: str, tgt: str) -> str:
        if not text.strip():
            return ""
        # About 4 characters a token; a translation is seldom twice as long as its source.
        budget = min(self.max_tokens, source_size(text, src) // 2 + 16)
        opts = GenerationOptions(max_tokens=budget, temperature=0.0, stop=("\n\n",))
        try:
            result = self.engine.generate(self.messages(text, src, tgt), opts, key=self.key,
                                          priority=self.priority, timeout=self.timeout)
        except TimeoutError as e:
            raise TranslationCancelled(f"the LLM did not translate within {self.timeout} s") \
                from e
        except LlmError as e:
            raise TranslationError(f"the LLM could not translate: {e}") from e
        if result.cancelled:
            raise TranslationCancelled("a newer translation request superseded this one")
        if result.looped:
            raise TranslationRejected("the LLM's translation repeated itself")
        if result.finish_reason == "length":
            raise TranslationRejected(f"the LLM's translation was cut at {budget} tokens")
        return check_output(result.text, text, tgt, src)


def check_output(output: str, source: str, tgt: str = "", src: str = "") -> str:
    """The cleaned translation, or TranslationRejected saying why it is not one."""
    out = output.strip()
    out = _LABEL.sub("", out).strip()
    if len(out) >= 2 and out[0] in _QUOTES and out[-1] in _QUOTES:
        out = out[1:-1].strip()
    if not out:
        raise TranslationRejected("the LLM returned no translation")
    guard = LoopGuard()
    if guard.feed(out + "\n"):
        raise TranslationRejected("the LLM's translation repeated itself")
    if len(out) > 3 * source_size(source, src) + 40:
        raise TranslationRejected("the LLM's output is far longer than the source "
                                  "(it wrote more than a translation)")
    n = len(source.strip())
    if n >= MIN_CHECKED_SOURCE and tgt not in DENSE_SCRIPTS and len(out) < SHORTEST_SHARE * n:
        # Between these languages a translation is rarely under half its source's length; a
        # fragment ("¿Puedes esto?" for "Let me check the roaming options for you.") drops
        # most of the meaning, and an agent might read it out.
        raise TranslationRejected("the LLM's output is far shorter than the source "
                                  "(it left most of it untranslated)")
    if _words(out) == _words(source) and len(_words(source)) > 3:
        raise TranslationRejected("the LLM echoed the source instead of translating it")
    return out


def source_size(text: str, lang: str) -> int:
    """The length of `text` in Latin-script characters: one character of Chinese, Japanese or
    Korean carries about what three Latin ones do."""
    return len(text.strip()) * (3 if lang in DENSE_SCRIPTS else 1)


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())
