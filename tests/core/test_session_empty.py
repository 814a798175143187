"""A recording in which nothing was heard is said so, and not kept as an empty call unless asked
(issue 15: a silent recording was stored with "Reason for the call: (not stated)", no warning)."""

from __future__ import annotations

import pytest
import test_session_failures as shared

from copilot.events import Notice
from copilot.store.db import CallStore


@pytest.fixture
def make(monkeypatch):
    return shared.session_factory(monkeypatch)


def _notices(events):
    return [e for e in events if isinstance(e, Notice)]


def test_nothing_heard_is_said_and_the_empty_call_is_not_kept(make, tmp_path):
    with CallStore(tmp_path / "calls.sqlite3") as store:
        session, events = make([shared.stop_after()], store=store)
        result = session.run()
        assert result.call_id is None and result.finals == 0
        assert store.list_calls() == []
        [notice] = _notices(events)
        assert notice.kind == "no_speech" and "not kept" in notice.message


def test_an_empty_call_is_kept_when_asked_and_a_call_with_speech_always(make, tmp_path):
    with CallStore(tmp_path / "calls.sqlite3") as store:
        session, events = make([shared.stop_after()], store=store)
        session.keep_empty = True
        kept = session.run()
        assert kept.call_id is not None and [c.id for c in store.list_calls()] == [kept.call_id]
        assert [n.kind for n in _notices(events)] == ["no_speech"]
        session, events = make([shared.cap("c1", 0.0, 1.0, "hello there"), shared.stop_after()],
                               store=store)
        spoken = session.run()
        assert spoken.finals == 1 and spoken.call_id is not None
        assert not any(n.kind == "no_speech" for n in _notices(events))
