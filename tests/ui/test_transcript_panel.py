"""The transcript: speakers, partial -> final in place, translations, masks, search, scrolling."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from window_fakes import cap, translation

from ui.panels.transcript import TranscriptView
from ui.theme import DARK, LIGHT


def _view(qtbot, colors=LIGHT) -> TranscriptView:
    view = TranscriptView(colors)
    qtbot.addWidget(view)
    view.resize(600, 300)
    view.show()
    return view


def _block(view: TranscriptView, cid: str):
    return view._blocks[cid]


def _formats(block):
    """(text, QTextCharFormat) of each fragment of a block."""
    out = []
    it = block.begin()
    while not it.atEnd():
        frag = it.fragment()
        out.append((frag.text(), frag.charFormat()))
        it += 1
    return out


def test_a_partial_is_italic_and_its_final_replaces_it_in_place(qtbot):
    view = _view(qtbot)
    view.show_caption(cap("c1", "Thank you for", final=False, channel="agent"))
    view.show_caption(cap("c2", "Hi, I was", final=False))
    frags = _formats(_block(view, "c1"))
    assert any(t.startswith("Thank you for") and f.fontItalic() for t, f in frags)
    view.show_caption(cap("c1", "Thank you for calling.", channel="agent"))
    assert view.caption_count() == 2
    text = view.plain_text()
    assert "Thank you for calling." in text and "Thank you for …" not in text
    # Still where the partial was: before the customer's line.
    assert text.index("Thank you for calling.") < text.index("Hi, I was")
    assert not any(f.fontItalic() for t, f in _formats(_block(view, "c1")) if "calling" in t)


def test_a_late_partial_never_replaces_its_final(qtbot):
    view = _view(qtbot)
    view.show_caption(cap("c1", "final words"))
    view.show_caption(cap("c1", "final", final=False))
    assert "final words" in view.plain_text()


def test_speakers_are_visually_distinct(qtbot):
    view = _view(qtbot)
    view.show_caption(cap("c1", "agent line", channel="agent"))
    view.show_caption(cap("c2", "customer line"))
    agent, customer = _block(view, "c1"), _block(view, "c2")
    assert customer.blockFormat().background().color() == QColor(LIGHT.customer_bg)
    assert agent.blockFormat().background().style() == Qt.BrushStyle.NoBrush  # no tint
    who_agent = _formats(agent)[0]
    who_customer = _formats(customer)[0]
    assert who_agent[0] == "Agent" and who_customer[0] == "Customer"
    assert who_agent[1].foreground().color() != who_customer[1].foreground().color()


def test_a_theme_changed_while_open_recolours_the_lines_already_shown(qtbot):
    # The final walk-through: dark chosen in Settings left the lines in light colours
    # (glaring customer bars, dim agent text), also for later calls.
    view = _view(qtbot)
    view.show_caption(cap("c1", "agent line", channel="agent"))
    view.show_caption(cap("c2", "customer line"))
    view.set_colors(DARK)
    assert _block(view, "c2").blockFormat().background().color() == QColor(DARK.customer_bg)
    assert view.plain_text().count("line") == 2 and view.caption_count() == 2
    view.show_caption(cap("c3", "later line"))
    assert _block(view, "c3").blockFormat().background().color() == QColor(DARK.customer_bg)


def test_translation_shows_under_its_customer_line_and_can_be_hidden(qtbot):
    view = _view(qtbot)
    view.show_caption(cap("c1", "Je voudrais résilier mon forfait."))
    view.show_translation(translation("c1", "I would like to cancel my plan."))
    text = view.plain_text()
    assert "Je voudrais" in text
    assert "AI translation: I would like to cancel my plan." in text
    assert text.index("Je voudrais") < text.index("I would like")
    view.translations_box.setChecked(False)
    assert "I would like" not in view.plain_text()
    view.translations_box.setChecked(True)
    assert "I would like" in view.plain_text()


def test_a_translation_arriving_before_its_caption_is_shown_with_it(qtbot):
    view = _view(qtbot)
    view.show_translation(translation("c9", "Hello"))
    view.show_caption(cap("c9", "Hola"))
    assert "AI translation: Hello" in view.plain_text()


def test_masked_spans_are_drawn_as_gray_pills(qtbot):
    view = _view(qtbot, DARK)
    view.show_caption(cap("c1", "my card is [card ending 1111] and code [security code] ok"))
    frags = _formats(_block(view, "c1"))
    pills = [t.strip("\u2009") for t, f in frags if f.background().color() == QColor(DARK.pill_bg)]
    assert pills == ["card ending 1111", "security code"]
    assert "1111" in view.plain_text()  # the last four digits only, as the redactor wrote them


def test_a_retraction_removes_the_partial(qtbot):
    view = _view(qtbot)
    view.show_caption(cap("c1", "first"))
    view.show_caption(cap("c2", "uh", final=False))
    view.show_caption(cap("c3", "third", channel="agent"))
    view.show_caption(cap("c2", ""))
    assert view.caption_count() == 2
    text = view.plain_text()
    assert "uh" not in text and "first" in text and "third" in text
    view.show_caption(cap("c4", "fourth"))  # blocks found by id still work after the removal
    view.show_caption(cap("c3", "third, corrected", channel="agent"))
    assert view.plain_text().index("third, corrected") < view.plain_text().index("fourth")


def test_search_highlights_every_match_and_moves_between_them(qtbot):
    view = _view(qtbot)
    for i in range(6):
        view.show_caption(cap(f"c{i}", f"line {i} about the refund" if i % 2 else f"line {i}"))
    view.search.setText("refund")
    qtbot.waitUntil(lambda: view.matches.text() == "3 matches")
    assert len(view.text.extraSelections()) == 3
    assert view.find_next()
    first = view.text.textCursor().selectionStart()
    assert view.find_next()
    assert view.text.textCursor().selectionStart() > first
    view.search.setText("no such words")
    qtbot.waitUntil(lambda: view.matches.text() == "0 matches")
    assert not view.find_next()


def test_auto_scroll_follows_new_lines_and_pauses_while_reading_back(qtbot):
    view = _view(qtbot)
    bar = view.text.verticalScrollBar()
    for i in range(60):
        view.show_caption(cap(f"c{i}", f"line number {i}", channel="agent" if i % 2 else "customer"))
    assert bar.maximum() > 0
    assert bar.value() == bar.maximum() and view.follow
    bar.setValue(0)  # the agent scrolls back
    assert not view.follow and view.jump.isVisible()
    view.show_caption(cap("c99", "new line while reading"))
    view.show_caption(cap("c98", "growing partial", final=False))
    assert bar.value() == 0
    view.jump.click()
    assert view.follow and not view.jump.isVisible()
    assert bar.value() == bar.maximum()
    view.show_caption(cap("c100", "and follows again"))
    assert bar.value() == bar.maximum()


def test_an_amended_final_replaces_the_shown_one_in_place(qtbot):
    import dataclasses

    view = _view(qtbot)
    view.show_caption(cap("c1", "Okay, it's six oh one one."))
    view.show_caption(cap("c2", "[card ending 9424]"))
    view.show_caption(dataclasses.replace(cap("c1", "Okay, it's [card number]."), amended=True))
    text = view.plain_text()
    assert view.caption_count() == 2
    assert "six oh one one" not in text
    # Masks are drawn as chips (no brackets); the amended line stays where it was.
    assert text.index("Okay, it's \u2009card number") < text.index("card ending 9424")
