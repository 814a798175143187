"""The draft box: the agent's own words rephrased, every policy fact checked (Ctrl+D).

Under the knowledge search box, folded to one line until the agent opens it (Ctrl+D or a click),
so the suggested lines and cards keep their room. Open, the box's height can be bounded by the
window (ui/room.py) when the customer's line would otherwise go below the fold: it then scrolls
in its own area (ui/panels/bounded_area.py), its scroll bar showing, and the draft with its
buttons always shows whole. The agent types or pastes a draft (a follow-up message, a case note,
the sentence about to be said), picks a tone and optionally the customer's language, and
presses Rephrase (or Ctrl+Enter in the box: there it never starts or stops the call). The
result comes back under the draft, labelled as AI output: each policy fact no passage
of the knowledge base states is marked in the text (tooltip "not in the knowledge base") and
listed, never silently kept or dropped; what became of the local model's rewording is said in
words (used, declined, too slow, failed). Copy puts the result on the clipboard and nowhere else.

The box knows nothing of the engine: it shows a copilot.assist.rephrase.RephraseResult (read
by attribute, like the cards read events) and reports through signals; the window runs the
rephrasing off the UI thread and keeps the audit trail.
"""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCursor, QGuiApplication
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QToolButton,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from copilot.text.languages import language_name
from ui.panels.bounded_area import BoundedArea
from ui.panels.cards import source_links
from ui.panels.draft_edit import DraftEdit
from ui.panels.draft_text import (  # noqa: F401 (the box's words, re-exported for tests)
    CANCELLED,
    COPY_FLAGGED_TIP,
    DRAFT_TIP,
    FLAG_TIP,
    LLM_STATUS,
    NO_FACTS,
    NOT_IN_KB,
    NOTHING_LEFT_SHOWN,
    PLACEHOLDER,
    SAID,
    SAME_LANGUAGE,
    TOGGLE,
    TONES,
    WORKING,
    llm_status,
    marked_html,
    other_notes,
)
from ui.theme import LIGHT, Colors


class DraftBox(QWidget):
    """The folded toggle, the draft with its tone and language, and the checked result."""

    rephrase_requested = Signal(str, str, str)  # (draft, tone, language "" = as written)
    cancel_requested = Signal()
    copied = Signal(str, str)  # (the result's draft id, the text put on the clipboard)
    open_passage = Signal(str)
    content_changed = Signal()  # opened, folded, a result came or went: the window makes room

    def __init__(self, colors: Colors = LIGHT, parent: QWidget | None = None, *,
                 toggle_in_box: bool = True) -> None:
        """toggle_in_box=False: the owner lays out `toggle` (the assistance column puts it
        beside the search box, a line saved), the box itself is only what it opens."""
        super().__init__(parent)
        self.colors = colors
        self.busy = False
        self.result: Any = None  # the RephraseResult on screen
        self.result_id = ""  # its draft id ("draft-2")

        self.toggle = QToolButton()
        self.toggle.setObjectName("fold")  # no taller than the search box beside it (theme.py)
        self.toggle.setText(TOGGLE)
        self.toggle.setCheckable(True)
        self.toggle.setArrowType(Qt.ArrowType.RightArrow)
        self.toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toggle.setToolTip(DRAFT_TIP)
        self.toggle.setAccessibleName("show or hide the draft box")
        self.toggle.toggled.connect(self._toggled)

        self.edit = DraftEdit()
        self.edit.setPlaceholderText(PLACEHOLDER)
        self.edit.setToolTip(DRAFT_TIP)
        self.edit.setAccessibleName("your draft")
        self.edit.submit.connect(self.submit)
        self.edit.escape.connect(self._escape)

        # One row for the tone, the language and the buttons: every line the box takes is a
        # line the suggested lines and cards lose.
        self.tone_box = QComboBox()
        for key, label in TONES:
            self.tone_box.addItem(label, key)
        self.tone_box.setToolTip("Calm: no blame or absolutes. Formal: no contractions, polite "
                                 "requests. Brief: no filler.")
        self.tone_box.setAccessibleName("tone")

        self.lang = QComboBox()
        self.lang.setToolTip("The customer's language: the checked text is translated into it "
                             "(when a translation model or the local model can)")
        self.lang.setAccessibleName("the customer's language")
        self.set_languages("en", [])
        self.cancel = QPushButton("Cancel")
        self.cancel.setToolTip("Stop the rephrasing (Esc in the draft)")
        self.cancel.clicked.connect(self.cancel_requested)
        self.cancel.setEnabled(False)
        self.go = QPushButton("Rephrase")
        self.go.setObjectName("primary")
        self.go.setToolTip("Rephrase the draft in the chosen tone (Ctrl+Enter in the draft)")
        self.go.clicked.connect(self.submit)
        action_row = QHBoxLayout()
        action_row.setContentsMargins(0, 0, 0, 0)
        action_row.addWidget(self.tone_box)
        action_row.addWidget(self.lang)
        action_row.addStretch(1)
        action_row.addWidget(self.cancel)
        action_row.addWidget(self.go)

        self.status = QLabel()
        self.status.setObjectName("muted")
        self.status.setWordWrap(True)
        self.status.hide()

        self._result_frame()

        body = QWidget()
        lay = QVBoxLayout(body)
        lay.setContentsMargins(0, 2, 0, 4)
        lay.setSpacing(4)
        lay.addWidget(self.status)
        lay.addWidget(self.frame)
        # The draft and its buttons, in one widget: what a bounded box still shows whole.
        self.input = QWidget()
        il = QVBoxLayout(self.input)
        il.setContentsMargins(0, 0, 0, 0)
        il.setSpacing(lay.spacing())
        il.addWidget(self.edit)
        il.addLayout(action_row)
        lay.insertWidget(0, self.input)
        self.body = body
        self.area = BoundedArea(self.input)
        self.area.setWidget(body)
        self.area.hide()
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 4, 4 if toggle_in_box else 0)
        outer.setSpacing(2)
        if toggle_in_box:
            outer.addWidget(self.toggle, 0, Qt.AlignmentFlag.AlignLeft)
        outer.addWidget(self.area)

    def _result_frame(self) -> None:
        frame = QFrame()
        frame.setObjectName("card")
        frame.setAccessibleName("rephrased draft")
        self.header = QLabel()
        self.header.setObjectName("aiLabel")
        self.header.setWordWrap(True)
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                          | Qt.TextInteractionFlag.LinksAccessibleByMouse)
        self.text.linkHovered.connect(self._hovered)
        self.checked_en = QLabel()  # a translated result: the English text that was checked
        self.checked_en.setObjectName("muted")
        self.checked_en.setWordWrap(True)
        self.checked_en.setTextFormat(Qt.TextFormat.RichText)
        self.checked_en.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                                | Qt.TextInteractionFlag.LinksAccessibleByMouse)
        self.checked_en.linkHovered.connect(self._hovered)
        self.flags = QLabel()
        self.flags.setObjectName("flagNote")
        self.flags.setWordWrap(True)
        self.flags.setTextFormat(Qt.TextFormat.PlainText)
        self.llm_note = QLabel()
        self.llm_note.setObjectName("muted")
        self.llm_note.setWordWrap(True)
        self.notes = QLabel()
        self.notes.setObjectName("faint")
        self.notes.setWordWrap(True)
        self.notes.setTextFormat(Qt.TextFormat.PlainText)
        self.sources = QLabel()
        self.sources.setTextFormat(Qt.TextFormat.RichText)
        self.sources.setWordWrap(True)
        self.sources.linkActivated.connect(self._link)
        self.copy = QPushButton("Copy")
        self.copy.clicked.connect(self.do_copy)
        row = QHBoxLayout()
        row.addWidget(self.sources, 1)
        row.addWidget(self.copy, 0, Qt.AlignmentFlag.AlignBottom)
        lay = QVBoxLayout(frame)
        lay.setContentsMargins(10, 8, 10, 8)
        lay.setSpacing(4)
        for w in (self.header, self.text, self.checked_en, self.flags, self.llm_note, self.notes):
            lay.addWidget(w)
        lay.addLayout(row)
        frame.hide()
        self.frame = frame

    # -- open, fold, focus --
    @property
    def expanded(self) -> bool:
        return self.toggle.isChecked()

    def set_expanded(self, on: bool) -> None:
        self.toggle.setChecked(on)

    def _toggled(self, on: bool) -> None:
        self.toggle.setArrowType(Qt.ArrowType.DownArrow if on else Qt.ArrowType.RightArrow)
        self.area.setVisible(on)
        self._changed()

    def focus_draft(self) -> None:
        """Ctrl+D: open the box and put the cursor at the end of the draft."""
        self.set_expanded(True)
        self.area.ensureWidgetVisible(self.edit, 0, 0)  # a bounded box may show its result
        self.edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.edit.moveCursor(self.edit.textCursor().MoveOperation.End)

    def set_languages(self, kb_lang: str, languages: list[tuple[str, str]]) -> None:
        """(code, name) of the languages the result may be translated into; the first entry
        is always "as written" (the knowledge base's language)."""
        self.kb_lang = kb_lang
        keep = self.lang.currentData() if self.lang.count() else ""
        self.lang.clear()
        self.lang.addItem(SAME_LANGUAGE, "")
        for code, name in languages:
            if code and code != kb_lang:
                self.lang.addItem(f"In {name}", code)
        at = self.lang.findData(keep)
        self.lang.setCurrentIndex(max(0, at))

    # -- asking --
    def tone(self) -> str:
        return str(self.tone_box.currentData() or "calm")

    def set_tone(self, tone: str) -> None:
        at = self.tone_box.findData(tone)
        if at < 0:
            raise ValueError(f"unknown tone {tone!r}")
        self.tone_box.setCurrentIndex(at)

    def language(self) -> str:
        return str(self.lang.currentData() or "")

    def set_language(self, code: str) -> bool:
        at = self.lang.findData(code)
        if at >= 0:
            self.lang.setCurrentIndex(at)
        return at >= 0

    def submit(self) -> bool:
        """Rephrase what is in the box, unless it is empty or a rephrasing is running."""
        draft = self.edit.toPlainText().strip()
        if not draft or self.busy:
            return False
        self.rephrase_requested.emit(draft, self.tone(), self.language())
        return True

    def _escape(self) -> None:
        if self.busy:
            self.cancel_requested.emit()

    def set_busy(self, on: bool, message: str = WORKING) -> None:
        """A rephrasing runs (the old result goes: it is not the answer to this draft)."""
        self.busy = on
        self.go.setEnabled(not on)
        self.cancel.setEnabled(on)
        if on:
            self.clear_result()
            self.say(message)

    def say(self, message: str) -> None:
        self.status.setText(message)
        self.status.setVisible(bool(message))
        self._changed()

    # -- the result --
    def show_result(self, draft_id: str, result: Any) -> None:
        """A copilot.assist.rephrase.RephraseResult for the draft `draft_id`."""
        self.set_busy(False)
        self.say("")
        self.result, self.result_id = result, draft_id
        c = self.colors
        origin = "reworded by the local model" if result.origin == "llm" else "tone rules"
        translated = result.lang != self.kb_lang
        lang = f" · in {self.lang_name(result.lang)}" if translated else ""
        self.header.setText(f"AI rephrasing · {result.tone}{lang} · {origin}")
        self.header.setToolTip("AI output: read it before you say or send it. Every policy "
                               "fact was looked up in the knowledge base.")
        if translated:
            self.text.setText(html.escape(result.text))
            self.checked_en.setText("Checked on the text as written: "
                                    + marked_html(result.text_en, result.facts, c))
        else:
            self.text.setText(marked_html(result.text, result.facts, c))
            self.checked_en.setText("")
        self.checked_en.setVisible(translated)
        flagged = list(result.unsupported)
        tip = FLAG_TIP + ": check before you say or send it" if flagged else ""
        self.text.setToolTip(tip if not translated else "")
        self.checked_en.setToolTip(tip if translated else "")
        self.flags.setText(NOT_IN_KB + " " + ", ".join(
            f"“{f.text}” ({f.label})" for f in flagged) if flagged else "")
        self.flags.setVisible(bool(flagged))
        # The header says which text it is; a sentence only when the model's was not used.
        self.llm_note.setText(llm_status(result))
        self.llm_note.setVisible(result.llm_outcome in SAID)
        notes = other_notes(result)
        self.notes.setText("\n".join(f"Note: {n}" for n in notes))
        self.notes.setVisible(bool(notes))
        ids = list(result.sources)
        self.sources.setText(("Checked against: " + source_links(ids)) if ids else
                             ("" if result.facts else NO_FACTS))
        self.sources.setToolTip("Click to read the approved passage" if ids else "")
        self.copy.setText("Copy")
        self.copy.setToolTip(COPY_FLAGGED_TIP if flagged else
                             "Copy the rephrased text to the clipboard (nothing is sent)")
        # Nothing left of the draft (all blame): the note says why, and there is nothing to copy.
        self.copy.setEnabled(bool(result.text))
        if not result.text:
            self.text.setText(f"<i>{html.escape(NOTHING_LEFT_SHOWN)}</i>")
        self.frame.show()
        self._changed()
        if self.area.cap is not None:  # bounded: the result is what the agent asked for
            self.area.ensureWidgetVisible(self.frame, 0, 0)

    @staticmethod
    def lang_name(code: str) -> str:
        return language_name(code)

    def show_cancelled(self) -> None:
        self.set_busy(False)
        self.clear_result()
        self.say(CANCELLED)

    def show_error(self, message: str) -> None:
        self.set_busy(False)
        self.clear_result()
        self.say(f"Could not rephrase: {message}")

    def clear_result(self) -> None:
        self.result, self.result_id = None, ""
        self.frame.hide()
        self._changed()

    # -- room (ui/room.py) --
    def hidden_height(self) -> int:
        """How much of the open box the window's bound hides now (it scrolls), 0 when it shows
        whole or is folded."""
        area = self.area
        if area.cap is None or not self.expanded:
            return 0
        width = area.width()
        return max(0, area.full_height(width) - area.heightForWidth(width))

    def full_height(self) -> int:
        """The open box's whole height at its width, 0 when folded."""
        return self.area.full_height(self.area.width()) if self.expanded else 0

    def bound(self, height: int | None) -> None:
        """Let the open box take at most `height` pixels (never less than the draft and its
        buttons), scrolling beyond; None: as tall as it is."""
        if height == self.area.cap:
            return
        self.area.cap = height
        self.area.updateGeometry()
        self._changed(notify=False)

    def copy_text(self) -> str:
        return "" if self.result is None else str(self.result.text)

    def do_copy(self) -> bool:
        text = self.copy_text()
        if not text:
            return False
        QGuiApplication.clipboard().setText(text)
        self.copy.setText("Copied")
        self.copied.emit(self.result_id, text)
        return True

    def _hovered(self, href: str) -> None:
        if href.startswith("flag:"):
            QToolTip.showText(QCursor.pos(), FLAG_TIP, self)
        else:
            QToolTip.hideText()

    def _link(self, href: str) -> None:
        if href.startswith("passage:"):
            self.open_passage.emit(href.removeprefix("passage:"))

    def _changed(self, notify: bool = True) -> None:
        self.body.layout().activate()
        self.area.updateGeometry()  # its height follows the body's (BoundedArea)
        parent = self.parentWidget()
        if parent is not None and parent.layout() is not None:
            parent.layout().activate()  # the new height is known when the window asks
        if notify:
            self.content_changed.emit()
