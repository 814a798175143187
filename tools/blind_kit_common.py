"""What every blind writer's kit builder shares (tools/blind_kit.py): the error it reports in one
line, the numbered sets of a folder, and writing a kit without ever writing over one."""

from __future__ import annotations

import re
from pathlib import Path


class KitError(Exception):
    """An expected failure: reported in one line, without a traceback."""


def numbered(folder: Path, pattern: str) -> list[tuple[int, Path]]:
    """(N, path) for every path matching `pattern` whose name holds N in place of `*`."""
    regex = re.compile(re.escape(pattern).replace(r"\*", r"(\d+)") + "$")
    found = [(int(m.group(1)), p) for p in folder.glob(pattern) if (m := regex.match(p.name))]
    return sorted(found)


def write_kit(out: Path, files: dict[str, str]) -> None:
    if out.exists() and not out.is_dir():
        raise KitError(f"{out} exists and is not a folder")
    if out.is_dir() and any(out.iterdir()):
        raise KitError(f"{out} is not empty; give an empty or new folder")
    out.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():  # a name may hold a folder ("kb_noasks/fees.md")
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        (out / name).write_text(text, encoding="utf-8")
