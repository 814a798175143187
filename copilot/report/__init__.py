"""Supervisor reports (issue 16, parts 2 and 3): one desk's calls, or a whole site's, as
de-identified metrics, figures and charts.

    extract.py  a desk's calls (the store) -> three metrics tables (schema.py: what is shared)
    export.py   those tables -> Parquet files, merged by call (re-exporting never duplicates)
    source.py   the one query layer: DuckDB views over a desk's tables or any desks' files
    figures.py  the report's SQL -> tables of figures
    charts.py   the charts (matplotlib): inline SVG in the HTML, PNG in the window's view
    render.py   HTML (one self-contained file), CSV, JSON

Reads the store and nothing else; writes only where it is told. Live checklists (part 1) come
from each call's `checklist` events (extract.py: the state at hang-up, then the agent's ticks
in the wrap-up).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING

from copilot.report.export import ExportError, ExportResult
from copilot.report.extract import Metrics, Who
from copilot.report.figures import Report
from copilot.report.source import SourceError
from copilot.text.plural import plural

if TYPE_CHECKING:
    from copilot.store.options import StoreOptions

__all__ = ["ExportError", "ExportResult", "Metrics", "NoDatabase", "Report", "ReportError",
           "SourceError", "Who", "desk_metrics", "desk_report", "export_desk", "site_report"]

Say = Callable[[str], None]


class ReportError(Exception):
    """The report cannot be made as asked (no database, nothing to read...)."""


class NoDatabase(ReportError):
    """No call database at `path`: no call was recorded there yet. The command line and the
    window each add what to do, in their own terms (a --db path to check, a folder to name)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        super().__init__(f"no call database at {path}: no call has been recorded there yet")


def desk_metrics(db: Path, who: Who, *, since: datetime | None = None,
                 tz: tzinfo | None = None, say: Say | None = None,
                 store_options: StoreOptions | None = None) -> Metrics:
    """The metrics of the calls in the database at `db` (never created if missing);
    `store_options`: how it is opened (copilot/store/options.py; None: plain)."""
    from copilot.report import extract
    from copilot.store.db import CallStore
    from copilot.store.errors import StoreError

    if not db.is_file():
        raise NoDatabase(db)
    import time

    last = [time.monotonic()]

    def progress(i: int, n: int) -> None:
        now = time.monotonic()
        if say is not None and now - last[0] > 2.0:
            last[0] = now
            say(f"reading calls: {i:,}/{n:,}")

    try:
        with CallStore(db, options=store_options) as store:
            return extract.from_store(store, who, since=since, tz=tz, progress=progress)
    except StoreError as e:
        raise ReportError(str(e)) from e


def desk_report(db: Path, *, since: datetime | None = None, who: Who | None = None,
                tz: tzinfo | None = None, say: Say | None = None,
                store_options: StoreOptions | None = None) -> Report:
    from copilot.report import figures, source

    metrics = desk_metrics(db, who or Who("this-desk"), since=since, tz=tz, say=say,
                           store_options=store_options)
    from copilot.paths import database_path

    con = source.connect()
    try:
        inputs = source.from_arrow(con, metrics)
        if db.expanduser().resolve() != database_path().resolve():
            inputs.database = str(db)  # another desk's, or a copy (`--db`): say which
        return figures.build(con, inputs, scope="desk", since=since)
    finally:
        con.close()


def site_report(patterns: list[str], *, since: datetime | None = None, say: Say | None = None,
                threads: int | None = None, memory_limit: str | None = None) -> Report:
    import duckdb

    from copilot.report import figures, source

    con = source.connect(threads=threads, memory_limit=memory_limit)
    try:
        inputs = source.from_parquet(con, patterns, since=since, say=say)
        if say is not None:
            desks = len({Path(f).name.split(".", 1)[0] for f in inputs.files["calls"]})
            say(f"reading {plural(inputs.file_count, 'metrics file')} "
                f"(about {plural(desks, 'desk')})")
        try:
            inputs.repeated_calls = source.count_repeated_calls(con)
            if inputs.repeated_calls and say is not None:
                say(f"warning: {plural(inputs.repeated_calls, 'call')} found in more than one "
                    "file are counted more than once: collect each desk's export folder once")
            return figures.build(con, inputs, scope="site", since=since, say=say)
        except duckdb.Error as e:
            culprit = source.find_unreadable(inputs, say)
            if culprit is not None:
                raise SourceError(f"a metrics file is damaged: {culprit}; move it aside or "
                                  "collect it again") from e
            raise SourceError(f"cannot read the metrics files: {e}") from e
    finally:
        con.close()


def export_desk(db: Path, folder: Path, who: Who, *, since: datetime | None = None,
                tz: tzinfo | None = None, say: Say | None = None,
                store_options: StoreOptions | None = None) -> ExportResult:
    from copilot.report import export

    metrics = desk_metrics(db, who, since=since, tz=tz, say=say, store_options=store_options)
    return export.export(metrics, folder)
