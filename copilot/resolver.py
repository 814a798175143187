"""The one rule for which model and which knowledge base a component uses:

    explicit choice (a command-line option, a window option) > settings > the active pack >
    the bundled default

Every front end (the command line, the window, practice, the benchmarks) asks here, so the same
settings and the same pack give the same answer everywhere. A damaged active pack is reported
(PackUnusable), never silently replaced by a default: a supervisor chose that pack.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from copilot import active_pack, paths
from copilot.active_pack import PackUnusable
from copilot.settings import LlmSettings, Settings

__all__ = ["EXPLICIT", "PACK", "SETTINGS", "BUNDLED", "NONE", "PackUnusable", "Choice", "choose",
           "knowledge_base", "llm_model", "sentence_encoder", "translation_models"]

EXPLICIT, SETTINGS, PACK, BUNDLED = "explicit", "settings", "pack", "bundled"
NONE = "none"  # a choice of nothing: `[assist] encoder = "none"` turns sentence vectors off


@dataclass(frozen=True)
class Choice:
    """A resolved location and where the choice came from (shown by `kb ask`, logs, status)."""

    path: Path | None
    origin: str  # EXPLICIT, SETTINGS, PACK or BUNDLED ("" when nothing was found)

    @property
    def found(self) -> bool:
        return self.path is not None


def choose(explicit: str | Path, configured: str | Path, from_pack: Callable[[], Path | None],
           bundled: Callable[[], Path | None]) -> Choice:
    """The rule itself. `from_pack` may raise PackUnusable; `bundled` returns None when the
    default is not installed."""
    if explicit:
        return Choice(Path(explicit).expanduser(), EXPLICIT)
    if configured:
        return Choice(Path(configured).expanduser(), SETTINGS)
    pack = from_pack()
    if pack is not None:
        return Choice(pack, PACK)
    default = bundled()
    return Choice(default, BUNDLED if default is not None else "")


def knowledge_base(settings: Settings, explicit: str | Path = "") -> Choice:
    """The approved knowledge base folder (always found: the bundled sample is the default)."""
    return choose(explicit, settings.assist.kb_dir, active_pack.kb_dir, paths.sample_kb)


def translation_models(settings: Settings, explicit: str | Path = "") -> Choice:
    """The folder of CTranslate2 translation models; the default is `$COPILOT_HOME/models/mt`
    (found only when it exists: no translation model ships on PyPI)."""
    def bundled() -> Path | None:
        folder = paths.models_dir() / "mt"
        return folder if folder.is_dir() else None

    return choose(explicit, settings.assist.mt_dir, active_pack.mt_dir, bundled)


def llm_model(settings: LlmSettings, explicit: str | Path = "") -> Choice:
    """The GGUF language model; the default is SmolLM2-135M from its PyPI package."""
    def bundled() -> Path | None:
        from models.pypi_models import ModelNotInstalled, smollm2_135m

        try:
            return smollm2_135m()
        except ModelNotInstalled:
            return None

    return choose(explicit, settings.model, active_pack.gguf, bundled)


def sentence_encoder(settings: Settings, explicit: str | Path = "") -> Choice:
    """The sentence encoder folder; the default is all-MiniLM-L6-v2 from its PyPI package,
    converted once into the data folder. "none" (explicit or in settings) chooses nothing."""
    if str(explicit or settings.assist.encoder).strip().lower() == NONE:
        return Choice(None, EXPLICIT if explicit else SETTINGS)

    def bundled() -> Path | None:
        from models.pypi_models import ModelNotInstalled, minilm_encoder

        try:
            return minilm_encoder(paths.models_dir())
        except (ModelNotInstalled, OSError):
            return None

    return choose(explicit, settings.assist.encoder, active_pack.encoder_dir, bundled)
