"""A deterministic stand-in for the sentence encoder in fast tests: a hashed bag of stemmed
words, unit length. Texts that share words are similar; no model is loaded."""

from __future__ import annotations

import hashlib
import re

import numpy as np


class HashEncoder:
    dim = 256

    def __init__(self) -> None:
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
