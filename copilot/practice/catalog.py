"""Which practice scenarios a trainee can start: the active pack's own, then the bundled ones,
each checked against the knowledge base practice uses.

A bundled scenario cites passages of the sample knowledge base; with a site's pack active those
passages are usually not there. It is still listed, as not available and why, instead of
failing when started (before, all five bundled scenarios stopped with "passage(s) ... are not in
the knowledge base" under a site pack and the site had no way to add its own).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from copilot.practice.scenario import Scenario, ScenarioError, list_scenarios, load_scenario

__all__ = ["Offer", "find_offered", "offers"]


@dataclass(frozen=True)
class Offer:
    scenario: Scenario
    origin: str  # "pack" (the active pack's own) or "bundled"
    unavailable: str = ""  # why it cannot be started with this knowledge base; "" = it can

    @property
    def available(self) -> bool:
        return not self.unavailable

    @property
    def why_not(self) -> str:
        """`unavailable` for a list beside the scenario's name: without the file's path and
        without the knowledge base's whole list of passages."""
        head, sep, rest = self.unavailable.partition(": ")
        text = rest if sep and head.endswith(".toml") else self.unavailable
        return text.split(" (it has ", 1)[0]


def offers(folders: Sequence[tuple[Path, str]], kb: Any | None) -> list[Offer]:
    """Every scenario of `folders` ((folder, origin), in order; a scenario id already offered
    by an earlier folder is not offered again: the pack's own wins), checked against `kb` (a
    KnowledgeBase; None: not checked). A file that cannot be read raises ScenarioError naming
    it: a broken scenario is a mistake to fix, not one to hide."""
    out: list[Offer] = []
    seen: set[str] = set()
    for folder, origin in folders:
        if not folder.is_dir():
            continue
        for s in list_scenarios(folder):
            if s.id in seen:
                continue
            seen.add(s.id)
            out.append(Offer(s, origin, _why_not(s, kb)))
    return out


def find_offered(name: str, folders: Sequence[tuple[Path, str]]) -> Scenario:
    """A scenario by .toml path, or by file stem or id in `folders` (the pack's own first)."""
    p = Path(name).expanduser()
    if p.suffix == ".toml" or p.exists():
        return load_scenario(p)
    known: list[str] = []
    for folder, _origin in folders:
        candidate = folder / f"{name}.toml"
        if candidate.is_file():
            return load_scenario(candidate)
        if not folder.is_dir():
            continue
        for s in list_scenarios(folder):
            if s.id == name:
                return s
            known.append(s.id)
    raise ScenarioError(f"no scenario named {name!r}; available: "
                        f"{', '.join(dict.fromkeys(known)) or '(none)'} (or give a .toml path)")


def _why_not(s: Scenario, kb: Any | None) -> str:
    if kb is None:
        return ""
    try:
        s.check_against(kb)
    except ScenarioError as e:
        return str(e)
    return ""
