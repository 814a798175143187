"""A scroll area as tall as what it holds, wrapped at its width, up to a height the window may set:
the open draft box (ui/panels/draft_box.py) yields room to the customer's line this way
(ui/room.py), its draft and buttons always whole."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QFrame, QScrollArea, QWidget


class BoundedArea(QScrollArea):
    """As tall as its contents at the column's width (their texts wrap), or `cap` pixels when
    the window bounds it, never less than `floor` (a widget at the top of the contents, always
    shown whole): beyond, it scrolls, its scroll bar showing that there is more. (A plain
    scroll area sizes itself by the unwrapped text, and would clip or pad what it holds.)"""

    def __init__(self, floor: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.cap: int | None = None
        self._floor = floor  # the part always shown whole, from the top
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

    def floor(self) -> int:
        """The height down to the floor widget's bottom (the draft box's draft, tone and
        Rephrase: the agent can always type and ask)."""
        inner = self.widget()
        top = inner.layout().contentsMargins().top() if inner is not None else 0
        return top + self._floor.sizeHint().height()

    def full_height(self, width: int) -> int:
        """The contents' whole height at `width` (the area's)."""
        inner = self.widget()
        if inner is None:
            return 0
        return inner.heightForWidth(width) if inner.hasHeightForWidth() else \
            inner.sizeHint().height()

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt's name
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt's name
        full = self.full_height(width)
        if self.cap is None or full <= self.cap:
            return full
        # Under the draft, a sliver of the result would be a line cut in half: it starts below
        # the edge instead, and the scroll bar says it is there.
        floor = self.floor()
        sliver = 2 * self.fontMetrics().lineSpacing() + 12
        return floor if self.cap < floor + sliver else self.cap

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        hint = super().sizeHint()
        return QSize(hint.width(), self.heightForWidth(max(1, self.width())))

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        # The height goes by heightForWidth. The width is the box's own, and the scroll bar's
        # beside it: bounded, the bar must not push Rephrase out of the column.
        inner = self.widget()
        least = inner.minimumSizeHint().width() if inner is not None else 0
        return QSize(least + self.verticalScrollBar().sizeHint().width(), 0)
