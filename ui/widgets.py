"""Small widgets more than one panel uses."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLineEdit, QToolButton, QWidget


class SearchField(QLineEdit):
    """A search box that Esc clears, and nothing else: Esc must act only on what has the focus
    (a window-wide Esc once dismissed the top card while the agent was typing elsewhere).
    Given `leave_to`, Esc also hands the keyboard focus there: the search is over."""

    escaped = Signal()

    def __init__(self, parent: QWidget | None = None, *, leave_to: QWidget | None = None) -> None:
        super().__init__(parent)
        self.leave_to = leave_to

    def event(self, e: QEvent) -> bool:
        if (e.type() == QEvent.Type.ShortcutOverride and isinstance(e, QKeyEvent)
                and e.key() == Qt.Key.Key_Escape):
            e.accept()  # the key comes to this box as a key press, never to a shortcut
            return True
        return super().event(e)

    def keyPressEvent(self, e: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        if e.key() == Qt.Key.Key_Escape and e.modifiers() == Qt.KeyboardModifier.NoModifier:
            self.clear()
            if self.leave_to is not None:
                self.leave_to.setFocus(Qt.FocusReason.OtherFocusReason)
            e.accept()
            self.escaped.emit()
            return
        super().keyPressEvent(e)


class FoldButton(QToolButton):
    """Hide / Show on a panel's heading line (the summary, the checklist). A folded panel is its
    heading line alone, and it gives up its height to the suggested line and card: so the
    button is no taller than the heading's text (theme.py, QToolButton#fold), not a full
    button's height."""

    def __init__(self, tip: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("fold")
        self.setCheckable(True)
        self.setText("Hide")
        self.setToolTip(tip)
        self.toggled.connect(lambda folded: self.setText("Show" if folded else "Hide"))
