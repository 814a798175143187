"""Knowledge cards and suggested lines, each with its cited passage, Copy, Used and Dismiss, and
the group that shows one source's lines over its cards.

Everything here is AI output and says so. A suggestion that cites no passage is an abstention
("I'm not sure, let me check") and looks different: no source, a dashed frame. Copy puts text on
the clipboard and nowhere else. Every button press is reported (`action`) so the window can keep
it in the audit trail with the call.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QGuiApplication, QKeyEvent
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

ORIGINS = {"approved_line": "approved wording", "adapted": "reworded by AI, facts checked",
           "abstain": "no approved source: not sure"}
SNIPPET_CHARS = 160
COPY_KEYS = (1, 2)  # Ctrl+1 and Ctrl+2 copy the first and second line on screen

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
        self.used.clicked.connect(self.do_used)
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

    def name_buttons(self, what: str) -> None:
        """Say which card each button acts on to a screen reader ("Copy: suggested line 1,
        BILL-01"): a walk-through found three unnamed Copy, Used and Dismiss per card."""
        self.setAccessibleName(what)
        for button, verb in ((self.copy, "Copy"), (self.used, "Used"), (self.dismiss, "Dismiss")):
            button.setAccessibleName(f"{verb}: {what}")

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

    def do_used(self) -> None:
        """Marked as said: the button says so, as Copy does (the final walk-through found
        nothing to show that a click, or the shortcut, had counted)."""
        self.used.setText(USED)
        self.action.emit(self, "used")


USED = "Used ✓"


class SuggestionCard(_Card):
    def __init__(self, event: Any, parent: QWidget | None = None) -> None:
        # Qt objects take no Python attributes before their __init__: initialise first.
        super().__init__("", event.text, list(event.sources), abstain=not event.sources,
                         parent=parent)
        # The same line in the customer's language, for the agent to read out.
        self.translated = QLabel()
        self.translated.setObjectName("muted")
        self.translated.setWordWrap(True)
        self.translated.setTextFormat(Qt.TextFormat.PlainText)
        self.translated.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.layout().insertWidget(2, self.translated)
        self.event = event
        self._name_line()
        # The copy key is the line's place on screen (Ctrl+1 copies the first line shown), which
        # the panel sets; on its own, a line's rank is its place.
        self.key = event.rank if event.rank in COPY_KEYS else 0
        self.place = event.rank  # its number on screen: the panel renumbers across groups
        self._show_header()
        self._show_translation(event)
        self.setAccessibleName(f"AI suggestion {event.rank}")

    def _show_translation(self, event: Any) -> None:
        text = getattr(event, "translation", "")
        lang = getattr(event, "translation_lang", "")
        self.translated.setText(f"In {lang} (AI translation, check before reading out): {text}"
                                if text else "")
        self.translated.setVisible(bool(text))

    def _show_header(self) -> None:
        event = self.event
        origin = ORIGINS["abstain"] if not event.sources else ORIGINS.get(event.origin, "")
        keys = f"  (Ctrl+{self.key} copies)" if self.key else ""
        self.header.setText(f"AI suggestion {self.place} · {origin}{keys}")

    def set_key(self, n: int) -> None:
        """The line's place among those on screen, n (1 = first): its number and the Ctrl+N
        that copies it (none past the copy keys). A line under the agent's search is
        "suggestion 2, Ctrl+2", not a second "suggestion 1"."""
        self.place = n
        self.key = n if n in COPY_KEYS else 0
        self._show_header()

    def _name_line(self) -> None:
        sources = ", ".join(self.event.sources) or "no passage"
        self.name_buttons(f"suggested line {self.event.rank}, {sources}")

    def update_event(self, event: Any) -> None:
        """A better version of the same line (the LLM's verified rewording): in place."""
        self.event = event
        self._name_line()
        self._show_header()
        self.body.setText(event.text)
        self._show_translation(event)
        self.set_sources(list(event.sources))
        self.copy.setText("Copy")


class KnowledgeCard(_Card):
    """One passage: its title and the sentence that answers the question (the event's `answer`),
    else the start of its text. A candidate (not confident) says so: the agent picks."""

    def __init__(self, ref: Any, of: str, passage: Any = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(self._title(ref), self._text(ref, passage), [ref.id], parent=parent)
        self.ref = ref
        self.of = of
        self.passage = passage
        self.header.setObjectName("heading")
        self.name_buttons(f"knowledge card {ref.id}")

    def show_answer(self, ref: Any) -> None:
        """The same passage for a newer question: its sentence that answers this one ("how
        long?" after "charged twice": the refund's time, not the correction ticket)."""
        self.ref = ref
        self.header.setText(self._title(ref))
        self.body.setText(self._text(ref, self.passage))

    @staticmethod
    def _title(ref: Any) -> str:
        return (f"Check the caller's claim: {ref.title}" if getattr(ref, "claim", False) else
                ref.title if getattr(ref, "confident", True) else f"Maybe: {ref.title}")

    @staticmethod
    def _text(ref: Any, passage: Any) -> str:
        text = getattr(ref, "answer", "")
        if not text and passage is not None:
            text = passage.text.strip().replace("\n", " ")
            if len(text) > SNIPPET_CHARS:
                text = text[:SNIPPET_CHARS].rsplit(" ", 1)[0] + " …"
        return text or ref.title

    def copy_text(self) -> str:
        """An approved line is what an agent may say verbatim; otherwise the passage text."""
        if self.passage is None:
            return self.ref.title
        if self.passage.approved_lines:
            return self.passage.approved_lines[0]
        return self.passage.text.strip()


class CardGroup(QWidget):
    """One source's suggested lines over its knowledge cards: the customer's latest question's
    (the proactive ones), or the agent's own search's. A newer question's lines and cards replace
    the older ones; the same question's line of the same rank is updated in place."""

    action = Signal(str, object, str)  # ("suggestion"|"knowledge", the card, action)
    open_passage = Signal(str)
    changed = Signal()  # lines or cards came or went

    def __init__(self, lookup: PassageLookup, *, no_lines: str, no_cards: str,
                 headings: bool = True, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lookup = lookup
        self.suggestions: dict[int, SuggestionCard] = {}  # rank -> card
        self.suggestions_of = ""
        self.cards: list[KnowledgeCard] = []
        self.cards_of = ""
        self.sug_empty = _faint(no_lines)
        self.card_empty = _faint(no_cards)
        self.sug_box = QVBoxLayout()
        self.card_box = QVBoxLayout()
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.titles: list[QLabel] = []
        for title, empty, box in (("Suggested lines", self.sug_empty, self.sug_box),
                                  ("Knowledge", self.card_empty, self.card_box)):
            if headings:
                heading = QLabel(title)
                heading.setObjectName("heading")
                self.titles.append(heading)
                lay.addWidget(heading)
            lay.addWidget(empty)
            lay.addLayout(box)
            if title == "Suggested lines":
                lay.addSpacing(8 if headings else 2)
        self._empties()

    @property
    def empty(self) -> bool:
        return not self.suggestions and not self.cards

    def lines(self) -> list[SuggestionCard]:
        return [self.suggestions[r] for r in sorted(self.suggestions)]

    def put_suggestion(self, event: Any) -> None:
        if event.of != self.suggestions_of:
            self.clear_suggestions()
            self.suggestions_of = event.of
        card = self.suggestions.get(event.rank)
        if card is not None:
            card.update_event(event)
            return
        card = SuggestionCard(event)
        card.action.connect(lambda c, a: self._acted("suggestion", c, a))
        card.open_passage.connect(self.open_passage)
        self.suggestions[event.rank] = card
        self.sug_box.insertWidget(sorted(self.suggestions).index(event.rank), card)
        self._empties()
        self.changed.emit()

    def put_cards(self, event: Any) -> None:
        ids = [c.ref.id for c in self.cards]
        if ids and [p.id for p in event.passages] == ids:
            self.cards_of = event.of  # the same passages again: keep the cards, no flicker
            for card, ref in zip(self.cards, event.passages, strict=True):
                card.of = event.of
                card.show_answer(ref)  # the sentence that answers the newer question
            return
        self.clear_cards()
        self.cards_of = event.of
        for ref in event.passages:
            card = KnowledgeCard(ref, event.of, self.lookup(ref.id))
            card.action.connect(lambda c, a: self._acted("knowledge", c, a))
            card.open_passage.connect(self.open_passage)
            self.cards.append(card)
            self.card_box.addWidget(card)
        self._empties()
        self.changed.emit()

    def _acted(self, kind: str, card: Any, action: str) -> None:
        self.action.emit(kind, card, action)
        if action == "dismissed":
            self.remove(card)

    def remove(self, card: Any) -> None:
        if isinstance(card, SuggestionCard):
            self.suggestions = {r: c for r, c in self.suggestions.items() if c is not card}
        else:
            self.cards = [c for c in self.cards if c is not card]
        self._retire(card)
        self._empties()
        self.changed.emit()

    def clear_suggestions(self) -> None:
        for card in self.suggestions.values():
            self._retire(card)
        self.suggestions = {}
        self._empties()

    def clear_cards(self) -> None:
        for card in self.cards:
            self._retire(card)
        self.cards = []
        self._empties()

    def _retire(self, card: QWidget) -> None:
        """Take a card off the screen. If it held the keyboard focus (the agent clicked Copy,
        then the next question replaced the line), the focus goes to this group, not on to
        the next card, as Qt would hand it: an Esc meant for the old card must not dismiss a
        new one the agent never looked at, and be recorded as their dismissal."""
        focused = QApplication.focusWidget()
        if focused is not None and (focused is card or card.isAncestorOf(focused)):
            self.setFocus(Qt.FocusReason.OtherFocusReason)
        card.hide()
        card.deleteLater()

    def clear(self) -> None:
        self.clear_suggestions()
        self.clear_cards()
        self.suggestions_of = self.cards_of = ""

    def _empties(self) -> None:
        # An empty text of "" (the search always brings a line, if only "not sure") never shows.
        self.sug_empty.setVisible(not self.suggestions and bool(self.sug_empty.text()))
        self.card_empty.setVisible(not self.cards and bool(self.card_empty.text()))


def _faint(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("faint")
    label.setWordWrap(True)
    return label
