"""The session with assistance: assistance events are stored with the call (by the one writer)
before they are shown, Whisper translations follow their caption and are redacted, and the
end of the call waits for the closing assistance."""

from __future__ import annotations

import time

import pytest
import test_session_failures as shared

from copilot.assist.pipeline import AssistOptions, AssistPipeline
from copilot.call.session import PAYMENT_MODE_TEXT
from copilot.events import Caption, Knowledge, SuggestionEvent, Translation
from copilot.knowledge.base import KnowledgeBase
from copilot.store.db import CallStore

FakeClock, cap = shared.FakeClock, shared.cap


@pytest.fixture
def make(monkeypatch):
    return shared.session_factory(monkeypatch)


@pytest.fixture
def store(tmp_path):
    with CallStore(tmp_path / "calls.sqlite3") as s:
        yield s


@pytest.fixture(scope="module")
def kb(testdata):
    with KnowledgeBase.load(testdata / "kb" / "northwind") as base:
        yield base


def factory(kb, **opts):
    return lambda clock, emit: AssistPipeline(kb, clock, emit, options=AssistOptions(**opts))


def test_cards_and_suggestions_are_stored_and_shown_after_their_caption(make, store, kb):
    script = [cap("c1", 0.0, 4.0, "I was charged twice this month, can I get a refund?"),
              shared.stop_after()]
    s, events = make(script, store=store, assist=factory(kb))
    result = s.run()
    kinds = [type(e).__name__ for e in events]
    assert kinds.index("Caption") < kinds.index("Knowledge") < kinds.index("SuggestionEvent")
    stored = store.events(result.call_id)
    assert {"knowledge", "suggestion"} <= {e.type for e in stored}
    sug = next(e for e in stored if e.type == "suggestion")
    assert sug.payload["sources"] == ["BILL-01"] and sug.payload["of"] == "c1"
    assert result.assist_events == len([e for e in events
                                        if isinstance(e, Knowledge | SuggestionEvent)])


def test_a_whisper_translation_waits_for_its_held_caption_and_is_redacted(make, store, kb):
    """The caption is held by the redactor (a card number may continue in the next one); its
    translation arrives first yet is shown after it, with the digits masked."""
    card = "4111 1111 1111 1111"
    script = [
        Caption("c1", True, "customer", 0.0, 3.0, 3.5, "fr", "ma carte est 4111 1111"),
        Translation("c1", "en", "my card is 4111 1111", 3.6, "whisper"),
        Caption("c2", True, "customer", 3.2, 6.0, 6.5, "fr", "1111 1111 voilà"),
        Translation("c2", "en", "1111 1111 there you go", 6.6, "whisper"),
        shared.stop_after(),
    ]
    s, events = make(script, store=store, assist=factory(kb, whisper_translates=True))
    result = s.run()
    order = [(type(e).__name__, getattr(e, "id", getattr(e, "of", ""))) for e in events
             if isinstance(e, Caption | Translation)]
    assert order.index(("Caption", "c1")) < order.index(("Translation", "c1"))
    assert order.index(("Caption", "c2")) < order.index(("Translation", "c2"))
    stored = [e.payload["text"] for e in store.events(result.call_id) if e.type == "translation"]
    assert len(stored) == 2
    for text in stored:
        assert "4111" not in text and "1111 1111" not in text
    raw = b"".join(p.read_bytes() for p in store.path.parent.glob(store.path.name + "*"))
    assert card.encode() not in raw and b"4111" not in raw


def test_no_translation_is_kept_for_a_caption_spoken_in_payment_mode(make, store, kb):
    clock = FakeClock()
    ref: list = []

    def pay(on, at):
        def step(t):
            clock.t = at
            ref[0].set_payment_mode(on)
        return step

    script = [pay(True, 1.0),
              Caption("c1", True, "customer", 1.5, 3.0, 3.5, "fr", "le code est sept huit"),
              Translation("c1", "en", "the code is seven eight", 3.6, "whisper"),
              pay(False, 5.0), shared.stop_after()]
    s, events = make(script, store=store, clock=clock, assist=factory(kb, whisper_translates=True))
    ref.append(s)
    result = s.run()
    assert not [e for e in events if isinstance(e, Translation)]
    assert [e.text for e in events if isinstance(e, Caption)] == [PAYMENT_MODE_TEXT]
    assert not [e for e in store.events(result.call_id) if e.type == "translation"]


def test_the_call_ends_after_assistance_has_finished(make, store, kb):
    order: list[str] = []

    class Slow(AssistPipeline):
        def _finish(self):
            time.sleep(0.3)  # the scenario: closing the summary takes a while
            super()._finish()
            order.append("assistance finished")

    script = [cap("c1", 0.0, 4.0, "Can I get my duplicate charge refunded?"),
              shared.stop_after()]
    s, _ = make(script, store=store,
                assist=lambda clock, emit: Slow(kb, clock, emit))
    s.run()
    order.append("run() returned")
    assert order == ["assistance finished", "run() returned"]
    assert store.get_call(s.result.call_id).status == "completed"


def test_a_live_call_holds_the_lock_that_keeps_practice_out(make, store, copilot_home):
    from copilot.locks import live_call_active

    seen: list[bool] = []
    script = [lambda t: seen.append(live_call_active()), shared.stop_after()]
    s, _ = make(script, store=store)
    s.run()
    assert seen == [True]
    assert not live_call_active()
