"""The call's live checklist in the assistance column: each item with a box the copilot ticks when
the agent's words say it (showing the words, labelled AI) and the agent may tick or untick
(recorded as theirs), an order violation flagged on its item as it happens, and the required
items still open shown prominently when the call nears its end.

An item is a box without text and a word-wrapped label beside it: a checkbox's own text never
wraps, and at 150 % the bold "required, not done" items were wider than the column and scrolled
it sideways. A click on the label ticks the box as a click on a checkbox's text would; Tab and
Space reach the box, which carries the item's accessible name.

The panel only draws `checklist` events (copilot/events.py ChecklistEvent) and reports clicks
(`toggled`); the engine decides and records (the window sends clicks to the call's session).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from ui.panels.whole_items import WholeItemsArea
from ui.widgets import FoldButton

NO_CHECKLIST = "No checklist for this call."
# The items scroll beyond this many lines of text: the lines and cards below are what the agent
# reads mid-call, and must keep their room (tests/ui/test_room_for_cards.py). The area stops at
# the last item that fits whole below that: an item cut in half at its edge reads as the end of
# the list, where the scroll bar beside whole items says there is more.
MAX_LINES = 6
EDGE, FOLDED_EDGE = 6, 3  # the margin above and below the contents, unfolded and folded
WORDS_SHOWN = 90  # characters of the ticking words shown under an item (all in the tooltip)


# After the words that ticked an item whose prerequisite is still open (no violation flagged).
BEFORE = " · before “{}” was ticked"


@dataclass
class ItemRow:
    checklist: str
    id: str
    text: str
    required: bool
    conditional: bool
    after: str
    box: QCheckBox  # no text of its own: `label` shows it
    label: QLabel  # the item's text, wrapped; a click on it toggles `box`
    detail: QLabel  # who ticked it and the words that did, or that it came up
    flag: QLabel  # an order violation
    done: bool = False
    applies: bool = True


class ItemText(QLabel):
    """An item's text beside its box, wrapped to the column; a left click on it clicks the box
    (toggling it, with the box's `clicked` signal), as a click on a checkbox's text does."""

    def __init__(self, text: str, box: QCheckBox, parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.box = box
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)  # an item's text is never markup

    def mouseReleaseEvent(self, e: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        if (e.button() == Qt.MouseButton.LeftButton and self.box.isEnabled()
                and self.rect().contains(e.position().toPoint())):
            self.box.setFocus(Qt.FocusReason.MouseFocusReason)
            self.box.click()
            e.accept()
            return
        super().mouseReleaseEvent(e)


@dataclass
class _List:
    id: str
    title: str
    rows: dict[str, ItemRow] = field(default_factory=dict)


class ChecklistPanel(QFrame):
    # (checklist id, item id, done): the agent clicked an item's box
    toggled = Signal(str, str, bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("panel")
        self.lists: dict[str, _List] = {}
        self._alert_when = ""  # "The call is ending" once a closing or end event came
        self.heading = QLabel("Checklist")
        self.heading.setObjectName("heading")
        self.count = QLabel("")
        self.count.setObjectName("muted")
        self.fold = FoldButton("Fold the checklist to its heading")
        self.fold.toggled.connect(self._set_folded)
        # The agent chose: the window no longer folds or unfolds it to make room for the cards.
        self.folded_by_agent = False
        self.fold.clicked.connect(lambda: setattr(self, "folded_by_agent", True))
        head = QHBoxLayout()
        head.setContentsMargins(0, 0, 0, 0)
        head.addWidget(self.heading)
        head.addWidget(self.count, 1)
        head.addWidget(self.fold)
        # What must not be missed at the end of the call: above the items, never folded away.
        self.alert = QLabel("")
        self.alert.setObjectName("flagNote")
        self.alert.setWordWrap(True)
        self.alert.setAccessibleName("required checklist items not done")
        self.alert.hide()
        # The items scroll in an area that never shows one cut (whole_items.py).
        self.body = WholeItemsArea(MAX_LINES, lambda: bool(self.lists))
        self.items, self.items_layout = self.body.items, self.body.items_layout
        self.empty = QLabel(NO_CHECKLIST)
        self.empty.setObjectName("faint")
        self.empty.setWordWrap(True)
        self.items_layout.addWidget(self.empty)
        # The note about AI ticks goes with the items it explains, inside their area: folded,
        # the heading line alone is left, and its lines go to the suggested line and card below.
        self.ai_note = QLabel("Ticks marked AI come from the copilot's reading of your words: "
                              "check them.")
        self.ai_note.setObjectName("aiLabel")
        self.ai_note.setWordWrap(True)
        self.ai_note.hide()
        self.items_layout.addWidget(self.ai_note)
        self.items_layout.addStretch(1)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(8, EDGE, 8, EDGE)
        lay.addLayout(head)
        lay.addWidget(self.alert)
        lay.addWidget(self.body)
        self.hide()  # until a call brings its checklist

    # -- events --
    def show_event(self, event: Any) -> None:
        """A copilot.events.ChecklistEvent."""
        kind = event.kind
        if kind == "items":
            self._lay_out(event)
            return
        cl = self.lists.get(event.checklist)
        row = cl.rows.get(event.item) if cl is not None and event.item else None
        if kind == "tick" and row is not None:
            self._set_done(row, True, event)
        elif kind == "untick" and row is not None:
            self._set_done(row, False, event)
        elif kind == "applies" and row is not None:
            row.applies = True
            row.box.setEnabled(True)
            row.detail.setText(f"Came up (AI): “{_short(event.words)}”")
            row.detail.setToolTip(event.text or event.words)
            row.detail.show()
            self._fit()
        elif kind == "order" and row is not None:
            first = cl.rows.get(event.after) if cl is not None else None
            if first is not None:  # the flag says it, louder
                row.detail.setText(row.detail.text().removesuffix(BEFORE.format(first.text)))
            row.flag.setText(f"⚠ Done before: {first.text if first else event.after}")
            row.flag.show()
            self._fit()
            self.body.ensureWidgetVisible(row.flag)
        elif kind in ("closing", "end") and cl is not None:
            self._show_open(cl, list(event.open), ended=kind == "end")
        self._count()

    def clear(self) -> None:
        """A new call: its own checklist comes with its first events."""
        for i in reversed(range(self.items_layout.count())):
            w = self.items_layout.itemAt(i).widget()
            if w is not None and w not in (self.empty, self.ai_note):
                self.items_layout.takeAt(i)
                self.body.trailing.discard(w)
                w.hide()
                w.deleteLater()
        self.lists.clear()
        self._alert_when = ""
        self.hide()  # a call without a checklist shows none
        self.alert.hide()
        self.ai_note.hide()
        self.empty.show()
        self.count.setText("")

    # -- what the agent does --
    def _clicked(self, row: ItemRow, checked: bool) -> None:
        if checked == row.done:
            return
        row.done = checked  # shown at once; the engine's event confirms and says by whom
        row.applies = row.applies or checked
        row.detail.setText("Ticked by you" if checked else "Unticked by you")
        row.detail.setToolTip("")
        row.detail.show()
        self._count()
        self._refresh_alert()
        self.toggled.emit(row.checklist, row.id, checked)

    # -- drawing --
    def _lay_out(self, event: Any) -> None:
        cl = self.lists.get(event.checklist)
        if cl is not None:
            return  # the same checklist again (a replayed event): keep the state
        cl = _List(event.checklist, event.text or event.checklist)
        self.lists[cl.id] = cl
        self.empty.hide()
        self.show()
        if len(self.lists) > 1 or event.text:
            title = QLabel(cl.title)
            title.setObjectName("muted")
            title.setWordWrap(True)
            self._add(title)
        for item in event.items:
            row = self._row(cl.id, item)
            cl.rows[row.id] = row
        self._count()
        self._fit()
        # The rows just added are shown by their layout a moment later, and only then count
        # in its height: fit again then, or the items stayed 0 px tall until the first tick.
        QTimer.singleShot(0, self, self._fit)

    def _row(self, checklist: str, item: dict[str, Any]) -> ItemRow:
        required = bool(item.get("required", True))
        conditional = bool(item.get("conditional"))
        text = str(item.get("text") or item.get("id"))
        box = QCheckBox()
        box.setAccessibleName(f"checklist item: {text}")
        label = ItemText(text + ("" if required else "  (optional)"), box)
        tip = ["Required on every call." if required else "Optional."]
        if item.get("after"):
            tip.append(f"Comes after: {item['after']}.")
        if conditional:
            tip.append("Applies only when it comes up in the call.")
        tip.append("Click to tick or untick it yourself.")
        for w in (box, label):
            w.setToolTip(" ".join(tip))
        line = QWidget()
        lay = QHBoxLayout(line)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(box, 0, Qt.AlignmentFlag.AlignTop)
        lay.addWidget(label, 1)
        detail = QLabel("")
        detail.setObjectName("faint")
        detail.setWordWrap(True)
        detail.setTextFormat(Qt.TextFormat.PlainText)
        detail.hide()
        flag = QLabel("")
        flag.setObjectName("signalActive")
        flag.setWordWrap(True)
        flag.hide()
        self.body.trailing.update((detail, flag))  # part of the item above them
        row = ItemRow(checklist, str(item["id"]), text, required, conditional,
                      str(item.get("after") or ""), box=box, label=label, detail=detail,
                      flag=flag, applies=not conditional)
        if conditional:
            detail.setText("Applies if it comes up")
            detail.show()
        box.clicked.connect(lambda checked, r=row: self._clicked(r, checked))
        for w in (line, detail, flag):
            self._add(w)
        return row

    def _set_done(self, row: ItemRow, done: bool, event: Any) -> None:
        row.done = done
        # A conditional item done says it came up (the engine's rule too: an offer that asks the
        # caller to stay ticks the retention item though the leaving was not heard).
        row.applies = row.applies or done
        row.box.blockSignals(True)
        row.box.setChecked(done)
        row.box.blockSignals(False)
        if not done:
            row.detail.setText("Unticked by you")
            row.detail.setToolTip("")
            row.flag.hide()  # the item is open again: its order is judged when it is done
        elif event.by == "copilot":
            row.detail.setText(f"AI ✓ from your words: “{_short(event.words)}”")
            row.detail.setToolTip(f"Caption {event.of}: {event.text}"
                                  + (f"\nMatch {event.score:.2f}" if event.score else ""))
            self.ai_note.show()
        else:
            row.detail.setText("Ticked by you")
            row.detail.setToolTip("")
        first = self._first_open(row) if done else None
        if first is not None:
            # Not an order violation (the agent came close to it, so it may have been said):
            # said plainly, so a tick never reads as "done in order" (the final walk-through).
            row.detail.setText(row.detail.text() + BEFORE.format(first.text))
        row.detail.show()
        self._refresh_alert()
        self._fit()

    def _first_open(self, row: ItemRow) -> ItemRow | None:
        """The item `row` comes after, when it is not done yet."""
        cl = self.lists.get(row.checklist)
        first = cl.rows.get(row.after) if cl is not None and row.after else None
        return first if first is not None and first.applies and not first.done else None

    def _show_open(self, cl: _List, open_ids: list[str], *, ended: bool) -> None:
        self._alert_when = "The call has ended" if ended else "The call is ending"
        for row in cl.rows.values():
            row.box.setProperty("open_required", row.id in open_ids and not row.done)
        self._refresh_alert()
        if self.alert.isVisible() and self.fold.isChecked():
            self.fold.setChecked(False)  # never folded away while something must be said
        first = next((r for r in cl.rows.values() if r.box.property("open_required")), None)
        if first is not None:
            self.body.ensureWidgetVisible(first.label)

    def _refresh_alert(self) -> None:
        """The required items reported open at the end that are still not done, in bold and
        listed above the items; gone once the agent has done (and ticked) them."""
        still = []
        for cl in self.lists.values():
            for row in cl.rows.values():
                marked = bool(row.box.property("open_required")) and not row.done
                row.label.setStyleSheet("font-weight: 700;" if marked else "")
                if marked:
                    still.append(row.text)
        if not still or not self._alert_when:
            self.alert.hide()
            return
        self.alert.setText(f"{self._alert_when}: required and not done: " + "; ".join(still))
        self.alert.show()

    def _add(self, w: QWidget) -> None:
        # Before the AI note and the stretch, which stay last.
        self.items_layout.insertWidget(self.items_layout.count() - 2, w)

    def _fit(self) -> None:
        """The items' area fitted to them (whole_items.py); folded too (ticks still come):
        shown again, it has it."""
        self.body.fit()

    def _count(self) -> None:
        rows = [r for cl in self.lists.values() for r in cl.rows.values() if r.applies]
        if rows:
            self.count.setText(f"{sum(r.done for r in rows)} of {len(rows)} done")

    def _set_folded(self, folded: bool) -> None:
        self.body.setVisible(not folded)
        # Folded, it is its heading line yielding room to the cards: no more margin than that.
        edge = FOLDED_EDGE if folded else EDGE
        self.layout().setContentsMargins(8, edge, 8, edge)
        if not folded and self.lists:
            self._fit()  # what came while folded, at the column's width
            QTimer.singleShot(0, self, self._fit)  # and once the area is laid out again

    def set_folded(self, folded: bool) -> None:
        """Fold to the heading line (its count and any end-of-call banner stay), or unfold."""
        if self.fold.isChecked() != folded:
            self.fold.setChecked(folded)

    @property
    def folded(self) -> bool:
        return self.fold.isChecked()

    def unfolded_height(self) -> int:
        """The height of the items when shown (for the window's room-making, which adds it to
        the column's room while they are shown). Folded, what unfolding would take from the
        column: the items, the spacing above them and the wider margins too. Counting the items
        alone, a column 12 px short of room unfolded the checklist, found it did not fit, folded
        it, and so on for as long as the call lasted."""
        if self.body.isVisible():
            return self.body.height()
        return (self.body.fitted_height() + self.layout().spacing()
                + 2 * (EDGE - FOLDED_EDGE))

    # -- for tests and the window --
    def row(self, item: str, checklist: str = "") -> ItemRow | None:
        for cl in self.lists.values():
            if not checklist or cl.id == checklist:
                if item in cl.rows:
                    return cl.rows[item]
        return None


def _short(words: str) -> str:
    words = " ".join((words or "").split())
    return words if len(words) <= WORDS_SHOWN else words[:WORDS_SHOWN - 1] + "…"
