"""Errors every layer may raise and every front end shows as one line, without a traceback.

`UserError` lives here, not in the command line, so that the engine (building a call, resolving
models) can refuse bad input without importing the CLI, and the window can catch the same class.
"""

from __future__ import annotations

__all__ = ["UserError"]


class UserError(Exception):
    """A problem the user can fix (bad input, a missing file or model); shown without a
    traceback by the command line and the window."""
