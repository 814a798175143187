"""Supervisor reports (copilot/report/): a small real desk through extraction, the DuckDB query
layer, the Parquet export (merged, never duplicated) and the site report over the files; the
figures, the breakdowns, de-identification and the errors."""

from __future__ import annotations

import json
import re
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

sys.path.insert(0, str(Path(__file__).parent))
from test_report_data import MARKERS, desk_with_a_live_call  # noqa: E402

from copilot.report import (  # noqa: E402
    ReportError,
    SourceError,
    Who,
    desk_metrics,
    desk_report,
    export_desk,
    site_report,
    source,
)
from copilot.report import schema as S  # noqa: E402
from copilot.report.export import conform  # noqa: E402
from copilot.report.render import render  # noqa: E402

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def desk(tmp_path):
    db = tmp_path / "calls.sqlite3"
    with desk_with_a_live_call(db) as ids:
        yield db, ids


def _rows(table: pa.Table, **where) -> list[dict]:
    return [r for r in table.to_pylist() if all(r[k] == v for k, v in where.items())]


def _figures(report) -> dict:
    return {r[0]: r[1] for r in report.tables["overview"].rows}


# --- extraction: what each call counts ---------------------------------------------------------

def test_a_calls_figures_count_lines_once_and_actions_each_time(desk):
    db, ids = desk
    m = desk_metrics(db, Who("desk-1", "a7", "billing"))
    calls = {r["call_id"]: r for r in m.calls.to_pylist()}
    assert set(calls) == {ids["full"], ids["quiet"], ids["interrupted"]}  # not the active one
    full = calls[ids["full"]]
    assert (full["desk_id"], full["agent"], full["team"]) == ("desk-1", "a7", "billing")
    # the translated update of line c1/1 is not another line; the ask's line is one
    assert full["suggestions_shown"] == 3 and full["abstentions"] == 1
    assert (full["suggestions_copied"], full["suggestions_used"],
            full["suggestions_dismissed"], full["suggestions_taken"]) == (1, 1, 1, 1)
    assert (full["knowledge_shown"], full["knowledge_copied"], full["knowledge_used"],
            full["knowledge_dismissed"], full["knowledge_opened"]) == (3, 1, 0, 1, 1)
    assert (full["asks"], full["rephrased"], full["signals"]) == (1, 1, 3)
    assert full["frustration_max"] == pytest.approx(0.6)
    assert full["escalation_signals"] == 1 and full["offer_escalation"] is False
    # the newest after_call is the call's note
    assert (full["disposition"], full["note_saved"], full["note_edited"]) == (
        "refund_issued", True, True)
    assert full["pack"] == "demo@1" and full["status"] == "completed"
    assert full["handle_seconds"] == pytest.approx(2 * 86400, abs=60)
    assert full["checklist_items"] is None and full["checklist_done"] is None
    quiet = calls[ids["quiet"]]
    assert quiet["suggestions_shown"] == 0 and quiet["disposition"] is None
    assert quiet["frustration_max"] is None and quiet["note_saved"] is False
    assert calls[ids["interrupted"]]["status"] == "interrupted"


def test_event_rows_keep_ids_and_codes(desk):
    db, ids = desk
    ev = desk_metrics(db, Who("desk-1")).events
    full = _rows(ev, call_id=ids["full"])
    actions = [(r["kind"], r["action"]) for r in full]
    assert actions.count(("suggestion", "shown")) == 3
    assert actions.count(("suggestion", "updated")) == 1
    assert actions.count(("suggestion", "abstained")) == 1
    assert actions.count(("knowledge", "shown")) == 3
    cards = _rows(ev, call_id=ids["full"], kind="knowledge", action="shown")
    assert [(r["passages"], r["passage_title"], r["confident"], r["item"]) for r in cards] == [
        (["BILL-01"], "Refunds", True, 0), (["BILL-02"], "Late fees", False, 1),
        (["BILL-03"], "Roaming", True, 0)]
    asked = _rows(ev, call_id=ids["full"], ref="ask-1")
    assert {r["trigger"] for r in asked} == {"ask"} and len(asked) == 3
    [opened] = _rows(ev, action="opened")
    assert opened["ref"] is None and opened["trigger"] is None
    assert opened["passages"] == ["BILL-01"]


def test_since_leaves_out_older_calls(desk):
    db, ids = desk
    m = desk_metrics(db, Who("d"), since=datetime.now(UTC) - timedelta(hours=30))
    assert set(m.calls.column("call_id").to_pylist()) == {ids["quiet"], ids["interrupted"]}
    assert ids["full"] not in set(m.events.column("call_id").to_pylist())


def test_the_tables_have_the_schema_of_the_files(desk):
    m = desk_metrics(desk[0], Who("d"))
    for name in S.TABLES:
        assert m.table(name).schema.equals(S.schema(name), check_metadata=False)



def test_a_line_or_card_shown_again_in_a_call_counts_once(tmp_path):
    """Issue 15: the demo call shows the same approved line (and its passage's card) for four
    customer turns; the report counted four lines shown, one taken: a 25 % taken share for a
    line the agent did use. Each line and card counts once per call; copies and uses every
    time; abstentions once per question."""
    from test_report_data import _card, _line

    from copilot.store.db import CallStore

    db = tmp_path / "calls.sqlite3"
    words = "I've filed a billing correction for the duplicate charge."
    with CallStore(db) as store:
        cid = store.start_call("demo.wav", started_at=datetime.now(UTC) - timedelta(hours=1))
        for i, of in enumerate(("c2", "c4", "c6", "c7")):
            at = 10.0 * (i + 1)
            store.add_event(cid, "knowledge", at, _card(of, ("BILL-01", "Refunds", True), at=at))
            # the same words, spaced and cased a little differently once: the same line
            text = words.upper() if of == "c6" else words
            store.add_event(cid, "suggestion", at + 0.1,
                            _line(of, 1, "approved_line", ["BILL-01"], at=at + 0.1, text=text))
        # other words, or the same words from another passage: other lines
        store.add_event(cid, "suggestion", 41.0, _line("c7", 2, "adapted", ["BILL-01"], at=41.0,
                                                       text="Another line entirely."))
        store.add_event(cid, "suggestion", 42.0, _line("c8", 1, "approved_line", ["BILL-02"],
                                                       at=42.0, text=words))
        for of, at in (("c9", 50.0), ("c11", 60.0)):
            store.add_event(cid, "suggestion", at, _line(of, 1, "abstain", [], grounded=False,
                                                         at=at, text="I'm not sure."))
        action = {"rank": 1, "origin": "approved_line", "sources": ["BILL-01"],
                  "grounded": True, "pack": "demo@1"}
        store.add_event(cid, "suggestion_action", 45.0, {**action, "of": "c6",
                                                         "action": "copied"})
        store.add_event(cid, "suggestion_action", 46.0, {**action, "of": "c7", "action": "used"})
        store.end_call(cid)

    [call] = desk_metrics(db, Who("d")).calls.to_pylist()
    assert call["suggestions_shown"] == 3  # the repeated line once, and the two other lines
    assert call["suggestions_taken"] == 1
    assert (call["suggestions_copied"], call["suggestions_used"]) == (1, 1)
    assert call["abstentions"] == 2
    assert call["knowledge_shown"] == 1
    events = desk_metrics(db, Who("d")).events
    lines = _rows(events, kind="suggestion", rank=1, origin="approved_line")
    assert [r["action"] for r in lines if r["passages"] == ["BILL-01"]] == [
        "shown", "repeated", "repeated", "repeated", "copied", "used"]
    cards = [r["action"] for r in _rows(events, kind="knowledge")]
    assert cards == ["shown", "repeated", "repeated", "repeated"]

    report = desk_report(db)
    f = _figures(report)
    assert (f["suggestions_shown"], f["knowledge_shown"]) == (3, 1)
    assert f["suggestions_taken_share"] == pytest.approx(1 / 3)
    origins = {r["origin"]: (r["shown"], r["abstentions"])
               for r in report.tables["origins"].as_dicts()}
    assert origins == {"approved_line": (2, 0), "adapted": (1, 0), "abstain": (0, 2)}
    [bill] = [r for r in report.tables["passages_used"].as_dicts() if r["passage"] == "BILL-01"]
    assert (bill["cards_shown"], bill["lines_shown"]) == (1, 2)
    assert "once per call" in report.tables["assistance"].note


# --- the desk report ---------------------------------------------------------------------------

def test_desk_report_figures(desk):
    report = desk_report(desk[0])
    f = _figures(report)
    assert (f["calls"], f["desks"], f["agents"], f["interrupted_calls"]) == (3, 1, 0, 1)
    assert (f["suggestions_shown"], f["abstentions"], f["suggestions_dismissed"]) == (3, 1, 1)
    assert f["suggestions_taken_share"] == pytest.approx(1 / 3)
    assert (f["knowledge_shown"], f["knowledge_dismissed"]) == (4, 2)
    assert f["calls_with_note"] == 2
    used = report.tables["passages_used"].as_dicts()
    assert [(r["passage"], r["copied_or_used"]) for r in used] == [("BILL-01", 2), ("BILL-03", 1)]
    assert used[0]["title"] == "Refunds"
    dismissed = report.tables["passages_dismissed"].as_dicts()
    assert [(r["passage"], r["dismissed"]) for r in dismissed] == [
        ("BILL-02", 2), ("BILL-01", 1), ("BILL-03", 1)]
    signals = {r["signal"]: r["calls"] for r in report.tables["signals"].as_dicts()}
    assert signals == {"peak: calm": 2, "peak: frustrated": 1, "asked to escalate": 1,
                       "escalation offer suggested": 0}
    dispositions = {r["disposition"]: r["calls"] for r in report.tables["dispositions"].as_dicts()}
    assert dispositions == {"refund_issued": 1, "callback": 1, "(no note)": 1}
    origins = {r["origin"]: (r["shown"], r["abstentions"])
               for r in report.tables["origins"].as_dicts()}
    assert origins == {"approved_line": (2, 0), "adapted": (1, 0), "abstain": (0, 1)}
    assert sum(r["calls"] for r in report.tables["per_day"].as_dicts()) == 3
    # no labels on a desk's own calls: no breakdown tables
    assert "per_agent" not in report.tables and "per_team" not in report.tables
    checklists = report.tables["checklists"]
    assert checklists.rows == [] and "No call in this period had a live checklist" in checklists.note


def test_missing_database_is_a_clear_error_and_is_not_created(tmp_path):
    with pytest.raises(ReportError, match="no call database"):
        desk_report(tmp_path / "calls.sqlite3")
    assert not (tmp_path / "calls.sqlite3").exists()


# --- another desk's file (--db): read, never written ---------------------------------------------

def _digest(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("kind", ["other program's", "empty"])
def test_a_file_that_is_no_call_database_is_refused_and_left_as_it_was(tmp_path, capsys, kind):
    # a supervisor's walk-through: `--db` turned another program's SQLite file (and a 0-byte
    # file) into a call database and reported "no calls"
    import sqlite3

    from copilot.cli import main

    db = tmp_path / "other.sqlite3"
    if kind == "empty":
        db.write_bytes(b"")
    else:
        with sqlite3.connect(db) as conn:
            conn.execute("CREATE TABLE foo (x)")
    before = _digest(db)
    assert main(["report", "--db", str(db), "--out", str(tmp_path / "r.html")]) == 2
    assert "is not a call database" in capsys.readouterr().err
    assert _digest(db) == before and not (tmp_path / "r.html").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.sqlite3"]


def test_another_desks_database_is_reported_without_a_byte_written(desk, tmp_path):
    import shutil

    from copilot.cli import main

    db, _ = desk
    copy = tmp_path / "copy" / "calls.sqlite3"
    copy.parent.mkdir()
    for suffix in ("", "-wal"):  # the database as it is on disk, its last writes in the WAL
        if Path(f"{db}{suffix}").exists():
            shutil.copy(f"{db}{suffix}", f"{copy}{suffix}")
    before = {p.name: _digest(p) for p in copy.parent.iterdir()}
    out = tmp_path / "r.csv"
    assert main(["report", "--db", str(copy), "--out", str(out)]) == 0
    # (its call in progress, whose recorder is not here, is not marked interrupted either)
    assert {p.name: _digest(p) for p in copy.parent.iterdir() if p.name in before} == before
    text = out.read_text(encoding="utf-8")
    # the report says whose database it read (a walk-through saw "this desk's" for a copy)
    assert "calls," in text and f"the call database {copy}" in text.splitlines()[0]


def test_a_database_that_cannot_be_opened_for_writing_is_read_as_immutable(desk, monkeypatch):
    # A WAL database on read-only media: SQLite's read-only mode cannot make its shared-memory
    # file there ("unable to open database file"); the file is then read as immutable.
    import sqlite3

    from copilot.store.options import StoreOptions

    db, _ = desk
    real = sqlite3.connect
    tried: list[str] = []

    def connect(target, *args, **kwargs):
        tried.append(str(target))
        if kwargs.get("uri") and "immutable" not in str(target):
            raise sqlite3.OperationalError("unable to open database file")
        return real(target, *args, **kwargs)

    monkeypatch.setattr(sqlite3, "connect", connect)
    report = desk_report(db, store_options=StoreOptions(read_only=True, migrate_plain=False))
    assert report.figure("calls") == _figures(report)["calls"]
    assert [t.rsplit("?", 1)[-1] for t in tried] == ["mode=ro", "mode=ro&immutable=1"]


def test_what_a_tired_supervisor_types_is_answered_in_words(desk, tmp_path, capsys):
    # a supervisor's walk-through: an --out into a missing folder was refused only after the
    # report was built, with Python's "[Errno 2]"; `--out report.pdf` wrote HTML without a
    # word; `--from` with `--db` ignored the --db
    from copilot.cli import main

    db, _ = desk
    missing = tmp_path / "no" / "such" / "r.html"
    assert main(["report", "--db", str(db), "--out", str(missing)]) == 2
    err = capsys.readouterr().err
    assert f"there is no folder {missing.parent}" in err and "Errno" not in err
    pdf = tmp_path / "r.pdf"
    assert main(["report", "--db", str(db), "--out", str(pdf)]) == 0
    assert "does not name a report format" in capsys.readouterr().err
    assert pdf.read_text(encoding="utf-8").lstrip().startswith("<!")
    assert main(["report", "--from", str(tmp_path), "--db", str(db),
                 "--out", str(tmp_path / "s.html")]) == 2
    assert "give one of them" in capsys.readouterr().err


# --- export: files, merge, idempotence ---------------------------------------------------------

def _all_rows(folder: Path, table: str) -> list[dict]:
    rows = []
    for p in sorted(folder.glob(f"*.{table}.*.parquet")):
        rows += pq.read_table(p).to_pylist()
    return rows


def test_export_writes_one_file_per_table_and_month(desk, tmp_path):
    db, ids = desk
    out = tmp_path / "share" / "desk-1"
    result = export_desk(db, out, Who("desk-1", "a7", "billing"))
    assert result.calls == 3 and result.rows["checklist"] == 0
    names = sorted(p.name for p in out.iterdir())
    assert names and all(S.FILE_NAME.fullmatch(n) for n in names)
    assert {n.split(".")[1] for n in names} == {"calls", "events"}  # no empty checklist file
    f = pq.ParquetFile(out / names[0])
    assert f.schema_arrow.metadata[b"copilot.schema_version"] == S.SCHEMA_VERSION.encode()
    assert len(_all_rows(out, "calls")) == 3


def test_exporting_the_same_calls_again_duplicates_nothing(desk, tmp_path):
    db, ids = desk
    out = tmp_path / "share" / "desk-1"
    who = Who("desk-1", "a7", "billing")
    export_desk(db, out, who)
    calls1, events1 = _all_rows(out, "calls"), _all_rows(out, "events")
    export_desk(db, out, who)
    export_desk(db, out, who, since=datetime.now(UTC) - timedelta(hours=30))  # a subset
    assert _all_rows(out, "calls") == calls1
    assert _all_rows(out, "events") == events1
    assert not [p for p in out.iterdir() if not p.name.endswith(".parquet")]  # no temp left


def test_a_call_that_changed_is_replaced_not_added(desk, tmp_path):
    from copilot.store.db import CallStore

    db, ids = desk
    out = tmp_path / "d"
    export_desk(db, out, Who("desk-1"))
    with CallStore(db) as store:  # the agent saves a note on the quiet call later
        store.add_event(ids["quiet"], "after_call", 20.0, {
            "type": "after_call", "note": "x", "disposition": "resolved", "at": 20.0,
            "edited": False, "saved": True})
        store.end_call(ids["active"])  # and the call in progress ends
    export_desk(db, out, Who("desk-1"))
    calls = {r["call_id"]: r for r in _all_rows(out, "calls")}
    assert len(_all_rows(out, "calls")) == 4 == len(calls)
    assert calls[ids["quiet"]]["disposition"] == "resolved"


def test_a_corrupt_file_in_the_export_folder_is_named(desk, tmp_path):
    from copilot.report import ExportError

    db, _ = desk
    out = tmp_path / "d"
    export_desk(db, out, Who("desk-1"))
    victim = sorted(out.glob("*.calls.*.parquet"))[0]
    victim.write_bytes(b"not parquet at all")
    with pytest.raises(ExportError, match=re.escape(victim.name)):
        export_desk(db, out, Who("desk-1"))


def test_an_export_to_a_file_says_it_needs_a_folder(desk, tmp_path):
    from copilot.report import ExportError

    db, _ = desk
    (tmp_path / "f").write_text("x")
    with pytest.raises(ExportError, match="is a file, not a folder"):  # ("[Errno 17]" before)
        export_desk(db, tmp_path / "f", Who("desk-1"))


@pytest.mark.parametrize("desk_id", ["", "a.b", "../x", "with space", "-lead", "x" * 65])
def test_bad_desk_ids_are_refused(desk_id):
    with pytest.raises(ValueError):
        S.check_desk_id(desk_id)


# --- the site report over the files -----------------------------------------------------------

def _site(tmp_path, desk) -> Path:
    """Two desks (the same calls, different labels) and a third desk in another team."""
    db, _ = desk
    share = tmp_path / "share"
    export_desk(db, share / "desk-1", Who("desk-1", "a7", "billing"))
    export_desk(db, share / "desk-2", Who("desk-2", "a8", "billing"))
    export_desk(db, share / "desk-3", Who("desk-3", "a9", "sales"))
    return share


def test_site_report_has_the_desk_reports_figures_for_each_desk(desk, tmp_path):
    share = _site(tmp_path, desk)
    one = desk_report(desk[0])
    site = site_report([str(share / "*" / "*.parquet")])
    assert site.inputs.kind == "parquet" and site.inputs.file_count > 0
    f1, fs = _figures(one), _figures(site)
    for key in ("calls", "suggestions_shown", "abstentions", "knowledge_shown",
                "suggestions_dismissed", "calls_with_note", "interrupted_calls"):
        assert fs[key] == 3 * f1[key], key
    assert fs["suggestions_taken_share"] == pytest.approx(f1["suggestions_taken_share"])
    assert (fs["desks"], fs["agents"], fs["teams"]) == (3, 3, 2)
    # same code, same tables: the passages differ only by the factor 3
    assert [(r[0], r[4] * 3) for r in one.tables["passages_used"].rows] == \
        [(r[0], r[4]) for r in site.tables["passages_used"].rows]


def test_per_team_and_per_agent_breakdowns(desk, tmp_path):
    site = site_report([str(_site(tmp_path, desk))])  # a folder works too
    teams = {r["team"]: r for r in site.tables["per_team"].as_dicts()}
    assert set(teams) == {"billing", "sales"}
    assert (teams["billing"]["calls"], teams["billing"]["desks"]) == (6, 2)
    assert (teams["sales"]["calls"], teams["sales"]["desks"]) == (3, 1)
    assert teams["sales"]["taken_share"] == pytest.approx(1 / 3)
    agents = [(r["team"], r["agent"], r["calls"]) for r in site.tables["per_agent"].as_dicts()]
    assert agents == [("billing", "a7", 3), ("billing", "a8", 3), ("sales", "a9", 3)]
    assert [r["desk_id"] for r in site.tables["per_desk"].as_dicts()] == [
        "desk-1", "desk-2", "desk-3"]


def test_site_report_since(desk, tmp_path):
    share = _site(tmp_path, desk)
    site = site_report([str(share)], since=datetime.now(UTC) - timedelta(hours=30))
    assert _figures(site)["calls"] == 6


def test_checklist_files_reach_the_report(desk, tmp_path):
    """The hook for live checklists: rows in the reserved table are reported as they are."""
    share = _site(tmp_path, desk)
    started = datetime(2026, 1, 5, 9, tzinfo=UTC)
    rows = [{"desk_id": "desk-1", "agent": None, "team": None, "call_id": 1,
             "started_at": started, "day": started.date(), "checklist": "identity",
             "item": item, "required": True, "done": done, "done_at": None, "done_by": "agent"}
            for item, done in (("name", True), ("dob", False))]
    table = conform(pa.Table.from_pylist(rows, schema=S.schema(S.CHECKLIST)), S.CHECKLIST)
    pq.write_table(table, share / "desk-1" / S.file_name("desk-1", S.CHECKLIST, "2026-01"))
    site = site_report([str(share)])
    got = [(r["checklist"], r["item_text"], r["item_id"], r["calls"], r["done"])
           for r in site.tables["checklists"].as_dicts()]
    # files without the items' words (written before that column): the ids stand in for them
    assert got == [("identity", "dob", "dob", 1, 0), ("identity", "name", "name", 1, 1)]


def test_files_from_an_older_version_without_a_column_still_report(desk, tmp_path):
    share = _site(tmp_path, desk)
    for p in share.glob("desk-1/*.calls.*.parquet"):
        pq.write_table(pq.read_table(p).drop_columns(["rephrased", "asks"]), p)
    assert _figures(site_report([str(share)]))["calls"] == 9


def test_no_files_is_a_clear_error(tmp_path):
    with pytest.raises(SourceError, match="no files match"):
        site_report([str(tmp_path / "nothing" / "*.parquet")])


def test_files_without_calls_are_a_clear_error(tmp_path):
    pq.write_table(pa.table({"x": [1]}), tmp_path / "other.parquet")
    with pytest.raises(SourceError, match="no call metrics"):
        site_report([str(tmp_path / "*.parquet")])


def test_a_corrupt_metrics_file_is_named(desk, tmp_path):
    share = _site(tmp_path, desk)
    victim = sorted(share.glob("desk-2/*.events.*.parquet"))[0]
    victim.write_bytes(victim.read_bytes()[:100])  # cut short by a copy that failed
    with pytest.raises(SourceError, match=re.escape(victim.name)):
        site_report([str(share / "*" / "*.parquet")])


def test_a_metrics_file_damaged_inside_is_named(desk, tmp_path):
    """Both ends intact (the quick check passes), the pages garbled: the read fails, and the
    error names the file instead of DuckDB's bare message."""
    share = _site(tmp_path, desk)
    victim = sorted(share.glob("desk-3/*.calls.*.parquet"))[0]
    data = bytearray(victim.read_bytes())
    footer = int.from_bytes(data[-8:-4], "little")
    for i in range(4, len(data) - 8 - footer):
        data[i] = 0x41
    victim.write_bytes(bytes(data))
    with pytest.raises(SourceError, match=re.escape(victim.name) + ".*damaged|damaged.*"
                       + re.escape(victim.name)):
        site_report([str(share)])


def test_a_foreign_parquet_file_is_skipped_with_a_word(desk, tmp_path):
    share = _site(tmp_path, desk)
    pq.write_table(pa.table({"x": [1]}), share / "desk-1" / "notes.parquet")
    said: list[str] = []
    site = site_report([str(share / "*" / "*.parquet")], say=said.append)
    assert _figures(site)["calls"] == 9
    assert any("notes.parquet" in s and "not a metrics file" in s for s in said)


def test_a_copy_of_a_metrics_file_is_read_once(desk, tmp_path):
    # a supervisor's walk-through: a collector's renamed copy of a desk's calls file beside it
    # counted every call of that desk twice
    import shutil

    share = _site(tmp_path, desk)
    original = next((share / "desk-1").glob("*.calls.*.parquet"))
    shutil.copy(original, share / "desk-1" / "renamed-by-collector.parquet")
    said: list[str] = []
    site = site_report([str(share / "*" / "*.parquet")], say=said.append)
    assert _figures(site)["calls"] == 9 and site.inputs.repeated_calls == 0
    assert any("renamed-by-collector.parquet" in s and "a copy of" in s for s in said)


def test_calls_found_in_two_different_files_are_said_to_count_twice(desk, tmp_path):
    # the same desk's calls exported twice (another shift's label), both folders collected:
    # not copies of one file (an identical re-export is one, and read once)
    share = _site(tmp_path, desk)
    db, _ = desk
    export_desk(db, share / "desk-1-again", Who("desk-1", "a9", "billing"))
    said: list[str] = []
    site = site_report([str(share)], say=said.append)
    assert site.inputs.repeated_calls == 3
    assert any("3 calls found in more than one file" in s for s in said)
    assert "3 calls counted more than once" in render(site, "csv").splitlines()[0]


def test_duckdb_never_fetches_extensions():
    con = source.connect()
    for name in ("autoinstall_known_extensions", "autoload_known_extensions"):
        assert con.execute(f"SELECT current_setting('{name}')").fetchone()[0] is False


# --- de-identification: no text reaches a file -------------------------------------------------

def _words_in(data: bytes) -> set[str]:
    low = data.lower()
    return {w for w in MARKERS.values() if w.lower().encode() in low}


def test_no_text_of_a_call_in_the_parquet_files_or_any_report(desk, tmp_path):
    db, _ = desk
    out = tmp_path / "share" / "desk-1"
    export_desk(db, out, Who("desk-1", "a7", "billing"))
    files = sorted(out.glob("*.parquet"))
    for p in files:
        assert _words_in(p.read_bytes()) == set(), p.name
        # compressed pages could hide a word from grep: read every value back too
        values = json.dumps(pq.read_table(p).to_pylist(), default=str).encode()
        assert _words_in(values) == set(), p.name
    for report in (desk_report(db), site_report([str(out)])):
        for fmt in ("html", "csv", "json"):
            assert _words_in(render(report, fmt).encode()) == set(), (report.scope, fmt)


def test_html_is_one_self_contained_file_with_charts(desk):
    html = render(desk_report(desk[0]), "html")
    assert html.count("<svg") >= 4
    assert "<script" not in html.lower() and "<img" not in html.lower()
    assert "<link" not in html.lower() and "@import" not in html
    # the only URLs are SVG's XML namespace names, which nothing fetches
    urls = set(re.findall(r"https?://[^\s\"')]+", html))
    assert urls <= {"http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"}
    assert "De-identified metrics" in html and "had a live checklist" in html  # none yet


def test_csv_and_json_give_the_same_tables(desk):
    report = desk_report(desk[0])
    doc = json.loads(render(report, "json"))
    assert list(doc["tables"]) == list(report.tables)
    assert doc["tables"]["overview"]["rows"][0] == {"figure": "calls", "value": 3}
    text = render(report, "csv")
    for name in report.tables:
        assert f"# {name}: " in text
    assert "\ncalls,3\n" in text


# --- the docs ----------------------------------------------------------------------------------

def test_docs_list_every_column_with_its_type():
    doc = (REPO / "docs" / "reports.md").read_text(encoding="utf-8")
    assert S.markdown() in doc, "docs/reports.md: paste the output of copilot.report.schema.markdown()"


def test_a_renamed_metrics_file_is_known_by_its_metadata(desk, tmp_path):
    db, _ = desk
    out = tmp_path / "d"
    export_desk(db, out, Who("desk-1"))
    for i, p in enumerate(sorted(out.glob("*.parquet"))):
        p.rename(out / f"collected-{i}.parquet")
    assert _figures(site_report([str(out / "*.parquet")]))["calls"] == 3


def test_without_matplotlib_the_html_has_every_table_and_says_why_no_chart(desk, monkeypatch):
    report = desk_report(desk[0])
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # import fails
    html = render(report, "html")
    assert "<svg" not in html and "no matplotlib" in html
    assert all(t.title in html for n, t in report.tables.items() if n != "overview")


def test_since_spans_and_dates():
    from copilot.cli.report import parse_since
    from copilot.errors import UserError

    now = datetime(2026, 3, 10, 12, tzinfo=UTC)
    assert parse_since("7d", now) == now - timedelta(days=7)
    assert parse_since("12h", now) == now - timedelta(hours=12)
    assert parse_since("2w", now) == now - timedelta(weeks=2)
    assert parse_since(None) is None
    day = parse_since("2026-01-31")
    assert day.tzinfo is not None and day.astimezone().strftime("%Y-%m-%d %H:%M") == \
        "2026-01-31 00:00"
    with pytest.raises(UserError):
        parse_since("last week")
    # (a second walk-through: an overflow's traceback, and "" taken for every call)
    with pytest.raises(UserError, match="further than any date"):
        parse_since("99999999d", now)
    with pytest.raises(UserError, match="leave it out for every call"):
        parse_since("  ")


def test_the_dispositions_count_only_what_the_agent_saved(desk):
    # an unsaved note's disposition is the AI draft's guess: one "not saved" row and grey bar,
    # never counted as that outcome (a walk-through found the guesses drawn as outcomes, then
    # a supervisor's walk-through found them still listed as rows of the table)
    from copilot.report import charts
    from copilot.report.figures import NO_NOTE, NOT_SAVED
    from copilot.store.db import CallStore
    from copilot.text.codes import code_label

    db, ids = desk
    with CallStore(db) as store:  # a newer AI draft on a call, never saved by the agent
        store.add_event(ids["interrupted"], "after_call", 20.0, {
            "type": "after_call", "note": "x", "disposition": "resolved", "at": 20.0,
            "edited": False, "saved": False})
    report = desk_report(db)
    rows = {r["disposition"]: r["calls"] for r in report.tables["dispositions"].as_dicts()}
    assert "resolved" not in rows and rows[NOT_SAVED] == 1 and rows[NO_NOTE] > 0
    fig = charts.dispositions(report)
    ax = fig.axes[0]
    bars = {t.get_text(): p.get_width() for t, p in zip(ax.get_yticklabels(), ax.patches,
                                                         strict=True)}
    # the chart and the table say the same (a call with no wrap-up at all: a bar of its own)
    assert bars == {code_label(d): n for d, n in rows.items()}
    # shown in words ("Refund issued"); the CSV keeps the code for whoever reads it further
    assert "Refund issued" in render(report, "html") and "refund_issued" in render(report, "csv")


def test_hours_handled_read_as_hours_and_minutes():
    # a few short calls read "0.0 hours handled" (the final walk-through)
    from copilot.report.render import cell_text

    assert cell_text("handle_hours", 3 / 60) == "0:03"
    assert cell_text("handle_hours", 26.5) == "26:30" and cell_text("handle_hours", 0) == "0:00"
    assert cell_text("handle_hours", None) == "–"
    from copilot.report.render import column_label

    assert column_label("handle_hours") == "handled (h:mm)"  # the column says how to read it


def test_a_metrics_file_whose_footer_is_garbled_is_named(desk, tmp_path):
    """Both ends intact, the metadata garbled: DuckDB fails while reading the columns, before
    the report is built; the error names the file, not DuckDB's SQL (a second walk-through)."""
    share = _site(tmp_path, desk)
    victim = sorted(share.glob("desk-2/*.events.*.parquet"))[0]
    data = bytearray(victim.read_bytes())
    footer = int.from_bytes(data[-8:-4], "little")
    start = len(data) - 8 - footer
    for i in range(start, start + min(40, footer)):
        data[i] ^= 0xFF
    victim.write_bytes(bytes(data))
    with pytest.raises(SourceError) as e:
        site_report([str(share / "*" / "*.parquet")])
    assert victim.name in str(e.value) and "damaged" in str(e.value)
    assert "SELECT" not in str(e.value)
