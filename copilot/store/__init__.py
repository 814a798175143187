"""The call database (SQLite, or SQLCipher when encrypted at rest): calls, final segments and
events; exports; the `calls` command."""

from copilot.store.db import CallStore
from copilot.store.errors import (
    EraseIncompleteError,
    NewerSchemaError,
    NotADatabaseError,
    StoreBusyError,
    StoreError,
    StoreKeyError,
    WrongKeyError,
)
from copilot.store.options import StoreOptions, options_from_settings
from copilot.store.rows import CallRow, EventRow, SegmentRow

__all__ = [
    "CallRow",
    "CallStore",
    "EraseIncompleteError",
    "EventRow",
    "NewerSchemaError",
    "NotADatabaseError",
    "SegmentRow",
    "StoreBusyError",
    "StoreError",
    "StoreKeyError",
    "StoreOptions",
    "WrongKeyError",
    "options_from_settings",
]
