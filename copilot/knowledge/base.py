"""The knowledge base: approved policy passages, searchable with SQLite FTS5 (BM25).

Passages come from a folder of Markdown files (kb_parse). They are indexed in an in-memory FTS5
table, one column each for the title, the policy text and the approved lines, with the
`porter unicode61 remove_diacritics 2` tokenizer (stems; case and accents folded). Queries are
built by kb_query: content words only, number words as digits, every term quoted and ORed.

Ranking is FTS5's bm25() (negated, so higher is better). Whether a hit is *relevant enough* to
ground a suggestion is judged apart from its rank, because BM25 always ranks something first,
and "grounded or silent" needs to know when that first passage is only a coincidence:

    evidence = sum, over the question's words the passage contains, of idf(word) / idf_max

with the smooth (Lucene) idf = ln(1 + (N - df + 0.5) / (df + 0.5)) and idf_max the idf of a word
found in one passage only. A word unique to the passage counts 1, a word many passages share
counts little ("plan", "phone"). A word in the passage's title counts TITLE_BONUS times more: the
title says what the passage is about, so "cancel" + "fee" is about the cancellation policy while
"plan" + "month" only happen to meet in the roaming text. A number counts half: it may be the
policy's own limit ("one device") but is as often the caller's detail ("two days late", "five
years") that a policy mentions for another reason. A hit is relevant when its evidence reaches
MIN_EVIDENCE.
"""

from __future__ import annotations

import math
import sqlite3
import threading
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from copilot.knowledge import hybrid, line_model
from copilot.knowledge import query as kb_query
from copilot.knowledge.asked_detail import asked_detail, holds_detail
from copilot.knowledge.claims import reports_claim
from copilot.knowledge.contrast import contrasted_phrases, corrected, outside
from copilot.knowledge.lint import without_overstated_lines
from copilot.knowledge.parse import KnowledgeError, Passage, load_folder
from copilot.knowledge.pieces import PieceIndex, reads_pieces
from copilot.knowledge.rejoin import Rejoiner
from copilot.knowledge.turns import refers_back, without_opening
from copilot.knowledge.vectors import Encoder, PassageVectors, VectorCache, encoder_id

__all__ = ["DENSE", "HYBRID", "KEYWORD", "MIN_EVIDENCE", "MODES", "TITLE_BONUS", "Hit",
           "KnowledgeBase", "KnowledgeError", "Passage", "Translator"]

KEYWORD, DENSE, HYBRID = "keyword", "dense", "hybrid"
MODES = (KEYWORD, DENSE, HYBRID)

TOKENIZER = "porter unicode61 remove_diacritics 2"
# bm25() column weights (title, text, approved lines). A title says what the passage is about;
# the approved lines restate the text, so they count like it.
WEIGHTS = (4.0, 1.0, 1.0)
NUMBER_WEIGHT = 0.5
TITLE_BONUS = 1.5
# One word is never enough, even a title word (which counts at most TITLE_BONUS): "refund" alone
# finds the duplicate-charge policy for "a refund for bereavement travel", "travel" alone the day
# pass. Two specific words are: a topic word plus a moderately shared one ("late" + "fee",
# "Mexico" + "cost", "cancel" + "fee"). On the Northwind eval the answerable questions' passages
# score 1.74 and up, the unanswerable questions' best hits at most 1.32; 1.6 is the lowest round
# floor above one title word. Calibrated on that 10-passage base: in a much larger base shared
# words weigh more (idf grows with N), so re-check a site's own base with `copilot kb eval` and
# adjust with KnowledgeBase(min_evidence=...).
MIN_EVIDENCE = 1.6
# Sliding window over the latest customer captions: the newest counts fully, each older one half
# as much as the next, so a card follows the conversation and fades as it moves on.
WINDOW = 3
DECAY = 0.5
_CANDIDATES = 50  # rows read per query before combining and cutting to k


class Translator(Protocol):
    """Turns a question into the knowledge base's language (MT model, Whisper, LLM...)."""

    def translate(self, text: str, src: str, tgt: str) -> str: ...


@dataclass(frozen=True)
class Hit:
    passage: Passage
    score: float  # BM25, higher is better (comparable within one knowledge base); 0 = no word
    relevant: bool  # enough evidence to ground a suggestion (a line); otherwise abstain
    evidence: float  # keyword evidence (see the module docstring)
    terms: tuple[str, ...] = ()  # the question's words this passage contains (index tokens)
    dense: float = 0.0  # sentence-vector score (copilot/knowledge/vectors.py); 0 = keyword only
    candidate: bool = False  # shown as a card for the agent to pick from, but no line
    # Why it is relevant: "keywords", or hybrid's "agree" | "strong" | "clear" | "asks" |
    # "pieces" | "evidence" (the line model alone, hybrid.judge); on a card that would have been a line but the caller reports a claim
    # (cards_for_claim): "claim"; or names the passage only to set it aside
    # (KnowledgeBase.cards_for): "contrast"; asks for a number or address it does not give
    # (copilot/knowledge/asked_detail.py): "detail".
    reason: str = ""
    # Plausible enough for the call to follow as its topic, shown or not (hybrid.TOPIC_MIN).
    followed: bool = False

    @property
    def shown(self) -> bool:
        """Whether a knowledge card shows this passage."""
        return self.relevant or self.candidate

    @property
    def followable(self) -> bool:
        """Whether the call's topic may follow this passage (copilot/knowledge/topic.py)."""
        return self.shown or self.followed


def cards_for_claim(turn: str, lang: str, hits: list[Hit]) -> list[Hit]:
    """A turn reporting what the caller was told ("your website said ...") gets its passages
    as cards to check the claim against, never a line (copilot/knowledge/claims.py)."""
    if not reports_claim(turn, lang) or not any(h.relevant for h in hits):
        return hits
    return [replace(h, relevant=False, candidate=True, reason="claim") if h.relevant else h
            for h in hits]


@dataclass
class _Concept:
    """One word of the question with its synonyms, as index tokens."""

    stems: tuple[str, ...]
    weight: float  # the window weight of the newest utterance that said it
    numeric: bool


class KnowledgeBase:
    """Passages, searchable by keywords and, with a sentence encoder, by meaning (`mode`:
    KEYWORD, DENSE or HYBRID; HYBRID by default when an encoder is given)."""

    def __init__(self, passages: Sequence[Passage], lang: str = "en",
                 warnings: Sequence[str] = (), min_evidence: float = MIN_EVIDENCE, *,
                 encoder: Encoder | None = None, cache: VectorCache | None = None,
                 mode: str = "") -> None:
        if not passages:
            raise KnowledgeError("a knowledge base needs at least one passage")
        self.lang = lang
        self.min_evidence = min_evidence
        self.passages: dict[str, Passage] = {p.id: p for p in passages}
        if len(self.passages) != len(passages):
            dup = sorted({p.id for p in passages if sum(q.id == p.id for q in passages) > 1})
            raise KnowledgeError(f"duplicate passage IDs: {', '.join(dup)}")
        self.warnings: tuple[str, ...] = tuple(warnings)
        self.source: Path | None = None  # the folder it was read from, when known
        self.owned: list[Any] = []  # closed with the base (the encoder loading.py opened)
        self._rows: list[Passage] = list(passages)
        self._index = {p.id: i for i, p in enumerate(self._rows)}
        n = len(self._rows)
        self._idf_max = _idf(1, n)
        # Built on one thread, queried from an assist worker: one connection behind a lock.
        self._lock = threading.Lock()
        self._db = sqlite3.connect(":memory:", check_same_thread=False)
        self._db.executescript(f"""
            CREATE VIRTUAL TABLE kb USING fts5(title, body, approved, tokenize='{TOKENIZER}');
            CREATE VIRTUAL TABLE kb_terms USING fts5vocab(kb, 'instance');
            CREATE VIRTUAL TABLE q USING fts5(word, tokenize='{TOKENIZER}');
            CREATE VIRTUAL TABLE q_terms USING fts5vocab(q, 'instance');
        """)
        self._db.executemany(
            "INSERT INTO kb(rowid, title, body, approved) VALUES (?, ?, ?, ?)",
            [(i, kb_query.normalize(p.title, lang), kb_query.normalize(p.text, lang),
              kb_query.normalize("\n".join(p.approved_lines), lang))
             for i, p in enumerate(self._rows)])
        self._terms = self._term_index()
        # Words a recognizer split ("in surance") are joined before searching (rejoin.py).
        self._rejoiner = Rejoiner(
            (t for p in self._rows for t in (p.title, p.text, *p.approved_lines, *p.asks)),
            self._stems_locked) if lang == "en" else None
        # The word pieces of every passage's atoms (pieces.py), first: their forward pass also
        # gives the atoms' sentence vectors, which the vector index below then finds cached.
        self.pieces = PieceIndex(self._rows, encoder, model_id=encoder_id(encoder), cache=cache) \
            if encoder is not None and reads_pieces(encoder) else None
        # Sentence vectors of every passage (cached on disk), when an encoder is given.
        self.vectors = PassageVectors(self._rows, encoder, model_id=encoder_id(encoder),
                                      cache=cache) if encoder is not None else None
        self.mode = mode or (HYBRID if self.vectors is not None else KEYWORD)
        if self.mode not in MODES:
            raise ValueError(f"unknown search mode {self.mode!r} (use one of {', '.join(MODES)})")
        if self.mode != KEYWORD and self.vectors is None:
            raise KnowledgeError(f"{self.mode} search needs a sentence encoder")

    @classmethod
    def load(cls, folder: str | Path, lang: str = "en",
             min_evidence: float = MIN_EVIDENCE, *, encoder: Encoder | None = None,
             cache: VectorCache | None = None, mode: str = "") -> KnowledgeBase:
        passages, warnings = load_folder(folder)
        passages, dropped = without_overstated_lines(passages)
        kb = cls(passages, lang, [*warnings, *dropped], min_evidence, encoder=encoder,
                 cache=cache, mode=mode)
        kb.source = Path(folder)
        return kb

    def answer(self, passage: Passage, said: Sequence[str]) -> str:
        """The sentence of `passage` that answers what was said (copilot/knowledge/answer.py)."""
        from copilot.knowledge.answer import answer_sentence

        return answer_sentence(passage, said, self.vectors if self.mode != KEYWORD else None)

    def close(self) -> None:
        with self._lock:
            self._db.close()
        for thing in self.owned:
            thing.close()
        self.owned.clear()

    def __enter__(self) -> KnowledgeBase:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- search ---------------------------------------------------------------------------

    def search(self, query: str, k: int = 3, *, lang: str | None = None,
               translator: Translator | None = None, typed: bool = False) -> list[Hit]:
        """The k best passages for one question, best first, each judged relevant or not.

        `lang` is the question's language (default: the base's). A question in another
        language is translated first when a translator is given; without one its words are
        searched as they are, which only finds accent-folded cognates ("México"). `typed`: the
        agent's own search (the ask box, `kb ask`), whose line the rules alone decide: the line
        model was fit on callers' turns, and reads a short one as saying little, while a typed
        search is short by design ("roaming in Canada on the basic plan?")."""
        return self.search_window([query], k, lang=lang, translator=translator, typed=typed)

    def search_window(self, utterances: Sequence[str], k: int = 3, *, lang: str | None = None,
                      translator: Translator | None = None, window: int = WINDOW,
                      typed: bool = False) -> list[Hit]:
        """Search with the latest customer captions (oldest first, as they were said).

        The last `window` utterances count, the newest fully and each older one DECAY times the
        next: scores and evidence are those weighted sums, so one utterance gives exactly
        `search()` and a question split over two captions still finds its passage."""
        recent = [u for u in utterances if u and u.strip()][-window:] if window > 0 else []
        if k <= 0 or not recent:
            return []
        src = lang or self.lang
        if src != self.lang and translator is not None:
            recent = [translator.translate(u, src, self.lang) for u in recent]
            src = self.lang
        # The sentence encoder reads the base's language only; a question left in another
        # language is searched by its words (accent-folded cognates), as without an encoder.
        dense = self.mode != KEYWORD and src == self.lang
        if self._rejoiner is not None and src == self.lang:
            recent = [self._rejoiner.mend(u) for u in recent]
        # Searched without what a turn sets aside before saying what it means (contrast.py) and
        # without the words that open a new topic (turns.py).
        searched = [c if kb_query.content_words(c, src) else u
                    for u, c in ((u, without_opening(corrected(u, src), src)) for u in recent)]
        with self._lock:
            hits = self._search(searched, src, len(self._rows) if dense else k)
        if dense:
            if not any(kb_query.content_words(u, src) for u in searched):
                return []  # "okay", "uh huh": nothing asked, so nothing to show
            hits = self._dense_hits(searched, hits, k, typed)
        return self.cards_for(recent[-1], src, hits)

    def cards_for(self, turn: str, lang: str, hits: list[Hit]) -> list[Hit]:
        """The hits as the turn allows them: a reported claim (cards_for_claim), a passage the
        turn names only to set it aside (copilot/knowledge/contrast.py) or one without the
        number or address asked for (copilot/knowledge/asked_detail.py) gets a card, no line."""
        hits = cards_for_claim(turn, lang, hits)
        if hits and hits[0].relevant and self._set_aside(turn, lang, hits[0].passage):
            hits = [replace(hits[0], relevant=False, candidate=True, reason="contrast"),
                    *hits[1:]]
        detail = asked_detail(turn, lang) if hits and hits[0].relevant else None
        if detail and not holds_detail(detail, hits[0].passage.full_text):
            # a number or address asked for that the passage does not give (asked_detail.py)
            hits = [replace(hits[0], relevant=False, candidate=True, reason="detail"), *hits[1:]]
        return hits

    def _set_aside(self, turn: str, lang: str, passage: Passage) -> bool:
        phrases = contrasted_phrases(turn, lang)
        if not phrases:
            return False

        def stems(text: str) -> set[str]:
            words = kb_query.content_words(text, lang)
            with self._lock:
                return set(self._stems(words).values()) if words else set()

        title = stems(passage.title)
        named = title & set().union(*(stems(p) for p in phrases))
        return bool(named - stems(outside(turn, lang)))

    def _dense_hits(self, recent: list[str], keyword: list[Hit], k: int,
                    typed: bool = False) -> list[Hit]:
        """Hits ranked by meaning, judged by hybrid.decide. The newest utterance is the
        question; the earlier ones (the issue being discussed) are its context: a follow-up
        ("how long does that take?") is searched alone and together with them."""
        assert self.vectors is not None
        turn, context = recent[-1], recent[:-1]
        texts = [turn] + ([" ".join([*context, turn])] if context else [])
        if self.pieces is not None:  # one pass gives the vectors and the second reading's pieces
            queries, said = self.pieces.embed(texts)
        else:
            queries, said = self.vectors.embed(texts), []

        def dense_scores(text_only: bool) -> np.ndarray:
            scores = self.vectors.scores(queries[0], policy_only=text_only)
            if context:
                words = len(kb_query.content_words(turn, self.lang))
                scores = hybrid.with_context(
                    scores, self.vectors.scores(queries[1], policy_only=text_only), words,
                    refers_back(turn, self.lang))
            return scores

        scores = dense_scores(False)
        text_only = dense_scores(True) if self.vectors.has_asks else None
        by_row = {self._index[h.passage.id]: h for h in keyword}
        ranked = [(self._index[h.passage.id], h.evidence) for h in keyword]
        decision = hybrid.decide(scores, *(ranked[0] if ranked else (None, 0.0)),
                                 self.min_evidence, use_keywords=self.mode == HYBRID,
                                 text_only=text_only)
        if self.pieces is not None:  # the turn with its context when it has one
            read = self.pieces.reader(said[-1])
            decision = hybrid.second_reading(decision, scores, read)
            if self.mode == HYBRID and not typed:
                decision = hybrid.judge(decision, scores, line_model.Evidence(
                    scores, text_only, ranked, self.min_evidence,
                    read(tuple(int(i) for i in np.argsort(-scores, kind="stable")[:3])),
                    bool(context), len(turn.split())))
        out = []
        for row in decision.order[:k]:
            h = by_row.get(row)
            confident = decision.verdict == hybrid.CONFIDENT and row in decision.shown
            out.append(Hit(self._rows[row], h.score if h else 0.0, confident,
                           h.evidence if h else 0.0, h.terms if h else (),
                           round(float(scores[row]), 4),
                           decision.verdict == hybrid.CANDIDATES and row in decision.shown,
                           decision.reason if confident else "", row in decision.followed))
        return out

    def _search(self, recent: list[str], lang: str, k: int) -> list[Hit]:
        concepts: dict[tuple[str, ...], _Concept] = {}
        scores: dict[int, float] = {}
        age = 0
        for utterance in reversed(recent):
            found = self._concepts(utterance, lang)
            expr = kb_query.match_expression([w for _, w in found])
            if expr is None:
                continue  # "uh huh", "okay": no topic, so it does not age the one before
            weight = DECAY ** age
            age += 1
            for stems, word in found:
                c = concepts.setdefault(stems, _Concept(stems, 0.0, word.isdigit()))
                c.weight = max(c.weight, weight)
            for rowid, score in self._db.execute(
                    f"SELECT rowid, -bm25(kb, {', '.join(map(str, WEIGHTS))}) AS s FROM kb "
                    "WHERE kb MATCH ? ORDER BY s DESC LIMIT ?", (expr, _CANDIDATES)):
                scores[rowid] = scores.get(rowid, 0.0) + weight * score
        if not scores:
            return []
        docs = self._docs({s for c in concepts.values() for s in c.stems})
        n = len(self._rows)
        hits = []
        for rowid, score in sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))[:k]:
            matched: list[str] = []
            evidence = 0.0
            for c in concepts.values():
                inside = [s for s in c.stems if rowid in docs.get(s, {})]
                if not inside:
                    continue
                matched.extend(inside)
                specificity = max(_idf(len(docs[s]), n) for s in inside) / self._idf_max
                if any(docs[s][rowid] for s in inside):
                    specificity *= TITLE_BONUS
                evidence += c.weight * specificity * (NUMBER_WEIGHT if c.numeric else 1.0)
            relevant = evidence >= self.min_evidence
            hits.append(Hit(self._rows[rowid], round(score, 4), relevant, round(evidence, 4),
                            tuple(matched), reason="keywords" if relevant else ""))
        return hits

    def _concepts(self, utterance: str, lang: str) -> list[tuple[tuple[str, ...], str]]:
        """(index tokens of a word and its synonyms, a word to query with) for each concept,
        without repeats: "charge" and "charged" in one question are one piece of evidence."""
        groups = [[w, *kb_query.SYNONYMS.get(w, ())] if lang == "en" else [w]
                  for w in kb_query.content_words(utterance, lang)]
        stems = self._stems(sorted({w for g in groups for w in g}))
        out: list[tuple[tuple[str, ...], str]] = []
        seen: set[str] = set()
        for g in groups:
            key = tuple(dict.fromkeys(stems[w] for w in g if w in stems))
            if not key or key[0] in seen:
                continue
            seen.update(key)
            out.extend((key, w) for w in g if w in stems)
        return out

    def _stems(self, words: list[str]) -> dict[str, str]:
        """word -> its index token (Porter stem, folded), from FTS5's own tokenizer."""
        self._db.execute("DELETE FROM q")
        self._db.executemany("INSERT INTO q(rowid, word) VALUES (?, ?)", enumerate(words))
        out: dict[str, str] = {}
        for doc, term in self._db.execute("SELECT doc, term FROM q_terms ORDER BY doc, offset"):
            out.setdefault(words[doc], term)
        return out

    def _stems_locked(self, words: list[str]) -> dict[str, str]:
        with self._lock:
            return self._stems(words)

    def _docs(self, stems: set[str]) -> dict[str, dict[int, bool]]:
        """index token -> {row (passage) containing it: whether its title does}."""
        return {s: self._terms[s] for s in stems if s in self._terms}

    def _term_index(self) -> dict[str, dict[int, bool]]:
        """Every index token's passages, read once from FTS5's vocabulary: scanning fts5vocab
        at each question cost 20-25 ms on a 1,000-passage base."""
        terms: dict[str, dict[int, bool]] = {}
        for term, doc, col in self._db.execute("SELECT term, doc, col FROM kb_terms"):
            rows = terms.setdefault(term, {})
            rows[doc] = rows.get(doc, False) or col == "title"
        return terms


def _idf(df: int, n: int) -> float:
    """Lucene's BM25 idf: like FTS5's, but never zero or negative, so it still ranks words in
    a base of two or three passages (FTS5's own is 0 for any word in half of them)."""
    return math.log(1 + (n - df + 0.5) / (df + 0.5))

