"""Verifies a pack, in an order where nothing untrusted is acted on before it is checked:

1. headers (archive.py): member types, names, duplicates, sizes, counts, zip ratios;
2. the signature over the exact bytes of pack.toml (signing.py), before any field is parsed;
3. the manifest (manifest.py), strictly typed;
4. the member set equals the manifest's [files] (nothing extra, nothing missing), header sizes
   equal manifest sizes, every name is an allowed data format (content.py);
5. every file streamed once: SHA-256 and byte count checked against the manifest (a header may
   lie about sizes; reading stops as soon as a file runs past its declared size), first bytes
   sniffed for pickles and executables; optionally written into a staging folder as it is read;
6. GGUF chat templates read from the metadata (never loading the model) and checked statically,
   then by the caller's runtime check (the copilot passes its sandbox).
Any failure raises PackRefused with a message that names the file and the problem.
"""

from __future__ import annotations

import hashlib
import os
import tarfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from models.packs import content, gguf_meta
from models.packs.archive import Limits, PackSource, open_source
from models.packs.errors import PackRefused
from models.packs.manifest import MANIFEST, SIGNATURE, FileEntry, Manifest
from models.packs.signing import MAX_SIGNATURE_BYTES, Signer, check_signature

CHUNK = 1 << 20
Progress = Callable[[int, int], None]  # (bytes done, bytes in all)


@dataclass(frozen=True)
class Policy:
    trusted_keys: frozenset[bytes] = frozenset()
    require_signed: bool = False
    limits: Limits = field(default_factory=Limits)
    # A further check of a GGUF's chat template (raises on refusal): the copilot passes one that
    # compiles and test-renders it in the same sandbox the LLM runtime uses.
    check_template: Callable[[str], None] | None = None
    # Which pack ids this site accepts (raises PackRefused with its reason): the copilot passes
    # its site policy's `allowed_packs`. Checked as soon as the manifest is parsed.
    check_id: Callable[[str], None] | None = None
    # Where the site set its signing rules, named in refusals (a settings key by default; the
    # copilot names its site policy file when the rule comes from there).
    require_signed_by: str = "[packs] require_signed"
    trusted_keys_by: str = "[packs] trusted_keys"


@dataclass
class VerifiedPack:
    manifest: Manifest
    manifest_bytes: bytes
    signature: bytes | None
    signer: Signer | None
    warnings: list[str]
    source_kind: str


def verify_pack(path: str | Path, policy: Policy, *, staging: Path | None = None,
                progress: Progress | None = None) -> VerifiedPack:
    """Verify the pack at `path`; with `staging`, also write its files there (nothing else)."""
    with open_source(path, policy.limits) as src:
        try:
            return _verify(src, policy, staging, progress)
        except (tarfile.TarError, zipfile.BadZipFile, EOFError) as e:
            raise PackRefused(f"the pack is damaged: {e}") from e
        except OSError as e:
            raise PackRefused(f"cannot read the pack: {e}") from e


def _verify(src: PackSource, policy: Policy, staging: Path | None,
            progress: Progress | None) -> VerifiedPack:
    if MANIFEST not in src.members:
        raise PackRefused(f"the pack has no {MANIFEST} at its top level")
    manifest_bytes = _read_small(src, MANIFEST, 4 << 20)
    sig = _read_small(src, SIGNATURE, MAX_SIGNATURE_BYTES) if SIGNATURE in src.members else None
    signer, warnings = check_signature(manifest_bytes, sig, policy.trusted_keys,
                                       policy.require_signed,
                                       require_signed_by=policy.require_signed_by,
                                       trusted_keys_by=policy.trusted_keys_by)
    manifest = Manifest.parse(manifest_bytes)
    if policy.check_id is not None:
        policy.check_id(manifest.id)

    expected = set(manifest.files) | {MANIFEST} | ({SIGNATURE} if sig is not None else set())
    extra = sorted(set(src.members) - expected)
    if extra:
        raise PackRefused(f"the pack holds {len(extra)} file(s) its manifest does not list: "
                          f"{_few(extra)}")
    missing = sorted(set(manifest.files) - set(src.members))
    if missing:
        raise PackRefused(f"{len(missing)} file(s) listed in the manifest are missing: "
                          f"{_few(missing)}")
    for name, entry in manifest.files.items():
        if src.members[name].size != entry.size:
            where = "the folder" if src.kind == "folder" else "the archive"
            raise PackRefused(f"{name!r} is {src.members[name].size} bytes in {where} but "
                              f"{entry.size} in the manifest")
        content.check_name_type(name)

    if staging is not None:
        _write_file(staging / MANIFEST, manifest_bytes)
        if sig is not None:
            _write_file(staging / SIGNATURE, sig)
    total, done = manifest.total_size, 0
    for name in sorted(manifest.files):
        _stream(src, name, manifest.files[name], staging)
        done += manifest.files[name].size
        if progress:
            progress(done, total)

    for name in sorted(n for n in manifest.files if n.lower().endswith(".gguf")):
        with (open(staging / name, "rb") if staging is not None else src.open(name)) as f:
            template = gguf_meta.chat_template(f, name)
        where = f"the chat template of {name}"
        content.check_template_source(template, where)
        if policy.check_template is not None and template.strip():
            try:
                policy.check_template(template)
            except PackRefused:
                raise
            except Exception as e:  # the runtime sandbox's TemplateError
                raise PackRefused(f"{where} is refused: {e}") from e
    return VerifiedPack(manifest, manifest_bytes, sig, signer, warnings, src.kind)


def _read_small(src: PackSource, name: str, limit: int) -> bytes:
    if src.members[name].size > limit:
        raise PackRefused(f"{name} is larger than {limit} bytes")
    with src.open(name) as f:
        data = f.read(limit + 1)
    if len(data) > limit:
        raise PackRefused(f"{name} is larger than {limit} bytes")
    return data


def _stream(src: PackSource, name: str, entry: FileEntry, staging: Path | None) -> None:
    """Hash one member while copying it; stop at the first byte past its declared size."""
    h = hashlib.sha256()
    n = 0
    head = b""
    out: BinaryIO | None = _create(staging / name) if staging is not None else None
    try:
        with src.open(name) as f:
            while True:
                chunk = f.read(CHUNK)
                if not chunk:
                    break
                n += len(chunk)
                if n > entry.size:
                    raise PackRefused(f"{name!r} holds more bytes than its manifest entry says")
                if len(head) < content.SNIFF_BYTES:
                    head += chunk[:content.SNIFF_BYTES - len(head)]
                    if len(head) >= content.SNIFF_BYTES:
                        content.check_magic(name, head)
                h.update(chunk)
                if out is not None:
                    out.write(chunk)
        if len(head) < content.SNIFF_BYTES:
            content.check_magic(name, head)
        if n != entry.size:
            raise PackRefused(f"{name!r} is shorter than its manifest entry says ({n} of "
                              f"{entry.size} bytes)")
        if h.hexdigest() != entry.sha256:
            raise PackRefused(f"{name!r} does not match its SHA-256 in the manifest (altered or "
                              "damaged)")
        if out is not None:
            out.flush()
            os.fsync(out.fileno())  # on disk before the staging folder is renamed into place
    finally:
        if out is not None:
            out.close()


def _create(path: Path) -> BinaryIO:
    path.parent.mkdir(parents=True, exist_ok=True)
    # O_EXCL | O_NOFOLLOW: never write through something that already exists in staging.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o644)
    return os.fdopen(fd, "wb")


def _write_file(path: Path, data: bytes) -> None:
    with _create(path) as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())


def _few(names: list[str]) -> str:
    return ", ".join(repr(n) for n in names[:5]) + (" ..." if len(names) > 5 else "")
