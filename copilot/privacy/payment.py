"""Payment mode's mask: what stands in a caption for everything said while it was on. One
constant and one test for it, shared by the session (which writes it), the assistance (which
ignores such captions) and the window (which draws it as a mask)."""

from __future__ import annotations

__all__ = ["PAYMENT_MODE_TEXT", "is_payment_masked"]

PAYMENT_MODE_TEXT = "[payment mode: not recorded]"


def is_payment_masked(text: str) -> bool:
    return text == PAYMENT_MODE_TEXT
