"""A code as people read it: "refund_issued" -> "Refund issued". Stored values, exports in CSV
and JSON, and the settings keep the code; the window, the wrap-up and the HTML report show this."""

from __future__ import annotations

__all__ = ["code_label"]


def code_label(code: str) -> str:
    words = code.replace("_", " ").replace("-", " ").strip()
    return words[:1].upper() + words[1:] if words else "(none)"
