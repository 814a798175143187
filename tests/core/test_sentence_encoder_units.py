"""Sentence encoder without the real model: the safetensors reader, pooling, errors, and a tiny
random BERT converted to CTranslate2 and checked against the numpy forward pass."""

from __future__ import annotations

import json
import struct
import zipfile
from pathlib import Path

import numpy as np
import pytest

from copilot.knowledge.encoder import (
    QUERY_TEXTS,
    RECENT_TEXTS,
    EncoderError,
    SentenceEncoder,
    convert_minilm,
    l2_normalise,
    mean_pool,
)
from models import minilm
from models.minilm import ConversionError, numpy_reference_embed, read_safetensors
from models.packs.manifest import ENCODER_FILES

WORDS = ("i was charged twice this month there is a duplicate payment on my bill the "
         "internet keeps dropping how do reset password . ? , ! 1 2 3 4").split()
VOCAB = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *WORDS, "##s", "##ing"]


def safetensors_bytes(arrays: dict[str, np.ndarray]) -> bytes:
    codes = {np.dtype("<f4"): "F32", np.dtype("<i8"): "I64"}
    header, blobs, offset = {"__metadata__": {"format": "pt"}}, [], 0
    for name, a in arrays.items():
        raw = np.ascontiguousarray(a).tobytes()
        header[name] = {"dtype": codes[a.dtype], "shape": list(a.shape),
                        "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    head = json.dumps(header).encode()
    head += b" " * (-len(head) % 8)
    return struct.pack("<Q", len(head)) + head + b"".join(blobs)


def tiny_tokenizer_json(max_len: int = 128) -> str:
    from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, processors

    tok = Tokenizer(models.WordPiece({t: i for i, t in enumerate(VOCAB)}, unk_token="[UNK]"))
    tok.normalizer = normalizers.BertNormalizer(lowercase=True)
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tok.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]", special_tokens=[("[CLS]", 2), ("[SEP]", 3)])
    # Like the shipped all-MiniLM tokenizer.json: fixed padding and truncation at 128.
    tok.enable_padding(length=max_len, pad_id=0, pad_token="[PAD]")
    tok.enable_truncation(max_length=max_len)
    return tok.to_str()


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory) -> Path:
    """A random 2-layer BERT (hidden 32, 4 heads) laid out like the model package's zip."""
    rng = np.random.default_rng(7)
    hidden, inter, layers, positions = 32, 64, 2, 64

    def r(*shape: int, scale: float = 0.3) -> np.ndarray:
        return (rng.standard_normal(shape) * scale).astype(np.float32)

    w = {"embeddings.word_embeddings.weight": r(len(VOCAB), hidden),
         "embeddings.position_embeddings.weight": r(positions, hidden),
         "embeddings.token_type_embeddings.weight": r(2, hidden),
         "embeddings.position_ids": np.arange(positions, dtype=np.int64)[None],
         "embeddings.LayerNorm.weight": 1 + r(hidden, scale=0.1),
         "embeddings.LayerNorm.bias": r(hidden, scale=0.1)}
    for i in range(layers):
        p = f"encoder.layer.{i}."
        for name, (o, n) in {"attention.self.query": (hidden, hidden),
                             "attention.self.key": (hidden, hidden),
                             "attention.self.value": (hidden, hidden),
                             "attention.output.dense": (hidden, hidden),
                             "intermediate.dense": (inter, hidden),
                             "output.dense": (hidden, inter)}.items():
            w[p + name + ".weight"], w[p + name + ".bias"] = r(o, n, scale=0.2), r(o, scale=0.1)
        for name in ("attention.output.LayerNorm", "output.LayerNorm"):
            w[p + name + ".weight"], w[p + name + ".bias"] = 1 + r(hidden, scale=0.1), r(hidden)
    config = {"hidden_act": "gelu", "hidden_size": hidden, "num_attention_heads": 4,
              "num_hidden_layers": layers, "intermediate_size": inter, "layer_norm_eps": 1e-12,
              "max_position_embeddings": positions, "vocab_size": len(VOCAB),
              "position_embedding_type": "absolute", "type_vocab_size": 2}
    path = tmp_path_factory.mktemp("tiny") / "model.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("config.json", json.dumps(config))
        zf.writestr("sentence_bert_config.json", json.dumps({"max_seq_length": 24}))
        zf.writestr("tokenizer.json", tiny_tokenizer_json())
        zf.writestr("model.safetensors", safetensors_bytes(w))
    return path


TEXTS = ["I was charged twice this month.", "bill?", "", "1 2 3 4 !",
         " ".join(["the internet keeps dropping"] * 12)]  # 60 words: truncated at 24 tokens


@pytest.fixture(scope="module")
def tiny_f32(tiny_model, tmp_path_factory) -> Path:
    return convert_minilm(tiny_model, tmp_path_factory.mktemp("out") / "enc", "float32")


def test_tiny_bert_matches_the_numpy_forward_pass(tiny_model, tiny_f32):
    ref = numpy_reference_embed(tiny_model, TEXTS)
    with SentenceEncoder(tiny_f32) as enc:
        emb = enc.embed(TEXTS)
        assert enc.dim == 32 and enc.max_tokens == 24
    assert emb.dtype == np.float32 and emb.shape == (len(TEXTS), 32)
    np.testing.assert_allclose(np.linalg.norm(emb, axis=1), 1.0, atol=1e-5)
    assert np.min(np.sum(emb * ref, axis=1)) > 0.9999


def test_tiny_bert_padding_and_batching_do_not_change_embeddings(tiny_f32):
    with SentenceEncoder(tiny_f32, batch_size=1) as one, SentenceEncoder(tiny_f32) as many:
        alone = np.vstack([one.embed([t]) for t in TEXTS])
        batched = many.embed(TEXTS)
        assert many.embed([]).shape == (0, 32)
    assert np.min(np.sum(alone * batched, axis=1)) > 0.99999


def test_batches_side_by_side_give_the_same_vectors_and_pieces_as_one_after_another(tiny_f32):
    # Indexing runs two batches at a time on replicas of the model (SentenceEncoder(threads=2)).
    texts = [f"{t} {w}" for t in TEXTS for w in ("bill", "password", "internet")]
    with SentenceEncoder(tiny_f32, threads=1, batch_size=2) as serial, \
            SentenceEncoder(tiny_f32, threads=2, batch_size=2) as side:
        one, one_pieces = serial.embed_pieces(texts)
        two, two_pieces = side.embed_pieces(texts)
    assert len(texts) > 2 * QUERY_TEXTS
    assert np.array_equal(one, two)
    for a, b in zip(one_pieces, two_pieces, strict=True):
        assert np.array_equal(a.ids, b.ids) and np.array_equal(a.vecs, b.vecs)


def test_a_query_text_is_computed_once_while_it_is_recent(tiny_f32, monkeypatch):
    # A customer turn is searched alone and then beside its context: its vector is reused.
    with SentenceEncoder(tiny_f32) as enc, SentenceEncoder(tiny_f32) as fresh:
        computed: list[list[str]] = []
        real = enc._compute
        monkeypatch.setattr(enc, "_compute",
                            lambda texts, pieces: computed.append(list(texts)) or real(texts, pieces))
        v1, p1 = enc.embed_pieces([TEXTS[0]])
        v2, p2 = enc.embed_pieces([TEXTS[0], TEXTS[1]])
        assert computed == [[TEXTS[0]], [TEXTS[1]]]
        assert np.array_equal(v1[0], v2[0]) and np.array_equal(p1[0].vecs, p2[0].vecs)
        assert float(v2[1] @ fresh.embed([TEXTS[1]])[0]) > 0.99999
        assert np.array_equal(enc.embed([TEXTS[1]])[0], v2[1]) and len(computed) == 2
        for i in range(RECENT_TEXTS):  # only the last RECENT_TEXTS texts are kept
            enc.embed([f"my bill {i}"])
        computed.clear()
        enc.embed([TEXTS[0]])
        assert computed == [[TEXTS[0]]]


def test_conversion_replaces_the_folder_and_leaves_no_temp(tiny_model, tmp_path):
    out = tmp_path / "enc"
    convert_minilm(tiny_model, out, "int8")
    (out / "stale").write_text("from the previous model")
    convert_minilm(tiny_model, out, "int8")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["enc"]
    assert not (out / "stale").exists()
    assert {"model.bin", "config.json", "vocabulary.json", "tokenizer.json",
            "sentence_encoder.json"} <= {p.name for p in out.iterdir()}
    with SentenceEncoder(out) as enc:
        assert enc.embed(["my bill"]).shape == (1, 32)


def test_failed_conversion_keeps_the_old_folder(tiny_model, tmp_path):
    out = convert_minilm(tiny_model, tmp_path / "enc", "int8")
    bad = tmp_path / "bad.zip"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(EncoderError, match="not a readable zip"):
        convert_minilm(bad, out)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.zip", "enc"]
    assert (out / "model.bin").is_file()


@pytest.mark.parametrize("drop", ["model.safetensors", "tokenizer.json", "config.json"])
def test_zip_without_a_required_file(tiny_model, tmp_path, drop):
    path = tmp_path / "partial.zip"
    with zipfile.ZipFile(tiny_model) as src, zipfile.ZipFile(path, "w") as dst:
        for name in src.namelist():
            if name != drop:
                dst.writestr(name, src.read(name))
    with pytest.raises(EncoderError, match=drop):
        convert_minilm(path, tmp_path / "enc")


def test_missing_source_and_corrupt_member(tiny_model, tmp_path):
    with pytest.raises(EncoderError, match="does not exist"):
        convert_minilm(tmp_path / "nowhere.zip", tmp_path / "enc")
    data = bytearray(tiny_model.read_bytes())
    data[len(data) // 2] ^= 0xFF  # inside the compressed weights: a CRC or inflate error
    damaged = tmp_path / "damaged.zip"
    damaged.write_bytes(bytes(data))
    with pytest.raises(EncoderError, match="corrupt"):
        convert_minilm(damaged, tmp_path / "enc")


def test_read_safetensors_round_trip_and_bfloat16():
    a = np.arange(6, dtype=np.float32).reshape(2, 3)
    data = bytearray(safetensors_bytes({"a": a, "ids": np.array([[1, 2]], dtype=np.int64)}))
    got = read_safetensors(data)
    np.testing.assert_array_equal(got["a"], a)
    assert got["ids"].tolist() == [[1, 2]]
    bf = (np.array([1.5, -2.0], dtype=np.float32).view(np.uint32) >> 16).astype("<u2")
    head = json.dumps({"b": {"dtype": "BF16", "shape": [2], "data_offsets": [0, 4]}}).encode()
    got = read_safetensors(struct.pack("<Q", len(head)) + head + bf.tobytes())
    assert got["b"].tolist() == [1.5, -2.0]


@pytest.mark.parametrize("mangle", [
    lambda d: d[:4],  # no header length
    lambda d: struct.pack("<Q", 1 << 40) + d[8:],  # header length beyond the file
    lambda d: d[:8] + b"x" + d[9:],  # header is not JSON
    lambda d: d[:-8],  # data truncated
])
def test_read_safetensors_rejects_damage(mangle):
    data = safetensors_bytes({"a": np.zeros((4, 4), dtype=np.float32)})
    with pytest.raises(ConversionError):
        read_safetensors(mangle(data))


def test_mean_pool_ignores_padding_and_normalise_keeps_zero_rows():
    hidden = np.array([[[1, 1], [3, 3], [100, -100]], [[2, 0], [0, 0], [0, 0]]], np.float32)
    np.testing.assert_allclose(mean_pool(hidden, [2, 1]), [[2, 2], [2, 0]])
    rows = l2_normalise(np.array([[3, 4], [0, 0]], np.float32))
    np.testing.assert_allclose(rows, [[0.6, 0.8], [0, 0]])


def test_loading_a_folder_that_is_not_an_encoder(tmp_path):
    with pytest.raises(EncoderError, match="not a sentence-encoder folder"):
        SentenceEncoder(tmp_path)
    (tmp_path / "sentence_encoder.json").write_text('{"format": 1, "dim": 8, "max_tokens": 8}')
    with pytest.raises(EncoderError, match="tokenizer"):
        SentenceEncoder(tmp_path)


def test_embed_after_close_and_wrong_input(tiny_f32):
    enc = SentenceEncoder(tiny_f32)
    with pytest.raises(TypeError):
        enc.embed("one string")
    enc.close()
    with pytest.raises(EncoderError, match="closed"):
        enc.embed(["bill"])


def test_find_package_none_when_not_installed(monkeypatch):
    monkeypatch.setattr(minilm, "PACKAGE", "no_such_package_xyz")
    assert minilm.find_package() is None


def test_converted_folder_is_what_a_pack_encoder_needs(tiny_model, tmp_path):
    """The files the converter writes are the files a pack's [components.encoder] must list."""
    assert set(minilm.FOLDER_FILES) == set(ENCODER_FILES)
    out = convert_minilm(tiny_model, tmp_path / "enc")
    assert {p.name for p in out.iterdir()} == set(ENCODER_FILES)
    assert minilm.is_converted(out)
    # An earlier version's int8 conversion is not the runtime's: it is converted again.
    assert not minilm.is_converted(convert_minilm(tiny_model, tmp_path / "old", "int8"))
    (out / "tokenizer.json").unlink()
    assert not minilm.is_converted(out)
    assert not minilm.is_converted(tmp_path / "nowhere")
