"""Errors of the call database; each message names the file and what to do."""


class StoreError(Exception):
    """The call database cannot be used as asked; the message names the file."""


class NotADatabaseError(StoreError):
    """The file exists but is not an SQLite database, or is corrupt."""


class NewerSchemaError(StoreError):
    """The database was written by a newer version of the app; we must not touch it."""


class EraseIncompleteError(StoreError):
    """A delete committed, but another connection kept the old text alive in the WAL."""


class StoreKeyError(StoreError):
    """The encrypted call database's key cannot be had (no keyring, no key file, a bad key
    file); the message says where the key was looked for and how to supply one."""


class WrongKeyError(StoreKeyError):
    """The key does not open the encrypted call database (or the file is not one); the file
    was not changed."""


class StoreBusyError(StoreError):
    """The call database cannot be encrypted now: another connection has it open."""
