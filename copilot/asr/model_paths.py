"""Which Whisper model to load: an explicit path, the one in settings, or the installed default.

The default is the multilingual Whisper base from the PyPI model packages (assembled once into the
data folder), then Whisper tiny.en. Nothing is ever downloaded. An active model pack's Whisper
comes before those defaults (explicit path > settings > active pack > PyPI default).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from copilot import paths
from models import pypi_models

ALIASES = {"tiny.en": "tiny.en", "base": "base"}


class NoModelError(Exception):
    pass


def resolve_whisper_model(explicit: str = "", configured: str = "") -> Path:
    _site_allows(explicit, configured)
    choice = explicit or configured
    if choice == "tiny.en":
        return _installed(pypi_models.whisper_tiny_en)
    if choice == "base":
        return _installed(_whisper_base)
    if choice:
        p = Path(choice).expanduser()
        if not (p / "model.bin").is_file():
            raise NoModelError(
                f"no Whisper model at {p}: expected a CTranslate2 model folder with model.bin "
                "(or use 'base' or 'tiny.en')")
        return p
    pack_model = _active_pack_whisper()
    if pack_model is not None:
        return pack_model
    try:
        return _whisper_base()
    except pypi_models.ModelNotInstalled:
        pass
    try:
        return pypi_models.whisper_tiny_en()
    except pypi_models.ModelNotInstalled:
        raise NoModelError(
            "no speech model is installed. Run the README's set-up command, or pass --model PATH "
            "to a CTranslate2 Whisper folder") from None


def _site_allows(explicit: str, configured: str) -> None:
    """The site's rules for a model named by --model or the settings (copilot/pack_trust.py):
    a folder outside a signed pack under require_signed, any choice under packs_only, refused."""
    from copilot import resolver

    try:
        resolver.check_speech_model(explicit, configured)
    except resolver.PackUnusable as e:
        raise NoModelError(str(e)) from e


def _active_pack_whisper() -> Path | None:
    from copilot import active_pack

    try:
        return active_pack.whisper_dir()
    except active_pack.PackUnusable as e:
        raise NoModelError(str(e)) from e


def pack_languages(model_dir: str | Path) -> tuple[str, ...]:
    """The languages the active pack declares for this speech model (() if it is not the
    pack's): detection chooses among them (copilot.asr.streaming.options_from_settings)."""
    from copilot import active_pack

    return active_pack.asr_languages(Path(model_dir))


def _installed(find: Callable[[], Path]) -> Path:
    try:
        return find()
    except pypi_models.ModelNotInstalled as e:
        raise NoModelError(str(e)) from None


def _whisper_base() -> Path:
    """Whisper base, assembled on first use. A failed assembly (disk full, no permission) is
    reported, not papered over with an English-only fallback the user did not ask for."""
    try:
        return pypi_models.whisper_base(paths.models_dir())
    except pypi_models.ModelNotInstalled:
        raise
    except OSError as e:
        raise NoModelError(
            f"cannot prepare the Whisper base model in the data folder's models/ ({e}); free "
            "disk space or fix the folder's permissions, or use --model tiny.en") from e
