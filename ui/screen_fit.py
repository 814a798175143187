"""A window's first size, within the screen it opens on.

`--size 1280x800` (the default) is in Qt's logical pixels: with QT_SCALE_FACTOR=1.5 (or a
desktop's 150 % scale) on a 1280x800 screen that is 1920x1200 device pixels, and the window
opened larger than the screen, its status bar and the lower cards off the bottom edge. The
size asked for is kept where the screen has room, and shrunk to the screen's available area
(without the panels and docks) where it has not.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, QRect, QSize, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget


def fitted_size(width: int, height: int, available: QSize, frame: QSize | None = None) -> QSize:
    """`width` x `height`, each shrunk to what `available` leaves after the window manager's
    frame (`frame`: the extra width and height of title bar and borders, 0 before the first
    show)."""
    frame = QSize(0, 0) if frame is None else frame
    return QSize(max(1, min(width, available.width() - frame.width())),
                 max(1, min(height, available.height() - frame.height())))


def available_geometry(window: QWidget) -> QRect | None:
    """The available area of the screen the window is (or will be) on; None without screens."""
    screen = window.screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry() if screen is not None else None


def resize_within_screen(window: QWidget, width: int, height: int) -> QSize:
    """Resize `window` to `width` x `height`, no larger than its screen's available area, and
    again once it is shown, when the window manager's frame is known. Returns the size given."""
    size = _fit(window, width, height)
    if not window.isVisible():
        window.installEventFilter(_RefitOnShow(window, width, height))
    return size


def _fit(window: QWidget, width: int, height: int) -> QSize:
    area = available_geometry(window)
    if area is None:  # no screen at all (never on a desktop): as asked
        window.resize(width, height)
        return QSize(width, height)
    frame = QSize(window.frameGeometry().width() - window.width(),
                  window.frameGeometry().height() - window.height())
    size = fitted_size(width, height, area.size(), frame)
    # A minimum size larger than the screen would win over resize(): shrink it too (the
    # panels scroll or fold what no longer fits).
    least = window.minimumSize()
    if least.width() > size.width() or least.height() > size.height():
        window.setMinimumSize(min(least.width(), size.width()),
                              min(least.height(), size.height()))
    window.resize(size)
    geo = window.frameGeometry()
    if not area.contains(geo):
        x = min(max(geo.x(), area.x()), area.right() + 1 - geo.width())
        y = min(max(geo.y(), area.y()), area.bottom() + 1 - geo.height())
        window.move(max(area.x(), x), max(area.y(), y))
    return size


class _RefitOnShow(QObject):
    """Fits the window once more just after it is first shown, and again whenever its frame
    changes while the window manager settles it (SETTLE_MS): only then are the title bar and
    borders known, and some window managers add them a moment after the first show (openbox
    did: the window kept the whole screen's height and its status bar went off the bottom).
    The agent's own moves and resizes after that are left alone. Removes itself."""

    SETTLE_MS = 3000

    def __init__(self, window: QWidget, width: int, height: int) -> None:
        super().__init__(window)
        self.window, self.width, self.height = window, width, height
        self.shown = False
        self.frame: QSize | None = None  # the frame the last fit allowed for

    def eventFilter(self, obj: Any, e: Any) -> bool:  # noqa: N802 - Qt's name
        if obj is self.window:
            if e.type() == QEvent.Type.Show and not self.shown:
                self.shown = True
                QTimer.singleShot(0, self, self._refit)
                QTimer.singleShot(self.SETTLE_MS, self, self._done)
            elif self.shown and e.type() in (QEvent.Type.Move, QEvent.Type.Resize):
                QTimer.singleShot(0, self, self._refit)
        return False

    def _refit(self) -> None:
        w = self.window
        frame = QSize(w.frameGeometry().width() - w.width(),
                      w.frameGeometry().height() - w.height())
        if frame != self.frame:
            self.frame = frame
            _fit(w, self.width, self.height)

    def _done(self) -> None:
        self.window.removeEventFilter(self)
        self.deleteLater()
