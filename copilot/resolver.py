"""The one rule for which model and which knowledge base a component uses:

    explicit choice (a command-line option, a window option) > settings > the active pack >
    the bundled default

Every front end (the command line, the window, practice, the benchmarks) asks here, so the same
settings and the same pack give the same answer everywhere. A damaged active pack is reported
(PackUnusable), never silently replaced by a default: a supervisor chose that pack. So is a
choice the site's rules refuse (copilot/pack_trust.py): a path outside a signed pack under
require_signed, any path under packs_only, an unsigned active pack, the bundled sample
knowledge where the site wants its own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from copilot import active_pack, pack_trust, paths
from copilot.active_pack import PackUnusable
from copilot.settings import LlmSettings, Settings

__all__ = ["EXPLICIT", "PACK", "SETTINGS", "BUNDLED", "NONE", "PackUnusable", "Choice", "choose",
           "check_speech_model", "checklists", "knowledge_base", "knowledge_label", "llm_model",
           "scenario_folders", "sentence_encoder", "translation_models"]

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


def _accepted(choice: Choice, what: str, option: str, setting: str,
              settings: Settings | None, *, bundled_is_content: bool = False) -> Choice:
    """`choice` if the site's rules accept it, else PackUnusable saying which rule refuses it.
    The active pack was checked when it was taken (active_pack.active); a bundled default is
    refused only when it is content rather than the application's own model."""
    if choice.origin in (EXPLICIT, SETTINGS) or (choice.origin == BUNDLED and bundled_is_content):
        try:
            rule = pack_trust.rule(settings.packs if settings is not None else None)
            if choice.origin == BUNDLED:
                pack_trust.check_bundled_knowledge(rule)
            else:
                named_by = option if choice.origin == EXPLICIT else f"{setting} in the settings"
                pack_trust.check_location(choice.path or "", what, named_by, rule)
        except pack_trust.NotAccepted as e:
            raise PackUnusable(str(e)) from e
    return choice


def knowledge_base(settings: Settings, explicit: str | Path = "") -> Choice:
    """The approved knowledge base folder (always found: the bundled sample is the default,
    where the site's rules allow it)."""
    choice = choose(explicit, settings.assist.kb_dir, active_pack.kb_dir, paths.sample_kb)
    return _accepted(choice, "knowledge base", "--kb", "[assist] kb_dir", settings,
                     bundled_is_content=True)


def knowledge_label(settings: Settings, explicit: str | Path = "",
                    pack_label: str | None = None) -> str:
    """What the window shows and keeps with every agent action as the source of its models and
    knowledge: the active pack's label, and where the knowledge comes from when that is not
    the pack (an option, the settings, the bundled sample), so a folder that overrides the pack
    is never passed off as the pack's."""
    label = pack_label if pack_label is not None else active_pack.label()
    label = label or "no pack installed"
    try:
        choice = knowledge_base(settings, explicit)
    except PackUnusable:
        return f"{label} (knowledge: none usable)"
    if choice.origin == PACK:
        return label
    if choice.origin == BUNDLED:
        return f"{label} (knowledge: the bundled sample)"
    assert choice.path is not None
    return f"{label} (knowledge: {choice.path.resolve()})"


def translation_models(settings: Settings, explicit: str | Path = "") -> Choice:
    """The folder of CTranslate2 translation models; the default is `$COPILOT_HOME/models/mt`
    (found only when it exists: no translation model ships on PyPI; a folder anyone may fill,
    so the site's rules treat it like a path in the settings)."""
    def bundled() -> Path | None:
        folder = paths.models_dir() / "mt"
        return folder if folder.is_dir() else None

    choice = choose(explicit, settings.assist.mt_dir, active_pack.mt_dir, bundled)
    return _accepted(choice, "translation models folder", "an option", "[assist] mt_dir",
                     settings, bundled_is_content=True)


def llm_model(settings: LlmSettings, explicit: str | Path = "") -> Choice:
    """The GGUF language model; the default is SmolLM2-135M from its PyPI package. The site's
    rules come from the settings file here (this choice is made with the [llm] section only)."""
    def bundled() -> Path | None:
        from models.pypi_models import ModelNotInstalled, smollm2_135m

        try:
            return smollm2_135m()
        except ModelNotInstalled:
            return None

    choice = choose(explicit, settings.model, active_pack.gguf, bundled)
    return _accepted(choice, "language model", "an option", "[llm] model", None)


def check_speech_model(explicit: str = "", configured: str = "") -> None:
    """The site's rules for a Whisper model named by --model or [asr] model (a folder, or a
    bundled model's name); copilot/asr/model_paths.py resolves it. PackUnusable if refused."""
    choice = explicit or configured
    if not choice:
        return
    named_by = "--model" if explicit else "[asr] model in the settings"
    try:
        rule = pack_trust.rule()
        if choice in ("base", "tiny.en"):
            pack_trust.check_model_name(choice, "speech model", named_by, rule)
        else:
            pack_trust.check_location(choice, "speech model", named_by, rule)
    except pack_trust.NotAccepted as e:
        raise PackUnusable(str(e)) from e


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

    choice = choose(explicit, settings.assist.encoder, active_pack.encoder_dir, bundled)
    return _accepted(choice, "sentence encoder", "an option", "[assist] encoder", settings)


def checklists(settings: Settings, explicit: str | Path = "",
               kb_dir: str | Path | None = None) -> Choice:
    """The live checklists (a folder of checklist files, or one file): explicit (`--checklists`;
    "none" for none) > the active pack's (none when its pack has none) > the bundled demo's,
    only while the knowledge base in use (`kb_dir`, default: the rule's) is the bundled sample.
    A site's own knowledge must never be checked against the demo's items. Choice(None, "")
    when there is no checklist."""
    if str(explicit).strip().lower() == NONE:
        return Choice(None, EXPLICIT)
    if explicit:
        return _accepted(Choice(Path(explicit).expanduser(), EXPLICIT), "checklists",
                         "--checklists", "", settings)
    pack = active_pack.active()
    if pack is not None:
        folder = pack.checklists_dir()
        return Choice(folder, PACK if folder is not None else "")
    kb = Path(kb_dir) if kb_dir is not None else knowledge_base(settings).path
    if kb is not None and kb.resolve() == paths.sample_kb().resolve():
        return Choice(paths.sample_checklists(), BUNDLED)
    return Choice(None, "")


def scenario_folders() -> list[Choice]:
    """Where practice scenarios come from, in the order they are offered: the active pack's own
    (written for its knowledge base), then the bundled ones (offered where the knowledge base
    in use holds what they cite: copilot/practice/catalog.py)."""
    out = []
    pack = active_pack.active()
    if pack is not None and pack.scenarios_dir() is not None:
        out.append(Choice(pack.scenarios_dir(), PACK))
    out.append(Choice(paths.sample_scenarios(), BUNDLED))
    return out
