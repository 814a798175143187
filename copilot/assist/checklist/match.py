"""Does a caption say it? A checklist item's (or a condition's, or a farewell's) phrasings against
the words of one final caption: by meaning with the sentence encoder, backed by keywords.

Precision comes first: a required disclosure shown as given when it was not is the failure that
matters, a missed tick costs the agent one click. So a caption is cut into short pieces (its
sentences, their clauses and runs of two or three clauses: an agent says several things in one
breath, and a sentence's meaning is diluted by what else it says; `pieces`), and a piece says an
item when

- it is very close in meaning to one of the item's examples (cosine >= STRONG), or close
  (>= WITH_KEYWORD, or the item's own `keyword_floor`) and it contains one of the item's
  keywords;
- it is closer to the examples than to any of the item's `unlike` sentences (the near misses a
  site knows about: "I've recorded your new address");
- it is not negated where the example is not, or the other way round ("this call is not
  recorded" is very close in meaning to "this call is recorded"): a piece is compared with
  the examples of its own polarity only;
- likewise it reports something the agent has just done ("I've reset your voicemail PIN",
  "I've recorded it as a nuisance caller") only where an example does: a disclosure, a question
  or an offer is not a report of an action done, however close its words;
- it names someone when every example does (the agent's name): "my name is", cut off before
  the name, gives none;
- for the closing question, it holds a keyword when every example does: the greeting's "what
  can I help you with?" is the closing question but for the word that asks for more; and it
  does not ask what the customer did or what happened ("have you tried anything else?", "did
  anything else arrive with it?"): the closing question offers more help, and the encoder puts
  such questions as close to it as to the item's `unlike` ones (within 0.001 on one CPU).

An item that names several things ("account number and PIN", format.Item.needs) is said only
once every part has been: `PhraseSet.parts_in` tells which parts the pieces that say the item
name, and the tracker gathers them over the call.

Without a sentence encoder nothing is ticked automatically: keywords alone ("recorded",
"verify") are too often said about something else.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from copilot.assist.checklist.format import KEYWORD_FLOOR_MIN, Phrases
from copilot.assist.checklist.names import (
    NAME,
    NOT_NAMES,
    names_someone,
    without_names,
)
from copilot.assist.checklist.own_name import gives_name, holds_name, says_name
from copilot.assist.checklist.wording import NEW_CLAUSE, normalise
from copilot.knowledge.fact_words import stem
from copilot.text.sentences import sentences

__all__ = ["HINT", "MAX_UNITS", "STRONG", "WITH_KEYWORD", "Encoder", "Match", "PhraseSet",
           "asks_what_happened", "inflections", "negated", "pieces", "reports_done", "units_of"]

# Thresholds on the cosine of all-MiniLM-L6-v2 embeddings, set on the development calls of
# tests/data/calls/checklist/dev (copilot/bench/checklist_bench.py); the held-out calls were
# run once with them.
STRONG = 0.80  # meaning alone
WITH_KEYWORD = 0.50  # meaning backed by one of the item's keywords in the same piece
# An item done before the one it comes after is flagged only when nothing the agent said earlier
# came this close to the first one: a missed tick must not accuse the agent of skipping it.
HINT = 0.40
# The agent's own name, said where it is not given in so many words (own_name.py), is like a
# keyword of the item at the lowest floor a file may give one (format.KEYWORD_FLOOR_MIN):
# "Tomasz on the phone!" 0.34, "Rosie's my name" 0.45; Whisper's "Greta enjoyed the fun bait"
# (for "great, enjoy the phone") 0.13.
OWN_NAME = KEYWORD_FLOOR_MIN
MAX_CLAUSES = 3  # a piece is at most this many consecutive clauses of one sentence
MAX_UNITS = 40  # pieces of one caption, at most (a long monologue keeps its first ones)
ANCHORED_WORDS = 3  # words besides the keyword in a piece cut at a keyword (pieces)
# A word that closes a run-on's first part ("charge stands *then* anything else?"), or "done"
# as the whole of it. (Not any one word before it: "Before anything else, ...", "Lose anything
# else?" are no closing question.)
_RUN_ON_CLOSE = re.compile(r"(?:\b(?:then|so|now|okay|ok|right|sorted|great|lovely|cool|perfect"
                           r"|brilliant|sweet|cheers|excellent|nice)|^\W*done)\W*$", re.I)

_CLAUSE_END = re.compile(r"\s*[,;:\u2013\u2014]\s+|\s+-\s+|\s+(?:and|but)\s+", re.I)
# "No need for your PIN" says the check is not done; a bare "no" is left out ("at no extra cost"
# offers something, "No, that's all" answers).
# ("Not at all" and "not a problem" answer the caller, and negate nothing the agent goes on to
# say: "Not at all so I'll just need the account number and the PIN": blind call set 62.)
# (said alone: "not at all necessary" negates)
_NEGATION = re.compile(r"\b(?:not(?!\s+(?:at\s+all|a\s+problem)(?=\s*(?:[,.!?;]|$|so\b|and\b"
                       r"|then\b|now\b)))|never|cannot|no longer|no need|nobody|nothing|neither"
                       r"|nor)\b"
                       r"|n't\b", re.I)
# The agent reporting an action of their own, done: "I've reset ...", "I have just sent ...",
# "I just recorded ...", "I've already put ...". A past participle right after (an adverb
# allowed): a regular "-ed" or one of the irregular ones agents use of their work. "I've got"
# (possession), "I have to" and "I just need" report nothing. First person singular only: "we've
# recorded this call" is how some agents give the recording notice.
REPORT_LEADS = 3  # "Okay so I've reset ...": a report starts within this many words
_IRREGULAR_DONE = ("sent|set|reset|put|made|done|taken|given|sorted|written|paid|cut|shut|"
                   "stopped|frozen|read|told|left|kept|found|brought|bought|run|begun|shown")
_REPORTS_DONE = re.compile(
    r"\b(?:i've|i have|i just|i(?:'ve| have)? already)\s+(?:(?:just|now|already|also|gone and)\s+)?"
    rf"(?!got\b|gotten\b|need|needed\b)(?:\w+ed|{_IRREGULAR_DONE})\b", re.I)

# A question about something done or that happened: "have you changed ...", "did anything else
# arrive", "has anyone tried". Not "did you have/need/want ...", "have you got ...", "have you
# any other questions", "have you another question": those ask what the customer still needs.
_ASKS_WHAT_HAPPENED = re.compile(
    r"\b(?:have|has|did)\s+(?:you|anything|something|anyone|anybody|it|they|he|she|we)"
    r"(?:\s+else)?\s+(?:(?:already|ever|also|just|recently)\s+)?"
    r"(?!(?:have|had|got|gotten|get|need|needed|want|wanted|require|required|wish|like|any"
    r"|anything|something|some|other|another|more|else|a|an|the|no)\b)[a-z]+", re.I)


class Encoder(Protocol):
    """What matching needs of a sentence encoder (copilot.knowledge.encoder.SentenceEncoder)."""

    def embed(self, texts: Sequence[str]) -> np.ndarray: ...


@dataclass(frozen=True)
class Match:
    words: str  # the piece of the caption that said it
    score: float  # its cosine to the closest example
    keyword: str = ""  # the item's keyword in those words ("" when none: meaning alone)
    reader: str = ""  # a built-in reader that said it instead of the examples (readers.py)


def negated(text: str) -> bool:
    return bool(_NEGATION.search(normalise(text)))


def asks_what_happened(text: str) -> bool:
    """The agent asks what the customer did or what happened ("have you tried anything else?",
    "did anything else arrive?"), not what more they need."""
    return bool(_ASKS_WHAT_HAPPENED.search(normalise(text)))


def reports_done(text: str) -> bool:
    """The agent says they have done something ("I've reset your voicemail PIN"): a report
    that leads one of the clauses (within its first REPORT_LEADS words: "right, it's blocked
    now and I've recorded it as a nuisance caller"). A report further into a clause is the
    next sentence run on without punctuation, and the clause is about what comes first ("it's
    eight dollars a month i've cancelled it from your next bill" still reads the account)."""
    return any(len(clause[:m.start()].split()) < REPORT_LEADS
               for sentence in sentences(normalise(text))
               for clause in _CLAUSE_END.split(sentence)
               for m in _REPORTS_DONE.finditer(clause))


def _reported(piece: str, clause: str) -> bool:
    """`piece` reports an action done, by itself or as a part of `clause` it was cut from at a
    keyword (pieces): "PIN on your account" cut from "I've reset the PIN on your account",
    "recorded it as a nuisance caller" from "I've recorded it as ...". Not a piece that starts
    a sentence of its own run into the clause, a question or new clause ("what else can I help
    you with?" cut from "I've sorted the refund what else can I help you with?")."""
    if reports_done(piece):
        return True
    if piece == clause or piece.rstrip().endswith("?") or NEW_CLAUSE.match(" " + piece):
        return False
    return reports_done(clause)


def units_of(text: str, anchors: Sequence[re.Pattern[str]] = ()) -> list[str]:
    """The pieces of a caption that are compared with the examples (`pieces`)."""
    return pieces(text, anchors)[0]


def pieces(text: str, anchors: Sequence[re.Pattern[str]] = ()) -> tuple[list[str], list[int]]:
    """The pieces of a caption that are compared with the examples: each sentence, and within
    it every run of 1 to MAX_CLAUSES consecutive clauses; no repeats, at most MAX_UNITS.

    `anchors` (the checklists' keywords) also cut a clause where punctuation does not: Whisper
    often runs two sentences together ("I'll refund that too what else can I do for you?").
    For each keyword inside a clause, the clause's words from the keyword on are a piece too
    ("what else can I do for you?"), unless the clause is negated (a piece cut from "we don't
    record calls" must not lose its "don't"). Such a piece holds at least ANCHORED_WORDS words
    besides the keyword: a piece that is mostly the keyword says little of what the keyword is
    about. Likewise the few words up to a name inside a clause ("This is Kenji" of "This is
    Kenji our recording system is down today").

    Returns the pieces and, for each, the index of the piece it was cut from (its clause; its
    own index for the others): a cut piece must not escape what its clause is closer to
    ("let me verify that payment" is a near miss; "verify that payment" alone may not look
    like one)."""
    out: list[str] = []
    parent: list[int] = []

    def add(piece: str, of: int | None = None) -> int:
        piece = piece.strip(" ,;:")
        if not piece:
            return -1
        if piece in out:
            return out.index(piece)
        out.append(piece)
        parent.append(len(out) - 1 if of is None else of)
        return len(out) - 1

    for sentence in sentences(normalise(text)):
        # Clause spans, so a run of clauses is the sentence's own words between them.
        spans, start = [], 0
        for sep in _CLAUSE_END.finditer(sentence):
            spans.append((start, sep.start()))
            start = sep.end()
        spans.append((start, len(sentence)))
        spans = [(a, b) for a, b in spans if sentence[a:b].strip()]
        runs = [sentence] if len(spans) > MAX_CLAUSES else []
        for size in range(1, min(MAX_CLAUSES, len(spans)) + 1):
            runs += [sentence[spans[i][0]:spans[i + size - 1][1]]
                     for i in range(len(spans) - size + 1)]
        for r in runs:
            add(r)
        for a, b in spans:
            # Whisper runs an introduction into what follows ("This is Kenji our recording
            # system is down today", "I am Lucia this call we record it"): the few words up
            # to a name inside a clause are a piece too, as a name ends what it introduces.
            clause = sentence[a:b]
            for m in NAME.finditer(clause):
                lead = clause[:m.end()]
                if m.group() not in NOT_NAMES and len(clause[m.end():].split()) >= 2 and \
                        2 <= len(lead.split()) <= ANCHORED_WORDS + 2:
                    add(lead, add(clause))
        for a, b in spans if anchors else ():
            clause = sentence[a:b]
            if negated(clause):
                continue
            for pattern in anchors:
                for hit in pattern.finditer(clause):
                    piece = clause[hit.start():]
                    if hit.start() > 0 and \
                            len(piece.split()) >= len(hit.group().split()) + ANCHORED_WORDS:
                        add(piece, add(clause))
                    # A run-on boundary may also fall right after a keyword that ends what
                    # came before it ("Dana here I'll let you know we record every call"):
                    # when the next words start a clause of their own, the few words up to
                    # the keyword are a piece too ("did anything else happen ..." is one
                    # question, not "did anything else").
                    lead, said = clause[:hit.end()], len(hit.group().split())
                    if hit.start() > 0 and NEW_CLAUSE.match(clause[hit.end():]) and \
                            said < len(lead.split()) <= said + ANCHORED_WORDS:
                        add(lead, add(clause))
                    # A keyword that ends a long run-on clause ("... your final bill comes in
                    # thirty days is there anything else"): its last few words are a piece.
                    words = lead.split()
                    if not clause[hit.end():].strip(" .?!,;:") and \
                            len(words) > said + ANCHORED_WORDS:
                        add(" ".join(words[-(said + ANCHORED_WORDS):]), add(clause))
                    # ... or that ends it right after a word that closes what came before
                    # ("charge stands then anything else?", "Done anything else.": blind call
                    # sets 58 and 59, terse agents; not "have you done anything else?")
                    if not clause[hit.end():].strip(" .?!,;:") and \
                            _RUN_ON_CLOSE.search(clause[:hit.start()]):
                        add(clause[hit.start():], add(clause))
    keep = min(len(out), MAX_UNITS)
    return out[:keep], [p if p < keep else i for i, p in enumerate(parent[:keep])]


def inflections(word: str) -> list[str]:
    """A keyword's word and its regular inflections ("close": closes, closed, closing; "end":
    ends, ended, ending; "cancel": cancelled, canceling): a customer who is "closing my account"
    says what "close my account" lists. The forms are guessed and kept only when they share the
    word's stem (copilot/knowledge/fact_words.stem, the rule the verifier uses), so both sides
    agree on what one word is. Words of one or two letters ("my", "to") and words with anything
    but letters keep their one form."""
    if len(word) < 3 or not word.isalpha():
        return [word]
    if word.endswith("e"):
        guesses = [word + "s", word + "d", word[:-1] + "ing"]
    elif word.endswith("y"):
        guesses = [word + "s", word[:-1] + "ies", word + "ed", word[:-1] + "ied", word + "ing"]
    else:
        guesses = [word + ("es" if word.endswith(("s", "x", "z", "ch", "sh", "o")) else "s"),
                   word + "ed", word + "ing", word + word[-1] + "ed", word + word[-1] + "ing"]
    root = stem(word)
    return [word, *dict.fromkeys(g for g in guesses if g != word and stem(g) == root)]


def _keyword_pattern(keyword: str) -> re.Pattern[str]:
    """A keyword as whole words, case ignored; `*` at the end of a word matches any ending, a
    word without it its regular inflections (`inflections`)."""
    parts = []
    for word in normalise(keyword).lower().split():
        if word.endswith("*"):
            parts.append(re.escape(word.rstrip("*")) + r"[\w']*")
        else:
            forms = inflections(word)
            parts.append("(?:" + "|".join(map(re.escape, forms)) + ")" if len(forms) > 1
                         else re.escape(word))
    return re.compile(r"(?<![\w'])" + r"\s+".join(parts) + r"(?![\w'])", re.I)


class PhraseSet:
    """Phrases ready to match: the examples and near misses embedded once (at load time, not
    per caption), the keywords compiled. `needs`: the parts a compound item names (format.Item);
    each part's keywords also back a match like the item's own keywords."""

    def __init__(self, phrases: Phrases, encoder: Encoder,
                 extra_examples: Sequence[str] = (),
                 needs: Sequence[Sequence[str]] = (), keep: frozenset[str] = frozenset(), *,
                 reports_apart: bool = False, keyword_floor: float | None = None,
                 keyword_always: bool = False) -> None:
        self.examples = tuple(dict.fromkeys([*phrases.examples, *extra_examples]))
        self.unlike = phrases.unlike
        # How close a piece with a keyword must come (format.Item.keyword_floor).
        self.keyword_floor = WITH_KEYWORD if keyword_floor is None else keyword_floor
        vectors = encoder.embed([without_names(t, keep)
                                 for t in (*self.examples, *self.unlike)])
        self._ex = vectors[:len(self.examples)]
        self._un = vectors[len(self.examples):]
        self._ex_negated = np.array([negated(e) for e in self.examples], dtype=bool)
        # What the agent must say (not a customer's condition, not a farewell): a report of an
        # action done is compared with such reports only (module docstring).
        self._reports_apart = reports_apart
        self._ex_reports = np.array([reports_done(e) for e in self.examples], dtype=bool)
        # An item every example of which names someone (the agent's name: "My name is Sam",
        # "Sam speaking") is said only by a piece that names someone too: "Thanks for calling
        # Northwind Mobile, my name is" cut off before the name gave none.
        self._keep = keep
        self._names_someone = bool(self.examples) and all(
            names_someone(e, keep) for e in self.examples)
        words = dict.fromkeys([*phrases.keywords, *(k for part in needs for k in part)])
        self.keywords = tuple((k, _keyword_pattern(k)) for k in words)
        self.unless = tuple(_keyword_pattern(k) for k in phrases.unless)
        self.needs = tuple(tuple(_keyword_pattern(k) for k in part) for part in needs)
        # A closing question ("is there anything else I can help you with?") is the greeting's
        # question ("what can I help you with?", 0.83) but for the word that asks for more,
        # which the encoder hardly weighs: when every example holds one of the keywords, the
        # author has shown that it is not said without one, and meaning alone does not say it.
        self._keyword_always = keyword_always and bool(self.keywords) and all(
            self.keyword_in(e) for e in self.examples)

    @property
    def patterns(self) -> tuple[re.Pattern[str], ...]:
        return tuple(p for _, p in self.keywords)

    def keyword_in(self, text: str) -> str:
        return next((k for k, pattern in self.keywords if pattern.search(normalise(text))), "")

    def parts_in(self, matches: Sequence[Match]) -> frozenset[int]:
        """The parts of `needs` (by index) that the words of these matches say."""
        texts = [normalise(m.words) for m in matches]
        return frozenset(n for n, part in enumerate(self.needs)
                         if any(p.search(t) for p in part for t in texts))

    def matches(self, units: Sequence[str], vectors: np.ndarray, *,
                floor: float | None = None, parents: Sequence[int] | None = None,
                name: str = "", own_voice: bool = False) -> list[Match]:
        """Every piece that says it (module docstring), in the caption's order. With `floor`,
        every piece at least that close in meaning, keyword or not: hints that it may have
        been said, never a tick. `name`: the agent's own name, when known (own_name.py);
        `own_voice`: the caption is the agent's channel alone, so the name in it is said by
        the agent (on a mono line the customer says it too: "thanks, Omar")."""
        if not len(units) or not len(self.examples):
            return []
        sims = vectors @ self._ex.T  # (units, examples): unit-length rows, so cosines
        near = (vectors @ self._un.T).max(axis=1) if len(self.unlike) else \
            np.full(len(units), -1.0, dtype=np.float32)
        found: list[Match] = []
        parent = parents if parents is not None else range(len(units))
        for u, unit in enumerate(units):
            p = parent[u]
            if p != u and float(near[p]) >= float(sims[p].max()):
                continue  # its clause is a near miss (pieces)
            if self.unless and any(w.search(normalise(units[x])) for x in {u, p}
                                   for w in self.unless):
                continue  # it says the opposite in so many words ("switched to you")
            best = float(sims[u].max())
            if self._names_someone and own_voice and floor is None and (
                    gives_name(unit, name, self._keep)
                    or (holds_name(unit, name) and best >= OWN_NAME)):
                found.append(Match(unit, best, ""))  # their own name (own_name.py)
                continue
            # Only the examples of the piece's polarity count: "this call is not recorded"
            # is very close in meaning to "this call is recorded". Likewise a report of an
            # action done, judged on the clause a piece was cut from ("recorded it as a
            # nuisance caller" was cut from "I've recorded it as ...").
            alike = self._ex_negated == negated(unit)
            if self._reports_apart:
                alike &= self._ex_reports == _reported(unit, units[p])
            if self._keyword_always and any(asks_what_happened(units[x]) for x in {u, p}):
                continue  # the closing question offers more help (module docstring)
            if self._names_someone and not (names_someone(unit, self._keep)
                                            and says_name(unit, name)):
                continue
            if not alike.any():
                continue
            e = int(np.where(alike, sims[u], -2.0).argmax())
            score = float(sims[u, e])
            if score < (self.keyword_floor if floor is None else floor) or \
                    score <= float(near[u]):
                continue
            keyword = self.keyword_in(unit)
            if floor is None and not keyword and (score < STRONG or self._keyword_always):
                continue
            found.append(Match(unit, score, keyword))
        return found

    def best(self, units: Sequence[str], vectors: np.ndarray, *,
             floor: float | None = None,
             parents: Sequence[int] | None = None) -> Match | None:
        """The piece that says it best, or None when no piece says it (`matches`)."""
        return max(self.matches(units, vectors, floor=floor, parents=parents),
                   key=lambda m: m.score, default=None)
