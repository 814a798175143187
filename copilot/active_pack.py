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

from copilot import paths
from copilot.settings import PacksSettings
from models.packs import InstalledPack, Limits, PackError, PackStore, Policy, trusted_set

log = logging.getLogger(__name__)
MiB = 1 << 20


class PackUnusable(PackError):
    """The active pack cannot be used (damaged, or active.json unreadable)."""


def packs_root() -> Path:
    return paths.home() / "packs"


def store() -> PackStore:
    return PackStore(packs_root())


def active() -> InstalledPack | None:
    """The active pack, files checked (cheaply); None when no pack is active."""
    try:
        pack = store().active()
        if pack is not None:
            pack.check_files()
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


def policy(settings: PacksSettings) -> Policy:
    """The site's verification policy: trusted keys, signing rule, limits, and the LLM runtime's
    own sandbox as the final check of a GGUF chat template."""
    return Policy(trusted_keys=trusted_set(settings.trusted_keys),
                  require_signed=settings.require_signed,
                  limits=Limits(max_file_bytes=int(settings.max_file_mb) * MiB,
                                max_total_bytes=int(settings.max_total_mb) * MiB),
                  check_template=sandbox_check)


def sandbox_check(source: str) -> None:
    """Compile the template in the runtime sandbox (copilot/llm_template.py) and render a short
    conversation: a forbidden operation, a runaway loop or a huge output refuses the pack. A
    template that merely rejects this conversation shape (raise_exception: "roles must
    alternate") is strict, not hostile, and passes."""
    from copilot.llm_template import SandboxedTemplate
    from copilot.llm_types import ChatMessage, TemplateError

    template = SandboxedTemplate(source, bos_token="<s>", eos_token="</s>")
    convos = ([ChatMessage("system", "Be brief."), ChatMessage("user", "Hello"),
               ChatMessage("assistant", "Hi."), ChatMessage("user", "Bye")],
              [ChatMessage("user", "Hello")])
    for messages in convos:
        try:
            template.render(messages)
            return
        except TemplateError as e:
            if "refused the conversation" not in str(e):
                raise
    log.info("the chat template refused both test conversations; accepted as strict")
