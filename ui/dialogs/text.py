"""Words and HTML the dialogs show: code labels, language names, times, transcript, summary.

The HTML is for QTextBrowser (Qt's rich-text subset: no CSS borders on paragraphs, so speakers
are told apart by a coloured name and a tinted row, never by colour alone: the name is written).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape
from typing import Any

from copilot.events import CUSTOMER
from copilot.store.export import clock, duration, local_time, speaker  # noqa: F401 (re-exported)
from copilot.store.rows import SegmentRow
from ui import theme

LANGUAGE_NAMES = {
    "en": "English", "fr": "French", "es": "Spanish", "de": "German", "it": "Italian",
    "pt": "Portuguese", "nl": "Dutch", "pl": "Polish", "tr": "Turkish", "ar": "Arabic",
    "zh": "Chinese", "ja": "Japanese", "ko": "Korean", "ru": "Russian", "uk": "Ukrainian",
    "hi": "Hindi", "sv": "Swedish", "da": "Danish", "no": "Norwegian", "fi": "Finnish",
}

SUMMARY_SECTIONS = (("facts", "Key facts"), ("actions", "Actions taken"),
                    ("next", "Next steps"), ("open", "Open items"), ("sources", "Knowledge used"))


def language_name(code: str) -> str:
    return f"{LANGUAGE_NAMES[code]} ({code})" if code in LANGUAGE_NAMES else code


def code_label(code: str) -> str:
    """'refund_issued' -> 'Refund issued' (the stored value stays the code)."""
    words = code.replace("_", " ").replace("-", " ").strip()
    return words[:1].upper() + words[1:] if words else "(none)"


def colors() -> theme.Colors:
    """The colours the application was themed with (ui.theme.apply), else the system's."""
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    name = app.property("copilot_colors") if app is not None else None
    if name == "dark":
        return theme.DARK
    if name == "light":
        return theme.LIGHT
    return theme.resolve("system")


def transcript_html(segments: Sequence[SegmentRow], translations: Mapping[str, str],
                    c: theme.Colors) -> str:
    if not segments:
        return f"<p style='color:{c.muted}'>No transcript was stored for this call.</p>"
    rows = []
    for seg in segments:
        customer = seg.channel == CUSTOMER
        name_color = c.accent if customer else c.muted
        bg = c.customer_bg if customer else c.agent_bg
        extra = ""
        translated = translations.get(seg.caption_id)
        if customer and translated and translated.strip() != seg.text.strip():
            extra = (f"<br><span style='color:{c.muted}'><i>Translation:</i> "
                     f"{escape(translated)}</span>")
        rows.append(
            f"<tr><td style='background:{bg}; padding:4px 8px; white-space:nowrap' valign='top'>"
            f"<span style='color:{c.faint}'>{clock(seg.start)}</span></td>"
            f"<td style='background:{bg}; padding:4px 8px'>"
            f"<b style='color:{name_color}'>{escape(speaker(seg.channel))}:</b> "
            f"<span style='color:{c.text}'>{escape(seg.text)}</span>{extra}</td></tr>")
    return ("<table width='100%' cellspacing='0' cellpadding='0'>" + "".join(rows) + "</table>")


def summary_html(sections: Mapping[str, Any] | None, c: theme.Colors, *,
                 empty: str = "No summary was made for this call.") -> str:
    if not sections:
        return f"<p style='color:{c.muted}'>{escape(empty)}</p>"
    reason = sections.get("reason") or "(not stated)"
    out = [f"<p><b style='color:{c.muted}'>Reason for the call</b><br>"
           f"<span style='color:{c.text}'>{escape(str(reason))}</span></p>"]
    for key, title in SUMMARY_SECTIONS:
        items = sections.get(key) or []
        if isinstance(items, str):
            items = [items]
        if items:
            lis = "".join(f"<li style='color:{c.text}'>{escape(str(x))}</li>" for x in items)
            out.append(f"<p><b style='color:{c.muted}'>{title}</b></p><ul>{lis}</ul>")
    return "".join(out)


def note_html(note: str, disposition: str, edited: bool, c: theme.Colors,
              saved: bool | None = None) -> str:
    saved = edited if saved is None else saved
    state = ("edited and saved by the agent" if saved and edited
             else "AI draft, checked and saved unchanged by the agent" if saved
             else "changes kept as a draft, not saved" if edited
             else "AI draft, not yet reviewed by the agent")
    body = escape(note).replace("\n", "<br>") or f"<i style='color:{c.muted}'>(empty)</i>"
    return (f"<p><b style='color:{c.muted}'>Disposition:</b> "
            f"<span style='color:{c.text}'>{escape(code_label(disposition))}</span> "
            f"<span style='color:{c.faint}'>({state})</span></p>"
            f"<p style='color:{c.text}'>{body}</p>")
