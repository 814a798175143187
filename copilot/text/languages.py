"""Languages by name: one table for everything that names a language to a person or a model
(the translator's prompt, the practice customer's persona, the window's settings, feedback).
Unknown codes are shown as they are."""

from __future__ import annotations

__all__ = ["LANGUAGE_NAMES", "language_name"]

LANGUAGE_NAMES = {
    "en": "English", "fr": "French", "es": "Spanish", "de": "German", "it": "Italian",
    "pt": "Portuguese", "nl": "Dutch", "pl": "Polish", "ro": "Romanian", "tr": "Turkish",
    "ar": "Arabic", "zh": "Chinese", "ja": "Japanese", "ko": "Korean", "ru": "Russian",
    "uk": "Ukrainian", "vi": "Vietnamese", "hi": "Hindi", "sv": "Swedish", "da": "Danish",
    "no": "Norwegian", "fi": "Finnish",
}


def language_name(code: str) -> str:
    """"French" for "fr"; an unknown code as it is."""
    return LANGUAGE_NAMES.get(code, code)
