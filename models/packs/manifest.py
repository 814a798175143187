"""The pack manifest (`pack.toml`): what a pack is, what it contains, and a SHA-256 for every file.

    format = 1
    id = "demo"
    version = "1.0.0"
    created = "2025-05-01T12:00:00Z"
    description = "..."
    [[components.asr]]   name, path (a CTranslate2 Whisper folder), languages
    [components.llm]     name, path (a .gguf file), chat_template ("embedded" | "chatml"), context
    [[components.mt]]    name, path ("mt/<name>", a CTranslate2 translation model), pairs
    [components.kb]      path (a folder of Markdown), lang
    [components.encoder] name, path (a CTranslate2 sentence encoder folder: ENCODER_FILES)
    [components.checklists] path (a folder of checklist .toml files, docs/checklists.md)
    [components.scenarios]  path (a folder of practice scenario .toml files, docs/scenarios.md)
    [files]              "relative/path" = { sha256 = "...", size = 123 }

The manifest is parsed only after its signature was checked (verify.py), and every field is
validated here with strict types: a pack is hostile until proven otherwise, and TOML that parses is
not yet a manifest we may act on.
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass, field
from typing import Any

from models.packs.errors import PackRefused

FORMAT = 1
MANIFEST = "pack.toml"
SIGNATURE = "pack.toml.sig"
MAX_MANIFEST_BYTES = 4 << 20  # a manifest listing 10,000 files is about 1 MB
MAX_NAME_CHARS = 400
MAX_DEPTH = 16

ID_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")
VERSION_RE = re.compile(r"^(\d{1,9})(?:\.(\d{1,9}))?(?:\.(\d{1,9}))?(?:\.(\d{1,9}))?"
                        r"(?:-([0-9A-Za-z]+(?:\.[0-9A-Za-z]+)*))?$")
LANG_RE = re.compile(r"^[a-z]{2,3}$")
PAIR_RE = re.compile(r"^[a-z]{2,3}-[a-z]{2,3}$")
SHA_RE = re.compile(r"^[0-9a-f]{64}$")
TEMPLATES = ("embedded", "chatml")
# A sentence-encoder folder, as models/minilm.py writes it (its FOLDER_FILES; a test keeps the two
# lists equal): the CTranslate2 encoder, the tokenizer and the pooling settings.
ENCODER_FILES = ("model.bin", "config.json", "vocabulary.json", "tokenizer.json",
                 "sentence_encoder.json")


def check_name(name: str) -> str:
    """A member name we are willing to create on disk: relative, no `..`, nothing odd.

    Checked on every name in the archive *and* in the manifest, before anything is extracted, so
    no member can land outside the staging folder (`../x`, `/etc/x`, `C:x`, `a\\..\\x`)."""
    if not isinstance(name, str) or not name or len(name) > MAX_NAME_CHARS:
        raise PackRefused(f"bad file name {name!r} (empty or too long)")
    if name.startswith("/") or re.match(r"^[A-Za-z]:", name):
        raise PackRefused(f"absolute path {name!r} in the pack")
    if "\\" in name or ":" in name or any(ord(c) < 32 or c == "\x7f" for c in name):
        raise PackRefused(f"file name {name!r} contains a backslash, colon or control character")
    parts = name.split("/")
    if any(p in ("", ".", "..") for p in parts):
        raise PackRefused(f"path {name!r} escapes or is not normalised (empty, '.' or '..' part)")
    if len(parts) > MAX_DEPTH or any(len(p.encode("utf-8")) > 255 for p in parts):
        raise PackRefused(f"path {name!r} is nested too deep or has a part that is too long")
    return name


def version_key(version: str) -> tuple[Any, ...]:
    """Sort key: 1.2 == 1.2.0 < 1.10.0; a pre-release (1.0.0-rc.1) sorts before its release."""
    m = VERSION_RE.match(version or "")
    if not m:
        raise PackRefused(f"version {version!r} is not like 1.2.0")
    release = tuple(int(g) if g else 0 for g in m.groups()[:4])
    pre = m.group(5)
    if pre is None:
        return (release, 1, ())
    ids = tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in pre.split("."))
    return (release, 0, ids)


@dataclass(frozen=True)
class FileEntry:
    sha256: str
    size: int


@dataclass(frozen=True)
class AsrComponent:
    name: str
    path: str  # a folder
    languages: tuple[str, ...] = ()


@dataclass(frozen=True)
class LlmComponent:
    name: str
    path: str  # a .gguf file
    chat_template: str = "embedded"
    context: int = 2048


@dataclass(frozen=True)
class MtComponent:
    name: str
    path: str  # mt/<name>
    pairs: tuple[str, ...] = ()


@dataclass(frozen=True)
class KbComponent:
    path: str  # a folder
    lang: str = "en"


@dataclass(frozen=True)
class EncoderComponent:
    name: str
    path: str  # a folder holding ENCODER_FILES


@dataclass(frozen=True)
class ChecklistsComponent:
    path: str  # a folder of checklist files (*.toml)


@dataclass(frozen=True)
class ScenariosComponent:
    path: str  # a folder of practice scenario files (*.toml) for the pack's own knowledge base


@dataclass(frozen=True)
class Manifest:
    id: str
    version: str
    created: str = ""
    description: str = ""
    asr: tuple[AsrComponent, ...] = ()
    llm: LlmComponent | None = None
    mt: tuple[MtComponent, ...] = ()
    kb: KbComponent | None = None
    files: dict[str, FileEntry] = field(default_factory=dict)
    encoder: EncoderComponent | None = None
    checklists: ChecklistsComponent | None = None
    scenarios: ScenariosComponent | None = None

    @property
    def label(self) -> str:
        return f"{self.id}@{self.version}"

    @property
    def total_size(self) -> int:
        return sum(f.size for f in self.files.values())

    @classmethod
    def parse(cls, data: bytes) -> Manifest:
        if len(data) > MAX_MANIFEST_BYTES:
            raise PackRefused(f"{MANIFEST} is larger than {MAX_MANIFEST_BYTES >> 20} MB")
        try:
            doc = tomllib.loads(data.decode("utf-8"))
        except (UnicodeDecodeError, tomllib.TOMLDecodeError) as e:
            raise PackRefused(f"{MANIFEST} is not valid UTF-8 TOML: {e}") from e
        return _from_doc(doc)

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> Manifest:
        """From an already-parsed TOML document (the builder's draft plus its [files])."""
        return _from_doc(doc)

    def to_toml(self) -> bytes:
        out = [f"format = {FORMAT}", f"id = {_s(self.id)}", f"version = {_s(self.version)}",
               f"created = {_s(self.created)}", f"description = {_s(self.description)}"]
        for a in self.asr:
            out += ["", "[[components.asr]]", f"name = {_s(a.name)}", f"path = {_s(a.path)}",
                    f"languages = {_list(a.languages)}"]
        if self.llm:
            out += ["", "[components.llm]", f"name = {_s(self.llm.name)}",
                    f"path = {_s(self.llm.path)}",
                    f"chat_template = {_s(self.llm.chat_template)}",
                    f"context = {int(self.llm.context)}"]
        for m in self.mt:
            out += ["", "[[components.mt]]", f"name = {_s(m.name)}", f"path = {_s(m.path)}",
                    f"pairs = {_list(m.pairs)}"]
        if self.kb:
            out += ["", "[components.kb]", f"path = {_s(self.kb.path)}", f"lang = {_s(self.kb.lang)}"]
        if self.encoder:
            out += ["", "[components.encoder]", f"name = {_s(self.encoder.name)}",
                    f"path = {_s(self.encoder.path)}"]
        if self.checklists:
            out += ["", "[components.checklists]", f"path = {_s(self.checklists.path)}"]
        if self.scenarios:
            out += ["", "[components.scenarios]", f"path = {_s(self.scenarios.path)}"]
        out += ["", "[files]"]
        out += [f"{_s(n)} = {{ sha256 = {_s(f.sha256)}, size = {f.size} }}"
                for n, f in sorted(self.files.items())]
        return ("\n".join(out) + "\n").encode("utf-8")


def _s(v: str) -> str:
    # JSON string escapes (\", \\, \n, \uXXXX) are all valid TOML basic-string escapes.
    return json.dumps(v, ensure_ascii=True)


def _list(vs: tuple[str, ...]) -> str:
    return "[" + ", ".join(_s(v) for v in vs) + "]"


def _str(d: dict[str, Any], key: str, where: str, default: str | None = None,
         limit: int = 200) -> str:
    """A text field; `where` "pack" means a top-level key. The message names the key as it is
    written in pack.toml and what is expected."""
    v = d.get(key, default)
    name = key if where == "pack" else f"{where}.{key}"
    if v is None:
        raise PackRefused(f"{MANIFEST}: {name} is missing" + (
            " (a top-level key, before any [table])" if where == "pack" else ""))
    if not isinstance(v, str):
        example = ' such as "1.0.0"' if key == "version" else ""
        raise PackRefused(f"{MANIFEST}: {name} must be a quoted string{example} (got {v!r:.40})")
    if len(v) > limit:
        raise PackRefused(f"{MANIFEST}: {name} must be at most {limit} characters")
    return v


_COMPONENTS = ("asr", "llm", "mt", "kb", "encoder", "checklists", "scenarios")


def _misplaced(doc: dict[str, Any]) -> None:
    """The mistakes a first pack.toml makes, named (issue: each gave a message about something
    else, and building a first pack took six tries)."""
    if isinstance(doc.get("pack"), dict):
        raise PackRefused(f"{MANIFEST}: id, version and description go at the top level of "
                          "pack.toml, not under [pack]")
    for name in _COMPONENTS:
        if name in doc:
            table = f"[[components.{name}]]" if name in ("asr", "mt") else \
                f"[components.{name}]"
            raise PackRefused(f"{MANIFEST}: [{name}] must be written {table} in pack.toml "
                              "(a recipe for `pack build` uses [kb], [llm]...; a pack folder's "
                              "pack.toml uses [components.kb]...)")


def _strs(d: dict[str, Any], key: str, where: str, pattern: re.Pattern[str]) -> tuple[str, ...]:
    v = d.get(key, [])
    if not isinstance(v, list) or len(v) > 200 or not all(
            isinstance(x, str) and pattern.match(x) for x in v):
        raise PackRefused(f"{MANIFEST}: {where}.{key} must be a list like [\"en\", \"fr\"] "
                          f"(got {v!r:.80})")
    return tuple(v)


def _tables(v: Any, where: str) -> list[dict[str, Any]]:
    if v is None:
        return []
    if isinstance(v, dict):
        v = [v]
    if not isinstance(v, list) or not all(isinstance(x, dict) for x in v):
        raise PackRefused(f"{MANIFEST}: {where} must be a table")
    return v


def _from_doc(doc: dict[str, Any]) -> Manifest:
    _misplaced(doc)
    if doc.get("format") != FORMAT:
        raise PackRefused(f"{MANIFEST}: format {doc.get('format')!r} is not supported (expected "
                          f"{FORMAT}); this copilot may be too old for the pack")
    pid = _str(doc, "id", "pack")
    if not ID_RE.match(pid):
        raise PackRefused(f"{MANIFEST}: id {pid!r} must be lowercase letters, digits, '.', '_' "
                          "or '-' (at most 64)")
    version = _str(doc, "version", "pack", limit=64)
    version_key(version)
    comps = doc.get("components", {})
    if not isinstance(comps, dict):
        raise PackRefused(f"{MANIFEST}: components must be a table")
    asr = tuple(AsrComponent(_str(t, "name", "asr"), check_name(_str(t, "path", "asr")),
                             _strs(t, "languages", "asr", LANG_RE))
                for t in _tables(comps.get("asr"), "components.asr"))
    llm_t = _tables(comps.get("llm"), "components.llm")
    llm = None
    if llm_t:
        t = llm_t[0]
        context = t.get("context", 2048)
        if not isinstance(context, int) or not 256 <= context <= 1 << 20:
            raise PackRefused(f"{MANIFEST}: llm.context must be a whole number of tokens")
        template = _str(t, "chat_template", "llm", "embedded")
        if template not in TEMPLATES:
            raise PackRefused(f"{MANIFEST}: llm.chat_template must be one of {TEMPLATES}")
        llm = LlmComponent(_str(t, "name", "llm"), check_name(_str(t, "path", "llm")),
                           template, context)
    mt = tuple(MtComponent(_str(t, "name", "mt"), check_name(_str(t, "path", "mt")),
                           _strs(t, "pairs", "mt", PAIR_RE))
               for t in _tables(comps.get("mt"), "components.mt"))
    kb_t = _tables(comps.get("kb"), "components.kb")
    kb = KbComponent(check_name(_str(kb_t[0], "path", "kb")), _str(kb_t[0], "lang", "kb", "en")) \
        if kb_t else None
    enc_t = _tables(comps.get("encoder"), "components.encoder")
    if len(enc_t) > 1:
        raise PackRefused(f"{MANIFEST}: a pack holds at most one sentence encoder "
                          "([components.encoder])")
    encoder = EncoderComponent(_str(enc_t[0], "name", "encoder"),
                               check_name(_str(enc_t[0], "path", "encoder"))) if enc_t else None
    cl_t = _tables(comps.get("checklists"), "components.checklists")
    checklists = ChecklistsComponent(check_name(_str(cl_t[0], "path", "checklists"))) \
        if cl_t else None
    sc_t = _tables(comps.get("scenarios"), "components.scenarios")
    scenarios = ScenariosComponent(check_name(_str(sc_t[0], "path", "scenarios"))) \
        if sc_t else None
    files_doc = doc.get("files", {})
    if not isinstance(files_doc, dict):
        raise PackRefused(f"{MANIFEST}: [files] must be a table")
    files: dict[str, FileEntry] = {}
    for name, entry in files_doc.items():
        check_name(name)
        if not isinstance(entry, dict) or not isinstance(entry.get("sha256"), str) or \
                not SHA_RE.match(entry["sha256"]) or not isinstance(entry.get("size"), int) or \
                isinstance(entry.get("size"), bool) or entry["size"] < 0:
            raise PackRefused(f"{MANIFEST}: the entry for {name!r} needs sha256 (64 lowercase hex "
                              "digits) and size (bytes)")
        files[name] = FileEntry(entry["sha256"], entry["size"])
    m = Manifest(pid, version, _str(doc, "created", "pack", "", 64),
                 _str(doc, "description", "pack", "", 2000), asr, llm, mt, kb, files, encoder,
                 checklists, scenarios)
    check_components(m)
    return m


def check_components(m: Manifest) -> None:
    """Every component points at files the manifest lists, in the layout its engine loads."""
    names = set(m.files)

    def folder_has(path: str, *required: str) -> bool:
        return all(f"{path}/{r}" in names for r in required)

    if not (m.asr or m.llm or m.mt or m.kb or m.encoder or m.checklists or m.scenarios):
        raise PackRefused(f"{MANIFEST}: the pack has no components (asr, llm, mt, kb, encoder, "
                          "checklists or scenarios)")
    seen: set[str] = set()
    for a in m.asr:
        if a.name in seen or not a.name:
            raise PackRefused(f"{MANIFEST}: asr model names must be unique and not empty")
        seen.add(a.name)
        if not folder_has(a.path, "model.bin", "config.json"):
            raise PackRefused(f"{MANIFEST}: asr {a.name!r} needs {a.path}/model.bin and "
                              f"{a.path}/config.json in [files]")
    if m.llm and (m.llm.path not in names or not m.llm.path.endswith(".gguf")):
        raise PackRefused(f"{MANIFEST}: llm path {m.llm.path!r} must be a .gguf file listed in "
                          "[files]")
    for t in m.mt:
        if t.path != f"mt/{t.name}" or not folder_has(t.path, "model.bin"):
            raise PackRefused(f"{MANIFEST}: translation model {t.name!r} must be the folder "
                              f"mt/{t.name} with a model.bin")
    if m.kb and not any(n.startswith(m.kb.path + "/") and n.endswith(".md") for n in names):
        raise PackRefused(f"{MANIFEST}: knowledge folder {m.kb.path!r} has no Markdown files")
    for comp, what in ((m.checklists, "checklist"), (m.scenarios, "scenario")):
        if comp and not any(n.startswith(comp.path + "/") and n.endswith(".toml")
                            and "/" not in n[len(comp.path) + 1:] for n in names):
            raise PackRefused(f"{MANIFEST}: {what}s folder {comp.path!r} has no {what} files "
                              "(.toml)")
    if m.scenarios and not m.kb:
        raise PackRefused(f"{MANIFEST}: scenarios are for the pack's own knowledge base: a pack "
                          "with [components.scenarios] needs [components.kb]")
    if m.encoder:
        if not m.encoder.name:
            raise PackRefused(f"{MANIFEST}: the sentence encoder needs a name")
        missing = [f for f in ENCODER_FILES if f"{m.encoder.path}/{f}" not in names]
        if missing:
            raise PackRefused(
                f"{MANIFEST}: sentence encoder {m.encoder.name!r} lacks "
                f"{', '.join(f'{m.encoder.path}/{f}' for f in missing)} in [files] (its folder "
                f"needs {', '.join(ENCODER_FILES)})")
    for special in (MANIFEST, SIGNATURE):
        if special in names:
            raise PackRefused(f"{MANIFEST}: [files] must not list {special}")
