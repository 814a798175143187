"""Knowledge cards and suggested lines, each with its cited passage, Copy, Used and Dismiss.

Everything here is AI output and says so. A suggestion that cites no passage is an abstention
("I'm not sure, let me check") and looks different: no source, a dashed frame. Copy puts text on
the clipboard and nowhere else. Every button press is reported through `action` so the window
can keep it in the audit trail with the call.

Above them, the agent's own search of the knowledge base (Ctrl+K, Enter): its card and lines
(copilot/assist/ask.py) take the place of the proactive ones, headed "Your search: ...", until
the next customer turn brings new ones. Under the search box, folded to one line, the draft box
(ui/panels/draft_box.py, Ctrl+D): the agent's own words rephrased, facts checked.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QGuiApplication, QKeyEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ui.panels.draft_box import DraftBox
from ui.theme import LIGHT, Colors

ORIGINS = {"approved_line": "approved wording", "adapted": "reworded by AI, facts checked",
           "abstain": "no approved source: not sure"}
NO_CARDS = "Knowledge cards appear when the customer asks about something in the knowledge base."
NO_SUGGESTIONS = "Suggested lines appear after a customer question."
NO_ASK_CARDS = "Nothing in the knowledge base matches your search."
ASK_PLACEHOLDER = "Ask the knowledge base (Ctrl+K)"
ASK_TIP = ("Type a question and press Enter: the matching knowledge and approved lines replace "
           "the cards until the customer's next question. During a stored call the question and "
           "what it showed are kept with the call; between calls nothing is kept. Esc clears.")
SEARCHING = "Searching…"
SNIPPET_CHARS = 160

# (passage id) -> kb_parse.Passage or None; the window gives the loaded knowledge base's.
PassageLookup = Callable[[str], Any]


def source_links(ids: tuple[str, ...] | list[str]) -> str:
    return " ".join(f'<a href="passage:{html.escape(i)}">{html.escape(i)}</a>' for i in ids)


class _Card(QFrame):
    """Shared layout: a header line, a body, the sources, and the three buttons."""

    action = Signal(object, str)  # (the card, copied|used|dismissed)
    open_passage = Signal(str)

    def __init__(self, header: str, body: str, sources: list[str], *, abstain: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("abstain" if abstain else "card")
        # Everything wraps: at 200 % font scale a card must still fit the column (no clipping).
        self.header = QLabel(header)
        self.header.setObjectName("aiLabel")
        self.header.setWordWrap(True)
        self.body = QLabel(body)
        self.body.setWordWrap(True)
        self.body.setTextFormat(Qt.TextFormat.PlainText)
        self.body.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.sources = QLabel()
        self.sources.setTextFormat(Qt.TextFormat.RichText)
        self.sources.setWordWrap(True)
        self.sources.linkActivated.connect(self._link)
        self.set_sources(sources)
        self.copy = QPushButton("Copy")
        self.used = QPushButton("Used")
        self.dismiss = QPushButton("Dismiss")
        self.copy.clicked.connect(self.do_copy)
        self.used.clicked.connect(lambda: self.action.emit(self, "used"))
        self.dismiss.clicked.connect(lambda: self.action.emit(self, "dismissed"))
        buttons = QHBoxLayout()
        buttons.addWidget(self.sources, 1)
        for b in (self.copy, self.used, self.dismiss):
            buttons.addWidget(b)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(10, 8, 10, 8)
        lay.addWidget(self.header)
        lay.addWidget(self.body)
        lay.addLayout(buttons)
        # Esc dismisses a card only while it (or one of its buttons) has the keyboard focus: a
        # dismissal goes into the audit trail, so it must be meant for this card (a window-wide
        # Esc also fired when the agent closed a dialog).
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        for w in (self.copy, self.used, self.dismiss):
            w.installEventFilter(self)

    def keyPressEvent(self, e: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        if e.key() == Qt.Key.Key_Escape and e.modifiers() == Qt.KeyboardModifier.NoModifier:
            self.dismiss.click()
            return
        super().keyPressEvent(e)

    def eventFilter(self, obj: Any, e: Any) -> bool:  # noqa: N802 - Qt's name
        if (e.type() == QEvent.Type.KeyPress and e.key() == Qt.Key.Key_Escape
                and e.modifiers() == Qt.KeyboardModifier.NoModifier):
            self.dismiss.click()
            return True
        return super().eventFilter(obj, e)

    def set_sources(self, ids: list[str]) -> None:
        self.source_ids = list(ids)
        self.sources.setText(("Source: " + source_links(ids)) if ids else "No source")
        self.sources.setToolTip("Click to read the approved passage" if ids else "")

    def _link(self, href: str) -> None:
        if href.startswith("passage:"):
            self.open_passage.emit(href.removeprefix("passage:"))

    def copy_text(self) -> str:
        return self.body.text()

    def do_copy(self) -> None:
        QGuiApplication.clipboard().setText(self.copy_text())
        self.copy.setText("Copied")
        self.action.emit(self, "copied")


class SuggestionCard(_Card):
    def __init__(self, event: Any, parent: QWidget | None = None) -> None:
        # Qt objects take no Python attributes before their __init__: initialise first.
        super().__init__(self._header(event), event.text, list(event.sources),
                         abstain=not event.sources, parent=parent)
        # The same line in the customer's language, for the agent to read out.
        self.translated = QLabel()
        self.translated.setObjectName("muted")
        self.translated.setWordWrap(True)
        self.translated.setTextFormat(Qt.TextFormat.PlainText)
        self.translated.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.layout().insertWidget(2, self.translated)
        self.event = event
        self._show_translation(event)
        self.setAccessibleName(f"AI suggestion {event.rank}")

    def _show_translation(self, event: Any) -> None:
        text = getattr(event, "translation", "")
        lang = getattr(event, "translation_lang", "")
        self.translated.setText(f"In {lang} (AI translation, check before reading out): {text}"
                                if text else "")
        self.translated.setVisible(bool(text))

    @staticmethod
    def _header(event: Any) -> str:
        origin = ORIGINS["abstain"] if not event.sources else ORIGINS.get(event.origin, "")
        keys = f"  (Ctrl+{event.rank} copies)" if event.rank in (1, 2) else ""
        return f"AI suggestion {event.rank} · {origin}{keys}"

    def update_event(self, event: Any) -> None:
        """A better version of the same line (the LLM's verified rewording): in place."""
        self.event = event
        self.header.setText(self._header(event))
        self.body.setText(event.text)
        self._show_translation(event)
        self.set_sources(list(event.sources))
        self.copy.setText("Copy")


class KnowledgeCard(_Card):
    """One passage: its title and the sentence that answers the question (the event's `answer`),
    else the start of its text. A candidate (not confident) says so: the agent picks."""

    def __init__(self, ref: Any, of: str, passage: Any = None,
                 parent: QWidget | None = None) -> None:
        text = getattr(ref, "answer", "")
        if not text and passage is not None:
            text = passage.text.strip().replace("\n", " ")
            if len(text) > SNIPPET_CHARS:
                text = text[:SNIPPET_CHARS].rsplit(" ", 1)[0] + " …"
        title = ref.title if getattr(ref, "confident", True) else f"Maybe: {ref.title}"
        super().__init__(title, text or ref.title, [ref.id], parent=parent)
        self.ref = ref
        self.of = of
        self.passage = passage
        self.header.setObjectName("heading")
        self.setAccessibleName(f"knowledge card {ref.id}")

    def copy_text(self) -> str:
        """An approved line is what an agent may say verbatim; otherwise the passage text."""
        if self.passage is None:
            return self.ref.title
        if self.passage.approved_lines:
            return self.passage.approved_lines[0]
        return self.passage.text.strip()


class AskBox(QLineEdit):
    """The search box. Esc clears it and does nothing else: the window's Esc (dismiss the first
    card) must never fire while the agent is typing here."""

    def event(self, e: QEvent) -> bool:
        if (e.type() == QEvent.Type.ShortcutOverride and isinstance(e, QKeyEvent)
                and e.key() == Qt.Key.Key_Escape):
            e.accept()  # the key comes to this box as a key press, not to a shortcut
            return True
        return super().event(e)

    def keyPressEvent(self, e: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        if e.key() == Qt.Key.Key_Escape:
            self.clear()
            e.accept()
            return
        super().keyPressEvent(e)


class AssistPanel(QWidget):
    """Cards above, suggestions below; both replaced by the newest customer question's, or by
    the agent's search until the next customer question."""

    action = Signal(str, object, str)  # ("suggestion"|"knowledge", the event/ref card, action)
    open_passage = Signal(str)
    ask_requested = Signal(str)  # the agent's question (stripped, never empty)
    content_changed = Signal()  # cards or lines came or went: the window may make room

    def __init__(self, lookup: PassageLookup | None = None, colors: Colors = LIGHT,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lookup = lookup or (lambda _id: None)
        self.suggestions: dict[int, SuggestionCard] = {}  # rank -> card
        self.suggestions_of = ""
        self.cards: list[KnowledgeCard] = []
        self.cards_of = ""
        self.ask_of = ""  # the agent's search on screen ("ask-3"), "" = the proactive cards
        self.ask_question = ""
        self._seen: set[str] = set()  # the caption ids this call's cards and lines came for

        self.ask_box = AskBox()
        self.ask_box.setPlaceholderText(ASK_PLACEHOLDER)
        self.ask_box.setClearButtonEnabled(True)
        self.ask_box.setToolTip(ASK_TIP)
        self.ask_box.setAccessibleName("ask the knowledge base")
        self.ask_box.returnPressed.connect(self.submit_ask)
        self.ask_status = QLabel(SEARCHING)
        self.ask_status.setObjectName("muted")
        self.ask_status.hide()
        self.ask_title = QLabel()
        self.ask_title.setObjectName("askTitle")
        self.ask_title.setWordWrap(True)
        self.ask_title.setTextFormat(Qt.TextFormat.PlainText)
        self.ask_title.hide()

        sug_title = QLabel("Suggested lines")
        sug_title.setObjectName("heading")
        self.sug_empty = QLabel(NO_SUGGESTIONS)
        self.sug_empty.setObjectName("faint")
        self.sug_empty.setWordWrap(True)
        self.sug_box = QVBoxLayout()
        card_title = QLabel("Knowledge")
        card_title.setObjectName("heading")
        self.card_empty = QLabel(NO_CARDS)
        self.card_empty.setObjectName("faint")
        self.card_empty.setWordWrap(True)
        self.card_box = QVBoxLayout()

        inner = QWidget()
        inner.setObjectName("root")
        lay = QVBoxLayout(inner)
        lay.setContentsMargins(0, 0, 4, 0)
        lay.addWidget(self.ask_title)
        lay.addSpacing(2)
        lay.addWidget(sug_title)
        lay.addWidget(self.sug_empty)
        lay.addLayout(self.sug_box)
        lay.addSpacing(8)
        lay.addWidget(card_title)
        lay.addWidget(self.card_empty)
        lay.addLayout(self.card_box)
        lay.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.inner, self.scroll = inner, scroll
        ask_row = QHBoxLayout()
        ask_row.setContentsMargins(0, 4, 4, 6)
        ask_row.addWidget(self.ask_box, 1)
        ask_row.addWidget(self.ask_status)
        # The agent's drafts: folded to one line unless opened, so the lines and cards keep
        # their room; the window gives it more from the summary when it grows (needed_height).
        self.draft = DraftBox(colors)
        self.draft.content_changed.connect(self.content_changed)
        self.draft.open_passage.connect(self.open_passage)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addLayout(ask_row)
        outer.addWidget(self.draft)
        outer.addWidget(scroll, 1)

    def needed_height(self) -> int:
        """The height that shows every line and card without scrolling, at the current width
        (cards wrap: the narrower the column, the taller they are). The search and draft boxes
        above count at their current height (the layout is brought up to date first)."""
        self.layout().activate()
        width = self.scroll.viewport().width()
        inner = self.inner.layout()
        body = inner.heightForWidth(width) if inner.hasHeightForWidth() else -1
        if body <= 0:
            body = inner.sizeHint().height()
        frame = 2 * self.scroll.frameWidth()
        return self.height() - self.scroll.height() + body + frame

    # -- the agent's search --
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
        """A copilot.assist.ask.AskResult: its card and lines replace what is shown, headed by
        the question, until a new customer question brings cards or lines."""
        self._clear_suggestions()
        self._clear_cards()
        self.ask_of = result.id
        self.ask_question = result.question
        self.ask_title.setText(f"Your search: {result.question}")
        self.ask_title.show()
        self.card_empty.setText(NO_ASK_CARDS)
        self.suggestions_of = self.cards_of = result.id
        if result.knowledge is not None:
            self._put_cards(result.knowledge)
        for event in result.suggestions:
            self._put_suggestion(event)

    def _leave_ask(self) -> None:
        self.ask_of = self.ask_question = ""
        self.ask_title.hide()
        self.card_empty.setText(NO_CARDS)
        self._clear_suggestions()
        self._clear_cards()
        self.suggestions_of = self.cards_of = ""

    def _shows(self, of: str) -> bool:
        """Whether a caption-driven event goes on screen. While the agent's search is shown,
        late updates for the turns before it (a reworded line, a translation) are not shown;
        a new customer turn's first event ends the search's turn."""
        if self.ask_of:
            if of in self._seen:
                return False
            self._leave_ask()
        self._seen.add(of)
        return True

    # -- events --
    def show_suggestion(self, event: Any) -> None:
        """A copilot.events.SuggestionEvent. A new question's lines replace the old ones; the
        same question's line of the same rank is updated in place."""
        if self._shows(event.of):
            self._put_suggestion(event)

    def _put_suggestion(self, event: Any) -> None:
        if event.of != self.suggestions_of:
            self._clear_suggestions()
            self.suggestions_of = event.of
        card = self.suggestions.get(event.rank)
        if card is not None:
            card.update_event(event)
            return
        card = SuggestionCard(event)
        card.action.connect(lambda c, a: self._acted("suggestion", c, a))
        card.open_passage.connect(self.open_passage)
        self.suggestions[event.rank] = card
        ranks = sorted(self.suggestions)
        self.sug_box.insertWidget(ranks.index(event.rank), card)
        self.sug_empty.hide()
        self.content_changed.emit()

    def show_knowledge(self, event: Any) -> None:
        """A copilot.events.Knowledge: the passages for the latest customer caption."""
        if self._shows(event.of):
            self._put_cards(event)

    def _put_cards(self, event: Any) -> None:
        ids = [c.ref.id for c in self.cards]
        if ids and [p.id for p in event.passages] == ids:
            self.cards_of = event.of  # the same passages again: keep the cards, no flicker
            for card in self.cards:
                card.of = event.of
            return
        self._clear_cards()
        self.cards_of = event.of
        for ref in event.passages:
            card = KnowledgeCard(ref, event.of, self.lookup(ref.id))
            card.action.connect(lambda c, a: self._acted("knowledge", c, a))
            card.open_passage.connect(self.open_passage)
            self.cards.append(card)
            self.card_box.addWidget(card)
        self.card_empty.setVisible(not self.cards)
        self.content_changed.emit()

    def _acted(self, kind: str, card: Any, action: str) -> None:
        self.action.emit(kind, card, action)
        if action == "dismissed":
            self._remove(card)

    def _remove(self, card: Any) -> None:
        if isinstance(card, SuggestionCard):
            self.suggestions = {r: c for r, c in self.suggestions.items() if c is not card}
            self.sug_empty.setVisible(not self.suggestions)
        else:
            self.cards = [c for c in self.cards if c is not card]
            self.card_empty.setVisible(not self.cards)
        card.hide()
        card.deleteLater()
        self.content_changed.emit()

    def _clear_suggestions(self) -> None:
        for card in list(self.suggestions.values()):
            card.hide()
            card.deleteLater()
        self.suggestions = {}
        self.sug_empty.show()

    def _clear_cards(self) -> None:
        for card in self.cards:
            card.hide()
            card.deleteLater()
        self.cards = []
        self.card_empty.show()

    def clear(self) -> None:
        """A new call: no cards, no search on screen (the box keeps its text), no rephrased
        draft (the draft box keeps the draft)."""
        self._leave_ask()
        self._seen.clear()
        self.draft.clear_result()

    # -- keyboard --
    def visible_suggestions(self) -> list[SuggestionCard]:
        return [self.suggestions[r] for r in sorted(self.suggestions)]

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
        self._acted("suggestion", shown[n - 1], "used")
        return True
