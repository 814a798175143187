"""A disabled button must look disabled, whatever its style when enabled (issue: a disabled Start
looked clickable and Delete stayed bright red during a call)."""

from __future__ import annotations

import pytest
from dialog_screenshots import kept_look
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication, QPushButton

from ui import theme


def _background(qtbot, name: str, enabled: bool) -> QColor:
    b = QPushButton("Delete…")
    b.setObjectName(name)
    b.setEnabled(enabled)
    b.resize(120, 32)
    qtbot.addWidget(b)
    image = b.grab().toImage()
    return image.pixelColor(image.width() // 8, image.height() // 2)  # left of the text


@pytest.mark.parametrize("look", ["light", "dark"])
@pytest.mark.parametrize("name", ["danger", "primary", ""])
def test_disabled_buttons_lose_their_colour(qtbot, look: str, name: str) -> None:
    app = QApplication.instance()
    with kept_look(app):
        colors = theme.apply(app, look, 1.0)
        on, off = _background(qtbot, name, True), _background(qtbot, name, False)
        window = QColor(colors.window)
        assert off != on or not name  # a coloured button changes when disabled
        # A disabled one of any style sits on the window's colour, like a flat, inert control.
        assert max(abs(off.red() - window.red()), abs(off.green() - window.green()),
                   abs(off.blue() - window.blue())) <= 8, (off.name(), window.name())
