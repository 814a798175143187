"""Text between the customer's language and the knowledge base's, for one call's assistance.

Three jobs the pipeline (copilot/assist/pipeline.py) hands off here:
- what to search the knowledge base with for a caption in another language (its translation,
  helped by the service glossary's keywords, or the keywords alone);
- translating a text with whichever translator the call has, never raising;
- the suggested lines again in the customer's language, on a thread of their own (an LLM
  translation takes seconds), kept only when every number survives.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from copilot.assist.suggest import Suggestion
from copilot.assist.translate.glossary import GlossaryTranslator
from copilot.knowledge.base import Translator

log = logging.getLogger(__name__)


class CallLanguages:
    def __init__(self, kb_lang: str, translator: Translator | None = None,
                 translator_name: str = "ct2", translate_lines: bool = True) -> None:
        self.kb_lang = kb_lang
        self.translator = translator
        self.translator_name = translator_name
        self.translate_lines = translate_lines
        self._glossary = GlossaryTranslator()
        self._pool: ThreadPoolExecutor | None = None

    def search_text(self, translated: str, heard: str, lang: str) -> str:
        """What to search with for a caption in another language: its translation plus the
        glossary's keywords for the words heard (a machine translation of a misheard sentence
        can lose the one word that matters: "frais" is a fee whatever the rest became); with no
        translation (none installed, or Whisper had nothing usable), the keywords alone."""
        keywords = self._glossary.translate(heard, lang, self.kb_lang)
        if translated:
            return f"{translated} {keywords}".strip()
        return keywords or heard

    def keywords(self, text: str, lang: str) -> str:
        """No translation for this caption: search with the service glossary's English keywords
        for its words (never shown), else with the words as they are (names, cognates)."""
        return self._glossary.translate(text, lang, self.kb_lang) or text

    def translate(self, text: str, src: str, tgt: str) -> tuple[str, str] | None:
        """(translated text, engine) or None; never raises (a broken model costs only this)."""
        if self.translator is None:
            return None
        try:
            if hasattr(self.translator, "translate_text"):  # the TranslationService
                done = self.translator.translate_text(text, src, tgt)
                return (done.text, done.engine) if done and done.text.strip() else None
            out = (self.translator.translate(text, src, tgt) or "").strip()
            return (out, self.translator_name) if out else None
        except Exception:
            log.warning("translation %s->%s failed", src, tgt, exc_info=True)
            return None

    def submit_lines(self, target: str,
                     lines: Sequence[Suggestion]) -> list[tuple[int, Suggestion, Future]]:
        """Start translating each line (rank from 1) into `target`; nothing when lines are not
        translated for this call or `target` is the knowledge base's own language."""
        if (not self.translate_lines or self.translator is None or not target
                or target == self.kb_lang):
            return []
        if self._pool is None:
            self._pool = ThreadPoolExecutor(1, thread_name_prefix="assist-translate")
        return [(rank, s, self._pool.submit(self.translate, s.text, self.kb_lang, target))
                for rank, s in enumerate(lines, 1)]

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)


def usable_line_translation(line: Suggestion, fut: Future, shown: str | None,
                            what: Any = "") -> tuple[str, str] | None:
    """(text, engine) of a finished line translation worth showing, else None: the request
    failed, the line on screen was reworded meanwhile (`shown` differs), or a number changed."""
    done = None if fut.cancelled() or fut.exception() is not None else fut.result()
    if done is None or shown != line.text:
        return None
    text, engine = done
    if numbers(text) != numbers(line.text):
        log.info("%s translation of a line for %s dropped: its numbers differ", engine, what)
        return None
    return text, engine


def numbers(text: str) -> list[str]:
    return sorted(re.findall(r"\d+(?:[.,]\d+)?", text))
