"""Small synthetic packs for the pack tests: fake CTranslate2 files, a tiny GGUF written by hand,
a Markdown knowledge base, and tools to tamper with built archives."""

from __future__ import annotations

import hashlib
import io
import os
import struct
import tarfile
from collections.abc import Callable
from pathlib import Path

CHATML = ("{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + "
          "message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}"
          "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}")
# A template in no known family, so the runtime would render it in the sandbox.
PLAIN = ("{% for m in messages %}[{{ m['role'] }}] {{ m['content'] }}\n{% endfor %}"
         "{% if add_generation_prompt %}[assistant] {% endif %}")


def gguf_bytes(template: str | None = CHATML, *, version: int = 3) -> bytes:
    """A minimal GGUF: header, a few metadata entries (a string array too), no tensors."""
    def s(text: str) -> bytes:
        b = text.encode("utf-8")
        return struct.pack("<Q", len(b)) + b

    kvs = [s("general.architecture") + struct.pack("<I", 8) + s("llama"),
           s("llama.context_length") + struct.pack("<I", 4) + struct.pack("<I", 2048),
           s("tokenizer.ggml.tokens") + struct.pack("<IIQ", 9, 8, 3) + s("<s>") + s("</s>")
           + s("hi")]
    if template is not None:
        kvs.append(s("tokenizer.chat_template") + struct.pack("<I", 8) + s(template))
    return b"GGUF" + struct.pack("<IQQ", version, 0, len(kvs)) + b"".join(kvs) + b"\0" * 64


def ct2_bin(n: int = 2048, seed: int = 1) -> bytes:
    """Looks like a CTranslate2 model.bin: uint32 format version 6, then bytes."""
    body = hashlib.sha256(str(seed).encode()).digest() * (n // 32 + 1)
    return struct.pack("<I", 6) + body[:n]


def encoder_files(prefix: str = "") -> dict[str, bytes]:
    """A fake sentence-encoder folder (models/minilm.py's layout) as {name: bytes}."""
    files = {
        "model.bin": ct2_bin(1024, 11),
        "config.json": b'{"layer_norm_epsilon": 1e-12}',
        "vocabulary.json": b'["[PAD]", "[UNK]", "[CLS]", "[SEP]", "bill"]',
        "tokenizer.json": b'{"model": {"type": "WordPiece", "vocab": {"[PAD]": 0}}}',
        "sentence_encoder.json": b'{"format": 1, "dim": 8, "max_tokens": 16, "quantization": "float32"}',
    }
    return {prefix + name: data for name, data in files.items()}


def write_files(folder: Path, files: dict[str, bytes]) -> Path:
    for name, data in files.items():
        p = folder / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data)
    return folder


ENCODER_TOML = """
[components.encoder]
name = "mini"
path = "encoder/mini"
"""


def make_pack_dir(root: Path, pack_id: str = "site", version: str = "1.0.0", *,
                  template: str | None = CHATML, model_seed: int = 1,
                  extra: dict[str, bytes] | None = None, encoder: bool = False) -> Path:
    """A pack folder with a draft pack.toml: asr, llm, mt and kb components (and with
    `encoder`, a sentence encoder in encoder/mini)."""
    d = root / f"{pack_id}-{version}-src"
    files = {
        "asr/tiny/model.bin": ct2_bin(4096, model_seed),
        "asr/tiny/config.json": b'{"lang_ids": []}',
        "asr/tiny/vocabulary.txt": b"a\nb\n",
        "llm/tiny.gguf": gguf_bytes(template),
        "mt/fr-en/model.bin": ct2_bin(1024, 7),
        "mt/fr-en/source.spm": b"spm",
        "mt/fr-en/target.spm": b"spm",
        "kb/billing.md": b"# Billing\n\n## [BILL-01] Refunds\nRefunds take 5 days.\n",
        **(encoder_files("encoder/mini/") if encoder else {}),
        **(extra or {}),
    }
    write_files(d, files)
    (d / "pack.toml").write_text(f'''id = "{pack_id}"
version = "{version}"
description = "test pack"

[[components.asr]]
name = "tiny"
path = "asr/tiny"
languages = ["en"]

[components.llm]
name = "tiny-llm"
path = "llm/tiny.gguf"
chat_template = "embedded"
context = 1024

[[components.mt]]
name = "fr-en"
path = "mt/fr-en"
pairs = ["fr-en"]

[components.kb]
path = "kb"
lang = "en"
''' + (ENCODER_TOML if encoder else ""))
    return d


def build_pack(tmp: Path, pack_id: str = "site", version: str = "1.0.0", *, fmt: str = "tar",
               sign: Path | None = None, **kw) -> Path:
    from models.packs import build

    src = make_pack_dir(tmp, pack_id, version, **kw)
    out = tmp / f"{pack_id}-{version}.{fmt}"
    build(src, out, sign_key=sign)
    return out


Entry = tuple[tarfile.TarInfo, bytes | None]


def rewrite_tar(src: Path, dst: Path, edit: Callable[[list[Entry]], list[Entry]]) -> Path:
    """Copy a tar through `edit`, which may change, add or drop (TarInfo, data) entries."""
    with tarfile.open(src) as t:
        entries: list[Entry] = [(m, t.extractfile(m).read() if m.isreg() else None)
                                for m in t.getmembers()]
    entries = edit(entries)
    with tarfile.open(dst, "w", format=tarfile.PAX_FORMAT) as t:
        for info, data in entries:
            if data is not None:
                info.size = len(data)
            t.addfile(info, io.BytesIO(data) if data is not None else None)
    return dst


def tar_file(name: str, data: bytes) -> Entry:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    return info, data


def tree_state(root: Path) -> dict[str, str]:
    """Every path under root with its kind and content hash (or link target)."""
    if not root.exists():
        return {"<absent>": ""}
    out = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for n in dirnames + filenames:
            p = Path(dirpath) / n
            rel = p.relative_to(root).as_posix()
            if p.is_symlink():
                out[rel] = "link:" + os.readlink(p)
            elif p.is_dir():
                out[rel] = "dir"
            else:
                out[rel] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out
