"""First run without a speech model: what is missing, how to install it, and the demo that works
anyway (the demo call's written transcript with live knowledge cards and suggestions)."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QLabel, QPushButton, QVBoxLayout, QWidget

INSTALL_STEPS = (
    "Ask your supervisor for the site's model pack and install it with Tools > Model packs > "
    "Install from file (or in a terminal):",
    "copilot pack install SITE.pack.tar      (from a source checkout: ./dev setup)",
    "Sites without internet: install from the offline bundle your supervisor provides.",
    "Then click \"Check again\". The app itself never downloads anything.",
)


class FirstRunScreen(QFrame):
    demo_requested = Signal()
    retry_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("panel")
        title = QLabel("No speech model is installed yet")
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        title.setFont(font)
        self.reason = QLabel("")
        self.reason.setObjectName("muted")
        self.reason.setWordWrap(True)
        steps = QLabel(
            f"<p>{html.escape(INSTALL_STEPS[0])}</p>"
            f"<pre>  {html.escape(INSTALL_STEPS[1])}</pre>"
            f"<p>{html.escape(INSTALL_STEPS[2])}</p><p>{html.escape(INSTALL_STEPS[3])}</p>")
        steps.setTextFormat(Qt.TextFormat.RichText)
        steps.setWordWrap(True)
        steps.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.demo = QPushButton("Open the demo call")
        self.demo.setObjectName("primary")
        self.demo.setToolTip("The bundled demo call's transcript, with knowledge cards and "
                             "suggestions; needs no model")
        self.demo.clicked.connect(self.demo_requested)
        self.retry = QPushButton("Check again")
        self.retry.clicked.connect(self.retry_requested)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(32, 24, 32, 24)
        lay.addStretch(1)
        lay.addWidget(title)
        lay.addWidget(self.reason)
        lay.addSpacing(8)
        lay.addWidget(steps)
        lay.addSpacing(8)
        lay.addWidget(self.demo, 0, Qt.AlignmentFlag.AlignLeft)
        lay.addWidget(self.retry, 0, Qt.AlignmentFlag.AlignLeft)
        lay.addStretch(2)

    def set_reason(self, message: str) -> None:
        self.reason.setText(message)
