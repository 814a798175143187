"""Installing a pack: verify into a staging folder, then swap it in atomically.

The staging folder is inside the packs root (same file system, so the final `os.replace` is an
atomic rename). Verification writes only there; the installed versions and active.json are not
touched until the pack passed every check and the version rules. On any failure the staging
folder is removed, and a packs root this install created is removed too, so a refused pack leaves
the packs folder exactly as it was (tests hash the whole tree before and after).
"""

from __future__ import annotations

import os
import shutil
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from models.packs.errors import DowngradeRefused, PackError, PackRefused
from models.packs.manifest import MANIFEST, version_key
from models.packs.store import InstalledPack, PackStore
from models.packs.verify import Policy, Progress, VerifiedPack, verify_pack

KEEP_VERSIONS = 2  # per pack id: the newest two stay (the previous one for rollback)


@dataclass
class InstallResult:
    pack: InstalledPack
    status: str  # "installed" | "already installed" | "replaced" | "repaired"
    activated: bool
    warnings: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)  # older versions pruned


def install(root: str | Path, source: str | Path, policy: Policy, *, force: bool = False,
            activate: bool = True, progress: Progress | None = None) -> InstallResult:
    """Verify and install the pack at `source` into the packs folder `root`.

    `force` (a supervisor's decision) allows a downgrade and replacing an installed version whose
    content differs. Raises PackRefused (nothing changed) or PackError."""
    store = PackStore(root)
    created_root = not store.root.exists()
    store.root.mkdir(parents=True, exist_ok=True)
    try:
        with store.locked():
            return _install_locked(store, Path(source), policy, force, activate, progress)
    except BaseException:
        if created_root:  # leave no trace of a refused first install
            shutil.rmtree(store.root, ignore_errors=True)
        raise


def _install_locked(store: PackStore, source: Path, policy: Policy, force: bool,
                    activate: bool, progress: Progress | None) -> InstallResult:
    state = store.read_state()  # a damaged state refuses before any work
    staging = store.root / f".staging-{uuid.uuid4().hex}"
    staging.mkdir()
    try:
        verified = verify_pack(source, policy, staging=staging, progress=progress)
        m = verified.manifest
        target = store.installed_dir / m.id / m.version
        status = _check_version(store, state, verified, target, force)
        if status == "already installed":
            shutil.rmtree(staging)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            if status in ("replaced", "repaired"):
                store.discard(target)
            os.replace(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if version_key(m.version) > version_key(state["highest"].get(m.id, "0")):
        state["highest"][m.id] = m.version
    store.write_state(state)
    pack = store.activate_locked(m.id, m.version) if activate else store.get(m.id, m.version)
    removed = _prune(store, m.id)
    store.clean_leftovers()
    return InstallResult(pack, status, activate, list(verified.warnings), removed)


def _check_version(store: PackStore, state: dict, verified: VerifiedPack, target: Path,
                   force: bool) -> str:
    m = verified.manifest
    if target.exists():
        try:
            same = (target / MANIFEST).read_bytes() == verified.manifest_bytes
        except OSError:
            same = False
        if same:
            # The same pack again over a copy that lost or changed a file: installed anew (a
            # repair, the way `kb ask` and the window advise: "install it again"); a whole
            # copy is never re-hashed here.
            try:
                store.get(m.id, m.version).check_files()
            except PackError:
                return "repaired"
            return "already installed"
        if not force:
            raise PackRefused(f"{m.label} is already installed with different contents; a changed "
                              "pack needs a new version (or install with --force to replace it)")
        return "replaced"
    highest = state["highest"].get(m.id)
    installed = [p.version for p in store.list() if p.id == m.id]
    top = max([v for v in [highest, *installed] if v], key=version_key, default=None)
    if top and version_key(m.version) < version_key(top) and not force:
        raise DowngradeRefused(f"{m.label} is older than {m.id}@{top}, which was installed "
                               "before; pack versions only go up (a supervisor may force a "
                               "downgrade with --force, or use `copilot pack rollback`)")
    return "installed"


def _prune(store: PackStore, pack_id: str) -> list[str]:
    """Keep the newest KEEP_VERSIONS of an id, plus any that is active or in the history."""
    state = store.read_state()
    refs = ([state["active"]] if state.get("active") else []) + state["history"]
    keep = {r["version"] for r in refs if r["id"] == pack_id}
    versions = [p for p in store.list() if p.id == pack_id]
    keep |= {p.version for p in versions[-KEEP_VERSIONS:]}
    removed = []
    for p in versions:
        if p.version not in keep:
            store.discard(p.path)
            removed.append(p.label)
    return removed


def verify_only(source: str | Path, policy: Policy,
                progress: Progress | None = None) -> VerifiedPack:
    """Full verification without installing (`copilot pack verify`)."""
    return verify_pack(source, policy, progress=progress)


__all__ = ["InstallResult", "PackError", "install", "verify_only"]
