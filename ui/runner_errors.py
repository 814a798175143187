"""How a call that could not start or stopped on an error is told to the agent: one line they can
act on, and whether it was expected (a 0-byte or unreadable recording, no model, a store that
cannot be opened: the window's banner says it, the log has no traceback)."""

from __future__ import annotations

__all__ = ["expected", "user_message"]


def _user_errors() -> tuple[type[BaseException], ...]:
    from copilot.audio.base import AudioError
    from copilot.call.session import SessionError
    from copilot.errors import UserError

    return (UserError, AudioError, SessionError)


def user_message(e: BaseException) -> str:
    """One line the agent can act on; a UserError or AudioError message already is one."""
    if isinstance(e, (*_user_errors(), ValueError, OSError)):
        return str(e)
    return f"unexpected error: {type(e).__name__}: {e} (details in the log)"


def expected(e: BaseException) -> bool:
    """Errors the agent can act on, shown in the banner and logged without a traceback."""
    return isinstance(e, _user_errors())
