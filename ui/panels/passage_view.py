"""The approved passage a card or suggestion cites, to read in full (one window, reused)."""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QTextBrowser, QVBoxLayout, QWidget


def passage_html(passage: Any) -> str:
    """Escaped: knowledge files are text written by people, shown as text."""
    paras = "".join(f"<p>{html.escape(p.strip())}</p>"
                    for p in passage.text.split("\n\n") if p.strip())
    lines = "".join(f"<li>{html.escape(line)}</li>" for line in passage.approved_lines)
    approved = (f"<p><b>Approved lines</b> (may be said as written)</p><ul>{lines}</ul>"
                if lines else "")
    return (f"<h3>[{html.escape(passage.id)}] {html.escape(passage.title)}</h3>{paras}{approved}"
            f"<p style='color:gray'>From {html.escape(passage.source)}</p>")


class PassageView(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Approved passage")
        self.setModal(False)
        self.resize(560, 420)
        self.passage_id = ""
        self.text = QTextBrowser()
        self.text.setOpenLinks(False)
        self.missing = QLabel("")
        self.missing.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        lay = QVBoxLayout(self)
        lay.addWidget(self.text, 1)
        lay.addWidget(self.missing)
        lay.addWidget(buttons)

    def show_passage(self, passage_id: str, passage: Any) -> None:
        self.passage_id = passage_id
        if passage is None:
            self.text.clear()
            self.missing.setText(f"Passage {passage_id} is not in the loaded knowledge base "
                                 "(it may have been removed or renamed).")
            self.missing.show()
        else:
            self.missing.hide()
            self.text.setHtml(passage_html(passage))
        self.setWindowTitle(f"Approved passage {passage_id}")
        self.show()
        self.raise_()
        self.activateWindow()
        self.text.setFocus(Qt.FocusReason.OtherFocusReason)
