"""A scroll area of stacked items (the checklist's) that never shows an item cut: as tall as its
items up to a bound, then only as tall as the last item that fits whole below it; scrolled, the
item below the last whole one is masked rather than shown in half; the wheel moves the items an
item at a time. An item cut at the area's edge reads as the end of the list, or as another item,
where whole items and a scroll bar say there is more (tests/ui/test_checklist_whole_rows.py).

An item is a widget added to `items_layout` with any widgets that go with it (a detail line, a
flag) marked `trailing`: those never start an item of their own where the area could end.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QRegion
from PySide6.QtWidgets import QFrame, QScrollArea, QVBoxLayout, QWidget


class WholeItemsArea(QScrollArea):
    def __init__(self, max_lines: int, has_items: Callable[[], bool],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.max_lines = max_lines
        self._has_items = has_items  # refit on a new width only while there are items
        self.items = QWidget()
        self.items_layout = QVBoxLayout(self.items)
        self.items_layout.setContentsMargins(6, 4, 6, 4)  # off the scroll area's edge
        self.items_layout.setSpacing(2)
        self.setWidget(self.items)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        # Every text in it wraps, so nothing is wider than the column: never scrolled sideways.
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.viewport().installEventFilter(self)
        self.verticalScrollBar().valueChanged.connect(self.clip)
        self._width = 0  # the viewport's width at the last fit
        self.trailing: set[QWidget] = set()  # widgets that belong to the item above them

    def fit(self) -> None:
        """As tall as the items, up to `max_lines` lines of text, and then to the last whole
        item; they scroll beyond. Hidden too (items still change): shown again, it has it."""
        if self.isVisible():
            self._width = self.viewport().width()
        self.setFixedHeight(self.fitted_height())
        QTimer.singleShot(0, self, self.clip)  # once the area has its new height

    def clip(self, *_: Any) -> None:
        """Scrolled, the items in view seldom fill the area exactly: the one below the last
        whole item is hidden (the viewport masked at that item's end), never shown cut."""
        viewport = self.viewport()
        value, height = self.verticalScrollBar().value(), viewport.height()
        ends = [e - value for e in self.item_ends(self.column_width()) if e > value]
        whole = [e for e in ends if e <= height]
        if not whole or whole[-1] >= height or len(whole) == len(ends):
            viewport.clearMask()
        else:
            viewport.setMask(QRegion(0, 0, viewport.width(), whole[-1]))

    def column_width(self) -> int:
        """The items' width: the viewport's while shown, the last one it had while hidden (a
        hidden area's own is no measure), 0 before it was ever laid out."""
        return self.viewport().width() if self.isVisible() else self._width

    def fitted_height(self) -> int:
        full = self._items_height()
        # (lines of the text around it: the panel's font, which its items take)
        owner = self.parentWidget() or self
        most = owner.fontMetrics().lineSpacing() * self.max_lines + 8
        if full <= most:
            return full
        ends = self.item_ends(self.column_width() or self.viewport().width())
        whole = [end for end in ends if end <= most]
        # An item taller than the bound on its own (a long text wrapped in a narrow column) is
        # still shown whole: the bound is room for what is below, a cut item is no use to anyone.
        return whole[-1] if whole else (ends[0] if ends else most)

    def item_ends(self, width: int) -> list[int]:
        """Where each item (with its trailing widgets) ends in the items' area at `width`, top
        to bottom: the edges the area may stop at. The layout stacks them at their heights for
        the width, spaced."""
        lay = self.items_layout
        m = lay.contentsMargins()
        inner = width - m.left() - m.right()
        y, ends, first = m.top(), [], True
        for i in range(lay.count()):
            w = lay.itemAt(i).widget()
            if w is None or w.isHidden():
                continue  # the stretch, and what the layout leaves out
            if not first:
                if w not in self.trailing:
                    ends.append(y)  # the item above ends here
                y += lay.spacing()
            y += w.heightForWidth(inner) if w.hasHeightForWidth() else w.sizeHint().height()
            first = False
        ends.append(y)
        return ends

    def _items_height(self) -> int:
        """The items' height at the column's width: a text wrapped onto more lines in a
        narrow column takes them. Before the column has a width, their one-line height."""
        hint = self.items.sizeHint().height()
        width = self.column_width()
        if width <= 0 or not self.items.hasHeightForWidth():
            return hint
        return max(hint, self.items.heightForWidth(width))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        # A wider or narrower column wraps the texts onto fewer or more lines: fit again. The
        # height alone changing is the fit itself, and needs nothing.
        if (watched is self.viewport() and event.type() == QEvent.Type.Resize
                and self.viewport().width() != self._width and self._has_items()):
            QTimer.singleShot(0, self, self.fit)
        if watched is self.viewport() and event.type() == QEvent.Type.Wheel:
            return self._wheel(event.angleDelta().y())
        return super().eventFilter(watched, event)

    def _wheel(self, delta: int) -> bool:
        """The wheel moves the items an item at a time, to where one starts: scrolled by
        pixels (three lines a notch) the top item was left cut in half, which reads as a
        different item. The last position shows the last item whole at the bottom."""
        bar = self.verticalScrollBar()
        if delta == 0 or bar.maximum() <= 0:
            return False  # nothing to scroll: the column may take the wheel
        value = bar.value()
        starts = [0, *self.item_ends(self.column_width())[:-1]]
        if delta < 0:  # towards the end
            later = [s for s in starts if s > value]
            bar.setValue(min(later[0], bar.maximum()) if later else bar.maximum())
        else:
            earlier = [s for s in starts if s < value]
            bar.setValue(earlier[-1] if earlier else 0)
        self.clip()
        return True
