"""The Settings dialog's editor of transfer and escalation destinations: an ordered list of names,
added, renamed in place, removed and reordered (ui/dialogs/settings_dialog.py, Handoff page)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui.dialogs import settings_checks

__all__ = ["DestinationList"]

FULL = "The list is full:"


class _EnterAdds(QLineEdit):
    """A line edit whose Enter adds what was typed (and never presses the dialog's default
    button, Save)."""

    add = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt's name)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.add.emit()
            event.accept()
            return
        super().keyPressEvent(event)


class DestinationList(QWidget):
    """An ordered list of names (Transfer / escalate's destinations): add (type, Enter or
    Add), rename in place (double-click or F2), remove, move up and down (or drag). Refuses a
    blank name, one already listed (case and spacing aside: it is selected instead) and more
    than `limit`; the Settings dialog's checks (settings_checks.destination_problems) catch
    what an edit in place left. `names()` as listed, `set_names()`."""

    def __init__(self, limit: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.limit = limit
        self.setObjectName("destinationEditor")
        grid = QVBoxLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        self.list = QListWidget()
        self.list.setObjectName("destinationList")
        self.list.setAccessibleName("transfer destinations")
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                  | QAbstractItemView.EditTrigger.EditKeyPressed)
        self.list.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.list.setAlternatingRowColors(True)
        self.list.currentRowChanged.connect(lambda _row: self._update())
        self.list.model().rowsMoved.connect(lambda *_a: self._update())
        rows = self.fontMetrics().lineSpacing()
        self.list.setMinimumHeight(rows * 7)
        top.addWidget(self.list, 1)
        side = QVBoxLayout()
        self.up_button = QPushButton("Move up")
        self.up_button.setToolTip("Offer this destination earlier (the first is preselected)")
        self.up_button.clicked.connect(lambda: self._move(-1))
        self.down_button = QPushButton("Move down")
        self.down_button.clicked.connect(lambda: self._move(1))
        self.remove_button = QPushButton("Remove")
        self.remove_button.clicked.connect(self._remove)
        for b in (self.up_button, self.down_button, self.remove_button):
            side.addWidget(b)
        side.addStretch(1)
        top.addLayout(side)
        grid.addLayout(top, 1)
        add_row = QHBoxLayout()
        self.entry = _EnterAdds()
        self.entry.setObjectName("destinationEntry")
        self.entry.setAccessibleName("new transfer destination")
        self.entry.setPlaceholderText("A team or person, e.g. Retention team")
        self.entry.setMaxLength(settings_checks.MAX_DESTINATION_CHARS)
        self.entry.add.connect(self._add)
        self.add_button = QPushButton("Add")
        self.add_button.setAutoDefault(False)
        self.add_button.clicked.connect(self._add)
        add_row.addWidget(self.entry, 1)
        add_row.addWidget(self.add_button)
        grid.addLayout(add_row)
        self.message = QLabel("")
        self.message.setObjectName("muted")
        self.message.setWordWrap(True)
        grid.addWidget(self.message)
        for b in (self.up_button, self.down_button, self.remove_button):
            b.setAutoDefault(False)  # Enter in the list renames; it never clicks these
        self._update()

    def names(self) -> list[str]:
        return [self.list.item(i).text() for i in range(self.list.count())]

    def set_names(self, names: Sequence[str]) -> None:
        self.list.clear()
        for name in names:
            self._append(str(name))
        self.message.setText("")
        self._update()

    def _append(self, name: str) -> QListWidgetItem:
        item = QListWidgetItem(name)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
        self.list.addItem(item)
        return item

    def _add(self) -> None:
        name = " ".join(self.entry.text().split())
        if not name:
            self.message.setText("Type the name of a team or person first.")
            return
        key = settings_checks.destination_key(name)
        for i, known in enumerate(self.names()):
            if settings_checks.destination_key(known) == key:
                self.list.setCurrentRow(i)
                self.message.setText(f"{known} is already in the list.")
                return
        if self.list.count() >= self.limit:
            self._update()
            return
        self.list.setCurrentItem(self._append(name))
        self.entry.clear()
        self.message.setText("")
        self._update()

    def _remove(self) -> None:
        row = self.list.currentRow()
        if row >= 0:
            self.list.takeItem(row)
            self.list.setCurrentRow(min(row, self.list.count() - 1))
        self._update()

    def _move(self, step: int) -> None:
        row = self.list.currentRow()
        to = row + step
        if row < 0 or not 0 <= to < self.list.count():
            return
        item = self.list.takeItem(row)
        self.list.insertItem(to, item)
        self.list.setCurrentRow(to)
        self._update()

    def _update(self) -> None:
        row, count = self.list.currentRow(), self.list.count()
        self.up_button.setEnabled(row > 0)
        self.down_button.setEnabled(0 <= row < count - 1)
        self.remove_button.setEnabled(row >= 0)
        full = count >= self.limit
        self.add_button.setEnabled(not full)
        if full:
            self.message.setText(f"{FULL} at most {self.limit} destinations. Remove one to "
                                 "add another.")
        elif self.message.text().startswith(FULL):
            self.message.setText("")
