"""The call database (SQLite): calls, final segments and events; exports; the `calls` command."""

from copilot.store.db import CallStore
from copilot.store.errors import (
    EraseIncompleteError,
    NewerSchemaError,
    NotADatabaseError,
    StoreError,
)
from copilot.store.rows import CallRow, EventRow, SegmentRow

__all__ = [
    "CallRow",
    "CallStore",
    "EraseIncompleteError",
    "EventRow",
    "NewerSchemaError",
    "NotADatabaseError",
    "SegmentRow",
    "StoreError",
]
