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
from copilot.text.codes import code_label  # noqa: F401 (re-exported)
from copilot.text.languages import LANGUAGE_NAMES
from ui import theme

SUMMARY_SECTIONS = (("facts", "Key facts"), ("actions", "Actions taken"),
                    ("next", "Next steps"), ("open", "Open items"), ("sources", "Knowledge used"))


def language_name(code: str) -> str:
    """"French (fr)": the name and the code, as settings files write it."""
    return f"{LANGUAGE_NAMES[code]} ({code})" if code in LANGUAGE_NAMES else code


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
                    c: theme.Colors, actions: Sequence[tuple[float, str]] = ()) -> str:
    """The call's lines, a row each, with `actions` among them in time order: (call time,
    line) as copilot.store.export words them ("[00:12.5] Agent asked: ..."), the time in the
    time column and the rest as written, so the history says what `copilot calls show` says."""
    if not segments and not actions:
        return f"<p style='color:{c.muted}'>No transcript was stored for this call.</p>"
    rows = [(seg.start, _segment_row(seg, translations, c)) for seg in segments]
    marks = [(at, _action_row(at, line, c)) for at, line in actions]
    # sorted() is stable: a caption stays before an action at the same time, as in the export.
    ordered = sorted([*rows, *marks], key=lambda item: item[0]) if marks else rows
    return ("<table width='100%' cellspacing='0' cellpadding='0'>"
            + "".join(row for _at, row in ordered) + "</table>")


def _segment_row(seg: SegmentRow, translations: Mapping[str, str], c: theme.Colors) -> str:
    customer = seg.channel == CUSTOMER
    name_color = c.accent if customer else c.muted
    bg = c.customer_bg if customer else c.agent_bg
    extra = ""
    translated = translations.get(seg.caption_id)
    if customer and translated and translated.strip() != seg.text.strip():
        extra = (f"<br><span style='color:{c.muted}'><i>Translation:</i> "
                 f"{escape(translated)}</span>")
    return (f"<tr><td style='background:{bg}; padding:4px 8px; white-space:nowrap' "
            f"valign='top'><span style='color:{c.faint}'>{clock(seg.start)}</span></td>"
            f"<td style='background:{bg}; padding:4px 8px'>"
            f"<b style='color:{name_color}'>{escape(speaker(seg.channel))}:</b> "
            f"<span style='color:{c.text}'>{escape(seg.text)}</span>{extra}</td></tr>")


def _action_row(at: float, line: str, c: theme.Colors) -> str:
    # The export's line starts with its time; the time column shows it here. On no tint: an
    # action is neither speaker's words, and its text ("Agent asked:") says whose it is.
    stamp = clock(at)
    said = line.removeprefix(f"[{stamp}] ")
    return (f"<tr><td style='padding:4px 8px; white-space:nowrap' valign='top'>"
            f"<span style='color:{c.faint}'>{stamp}</span></td>"
            f"<td style='padding:4px 8px'><i style='color:{c.muted}'>{escape(said)}</i>"
            f"</td></tr>")


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
