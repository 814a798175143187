"""How the call database is opened: plain, or encrypted at rest with a key from a named source.

The store never reads settings itself: whoever opens it (the command line, a call being built, the
window) builds a StoreOptions from the settings with `options_from_settings()` (and, once it
exists, the site policy, which may force `encrypt` on) and passes it in.

Where the key comes from, first match wins:
1. the key file named by the environment variable COPILOT_STORE_KEY_FILE (headless machines,
   services, tests);
2. the key file named by `[store] key_file` in the settings (or by the site policy);
3. the operating system's keyring (service "agent-copilot", entry "call-store"): a random
   256-bit key created there the first time an encrypted store is created.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

KEY_FILE_ENV = "COPILOT_STORE_KEY_FILE"
KEYRING_SERVICE = "agent-copilot"
KEYRING_ENTRY = "call-store"


@dataclass(frozen=True)
class KeyringKey:
    """The key is kept in the operating system's keyring under (service, entry)."""

    service: str = KEYRING_SERVICE
    entry: str = KEYRING_ENTRY

    def describe(self) -> str:
        return f"the system keyring (service {self.service!r}, entry {self.entry!r})"


@dataclass(frozen=True)
class KeyFile:
    """The key is the 64 hexadecimal characters of a file (a 256-bit key)."""

    path: Path

    def describe(self) -> str:
        return f"the key file {self.path}"


KeySource = KeyringKey | KeyFile


@dataclass(frozen=True)
class StoreOptions:
    """`encrypt`: the database is encrypted at rest (SQLCipher); a plain one is encrypted in
    place when it is opened with this on, unless `migrate_plain` is off (a reader of some other
    file, such as `copilot report --db FILE`, then reads a plain file as it is). `key`: where
    the key comes from. `read_only`: nothing is written to the file, not even what opening a
    store does (journal mode, schema migration, marking crashed calls interrupted): for a reader
    of another desk's file or a copy, perhaps on read-only media; the file must then be a call
    database of this version."""

    encrypt: bool = False
    key: KeySource = field(default_factory=KeyringKey)
    migrate_plain: bool = True
    read_only: bool = False


PLAIN = StoreOptions()


def options_from_settings(store_settings: Any,
                          environ: Mapping[str, str] | None = None) -> StoreOptions:
    """StoreOptions from the settings' [store] section (`encrypt`, `key_file`) and the
    environment (COPILOT_STORE_KEY_FILE names a key file and wins over the settings)."""
    env = os.environ if environ is None else environ
    encrypt = bool(getattr(store_settings, "encrypt", False))
    named = (env.get(KEY_FILE_ENV) or "").strip() or \
        str(getattr(store_settings, "key_file", "") or "").strip()
    key: KeySource = KeyFile(Path(named).expanduser()) if named else KeyringKey()
    return StoreOptions(encrypt=encrypt, key=key)
