"""The active model pack, as the engines see it: which Whisper folder, GGUF, knowledge base and
translation models it supplies, and its label ("demo@1.0.0") for the status bar and for every
stored suggestion.

Packs live in `$COPILOT_HOME/packs/` (models/packs/store.py). Resolution order elsewhere is
explicit choice > settings > active pack > built-in default; this module answers the "active pack"
step. A damaged active pack raises PackUnusable with a message saying what to do: a supervisor
chose that pack, so silently falling back to other models (or another knowledge base) would be
wrong.
"""

from __future__ import annotations

import logging
from pathlib import Path

from copilot import pack_trust, paths
from models.packs import InstalledPack, PackError, PackStore

log = logging.getLogger(__name__)


class PackUnusable(PackError):
    """The active pack cannot be used (damaged, or active.json unreadable)."""


def packs_root() -> Path:
    return paths.home() / "packs"


def store() -> PackStore:
    return PackStore(packs_root())


def active() -> InstalledPack | None:
    """The active pack, files checked (cheaply) and accepted by the site's rules; None when no
    pack is active."""
    try:
        pack = store().active()
        if pack is not None:
            pack.check_files()
            pack_trust.check_pack(pack, pack_trust.rule())
    except PackError as e:
        raise PackUnusable(str(e)) from e
    return pack


def label() -> str:
    """"id@version" of the active pack, "" when none (or it cannot be read). Never raises: it
    is shown in the status bar and stored with suggestions, where a pack problem must not stop
    the call (the engines report it where the pack is actually used)."""
    try:
        pack = store().active()
    except PackError:
        return ""
    return pack.label if pack is not None else ""


def active_ref() -> str:
    """"id@version" the packs' state file names as active, "" when none or unreadable. Reads
    only that small file (no manifest), so a window can watch it cheaply."""
    try:
        ref = store().read_state().get("active")
    except PackError:
        return ""
    return f"{ref['id']}@{ref['version']}" if ref else ""


def whisper_dir() -> Path | None:
    pack = active()
    return pack.whisper_dir() if pack else None


def asr_languages(model_dir: Path) -> tuple[str, ...]:
    """The languages the active pack declares for the speech model in `model_dir`; () when the
    model is not the pack's (a path or settings choice) or the pack cannot be read (the engines
    report that where the pack is used)."""
    try:
        pack = store().active()
        return pack.asr_languages(model_dir) if pack is not None else ()
    except PackError:
        return ()


def gguf() -> Path | None:
    pack = active()
    return pack.gguf() if pack else None


def kb_dir() -> Path | None:
    pack = active()
    return pack.kb_dir() if pack else None


def mt_dir() -> Path | None:
    pack = active()
    return pack.mt_dir() if pack else None


def checklists_dir() -> Path | None:
    """The active pack's folder of checklist files; None when no pack is active or it has none."""
    pack = active()
    return pack.checklists_dir() if pack else None


def encoder_dir() -> Path | None:
    """The active pack's sentence-encoder folder (copilot.knowledge.encoder loads it); None when
    no pack is active or it has none."""
    pack = active()
    return pack.encoder_dir() if pack else None
