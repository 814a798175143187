"""Tone cues and response time of a trainee's answer: what a coach would point at.

Only the words the agent typed or said are read (no voice, no inferred emotion): an apology, an
empathy phrase, and plain language (sentence length and a jargon list). Each cue names the
words that triggered it, so the feedback is always explained. English and French phrases.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from copilot.knowledge.query import fold
from copilot.text.sentences import WORD
from copilot.text.sentences import sentences as split_sentences

__all__ = ["JARGON", "Tone", "ToneOptions", "sentences", "tone_of", "words_of"]

_APOLOGY = re.compile(
    r"\b(?:sorry|apologi[sz]e|apologies|my apologies|regret|d[ée]sol[ée]e?s?|excusez|excuses|"
    r"pardon)\b", re.I)
_EMPATHY = re.compile(
    r"\b(?:i (?:completely |totally |fully )?understand|i can (?:see (?:why|how|that you)|imagine"
    r"|understand)"
    r"|i hear you|that must (?:be|have been)|i appreciate|thank you for (?:your patience|"
    r"waiting|explaining|bearing with)|i know how|that sounds (?:frustrating|stressful|difficult)"
    r"|frustrating|i'd feel the same|je comprends|je vois bien|c'est (?:frustrant|normal)"
    r"|merci de votre patience|je suis là pour vous aider)\b", re.I)
# Words a customer should not have to decode. Kept short and general (call-centre and billing
# jargon, legalese); a site can pass its own list.
JARGON = ("pursuant", "aforementioned", "heretofore", "per our policy", "as per", "escalation "
          "matrix", "ticket id", "provisioning", "proration", "prorated", "chargeback", "etf",
          "mrc", "backend", "back end", "bcc", "sla", "tier 2", "l2", "kindly", "revert",
          "disposition", "account holder of record", "billing cycle adjustment", "adjudicate")


@dataclass(frozen=True)
class ToneOptions:
    max_sentence_words: int = 25  # a longer sentence is hard to follow over the phone
    slow_seconds: float = 30.0  # a reply that took longer leaves the caller waiting
    jargon: Sequence[str] = JARGON


@dataclass(frozen=True)
class Tone:
    apology: tuple[str, ...]  # the words found
    empathy: tuple[str, ...]
    jargon: tuple[str, ...]
    longest_sentence: int  # words
    average_sentence: float
    plain: bool  # no jargon and sentences short enough

    def to_dict(self) -> dict[str, object]:
        return {"apology": list(self.apology), "empathy": list(self.empathy),
                "jargon": list(self.jargon), "longest_sentence": self.longest_sentence,
                "average_sentence": round(self.average_sentence, 1), "plain": self.plain}

    def notes(self, opts: ToneOptions) -> list[str]:
        out = []
        if self.apology:
            out.append(f"apology: \"{self.apology[0]}\"")
        if self.empathy:
            out.append(f"empathy: \"{self.empathy[0]}\"")
        if self.jargon:
            out.append(f"jargon: {', '.join(self.jargon)} (say it in plain words)")
        if self.longest_sentence > opts.max_sentence_words:
            out.append(f"a sentence of {self.longest_sentence} words (keep them under "
                       f"{opts.max_sentence_words})")
        return out


_WORD = WORD  # one word rule (copilot/text/sentences.py)


def sentences(text: str) -> list[str]:
    """An answer's clauses: sentences, and parts split by ';' (each judged on its own)."""
    return split_sentences(text, semicolons=True)


def words_of(text: str) -> list[str]:
    return _WORD.findall(text)


def tone_of(text: str, opts: ToneOptions | None = None) -> Tone:
    opts = opts or ToneOptions()
    lengths = [len(words_of(s)) for s in sentences(text)] or [0]
    folded = " " + " ".join(fold(w) for w in words_of(text)) + " "
    jargon = tuple(j for j in opts.jargon if f" {' '.join(fold(w) for w in words_of(j))} "
                   in folded)
    longest, average = max(lengths), sum(lengths) / len(lengths)
    return Tone(tuple(m.group() for m in _APOLOGY.finditer(text)),
                tuple(m.group() for m in _EMPATHY.finditer(text)), jargon, longest, average,
                not jargon and longest <= opts.max_sentence_words)
