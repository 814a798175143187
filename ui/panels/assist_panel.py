"""The assistance column: the agent's own search of the knowledge base, the draft box, and the
suggested lines and knowledge cards (ui/panels/cards.py).

The agent's search (Ctrl+K, Enter): its lines and card (copilot/assist/ask.py) take the place of
the proactive ones, headed "Your search: ...", and stay until the agent closes the search or asks
again: the agent asked, so the answer is not taken away mid-read. The customer's next questions
bring their own lines and cards below it. Under the search box, folded to one line, the draft box
(ui/panels/draft_box.py, Ctrl+D): the agent's own words rephrased, facts checked.

During a call the customer's line and its buttons must show without scrolling (at 1280x800, 100 to
150 %); before their line comes (or for a turn that brings a card and no line), their first card.
When the search's answer and an open draft box leave it no room, the window (ui/room.py) asks
`make_room`: the search's answer folds to its title line (Show unfolds it; a new search shows
whole), then the open draft box is bounded and scrolls (the draft and its buttons stay whole).
Both come back when there is room.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

# Re-exported: the window and the tests name the cards from here.
from ui.panels.cards import (  # noqa: F401
    ORIGINS,
    CardGroup,
    KnowledgeCard,
    PassageLookup,
    SuggestionCard,
    source_links,
)
from ui.panels.draft_box import DraftBox
from ui.theme import LIGHT, Colors
from ui.widgets import FoldButton, SearchField

NO_CARDS = "Knowledge cards appear when the customer asks about something in the knowledge base."
NO_SUGGESTIONS = "Suggested lines appear after a customer question."
NO_ASK_CARDS = "Nothing in the knowledge base matches your search."
# Short enough to fit the box at 150 % on a 1280-wide screen, shortcut included.
ASK_PLACEHOLDER = "Ask knowledge (Ctrl+K)"
ASK_TIP = ("Ask the knowledge base (Ctrl+K). Type a question and press Enter: the matching knowledge and approved lines show "
           "above the others until you close them or ask again. During a stored call the "
           "question and what it showed are kept with the call; between calls nothing is kept. "
           "Esc clears.")
CLOSE_ASK_TIP = "Close your search: its lines and cards go, the customer's stay"
FOLD_ASK_TIP = ("Fold your search's answer to its question, to give the customer's lines room "
                "(Show brings it back; it stays until you close it)")
SEARCHING = "Searching…"


class AskBox(SearchField):
    """The search box. Esc clears it and does nothing else (never dismisses a card)."""


class AssistPanel(QWidget):
    """The agent's search on top (while it is open), then the lines and cards of the customer's
    latest question; the draft box above them."""

    action = Signal(str, object, str)  # ("suggestion"|"knowledge", the event/ref card, action)
    open_passage = Signal(str)
    ask_requested = Signal(str)  # the agent's question (stripped, never empty)
    content_changed = Signal()  # cards or lines came or went: the window may make room

    def __init__(self, lookup: PassageLookup | None = None, colors: Colors = LIGHT,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lookup = lookup or (lambda _id: None)
        self.ask_of = ""  # the agent's search on screen ("ask-3"), "" = none
        self.ask_question = ""
        self._seen: set[str] = set()  # the caption ids this call's cards and lines came for
        self._replaced: set[str] = set()  # ...those whose cards the agent's search replaced

        self.ask_box = AskBox()
        self.ask_box.setPlaceholderText(ASK_PLACEHOLDER)
        self.ask_box.setClearButtonEnabled(True)
        self.ask_box.setToolTip(ASK_TIP)
        self.ask_box.setAccessibleName("ask the knowledge base")
        self.ask_box.returnPressed.connect(self.submit_ask)
        self.ask_status = QLabel(SEARCHING)
        self.ask_status.setObjectName("muted")
        self.ask_status.hide()

        # The agent's search: its title with a Close button, its lines over its card.
        self.ask_title = QLabel()
        self.ask_title.setObjectName("askTitle")
        self.ask_title.setWordWrap(True)
        self.ask_title.setTextFormat(Qt.TextFormat.PlainText)
        self.close_ask = QToolButton()
        self.close_ask.setObjectName("fold")  # as tall as Show / Hide beside it (theme.py)
        self.close_ask.setText("Close")
        self.close_ask.setToolTip(CLOSE_ASK_TIP)
        self.close_ask.setAccessibleName("close your search")
        self.close_ask.clicked.connect(self.close_search)
        # Folded, the answer is its title line: the window folds it when the customer's line
        # needs the room; once the agent folds or unfolds it, the window leaves it so.
        self.search_fold = FoldButton(FOLD_ASK_TIP)
        self.search_fold.setAccessibleName("fold or show your search's answer")
        self.search_fold.toggled.connect(self._fold_search)
        self.search_fold.clicked.connect(self._search_fold_clicked)
        self.search_folded_by_agent = False
        self.search = self._group(no_lines="", no_cards=NO_ASK_CARDS, headings=False)
        self.search_section = QWidget()
        head = QHBoxLayout()
        head.setContentsMargins(0, 0, 0, 0)
        head.addWidget(self.ask_title, 1)
        head.addWidget(self.search_fold, 0, Qt.AlignmentFlag.AlignTop)
        head.addWidget(self.close_ask, 0, Qt.AlignmentFlag.AlignTop)
        self.search_head = head
        sl = QVBoxLayout(self.search_section)
        sl.setContentsMargins(0, 0, 0, 10)
        sl.addLayout(head)
        sl.addWidget(self.search)
        self.search_section.hide()
        # The customer's latest question's lines and cards.
        self.proactive = self._group(no_lines=NO_SUGGESTIONS, no_cards=NO_CARDS)

        inner = QWidget()
        inner.setObjectName("root")
        lay = QVBoxLayout(inner)
        lay.setContentsMargins(0, 0, 4, 0)
        lay.addWidget(self.search_section)
        lay.addWidget(self.proactive)
        lay.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.inner, self.scroll = inner, scroll
        # The agent's drafts: folded to its toggle unless opened, and that toggle shares the
        # search box's row: every line above the lines and cards is one they lose (at 150 % on
        # a 1280x800 screen the card's buttons were cut off).
        self.draft = DraftBox(colors, toggle_in_box=False)
        self.draft.content_changed.connect(self.content_changed)
        self.draft.open_passage.connect(self.open_passage)
        ask_row = QHBoxLayout()
        ask_row.setContentsMargins(0, 4, 4, 4)
        ask_row.addWidget(self.ask_box, 1)
        ask_row.addWidget(self.ask_status)
        ask_row.addWidget(self.draft.toggle)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(2)
        outer.addLayout(ask_row)
        outer.addWidget(self.draft)
        outer.addWidget(scroll, 1)

    def _group(self, **kw: Any) -> CardGroup:
        group = CardGroup(lambda pid: self.lookup(pid), **kw)
        group.action.connect(self._acted)
        group.open_passage.connect(self.open_passage)
        group.changed.connect(self._changed)
        return group

    # The customer's lines and cards (what the window's tests and Ctrl+1 read).
    @property
    def suggestions(self) -> dict[int, SuggestionCard]:
        return self.proactive.suggestions

    @property
    def cards(self) -> list[KnowledgeCard]:
        return self.proactive.cards

    @property
    def suggestions_of(self) -> str:
        return self.proactive.suggestions_of

    @property
    def ask_cards(self) -> list[KnowledgeCard]:
        return self.search.cards

    def needed_height(self) -> int:
        """The height that shows every line and card without scrolling, at the current width
        (cards wrap: the narrower the column, the taller they are). The search and draft boxes
        above count at their current height (the layout is brought up to date first), and what
        the window folded or bounded to make room counts whole: the summary and the checklist
        yield before them, whatever make_room did last."""
        self.layout().activate()
        width = self.scroll.viewport().width()
        inner = self.inner.layout()
        body = inner.heightForWidth(width) if inner.hasHeightForWidth() else -1
        if body <= 0:
            body = inner.sizeHint().height()
        yielded = self.draft.hidden_height()
        if self.search_folded and not self.search_folded_by_agent and self.ask_of:
            yielded += self._search_body(self._content_width())
        return self._above() + body + yielded

    # -- room for the first line (ui/room.py) --
    def make_room(self, height: int) -> None:
        """Within the panel's `height`, let the first suggested line on screen show whole (its
        buttons too) without scrolling: the customer's line (without one yet, their first
        card) first folds the search's answer to its title line, then the open draft box is
        bounded (it scrolls). With room again both come back. What the agent folded or
        unfolded stays so."""
        self.layout().activate()
        width = self._content_width()
        below = self._live_bottom(width)
        searched = self.ask_of != ""
        whole = self._above() + self.draft.hidden_height()  # the draft box whole
        if below:
            fold = self.search_folded
            if searched and not self.search_folded_by_agent:
                fold = whole + self._section_height(width, False) + below > height
            gap = self._section_height(width, fold) + self.inner.layout().spacing() \
                if searched else 0
            bottom = whole + gap + below
        else:
            # Nothing of the customer's: the search's answer is all there is to read.
            fold = self.search_folded and self.search_folded_by_agent
            bottom = whole + self._search_line_bottom(width) if searched and not fold else 0
        if searched and fold != self.search_folded and not self.search_folded_by_agent:
            self.search_fold.setChecked(fold)
        over = bottom - height
        full = self.draft.full_height()
        self.draft.bound(full - over if over > 0 and full > 0 else None)

    def _live_bottom(self, width: int) -> int:
        """From the top of the customer's part to the bottom of their first line, or without
        one of their first card (0 without either, or hidden under the search)."""
        group = self.proactive
        if not group.isVisibleTo(self):
            return 0
        lines = group.lines()
        if lines:
            return self._heading_height() + group.layout().spacing() + _height(lines[0], width)
        if not group.cards:
            return 0
        # The cards close the group: its height but for the cards after the first.
        after = sum(group.card_box.spacing() + _height(c, width) for c in group.cards[1:])
        return _height(group, width) - after

    def _search_line_bottom(self, width: int) -> int:
        """From the body's top to the bottom of the search's first line (0 without one)."""
        lines = self.search.lines()
        if not lines:
            return 0
        m = self.search_section.layout().contentsMargins()
        return (m.top() + _height(self.search_head, width)
                + self.search_section.layout().spacing() + _height(lines[0], width))

    def _above(self) -> int:
        """The height above the lines and cards: the search row and the draft box as they are
        now, and the body's frame."""
        return self.height() - self.scroll.height() + 2 * self.scroll.frameWidth()

    def _content_width(self) -> int:
        m = self.inner.layout().contentsMargins()
        return self.scroll.viewport().width() - m.left() - m.right()

    def _heading_height(self) -> int:
        titles = self.proactive.titles
        return titles[0].sizeHint().height() if titles else 0

    def _search_body(self, width: int) -> int:
        """The search's lines and card: what its fold hides."""
        return self.search_section.layout().spacing() + _height(self.search, width)

    def _section_height(self, width: int, folded: bool) -> int:
        """The search's title line, and its answer unless `folded`."""
        m = self.search_section.layout().contentsMargins()
        return (m.top() + m.bottom() + _height(self.search_head, width)
                + (0 if folded else self._search_body(width)))

    # -- the agent's search --
    @property
    def search_folded(self) -> bool:
        return self.search_fold.isChecked()

    def _fold_search(self, folded: bool) -> None:
        self.search.setVisible(not folded)
        self._renumber()

    def _search_fold_clicked(self) -> None:
        self.search_folded_by_agent = True  # the agent chose: the window no longer folds it
        self.content_changed.emit()

    def _unfold_search(self) -> None:
        """A new answer, or none: shown whole, the window's to fold again."""
        self.search_folded_by_agent = False
        self.search_fold.setChecked(False)

    def focus_ask(self) -> None:
        """Ctrl+K: the search box, its text selected (typing replaces the last question)."""
        self.ask_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.ask_box.selectAll()

    def submit_ask(self) -> bool:
        """Enter in the box: ask, unless there is nothing to ask."""
        question = self.ask_box.text().strip()
        if not question:
            return False
        self.ask_requested.emit(question)
        return True

    def set_searching(self, on: bool) -> None:
        self.ask_status.setVisible(on)

    def show_ask(self, result: Any) -> None:
        """A copilot.assist.ask.AskResult: its lines and card, headed by the question, in place
        of an earlier search and of the customer's lines and cards on screen (the ones that
        missed); they stay until the agent closes the search or asks again."""
        self.search.clear()
        self.proactive.clear()
        self._replaced |= self._seen
        self.ask_of = result.id
        self.ask_question = result.question
        self.ask_title.setText(f"Your search: {result.question}")
        self._unfold_search()
        if result.knowledge is not None:
            self.search.put_cards(result.knowledge)
        for event in result.suggestions:
            self.search.put_suggestion(event)
        self.search_section.show()
        self._changed()

    def close_search(self) -> None:
        """Close: the search's lines and cards go; the customer's stay."""
        if not self.ask_of:
            return
        self.ask_of = self.ask_question = ""
        self.search.clear()
        self.search_section.hide()
        self._unfold_search()
        self._changed()

    def _shows(self, of: str) -> bool:
        """Whether a caption-driven event goes on screen: not a late update (a reworded line, a
        translation) for a turn whose lines the agent's search replaced."""
        if of in self._replaced:
            return False
        self._seen.add(of)
        return True

    # -- events --
    def show_suggestion(self, event: Any) -> None:
        """A copilot.events.SuggestionEvent. A new question's lines replace the old ones; the
        same question's line of the same rank is updated in place."""
        if self._shows(event.of):
            group = self.proactive
            reworded = event.of == group.suggestions_of and event.rank in group.suggestions
            group.put_suggestion(event)
            if reworded:  # in place, a row taller or shorter: the window fits again
                self.content_changed.emit()

    def show_knowledge(self, event: Any) -> None:
        """A copilot.events.Knowledge: the passages for the latest customer caption."""
        if self._shows(event.of):
            self.proactive.put_cards(event)

    def _acted(self, kind: str, card: Any, action: str) -> None:
        self.action.emit(kind, card, action)
        # The search's last line or card dismissed (it is removed after this): nothing is left
        # of the search, its title goes too.
        if action == "dismissed" and self.ask_of and all(
                c is card for c in [*self.search.lines(), *self.search.cards]):
            self.close_search()

    def _changed(self) -> None:
        # Under an open search, the customer's part shows only once it has something: its
        # "appear after a question" texts would only push the search's answer around.
        self.proactive.setVisible(not self.ask_of or not self.proactive.empty)
        self._show_new_cards()
        self._renumber()
        self.content_changed.emit()

    def _show_new_cards(self) -> None:
        """Shown now, not on Qt's next turn of the event loop: a card added to a shown layout
        takes no room until then, and a fit measuring in between found a new turn's line
        missing (the summary and the checklist unfolded, and folded again a moment later)."""
        for group in (self.search, self.proactive):
            for card in (*group.lines(), *group.cards):
                if card.isHidden() and not card.testAttribute(
                        Qt.WidgetAttribute.WA_WState_ExplicitShowHide):
                    card.show()

    def _renumber(self) -> None:
        for n, card in enumerate(self.visible_suggestions(), 1):
            card.set_key(n)  # Ctrl+1 copies the first line on screen, whichever group

    def clear(self) -> None:
        """A new call: no cards, no search on screen (the box keeps its text), no rephrased
        draft (the draft box keeps the draft)."""
        self.close_search()
        self.proactive.clear()
        self._seen.clear()
        self._replaced.clear()
        self.draft.clear_result()
        self._changed()

    # -- keyboard --
    def visible_suggestions(self) -> list[SuggestionCard]:
        """Every line on screen, top to bottom: the search's (unless folded away), then the
        customer's."""
        return (self.search.lines() if not self.search_folded else []) + self.proactive.lines()

    def copy_suggestion(self, n: int) -> bool:
        """Ctrl+1 / Ctrl+2: the n-th suggestion on screen (1-based)."""
        shown = self.visible_suggestions()
        if not 1 <= n <= len(shown):
            return False
        shown[n - 1].do_copy()
        return True

    def use_suggestion(self, n: int) -> bool:
        shown = self.visible_suggestions()
        if not 1 <= n <= len(shown):
            return False
        shown[n - 1].do_used()
        return True


def _height(item: Any, width: int) -> int:
    """A widget's or layout's height at `width` (wrapped text is taller in a narrow column)."""
    if item.hasHeightForWidth():
        return max(0, item.heightForWidth(width))
    return item.sizeHint().height()
