"""The encrypted call store's cost per committed caption, side by side with the plain store, in
one run on one machine. Each commit is CallStore.add_segment() as a call records it: one caption
of realistic length, its own transaction, fsynced (WAL, synchronous=FULL) before it returns.

    .venv/bin/python tests/bench/store_commit.py                     # 5 rounds x 200 commits
    .venv/bin/python tests/bench/store_commit.py --rounds 10 --commits 500 --dir /var/tmp

The two stores alternate round by round (plain first in even rounds, encrypted first in odd
ones) in fresh files of the same folder, so drift of the disk or the machine's load falls on
both alike. Also timed: opening a store (the key read from a file, the first page checked),
reading one call back, and encrypting a plain store of --calls calls in place.

The figures go to BENCHMARKS.md ("Encrypted call store").
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from copilot.events import Caption  # noqa: E402
from copilot.store.db import CallStore  # noqa: E402
from copilot.store.options import PLAIN, KeyFile, StoreOptions  # noqa: E402

WORDS = ("I was charged twice for the same month on my card and I would like the second "
         "payment refunded please").split()


def caption(n: int) -> Caption:
    # 60 to 140 characters, the length of most final captions in the demo calls.
    text = " ".join(WORDS[(n + i) % len(WORDS)] for i in range(10 + n % 14))
    return Caption(f"c{n}", True, "customer" if n % 2 else "agent", n * 2.0, n * 2.0 + 1.6,
                   n * 2.0 + 1.9, "en", text)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def commit_times(path: Path, options: StoreOptions, commits: int) -> list[float]:
    with CallStore(path, options=options) as store:
        call = store.start_call("bench", title="commit cost")
        out = []
        for n in range(commits):
            c = caption(n)
            t0 = time.perf_counter()
            store.add_segment(call, c)
            out.append(time.perf_counter() - t0)
        store.end_call(call)
    return out


def open_and_read(path: Path, options: StoreOptions, repeat: int) -> tuple[list[float], list[float]]:
    opens, reads = [], []
    for _ in range(repeat):
        t0 = time.perf_counter()
        store = CallStore(path, options=options)
        t1 = time.perf_counter()
        store.segments(1)
        t2 = time.perf_counter()
        store.close()
        opens.append(t1 - t0)
        reads.append(t2 - t1)
    return opens, reads


def migration_time(folder: Path, options: StoreOptions, calls: int) -> tuple[float, int]:
    path = folder / "migrate.sqlite3"
    with CallStore(path) as store:
        conn = store.conn
        conn.execute("BEGIN")
        for c in range(calls):
            call = store.start_call("bench", title=f"call {c}")
            for n in range(60):
                store.add_segment(call, caption(n))
            store.end_call(call)
        conn.execute("COMMIT")
    size = path.stat().st_size
    t0 = time.perf_counter()
    CallStore(path, options=options).close()
    return time.perf_counter() - t0, size


def fsync_times(folder: Path, repeat: int = 200) -> list[float]:
    """What the disk itself charges: a 4 KB write and fsync of a plain file (the floor under
    every commit of either store)."""
    out = []
    fd = os.open(folder / "fsync-probe", os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        for _ in range(repeat):
            t0 = time.perf_counter()
            os.pwrite(fd, os.urandom(4096), 0)
            os.fsync(fd)
            out.append(time.perf_counter() - t0)
    finally:
        os.close(fd)
    return out


def row(name: str, values: list[float]) -> str:
    ms = [v * 1000 for v in values]
    return (f"{name:<14} {len(ms):>6} {statistics.median(ms):>9.2f} {percentile(ms, 0.95):>9.2f}"
            f" {statistics.fmean(ms):>9.2f} {max(ms):>9.2f}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--commits", type=int, default=200, help="commits per store per round")
    ap.add_argument("--calls", type=int, default=200, help="calls of the store encrypted in place")
    ap.add_argument("--dir", default=None, help="where the files go (default: the temp folder); "
                    "use a real disk: on tmpfs an fsync costs nothing")
    args = ap.parse_args()

    import sqlcipher3.dbapi2 as sqlcipher

    with tempfile.TemporaryDirectory(prefix="store-bench-", dir=args.dir) as tmp:
        folder = Path(tmp)
        encrypted = StoreOptions(encrypt=True, key=KeyFile(folder / "store.key"))
        kinds = {"plain": PLAIN, "encrypted": encrypted}
        times: dict[str, list[float]] = {k: [] for k in kinds}
        for r in range(args.rounds):
            order = list(kinds) if r % 2 == 0 else list(reversed(kinds))
            for name in order:
                path = folder / f"{name}-{r}.sqlite3"
                times[name] += commit_times(path, kinds[name], args.commits)
        reads = {name: open_and_read(folder / f"{name}-0.sqlite3", kinds[name], 50)
                 for name in kinds}
        migrate_s, migrate_bytes = migration_time(folder, encrypted, args.calls)
        fsyncs = fsync_times(folder)
        fs = os.statvfs(folder)

    print(f"machine: {platform.machine()}, {os.cpu_count()} CPUs, {platform.system()} "
          f"{platform.release()}, Python {platform.python_version()}; files in {folder.parent} "
          f"(block size {fs.f_bsize})")
    probe = sqlcipher.connect(":memory:")
    probe.execute("PRAGMA key = 'probe'")  # the crypto provider is reported once keyed
    cipher = probe.execute("PRAGMA cipher_version").fetchone()[0]
    provider = probe.execute("PRAGMA cipher_provider").fetchone()
    probe.close()
    print(f"SQLCipher {cipher} on SQLite {sqlcipher.sqlite_version} (sqlcipher3 module"
          f"{', ' + provider[0] if provider and provider[0] else ''}); plain store: the "
          f"standard library's SQLite {__import__('sqlite3').sqlite_version}")
    print(f"{args.rounds} rounds x {args.commits} commits per store, alternating\n")
    print(f"{'per commit':<14} {'n':>6} {'median ms':>9} {'p95 ms':>9} {'mean ms':>9} "
          f"{'max ms':>9}")
    for name in kinds:
        print(row(name, times[name]))
    med = {k: statistics.median(v) for k, v in times.items()}
    p95 = {k: percentile(v, 0.95) for k, v in times.items()}
    print(f"\nencrypted - plain: median {1000 * (med['encrypted'] - med['plain']):+.2f} ms "
          f"({med['encrypted'] / med['plain']:.2f}x), p95 "
          f"{1000 * (p95['encrypted'] - p95['plain']):+.2f} ms "
          f"({p95['encrypted'] / p95['plain']:.2f}x)\n")
    print(f"{'other':<14} {'n':>6} {'median ms':>9} {'p95 ms':>9} {'mean ms':>9} "
          f"{'max ms':>9}")
    for name in kinds:
        print(row(f"open {name}", reads[name][0]))
    for name in kinds:
        print(row(f"read {name}", reads[name][1]))
    print(row("disk fsync 4KB", fsyncs))
    print(f"\nencrypting a plain store in place: {args.calls} calls x 60 captions "
          f"({migrate_bytes / 1e6:.1f} MB) in {migrate_s:.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
