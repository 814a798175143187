"""Reads a GGUF file's metadata (its chat template) without loading the model.

GGUF layout (https://github.com/ggml-org/ggml/blob/master/docs/gguf.md): magic "GGUF", uint32
version, uint64 tensor count, uint64 metadata count, then metadata key/value pairs (little endian):
a string is a uint64 length and UTF-8 bytes; a value is a uint32 type and the value; an array is a
uint32 element type, a uint64 count and the elements. Only the metadata is read, streaming, with
bounds on every length, so a hostile file cannot make us allocate or read without limit.
"""

from __future__ import annotations

import struct
from typing import BinaryIO

from models.packs.errors import PackRefused

MAGIC = b"GGUF"
MAX_KEYS = 100_000
MAX_STRING = 8 << 20  # a vocabulary token or a chat template; nothing legitimate is larger
MAX_ARRAY = 10_000_000
MAX_METADATA_BYTES = 256 << 20

# type id -> struct format of a scalar
_SCALARS = {0: "B", 1: "b", 2: "H", 3: "h", 4: "I", 5: "i", 6: "f", 7: "?", 10: "Q", 11: "q",
            12: "d"}
_STRING, _ARRAY = 8, 9
TEMPLATE_KEY = "tokenizer.chat_template"


class _Reader:
    def __init__(self, f: BinaryIO, name: str):
        self.f = f
        self.name = name
        self.read_bytes = 0

    def take(self, n: int) -> bytes:
        self.read_bytes += n
        if self.read_bytes > MAX_METADATA_BYTES:
            raise PackRefused(f"{self.name}: GGUF metadata is larger than "
                              f"{MAX_METADATA_BYTES >> 20} MB")
        b = self.f.read(n)
        if len(b) != n:
            raise PackRefused(f"{self.name}: GGUF file ends inside its metadata (truncated)")
        return b

    def unpack(self, fmt: str) -> int | float | bool:
        return struct.unpack("<" + fmt, self.take(struct.calcsize(fmt)))[0]

    def string(self) -> str:
        n = int(self.unpack("Q"))
        if n > MAX_STRING:
            raise PackRefused(f"{self.name}: a GGUF metadata string of {n} bytes")
        try:
            return self.take(n).decode("utf-8")
        except UnicodeDecodeError as e:
            raise PackRefused(f"{self.name}: GGUF metadata is not UTF-8") from e

    def skip_value(self, vtype: int, depth: int = 0) -> None:
        if vtype in _SCALARS:
            self.take(struct.calcsize(_SCALARS[vtype]))
        elif vtype == _STRING:
            n = int(self.unpack("Q"))
            if n > MAX_STRING:
                raise PackRefused(f"{self.name}: a GGUF metadata string of {n} bytes")
            self.take(n)
        elif vtype == _ARRAY and depth < 2:
            etype, count = int(self.unpack("I")), int(self.unpack("Q"))
            if count > MAX_ARRAY:
                raise PackRefused(f"{self.name}: a GGUF metadata array of {count} items")
            if etype in _SCALARS:  # fixed size: one bounded read instead of count small ones
                self.take(count * struct.calcsize(_SCALARS[etype]))
            else:
                for _ in range(count):
                    self.skip_value(etype, depth + 1)
        else:
            raise PackRefused(f"{self.name}: unknown GGUF metadata type {vtype}")


def read_metadata_strings(f: BinaryIO, name: str, keys: tuple[str, ...]) -> dict[str, str]:
    """The string values of `keys` found in the GGUF metadata (others are skipped)."""
    r = _Reader(f, name)
    if r.take(4) != MAGIC:
        raise PackRefused(f"{name} is not a GGUF file (wrong magic bytes)")
    version = int(r.unpack("I"))
    if version not in (2, 3):
        raise PackRefused(f"{name}: GGUF version {version} is not supported (expected 2 or 3)")
    r.unpack("Q")  # tensor count: the tensors themselves are never read here
    count = int(r.unpack("Q"))
    if count > MAX_KEYS:
        raise PackRefused(f"{name}: {count} GGUF metadata entries")
    found: dict[str, str] = {}
    for _ in range(count):
        key = r.string()
        vtype = int(r.unpack("I"))
        if key in keys:
            if vtype != _STRING:
                raise PackRefused(f"{name}: GGUF metadata {key} is not a string")
            found[key] = r.string()
        else:
            r.skip_value(vtype)
    return found


def chat_template(f: BinaryIO, name: str) -> str:
    """The GGUF's `tokenizer.chat_template` ("" when it has none)."""
    return read_metadata_strings(f, name, (TEMPLATE_KEY,)).get(TEMPLATE_KEY, "")
