"""Safe reading of a pack: a folder, an uncompressed .tar or a .zip, all behind one interface.

Opening a source checks every member's header before any content is read: only regular files and
folders (no symlinks, hardlinks, devices, fifos, sparse files), names that stay inside the pack
(`check_name`), no duplicates (also none differing only in case, which would overwrite each other
on Windows or macOS), no file that is also a folder, a bounded number of members, header sizes
within the limits, and for zip no encryption, no exotic compression and no suspicious compression
ratio (a zip bomb). Sizes are checked again while reading (verify.py), because headers can lie.

Compressed tars are refused: to list a .tar.gz one must decompress all of it, so a small file
could make us inflate terabytes before a single header was checked.
"""

from __future__ import annotations

import os
import stat
import tarfile
import unicodedata
import zipfile
from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from models.packs.errors import PackRefused
from models.packs.manifest import check_name

MiB = 1 << 20


@dataclass(frozen=True)
class Limits:
    max_file_bytes: int = 4096 * MiB
    max_total_bytes: int = 16384 * MiB
    max_members: int = 20_000
    max_zip_ratio: int = 100  # uncompressed/compressed, above 1 MiB (model weights barely shrink)


@dataclass(frozen=True)
class Member:
    name: str
    size: int  # as the header says


class PackSource(ABC):
    """Members (regular files only; folders are implied by names) and a way to read each."""

    kind = "?"

    def __init__(self, path: Path, limits: Limits):
        self.path = path
        self.limits = limits
        self.members: dict[str, Member] = {}
        self._folded: dict[str, str] = {}
        self._dirs: set[str] = set()

    @abstractmethod
    def open(self, name: str) -> BinaryIO:
        """A stream of the member's bytes (each kind of source reads its own way)."""

    def close(self) -> None:  # noqa: B027 - a folder has nothing to close; archives do
        return None

    def __enter__(self) -> PackSource:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- header checks shared by every kind ------------------------------------------------
    def _add_dir(self, name: str) -> None:
        self._dirs.add(check_name(name))
        self._count()

    def _add_file(self, name: str, size: int) -> None:
        check_name(name)
        self._count()
        # NFC too: macOS stores names decomposed, so "é" and "e\u0301" would be one file there.
        folded = unicodedata.normalize("NFC", name).casefold()
        if name in self.members:
            raise PackRefused(f"{name!r} appears twice in the pack")
        if folded in self._folded:
            raise PackRefused(f"{name!r} and {self._folded[folded]!r} differ only in case (one "
                              "would overwrite the other on some systems)")
        if size < 0 or size > self.limits.max_file_bytes:
            raise PackRefused(f"{name!r} is {_mb(size)}, more than the limit of "
                              f"{_mb(self.limits.max_file_bytes)} per file ([packs] max_file_mb)")
        self._folded[folded] = name
        self.members[name] = Member(name, size)

    def _count(self) -> None:
        if len(self.members) + len(self._dirs) >= self.limits.max_members:
            raise PackRefused(f"the pack has more than {self.limits.max_members} entries")

    def _finish(self) -> None:
        def fold(n: str) -> str:
            return unicodedata.normalize("NFC", n).casefold()

        parents = {fold("/".join(n.split("/")[:i]))
                   for n in self.members for i in range(1, n.count("/") + 1)}
        clash = sorted(n for n in self.members if fold(n) in parents)
        if clash:
            raise PackRefused(f"{clash[0]!r} is both a file and a folder in the pack")
        total = sum(m.size for m in self.members.values())
        if total > self.limits.max_total_bytes:
            raise PackRefused(f"the pack holds {_mb(total)}, more than the limit of "
                              f"{_mb(self.limits.max_total_bytes)} ([packs] max_total_mb)")


class DirSource(PackSource):
    kind = "folder"

    def __init__(self, path: Path, limits: Limits):
        super().__init__(path, limits)
        for rel, st in self._walk(path, ""):
            self._add_file(rel, st.st_size)
        self._finish()

    def _walk(self, root: Path, prefix: str) -> Iterator[tuple[str, os.stat_result]]:
        with os.scandir(root) as it:
            entries = sorted(it, key=lambda e: e.name)
        for e in entries:
            rel = prefix + e.name
            st = e.stat(follow_symlinks=False)
            if stat.S_ISLNK(st.st_mode):
                raise PackRefused(f"{rel!r} is a symbolic link; packs may hold only regular files")
            if stat.S_ISDIR(st.st_mode):
                self._add_dir(rel)
                yield from self._walk(Path(e.path), rel + "/")
            elif not stat.S_ISREG(st.st_mode):
                raise PackRefused(f"{rel!r} is not a regular file (device, fifo or socket)")
            elif st.st_nlink > 1:
                raise PackRefused(f"{rel!r} is a hard link (it has {st.st_nlink} names); packs "
                                  "may hold only independent regular files")
            else:
                yield rel, st

    def open(self, name: str) -> BinaryIO:
        # O_NOFOLLOW: a file swapped for a symlink after the walk is still refused.
        fd = os.open(self.path / name, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            os.close(fd)
            raise PackRefused(f"{name!r} is no longer a regular file")
        return os.fdopen(fd, "rb")


class TarSource(PackSource):
    kind = "tar"

    def __init__(self, path: Path, limits: Limits):
        super().__init__(path, limits)
        try:
            self._tar = tarfile.open(path, mode="r:")
        except tarfile.ReadError as e:
            raise PackRefused(f"{path.name} is not a readable uncompressed tar ({e})") from e
        self._infos: dict[str, tarfile.TarInfo] = {}
        try:
            while True:
                info = self._tar.next()
                if info is None:
                    break
                self._check(info)
            self._finish()
        except tarfile.TarError as e:
            self._tar.close()
            raise PackRefused(f"{path.name} is a damaged tar ({e})") from e
        except BaseException:
            self._tar.close()
            raise

    def _check(self, info: tarfile.TarInfo) -> None:
        # `tar -cf pack.tar -C folder .` writes "./pack.toml" and a "." entry: accepted as the
        # same names (the duplicate check still sees "./a" and "a" as one).
        name = info.name[2:] if info.name.startswith("./") else info.name
        if name == "." and info.isdir():
            return
        if info.issym() or info.islnk():
            raise PackRefused(f"{name!r} is a {'symbolic' if info.issym() else 'hard'} link to "
                              f"{info.linkname!r}; packs may hold only regular files")
        if info.isdir():
            self._add_dir(name.rstrip("/"))
        elif info.isreg() and not info.issparse():
            self._add_file(name, info.size)
            self._infos[name] = info
        else:
            raise PackRefused(f"{name!r} is not a regular file (device, fifo or sparse entry)")

    def open(self, name: str) -> BinaryIO:
        f = self._tar.extractfile(self._infos[name])
        assert f is not None  # regular members always have content
        return f  # type: ignore[return-value]

    def close(self) -> None:
        self._tar.close()


class ZipSource(PackSource):
    kind = "zip"

    def __init__(self, path: Path, limits: Limits):
        super().__init__(path, limits)
        try:
            self._zip = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError) as e:
            raise PackRefused(f"{path.name} is not a readable zip ({e})") from e
        try:
            for info in self._zip.infolist():
                self._check(info)
            self._finish()
        except BaseException:
            self._zip.close()
            raise

    def _check(self, info: zipfile.ZipInfo) -> None:
        name = info.filename
        mode = info.external_attr >> 16
        kind = stat.S_IFMT(mode) if info.create_system == 3 else 0
        if kind == stat.S_IFLNK:
            raise PackRefused(f"{name!r} is a symbolic link; packs may hold only regular files")
        if kind not in (0, stat.S_IFREG, stat.S_IFDIR):
            raise PackRefused(f"{name!r} is not a regular file")
        if info.is_dir():
            self._add_dir(name.rstrip("/"))
            return
        if info.flag_bits & 0x1:
            raise PackRefused(f"{name!r} is encrypted")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise PackRefused(f"{name!r} uses an unsupported compression method "
                              f"({info.compress_type}); use stored or deflate")
        if info.file_size > MiB and \
                info.file_size > self.limits.max_zip_ratio * max(info.compress_size, 1):
            raise PackRefused(f"{name!r} would expand {info.file_size // max(info.compress_size, 1)}"
                              " times (a zip bomb?)")
        self._add_file(name, info.file_size)

    def open(self, name: str) -> BinaryIO:
        return self._zip.open(name)  # type: ignore[return-value]

    def close(self) -> None:
        self._zip.close()


def _mb(n: int) -> str:
    return f"{n / MiB:.1f} MB" if n < 10 * MiB else f"{n / MiB:.0f} MB"


def open_source(path: str | Path, limits: Limits | None = None) -> PackSource:
    """The pack at `path` (folder, .tar or .zip), with every header checked."""
    p = Path(path).expanduser()
    limits = limits or Limits()
    if p.is_dir():
        return DirSource(p, limits)
    if not p.is_file():
        raise PackRefused(f"no pack at {p} (expected a folder, a .tar or a .zip)")
    with open(p, "rb") as f:
        head = f.read(512)
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return ZipSource(p, limits)
    if head[:2] == b"\x1f\x8b" or head[:3] == b"BZh" or head[:6] == b"\xfd7zXZ\x00":
        raise PackRefused(f"{p.name} is a compressed tar; packs are plain .tar or .zip files")
    if len(head) == 512 and head[257:262] == b"ustar":
        return TarSource(p, limits)
    raise PackRefused(f"{p.name} is neither a pack folder, a tar nor a zip")
