"""The one query layer: a DuckDB connection with the views `calls`, `events` and `checklist`,
over either a desk's own metrics (Arrow tables read from its store) or any number of desks'
Parquet files. The report's SQL (copilot/report/figures.py) runs on either the same way.

DuckDB never fetches anything: extension auto-install and auto-load are off (the Parquet and
JSON readers are built in), so a path like s3://... is refused instead of downloading httpfs.
"""

from __future__ import annotations

import glob
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from copilot.report import schema as S

Say = Callable[[str], None]


class SourceError(Exception):
    """The metrics cannot be read (no files, a file that is not Parquet...); says which."""


@dataclass
class Inputs:
    """What a report was built from (its header says so)."""

    kind: str  # "store" | "parquet"
    files: dict[str, list[str]] = field(default_factory=dict)  # per table
    skipped: list[str] = field(default_factory=list)  # matched files not read (not metrics,
    # or a copy of another file read)
    repeated_calls: int = 0  # calls found in more than one file (counted more than once)
    database: str = ""  # a desk report of a database not this desk's own: its path

    @property
    def file_count(self) -> int:
        return sum(len(f) for f in self.files.values())


def connect(*, threads: int | None = None, memory_limit: str | None = None) -> Any:
    import duckdb

    config: dict[str, Any] = {"autoinstall_known_extensions": False,
                              "autoload_known_extensions": False}
    if threads:
        config["threads"] = threads
    if memory_limit:
        config["memory_limit"] = memory_limit
    con = duckdb.connect(":memory:", config=config)
    # The same footers are read by each query of the report: keep them.
    con.execute("SET parquet_metadata_cache = true")
    return con


def _since_clause(since: datetime | None) -> str:
    if since is None:
        return ""
    return f" WHERE started_at >= TIMESTAMPTZ '{since.isoformat()}'"


def from_arrow(con: Any, metrics: Any, *, since: datetime | None = None) -> Inputs:
    """Views over one desk's metrics (copilot/report/extract.py Metrics)."""
    for name in S.TABLES:
        con.register(f"_{name}", metrics.table(name))
        con.execute(f"CREATE OR REPLACE VIEW {name} AS SELECT * FROM _{name}"
                    f"{_since_clause(since)}")
    return Inputs(kind="store")


# --- Parquet files ------------------------------------------------------------------------------

def expand(patterns: Sequence[str]) -> list[Path]:
    """The files the patterns name: globs (`SHARE/*/*.parquet`, `**` recursive), files, or
    folders (every *.parquet below them). Sorted, without duplicates."""
    found: set[Path] = set()
    for pattern in patterns:
        p = Path(pattern).expanduser()
        if p.is_dir():
            found.update(q for q in p.rglob("*.parquet") if q.is_file())
        elif glob.has_magic(pattern):
            found.update(Path(q) for q in glob.glob(os.path.expanduser(pattern), recursive=True)
                         if Path(q).is_file())
        elif p.is_file():
            found.add(p)
    return sorted(found)


def _looks_like_parquet(path: Path) -> str | None:
    """Why `path` cannot be a Parquet file, or None (checks the magic bytes at both ends)."""
    try:
        size = path.stat().st_size
        if size < 12:
            return f"{size} bytes"
        with open(path, "rb") as f:
            head = f.read(4)
            f.seek(-4, os.SEEK_END)
            tail = f.read(4)
    except OSError as e:
        return str(e)
    if head != b"PAR1" or tail != b"PAR1":
        return "not a Parquet file, or cut short"
    return None


def classify(files: Sequence[Path], say: Say | None = None) -> Inputs:
    """Sort metrics files by table: by their name (`<desk>.<table>.<YYYY-MM>.parquet`), else by
    the table their metadata names (a renamed file). A file that is not Parquet is an error;
    a Parquet file that is not ours is skipped with a word."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    inputs = Inputs(kind="parquet", files={name: [] for name in S.TABLES})
    for path in files:
        why = _looks_like_parquet(path)
        if why is not None:
            raise SourceError(f"{path} is not a readable metrics file ({why}); move it aside "
                              "or export it again")
        m = S.FILE_NAME.fullmatch(path.name)
        table = m["table"] if m else None
        if table is None:
            try:
                meta = pq.read_schema(path).metadata or {}
            except (pa.ArrowException, OSError) as e:
                raise SourceError(f"{path} is not a readable metrics file ({e})") from e
            table = meta.get(b"copilot.metrics", b"").decode() or None
        if table not in S.TABLES:
            inputs.skipped.append(str(path))
            if say is not None:
                say(f"skipping {path}: not a metrics file")
            continue
        inputs.files[table].append(str(path))
    _skip_copies(inputs, say)
    return inputs


def _skip_copies(inputs: Inputs, say: Say | None) -> None:
    """Leave out a file that is a byte-for-byte copy of another read (a collector copied or
    renamed a file and both reached the share: the walk-through of stop 48 counted every call
    of such a desk twice). Only files of the same size are hashed."""
    import hashlib

    for table, paths in inputs.files.items():
        by_size: dict[int, list[str]] = {}
        for path in paths:
            by_size.setdefault(os.path.getsize(path), []).append(path)
        seen: dict[str, str] = {}
        copies: set[str] = set()
        for same in (group for group in by_size.values() if len(group) > 1):
            for path in same:
                with open(path, "rb") as f:
                    digest = hashlib.file_digest(f, "sha256").hexdigest()
                if digest in seen:
                    copies.add(path)
                    inputs.skipped.append(path)
                    if say is not None:
                        say(f"skipping {path}: a copy of {seen[digest]}")
                else:
                    seen[digest] = path
        inputs.files[table] = [p for p in paths if p not in copies]


def count_repeated_calls(con: Any) -> int:
    """Calls (desk, number, start) found in more than one of the files read: a desk's export
    collected twice under other names, whose rows the report counts more than once."""
    return con.execute(
        "SELECT count(*) FROM (SELECT 1 FROM calls GROUP BY " + ", ".join(S.CALL_KEY)
        + " HAVING count(*) > 1)").fetchone()[0]


def find_unreadable(inputs: Inputs, say: Say | None = None) -> str | None:
    """After a read error: the first file that does not read whole, with why (None: all read,
    the problem was elsewhere). Reads every file: only for explaining an error."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    if say is not None:
        say(f"a file could not be read; checking the {inputs.file_count:,} files")
    for paths in inputs.files.values():
        for path in paths:
            try:
                pq.read_table(path)
            except (pa.ArrowException, OSError) as e:
                return f"{path} ({' '.join(str(e).split())})"
    return None


def _sql_list(paths: list[str]) -> str:
    return "[" + ", ".join("'" + p.replace("'", "''") + "'" for p in paths) + "]"


def from_parquet(con: Any, patterns: Sequence[str], *, since: datetime | None = None,
                 say: Say | None = None) -> Inputs:
    """Views over the metrics files the patterns match (any number of desks)."""
    import duckdb

    files = expand(patterns)
    if not files:
        raise SourceError(f"no files match {' '.join(patterns)}")
    inputs = classify(files, say)
    if not inputs.files[S.CALLS]:
        raise SourceError(f"no call metrics among the {len(files)} files that match "
                          f"{' '.join(patterns)} (they are named <desk>.calls.<YYYY-MM>.parquet; "
                          "see `copilot report --export`)")
    for name in S.TABLES:
        paths = inputs.files[name]
        if paths:
            # union_by_name: files written by an older version may lack newer columns.
            body = f"SELECT * FROM read_parquet({_sql_list(paths)}, union_by_name = true)"
        else:  # no checklist files yet: the same empty table as a desk's
            con.register(f"_{name}", S.empty(name))
            body = f"SELECT * FROM _{name}"
        try:
            have = {r[0] for r in con.execute(f"DESCRIBE {body}").fetchall()}
        except duckdb.Error as e:
            # Which file, in words (DuckDB's own message quotes its SQL: a second walk-through
            # saw "don't know what type: LINE 1: DESCRIBE SELECT ...").
            culprit = find_unreadable(Inputs(kind="parquet", files={name: paths}), say)
            if culprit is not None:
                raise SourceError(f"a metrics file is damaged: {culprit}; move it aside or "
                                  "collect it again") from e
            raise SourceError(f"cannot read the {name} metrics files: "
                              f"{str(e).splitlines()[0]}") from e
        # Columns a newer version added that these files lack: nulls, so the SQL still runs.
        extra = "".join(f", NULL::{_duck_type(c)} AS {c.name}"
                        for c in S.COLUMNS[name] if c.name not in have)
        con.execute(f"CREATE OR REPLACE VIEW {name} AS SELECT *{extra} FROM ({body})"
                    f"{_since_clause(since)}")
    return inputs


def _duck_type(c: S.Column) -> str:
    import pyarrow as pa

    t = c.type
    return {pa.string(): "VARCHAR", pa.int64(): "BIGINT", pa.int32(): "INTEGER",
            pa.int16(): "SMALLINT", pa.int8(): "TINYINT", pa.float64(): "DOUBLE",
            pa.float32(): "FLOAT", pa.bool_(): "BOOLEAN", pa.date32(): "DATE",
            S.TS: "TIMESTAMPTZ"}.get(t, "VARCHAR[]" if pa.types.is_list(t) else "VARCHAR")
