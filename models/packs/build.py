"""Builds a pack archive from a folder (with a draft pack.toml) or from a recipe.

A folder: `pack.toml` gives id, version, description and [components] with paths inside the
folder; every other file in it is listed in [files]. A recipe (`models/recipes/demo.toml`) names
where each component comes from and the builder lays them out:

    id = "demo"  version = "1.0.0"  description = "..."
    [[asr]]  name = "base"  source = "pypi:whisper_base"  languages = ["en", "fr"]
    [llm]    name = "smollm2-135m"  source = "pypi:smollm2_135m"  chat_template = "chatml"
    [[mt]]   name = "fr-en"  source = "path:models/fr-en"  pairs = ["fr-en"]
    [kb]     source = "repo:resources/kb/northwind"  lang = "en"
    [encoder] name = "all-minilm-l6-v2"  source = "pypi:minilm_encoder"  (name: default folder's)
    [checklists] source = "repo:resources/checklists"   (a folder of checklist .toml files)
    [scenarios]  source = "path:scenarios"   (a folder of practice scenario .toml files)

`pypi:NAME` is one of the model packages of models/pypi_models.py, `repo:PATH` is relative to this
repository, `path:PATH` (or a bare path) is relative to the recipe. In the pack they become
asr/<name>/, llm/<file>, mt/<name>/, kb/, encoder/<name>/, checklists/ and scenarios/.

Files are hashed, the manifest written (and signed), then the archive is written as a plain .tar
(or a stored .zip): model weights do not compress, and an uncompressed tar is what the installer
reads fastest. Each file is hashed again while written; a file that changed in between fails the
build rather than producing a pack that cannot verify.
"""

from __future__ import annotations

import hashlib
import os
import tarfile
import time
import tomllib
import uuid
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from models.packs.errors import PackError
from models.packs.manifest import FORMAT, MANIFEST, SIGNATURE, Manifest

CHUNK = 1 << 20
REPO_ROOT = Path(__file__).resolve().parents[2]
BuildProgress = Callable[[str, int, int], None]  # (phase, bytes done, bytes in all)


@dataclass
class BuildResult:
    path: Path
    manifest: Manifest
    signed: bool
    size: int
    warnings: tuple[str, ...] = ()  # what check_kb found that does not stop the build


@dataclass(frozen=True)
class PackContent:
    """The source folders of a pack's data components (None: the pack has none), for the
    builder's caller to check with the copilot's own parsers before anything is written."""

    kb: Path | None
    checklists: Path | None
    scenarios: Path | None


def build(source: str | Path, out: str | Path, *, sign_key: str | Path | None = None,
          models_dir: Path | None = None, progress: BuildProgress | None = None,
          check: Callable[[PackContent], Sequence[object]] | None = None) -> BuildResult:
    """Build the pack described by `source` (folder or recipe .toml) into `out` (.tar or .zip).

    `models_dir` is where `pypi:whisper_base` is assembled and `pypi:minilm_encoder` converted
    (the copilot's models folder). `check(content)` checks the pack's knowledge base, checklists
    and scenarios (their source folders) before anything is written: it raises to stop the
    build and returns the warnings (the copilot's own parsers and lint; models/ does not import
    the engine)."""
    src = Path(source).expanduser()
    out = Path(out).expanduser()
    if out.suffix not in (".tar", ".zip"):
        raise PackError(f"--out {out} must end in .tar or .zip")
    if src.is_dir():
        draft, plan = _from_folder(src)
    elif src.is_file():
        draft, plan = _from_recipe(src, models_dir)
    else:
        raise PackError(f"no pack folder or recipe at {src}")
    warnings: tuple[str, ...] = ()
    content = PackContent(*(_root(plan, draft, name) for name in ("kb", "checklists", "scenarios")))
    if check is not None and content != PackContent(None, None, None):
        warnings = tuple(str(w) for w in check(content))
    total = sum(p.stat().st_size for p in plan.values())
    files: dict[str, Any] = {}
    done = 0
    for name in sorted(plan):
        digest, size = _hash_file(plan[name], lambda n, d=done: progress and progress(
            "hashing", d + n, total))
        files[name] = {"sha256": digest, "size": size}
        done += size
    draft.update(format=FORMAT, files=files, created=_created())
    manifest = Manifest.from_doc(draft)  # every rule the installer checks, checked now
    manifest_bytes = manifest.to_toml()
    sig = None
    if sign_key is not None:
        from models.packs.signing import sign

        sig = sign(manifest_bytes, Path(sign_key).expanduser())
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.{uuid.uuid4().hex}.tmp")
    try:
        writer = _write_zip if out.suffix == ".zip" else _write_tar
        writer(tmp, manifest, manifest_bytes, sig, plan,
               lambda n: progress and progress("writing", n, total))
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)
    return BuildResult(out, manifest, sig is not None, out.stat().st_size, warnings)


def _root(plan: dict[str, Path], draft: dict[str, Any], component: str) -> Path | None:
    """The source folder of a data component's files (its `path` in the pack, the component's
    name unless its pack.toml names another): for kb/x/y.md, the folder holding x/."""
    comp = draft.get("components", {}).get(component) if isinstance(
        draft.get("components"), dict) else None
    folder = comp.get("path", component) if isinstance(comp, dict) else None
    if not isinstance(folder, str) or not folder:
        return None
    depth = len(Path(folder).parts)
    for rel, path in plan.items():
        parts = Path(rel).parts
        if parts[:depth] == Path(folder).parts and len(parts) > depth:
            return path.parents[len(parts) - depth - 1]
    return None


# -- inputs -------------------------------------------------------------------------------------
def _from_folder(folder: Path) -> tuple[dict[str, Any], dict[str, Path]]:
    draft = _load_toml(folder / MANIFEST)
    draft.pop("files", None)
    plan = {rel: p for rel, p in _files_under(folder) if rel not in (MANIFEST, SIGNATURE)}
    return draft, plan


def _from_recipe(recipe: Path, models_dir: Path | None) -> tuple[dict[str, Any], dict[str, Path]]:
    doc = _load_toml(recipe)
    draft: dict[str, Any] = {k: doc[k] for k in ("id", "version", "description") if k in doc}
    comps: dict[str, Any] = {}
    plan: dict[str, Path] = {}

    def add_folder(prefix: str, folder: Path) -> None:
        for rel, p in _files_under(folder):
            plan[f"{prefix}/{rel}"] = p

    for a in _list(doc.get("asr")):
        name = _field(a, "name", recipe)
        add_folder(f"asr/{name}", _resolve(_field(a, "source", recipe), recipe, models_dir))
        comps.setdefault("asr", []).append(
            {"name": name, "path": f"asr/{name}", "languages": a.get("languages", [])})
    for t in _list(doc.get("mt")):
        name = _field(t, "name", recipe)
        add_folder(f"mt/{name}", _resolve(_field(t, "source", recipe), recipe, models_dir))
        comps.setdefault("mt", []).append(
            {"name": name, "path": f"mt/{name}", "pairs": t.get("pairs", [])})
    if "llm" in doc:
        llm = doc["llm"]
        gguf = _resolve(_field(llm, "source", recipe), recipe, models_dir)
        if not gguf.is_file():
            raise PackError(f"{recipe}: llm source {gguf} is not a GGUF file")
        plan[f"llm/{gguf.name}"] = gguf
        comps["llm"] = {"name": _field(llm, "name", recipe), "path": f"llm/{gguf.name}",
                        "chat_template": llm.get("chat_template", "embedded"),
                        "context": llm.get("context", 2048)}
    if "kb" in doc:
        add_folder("kb", _resolve(_field(doc["kb"], "source", recipe), recipe, models_dir))
        comps["kb"] = {"path": "kb", "lang": doc["kb"].get("lang", "en")}
    if "encoder" in doc:
        enc = doc["encoder"]
        folder = _resolve(_field(enc, "source", recipe), recipe, models_dir)
        name = enc.get("name", folder.name)
        if not isinstance(name, str) or not name:
            raise PackError(f"{recipe}: the encoder needs name = \"...\"")
        add_folder(f"encoder/{name}", folder)
        comps["encoder"] = {"name": name, "path": f"encoder/{name}"}
    for name in ("checklists", "scenarios"):  # folders of .toml files, laid out as <name>/
        if name in doc:
            add_folder(name, _resolve(_field(doc[name], "source", recipe), recipe, models_dir))
            comps[name] = {"path": name}
    draft["components"] = comps
    return draft, plan


def _resolve(source: str, recipe: Path, models_dir: Path | None) -> Path:
    from models import pypi_models

    kind, _, rest = source.partition(":")
    if kind == "pypi":
        finders: dict[str, Callable[[], Path]] = {
            "whisper_tiny_en": pypi_models.whisper_tiny_en,
            "smollm2_135m": pypi_models.smollm2_135m,
            "whisper_base": lambda: pypi_models.whisper_base(_need(models_dir, "Whisper base")),
            "minilm_encoder": lambda: pypi_models.minilm_encoder(
                _need(models_dir, "the sentence encoder")),
        }
        if rest not in finders:
            raise PackError(f"{recipe}: unknown model package {rest!r} (known: "
                            f"{', '.join(sorted(finders))})")
        try:
            return finders[rest]()
        except pypi_models.ModelNotInstalled as e:
            raise PackError(f"{recipe}: {e}") from e
    if kind == "repo":
        p = REPO_ROOT / rest
    else:
        p = Path(rest if kind == "path" else source).expanduser()
        p = p if p.is_absolute() else recipe.parent / p
    if not p.exists():
        raise PackError(f"{recipe}: source {source!r} does not exist ({p})")
    return p


def _need(models_dir: Path | None, what: str) -> Path:
    if models_dir is None:
        raise PackError(f"building {what} needs a models folder to prepare it in")
    return models_dir


def _files_under(folder: Path) -> list[tuple[str, Path]]:
    """Regular files below `folder` (relative posix names), skipping hidden files and caches."""
    if not folder.is_dir():
        raise PackError(f"{folder} is not a folder")
    out = []
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and d != "__pycache__")
        for f in sorted(filenames):
            p = Path(dirpath) / f
            if f.startswith(".") or p.is_symlink() or not p.is_file():
                continue
            out.append((p.relative_to(folder).as_posix(), p))
    return out


def _load_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise PackError(f"{path} is missing: a pack folder needs a pack.toml naming the pack "
                        "and its components (id, version, [components.kb]...; see "
                        "docs/packs.md)") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise PackError(f"{path} is not valid TOML: {e}") from e


def _list(v: Any) -> list[dict[str, Any]]:
    return [v] if isinstance(v, dict) else list(v or [])


def _field(table: Any, key: str, recipe: Path) -> str:
    if not isinstance(table, dict) or not isinstance(table.get(key), str):
        raise PackError(f"{recipe}: a component needs {key} = \"...\"")
    return table[key]


def _created() -> str:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")  # reproducible builds
    t = int(epoch) if epoch and epoch.isdigit() else time.time()
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))


# -- hashing and writing ------------------------------------------------------------------------
def _hash_file(path: Path, progress: Callable[[int], Any]) -> tuple[str, int]:
    h, n = hashlib.sha256(), 0
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK):
            h.update(chunk)
            n += len(chunk)
            progress(n)
    return h.hexdigest(), n


class _HashingReader:
    """Hands a file to tarfile/zipfile while hashing what was actually written."""

    def __init__(self, f: BinaryIO, on_bytes: Callable[[int], Any]):
        self.f, self.h, self.on_bytes = f, hashlib.sha256(), on_bytes

    def read(self, n: int = -1) -> bytes:
        b = self.f.read(n)
        self.h.update(b)
        self.on_bytes(len(b))
        return b


def _stream_entries(manifest: Manifest, plan: dict[str, Path], progress: Callable[[int], Any],
                    add: Callable[[str, int, _HashingReader], None]) -> None:
    done = [0]

    def count(n: int) -> None:
        done[0] += n
        progress(done[0])

    for name in sorted(plan):
        entry = manifest.files[name]
        with open(plan[name], "rb") as f:
            reader = _HashingReader(f, count)
            add(name, entry.size, reader)
        if reader.h.hexdigest() != entry.sha256:
            raise PackError(f"{plan[name]} changed while the pack was built; build again")


def _write_tar(path: Path, manifest: Manifest, manifest_bytes: bytes, sig: bytes | None,
               plan: dict[str, Path], progress: Callable[[int], Any]) -> None:
    import io

    mtime = int(time.time())

    def info(name: str, size: int) -> tarfile.TarInfo:
        ti = tarfile.TarInfo(name)
        ti.size, ti.mode, ti.mtime, ti.type = size, 0o644, mtime, tarfile.REGTYPE
        return ti

    with tarfile.open(path, "w", format=tarfile.PAX_FORMAT) as tar:
        tar.addfile(info(MANIFEST, len(manifest_bytes)), io.BytesIO(manifest_bytes))
        if sig is not None:
            tar.addfile(info(SIGNATURE, len(sig)), io.BytesIO(sig))
        _stream_entries(manifest, plan, progress,
                        lambda n, size, r: tar.addfile(info(n, size), r))  # type: ignore[arg-type]
        tar.fileobj.flush()  # type: ignore[union-attr]
        os.fsync(tar.fileobj.fileno())  # type: ignore[union-attr]


def _write_zip(path: Path, manifest: Manifest, manifest_bytes: bytes, sig: bytes | None,
               plan: dict[str, Path], progress: Callable[[int], Any]) -> None:
    def info(name: str) -> zipfile.ZipInfo:
        zi = zipfile.ZipInfo(name, date_time=time.gmtime()[:6])
        zi.create_system, zi.external_attr = 3, 0o100644 << 16
        zi.compress_type = zipfile.ZIP_STORED
        return zi

    def add(name: str, size: int, reader: _HashingReader) -> None:
        with zf.open(info(name), "w", force_zip64=size > (1 << 31)) as w:
            while chunk := reader.read(CHUNK):
                w.write(chunk)

    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as zf:
        zf.writestr(info(MANIFEST), manifest_bytes)
        if sig is not None:
            zf.writestr(info(SIGNATURE), sig)
        _stream_entries(manifest, plan, progress, add)
