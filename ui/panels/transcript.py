"""The live transcript: both speakers, partials replaced in place, translations, masked spans,
search within the call, and auto-scroll that pauses while the agent reads back.

One caption is one text block of a QTextDocument, found again by its id, so a partial's update
or its final edits that block alone (no re-rendering of the call, however long it gets). A
translation goes inside its caption's block, on a second line.
"""

from __future__ import annotations

import re

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QTextBlock, QTextBlockFormat, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from copilot.events import Caption, Translation
from copilot.privacy.payment import PAYMENT_MODE_TEXT
from ui.panels.call_bar import clock_text
from ui.theme import LIGHT, Colors
from ui.widgets import SearchField

# What redaction and payment mode put in place of what was said (copilot.privacy): drawn as gray
# pills so the agent sees at a glance that something was hidden, and never mistakes a mask for the
# customer's words.
MASK = re.compile(r"\[(?:card ending \d{4}|card number|security code|SSN|REDACTED)\]|"
                  + re.escape(PAYMENT_MODE_TEXT))
SPEAKERS = {"agent": "Agent", "customer": "Customer", "mono": "Call"}
FOLLOW_SLACK = 6  # pixels from the bottom that still count as "at the bottom"
LINE_SEPARATOR = "\u2028"  # a new line inside the same block


class TranscriptView(QWidget):
    follow_changed = Signal(bool)

    def __init__(self, colors: Colors = LIGHT, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.colors = colors
        self.show_translations = True
        self.follow = True
        self._inserting = False
        self._blocks: dict[str, QTextBlock] = {}
        self._captions: dict[str, Caption] = {}
        self._translations: dict[str, Translation] = {}

        self.text = QTextEdit()
        self.text.setReadOnly(True)
        self.text.setAccessibleName("transcript")
        self.text.setUndoRedoEnabled(False)  # an undo stack of every partial would only grow
        self.text.document().setDocumentMargin(8)
        # Esc clears the search and hands the keys back to the transcript (never to a card).
        self.search = SearchField(leave_to=self.text)
        self.search.setPlaceholderText("Search this call (Ctrl+F)")
        self.search.setToolTip("Enter finds the next match; Esc clears the search")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        self.search.returnPressed.connect(self.find_next)
        self.search.escaped.connect(self._search_cleared)
        self.matches = QLabel("")
        self.matches.setObjectName("muted")
        self.translations_box = QCheckBox("Translations")
        self.translations_box.setChecked(True)
        self.translations_box.toggled.connect(self.set_translations_visible)
        self.jump = QPushButton("↓ Latest")
        self.jump.setToolTip("Auto-scroll is paused while you read back; click to resume")
        self.jump.clicked.connect(self.resume_follow)
        self.jump.hide()
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(150)
        self._search_timer.timeout.connect(self._highlight)

        head = QHBoxLayout()
        title = QLabel("Transcript")
        title.setObjectName("heading")
        head.addWidget(title)
        head.addStretch(1)
        head.addWidget(self.translations_box)
        head.addWidget(self.search, 2)
        head.addWidget(self.matches)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addLayout(head)
        lay.addWidget(self.text, 1)
        lay.addWidget(self.jump, 0, Qt.AlignmentFlag.AlignRight)
        self.text.verticalScrollBar().valueChanged.connect(self._scrolled)

    # -- events --
    def show_caption(self, caption: Caption) -> None:
        old = self._captions.get(caption.id)
        if old is not None and old.final and not caption.final:
            return  # a late partial never replaces its final
        if caption.final and not caption.text:
            self._remove(caption.id)  # a retraction: the partial was nothing after all
            return
        self._captions[caption.id] = caption
        self._render(caption.id)
        if caption.final and self.search.text():
            self._search_timer.start()

    def show_translation(self, tr: Translation) -> None:
        self._translations[tr.of] = tr
        if tr.of in self._blocks:
            self._render(tr.of)

    def set_translations_visible(self, on: bool) -> None:
        self.show_translations = on
        for cid in list(self._translations):
            if cid in self._blocks:
                self._render(cid)

    def clear(self) -> None:
        self.text.clear()
        self._blocks.clear()
        self._captions.clear()
        self._translations.clear()
        self.resume_follow()

    def caption_count(self) -> int:
        return len(self._blocks)

    def plain_text(self) -> str:
        return self.text.toPlainText().replace(LINE_SEPARATOR, "\n")

    # -- drawing --
    def set_colors(self, colors: Colors) -> None:
        """The theme changed while the window is open: every caption shown is written again in
        the new colours (they are set per caption as it is written)."""
        self.colors = colors
        for cid in list(self._captions):
            self._render(cid)

    def _render(self, cid: str) -> None:
        caption = self._captions[cid]
        self._inserting = True
        try:
            doc = self.text.document()
            block = self._blocks.get(cid)
            if block is None or not block.isValid():
                cur = QTextCursor(doc)
                cur.movePosition(QTextCursor.MoveOperation.End)
                cur.insertBlock()  # the first block stays empty (see _remove)
                block = cur.block()
                self._blocks[cid] = block
            cur = QTextCursor(block)
            cur.movePosition(QTextCursor.MoveOperation.EndOfBlock,
                             QTextCursor.MoveMode.KeepAnchor)
            cur.removeSelectedText()
            cur.setBlockFormat(self._block_format(caption))
            self._write(cur, caption)
        finally:
            self._inserting = False
        if self.follow:
            self._scroll_to_end()

    def _block_format(self, caption: Caption) -> QTextBlockFormat:
        fmt = QTextBlockFormat()
        fmt.setTopMargin(4)
        fmt.setBottomMargin(4)
        fmt.setLeftMargin(4)
        if caption.channel == "customer":
            fmt.setBackground(QColor(self.colors.customer_bg))
        return fmt

    def _write(self, cur: QTextCursor, caption: Caption) -> None:
        c = self.colors
        customer = caption.channel == "customer"
        who = QTextCharFormat()
        who.setFontWeight(QFont.Weight.Bold)
        who.setForeground(QColor(c.accent if customer else c.muted))
        cur.insertText(SPEAKERS.get(caption.channel, caption.channel.title()), who)
        when = QTextCharFormat()
        when.setForeground(QColor(c.faint))
        cur.insertText(f"  {clock_text(caption.start)}   ", when)
        body = QTextCharFormat()
        body.setForeground(QColor(c.text if customer else c.muted))
        if not caption.final:
            body.setFontItalic(True)
            body.setForeground(QColor(c.faint))
        self._insert_masked(cur, caption.text, body)
        if not caption.final:
            cur.insertText(" …", body)
        tr = self._translations.get(caption.id)
        if tr is not None and self.show_translations and caption.final:
            note = QTextCharFormat()
            note.setForeground(QColor(c.muted))
            note.setFontItalic(True)
            cur.insertText(f"{LINE_SEPARATOR}↳ {tr.lang} · AI translation: ", note)
            plain = QTextCharFormat()
            plain.setForeground(QColor(c.text))
            self._insert_masked(cur, tr.text, plain)

    def _insert_masked(self, cur: QTextCursor, text: str, fmt: QTextCharFormat) -> None:
        pos = 0
        for m in MASK.finditer(text):
            if m.start() > pos:
                cur.insertText(text[pos:m.start()], fmt)
            pill = QTextCharFormat(fmt)
            pill.setBackground(QColor(self.colors.pill_bg))
            pill.setForeground(QColor(self.colors.pill_text))
            pill.setFontItalic(False)
            pill.setToolTip("hidden: not stored, not shown, not given to any model")
            # Thin spaces inside the pill: the gray reads as a token, not as highlighted words.
            cur.insertText(f"\u2009{m.group(0)[1:-1]}\u2009", pill)
            pos = m.end()
        if pos < len(text):
            cur.insertText(text[pos:], fmt)

    def _remove(self, cid: str) -> None:
        block = self._blocks.pop(cid, None)
        self._captions.pop(cid, None)
        self._translations.pop(cid, None)
        if block is None or not block.isValid():
            return
        # Every caption block has a block before it (the document's first block stays empty),
        # so removing one is always "from the end of the previous block to the end of this".
        prev = block.previous()
        self._inserting = True
        try:
            cur = QTextCursor(block)
            cur.setPosition(prev.position() + prev.length() - 1)
            cur.setPosition(block.position() + block.length() - 1,
                            QTextCursor.MoveMode.KeepAnchor)
            cur.removeSelectedText()
        finally:
            self._inserting = False

    # -- scrolling --
    def _scroll_to_end(self) -> None:
        bar = self.text.verticalScrollBar()
        self._inserting = True
        bar.setValue(bar.maximum())
        self._inserting = False

    def _scrolled(self, value: int) -> None:
        if self._inserting:
            return
        bar = self.text.verticalScrollBar()
        follow = value >= bar.maximum() - FOLLOW_SLACK
        if follow != self.follow:
            self.follow = follow
            self.jump.setVisible(not follow)
            self.follow_changed.emit(follow)

    def resume_follow(self) -> None:
        self.follow = True
        self.jump.hide()
        self._scroll_to_end()
        self.follow_changed.emit(True)

    # -- search --
    def _match_cursors(self) -> list[QTextCursor]:
        needle = self.search.text().strip()
        if not needle:
            return []
        doc = self.text.document()
        found: list[QTextCursor] = []
        cur = doc.find(needle, 0)
        while not cur.isNull() and len(found) < 1000:
            found.append(cur)
            cur = doc.find(needle, cur)
        return found

    def _highlight(self) -> list[QTextCursor]:
        found = self._match_cursors()
        selections = []
        for cur in found:
            sel = QTextEdit.ExtraSelection()
            sel.cursor = cur
            sel.format.setBackground(QColor(self.colors.highlight))
            selections.append(sel)
        self.text.setExtraSelections(selections)
        needle = self.search.text().strip()
        self.matches.setText("" if not needle else
                             f"{len(found)} match{'es' if len(found) != 1 else ''}")
        return found

    def find_next(self) -> bool:
        """Move to the next match after the cursor (wrapping); auto-scroll pauses there."""
        found = self._highlight()
        if not found:
            return False
        here = self.text.textCursor().selectionEnd()
        target = next((c for c in found if c.selectionStart() >= here), found[0])
        self.text.setTextCursor(target)
        self.text.ensureCursorVisible()
        return True

    def _search_cleared(self) -> None:
        """Esc in the search: no match stays marked or selected (at once, not after the
        typing delay)."""
        self._search_timer.stop()
        self._highlight()
        cur = self.text.textCursor()
        cur.clearSelection()
        self.text.setTextCursor(cur)

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()
