"""Room for what the agent reads mid-call: the suggested line and its card come first.

The assistance column stacks the customer signal, the live checklist, the search and draft row,
the lines and cards, and the summary. On a 1280x800 screen at 150 % they do not all fit, so the
others yield, in this order: the summary shrinks to a line or two (it scrolls), then folds to its
heading; the checklist folds to its heading line (ui/checklist_flow.py); then, when the customer's
line still does not show whole, the agent's open search folds its answer to its title line, and
the open draft box is bounded and scrolls (AssistPanel.make_room; tests/ui/
test_room_with_search_and_draft.py). Whatever the agent folded, unfolded or dragged by hand stays
so until the next call (the search's fold: until the next search). What stays above them is kept
as small for the same reason: during a call the call bar is two single lines (ui/panels/
call_bar.py), and a folded panel is its heading line (ui/widgets.py FoldButton); at
QT_SCALE_FACTOR=1.5 a 1280x800 screen is 853x533 (tests/ui/test_room_at_150_percent.py).

A panel the window folded comes back only when its room is clearly there (`folds`): the lines
and cards must need a few text lines (UNFOLD_LINES) less than the room it would leave them. Each
caption, line and card changes the need by a little (a word wrapping earlier, a scroll bar coming
or going); folding and unfolding at one exact height flipped the summary and the checklist with
each of them during the demo call (tests/ui/test_room_hysteresis.py).

Every fit is asked for, never done at once: one fit runs after the events of a burst (a caption
brings its card, its line, a checklist tick and a summary within milliseconds), and again when
the column changes size (a fold, the window resized, the cards' scroll bar appearing and the
text wrapping narrower) or the lines and cards are laid out anew (a line reworded in place is
measured only once its layout has run), so the last layout always gets its fit.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, QTimer

from ui.tab_order import follow_layout

SUMMARY_SHARE = 0.4  # the summary keeps up to this much of the column while the cards fit
UNFOLD_LINES = 3  # a panel the window folded unfolds with this many text lines to spare


def unfold_margin(widget: Any) -> int:
    """The room to spare, beyond what a folded panel needs, before the window unfolds it."""
    return UNFOLD_LINES * widget.fontMetrics().lineSpacing()


def folds(folded: bool, spare: int, margin: int) -> bool:
    """Whether a panel the window folds or unfolds should be folded, `spare` being the room
    left over with it unfolded (negative: short): folded while short, and once folded until
    `margin` is to spare."""
    return spare < (margin if folded else 0)


class RoomForCards(QObject):
    """Owned by the main window; `wire()` once its panels exist."""

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self.by_agent = False  # the agent moved the handle: the window leaves it there
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self.fit)

    def wire(self) -> RoomForCards:
        w = self.window
        w.right_split.splitterMoved.connect(self._moved)
        w.assist.content_changed.connect(self.request)
        for watched in (w.right_split, w.assist.scroll.viewport(), w.assist.inner):
            watched.installEventFilter(self)
        return self

    def _moved(self, *_: Any) -> None:
        self.by_agent = True

    def new_call(self) -> None:
        self.by_agent = False  # a new call: the window makes room for the cards again
        self.request()

    def request(self) -> None:
        self._timer.start()

    def eventFilter(self, obj: Any, e: Any) -> bool:  # noqa: N802 - Qt's name
        kind = e.type()
        if kind == QEvent.Type.Resize or (kind == QEvent.Type.LayoutRequest
                                          and obj is self.window.assist.inner):
            # The lines and cards laid out again (a line reworded in place, a card's text
            # wrapping): only now do their heights tell what they need.
            self.request()
        return False

    def fit(self) -> None:
        self.window.checklists.fit()  # folds or unfolds the checklist (then asks for a fit)
        self.fit_assist()
        # What is shown has settled: Tab goes through it top to bottom (ui/tab_order.py).
        follow_layout(self.window.right_split.parentWidget())

    def fit_assist(self) -> None:
        """Give the lines and cards the height they need, taken from the summary (down to its
        heading), unless the agent placed the handle themselves; then the search and the draft
        box yield what the first line still needs."""
        self._lay_out_column()
        self._fit_split()
        self.window.assist.make_room(self.window.right_split.sizes()[0])

    def _lay_out_column(self) -> None:
        """The column laid out now, not on Qt's next turn of the event loop: the checklist just
        folded (or unfolded) leaves the lines, cards and summary more room (or less) only then,
        and the summary weighed against the room as it was folded for a moment at the start of
        a call at 150 % (and unfolded again)."""
        w = self.window
        for layout in (w.checklist.layout(), w.right_split.parentWidget().layout()):
            if layout is not None:
                layout.activate()

    def _fit_split(self) -> None:
        w = self.window
        if self.by_agent:
            return
        split, summary = w.right_split, w.summary
        sizes = split.sizes()
        total = sum(sizes)
        if total <= 0:
            return
        need = w.assist.needed_height()
        if not summary.folded_by_agent:
            # The summary keeps up to 40 % while the cards fit in the rest; it shrinks to a
            # line or two (scrolling) when they need more, and folds to its heading when even
            # that is too much (the agent can unfold it; then the window leaves it). Folded, it
            # comes back once the cards need clearly less.
            spare = total - summary.open_height() - need
            fold = folds(summary.folded, spare, unfold_margin(w.assist))
            if fold != summary.folded:
                summary.set_folded(fold)
        floor = summary.minimumSizeHint().height()
        if summary.folded:  # its heading needs no more: the rest goes to the lines and cards
            assist = total - floor
        else:
            assist = min(max(need, int(total * (1 - SUMMARY_SHARE))), total - floor)
        if assist != sizes[0]:
            split.setSizes([assist, total - assist])
