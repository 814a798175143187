"""Principle 5: SIGKILL the writer at random moments; nothing it reported committed is lost,
on the plain store and on the encrypted one (SQLCipher pages in the same WAL)."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from store_kinds import KINDS, make_kind

WRITER = Path(__file__).with_name("store_crash_writer.py")
KILLS = 50


@pytest.mark.parametrize("kind", KINDS)
def test_sigkill_loses_no_committed_segment(tmp_path: Path, kind: str) -> None:
    store_kind = make_kind(kind, tmp_path)
    key_args = [str(store_kind.options.key.path)] if store_kind.encrypted else []
    db = tmp_path / "calls.sqlite3"
    seed = random.randrange(2**32)
    rng = random.Random(seed)
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    total_printed = 0
    for round_no in range(KILLS):
        where = f"(seed {seed}, kill {round_no})"
        proc = subprocess.Popen([sys.executable, str(WRITER), str(db), *key_args], env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            header = proc.stdout.readline().decode()
            before = b"".join(proc.stdout.readline() for _ in range(rng.randint(0, 25)))
            time.sleep(rng.uniform(0, 0.01))
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=10)
            # Through the same buffered reader as the lines above: communicate() would read the
            # pipe's file descriptor directly and miss what readline() had already buffered.
            rest, err = proc.stdout.read(), proc.stderr.read()
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
            proc.stdout.close()
            proc.stderr.close()
        assert proc.returncode == -signal.SIGKILL, f"writer died on its own {where}: {err!r}"
        assert header.startswith("call "), f"writer did not start {where}: {err!r}"
        call_id = int(header.split()[1])
        # Lines read before the kill plus what was still in the pipe; only whole lines count.
        printed = (before + rest).decode().split("\n")[:-1]
        total_printed += len(printed)

        with store_kind.open(db) as store:
            assert store.integrity_check() == "ok", where
            stored = [s.caption_id for s in store.segments(call_id)]
            missing = set(printed) - set(stored)
            assert not missing, f"committed segments lost {where}: {sorted(missing)}"
            # Stored in order, and at most one committed whose id was not printed yet.
            assert stored == [f"c{n}" for n in range(1, len(stored) + 1)], where
            assert len(stored) - len(printed) in (0, 1), where
            # The killed writer's call was marked when this store opened (its owner is gone).
            assert store.get_call(call_id).status == "interrupted", where
            assert store.recover_interrupted() == [], where
    assert total_printed > KILLS, "the writer barely wrote anything; the test proved little"
    if store_kind.encrypted:  # what 50 killed writers left on disk holds no caption text
        for suffix in ("", "-wal", "-shm", "-journal"):
            part = Path(f"{db}{suffix}")
            assert not part.exists() or b"segment " not in part.read_bytes(), part.name
