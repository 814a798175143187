"""Translation of what the customer says and of suggested lines: CTranslate2 models from a pack
(ct2), the LLM as the last resort (llm), and the service glossary for searching typed questions
(glossary, never shown as a translation)."""

from copilot.assist.translate.service import (
    CT2,
    LLM,
    WHISPER,
    SearchTranslator,
    Translated,
    TranslationError,
    TranslationService,
    choose_translator,
    search_translator,
)

__all__ = ["CT2", "LLM", "WHISPER", "SearchTranslator", "Translated", "TranslationError",
           "TranslationService", "choose_translator", "search_translator"]
