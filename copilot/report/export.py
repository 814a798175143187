"""`copilot report --export DIR`: a desk's metrics as Parquet files the site collects itself.

One file per table and month, `<desk>.<table>.<YYYY-MM>.parquet` (copilot/report/schema.py).
Exporting is a merge by call: the rows of every call being exported replace that call's rows in
the files (key: desk, call number, start time), so re-exporting the same calls never duplicates
a row, and a call whose figures changed since (a note saved later) is corrected. Each file is
written beside its final name and renamed over it, so a collector never copies half a file.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from copilot.report import schema as S
from copilot.report.extract import Metrics


class ExportError(Exception):
    """The folder or one of its files cannot be used (the message says which and why)."""


@dataclass
class ExportResult:
    calls: int = 0  # calls exported (new or rewritten)
    rows: dict[str, int] = field(default_factory=dict)  # rows exported, per table
    written: list[Path] = field(default_factory=list)  # files created or replaced
    removed: list[Path] = field(default_factory=list)  # files left with no row


SORT = {
    S.CALLS: [("started_at", "ascending"), ("call_id", "ascending")],
    S.EVENTS: [("started_at", "ascending"), ("call_id", "ascending"),
               ("event_id", "ascending"), ("item", "ascending")],
    S.CHECKLIST: [("started_at", "ascending"), ("call_id", "ascending"),
                  ("checklist", "ascending"), ("item", "ascending")],
}


def conform(table: pa.Table, name: str) -> pa.Table:
    """`table` in the current schema of `name`: columns in order, missing ones null (a file
    from an older version), extra ones dropped."""
    target = S.schema(name)
    cols = []
    for f in target:
        if f.name in table.column_names:
            cols.append(table.column(f.name).cast(f.type))
        else:
            cols.append(pa.nulls(table.num_rows, f.type))
    return pa.Table.from_arrays(cols, schema=target)


def _keys(table: pa.Table) -> pa.Array:
    """One string per row naming its call: "<desk>/<call number>@<start in ms>"."""
    ms = pc.cast(pc.cast(table.column("started_at"), pa.timestamp("ms", tz="UTC")), pa.int64())
    return pc.binary_join_element_wise(table.column("desk_id"),
                                       pc.cast(table.column("call_id"), pa.string()),
                                       pc.cast(ms, pa.string()), "/")


def _months(table: pa.Table) -> pa.Array:
    return pc.strftime(pc.cast(table.column("day"), pa.timestamp("s")), format="%Y-%m")


def _read(path: Path, name: str) -> pa.Table:
    try:
        return conform(pq.read_table(path), name)
    except (pa.ArrowException, OSError) as e:
        raise ExportError(f"{path} is not a readable metrics file ({e}); move it aside and "
                          "export again") from e


def _write(table: pa.Table, path: Path) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")  # matches no *.parquet glob
    try:
        pq.write_table(table, tmp, compression="zstd")
        with open(tmp, "rb") as f:
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def export(metrics: Metrics, folder: Path) -> ExportResult:
    """Merge `metrics` (one desk's) into the files of `folder`."""
    if folder.exists() and not folder.is_dir():
        raise ExportError(f"{folder} is a file, not a folder: --export writes its Parquet files "
                          "into a folder")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise ExportError(f"cannot create the export folder {folder}: {e.strerror or e}") from e
    if not os.access(folder, os.W_OK):
        raise ExportError(f"cannot write to the export folder {folder}")
    result = ExportResult(calls=metrics.calls.num_rows)
    desks = set(metrics.calls.column("desk_id").to_pylist())
    if not desks:
        return result
    if len(desks) != 1:
        raise ValueError(f"one desk at a time, not {sorted(desks)}")
    (desk,) = desks
    replaced = _keys(metrics.calls)
    for name in S.TABLES:
        new = conform(metrics.table(name), name)
        result.rows[name] = new.num_rows
        new_months = _months(new) if new.num_rows else pa.array([], pa.string())
        existing = {}
        for path in folder.glob(f"{desk}.{name}.*.parquet"):
            m = S.FILE_NAME.fullmatch(path.name)
            if m and m["desk"] == desk and m["table"] == name:
                existing[m["month"]] = path
        for month in sorted(set(new_months.to_pylist()) | set(existing)):
            add = new.filter(pc.equal(new_months, month)) if new.num_rows else new
            path = folder / S.file_name(desk, name, month)
            if month in existing:
                old = _read(path, name)
                keep = old.filter(pc.invert(pc.is_in(_keys(old), value_set=replaced))) \
                    if old.num_rows else old
                if keep.num_rows == old.num_rows and add.num_rows == 0:
                    continue  # none of these calls is in this file
                merged = pa.concat_tables([keep, add])
            else:
                merged = add
            if merged.num_rows == 0:
                if month in existing:
                    path.unlink()
                    result.removed.append(path)
                continue
            _write(merged.sort_by(SORT[name]), path)
            result.written.append(path)
    return result
