"""Scale benchmark of the site report (issue 16, part 3): synthetic de-identified metrics for
DESKS desks x CALLS calls a day x DAYS days, written by the real exporter
(copilot/report/export.py: one file per desk, table and month), then `copilot report --from`
over all of them, timed in a child process (wall time and its peak RSS).

    .venv/bin/python tests/bench/report_scale.py                  # 500 x 60 x 90 = 2.7M calls
    .venv/bin/python tests/bench/report_scale.py --desks 20       # a quick look
    .venv/bin/python tests/bench/report_scale.py --keep DIR       # reuse DIR's files next time
    .venv/bin/python tests/bench/report_scale.py --desk-calls 5400  # one desk's own database

With --desk-calls, a desk's call database (90 days of 60 calls, about 60 events each, written
straight into SQLite in one transaction) is read by `copilot report --db` and `--export` instead.

The figures go to BENCHMARKS.md ("Site report at scale"). Target: under 60 s and 2 GB on the
reference machine (2 cores, no GPU).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

PASSAGES = 300  # the site's knowledge base
TEAMS = 20
DISPOSITIONS = ("resolved", "refund_issued", "callback_scheduled", "escalated", "info_given",
                "plan_changed", "payment_arranged", "complaint_logged", "transferred",
                "no_action", "cancelled", "other")

# One desk's calls: DuckDB makes them from a seed (deterministic); every figure is a plausible
# spread, so the report's SQL does real work (groups, unnests, filters).
CALLS_SQL = """
SELECT
    $desk AS desk_id,
    'agent-' || lpad(($desk_no)::VARCHAR, 4, '0') AS agent,
    'team-' || lpad(($desk_no % {teams})::VARCHAR, 2, '0') AS team,
    i + 1 AS call_id,
    (DATE '{first}' + (i // {per_day})::INTEGER) AS day,
    (TIMESTAMPTZ '{first} 08:00:00+00' + to_days((i // {per_day})::INTEGER)
        + to_seconds(((i % {per_day}) * (30000 // {per_day}) + h % 200)::BIGINT)) AS started_at,
    120 + (h % 900) + ((h >> 10) % 300) AS handle_seconds,
    CASE WHEN h % 100 = 0 THEN 'interrupted' ELSE 'completed' END AS status,
    'site-pack@3' AS pack,
    ((h >> 3) % 7)::INTEGER AS suggestions_shown,
    ((h >> 6) % 2)::INTEGER AS abstentions,
    ((h >> 8) % 8)::INTEGER AS knowledge_shown,
    ((h >> 11) % 3)::INTEGER AS asks,
    ((h >> 13) % 2)::INTEGER AS rephrased,
    CASE WHEN (h >> 15) % 10 < 7 THEN NULL ELSE ((h >> 17) % 100) / 100.0 END AS frustration_max,
    ((h >> 24) % 12 = 0)::INTEGER AS escalation_signals,
    ((h >> 25) % 20 = 0) AS offer_escalation,
    CASE WHEN (h >> 27) % 20 = 0 THEN NULL
         ELSE ({dispositions})[(1 + ((h >> 31) % 12) * ((h >> 31) % 12) // 12)::BIGINT] END AS disposition,
    (h >> 35) % 4 <> 0 AS note_saved,
    (h >> 37) % 5 = 0 AS note_edited,
    h
FROM (SELECT i, hash($desk || ':' || i) AS h FROM range({n}) t(i))
"""

# Each call's events: its lines shown (one in three updated), abstentions, cards shown (one row
# per passage), and the agent's actions on some of them.
EVENTS_SQL = """
WITH c AS (SELECT * FROM calls_raw),
lines AS (
    SELECT c.*, j, hash(h, j) AS g FROM c, range(c.suggestions_shown) r(j)),
cards AS (
    SELECT c.*, j, hash(h, 100 + j) AS g FROM c, range(c.knowledge_shown) r(j))
SELECT desk_id, agent, team, call_id, started_at, day, 10 * j AS event_id, 0 AS item,
       5.0 + 20 * j AS at, 'suggestion' AS kind, 'shown' AS action, 'c' || (2 * j + 1)::VARCHAR AS ref,
       'caption' AS trigger, 1 AS rank,
       CASE WHEN g % 3 = 0 THEN 'adapted' ELSE 'approved_line' END AS origin, true AS grounded,
       ['P-' || lpad((((g >> 4) % 1000) * ((g >> 4) % 1000) // (1000000 // {passages}))::VARCHAR, 3, '0')]
           AS passages,
       NULL AS passage_title, NULL::BOOLEAN AS confident, pack
FROM lines
UNION ALL
SELECT desk_id, agent, team, call_id, started_at, day, 10 * j + 1, 0, 6.0 + 20 * j, 'suggestion',
       'updated', 'c' || (2 * j + 1)::VARCHAR, 'caption', 1, 'reworded', true,
       ['P-' || lpad((((g >> 4) % 1000) * ((g >> 4) % 1000) // (1000000 // {passages}))::VARCHAR, 3, '0')],
       NULL, NULL, pack
FROM lines WHERE g % 3 = 1
UNION ALL
SELECT desk_id, agent, team, call_id, started_at, day, 10 * j + 2, 0, 9.0 + 20 * j, 'suggestion',
       CASE (g >> 20) % 6 WHEN 0 THEN 'copied' WHEN 1 THEN 'used' WHEN 2 THEN 'dismissed' END,
       'c' || (2 * j + 1)::VARCHAR, 'caption', 1, 'approved_line', true,
       ['P-' || lpad((((g >> 4) % 1000) * ((g >> 4) % 1000) // (1000000 // {passages}))::VARCHAR, 3, '0')],
       NULL, NULL, pack
FROM lines WHERE (g >> 20) % 6 < 3
UNION ALL
SELECT desk_id, agent, team, call_id, started_at, day, 900 + j, 0, 7.0 + 30 * j, 'suggestion',
       'abstained', 'c' || (2 * j + 2)::VARCHAR, 'caption', 1, 'abstain', false, []::VARCHAR[], NULL, NULL,
       pack
FROM c, range(c.abstentions) r(j)
UNION ALL
SELECT desk_id, agent, team, call_id, started_at, day, 1000 + j // 3, j % 3, 4.0 + 15 * j,
       'knowledge', 'shown', 'c' || (2 * (j // 3) + 1)::VARCHAR, 'caption', NULL, NULL, NULL,
       [pid], 'Passage ' || pid, (g >> 12) % 4 <> 0, NULL
FROM (SELECT *, 'P-' || lpad((((g >> 4) % 1000) * ((g >> 4) % 1000) // (1000000 // {passages}))::VARCHAR, 3, '0') AS pid FROM cards)
UNION ALL
SELECT desk_id, agent, team, call_id, started_at, day, 2000 + j, 0, 8.0 + 15 * j, 'knowledge',
       CASE (g >> 22) % 8 WHEN 0 THEN 'copied' WHEN 1 THEN 'used' WHEN 2 THEN 'dismissed'
                          ELSE 'opened' END,
       'c' || (2 * (j // 3) + 1)::VARCHAR, 'caption', NULL, NULL, NULL,
       [pid], 'Passage ' || pid, NULL, pack
FROM (SELECT *, 'P-' || lpad((((g >> 4) % 1000) * ((g >> 4) % 1000) // (1000000 // {passages}))::VARCHAR, 3, '0') AS pid FROM cards)
WHERE (g >> 22) % 8 < 4
"""

CALL_COUNTS_SQL = """
SELECT c.* EXCLUDE (h, suggestions_shown, knowledge_shown),
       ((epoch(started_at)::BIGINT % 86400) // 3600)::TINYINT AS hour,
       started_at + to_seconds(handle_seconds::BIGINT) AS ended_at,
       coalesce(e.shown, 0) AS suggestions_shown, coalesce(e.copied, 0) AS suggestions_copied,
       coalesce(e.used, 0) AS suggestions_used, coalesce(e.dismissed, 0) AS suggestions_dismissed,
       coalesce(e.taken, 0) AS suggestions_taken, coalesce(e.k_shown, 0) AS knowledge_shown,
       coalesce(e.k_copied, 0) AS knowledge_copied, coalesce(e.k_used, 0) AS knowledge_used,
       coalesce(e.k_dismissed, 0) AS knowledge_dismissed,
       coalesce(e.k_opened, 0) AS knowledge_opened,
       (escalation_signals + offer_escalation::INTEGER
        + (frustration_max IS NOT NULL)::INTEGER) AS signals,
       NULL::INTEGER AS checklist_items, NULL::INTEGER AS checklist_done
FROM calls_raw c LEFT JOIN (
    SELECT call_id,
        count(*) FILTER (WHERE kind = 'suggestion' AND action = 'shown') AS shown,
        count(*) FILTER (WHERE kind = 'suggestion' AND action = 'copied') AS copied,
        count(*) FILTER (WHERE kind = 'suggestion' AND action = 'used') AS used,
        count(*) FILTER (WHERE kind = 'suggestion' AND action = 'dismissed') AS dismissed,
        count(*) FILTER (WHERE kind = 'suggestion' AND action IN ('copied', 'used')) AS taken,
        count(*) FILTER (WHERE kind = 'knowledge' AND action = 'shown') AS k_shown,
        count(*) FILTER (WHERE kind = 'knowledge' AND action = 'copied') AS k_copied,
        count(*) FILTER (WHERE kind = 'knowledge' AND action = 'used') AS k_used,
        count(*) FILTER (WHERE kind = 'knowledge' AND action = 'dismissed') AS k_dismissed,
        count(*) FILTER (WHERE kind = 'knowledge' AND action = 'opened') AS k_opened
    FROM events_raw GROUP BY call_id) e USING (call_id)
"""


def _arrow(result):
    """The query's result as a pyarrow Table (duckdb >= 1.4 names it to_arrow_table)."""
    fetch = getattr(result, "to_arrow_table", None) or result.fetch_arrow_table
    return fetch()


def generate(out: Path, desks: int, per_day: int, days: int) -> dict[str, float]:
    import duckdb

    from copilot.report import schema as S
    from copilot.report.export import conform, export
    from copilot.report.extract import Metrics

    first = date.today() - timedelta(days=days)
    con = duckdb.connect(config={"threads": os.cpu_count() or 2,
                                 "autoinstall_known_extensions": False,
                                 "autoload_known_extensions": False})
    dispositions = "[" + ", ".join(f"'{d}'" for d in DISPOSITIONS) + "]"
    calls_sql = CALLS_SQL.format(teams=TEAMS, first=first.isoformat(), per_day=per_day,
                                 n=per_day * days, dispositions=dispositions)
    events_sql = EVENTS_SQL.format(passages=PASSAGES)
    started = time.perf_counter()
    totals = {"calls": 0, "events": 0}
    for d in range(desks):
        desk = f"desk-{d:04d}"
        con.execute(f"CREATE OR REPLACE TEMP TABLE calls_raw AS {calls_sql}",
                    {"desk": desk, "desk_no": d})
        con.execute(f"CREATE OR REPLACE TEMP TABLE events_raw AS {events_sql}")
        calls = conform(_arrow(con.sql(CALL_COUNTS_SQL)), S.CALLS)
        events = conform(_arrow(con.sql("SELECT * FROM events_raw")), S.EVENTS)
        export(Metrics(calls, events, S.empty(S.CHECKLIST)), out / desk)
        totals["calls"] += calls.num_rows
        totals["events"] += events.num_rows
        if (d + 1) % 25 == 0 or d + 1 == desks:
            el = time.perf_counter() - started
            print(f"generated {d + 1}/{desks} desks, {totals['calls']:,} calls, "
                  f"{totals['events']:,} event rows ({el:.0f} s)", file=sys.stderr, flush=True)
    totals["seconds"] = time.perf_counter() - started
    return totals


def disk_usage(folder: Path) -> tuple[int, int]:
    files = [p for p in folder.rglob("*.parquet")]
    return len(files), sum(p.stat().st_size for p in files)


def run_report(share: Path, out: Path, fmt: str) -> tuple[float, float, str, int]:
    """`copilot report --from` in a child process: wall seconds, its peak RSS (MiB), output."""
    return run_child_rusage(["report", "--from", f"{share}/*/*.parquet", "--out", str(out),
                             "--format", fmt])


def make_desk_db(db: Path, calls: int, per_day: int = 60) -> int:
    """A desk's database with `calls` calls of about 60 events each (the session's and the
    window's shapes), written in one transaction (the store commits each row: far slower)."""
    import json
    import random
    import sqlite3

    from copilot.store.db import CallStore

    CallStore(db).close()  # the schema, as the app creates it
    rnd = random.Random(7)
    conn = sqlite3.connect(db)
    start = datetime.now(UTC) - timedelta(days=calls // per_day + 1)
    events = 0
    with conn:
        for i in range(calls):
            t0 = start + timedelta(days=i // per_day, seconds=28800 + (i % per_day) * 480)
            t1 = t0 + timedelta(seconds=rnd.randint(120, 900))
            cid = conn.execute(
                "INSERT INTO calls (started_at, ended_at, status, source, title, meta) "
                "VALUES (?, ?, 'completed', 'mic + loopback', '', '{}')",
                (t0.isoformat(timespec="milliseconds"), t1.isoformat(timespec="milliseconds")),
            ).lastrowid
            rows = []
            for n in range(1, 21):  # 20 customer turns
                at = n * 12.0
                of = f"c{2 * n}"
                segs = (cid, of, "customer", at - 5, at, "en", "words " * 12)
                conn.execute('INSERT INTO segments (call_id, caption_id, channel, start, "end", '
                             "lang, text) VALUES (?, ?, ?, ?, ?, ?, ?)", segs)
                pid = f"P-{int(rnd.random() ** 2 * PASSAGES):03d}"
                rows.append(("knowledge", at, {"type": "knowledge", "of": of, "at": at,
                             "passages": [{"id": pid, "title": f"Passage {pid}", "score": 5.0,
                                           "answer": "an answer " * 8, "confident": True}]}))
                if n % 2:
                    rows.append(("suggestion", at + 0.1, {
                        "type": "suggestion", "of": of, "text": "a line " * 10,
                        "sources": [pid], "grounded": True, "at": at + 0.1,
                        "origin": "approved_line", "rank": 1, "pack": "site@3"}))
                if n % 3 == 0:
                    rows.append(("summary", at + 0.2, {
                        "type": "summary", "version": n, "at": at + 0.2, "sections": {
                            "reason": "a reason " * 6, "facts": ["a fact " * 5] * 4,
                            "actions": [], "open": [], "next": [], "sources": [pid],
                            "earlier": []}}))
                if n % 7 == 0:
                    rows.append(("suggestion_action", at + 3, {
                        "of": of, "text": "a line", "sources": [pid], "rank": 1,
                        "origin": "approved_line", "grounded": True,
                        "action": rnd.choice(["copied", "used", "dismissed"]), "pack": "site@3"}))
                if n % 9 == 0:
                    rows.append(("signal", at + 0.1, {"type": "signal", "of": of,
                                                      "kind": "frustration",
                                                      "level": rnd.random(), "words": ["w"],
                                                      "at": at + 0.1}))
            rows.append(("after_call", 250.0, {"type": "after_call", "note": "a note " * 30,
                                               "disposition": rnd.choice(DISPOSITIONS),
                                               "at": 250.0, "edited": False, "saved": True}))
            conn.executemany("INSERT INTO events (call_id, type, at, payload) VALUES (?, ?, ?, ?)",
                             [(cid, t, at, json.dumps(p)) for t, at, p in rows])
            events += len(rows)
    conn.close()
    return events


def desk_bench(calls: int) -> int:
    with tempfile.TemporaryDirectory(prefix="copilot-report-desk-") as tmp:
        db = Path(tmp) / "calls.sqlite3"
        t = time.perf_counter()
        events = make_desk_db(db, calls)
        print(f"desk database: {calls:,} calls, {events:,} events, "
              f"{db.stat().st_size / 2**20:,.0f} MiB ({time.perf_counter() - t:.0f} s to make)")
        for label, args in (("desk report", ["report", "--db", str(db), "--out",
                                             f"{tmp}/desk.html"]),
                            ("export", ["report", "--db", str(db), "--export", f"{tmp}/share",
                                        "--desk", "desk-1"]),
                            ("export again", ["report", "--db", str(db), "--export",
                                              f"{tmp}/share", "--desk", "desk-1"])):
            wall, peak, out, code = run_child_rusage(args)
            print(out.rstrip())
            if code != 0:
                return 1
            print(f"{label}: {wall:.1f} s wall, peak RSS {peak:,.0f} MiB")
    return 0


def run_child_rusage(args: list[str]) -> tuple[float, float, str, int]:
    """`copilot ARGS` in a child process: wall seconds, the child's peak RSS (MiB), output."""
    cmd = [sys.executable, "-m", "copilot.cli", *args]
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    out = proc.stdout.read() if proc.stdout else ""
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t
    code = proc.returncode = os.waitstatus_to_exitcode(status)
    return wall, usage.ru_maxrss / 1024, out, code


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--desks", type=int, default=500)
    ap.add_argument("--calls-per-day", type=int, default=60)
    ap.add_argument("--days", type=int, default=90)
    ap.add_argument("--keep", metavar="DIR", help="generate into DIR and keep it; reuse it when "
                    "it already holds files")
    ap.add_argument("--format", default="html", choices=("html", "csv", "json"))
    ap.add_argument("--desk-calls", type=int, metavar="N",
                    help="instead: one desk's database of N calls, its report and export")
    args = ap.parse_args()
    if args.desk_calls:
        return desk_bench(args.desk_calls)

    tmp = None
    if args.keep:
        share = Path(args.keep)
    else:
        tmp = tempfile.mkdtemp(prefix="copilot-report-scale-")
        share = Path(tmp) / "share"
    try:
        if share.is_dir() and any(share.rglob("*.parquet")):
            print(f"reusing the metrics in {share}", file=sys.stderr)
        else:
            g = generate(share, args.desks, args.calls_per_day, args.days)
            print(f"generated {g['calls']:,} calls and {g['events']:,} event rows in "
                  f"{g['seconds']:.0f} s", flush=True)
        n_files, size = disk_usage(share)
        print(f"metrics: {n_files:,} Parquet files, {size / 2**20:,.0f} MiB in {share}")
        out = share.parent / f"site.{args.format}"
        wall, peak, log, code = run_report(share, out, args.format)
        print(log.rstrip())
        if code != 0:
            print(f"the report failed (exit {code})")
            return 1
        print(f"site report: {wall:.1f} s wall, peak RSS {peak:,.0f} MiB, "
              f"{out.stat().st_size / 1024:,.0f} KiB {args.format} "
              f"(cores {os.cpu_count()}, {datetime.now(UTC):%Y-%m-%d})")
        ok = wall < 60 and peak < 2048
        print("within the target (60 s, 2 GiB)" if ok else "OVER the target (60 s, 2 GiB)")
        return 0 if ok else 1
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
