"""Privacy at the session seam: whatever the speech model writes, a partial caption reaches the
listeners (the window, the printer) redacted. The redactor is unit-tested on its own; this pins
that the session actually uses it on partials (issue: replacing the partial path with a plain
publish passed the whole suite)."""

from __future__ import annotations

import re
import threading

import pytest

# Shared fakes (pytest puts this folder on sys.path: tests/ is not a package).
import test_session_failures as shared

from copilot.events import Caption

cap, stop_after = shared.cap, shared.stop_after


@pytest.fixture
def make(monkeypatch):
    return shared.session_factory(monkeypatch)


def _digits(text: str) -> int:
    return len(re.sub(r"\D", "", text))


def test_partials_with_a_card_number_are_redacted_before_anyone_sees_them(make):
    script = [
        cap("c1", 0.0, 2.0, "my card is 4111", final=False, at=2.1),
        cap("c1", 0.0, 3.0, "my card is 4111 1111 1111", final=False, at=3.1),
        cap("c1", 0.0, 4.0, "my card is 4111 1111 1111 1111", final=False, at=4.1),
        cap("c1", 0.0, 4.5, "my card is 4111 1111 1111 1111", at=5.0),
        stop_after(),
    ]
    session, events = make(script)
    session.run()
    partials = [e for e in events if isinstance(e, Caption) and not e.final]
    finals = [e for e in events if isinstance(e, Caption) and e.final]
    assert len(partials) == 3
    for e in partials + finals:
        assert _digits(e.text) <= 4, e.text  # at most the last four digits, ever
    assert "4111 1111" not in " ".join(e.text for e in events if isinstance(e, Caption))


def test_partials_with_digits_after_a_card_cue_are_masked(make):
    script = [cap("c1", 0.0, 2.0, "the card number is six oh one one", final=False, at=2.1),
              cap("c1", 0.0, 3.0, "the card number is 6011 0009", final=False, at=3.1),
              stop_after()]
    session, events = make(script)
    session.run()
    shown = [e.text for e in events if isinstance(e, Caption)]
    assert shown and all(_digits(t) <= 4 for t in shown), shown


def test_a_shown_caption_that_began_a_card_is_amended_in_the_store_and_on_screen(make, tmp_path):
    from copilot.store.db import CallStore

    seen: list = []

    def pause_until_released(t):
        """The customer pauses: the call clock runs on until the held caption is released."""
        for _ in range(1000):
            if any(isinstance(e, Caption) and e.id == "c1" and e.final for e in seen):
                return
            t.clock.t += 0.5
            threading.Event().wait(0.01)
        raise AssertionError("the held caption was never released")

    script = [cap("c1", 0.0, 2.0, "Okay, it's six oh one one.", at=1.0),
              pause_until_released,
              cap("c2", 9.0, 10.5, "0009 9013 9424", at=11.0),
              stop_after()]
    with CallStore(tmp_path / "calls.sqlite3") as store:
        session, events = make(script, store=store, listeners=[seen.append])
        result = session.run()
        finals = [(e.id, e.text, e.amended) for e in events
                  if isinstance(e, Caption) and e.final]
        assert finals == [("c1", "Okay, it's six oh one one.", False),
                          ("c2", "[card ending 9424]", False),
                          ("c1", "Okay, it's [card number].", True)]
        assert [s.text for s in store.segments(result.call_id)] == [
            "Okay, it's [card number].", "[card ending 9424]"]
        assert result.amended == 1 and result.finals == 2
