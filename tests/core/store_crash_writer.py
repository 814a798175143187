"""Helper for test_store_crash.py: commit segments forever, printing each id once it is durable.

Usage: python store_crash_writer.py DB_PATH [KEY_FILE]. Prints "call N", then one caption id per
line, each only after add_segment() has returned. With KEY_FILE the store is encrypted with the
key in that file. The test SIGKILLs this process at a random moment and
checks that every id it managed to print is in the database.
"""

from __future__ import annotations

import sys
from pathlib import Path

from copilot.events import Caption
from copilot.store.db import CallStore
from copilot.store.options import PLAIN, KeyFile, StoreOptions


def main(path: str, key_file: str | None = None) -> None:
    options = StoreOptions(encrypt=True, key=KeyFile(Path(key_file))) if key_file else PLAIN
    store = CallStore(path, options=options)
    call_id = store.start_call("crash-test", title="killed on purpose")
    print(f"call {call_id}", flush=True)
    n = 0
    while True:
        n += 1
        channel = "customer" if n % 2 else "agent"
        # Vary the size so some segments span pages and some share them.
        text = f"segment {n} " + "words " * (n % 37)
        store.add_segment(call_id, Caption(f"c{n}", True, channel, n * 1.0, n + 0.8, n + 0.9,
                                           "en", text))
        print(f"c{n}", flush=True)


if __name__ == "__main__":
    main(*sys.argv[1:3])
