"""Tab follows what the agent sees: the keyboard order of a column, top to bottom.

Qt's Tab order is the order widgets were made in. The assistance column's lines, cards and
checklist items are made during the call, long after the summary's Hide button, so Tab went from
the search box and the draft to the summary, then back up to the checklist's items, then the
knowledge card, and only then to the suggested line above it (a walk-through by keyboard).
`follow_layout` chains a column's focusable widgets in the order they stand on screen; the room
keeper (ui/room.py) calls it after each fit, when what is shown has settled.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QWidget

__all__ = ["follow_layout"]


def follow_layout(column: QWidget) -> list[QWidget]:
    """Chain `column`'s visible widgets that take Tab in their on-screen order (top to bottom,
    then left to right); returns that order."""
    shown = [w for w in column.findChildren(QWidget)
             if w.isVisibleTo(column) and w.isEnabled()
             and w.focusPolicy() & Qt.FocusPolicy.TabFocus and w.focusProxy() is None]
    order = sorted(shown, key=lambda w: _place(column, w))
    for before, after in zip(order, order[1:], strict=False):
        QWidget.setTabOrder(before, after)
    return order


def _place(column: QWidget, widget: QWidget) -> tuple[int, int]:
    at = widget.mapTo(column, QPoint(0, 0))
    return at.y(), at.x()
