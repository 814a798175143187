"""copilot/logs.py: the log's content rule (the formatter's defence in depth), reason codes,
session ids for unstored calls, and content debug mode (a call's debug file, written only while
that stored call records and erased with it by `calls delete` and retention)."""

from __future__ import annotations

import io
import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

# Shared session fakes (pytest puts tests/core on sys.path: tests/ is not a package).
import test_session_failures as shared

from copilot import logs
from copilot.events import Caption
from copilot.settings import Settings
from copilot.store.db import CallStore
from copilot.store.retention import delete_older_than

SAID = "Hi, this is Edmund Thistlewood, my account is 583917 and I want my refund"
SHORT = "Edmund Thistlewood, account 583917, wants a refund"  # under MAX_WORDS


@pytest.fixture
def captured():
    """A logger whose one handler uses the copilot.log formatter; its output."""
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.setFormatter(logs.ContentFreeFormatter("%(levelname)s %(name)s: %(message)s"))
    logger = logging.getLogger("copilot.test_logs_content")
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    yield logger, out
    logger.removeHandler(handler)
    logger.propagate = True


@pytest.fixture(autouse=True)
def no_debug_target():
    yield
    logs.end_call_debug()


def test_quoted_text_long_text_and_objects_never_reach_the_log(captured):
    logger, out = captured
    caption = Caption("c1", True, "customer", 0, 1, 1, "en", SAID)
    logger.info("rejected (%s): %r", "not in the transcript: refund", SHORT)
    logger.info("short reason %s, long text %s, %r", "too long", SAID, SAID)
    logger.info("event %s, listener %s", caption, test_quoted_text_long_text_and_objects_never_reach_the_log)
    logger.info("stats %s", {"finals_queued": 3, "asr_seconds": 1.5, "words": [SHORT]})
    text = out.getvalue()
    assert "Thistlewood" not in text and "583917" not in text and "refund" in text
    assert "rejected (not in the transcript: refund): <quoted: 7 words>" in text
    assert "short reason too long, long text <text: 14 words>, '<text: 14 words>'" in text
    assert "event <Caption>, listener test_quoted_text_long_text_and_objects" in text
    assert "{'finals_queued': 3, 'asr_seconds': 1.5, 'words': [<quoted: 7 words>]}" in text


def test_ids_numbers_paths_codes_and_quoted_tokens_are_kept(captured):
    logger, out = captured
    logger.info("call %s: %d finals, %.1f s, stored %s, %s, folder %s, key 'reason', %s",
                "s-1a2b3c4d", 12, 3.25, False, None, Path("/tmp/My Calls"),
                logs.code("a reason code written by the program, however long it happens to be"))
    assert out.getvalue() == (
        "INFO copilot.test_logs_content: call s-1a2b3c4d: 12 finals, 3.2 s, stored False, None, "
        "folder /tmp/My Calls, key 'reason', a reason code written by the program, however "
        "long it happens to be\n")


def test_exceptions_keep_type_frames_and_message_without_quoted_text(captured):
    logger, out = captured
    try:
        try:
            raise ValueError(f"the model's output is not valid JSON: output: {SAID!r}")
        except ValueError as e:
            raise RuntimeError("summary failed after 3 tries") from e
    except RuntimeError as e:
        logger.exception("step %s failed: %s", "summarize", e)
    text = out.getvalue()
    assert "Thistlewood" not in text and "583917" not in text
    assert "step summarize failed: summary failed after 3 tries" in text
    assert "Traceback (most recent call last)" in text and "test_logs_content.py" in text
    assert "ValueError: the model's output is not valid JSON: output: <quoted: 14 words>" in text
    assert "RuntimeError: summary failed after 3 tries" in text


def test_other_handlers_see_the_record_as_it_was(captured):
    logger, out = captured
    seen: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record):
            seen.append(record)

    keep = Keep()
    logger.addHandler(keep)
    try:
        logger.info("said %r", SAID)
    finally:
        logger.removeHandler(keep)
    assert seen[0].args == (SAID,) and "Thistlewood" not in out.getvalue()


def test_setup_writes_copilot_log_through_the_rule(copilot_home):
    root = logging.getLogger("copilot")
    level = root.level
    try:
        path = logs.setup()
        logging.getLogger("copilot.x").warning("rejected: %r", SAID)
        for h in root.handlers:
            h.flush()
        text = path.read_text()
    finally:
        root.setLevel(level)
    assert "rejected: '<text: 14 words>'" in text and "Thistlewood" not in text


def test_reason_codes_say_which_rule_and_how_many_items_never_the_items():
    assert logs.reason_code("not in the transcript: refund, extra") == \
        "not in the transcript: 2 terms"
    assert logs.reason_code("states what the persona does not know: 453") == \
        "states what the persona does not know: 1 term"
    assert logs.reason_code("drifts from the scripted line") == "drifts from the scripted line"
    assert logs.reason_code(None) == ""
    assert isinstance(logs.reason_code("x: y"), logs.Code)
    assert logs.words("I'm here to pay the overdue bill, 453.") == 8


def test_session_ids_are_short_and_distinct():
    ids = {logs.session_id() for _ in range(50)}
    assert len(ids) == 50 and all(i.startswith("s-") and len(i) == 10 for i in ids)


# -- content debug ------------------------------------------------------------------------------

def test_content_debug_is_off_by_default_and_a_setting_turns_it_on(tmp_path):
    assert Settings().logging.content_debug is False
    (tmp_path / "settings.toml").write_text("[logging]\ncontent_debug = true\n")
    assert Settings.load(tmp_path / "settings.toml").logging.content_debug is True


def test_the_site_can_forbid_content_debug_and_the_log_says_so(monkeypatch, caplog):
    assert logs.content_debug_allowed(True) and not logs.content_debug_allowed(False)
    monkeypatch.setenv(logs.SITE_FORBIDS_ENV, "1")
    with caplog.at_level(logging.WARNING, logger="copilot.logs"):
        assert not logs.content_debug_allowed(True)
    assert logs.SITE_FORBIDS_ENV in caplog.text and "forbids" in caplog.text


def test_without_a_recording_call_content_goes_nowhere(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    logs.content(logging.getLogger("copilot.x"), "said %r", SAID)
    assert not logs.content_debug_active() and list(tmp_path.iterdir()) == []


def _caption(n: int, text: str = SAID) -> Caption:
    return Caption(f"c{n}", True, "customer", n, n + 0.8, n + 1, "en", text)


def test_a_stored_calls_debug_file_holds_the_words_and_is_erased_with_the_call(tmp_path):
    db = tmp_path / "calls.sqlite3"
    x = logging.getLogger("copilot.x")
    with CallStore(db, content_debug=True) as store:
        call = store.start_call("a.wav")
        path = logs.call_debug_path(tmp_path, call)
        assert path == tmp_path / "calls-debug" / f"call-{call}.log"
        logs.content(x, "rejected (%s): %r", "not in the transcript: refund", SAID)
        store.end_call(call)
        logs.content(x, "after the call: %r", "nothing of this is kept")
        text = path.read_text()
        assert "rejected (not in the transcript: refund)" in text and SAID in text
        assert "nothing of this" not in text
        assert (path.stat().st_mode & 0o777) == 0o600
        other = store.start_call("b.wav")
        store.end_call(other)
        assert store.delete_call(call)
        assert not path.exists() and logs.call_debug_path(tmp_path, other).exists()


def test_a_store_without_content_debug_writes_no_file(tmp_path):
    with CallStore(tmp_path / "calls.sqlite3") as store:
        call = store.start_call("a.wav")
        logs.content(logging.getLogger("copilot.x"), "said %r", SAID)
        store.end_call(call)
    assert not (tmp_path / "calls-debug").exists()


def test_retention_erases_debug_files_of_expired_calls_and_of_calls_gone(tmp_path):
    now = datetime(2025, 6, 30, 12, 0, tzinfo=UTC)
    with CallStore(tmp_path / "calls.sqlite3", content_debug=True) as store:
        old = store.start_call("old.wav", started_at=now - timedelta(days=40))
        logs.content(logging.getLogger("copilot.x"), "said %r", SAID)
        store.end_call(old)
        recent = store.start_call("new.wav", started_at=now - timedelta(days=1))
        logs.content(logging.getLogger("copilot.x"), "said %r", "recent words")
        store.end_call(recent)
        orphan = logs.call_debug_path(tmp_path, 99)  # its call was deleted by an older version
        orphan.write_text(SAID)
        assert delete_older_than(store, 30, now=now) == [old]
    assert not logs.call_debug_path(tmp_path, old).exists() and not orphan.exists()
    assert "recent words" in logs.call_debug_path(tmp_path, recent).read_text()


def test_a_reused_call_id_does_not_inherit_an_old_debug_file(tmp_path):
    db = tmp_path / "calls.sqlite3"
    stale = logs.call_debug_path(tmp_path, 1)
    stale.parent.mkdir(parents=True)
    stale.write_text(SAID)  # the database was replaced; call 1 is a new call
    with CallStore(db, content_debug=True) as store:
        call = store.start_call("a.wav")
        store.end_call(call)
    assert call == 1 and SAID not in stale.read_text()


# -- the session names its call --------------------------------------------------------------

def test_an_unstored_call_is_named_by_its_session_id(monkeypatch, caplog):
    make = shared.session_factory(monkeypatch)
    s, _events = make([shared.cap("c1", 0, 2, SAID), shared.stop_after()])
    with caplog.at_level(logging.INFO, logger="copilot.call.session"):
        s.run()
    lines = [r.getMessage() for r in caplog.records if r.name == "copilot.call.session"]
    assert f"call {s.session_id} started" in lines[0] and "stored False" in lines[0]
    assert lines[-1].startswith(f"call {s.session_id} completed: 1 finals")
    assert not any("None" in line.split(":")[0] for line in lines)


def test_a_stored_session_writes_its_captions_to_the_debug_file(monkeypatch, tmp_path, caplog):
    make = shared.session_factory(monkeypatch)
    with CallStore(tmp_path / "calls.sqlite3", content_debug=True) as store:
        s, _events = make([shared.cap("c1", 0, 2, SAID), shared.stop_after()], store=store)
        with caplog.at_level(logging.INFO, logger="copilot.call.session"):
            result = s.run()
        path = logs.call_debug_path(tmp_path, result.call_id)
        assert f"final c1 customer: {SAID!r}" in path.read_text()
        assert f"call {result.call_id} started" in caplog.text
        store.delete_call(result.call_id)
    assert not path.exists()
