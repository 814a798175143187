"""Retention: erase calls older than N days (settings: [store] retention_days; 0 keeps all).

The app calls delete_older_than() at start-up, on a worker thread (an erase rewrites the file).
Erasure is the real one of CallStore.delete_call: the rows go, secure_delete zeroes the freed
pages, and one VACUUM plus a TRUNCATE checkpoint leaves no copy in the main file or the WAL.
A call's content debug file (copilot/logs.py) goes with it, and so does a debug file whose call
the database no longer has.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from copilot.store.db import CallStore
from copilot.store.rows import ACTIVE, CallRow


def _started(call: CallRow) -> datetime | None:
    try:
        moment = datetime.fromisoformat(call.started_at)
    except ValueError:
        return None
    # Stored times are UTC with an offset; a hand-edited naive one is taken as UTC too.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def expired_calls(store: CallStore, days: int, now: datetime | None = None) -> list[CallRow]:
    """The calls that started more than `days` days before `now` (default: the current time).

    Active calls are never included: one may be the call being recorded right now. A call whose
    start time cannot be read is kept (erasing on a guess is worse than keeping one call).
    """
    if isinstance(days, bool) or not isinstance(days, int) or days < 0:
        raise ValueError(f"retention_days must be a whole number of days >= 0, not {days!r}")
    if days == 0:
        return []
    moment = now or datetime.now(UTC)
    if moment.tzinfo is None:
        raise ValueError("now must be timezone-aware (e.g. datetime.now(UTC))")
    cutoff = moment - timedelta(days=days)
    out = []
    for call in store.list_calls():
        started = _started(call)
        if call.status != ACTIVE and started is not None and started < cutoff:
            out.append(call)
    return out


def delete_older_than(store: CallStore, days: int, now: datetime | None = None) -> list[int]:
    """Erase every call that started more than `days` days ago; returns the erased call ids.

    days=0 erases nothing. The rows are deleted in one transaction and the residue is erased
    once (a VACUUM per call would rewrite the file N times). Raises EraseIncompleteError when
    another program held the write-ahead log open: the rows are gone, their old text goes when
    that program closes the database.
    """
    ids = [c.id for c in expired_calls(store, days, now)]
    if days:
        store.erase_orphan_debug_files()
    if not ids:
        return []
    for call_id in ids:  # first: if one cannot be erased (StoreError), no call is deleted
        store.erase_debug_file(call_id)
    conn = store.conn
    conn.execute("BEGIN IMMEDIATE")
    try:
        for call_id in ids:
            # Segments and events follow through ON DELETE CASCADE (foreign_keys is on).
            conn.execute("DELETE FROM calls WHERE id = ?", (call_id,))
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    store.erase_residue()
    return ids
