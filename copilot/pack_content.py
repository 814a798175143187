"""What `pack build` checks in a pack's data before writing it, with the parsers that will read
it at a site: the knowledge base's lint, every checklist file, and every practice scenario
against the pack's own knowledge base (a scenario citing a passage its pack lacks would only
fail when a trainee starts it, at the site).

models/packs builds the archive and does not import the engine; it hands the source folders
here (models.packs.PackContent).
"""

from __future__ import annotations

from models.packs import PackContent

__all__ = ["PackContentError", "check_or_raise"]


class PackContentError(Exception):
    """A checklist or scenario of the pack cannot be used (the message names the file)."""


def check_or_raise(content: PackContent) -> list[object]:
    """The warnings (the knowledge lint's); raises KnowledgeError or PackContentError, naming
    the file, for anything that would fail at the site."""
    from copilot.knowledge import lint

    warnings: list[object] = []
    if content.kb is not None:
        warnings += lint.check_or_raise(content.kb)
    if content.checklists is not None:
        _check_checklists(content)
    if content.scenarios is not None:
        _check_scenarios(content)
    return warnings


def _check_checklists(content: PackContent) -> None:
    from copilot.assist.checklist.format import ChecklistError, load_checklists

    try:
        load_checklists(content.checklists)
    except ChecklistError as e:
        raise PackContentError(f"checklists: {e}") from e


def _check_scenarios(content: PackContent) -> None:
    from copilot.knowledge.base import KnowledgeBase
    from copilot.practice.scenario import ScenarioError, list_scenarios

    try:
        scenarios = list_scenarios(content.scenarios)
    except ScenarioError as e:
        raise PackContentError(f"scenarios: {e}") from e
    if not scenarios:
        raise PackContentError(f"scenarios: no scenario files (*.toml) in {content.scenarios}")
    if content.kb is None:
        raise PackContentError("scenarios: a pack's scenarios are for its own knowledge base; "
                               "add [kb] (or [components.kb]) to the pack")
    with KnowledgeBase.load(content.kb) as kb:
        for s in scenarios:
            try:
                s.check_against(kb)
            except ScenarioError as e:
                raise PackContentError(f"scenarios: {e}") from e
