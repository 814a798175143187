"""What several commands share: the settings, the knowledge base by the one resolution rule, the
translator for typed questions, the LLM (each turns the engine's errors into a UserError); and
the machine a benchmark ran on, and progress on stderr."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from copilot.errors import UserError
from copilot.settings import Settings

ORIGINS = {"explicit": "--kb", "settings": "settings assist.kb_dir", "pack": "the active pack",
           "bundled": "the bundled sample"}
KB_HELP = ("the knowledge folder (default: settings assist.kb_dir, else the active pack's, else "
           "the bundled sample)")


def load_settings() -> Settings:
    """The settings in force: the settings file with the site policy's locked values."""
    from copilot import site_policy

    try:
        settings = site_policy.load_settings()
    except ValueError as e:
        raise UserError(str(e)) from e
    for problem in settings.problems:
        print(f"copilot: settings: {problem}", file=sys.stderr)
    return settings


def kb_folder(settings: Settings, explicit: str | None, *, say: bool = False) -> Path:
    """The knowledge folder for `--kb` (explicit > settings > active pack > bundled sample);
    with `say`, tells on stderr which one when it was not given explicitly."""
    from copilot import resolver

    try:
        choice = resolver.knowledge_base(settings, explicit or "")
    except resolver.PackUnusable as e:
        raise UserError(str(e)) from e
    assert choice.path is not None
    if say and choice.origin != resolver.EXPLICIT:
        print(f"copilot: knowledge base {choice.path} (from {ORIGINS[choice.origin]})",
              file=sys.stderr)
    return choice.path


MODE_HELP = ("how passages are found: hybrid (keywords and meaning, precision first), dense "
             "(meaning only) or keyword (default: settings [assist] search, hybrid)")


def open_kb(settings: Settings, explicit: str | None, *, lang: str = "en", mode: str = "",
            min_evidence: float | None = None, say: bool = False) -> Any:
    """The knowledge base for a command, with its sentence encoder (copilot/knowledge/loading.py);
    its warnings (no encoder: keywords only) are printed."""
    from copilot import resolver
    from copilot.knowledge import MIN_EVIDENCE, KnowledgeError
    from copilot.knowledge.loading import open_knowledge

    folder = kb_folder(settings, explicit, say=say)
    try:
        kb = open_knowledge(settings, folder, lang=lang, mode=mode or "",
                            min_evidence=MIN_EVIDENCE if min_evidence is None else min_evidence)
    except (KnowledgeError, resolver.PackUnusable, ValueError) as e:
        raise UserError(str(e)) from e
    for w in kb.warnings:
        print(f"copilot: warning: {w}", file=sys.stderr)
    return kb


def search_translator(settings: Settings | None = None) -> Any:
    """The translator for typed questions: an installed CTranslate2 model, else the glossary."""
    from copilot import resolver
    from copilot.assist.translate import search_translator as make

    try:
        mt_dir = resolver.translation_models(settings or load_settings()).path
    except (UserError, resolver.PackUnusable):
        mt_dir = None
    return make(mt_dir)


def open_llm_or_refuse(settings: Settings) -> Any:
    """The LLM, loaded (the caller closes it); a UserError when it cannot load."""
    from copilot.llm import ModelLoadError, open_llm

    try:
        return open_llm(settings.llm)
    except ModelLoadError as e:
        raise UserError(f"the LLM could not be loaded: {e}") from e


def machine() -> dict[str, Any]:
    """What a benchmark ran on, printed with its figures."""
    import os
    import platform

    import psutil

    return {"cpus": os.cpu_count(), "ram_gb": round(psutil.virtual_memory().total / 2**30, 1),
            "cpu": platform.processor() or platform.machine(), "python": platform.python_version()}


def progress(msg: str) -> None:
    """A long command's progress, on stderr (stdout stays the result)."""
    print(f"-- {msg}", file=sys.stderr, flush=True)
