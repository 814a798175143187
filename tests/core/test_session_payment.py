"""Payment mode follows when words were spoken (call clock), not when their caption arrives
(captions lag speech by 0.5-5 s); retraction finals are neither stored nor counted."""

from __future__ import annotations

import pytest

# Shared fakes (pytest puts this folder on sys.path: tests/ is not a package).
import test_session_failures as shared

from copilot.call.payment_windows import PaymentWindows
from copilot.call.session import PAYMENT_MODE_TEXT
from copilot.events import Caption
from copilot.store.db import CallStore

FakeClock, cap = shared.FakeClock, shared.cap


@pytest.fixture
def make(monkeypatch):
    return shared.session_factory(monkeypatch)


@pytest.fixture
def store(tmp_path):
    with CallStore(tmp_path / "calls.sqlite3") as s:
        yield s


def test_payment_windows_overlap_with_margin():
    w = PaymentWindows(margin=0.3)
    assert not w.overlaps(0, 100)
    w.set(True, 10.0)
    assert w.active
    assert w.overlaps(50, 60)  # open interval: everything after its start
    assert w.overlaps(8.0, 9.8)  # ends within the margin before the toggle
    assert not w.overlaps(8.0, 9.6)
    w.set(False, 20.0)
    assert not w.active
    assert w.overlaps(20.1, 22)
    assert not w.overlaps(20.4, 22)
    w.set(False, 25.0)  # turning off twice changes nothing
    assert not w.overlaps(20.4, 30)


def _toggle(clock: FakeClock, session_ref: list, on: bool, at: float):
    def step(t):
        clock.t = at
        session_ref[0].set_payment_mode(on)
    return step


def test_caption_spoken_in_payment_mode_is_masked_even_when_emitted_after(make, store):
    clock = FakeClock()
    ref: list = []
    script = [
        cap("c1", 0.0, 4.0, "before payment", at=4.5),
        _toggle(clock, ref, True, 5.0),
        cap("c2", 5.5, 9.0, "my card is 4111 1111 1111 1111", at=9.6),
        cap("c3", 9.5, 10.0, "partial digits", final=False, at=10.1),
        _toggle(clock, ref, False, 12.0),
        # Spoken during payment mode, transcribed late (after it ended): still masked.
        cap("c4", 10.5, 11.9, "expiry 12 27", at=14.0),
        cap("c5", 11.0, 13.0, "partial straddling", final=False, at=14.0),
        cap("c6", 13.0, 15.0, "after payment", at=15.5),
        lambda t: t.stop(),
    ]
    s, events = make(script, store=store, clock=clock)
    ref.append(s)
    result = s.run()
    captions = [e for e in events if isinstance(e, Caption)]
    assert [(e.id, e.text) for e in captions] == [
        ("c1", "before payment"), ("c2", PAYMENT_MODE_TEXT), ("c4", PAYMENT_MODE_TEXT),
        ("c6", "after payment")]
    assert [seg.text for seg in store.segments(result.call_id)] == [
        "before payment", "after payment"]
    assert result.masked == 2


def test_caption_spoken_before_payment_mode_is_kept(make, store):
    """Speech that ended before the toggle (beyond the margin) is not the payment's."""
    clock = FakeClock()
    ref: list = []
    script = [_toggle(clock, ref, True, 6.0),
              cap("c1", 2.0, 5.0, "the order number is 5521", at=6.5),
              lambda t: t.stop()]
    s, events = make(script, store=store, clock=clock)
    ref.append(s)
    result = s.run()
    assert [seg.text for seg in store.segments(result.call_id)] == ["the order number is 5521"]


def test_payment_mode_opened_while_a_final_is_held_masks_it(make, store):
    """A final held by redaction (waiting for more digits) and then covered by payment mode
    is checked again when released: it must not be stored."""
    from copilot.privacy.redaction import Redacted, Redactor

    class Holding(Redactor):
        def push_final(self, channel, key, text, now):
            self.held = (channel, key, Redacted(text, ()))
            return []

        def tick(self, now):
            return []

        def flush(self):
            return [self.held]

    clock = FakeClock()
    ref: list = []
    script = [cap("c1", 3.0, 6.0, "card 4111 1111", at=6.2),
              _toggle(clock, ref, True, 6.1),
              lambda t: t.stop()]
    s, events = make(script, store=store, clock=clock, redactor=Holding())
    ref.append(s)
    result = s.run()
    assert store.segments(result.call_id) == []
    assert [e.text for e in events if isinstance(e, Caption)] == [PAYMENT_MODE_TEXT]


def test_retraction_finals_are_published_but_not_stored_or_counted(make, store):
    script = [cap("c1", 0, 1, "uh", final=False, at=0.9),
              cap("c1", 0, 1.2, "", at=1.5),
              cap("c2", 2, 3, "hello", at=3.5),
              lambda t: t.stop()]
    s, events = make(script, store=store)
    result = s.run()
    assert result.finals == 1
    assert [seg.text for seg in store.segments(result.call_id)] == ["hello"]
    assert [(e.id, e.final, e.text) for e in events if isinstance(e, Caption)] == [
        ("c1", False, "uh"), ("c1", True, ""), ("c2", True, "hello")]
