"""The Practice tab's widgets, laid out: the scenario bar on top, and the session view (the
conversation, the answer box with Send and Speak, the checklist or scorecard beside them).
They hold no practice logic: the tab (tab.py) drives them."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent, QTextCursor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)


class AnswerBox(QPlainTextEdit):
    """A few lines to type an answer in: Enter sends, Shift+Enter starts a new line."""

    submitted = Signal()

    def keyPressEvent(self, e: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        if e.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not (
                e.modifiers() & Qt.KeyboardModifier.ShiftModifier):
            self.submitted.emit()
            return
        super().keyPressEvent(e)


class ScenarioBar(QWidget):
    """Scenario picker, AI-customer switch, Start and End, and the chosen scenario's summary."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.picker = QComboBox()
        self.picker.setAccessibleName("scenario")
        self.picker.setMinimumContentsLength(28)
        self.start_button = QPushButton("Start practice")
        self.start_button.setObjectName("primary")
        self.end_button = QPushButton("End practice")
        self.end_button.setToolTip("Stop now and get the scorecard (marked as stopped)")
        self.ai_customer = QCheckBox("AI customer")
        self.ai_customer.setChecked(True)
        self.ai_customer.setToolTip("Let the local LLM word the customer's lines (checked "
                                    "against the scenario; the script is used when it strays)")
        self.about = QLabel("")
        self.about.setWordWrap(True)
        self.about.setTextFormat(Qt.TextFormat.RichText)
        head = QHBoxLayout()
        label = QLabel("Scenario")
        label.setObjectName("heading")
        head.addWidget(label)
        head.addWidget(self.picker, 1)
        head.addWidget(self.ai_customer)
        head.addWidget(self.start_button)
        head.addWidget(self.end_button)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addLayout(head)
        lay.addWidget(self.about)


class SessionView(QSplitter):
    """The conversation and the answer row on the left, the checklist (then the scorecard) on
    the right."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.conversation = QTextBrowser()
        self.conversation.setAccessibleName("practice conversation")
        self.conversation.setOpenLinks(False)
        self.checklist = QTextBrowser()
        self.checklist.setAccessibleName("criteria and scorecard")
        self.answer_box = AnswerBox()
        self.answer_box.setAccessibleName("your answer")
        self.answer_box.setPlaceholderText("Type your answer; Enter sends, Shift+Enter for a "
                                           "new line")
        self.answer_box.setTabChangesFocus(True)
        lines = self.answer_box.fontMetrics().lineSpacing()
        self.answer_box.setFixedHeight(int(lines * 3.6))  # three lines, in the font's units
        self.send_button = QPushButton("Send")
        self.speak_button = QPushButton("Speak")
        self.hint = QLabel("")
        self.hint.setObjectName("muted")
        self.hint.setWordWrap(True)

        answer_row = QHBoxLayout()
        answer_row.addWidget(self.answer_box, 1)
        buttons = QVBoxLayout()
        buttons.addWidget(self.send_button)
        buttons.addWidget(self.speak_button)
        buttons.addStretch(1)
        answer_row.addLayout(buttons)
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addWidget(self.conversation, 1)
        ll.addWidget(self.hint)
        ll.addLayout(answer_row)
        self.addWidget(left)
        self.addWidget(self.checklist)
        self.setStretchFactor(0, 3)
        self.setStretchFactor(1, 2)
        self.setChildrenCollapsible(False)

    def append(self, html: str) -> None:
        """Add to the end of the conversation and scroll to it."""
        cur = self.conversation.textCursor()
        cur.movePosition(QTextCursor.MoveOperation.End)
        cur.insertHtml(html)
        cur.insertBlock()
        bar = self.conversation.verticalScrollBar()
        bar.setValue(bar.maximum())
