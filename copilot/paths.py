"""Where the copilot keeps its data: one folder for settings, the database and packs.

`COPILOT_HOME` overrides the default (`~/.local/share/agent-copilot`, or `$XDG_DATA_HOME`).
"""

from __future__ import annotations

import os
from pathlib import Path


def home() -> Path:
    env = os.environ.get("COPILOT_HOME")
    if env:
        root = Path(env).expanduser()
    else:
        base = os.environ.get("XDG_DATA_HOME") or os.path.join(Path.home(), ".local", "share")
        root = Path(base) / "agent-copilot"
    root.mkdir(parents=True, exist_ok=True)
    return root


def database_path() -> Path:
    return home() / "calls.sqlite3"


def settings_path() -> Path:
    return home() / "settings.toml"


def models_dir() -> Path:
    d = home() / "models"
    d.mkdir(parents=True, exist_ok=True)
    return d


def resources() -> Path:
    """The bundled resources (sample knowledge base, demo call, icons, practice scenarios).

    An installed wheel (and the PyInstaller app) carries them inside the package as
    copilot/resources (setup.py copies them there at build time); a checkout or an editable
    install reads the repository's resources/ beside the package. The packaged copy wins: a
    stray top-level "resources" folder in site-packages must not shadow ours."""
    here = Path(__file__).resolve().parent
    packaged = here / "resources"
    return packaged if packaged.is_dir() else here.parent / "resources"


def sample_kb() -> Path:
    return resources() / "kb" / "northwind"


def sample_scenarios() -> Path:
    """The bundled practice scenarios (written for the sample knowledge base)."""
    return resources() / "scenarios"


def sample_checklists() -> Path:
    """The bundled demo's checklists (they go with the sample knowledge base)."""
    return resources() / "checklists"
