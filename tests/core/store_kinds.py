"""The call store's two kinds, plain and encrypted (SQLCipher, key in a file), for tests that
must hold for both. A test module parametrizes a fixture over them:

    @pytest.fixture(params=KINDS)
    def store_kind(request, tmp_path) -> StoreKind:
        return make_kind(request.param, tmp_path)

    def test_x(store_kind, tmp_path): with store_kind.open(tmp_path / "c.db") as store: ...
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from copilot.store.db import CallStore
from copilot.store.errors import NotADatabaseError, StoreError, WrongKeyError
from copilot.store.keys import StoreKey, load_key
from copilot.store.options import PLAIN, KeyFile, StoreOptions


@dataclass(frozen=True)
class StoreKind:
    name: str
    options: StoreOptions
    key: StoreKey | None = None

    @property
    def encrypted(self) -> bool:
        return self.options.encrypt

    @property
    def unreadable(self) -> type[StoreError]:
        """What opening a file that is no database raises: with a key, SQLCipher cannot tell
        garbage from a database encrypted with another key."""
        return WrongKeyError if self.encrypted else NotADatabaseError

    def open(self, path: str | Path, **kwargs: Any) -> CallStore:
        return CallStore(path, options=self.options, **kwargs)

    def raw(self, path: str | Path, **kwargs: Any) -> Any:
        """A bare DB-API connection to the file (a test's direct SQL), keyed when encrypted."""
        if self.key is None:
            return sqlite3.connect(path, **kwargs)
        import sqlcipher3.dbapi2 as sqlcipher

        conn = sqlcipher.connect(str(path), **kwargs)
        conn.execute(f'PRAGMA key = "{self.key.sqlcipher_literal()}"')
        return conn


def encrypted_kind(folder: Path) -> StoreKind:
    """An encrypted kind whose key file (created here) is in `folder`."""
    source = KeyFile(folder / "store.key")
    return StoreKind("encrypted", StoreOptions(encrypt=True, key=source),
                     load_key(source, create=True))


KINDS = ("plain", "encrypted")


def make_kind(name: str, tmp_path: Path) -> StoreKind:
    """The plain kind, or an encrypted one with its key file under `tmp_path`."""
    if name == "plain":
        return StoreKind("plain", PLAIN)
    return encrypted_kind(tmp_path / "keys")
