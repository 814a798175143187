"""The running summary, updated in place: reason, facts, actions, open items, next steps."""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ui.widgets import FoldButton

SECTIONS = (("facts", "Facts"), ("actions", "Actions taken"), ("open", "Open items"),
            ("next", "Next steps"))
WAITING = "The summary appears once the customer has said why they call."
EDGE, FOLDED_EDGE = 8, 4  # the margin above and below the contents, unfolded and folded


def summary_html(sections: dict[str, Any]) -> str:
    """The summary as simple HTML (escaped: model output is text, never markup)."""
    parts = [f"<p><b>Reason:</b> {html.escape(str(sections.get('reason') or '(not yet clear)'))}"
             "</p>"]
    for key, title in SECTIONS:
        items = [str(i) for i in (sections.get(key) or []) if str(i).strip()]
        if items:
            lis = "".join(f"<li>{html.escape(i)}</li>" for i in items)
            parts.append(f"<p style='margin-bottom:0'><b>{title}</b></p>"
                         f"<ul style='margin-top:0'>{lis}</ul>")
    return "".join(parts)


class SummaryPanel(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("panel")
        self.version = 0
        self.heading = QLabel("Summary")
        self.heading.setObjectName("heading")
        self.ai = QLabel("AI-generated")
        self.ai.setObjectName("aiLabel")
        self.body = QLabel(WAITING)
        self.body.setObjectName("muted")
        self.body.setWordWrap(True)
        self.body.setTextFormat(Qt.TextFormat.PlainText)
        self.body.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.body.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        # The summary yields room to the lines and cards (what the agent reads mid-call): the
        # window shrinks it when they need the space, and the agent can fold it away.
        self.fold = FoldButton("Fold the summary away to give the cards more room")
        self.fold.toggled.connect(self.set_folded)
        self.folded_by_agent = False  # the agent chose: the window no longer folds or unfolds
        self.fold.clicked.connect(lambda: setattr(self, "folded_by_agent", True))
        head = QHBoxLayout()
        head.addWidget(self.heading, 1)
        head.addWidget(self.fold)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(10, EDGE, 10, EDGE)
        lay.addLayout(head)
        lay.addWidget(self.ai)
        # A long call's summary (or a 200 % font) outgrows the pane: it scrolls, never clips.
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self.body)
        scroll.viewport().setStyleSheet("background: transparent;")  # the card's own colour
        self.scroll = scroll
        lay.addWidget(scroll, 1)

    @property
    def folded(self) -> bool:
        return self.fold.isChecked()

    def set_folded(self, folded: bool) -> None:
        self.fold.setChecked(folded)
        self.ai.setVisible(not folded)
        self.scroll.setVisible(not folded)
        # Folded, it is one line yielding its room to the cards: no more margin than that.
        edge = FOLDED_EDGE if folded else EDGE
        self.layout().setContentsMargins(10, edge, 10, edge)

    def open_height(self) -> int:
        """The least height the summary takes unfolded (its heading and a line or two of it,
        scrolling), folded or not: the window weighs unfolding it without unfolding it to see
        (ui/room.py)."""
        if not self.folded:
            return self.minimumSizeHint().height()
        return (self.minimumSizeHint().height() + 2 * self.layout().spacing()
                + self.ai.minimumSizeHint().height() + self.scroll.minimumSizeHint().height()
                + 2 * (EDGE - FOLDED_EDGE))

    def show_summary(self, summary: Any) -> None:
        """A copilot.events.Summary; an older version arriving late is ignored."""
        if summary.version < self.version:
            return
        self.version = summary.version
        self.heading.setText(f"Summary (v{summary.version})")
        self.body.setObjectName("")
        self.body.setTextFormat(Qt.TextFormat.RichText)
        self.body.setText(summary_html(summary.sections))
        self.body.style().unpolish(self.body)
        self.body.style().polish(self.body)

    def clear(self) -> None:
        self.version = 0
        self.heading.setText("Summary")
        self.body.setObjectName("muted")
        self.body.setTextFormat(Qt.TextFormat.PlainText)
        self.body.setText(WAITING)
        self.body.style().unpolish(self.body)
        self.body.style().polish(self.body)
