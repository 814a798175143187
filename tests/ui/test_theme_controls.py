"""An unticked check box can be seen in both themes (issue 15: in the dark theme the checklist's
boxes were barely visible): its outline stands out from the panel behind it at 3:1 or more
(WCAG 1.4.11, non-text contrast), measured on the pixels drawn."""

from __future__ import annotations

import pytest
from dialog_screenshots import kept_look
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QStyle,
    QStyleOptionButton,
    QVBoxLayout,
    QWidget,
)

from copilot.events import ChecklistEvent
from ui import theme
from ui.panels.checklist_panel import ChecklistPanel


def _luminance(c: QColor) -> float:
    def channel(v: int) -> float:
        v = v / 255
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(c.red()) + 0.7152 * channel(c.green()) + 0.0722 * channel(c.blue())


def contrast(a: QColor, b: QColor) -> float:
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def _outline_contrast(box: QCheckBox, behind: QColor) -> float:
    """The best contrast against `behind` among the pixels of the box's outline."""
    opt = QStyleOptionButton()
    box.initStyleOption(opt)
    rect = box.style().subElementRect(QStyle.SubElement.SE_CheckBoxIndicator, opt, box)
    image = box.grab().toImage()
    ratio = 1.0
    ratio_at = lambda x, y: contrast(QColor(image.pixel(x, y)), behind)  # noqa: E731
    for x in range(rect.left(), rect.right() + 1):
        for y in (rect.top(), rect.bottom()):
            ratio = max(ratio, ratio_at(x, y))
    for y in range(rect.top(), rect.bottom() + 1):
        for x in (rect.left(), rect.right()):
            ratio = max(ratio, ratio_at(x, y))
    return ratio


@pytest.mark.parametrize("scale", [1.0, 1.5])
@pytest.mark.parametrize("look", ["light", "dark"])
def test_an_unticked_checklist_box_has_a_visible_outline(qtbot, look, scale):
    app = QApplication.instance()
    with kept_look(app):
        colors = theme.apply(app, look, scale)
        # The checklist in the assistance column, as in the window.
        column = QWidget()
        column.setObjectName("root")
        qtbot.addWidget(column)
        panel = ChecklistPanel()
        QVBoxLayout(column).addWidget(panel)
        column.resize(500, 300)
        column.show()
        qtbot.waitExposed(column)
        panel.show_event(ChecklistEvent("items", "demo", 0.0, items=(
            {"id": "recorded", "text": "Tell the customer the call is recorded"},)))
        box = panel.row("recorded").box
        qtbot.waitUntil(lambda: box.visibleRegion().boundingRect() == box.rect())
        assert not box.isChecked()
        assert _outline_contrast(box, QColor(colors.panel)) >= 3.0
        assert _outline_contrast(box, QColor(colors.window)) >= 3.0  # a box on the window too


@pytest.mark.parametrize("look", ["light", "dark"])
def test_the_outline_colour_itself_has_the_contrast(look):
    c = theme.DARK if look == "dark" else theme.LIGHT
    for behind in (c.panel, c.window):
        assert contrast(QColor(c.control), QColor(behind)) >= 3.0
