"""Which engine translates what: a CTranslate2 model, Whisper, or the LLM (best first).

- `ct2`: a translation model from a pack for the exact pair (copilot.assist.translate.ct2);
- `whisper`: Whisper's own task "translate", to English only and from speech only: the ASR
  worker emits those translations itself right after each customer caption (copilot.asr.streaming,
  `translate_customer`), so this service never produces them; it only says when they apply;
- `llm`: the local LLM, a last resort whose output is low-confidence (copilot.assist.translate.llm).

`TranslationService.translate(text, src, tgt) -> str` fits `copilot.knowledge.base.Translator`
("" when no engine could); `translate_text()` also says which engine made the text, for the
`Translation.engine` field. A text engine that fails (a corrupt model) is logged and the next one
is tried.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from copilot.assist.translate.ct2 import (
    Ct2Options,
    Ct2Translator,
    TranslationError,
    TranslationModelError,
    UnsupportedPair,
    split_sentences,
)
from copilot.assist.translate.glossary import GlossaryTranslator
from copilot.assist.translate.llm import (
    LlmTranslator,
    TranslationCancelled,
    TranslationRejected,
)

if TYPE_CHECKING:
    from copilot.llm.engine import LlmEngine

__all__ = [
    "CT2", "LLM", "WHISPER", "Ct2Options", "Ct2Translator", "LlmTranslator", "Translated",
    "TranslationCancelled", "TranslationError", "TranslationModelError", "TranslationRejected",
    "TranslationService", "UnsupportedPair", "choose_translator", "split_sentences",
]

log = logging.getLogger(__name__)

CT2, WHISPER, LLM = "ct2", "whisper", "llm"


@dataclass(frozen=True)
class Translated:
    text: str
    engine: str  # ct2 | llm (whisper translations come from the ASR as events)


class TranslationService:
    def __init__(self, ct2: Ct2Translator | None = None, llm: LlmTranslator | None = None, *,
                 whisper_to_english: bool = False) -> None:
        """`whisper_to_english`: the speech model is multilingual and the ASR translates
        customer speech to English itself."""
        self.ct2 = ct2
        self.llm = llm
        self.whisper_to_english = whisper_to_english

    def engine_for(self, src: str, tgt: str, *, speech: bool = False) -> str | None:
        """The engine that translates src -> tgt: "ct2", "whisper" (for `speech` into English),
        "llm", or None (same language, or nothing installed)."""
        if not src or not tgt or src == tgt:
            return None
        if self.ct2 is not None and self.ct2.has_pair(src, tgt):
            return CT2
        if speech and tgt == "en" and self.whisper_to_english:
            return WHISPER
        if self.llm is not None:
            return LLM
        return None

    def text_sources(self, tgt: str) -> tuple[str, ...]:
        """Source languages a CTranslate2 model translates into `tgt`: Whisper need not
        translate customer speech in these (StreamingOptions.translate_skip)."""
        if self.ct2 is None:
            return ()
        return tuple(sorted({s for s, t in self.ct2.pairs() if t == tgt}))

    def translate_text(self, text: str, src: str, tgt: str) -> Translated | None:
        """`text` translated by the best text engine that can, or None (nothing installed,
        or every engine failed or declined)."""
        if not text.strip() or not src or not tgt or src == tgt:
            return None
        if self.ct2 is not None and self.ct2.has_pair(src, tgt):
            try:
                out = self.ct2.translate(text, src, tgt)
                if out.strip():
                    return Translated(out.strip(), CT2)
            except TranslationError as e:
                log.warning("the %s-%s translation model failed; trying the next engine: %s",
                            src, tgt, e)
        if self.llm is not None:
            try:
                return Translated(self.llm.translate(text, src, tgt), LLM)
            except TranslationCancelled:
                return None  # superseded by a newer request: nothing to say
            except TranslationError as e:
                log.info("LLM translation %s-%s declined: %s", src, tgt, e)
        return None

    def translate(self, text: str, src: str, tgt: str) -> str:
        """copilot.knowledge.base.Translator: the text, or "" when no engine could."""
        result = self.translate_text(text, src, tgt)
        return result.text if result is not None else ""

    def close(self) -> None:
        if self.ct2 is not None:
            self.ct2.close()


def choose_translator(mt_dir: str | Path | None, llm_engine: LlmEngine | None = None, *,
                      whisper_multilingual: bool = False,
                      ct2_options: Ct2Options | None = None) -> TranslationService:
    """The translation service for what is installed: CTranslate2 models under `mt_dir` (may be
    missing or empty), Whisper when the speech model is multilingual, the LLM when one is
    loaded."""
    ct2 = None
    if mt_dir:
        found = Ct2Translator(mt_dir, ct2_options)
        ct2 = found if found.pairs() else None
    llm = LlmTranslator(llm_engine) if llm_engine is not None else None
    return TranslationService(ct2, llm, whisper_to_english=whisper_multilingual)


class SearchTranslator:
    """What the knowledge search uses for a question in another language: a CTranslate2 model
    for the pair when one is installed, else the service glossary's English keywords (never
    shown as a translation), else the words as they are (names and cognates still match)."""

    def __init__(self, ct2: Ct2Translator | None = None,
                 glossary: GlossaryTranslator | None = None) -> None:
        self.ct2 = ct2
        self.glossary = glossary or GlossaryTranslator()

    def engine_for(self, src: str, tgt: str) -> str:
        if self.ct2 is not None and self.ct2.has_pair(src, tgt):
            return CT2
        return "glossary" if src in self.glossary.languages() and tgt == "en" else "none"

    def translate(self, text: str, src: str, tgt: str) -> str:
        if self.ct2 is not None and self.ct2.has_pair(src, tgt):
            try:
                out = self.ct2.translate(text, src, tgt).strip()
                if out:
                    return out
            except TranslationError as e:
                log.warning("the %s-%s translation model failed; using the glossary: %s",
                            src, tgt, e)
        return self.glossary.translate(text, src, tgt) or text


def search_translator(mt_dir: str | Path | None = None) -> SearchTranslator:
    """For the commands that search typed questions (`kb ask|eval`, `suggest`)."""
    ct2 = None
    if mt_dir and Path(mt_dir).is_dir():
        found = Ct2Translator(mt_dir)
        ct2 = found if found.pairs() else None
    return SearchTranslator(ct2)
