"""The loop guard: stops SmolLM2-style repetition, leaves ordinary replies alone."""

from __future__ import annotations

import pytest

from copilot.llm.fake import pieces_of
from copilot.llm.guard import LoopGuard


def run(text: str) -> tuple[bool, str, int]:
    guard = LoopGuard()
    fed = 0
    for piece in pieces_of(text):
        fed += 1
        if guard.feed(piece):
            break
    return guard.looped, guard.kept_text(), fed


@pytest.mark.parametrize("text, kept", [
    ("I'm sorry, I'm sorry, I'm sorry, I'm sorry, I'm sorry, I'm sorry", "I'm sorry"),
    ("sorry sorry sorry sorry sorry sorry sorry sorry", "sorry"),
    ("Let me check that for you. I can see the order. Let me check that for you. Then",
     "Let me check that for you. I can see the order."),
    ("Thanks. The refund takes five days the refund takes five days the refund takes",
     "Thanks. The refund takes five days"),
])
def test_loops_are_stopped_early_and_cut(text, kept):
    looped, got, fed = run(text)
    assert looped and got == kept
    assert fed < len(pieces_of(text))


@pytest.mark.parametrize("text", [
    "Your refund of 30 dollars will arrive in 5 to 7 business days.",
    "No, no, no, that is not what I meant.",
    "The card ends in 4 4 1 2 4 4 1 2 4 4 1 2.",
    "one two three, one two three, one two three",
    "I'm sorry. I understand. I'm sorry.",  # short sentences may repeat
    "Very very good. Thank you, thank you.",
    "Step 1. Open the app. Step 2. Tap refunds. Step 3. Choose the order.",
])
def test_ordinary_replies_are_left_alone(text):
    looped, got, _ = run(text)
    assert not looped and got == text


def test_streamed_piece_by_piece_or_all_at_once():
    text = "I'm sorry, " * 10
    g1 = LoopGuard()
    assert any(g1.feed(ch) for ch in text)
    g2 = LoopGuard()
    assert g2.feed(text)
    assert g1.kept_text() == g2.kept_text() == "I'm sorry"
    assert g2.feed("more")  # stays looped
