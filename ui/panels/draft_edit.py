"""The draft box's text field: keys that belong to the box, never to the window.

Ctrl+Enter in the window starts or stops the call; typed in the draft it must rephrase instead,
so the field takes the key before the window's shortcut sees it (Qt's ShortcutOverride). Esc
cancels a rephrasing in progress and goes no further. Tab moves on (a draft has no use for tab
characters)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QPlainTextEdit, QWidget


class DraftEdit(QPlainTextEdit):
    """The draft. Ctrl+Enter rephrases (the window's Ctrl+Enter would stop the call: never from
    here), Esc cancels a rephrasing in progress, Tab moves on. About three lines tall."""

    submit = Signal()
    escape = Signal()
    LINES = 3

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTabChangesFocus(True)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)

    def _is_submit(self, e: QKeyEvent) -> bool:
        return (e.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
                and bool(e.modifiers() & Qt.KeyboardModifier.ControlModifier))

    def event(self, e: QEvent) -> bool:
        if e.type() == QEvent.Type.ShortcutOverride and isinstance(e, QKeyEvent) and (
                self._is_submit(e) or e.key() == Qt.Key.Key_Escape):
            e.accept()  # comes to this box as a key press, not to the window's shortcut
            return True
        return super().event(e)

    def keyPressEvent(self, e: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        if self._is_submit(e):
            self.submit.emit()
            e.accept()
            return
        if e.key() == Qt.Key.Key_Escape:
            self.escape.emit()
            e.accept()
            return
        super().keyPressEvent(e)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        lines = self.fontMetrics().lineSpacing() * self.LINES
        margins = self.contentsMargins()
        frame = int(2 * self.document().documentMargin())
        return QSize(super().sizeHint().width(), lines + frame + margins.top()
                     + margins.bottom() + 2)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return self.sizeHint()
