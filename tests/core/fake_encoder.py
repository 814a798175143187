"""A deterministic stand-in for the sentence encoder in fast tests (a hashed bag of stemmed
words, unit length: texts that share words are similar; no model is loaded), and a small
knowledge base of near topics to search with it."""

from __future__ import annotations

import hashlib
import re

import numpy as np

from copilot.knowledge.encoder import Pieces
from copilot.knowledge.parse import Passage


class HashEncoder:
    def __init__(self, dim: int = 256) -> None:
        self.dim = dim
        self.calls = 0

    def embed(self, texts):
        self.calls += 1
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in re.findall(r"[a-z0-9]+", text.lower()):
                word = word[:5]  # a crude stem: "charged" meets "charge"
                h = int(hashlib.sha1(word.encode()).hexdigest(), 16)
                out[row, h % self.dim] += 1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norms == 0, 1, norms)

    def close(self) -> None:
        pass


class PieceHashEncoder(HashEncoder):
    """HashEncoder that also gives word pieces: one piece per word (id: its crude stem's hash),
    its vector the stem's own hashed direction, so a piece matches the same stem exactly and
    any other hardly at all."""

    def __init__(self, dim: int = 256) -> None:
        super().__init__(dim)
        self.piece_calls = 0

    def embed_pieces(self, texts):
        self.piece_calls += 1
        pieces = []
        for t in texts:
            ids = [self._id(w) for w in self._words(t)]
            vecs = np.zeros((len(ids), self.dim), dtype=np.float16)
            for row, i in enumerate(ids):
                vecs[row, i % self.dim] = 1.0
            pieces.append(Pieces(np.asarray(ids, dtype=np.int32), vecs))
        return self.embed(texts), pieces

    @staticmethod
    def _words(text):
        return [w[:5] for w in re.findall(r"[a-z0-9]+", text.lower())]

    @classmethod
    def piece_id(cls, word):
        return cls._id(word[:5])

    @staticmethod
    def _id(stem):
        return int(hashlib.sha1(stem.encode()).hexdigest(), 16) % 30000


def P(pid: str, title: str, text: str, line: str = "") -> Passage:
    return Passage(pid, title, text, (line,) if line else (), "t.md")


PASSAGES = [
    P("REF-01", "Duplicate charges", "A duplicate charge is refunded within 5 business days. "
      "The customer gets a confirmation email.", "The duplicate charge comes back within 5 "
      "business days."),
    P("FEE-01", "Late fees", "One late fee can be waived in any 12 months.",
      "I can waive this late fee once in 12 months."),
    P("ROA-01", "Roaming day pass", "The day pass costs 12 dollars per day abroad.",
      "The day pass is 12 dollars a day."),
]
