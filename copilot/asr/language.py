"""Per-speaker language: fixed in settings, or learnt from the speaker's own utterances.

Whisper's language guess on one short utterance is unreliable (a 2 s French sentence on a phone
line can come out as Latin). A speaker rarely switches language mid-call, so evidence accumulates
per channel: each utterance adds duration x confidence to its language, earlier evidence is passed
to the detector as a prior, and after enough confident speech the language is settled and
detection (a decoder pass) is skipped.
"""

from __future__ import annotations


class LanguageTracker:
    def __init__(self, fixed: str = "", settle_after: float = 10.0, prior_scale: float = 3.0):
        self.fixed = fixed
        self.settle_after = settle_after
        self.prior_scale = prior_scale
        self.evidence: dict[str, float] = {}

    @property
    def language(self) -> str | None:
        """The language to decode with, or None when it should still be detected."""
        if self.fixed:
            return self.fixed
        if self.evidence:
            lang, score = max(self.evidence.items(), key=lambda kv: kv[1])
            if score >= self.settle_after:
                return lang
        return None

    def prior(self) -> dict[str, float]:
        return {lang: min(0.9, s / self.prior_scale) for lang, s in self.evidence.items()}

    def observe(self, probs: dict[str, float], duration: float) -> None:
        """Evidence from one utterance: the detector's own probabilities (without the prior, so
        one wrong guess cannot feed itself), weighted by how long the utterance was."""
        if self.fixed or duration < 0.8:
            return
        for lang, p in probs.items():
            if p >= 0.05:
                self.evidence[lang] = self.evidence.get(lang, 0.0) + duration * p
