"""Practice's errors, in a module of their own so the scenario reader and the fact check (which
the reader uses) need not import each other."""

from __future__ import annotations

__all__ = ["ScenarioError"]


class ScenarioError(Exception):
    """A scenario file cannot be used; the message names the file and what is wrong."""
