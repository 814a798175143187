"""Suggested lines, knowledge cards, the running summary and the customer signal."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication
from window_fakes import PASSAGES, knowledge, signal, sug, summary

from ui.panels import cards
from ui.panels.assist_panel import AssistPanel, SuggestionCard
from ui.panels.passage_view import PassageView
from ui.panels.signal_indicator import CALM, SignalIndicator
from ui.panels.summary import WAITING, SummaryPanel


def _panel(qtbot) -> tuple[AssistPanel, list]:
    panel = AssistPanel(lookup=PASSAGES.get)
    qtbot.addWidget(panel)
    actions: list = []
    panel.action.connect(lambda kind, card, action: actions.append((kind, card, action)))
    return panel, actions


def test_a_suggestion_is_labelled_ai_and_cites_its_source(qtbot):
    panel, _ = _panel(qtbot)
    panel.show_suggestion(sug("c2", "I've filed a billing correction.", rank=1))
    card = panel.visible_suggestions()[0]
    assert card.header.text().startswith("AI suggestion 1")
    assert "approved wording" in card.header.text()
    assert 'href="passage:BILL-01"' in card.sources.text()
    assert card.objectName() == "card"
    opened: list = []
    panel.open_passage.connect(opened.append)
    card.sources.linkActivated.emit("passage:BILL-01")
    assert opened == ["BILL-01"]


def test_an_abstention_looks_different_and_has_no_source(qtbot):
    panel, _ = _panel(qtbot)
    panel.show_suggestion(sug("c2", "I'm not sure; let me check.", sources=()))
    card = panel.visible_suggestions()[0]
    assert card.objectName() == "abstain"
    assert "not sure" in card.header.text()
    assert card.sources.text() == "No source" and "href" not in card.sources.text()


def test_copy_puts_the_line_on_the_clipboard_and_is_reported(qtbot):
    panel, actions = _panel(qtbot)
    panel.show_suggestion(sug("c2", "first line", rank=1))
    panel.show_suggestion(sug("c2", "second line", sources=("ROAM-01",), rank=2))
    QGuiApplication.clipboard().setText("")
    assert panel.copy_suggestion(2)
    assert QGuiApplication.clipboard().text() == "second line"
    kind, card, action = actions[-1]
    assert (kind, action) == ("suggestion", "copied") and card.event.rank == 2
    assert not panel.copy_suggestion(3)
    assert panel.use_suggestion(1)
    assert actions[-1][2] == "used"
    # the card says it was counted, by the shortcut as by a click (the final walk-through)
    first = panel.visible_suggestions()[0]
    assert first.used.text() == cards.USED
    second = panel.visible_suggestions()[1]
    assert second.used.text() == "Used"
    second.used.click()
    assert second.used.text() == cards.USED and actions[-1][2] == "used"


def test_dismiss_removes_the_card_and_esc_dismisses_only_the_focused_one(qtbot):
    from PySide6.QtCore import Qt

    panel, actions = _panel(qtbot)
    panel.show_suggestion(sug("c2", "first", rank=1))
    panel.show_suggestion(sug("c2", "second", sources=("ROAM-01",), rank=2))
    panel.visible_suggestions()[1].dismiss.click()
    assert [c.event.text for c in panel.visible_suggestions()] == ["first"]
    assert actions[-1][2] == "dismissed"
    n = len(actions)
    qtbot.keyClick(panel, Qt.Key.Key_Escape)  # the panel, not a card, has the key: nothing
    assert len(actions) == n and len(panel.visible_suggestions()) == 1
    card = panel.visible_suggestions()[0]
    qtbot.keyClick(card.used, Qt.Key.Key_Escape)  # a card's own button: that card
    assert actions[-1][2] == "dismissed" and panel.visible_suggestions() == []
    assert panel.proactive.sug_empty.isVisibleTo(panel)


def test_esc_after_the_focused_line_was_replaced_dismisses_nothing(qtbot):
    # The walk-through: Copy clicked on a line, the next question replaced the line and the
    # card, and Qt handed the focus on to the new card, so the next Esc (and the one after)
    # dismissed lines the agent never looked at, recorded in the audit trail as theirs.
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    panel, actions = _panel(qtbot)
    panel.show()
    panel.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is panel)
    panel.show_suggestion(sug("c2", "I've filed a billing correction.", rank=1))
    panel.show_knowledge(knowledge("c2", "BILL-01"))
    old = panel.visible_suggestions()[0]
    old.copy.setFocus(Qt.FocusReason.MouseFocusReason)
    old.copy.click()
    assert QApplication.focusWidget() is old.copy
    panel.show_knowledge(knowledge("c3", "ROAM-01"))
    panel.show_suggestion(sug("c3", "Roaming in Canada is included.", sources=("ROAM-01",)))
    for _ in range(2):
        target = QApplication.focusWidget() or panel
        qtbot.keyClick(target, Qt.Key.Key_Escape)
    assert [a for _, _, a in actions] == ["copied"]
    assert len(panel.visible_suggestions()) == 1 and len(panel.cards) == 1


def test_the_same_card_for_a_newer_question_shows_the_sentence_that_answers_it(qtbot):
    # The cards stay (no flicker) when the newer question finds the same passage, but what
    # they show is the newer question's answer ("how long?": the refund's time).
    import dataclasses

    from copilot.events import Knowledge

    def asked(of: str, answer: str) -> Knowledge:
        ev = knowledge(of, "BILL-01")
        return Knowledge(of, (dataclasses.replace(ev.passages[0], answer=answer),), ev.at)

    panel, _ = _panel(qtbot)
    panel.show_knowledge(asked("c2", "The agent files a billing correction ticket."))
    card = panel.cards[0]
    panel.show_knowledge(asked("c7", "The duplicate amount is refunded within 5 business days."))
    assert panel.cards[0] is card
    assert card.body.text() == "The duplicate amount is refunded within 5 business days."
    assert card.of == "c7"


def test_a_new_question_replaces_the_lines_and_the_same_rank_updates_in_place(qtbot):
    panel, _ = _panel(qtbot)
    panel.show_suggestion(sug("c2", "approved", rank=1))
    card = panel.visible_suggestions()[0]
    panel.show_suggestion(sug("c2", "reworded and verified", rank=1, origin="adapted"))
    assert panel.visible_suggestions()[0] is card
    assert card.body.text() == "reworded and verified"
    assert "reworded by AI" in card.header.text()
    panel.show_suggestion(sug("c4", "for the next question", rank=1))
    shown = panel.visible_suggestions()
    assert len(shown) == 1 and shown[0].event.of == "c4"
    # Ranks stay in order whichever arrives first.
    panel.show_suggestion(sug("c6", "second", rank=2))
    panel.show_suggestion(sug("c6", "first", rank=1))
    assert [c.event.rank for c in panel.visible_suggestions()] == [1, 2]
    assert all(isinstance(c, SuggestionCard) for c in panel.visible_suggestions())


def test_knowledge_cards_show_the_passage_and_copy_its_approved_line(qtbot):
    panel, actions = _panel(qtbot)
    panel.show_knowledge(knowledge("c2", "BILL-01", "ROAM-01"))
    assert [c.ref.id for c in panel.cards] == ["BILL-01", "ROAM-01"]
    bill = panel.cards[0]
    assert "billing correction" in bill.body.text()
    bill.copy.click()
    assert QGuiApplication.clipboard().text() == PASSAGES["BILL-01"].approved_lines[0]
    assert actions[-1][0] == "knowledge" and actions[-1][2] == "copied"
    same = panel.cards[1]
    panel.show_knowledge(knowledge("c4", "BILL-01", "ROAM-01"))  # the same cards stay put
    assert panel.cards[1] is same and same.of == "c4"
    panel.show_knowledge(knowledge("c6", "ROAM-01"))
    assert [c.ref.id for c in panel.cards] == ["ROAM-01"]
    panel.cards[0].dismiss.click()
    assert panel.cards == [] and panel.proactive.card_empty.isVisibleTo(panel)


def test_a_card_for_a_passage_missing_from_the_kb_still_shows_its_title(qtbot):
    panel, _ = _panel(qtbot)
    panel.show_knowledge(knowledge("c2", "GONE-9"))
    assert panel.cards[0].body.text() == "GONE-9"


def test_the_passage_view_shows_the_text_and_approved_lines(qtbot):
    view = PassageView()
    qtbot.addWidget(view)
    view.show_passage("BILL-01", PASSAGES["BILL-01"])
    html = view.text.toPlainText()
    assert "Duplicate or double charges" in html and "5 business days" in html
    assert "Approved lines" in html
    view.show_passage("NOPE", None)
    assert "not in the loaded knowledge base" in view.missing.text()


def test_summary_updates_in_place_and_ignores_older_versions(qtbot):
    panel = SummaryPanel()
    qtbot.addWidget(panel)
    assert panel.body.text() == WAITING
    panel.show_summary(summary(2, "Charged twice", ["Amount: <b>49</b> dollars"]))
    assert "Charged twice" in panel.body.text()
    assert "&lt;b&gt;49&lt;/b&gt;" in panel.body.text()  # model output is text, not markup
    assert panel.heading.text() == "Summary (v2)"
    panel.show_summary(summary(1, "stale"))
    assert "stale" not in panel.body.text()
    panel.show_summary(summary(3, "Refund requested"))
    assert "Refund requested" in panel.body.text() and "Charged twice" not in panel.body.text()
    panel.clear()
    assert panel.body.text() == WAITING and panel.version == 0


def test_signal_indicator_shows_the_words_and_returns_to_calm(qtbot):
    ind = SignalIndicator()
    qtbot.addWidget(ind)
    assert ind.text.text() == CALM
    ind.show_signal(signal(("really frustrated", "second time"), 0.8))
    assert "frustrated" in ind.text.text()
    assert "“really frustrated”" in ind.text.text() and "“second time”" in ind.text.text()
    assert ind.text.objectName() == "signalStrong"
    ind.show_signal(signal(("annoying",), 0.4))
    assert ind.text.objectName() == "signalActive"
    ind._fade.timeout.emit()
    assert ind.text.text() == CALM and ind.current is None


def test_the_signal_is_a_word_and_a_low_level_reads_calm(qtbot):
    ind = SignalIndicator()
    qtbot.addWidget(ind)
    ind.show_signal(signal(("annoying",), 0.16))
    assert ind.text.text() == CALM and ind.text.objectName() == "signalIdle"
    for level, word in ((0.3, "tense"), (0.6, "frustrated"), (0.9, "angry")):
        ind.show_signal(signal(("second time",), level))
        assert ind.text.text() == f"Customer sounds {word}: “second time”"
        assert "%" not in ind.text.text() and f"{level:.0%}" in ind.text.toolTip()
    # the colour says what the word says: 0.72 is frustrated, not angry's strong colour
    ind.show_signal(signal(("second time",), 0.72))
    assert "frustrated" in ind.text.text() and ind.text.objectName() == "signalActive"
    ind.show_signal(signal(("second time",), 0.75))
    assert "angry" in ind.text.text() and ind.text.objectName() == "signalStrong"


def test_a_line_in_the_customers_language_shows_under_the_suggestion(qtbot):
    import dataclasses

    from copilot.events import SuggestionEvent
    from ui.panels.assist_panel import AssistPanel

    panel = AssistPanel()
    qtbot.addWidget(panel)
    line = SuggestionEvent("c1", "Refund within 5 business days.", ("BILL-01",), True, 1.0,
                           "approved_line", 1)
    panel.show_suggestion(line)
    card = panel.suggestions[1]
    assert not card.translated.isVisibleTo(panel)
    panel.show_suggestion(dataclasses.replace(line, translation="Remboursement sous 5 jours "
                                              "ouvrables.", translation_lang="fr"))
    assert panel.suggestions[1] is card
    assert "Remboursement sous 5 jours" in card.translated.text()
    assert card.translated.isVisibleTo(panel) and "AI translation" in card.translated.text()
    assert card.copy_text() == "Refund within 5 business days."  # Copy gives the agent's line
