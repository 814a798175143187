"""Sentence vectors of the knowledge base, computed once and kept on disk.

A passage is scored by the sentences it is made of, not by one vector of the whole: a customer
asks about one thing a passage says ("how long until I get my money back" is one sentence of the
duplicate-charge policy), and one vector of four sentences blurs it. Each passage gives these
units:

    its title; each sentence of its text; each approved line; each sentence with the title in
    front ("Duplicate or double charges. The duplicate amount is refunded within 5 business
    days"), so that a sentence which only makes sense in its passage still says what it is
    about; the title with the whole text; and each "Customers ask:" line, as a caller puts it
    (a customer's paraphrase is closer to another caller's words than to policy prose).

A passage's dense score for a query is 0.7 x its best unit's cosine + 0.3 x its second best: one
lucky sentence alone is weaker evidence than two that both fit.

Vectors are cached in a small SQLite file keyed by the encoder and the SHA-256 of each unit's
text, so a knowledge base is embedded once (1,000 passages in about 80 s on 2 cores) and a
changed passage re-embeds only its own units.
"""

from __future__ import annotations

import hashlib
import logging
import sqlite3
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

import numpy as np

from copilot.knowledge.encoder import Pieces
from copilot.knowledge.parse import Passage
from copilot.text.sentences import sentences

__all__ = ["BEST_WEIGHT", "Encoder", "PassageVectors", "VectorCache", "encoder_id", "sha_of",
           "units_of"]

log = logging.getLogger(__name__)

BEST_WEIGHT = 0.7  # the best unit's share of a passage's score; the second best has the rest
EMBED_SLICE = 256  # units embedded per call when indexing


class Encoder(Protocol):
    """What the index needs of a sentence encoder (copilot.knowledge.encoder.SentenceEncoder)."""

    dim: int

    def embed(self, texts: Sequence[str]) -> np.ndarray: ...


def units_of(p: Passage) -> list[str]:
    """The texts a passage is searched by (see the module docstring), without repeats."""
    body = sentences(p.text)
    title = p.title.strip().rstrip(".")
    units = [title, *body, *p.approved_lines, *(f"{title}. {s}" for s in body),
             f"{title}. {p.text.strip()}", *p.asks]
    return list(dict.fromkeys(u for u in (x.strip() for x in units) if u))


class VectorCache:
    """unit text hash -> vector, per encoder, in SQLite. Thread-safe; failures to write are
    logged and cost only a re-embedding next time."""

    def __init__(self, path: str | Path | None) -> None:
        self.path = Path(path) if path else None
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None
        if self.path is not None:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self._db = sqlite3.connect(self.path, check_same_thread=False, timeout=10)
                self._db.execute("CREATE TABLE IF NOT EXISTS vectors (model TEXT NOT NULL, "
                                 "sha TEXT NOT NULL, vec BLOB NOT NULL, "
                                 "PRIMARY KEY (model, sha))")
                self._db.commit()
            except (sqlite3.Error, OSError) as e:
                log.warning("vector cache %s cannot be used (%s); embedding without it",
                            self.path, type(e).__name__)
                self._db = None
        if self._db is not None:
            # Each text's word pieces (copilot/knowledge/pieces.py): ids and float16 vectors. A
            # cache made before them that cannot take the table (read-only) still gives vectors.
            try:
                self._db.execute("CREATE TABLE IF NOT EXISTS pieces (model TEXT NOT NULL, "
                                 "sha TEXT NOT NULL, ids BLOB NOT NULL, vecs BLOB NOT NULL, "
                                 "PRIMARY KEY (model, sha))")
                self._db.commit()
            except sqlite3.Error as e:
                log.warning("vector cache %s cannot keep word pieces (%s); computing them "
                            "when needed", self.path, type(e).__name__)

    def get(self, model: str, shas: Sequence[str], dim: int) -> dict[str, np.ndarray]:
        if self._db is None or not shas:
            return {}
        out: dict[str, np.ndarray] = {}
        with self._lock:
            for start in range(0, len(shas), 500):
                chunk = list(shas[start:start + 500])
                marks = ",".join("?" * len(chunk))
                for sha, blob in self._db.execute(
                        f"SELECT sha, vec FROM vectors WHERE model = ? AND sha IN ({marks})",
                        [model, *chunk]):
                    vec = np.frombuffer(blob, dtype=np.float32)
                    if vec.shape == (dim,):
                        out[sha] = vec
        return out

    def put(self, model: str, rows: dict[str, np.ndarray]) -> None:
        self._write("INSERT OR REPLACE INTO vectors (model, sha, vec) VALUES (?, ?, ?)",
                    [(model, sha, np.asarray(v, dtype=np.float32).tobytes())
                     for sha, v in rows.items()])

    def get_piece_ids(self, model: str, shas: Sequence[str]) -> dict[str, np.ndarray]:
        """The word pieces' ids of those of `shas` that are stored (their vectors not read)."""
        return {sha: np.frombuffer(ids, dtype=np.int32)
                for sha, ids in self._pieces(model, shas, "sha, ids")}

    def get_pieces(self, model: str, shas: Sequence[str], dim: int) -> dict[str, Pieces]:
        out: dict[str, Pieces] = {}
        for sha, ids_blob, vecs_blob in self._pieces(model, shas, "sha, ids, vecs"):
            ids = np.frombuffer(ids_blob, dtype=np.int32)
            vecs = np.frombuffer(vecs_blob, dtype=np.float16)
            if vecs.size == ids.size * dim:
                out[sha] = Pieces(ids, vecs.reshape(ids.size, dim))
        return out

    def put_pieces(self, model: str, rows: dict[str, Pieces]) -> None:
        self._write("INSERT OR REPLACE INTO pieces (model, sha, ids, vecs) VALUES (?, ?, ?, ?)",
                    [(model, sha, np.asarray(p.ids, np.int32).tobytes(),
                      np.asarray(p.vecs, np.float16).tobytes()) for sha, p in rows.items()])

    def _write(self, sql: str, rows: list[tuple]) -> None:
        if self._db is None or not rows:
            return
        with self._lock:
            try:
                self._db.executemany(sql, rows)
                self._db.commit()
            except sqlite3.Error as e:
                log.warning("vector cache write failed (%s)", type(e).__name__)

    def _pieces(self, model: str, shas: Sequence[str], columns: str) -> list[tuple]:
        if self._db is None or not shas:
            return []
        rows: list[tuple] = []
        with self._lock:
            try:
                for start in range(0, len(shas), 500):
                    chunk = list(shas[start:start + 500])
                    marks = ",".join("?" * len(chunk))
                    rows += self._db.execute(
                        f"SELECT {columns} FROM pieces WHERE model = ? AND sha IN ({marks})",
                        [model, *chunk]).fetchall()
            except sqlite3.Error as e:
                log.warning("vector cache read failed (%s)", type(e).__name__)
        return rows

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None


def sha_of(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class PassageVectors:
    """The unit vectors of a list of passages, and the passages' dense scores for a query."""

    def __init__(self, passages: Sequence[Passage], encoder: Encoder, *, model_id: str = "",
                 cache: VectorCache | None = None) -> None:
        self.encoder = encoder
        units: list[str] = []
        owner: list[int] = []
        asked: list[bool] = []
        for i, p in enumerate(passages):
            us = units_of(p)
            units += us
            owner += [i] * len(us)
            asks = set(p.asks)
            asked += [u in asks for u in us]
        self.count = len(passages)
        self.owner = np.asarray(owner, dtype=np.int64)
        shas = [sha_of(u) for u in units]
        known = cache.get(model_id, list(dict.fromkeys(shas)), encoder.dim) if cache else {}
        missing = [i for i, s in enumerate(shas) if s not in known]
        self.embedded = len(missing)  # how many units this load had to embed (0: all cached)
        vecs = np.zeros((len(units), encoder.dim), dtype=np.float32)
        if missing:
            # In slices: one call for 10,000 units holds all their tokens and activations at once.
            for start in range(0, len(missing), EMBED_SLICE):
                part = missing[start:start + EMBED_SLICE]
                vecs[part] = encoder.embed([units[i] for i in part])
            if cache is not None:
                cache.put(model_id, {shas[i]: vecs[i] for i in missing})
        for i, s in enumerate(shas):
            if s in known:
                vecs[i] = known[s]
        # The units come passage by passage, so a passage's units are one run of rows: a query
        # is one matrix product and two segment maxima, no Python loop over passages (30 ms ->
        # a few ms on 1,000 passages). One array only: a sorted copy was 15 MB more for 1,000.
        self.vectors = vecs
        self._asked = np.asarray(asked, dtype=bool)  # "Customers ask:" units
        self.has_asks = bool(self._asked.any())
        counts = np.bincount(self.owner, minlength=self.count)
        self._counts = counts
        self._starts = np.concatenate(([0], np.cumsum(counts)[:-1])).astype(np.int64)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        return self.encoder.embed(texts)

    def scores(self, query: np.ndarray, *, policy_only: bool = False) -> np.ndarray:
        """Dense score of every passage for one query vector (see the module docstring).
        `policy_only`: by the passage's own text, leaving its "Customers ask:" lines out."""
        sims = self.vectors @ np.asarray(query, dtype=np.float32)
        if policy_only and self.has_asks:
            sims = np.where(self._asked, -1.0, sims)
        best = np.maximum.reduceat(sims, self._starts)
        # The second best: each passage's best masked out (units are unique within a passage,
        # so a tie with the best is a repeat of the same meaning and may go too).
        masked = np.where(sims >= np.repeat(best, self._counts), -np.inf, sims)
        second = np.maximum.reduceat(masked, self._starts)
        second = np.where(np.isfinite(second), second, best)  # a one-unit passage
        return BEST_WEIGHT * best + (1.0 - BEST_WEIGHT) * second


def encoder_id(encoder: object) -> str:
    """What identifies an encoder's vectors in the cache: its model file's name, size and
    modification time (a re-converted or replaced model gets new vectors)."""
    folder = getattr(encoder, "model_dir", None)
    if folder is None:
        return type(encoder).__name__
    try:
        st = (Path(folder) / "model.bin").stat()
    except OSError:
        return str(folder)
    return f"{Path(folder).name}:{st.st_size}:{st.st_mtime_ns}"
