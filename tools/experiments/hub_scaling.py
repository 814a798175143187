"""A hubness correction of the dense passage scores, tried for issue 12 (stop 48) and not
adopted: BENCHMARKS.md, "Hub passages discounted". Not part of the app.

A passage whose units sit close to many other passages' units (a "hub": a general passage, or one
of a crowd of near duplicates) scores high for questions about any of them. As in cross-domain
similarity local scaling (CSLS), each passage's score is lowered by ALPHA times its hub score,
centred on the base's mean: the mean of its HUB_K best dense scores over the units of every other
passage (the base's own sentences, titles, approved lines and customer questions standing in for
the questions a site gets). The rest of the search and the gate are as shipped; this runs
question_sets.py with the patch:

    HUB_ALPHA=0.3 HUB_K=10 .venv/bin/python tools/experiments/hub_scaling.py [question_sets args]
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from copilot.knowledge import vectors  # noqa: E402

ALPHA = float(os.environ.get("HUB_ALPHA", "0"))
HUB_K = int(os.environ.get("HUB_K", "10"))
_init, _scores = vectors.PassageVectors.__init__, vectors.PassageVectors.scores


def _patched_init(self, *args, **kwargs) -> None:
    _init(self, *args, **kwargs)
    owner = np.sort(self.owner, kind="stable")  # the owners of the sorted units
    by_unit = np.stack([_scores(self, u) for u in self._sorted])  # units x passages
    hub = np.array([np.sort(by_unit[owner != p, p])[-HUB_K:].mean() if (owner != p).any()
                    else 0.0 for p in range(self.count)], dtype=np.float32)
    self._hub = hub - hub.mean()


def _patched_scores(self, query, *, policy_only: bool = False):
    scores = _scores(self, query, policy_only=policy_only)
    return scores - ALPHA * self._hub if ALPHA else scores


vectors.PassageVectors.__init__ = _patched_init  # type: ignore[method-assign]
vectors.PassageVectors.scores = _patched_scores  # type: ignore[method-assign]

import question_sets  # noqa: E402

if __name__ == "__main__":
    question_sets.main()
