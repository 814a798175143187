"""`copilot report` end to end, as a supervisor runs it, with every network socket refused
(tests/e2e/nonet.py): the desk's report in each format, the export twice (no duplicate rows),
the site report over the exported files, and the errors (one line, no traceback)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pyarrow.parquet as pq

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "core"))
from test_report_data import MARKERS, desk_with_a_live_call, make_desk  # noqa: E402

NONET = Path(__file__).with_name("nonet.py")


def copilot(home: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, COPILOT_HOME=str(home))
    return subprocess.run([sys.executable, str(NONET), *args], capture_output=True, text=True,
                          env=env, timeout=300)


def _no_markers(data: bytes) -> None:
    low = data.lower()
    assert [w for w in MARKERS.values() if w.lower().encode() in low] == []


def desk_clock() -> datetime:
    """The desk's "now": its calls of 1 day and 3 hours ago fall on two days, so the last 30
    hours are reported per day. Before 03:00 they would share one, and one day's calls are
    reported per hour (CI ran once at 00:17); then the desk's calls are an hour before midnight,
    and both still within the 30 hours."""
    now = datetime.now().astimezone()
    return (now if now.hour >= 3 else now - timedelta(hours=now.hour + 1)).astimezone(UTC)


def test_desk_report_export_and_site_report(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    with desk_with_a_live_call(home / "calls.sqlite3", desk_clock()):  # the live call is never reported
        _desk_report_export_and_site_report(home, tmp_path)


def _desk_report_export_and_site_report(home: Path, tmp_path: Path) -> None:
    # the desk's own report, in the three formats
    r = copilot(home, "report", "--out", str(tmp_path / "desk.html"))
    assert r.returncode == 0, r.stderr
    assert "html report of 3 calls" in r.stdout
    html = (tmp_path / "desk.html").read_bytes()
    assert b"<svg" in html and b"Calls and handle time per day" in html
    _no_markers(html)
    r = copilot(home, "report", "--since", "30h", "--out", str(tmp_path / "desk.csv"))
    assert r.returncode == 0, r.stderr
    text = (tmp_path / "desk.csv").read_text()
    assert "# per_day: " in text and "\ncalls,2\n" in text  # the last 30 hours: 2 calls
    r = copilot(home, "report", "--format", "json", "--out", "-")
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["tables"]["overview"]["rows"][0] == {"figure": "calls", "value": 3}

    # the export, twice: the same rows
    share = tmp_path / "share"
    for _ in range(2):
        r = copilot(home, "report", "--export", str(share / "desk-7"), "--desk", "desk-7",
                    "--agent", "a-17", "--team", "billing")
        assert r.returncode == 0, r.stderr
        assert "exported 3 calls" in r.stdout
    files = sorted((share / "desk-7").glob("*.parquet"))
    calls = [row for f in files if ".calls." in f.name for row in pq.read_table(f).to_pylist()]
    assert len(calls) == 3 and {c["agent"] for c in calls} == {"a-17"}
    for f in files:
        _no_markers(f.read_bytes())
    r = copilot(home, "report", "--export", str(share / "desk-8"), "--desk", "desk-8",
                "--team", "sales")
    assert r.returncode == 0, r.stderr

    # the site report over both desks' files, with DuckDB
    r = copilot(home, "report", "--from", f"{share}/*/*.parquet", "--out",
                str(tmp_path / "site.json"))
    assert r.returncode == 0, r.stderr
    assert "reading" in r.stderr and "metrics files" in r.stderr  # progress on stderr
    site = json.loads((tmp_path / "site.json").read_text())
    figures = {row["figure"]: row["value"] for row in site["tables"]["overview"]["rows"]}
    assert (figures["calls"], figures["desks"], figures["teams"]) == (6, 2, 2)
    assert [t["team"] for t in site["tables"]["per_team"]["rows"]] == ["billing", "sales"]
    r = copilot(home, "report", "--from", f"{share}/*/*.parquet", "--out",
                str(tmp_path / "site.html"))
    assert r.returncode == 0, r.stderr
    _no_markers((tmp_path / "site.html").read_bytes())


def _refused(r: subprocess.CompletedProcess, *words: str) -> None:
    assert r.returncode == 2, (r.stdout, r.stderr)
    assert "Traceback" not in r.stderr
    assert r.stderr.startswith("copilot: ")
    for w in words:
        assert w in r.stderr, r.stderr


def test_errors_are_one_line(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    _refused(copilot(home, "report", "--out", str(tmp_path / "x.html")), "no call database")
    assert not (home / "calls.sqlite3").exists()
    _refused(copilot(home, "report", "--from", f"{tmp_path}/none/*.parquet", "--out",
                     str(tmp_path / "x.html")), "no files match")
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "desk-1.calls.2026-01.parquet").write_bytes(b"PAR1 this is not parquet")
    _refused(copilot(home, "report", "--from", str(bad), "--out", str(tmp_path / "x.html")),
             "desk-1.calls.2026-01.parquet", "not a readable metrics file")
    make_desk(home / "calls.sqlite3")
    _refused(copilot(home, "report", "--export", str(tmp_path / "out")), "--desk")
    _refused(copilot(home, "report", "--export", str(tmp_path / "out"), "--desk", "a/b"),
             "desk id")
    _refused(copilot(home, "report", "--since", "last week", "--out", "x.html"), "--since")
    _refused(copilot(home, "report"), "--out")
