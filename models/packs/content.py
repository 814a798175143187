"""What a pack may contain: data formats only, never something that runs code when loaded.

Two checks per file: its name (an allow-list of extensions) and its first bytes (sniffed while the
file is hashed). Pickle-based formats (.pkl, .pt, .pth, .ckpt, torch's zip archives, a `.bin`
that is really a pickle) execute code on load, so they are refused by name *and* by content;
CTranslate2's `model.bin` is a plain binary that starts with a small format version, and that is
what every `.bin` must look like. Executables and scripts are refused by their magic bytes too.

A GGUF's chat template is Jinja code the LLM runtime renders. `check_template_source` walks its
syntax tree: every branch, including ones a test render would never take, so an attack hidden
behind `{% if messages|length > 50 %}` is found too. The runtime sandbox (copilot/llm/template.py)
still guards rendering; this check keeps such a model from being installed at all.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from typing import Any

from models.packs.errors import PackRefused

# .toml: checklist and scenario files (docs/checklists.md, docs/scenarios.md), plain data read
# with tomllib.
ALLOWED_SUFFIXES = {".bin", ".json", ".txt", ".spm", ".model", ".gguf", ".md", ".vocab", ".toml"}
ALLOWED_PLAIN_NAMES = {"LICENSE", "NOTICE", "README", "COPYING"}
CODE_SUFFIXES = {".pkl", ".pickle", ".pt", ".pth", ".ckpt", ".joblib", ".npy", ".npz", ".h5",
                 ".keras", ".pb", ".onnx", ".safetensors", ".py", ".pyc", ".so", ".dll", ".dylib",
                 ".exe", ".sh", ".bat", ".cmd", ".ps1", ".js", ".jar"}
SNIFF_BYTES = 16
MAX_CT2_BINARY_VERSION = 64  # CTranslate2 4.x writes 6

# Names that give a template a way out of plain data (Python internals, frames, code objects).
_UNSAFE_NAMES = {"mro", "subclasses", "func_globals", "f_globals", "f_locals", "gi_frame",
                 "gi_code", "cr_frame", "cr_code", "tb_frame", "co_code", "self", "config",
                 "request", "import", "builtins", "eval", "exec", "getattr", "setattr", "open",
                 "os", "sys", "subprocess", "lipsum", "cycler", "joiner"}


def check_name_type(name: str) -> None:
    base = name.rsplit("/", 1)[-1]
    suffix = "." + base.rsplit(".", 1)[-1].lower() if "." in base else ""
    if suffix in CODE_SUFFIXES:
        raise PackRefused(f"{name!r} is a {suffix} file: pickle, native code and script formats "
                          "can run code when loaded and are never accepted")
    if suffix not in ALLOWED_SUFFIXES and base not in ALLOWED_PLAIN_NAMES:
        raise PackRefused(f"{name!r} is not a file type packs may hold (allowed: "
                          f"{', '.join(sorted(ALLOWED_SUFFIXES))})")


def check_magic(name: str, head: bytes) -> None:
    """Refuse by content what a harmless-looking name may hide."""
    if len(head) >= 2 and head[0] == 0x80 and 2 <= head[1] <= 5:
        raise PackRefused(f"{name!r} is a Python pickle (it could run code when loaded)")
    if head.startswith(b"PK\x03\x04"):
        raise PackRefused(f"{name!r} is a zip archive inside the pack (torch checkpoints are zips "
                          "of pickles); packs hold plain model files only")
    lower = name.lower()
    if lower.endswith((".md", ".txt", ".json", ".toml")) and b"\0" in head:
        raise PackRefused(f"{name!r} holds binary data under a text file's name")
    # A bare "MZ" could begin a Markdown line; a DOS/PE header has binary bytes right after it.
    pe = b"MZ" if not lower.endswith((".md", ".txt", ".json", ".toml")) else b"MZ\x90\x00"
    for magic, what in ((b"\x7fELF", "an ELF executable"), (pe, "a Windows executable"),
                        (b"\xcf\xfa\xed\xfe", "a Mach-O executable"),
                        (b"\xfe\xed\xfa\xcf", "a Mach-O executable"),
                        (b"\xca\xfe\xba\xbe", "a Mach-O or Java binary"), (b"#!", "a script")):
        if head.startswith(magic):
            raise PackRefused(f"{name!r} is {what}; packs hold data only")
    if lower.endswith(".gguf") and not head.startswith(b"GGUF"):
        raise PackRefused(f"{name!r} is not a GGUF file (wrong magic bytes)")
    if lower.endswith(".bin"):
        version = struct.unpack("<I", head[:4])[0] if len(head) >= 4 else 0
        if not 1 <= version <= MAX_CT2_BINARY_VERSION:
            raise PackRefused(f"{name!r} is not a CTranslate2 model file (the only .bin format "
                              "packs may hold)")


def check_template_source(source: str, where: str = "the chat template") -> None:
    """Refuse a Jinja template that reaches for anything beyond plain data, in any branch."""
    if not source.strip():
        return
    try:
        from jinja2 import nodes
        from jinja2.sandbox import ImmutableSandboxedEnvironment
    except ImportError as e:
        raise PackRefused("checking a model's chat template needs jinja2 (pip install jinja2)") \
            from e
    from jinja2.exceptions import TemplateSyntaxError

    try:
        tree = ImmutableSandboxedEnvironment(extensions=["jinja2.ext.loopcontrols"]).parse(source)
    except TemplateSyntaxError as e:
        raise PackRefused(f"{where} is not valid Jinja: {e}") from e
    except RecursionError as e:
        raise PackRefused(f"{where} is nested too deeply") from e
    try:
        all_nodes = list(_walk(tree))
    except RecursionError as e:
        raise PackRefused(f"{where} is nested too deeply") from e
    for node in all_nodes:
        if isinstance(node, nodes.Import | nodes.FromImport | nodes.Include | nodes.Extends):
            raise PackRefused(f"{where} tries to load other templates ({type(node).__name__}); "
                              "chat templates may only format the conversation")
        attr = None
        if isinstance(node, nodes.Getattr):
            attr = node.attr
        elif isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const) and \
                isinstance(node.arg.value, str):
            attr = node.arg.value
        elif isinstance(node, nodes.Filter) and node.name == "attr":
            arg = node.args[0] if node.args else None
            if not (isinstance(arg, nodes.Const) and isinstance(arg.value, str)):
                raise PackRefused(f"{where} looks up attributes by computed names (|attr)")
            attr = arg.value
        elif isinstance(node, nodes.Name):
            attr = node.name
        if attr is not None and (attr.startswith("_") or attr in _UNSAFE_NAMES):
            raise PackRefused(f"{where} tries to reach {attr!r}, which a chat template never "
                              "needs (a way to run code); the model is refused")


def _walk(node: Any) -> Iterator[Any]:
    yield node
    for child in node.iter_child_nodes():
        yield from _walk(child)
