"""A second reading of the closest passages: what was said matched word piece by word piece.

A passage's dense score (copilot/knowledge/vectors.py) compares one vector per sentence, and a
near duplicate (the late fee and the payment plan, the day pass and the in-flight pass) scores
about as high as the right passage: the sentence vector keeps what the two share. The same
encoder also gives a vector per word piece, read in the context of its sentence. Here each word
piece of what the caller said is matched to its closest word piece anywhere in a passage's
atoms (its title, each sentence of its text, each approved line, each "Customers ask:" line),
and the matches are averaged, each weighted by how rare its piece is among the base's atoms
(inverse document frequency): "can I" counts for little, "aerial" or "instalment" for much. This
is late interaction (ColBERT's MaxSim) with an encoder that was not trained for it.

It is a second opinion for the gate, not a ranking (hybrid.second_reading): among the dense top
three, when it prefers one by a clear lead, that one gets a line; when the gate shows cards
without a line, the one it prefers is the card shown alone. On the twelve development question sets (1,101
questions) it picked the right passage among the dense top three for 736 of 847 where the right
one was there (the dense ranking: 697), and its lead separated right from wrong far better than
the dense margin (BENCHMARKS.md, "A second reading by word pieces").

Pieces are computed once per atom and kept in the vector cache beside the sentence vectors
(keyed by the atom's text), and the atoms' sentence vectors come from the same forward pass, so
indexing costs no more. A query reads only its top passages' pieces (an LRU of recent passages
in memory), so memory does not grow with the base. Without a cache (a base built in memory) all
pieces are held in memory.
"""

from __future__ import annotations

import logging
import math
import threading
from collections import Counter, OrderedDict
from collections.abc import Callable, Sequence
from typing import Protocol

import numpy as np

from copilot.knowledge.encoder import Pieces
from copilot.knowledge.parse import Passage
from copilot.knowledge.vectors import EMBED_SLICE, VectorCache, sha_of
from copilot.text.sentences import sentences

__all__ = ["PieceEncoder", "PieceIndex", "atoms_of", "reads_pieces"]

log = logging.getLogger(__name__)

LRU_PASSAGES = 64  # passages whose pieces stay in memory (float16: about 10 MB at most)


class PieceEncoder(Protocol):
    """What a piece index needs of an encoder (copilot.knowledge.encoder.SentenceEncoder)."""

    dim: int

    def embed_pieces(self, texts: Sequence[str]) -> tuple[np.ndarray, list[Pieces]]: ...


def reads_pieces(encoder: object) -> bool:
    """Whether `encoder` gives word pieces (a test's fake encoder may not: no second reading)."""
    return callable(getattr(encoder, "embed_pieces", None))


def atoms_of(p: Passage) -> list[str]:
    """The texts a passage's pieces come from: each says one thing, in its own context (the
    vector index's composite units, a sentence with the title in front or the whole text, only
    repeat these pieces)."""
    title = p.title.strip().rstrip(".")
    atoms = [title, *sentences(p.text), *p.approved_lines, *p.asks]
    return list(dict.fromkeys(a for a in (x.strip() for x in atoms) if a))


class PieceIndex:
    """The word pieces of a list of passages' atoms, and their second-reading scores."""

    def __init__(self, passages: Sequence[Passage], encoder: PieceEncoder, *, model_id: str,
                 cache: VectorCache | None = None) -> None:
        self.encoder = encoder
        self._model = f"{model_id}:pieces"
        self._cache = cache
        self._texts = [atoms_of(p) for p in passages]
        self._atoms = [[sha_of(a) for a in atoms] for atoms in self._texts]
        texts = {sha: a for atoms, shas in zip(self._texts, self._atoms, strict=True)
                 for sha, a in zip(shas, atoms, strict=True)}
        self._lock = threading.Lock()
        self._memory: OrderedDict[int, np.ndarray] = OrderedDict()
        self._held: dict[str, Pieces] = {}  # every atom's pieces, when there is no cache
        # The pieces' ids (to weigh them) come from the cache or from the encoder's pass.
        ids: dict[str, np.ndarray] = cache.get_piece_ids(self._model, list(texts)) \
            if cache is not None else {}
        missing = [s for s in texts if s not in ids]
        self.embedded = len(missing)  # atoms this load had to run through the encoder
        for start in range(0, len(missing), EMBED_SLICE):
            part = missing[start:start + EMBED_SLICE]
            vecs, pieces = encoder.embed_pieces([texts[s] for s in part])
            ids.update((s, p.ids) for s, p in zip(part, pieces, strict=True))
            if cache is None:
                self._held.update(zip(part, pieces, strict=True))
            else:
                cache.put_pieces(self._model, dict(zip(part, pieces, strict=True)))
                # The same pass gave the atoms' sentence vectors: the vector index then finds
                # them cached and embeds only its composite units.
                cache.put(model_id, dict(zip(part, vecs, strict=True)))
        # How rare each piece is among the base's atoms.
        df: Counter[int] = Counter()
        for row in ids.values():
            df.update(set(row.tolist()))
        self._n = len(texts)
        self._df = df

    def weight(self, ids: np.ndarray) -> np.ndarray:
        """Each piece's inverse document frequency among the atoms (an unseen piece: the
        highest)."""
        return np.asarray([math.log((self._n + 1) / (self._df.get(int(i), 0) + 1)) for i in ids],
                          dtype=np.float32)

    def embed(self, texts: Sequence[str]) -> tuple[np.ndarray, list[Pieces]]:
        """The sentence vectors of `texts` and their word pieces, from one forward pass (a
        query's vector and its pieces cost no more than its vector alone)."""
        return self.encoder.embed_pieces(texts)

    def scores(self, query: Pieces, rows: Sequence[int]) -> np.ndarray:
        """The second-reading score of each passage row in `rows` for a query's pieces (from
        embed()), 0 when the query has no word piece."""
        out = np.zeros(len(rows), dtype=np.float32)
        if query.ids.size == 0:
            return out
        weights = self.weight(query.ids)
        q = query.vecs.astype(np.float32)
        for j, row in enumerate(rows):
            passage = self._passage(row)
            if passage.size == 0:
                continue
            best = (q @ passage.T.astype(np.float32)).max(axis=1)
            out[j] = float((weights * best).sum() / max(float(weights.sum()), 1e-9))
        return out

    def reader(self, query: Pieces) -> Callable[[tuple[int, ...]], np.ndarray]:
        """scores() for `query`, each set of rows read once: the second reading and the line
        model (hybrid.judge) both ask for the dense top three."""
        read: dict[tuple[int, ...], np.ndarray] = {}

        def scores(rows: tuple[int, ...]) -> np.ndarray:
            if rows not in read:
                read[rows] = self.scores(query, rows)
            return read[rows]
        return scores

    def _passage(self, row: int) -> np.ndarray:
        """All pieces of a passage's atoms, one matrix (float16, as stored)."""
        with self._lock:
            held = self._memory.get(row)
            if held is not None:
                self._memory.move_to_end(row)
                return held
        shas = self._atoms[row]
        found = {s: self._held[s] for s in shas if s in self._held} if self._cache is None \
            else self._cache.get_pieces(self._model, shas, self.encoder.dim)
        lost = [s for s in shas if s not in found]
        if lost:  # the cache could not be written or was emptied: read them again
            log.info("word pieces of %d atoms not cached; computing them", len(lost))
            texts = dict(zip(shas, self._texts[row], strict=True))
            _, pieces = self.encoder.embed_pieces([texts[s] for s in lost])
            found.update(zip(lost, pieces, strict=True))
        parts = [found[s].vecs for s in shas if found[s].vecs.size]
        matrix = np.concatenate(parts).astype(np.float16) if parts else \
            np.zeros((0, self.encoder.dim), np.float16)
        with self._lock:
            self._memory[row] = matrix
            if len(self._memory) > LRU_PASSAGES:
                self._memory.popitem(last=False)
        return matrix
