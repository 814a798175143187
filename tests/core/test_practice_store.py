"""Scorecards stored in their own database (not the call database), progress across sessions,
and nothing sensitive kept."""

from __future__ import annotations

import sqlite3

import pytest

from copilot import paths
from copilot.practice.scenario import find_scenario, scenarios_dir
from copilot.practice.session import PracticeOptions, PracticeSession
from copilot.practice.store import PracticeStore, practice_db_path
from copilot.store.errors import NewerSchemaError, NotADatabaseError


def card_for(kb, name, replies):
    s = PracticeSession(find_scenario(name), kb, options=PracticeOptions(timed=False))
    s.opening()
    for r in replies:
        if not s.done:
            s.answer(r)
    return s.finish()


def answers(name):
    text = (scenarios_dir() / "answers" / name).read_text(encoding="utf-8")
    return [ln for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]


def test_default_path_is_its_own_file_in_the_data_folder(copilot_home):
    assert practice_db_path() == copilot_home / "practice.sqlite3"
    assert practice_db_path() != paths.database_path()
    with PracticeStore() as store:
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == 1
        assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_scorecards_and_progress(kb, tmp_path):
    bad = card_for(kb, "duplicate_charge", answers("duplicate_charge.bad.txt"))
    good = card_for(kb, "duplicate_charge", answers("duplicate_charge.good.txt"))
    other = card_for(kb, "one_device", answers("one_device.good.txt"))
    with PracticeStore(tmp_path / "p.sqlite3") as store:
        ids = [store.save(c) for c in (bad, good, other)]
        rows = store.sessions()
        assert [r.id for r in rows] == ids[::-1]
        assert [r.passed for r in store.sessions("duplicate_charge")] == [True, False]
        assert store.card(ids[1])["passed"] is True
        progress = {p.scenario_id: p for p in store.progress()}
    dup = progress["duplicate_charge"]
    assert (dup.attempts, dup.passed) == (2, 1)
    assert dup.first_score == pytest.approx(bad.score) and dup.last_score == 1.0
    assert dup.best_score == 1.0 and dup.trend == pytest.approx(1.0 - bad.score)
    crit = {c.rule_id: c for c in dup.criteria}
    assert (crit["identity_first"].ok, crit["identity_first"].attempts) == (1, 2)
    assert crit["identity_first"].last_status == "met"
    assert crit["tone"].ok == 2
    assert [c.forbidden for c in dup.criteria] == sorted(c.forbidden for c in dup.criteria)
    assert progress["one_device"].attempts == 1
    assert dup.to_dict()["criteria"][0]["id"] == "identity_first"


def test_a_session_stopped_early_is_counted_but_not_scored(kb, tmp_path):
    """A walk-through's run stopped after three good answers showed as the best score (100 %),
    another stopped after one as the worst: what had not come up yet counted as missed."""
    good = card_for(kb, "duplicate_charge", answers("duplicate_charge.good.txt"))
    stopped = card_for(kb, "duplicate_charge", answers("duplicate_charge.good.txt")[:1])
    bad = card_for(kb, "duplicate_charge", answers("duplicate_charge.bad.txt"))
    assert not stopped.completed and good.completed and bad.completed
    with PracticeStore(tmp_path / "p.sqlite3") as store:
        for card in (bad, stopped, good):
            store.save(card)
        [dup] = store.progress("duplicate_charge")
    assert (dup.attempts, dup.stopped) == (3, 1)
    assert dup.first_score == pytest.approx(bad.score) and dup.last_score == 1.0
    assert {c.attempts for c in dup.criteria} == {2}  # the two completed sessions
    assert dup.to_dict()["stopped"] == 1


def test_a_card_number_typed_in_practice_is_not_in_the_database(kb, tmp_path):
    card = card_for(kb, "card_number", [
        "Sure, go ahead: 4539 1488 0343 6467. Sorry, please don't read out your card details."])
    path = tmp_path / "p.sqlite3"
    with PracticeStore(path) as store:
        store.save(card)
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    raw = b"".join(p.read_bytes() for p in tmp_path.iterdir())
    assert b"4539" not in raw and b"0343" not in raw
    assert b"[card" in raw


def test_delete_all_erases(kb, tmp_path):
    path = tmp_path / "p.sqlite3"
    with PracticeStore(path) as store:
        store.save(card_for(kb, "one_device", ["Which plan are you on?"]))
        assert store.delete_all() == 1
        assert store.sessions() == [] and store.progress() == []
    assert b"Which plan are you on" not in b"".join(p.read_bytes() for p in tmp_path.iterdir())


def test_unusable_files_are_refused_clearly(tmp_path):
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"this is not a database at all" * 100)
    with pytest.raises(NotADatabaseError, match="not a readable practice database"):
        PracticeStore(junk)
    newer = tmp_path / "newer.sqlite3"
    conn = sqlite3.connect(newer)
    conn.execute("PRAGMA user_version = 7")
    conn.close()
    with pytest.raises(NewerSchemaError, match="practice database.*newer version"):
        PracticeStore(newer)
