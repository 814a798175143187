"""The installed packs on disk, which one is active, and the history that makes rollback possible.

    <packs root>/installed/<id>/<version>/   one folder per installed version (pack.toml inside)
    <packs root>/active.json                  {"active": {"id", "version"} | null,
                                              "history": [previous activations, newest last],
                                              "highest": {id: highest version ever installed}}
    <packs root>/.staging-*/, .trash-*/      transient; never read as packs

Every change of what is active is one atomic `os.replace` of active.json (written beside it and
fsynced first), so a crash leaves either the old or the new state, never a mix. An installed
folder only appears by a rename of a complete, verified staging folder (install.py). "highest"
outlives removal, so an old (possibly vulnerable) version cannot be slipped back in by removing
the newer one first: going down always needs force.
The root is locked (flock on the folder itself, no lock file) while it changes.
"""

from __future__ import annotations

import json
import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from models.packs.errors import PackError
from models.packs.manifest import ID_RE, MANIFEST, SIGNATURE, VERSION_RE, Manifest, version_key

STATE = "active.json"
HISTORY_LIMIT = 10


@dataclass(frozen=True)
class InstalledPack:
    id: str
    version: str
    path: Path
    manifest: Manifest | None  # None when the installed copy is damaged (see `error`)
    error: str = ""

    @property
    def label(self) -> str:
        return f"{self.id}@{self.version}"

    @property
    def signed(self) -> bool:
        return (self.path / SIGNATURE).is_file()

    def require(self) -> Manifest:
        if self.manifest is None:
            raise PackError(f"the installed pack {self.label} is damaged ({self.error}); "
                            "install it again or activate another")
        return self.manifest

    def check_files(self) -> None:
        """Cheap integrity check before use: every listed file is there with its size (a full
        re-hash of gigabytes at every start would cost more than it protects: the folder is
        the copilot's own, written from a verified staging copy)."""
        m = self.require()
        for name, entry in m.files.items():
            p = self.path / name
            if p.is_symlink() or not p.is_file() or p.stat().st_size != entry.size:
                raise PackError(f"the installed pack {self.label} is damaged: {name} is missing "
                                "or changed; install it again or activate another")

    def damage(self) -> str:
        """What is wrong with the installed copy ("" when nothing): an unreadable manifest, or
        a listed file missing or changed in size (check_files)."""
        if self.manifest is None:
            return self.error
        try:
            self.check_files()
        except PackError as e:
            return str(e)
        return ""

    # -- where each component lives ------------------------------------------------------
    def whisper_dir(self, name: str = "") -> Path | None:
        m = self.require()
        for a in m.asr:
            if not name or a.name == name:
                return self.path / a.path
        return None

    def asr_languages(self, model_dir: Path) -> tuple[str, ...]:
        """The languages the pack declares for the speech model in `model_dir` (() when that
        folder is not one of this pack's models, or the pack declares none)."""
        m = self.require()
        for a in m.asr:
            if (self.path / a.path).resolve() == Path(model_dir).resolve():
                return tuple(a.languages)
        return ()

    def gguf(self) -> Path | None:
        m = self.require()
        return self.path / m.llm.path if m.llm else None

    def kb_dir(self) -> Path | None:
        m = self.require()
        return self.path / m.kb.path if m.kb else None

    def mt_dir(self) -> Path | None:
        return self.path / "mt" if self.require().mt else None

    def encoder_dir(self) -> Path | None:
        """The sentence-encoder folder (models/minilm.py's layout), None when the pack has none."""
        m = self.require()
        return self.path / m.encoder.path if m.encoder else None

    def checklists_dir(self) -> Path | None:
        """The folder of checklist files (docs/checklists.md), None when the pack has none."""
        m = self.require()
        return self.path / m.checklists.path if m.checklists else None

    def scenarios_dir(self) -> Path | None:
        """The folder of practice scenarios (docs/scenarios.md), None when the pack has none."""
        m = self.require()
        return self.path / m.scenarios.path if m.scenarios else None


# A caller's rule for packs it may make active: raises (a PackError) to refuse one.
Check = Callable[[InstalledPack], None]


class PackStore:
    def __init__(self, root: str | Path):
        self.root = Path(root)

    @property
    def installed_dir(self) -> Path:
        return self.root / "installed"

    # -- reading ----------------------------------------------------------------------------
    def list(self) -> list[InstalledPack]:
        out = []
        if not self.installed_dir.is_dir():
            return out
        for id_dir in sorted(self.installed_dir.iterdir()):
            if not id_dir.is_dir() or not ID_RE.match(id_dir.name):
                continue
            versions = [v for v in id_dir.iterdir() if v.is_dir() and VERSION_RE.match(v.name)]
            for v in sorted(versions, key=lambda p: version_key(p.name)):
                out.append(self._load(id_dir.name, v.name))
        return out

    def get(self, pack_id: str, version: str | None = None) -> InstalledPack:
        versions = [p for p in self.list() if p.id == pack_id]
        if not versions:
            raise PackError(f"no pack {pack_id!r} is installed (see `copilot pack list`)")
        if version is None:
            return versions[-1]
        for p in versions:
            if version_key(p.version) == version_key(version):
                return p
        raise PackError(f"{pack_id} version {version} is not installed (installed: "
                        f"{', '.join(p.version for p in versions)})")

    def active(self) -> InstalledPack | None:
        ref = self.read_state().get("active")
        if not ref:
            return None
        return self._load(ref["id"], ref["version"])

    def read_state(self) -> dict[str, Any]:
        path = self.root / STATE
        if not path.exists():
            return {"active": None, "history": [], "highest": {}}
        try:
            state = json.loads(path.read_text(encoding="utf-8"))
            if not isinstance(state, dict):
                raise ValueError("not a JSON object")
            refs = ([state["active"]] if state.get("active") else []) + list(state["history"])
            for ref in refs:
                _check_ref(ref)
            if not isinstance(state.get("highest", {}), dict):
                raise ValueError("highest must be a table")
        except (OSError, ValueError, KeyError, TypeError) as e:
            raise PackError(f"{path} is damaged ({e}); activate a pack again with `copilot pack "
                            "activate ID`") from e
        state.setdefault("highest", {})
        return state

    def _load(self, pack_id: str, version: str) -> InstalledPack:
        path = self.installed_dir / pack_id / version
        try:
            manifest = Manifest.parse((path / MANIFEST).read_bytes())
        except (OSError, PackError) as e:
            return InstalledPack(pack_id, version, path, None, str(e))
        if manifest.id != pack_id or manifest.version != version:
            return InstalledPack(pack_id, version, path, None,
                                 f"its manifest says {manifest.label}")
        return InstalledPack(pack_id, version, path, manifest)

    # -- changing ---------------------------------------------------------------------------
    @contextmanager
    def locked(self) -> Iterator[None]:
        """Exclusive use of the root. The root must exist."""
        if not self.root.is_dir():
            raise PackError(f"no packs are installed in {self.root}")
        try:
            import fcntl
        except ImportError:  # Windows: no flock; one supervisor at a time is assumed there
            yield
            return
        fd = os.open(self.root, os.O_RDONLY)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)  # closing releases the lock

    def write_state(self, state: dict[str, Any]) -> None:
        state["history"] = state["history"][-HISTORY_LIMIT:]
        tmp = self.root / f".{STATE}.{uuid.uuid4().hex}.tmp"
        try:
            with open(tmp, "w", encoding="utf-8") as f:
                json.dump(state, f, indent=1, sort_keys=True)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, self.root / STATE)
        finally:
            tmp.unlink(missing_ok=True)
        _fsync_dir(self.root)

    def activate(self, pack_id: str, version: str | None = None, *,
                 check: Check | None = None) -> InstalledPack:
        with self.locked():
            return self.activate_locked(pack_id, version, check=check)

    def activate_locked(self, pack_id: str, version: str | None = None, *,
                        check: Check | None = None) -> InstalledPack:
        """`check` (the caller's site rules) may refuse the pack by raising; nothing changes
        then."""
        pack = self.get(pack_id, version)
        pack.require()
        if check is not None:
            check(pack)
        state = self.read_state()
        current = state.get("active")
        target = {"id": pack.id, "version": pack.version}
        if current != target:
            if current:
                state["history"].append(current)
            state["active"] = target
            self.write_state(state)
        return pack

    def rollback(self, *, check: Check | None = None) -> InstalledPack:
        """Activate the previous active pack that is still installed. `check` may refuse it
        (an unsigned pack where signing is now required): then nothing changes, and the
        history stays as it was."""
        with self.locked():
            state = self.read_state()
            while state["history"]:
                ref = state["history"].pop()
                pack = self._load(ref["id"], ref["version"])
                if pack.manifest is not None and ref != state.get("active"):
                    if check is not None:
                        check(pack)
                    state["active"] = ref
                    self.write_state(state)
                    return pack
            raise PackError("there is no earlier pack to roll back to")

    def remove(self, pack_id: str, version: str | None = None,
               force: bool = False) -> list[InstalledPack]:
        """Remove every installed version of `pack_id` (or one). The active pack only with force
        (then no pack is active and the copilot uses its built-in defaults)."""
        with self.locked():
            packs = [p for p in self.list() if p.id == pack_id and (
                version is None or version_key(p.version) == version_key(version))]
            if not packs:
                raise PackError(f"{pack_id}{'@' + version if version else ''} is not installed")
            state = self.read_state()
            labels = {(p.id, p.version) for p in packs}
            active = state.get("active")
            if active and (active["id"], active["version"]) in labels:
                if not force:
                    raise PackError(f"{active['id']}@{active['version']} is the active pack; "
                                    "activate another first, or remove it with --force")
                state["active"] = None
            state["history"] = [r for r in state["history"] if (r["id"], r["version"])
                                not in labels]
            self.write_state(state)
            for p in packs:
                self.discard(p.path)
            id_dir = self.installed_dir / pack_id
            if id_dir.is_dir() and not any(id_dir.iterdir()):
                id_dir.rmdir()
            return packs

    def discard(self, path: Path) -> None:
        """Rename away first (atomic: the pack vanishes whole), then delete at leisure."""
        trash = self.root / f".trash-{uuid.uuid4().hex}"
        os.replace(path, trash)
        shutil.rmtree(trash, ignore_errors=True)

    def clean_leftovers(self) -> None:
        """Staging and trash folders left by a crash (called only after a successful change)."""
        for p in self.root.iterdir():
            if p.name.startswith((".staging-", ".trash-")) and p.is_dir():
                shutil.rmtree(p, ignore_errors=True)


def _check_ref(ref: Any) -> None:
    if not isinstance(ref, dict) or not ID_RE.match(str(ref.get("id", ""))) or \
            not VERSION_RE.match(str(ref.get("version", ""))):
        raise ValueError(f"bad pack reference {ref!r:.80}")


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # not supported for folders on every system
    finally:
        os.close(fd)
