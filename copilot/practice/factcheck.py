"""Policy facts in a trainee's answer, checked like a suggested line (copilot.knowledge.verify).

Each fact of the answer (number, amount, duration, percentage, plan name, policy term) is
- correct: a passage states it. Values (numbers, amounts, durations, percentages) and promise
  words (refund, credit, free, waive, discount, guarantee, "always", "today"...) must be stated
  by one of the scenario's own passages: "a refund within 30 days" is policy for returned
  orders, and promising it to a caller charged twice is a promise no passage makes for her.
  Names and other words may come from any passage (`passages` lists every one that states it);
- case: not policy but the caller's own details, which the scenario lists (the amount charged,
  the months of service, the customer's name): the agent may repeat them, also with a
  comparator before them ("after 5 full months it comes to 87.50 dollars"), except in a clause
  that promises something ("we'll refund the fee after 5 months": a condition only a passage
  can set);
- echo: what the customer said earlier in the conversation and the agent repeats ("since you're
  moving next week"). Only what the customer stated counts, not what they asked for ("can I
  have it back today?" answered "you'll have it back today" is a promise), and a promise word
  is never an echo, nor anything in a clause that promises money back, a credit or a waiver;
- time: a bare time phrase ("right away", "now", "today", "next week", "every day") in a clause
  that promises no policy fact: "I'll transfer you right away" commits to nothing the policy
  says, "you'll get your money back right away" does, and is checked; so is a time unit said
  as the rate of a value or a policy term ("12.50 dollars per week", "the fee goes down every
  week"). A time unit without a number is never listed as a fact found (FactCheck.listed);
- describes: a number in a compound modifier that describes its noun ("your 4-digit PIN", "a
  two-factor check", "our 24-hour line") and that no passage of the scenario states: not a
  value the trainee promises, unless it is an amount, a duration in a clause that promises
  something, or a count of what the scenario's passages count ("a 3-device limit"). Stated by
  a scenario passage, it is correct and shown whole ("4-digit");
- wrong: nothing supports it. That is the "promised what no policy allows" of the issue.

A promise word used as a noun that names the topic ("*the refund* goes back to the card you
paid with") is correct where a passage of the scenario makes that promise (same polarity): what
the answer says about it (how much, how soon) is checked as facts of their own. "A refund *of
the fee*" says what it is for, and is compared as the verifier compares it. A wrong promise
word names the passages that make that promise about something else (BILL-01, BILL-08 for
"refund"), not "no passage".

A criterion's required fact ("12.50 dollars") is judged here, once, by `RequiredFact.matches`:
the per-answer feedback and the scorecard's criterion both read that one judgement
(`FactCheck.states`, `FactReport.stated`), so "12.50" said after "150 dollars" is the fee rule's
12.50 dollars in both places.

Courtesy phrases are masked first ("have a good day" is not a duration). What the verifier
counts as a fact is its own rule (copilot.knowledge.verify): a number and its time unit are one
fact even with a word between them ("5 full months" is 5 months), and a word that only
qualifies ("now", "twice", a time unit without a number) is a fact only about a policy fact of
its clause ("I'll transfer you right away" has none). The verifier reads English: an answer in
another language is checked through a Translator when one is given; otherwise a small glossary
writes its numbers and units in English ("5 jours ouvrés" -> "5 business days"), only the
facts that carry a value are checked (names and policy words of a French sentence would be
misread) plus a short list of French promise words ("gratuit", "remise", "garanti"), and every
time word is read as a fact and judged here; the report says so in `checked_as`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property

from copilot.knowledge.base import KnowledgeBase, Translator
from copilot.knowledge.parse import Passage
from copilot.knowledge.query import STOPWORDS, fold
from copilot.knowledge.verify import BENEFITS, Fact, known_names, stem, term_keys, verify
from copilot.practice.answer_text import (
    _COMPARATOR,
    _FR_TERMS,
    _english_values,
    _joined_money,
    _mask,
    _unit,
    _without_comparators,
)
from copilot.practice.errors import ScenarioError

__all__ = ["FactCheck", "FactChecker", "FactReport", "RequiredFact", "required_facts",
           "statements"]

CORRECT, CASE, ECHO, TIME, WRONG = "correct", "case", "echo", "time", "wrong"
DESCRIBES = "describes"
VALUE_KINDS = ("number", "amount", "duration", "percentage")
# Verifier term groups that give the caller something (copilot.knowledge.verify.BENEFITS):
# never an echo, and what makes a time phrase next to them a policy promise.
TIMING = frozenset({"immediately", "today", "tomorrow"})
# Term groups that must be stated by the scenario's own passages (values too): the promises,
# their timing, and the absolutes that widen a rule ("always", "every", "only").
SCENARIO_TERMS = BENEFITS | TIMING | frozenset({"automatic", "always", "never", "all", "every",
                                                "any", "only", "once", "twice"})
# Words that make a clause promise money back or a delivery, with no policy term in it ("the
# money will be back tomorrow"): stems, as copilot.knowledge.verify.stem writes them.
_PROMISE_STEMS = frozenset({"money", "fund", "deposit", "revers", "arriv", "deliver",
                            "ship", "complet", "appear", "reimburs", "compensat",
                            # French
                            "rembours", "remboursement", "credit", "remis", "gratuit",
                            "virement", "argent", "retour"})
_BACK = re.compile(r"\bback\b", re.I)
_NOT_MONEY_BACK = re.compile(r"\b(?:call|ring|phone|text|email|write|get|come|go|be|"
                             r"report|check|circle)\w* (?:you |me |them |him |her )?back\b"
                             r"(?! (?:on|to|in|into) (?:your|the|my))", re.I)
# Clause boundaries, as the verifier draws them.
_CLAUSE = re.compile(r"[.!?;:]+(?=\s|$)|\n|[,()\u2013\u2014\"]|\s-\s"
                     r"|\s(?:and|but|so|then|et|mais|donc)\s(?=(?:you|we|i|it|they|your|the|this|"
                     r"that|there|vous|nous|je|j'|on|les|la|le|ce|c')\b)", re.I)
# A customer sentence that asks or demands: its facts are wishes, not details to echo.
_ASKS = re.compile(
    r"\b(?:i want|i'd like|i would like|i need|i demand|i expect|can you|could you|"
    r"would you|will you|can i|could i|can we|please|give me|put me|je veux|je voudrais|"
    r"j'aimerais|pouvez-vous|pourriez-vous|est-ce que|pourrez-vous)\b", re.I)


@dataclass(frozen=True)
class FactCheck:
    text: str  # as checked: the agent's words, in English when translated
    kind: str  # number | amount | duration | percentage | name | term
    status: str  # correct | case | echo | time | wrong
    passages: tuple[str, ...] = ()  # the passages that state it (correct facts)
    value: str | None = None
    unit: str = ""  # "business day", "dollar", "devic": the verifier's normalised unit
    states: tuple[str, ...] = ()  # the criteria's required phrases this fact states
    elsewhere: tuple[str, ...] = ()  # (wrong facts) other passages that state it, not the case's
    # (wrong promise words) the call's own passages that make this promise, but not as said
    # ("a full refund within 24 hours" where BILL-01 refunds within 5 business days)
    differently: tuple[str, ...] = ()

    @property
    def listed(self) -> bool:
        """Is it a policy fact of its own, listed to the trainee when correct: a value
        (number, amount, duration, percentage) or a name. A term ("fee", "full") and a time
        unit without a number ("months", "per week") are read to judge the answer, and shown
        when wrong (in their words: "per week"), but are no fact to list as found."""
        return self.kind == "name" or self.kind in VALUE_KINDS and self.value is not None

    def to_dict(self) -> dict[str, object]:
        out: dict[str, object] = {"text": self.text, "kind": self.kind, "status": self.status,
                                  "passages": list(self.passages)}
        if self.states:
            out["states"] = list(self.states)
        if self.elsewhere:
            out["elsewhere"] = list(self.elsewhere)
        if self.differently:
            out["differently"] = list(self.differently)
        return out


@dataclass(frozen=True)
class FactReport:
    facts: tuple[FactCheck, ...]
    checked_as: str  # "en" | "translated" | "values only (fr)"
    stated: tuple[tuple[str, str], ...] = ()  # (passage, phrase) required and stated in full
    scenario: tuple[str, ...] = ()  # the scenario's own passages

    def where(self, fact: FactCheck) -> tuple[str, ...]:
        """The passages to name beside a correct fact: the scenario's own that state it, else
        every one that does. "5 business days" is BILL-01's in a double-charge call, although
        the coverage and delivery passages say it too (about something else)."""
        own = tuple(p for p in fact.passages if p in self.scenario)
        return own or fact.passages

    @property
    def wrong(self) -> list[FactCheck]:
        return [f for f in self.facts if f.status == WRONG]

    @property
    def correct(self) -> list[FactCheck]:
        """The correct policy facts the trainee is shown (FactCheck.listed): the feedback on
        the answer lists these and the scorecard counts these."""
        return [f for f in self.facts if f.status == CORRECT and f.listed]


@dataclass(frozen=True)
class RequiredFact:
    """A value a criterion wants said ("5 business days"), as the verifier reads it, in the
    passage the criterion cites."""

    phrase: str
    kind: str
    value: str
    unit: str
    passage: str = ""

    def matches(self, fact: FactCheck) -> bool:
        """Does this checked fact state the required one? The one judgement the feedback and
        the scorecard share: a correct fact of the cited passage with the same value, and the
        same unit, or no unit of its own ("150 dollars minus 12.50 for each full month": the
        fact-check already found 12.50 in the passage, where it is 12.50 dollars)."""
        if fact.status != CORRECT or fact.value != self.value:
            return False
        if self.passage and self.passage not in fact.passages:
            return False
        if fact.kind == self.kind and (fact.unit == self.unit or not self.unit):
            return True
        return fact.kind == "number" and not fact.unit

    @property
    def key(self) -> tuple[str, str]:
        return (self.passage, self.phrase)

    def said_in(self, report: FactReport) -> bool:
        return self.key in report.stated


def required_facts(phrases: Sequence[str], passage: Passage, where: str = "") -> list[RequiredFact]:
    """The value facts of each phrase; a phrase the passage does not state, or one without a
    value, is a mistake in the scenario (raised as ScenarioError)."""
    out: list[RequiredFact] = []
    for phrase in phrases:
        verdict = verify(phrase, [passage])
        values = [f for f in verdict.facts if f.value is not None]
        if not values:
            raise ScenarioError(f"{where}: {phrase!r} states no number, amount or duration to "
                                "check (write it as the passage does, e.g. '5 business days')")
        if not verdict.ok:
            raise ScenarioError(f"{where}: passage [{passage.id}] does not state {phrase!r} "
                                f"(unsupported: {', '.join(f.text for f in verdict.unsupported)})")
        out.extend(RequiredFact(phrase, f.kind, f.value or "", _unit(f), passage.id)
                   for f in values)
    return out


def statements(lines: Iterable[str]) -> str:
    """What the customer stated about themselves, which the agent may repeat as an echo: the
    clauses of their lines that are not questions ("is there a fee for cancelling now?"),
    requests ("I want it back today") or hearsay about the policy ("I read on a forum that my
    plan only allows one device": confirming that is a promise, not an echo)."""
    out = []
    for line in lines:
        for sentence in re.split(r"(?<=[.!?])\s+|\n", line):
            if _HEARSAY.search(sentence) or "?" in sentence and (
                    _QUESTION.search(sentence) or _ASKS.search(sentence)):
                continue
            out.extend(c for c in re.split(r"[,;:]\s*|\s+(?:so|but|donc|mais)\s+", sentence)
                       if c.strip() and not _ASKS.search(c))
    return "\n".join(out)


# A promise word used as a noun, and a plain verb before one ("pay no fee"): see _reread.
_NOUN_BEFORE = re.compile(r"\b(?:the|your|a|an|my|our|this|that|full|whole|no|any|its|"
                          r"their)\s+$", re.I)
# What a promise noun is for, when the answer says it: "a refund *of the fee*", "a credit *for
# the outage*". Without it the noun only names the topic ("the refund goes back to your card").
_NOUN_OBJECT = re.compile(r"\s+(?:of|for)\b", re.I)
# A number glued to the word after it and, through it, to a noun: "4-digit PIN", "two-factor
# check", "24-hour line", "12-month period". The number describes that noun.
_COMPOUND = re.compile(r"(?:\d+(?:\.\d+)?|[^\W\d_]+)-([^\W\d_]+)(?=\s+([^\W\d_]+))")
_PLAIN_VERB_BEFORE = re.compile(
    r"\b(pay|paying|get|getting|have|receive|see|owe|be|being|is|are)\s+"
    r"(?:(?:no|not|any|a|an|the|your)\s+)?$", re.I)
_QUESTION = re.compile(
    r"^\W*(?:(?:and|so|but|then|et|alors|mais|donc)\s+)?(?:can|could|will|would|is|are|do|does|"
    r"did|was|were|when|how|what|which|why|where|who|may|shall|should|have|has|est-ce|"
    r"pouvez|pourrez|pourriez|puis|peut|quand|comment|combien|pourquoi|quel\w*|vous pourrez|"
    r"vous pouvez|si)\b|\b(?:can't|won't|couldn't|wouldn't) you\b", re.I)
_HEARSAY = re.compile(
    r"\b(?:i read|i've read|i have read|i heard|i've heard|i was told|they told me|someone "
    r"(?:said|told)|a friend (?:said|told)|forum|online|on the internet|on social media|j'ai lu|"
    r"on m'a dit|j'ai entendu)\b", re.I)
# The eligibility comparators: a number a passage puts after them conditions its promise ("after
# 12 months there is no fee"), and a line that drops it promises more than the passage does.
# Other numbers near a promise are its details ("refunded ... within 5 business days"): a line
# may leave them for another sentence; when it states them, they are checked as facts.
_ELIGIBILITY = frozenset({"after", "before", "first", "last", "min", "over", "under"})
_FLIPS = {"charge": "free", "free": "charge", "limit": "unlimited", "unlimited": "limit"}
_TIMING_WORDS = {"today": ("today", "tonight", "same day"),
                 "immediately": ("immediately", "instantly", "instant", "immediate", "now",
                                 "right away"),
                 "tomorrow": ("tomorrow",)}
# Words too general to say what a time phrase is about ("you'll *get* it today").
_GENERIC = frozenset("get gets got getting will would can could be is are was were have has "
                     "had make made go goes going come comes see take takes give gives do does "
                     "done you your we our i my it its this that there here one another also "
                     "just still yes no ok okay sure the and for with when".split())
_RATE = re.compile(r"(?:\b(?P<each>per|each|every)\s+(?:full\s+|single\s+|calendar\s+)?"
                   r"|(?:\d|\b(?:dollars?|euros?|pounds?|percent|once|twice|times))\s+an?\s+)$",
                   re.I)


# The words that make a time unit without a number say something ("per week", "next week", "by
# the end of the day"): shown with it when it is wrong.
_TIME_WORDS_BEFORE = re.compile(
    r"(?:\b(?:per|each|every|a|an|one|next|last|this|that|the|same|end|of|whole|full|within|"
    r"by|in|for|until|till|from)\s+){1,5}$",
    re.I)


def _time_phrase(text: str, span: tuple[int, int]) -> str:
    m = _TIME_WORDS_BEFORE.search(text[:span[0]])
    return text[m.start() if m else span[0]:span[1]]


def _clause_of(text: str, span: tuple[int, int]) -> tuple[int, int]:
    start, end = 0, len(text)
    for m in _CLAUSE.finditer(text):
        if m.end() <= span[0]:
            start = m.end()
        elif m.start() >= span[1]:
            end = m.start()
            break
    return start, end


def _group(fact: Fact) -> str:
    """A term fact's promise group, without its polarity ("not waive" -> "waive")."""
    parts = fact.key.split()
    return (parts[1] if parts[:1] == ["not"] and len(parts) > 1 else parts[0]) if parts else ""


def _with_comparator(text: str, start: int) -> int:
    """Where a number starting at `start` starts with the comparator before it ("*within* 5")."""
    m = re.search(rf"(?:{_COMPARATOR.pattern})\s+$", text[:start], re.I)
    return m.start() if m else start


def _promise(fact: Fact) -> str:
    """A term fact's promise with its polarity ("not waive", "free"), as term_keys() lists it."""
    parts = fact.key.split()
    return " ".join(parts[:2] if parts[:1] == ["not"] else parts[:1])


def _stems(text: str) -> set[str]:
    timing = {stem(w) for words in _TIMING_WORDS.values() for w in words}
    return {stem(w) for w in re.findall(r"[^\W\d_]+(?:'[^\W\d_]+)?", fold(text))
            if w not in _GENERIC and len(w) > 2} - timing


def _is_rate(text: str, span: tuple[int, int], facts: Sequence[Fact], strict: bool) -> bool:
    """A bare time unit said as a rate, a policy fact of its own: of a value or a frequency
    right before it ("12.50 dollars a week", "once a month"), or "per / each / every" with
    something in its clause it is the rate of: a value or a policy term ("12.50 dollars off
    every week", "the fee goes down every month"). With nothing to be the rate of ("you can use
    both every day") it is a time phrase. `strict`: every "per / each / every" is a rate (the
    words around it cannot be read: a French answer checked for its values only, or a clause
    that promises something)."""
    m = _RATE.search(text[:span[0]])
    if m is None:
        return False
    if strict or not m.group("each"):
        return True
    a, b = _clause_of(text, span)
    return any(a <= f.span[0] < b and not m.start() <= f.span[0] < span[1] for f in facts)


class FactChecker:
    """Checks answers against one knowledge base for one scenario."""

    def __init__(self, kb: KnowledgeBase, scenario_passages: Sequence[str],
                 case_facts: Sequence[str] = (), *, translator: Translator | None = None,
                 required: Sequence[RequiredFact] = (), lang: str = "en"):
        """`lang`: the language of the case facts and of the customer's lines."""
        self.kb = kb
        self.all = list(kb.passages.values())
        self.scenario_passages = tuple(p for p in scenario_passages if p in kb.passages)
        self.names = known_names(self.all)
        self.lang = lang
        case = "\n".join(case_facts)
        self.case = Passage("CASE", "the caller's details",
                            _english_values(case) if lang != "en" else case, (), "scenario")
        self.translator = translator
        self.required = tuple(required)
        self._groups: dict[str, frozenset[str]] = {}
        self._details: dict[str, str] = {}
        self._words: dict[str, str] = {}

    # -- what each passage says, computed once ---------------------------------------------
    def groups(self, passage: Passage) -> frozenset[str]:
        """The promise groups a passage's words use, either polarity ("no fee" is about fees
        too)."""
        key = passage.id if passage.id not in ("HEARD",) else passage.full_text
        if key not in self._groups:
            found = {k.removeprefix("not ") for k in term_keys(passage.full_text)}
            self._groups[key] = frozenset(found | {_FLIPS[g] for g in found if g in _FLIPS})
        return self._groups[key]

    def words(self, passage: Passage) -> str:
        """" word word ... ": the passage's words, folded, for looking names up."""
        if passage.id not in self._words:
            self._words[passage.id] = " " + " ".join(
                w.removesuffix("'s") for w in re.findall(r"[^\W\d_]+(?:'[^\W\d_]+)*|\d+",
                                                          fold(passage.full_text).replace(
                                                              "\u2019", "'"))) + " "
        return self._words[passage.id]

    def details(self, passage: Passage) -> str:
        """The passage's detail numbers (not eligibility conditions), as a sentence added after
        an answer when it is checked against that passage: see _ELIGIBILITY."""
        if passage.id not in self._details:
            values = dict.fromkeys(f.value for f in verify(passage.full_text, [passage]).facts
                                   if f.value is not None
                                   and f.key.split()[0] not in _ELIGIBILITY)
            self._details[passage.id] = "".join(f"\n{v} ." for v in values)
        return self._details[passage.id]

    @cached_property
    def counted(self) -> frozenset[str]:
        """What the scenario's passages count: the units of their numbers ("devic" for "up to 5
        devices", "digit" for "4-digit"). A compound that counts one of these states a rule of
        the call ("a 3-device limit"); another only describes its noun ("two-factor")."""
        return frozenset(_unit(f) for pid in self.scenario_passages
                         for f in verify(self.kb.passages[pid].full_text,
                                         [self.kb.passages[pid]]).facts
                         if f.kind == "number" and f.value is not None)

    def _promised_here(self, fact: Fact) -> tuple[str, ...]:
        """(a wrong promise word) the call's own passages that make that promise, with other
        conditions than the answer gives it."""
        return tuple(p for p in self.scenario_passages
                     if _promise(fact) in term_keys(self.kb.passages[p].full_text))

    def _promised_in(self, fact: Fact) -> tuple[str, ...]:
        """(a wrong promise word no passage supports as said) the other passages that make
        that promise, about something else: "refund" is BILL-01's and BILL-08's."""
        return tuple(p.id for p in self.all if p.id not in self.scenario_passages
                     and _promise(fact) in term_keys(p.full_text))

    @staticmethod
    def _rate_in(passages: Iterable[Passage], unit: str) -> tuple[str, ...]:
        rate = re.compile(rf"\b(?:per|each|every)\s+(?:full\s+)?{re.escape(unit)}s?\b"
                          rf"|(?:\d|dollars?|euros?|percent|once|twice)\s+an?\s+"
                          rf"{re.escape(unit)}\b")
        return tuple(p.id for p in passages if rate.search(fold(p.full_text)))

    @staticmethod
    def _timing_in(passages: Iterable[Passage], group: str, clause: str) -> tuple[str, ...]:
        """Passages that give this timing to what the answer's clause is about: the same
        timing word in a clause of the passage sharing a word with the answer's ("you'll get a
        confirmation email *today*": BILL-01's email, not its refund)."""
        about = _stems(clause)
        words = _TIMING_WORDS.get(group, (group,))
        out = []
        for p in passages:
            for part in re.split(r"[.;:,]\s*|\s+and\s+", fold(p.full_text)):
                if any(re.search(rf"\b{w}\b", part) for w in words) and about & _stems(part):
                    out.append(p.id)
                    break
        return tuple(out)

    def check(self, text: str, lang: str = "en", heard: Sequence[str] = ()) -> FactReport:
        """The facts of one answer in `lang`; `heard`: what the customer said so far in the
        conversation, the line this answer replies to included."""
        text = _mask(text)
        values_only = False
        checked_as = "en"
        if lang != "en":
            if self.translator is not None:
                text, checked_as = self.translator.translate(text, lang, "en"), "translated"
            else:
                text, checked_as, values_only = _english_values(text), f"values only ({lang})", True
        text = _joined_money(text)
        said = statements(heard)
        if said and self.lang != "en":
            said = _english_values(said)
        # Checked for its values only, the answer's words cannot be read: every time word is a
        # fact for the verifier, judged here (TIME, unless its clause promises something).
        english = not values_only
        facts = [f for f in verify(text, self.all, names=self.names, english=english).facts
                 if not (values_only and f.kind not in VALUE_KINDS)]
        support = {p.id: {f.span for f in verify(text + self.details(p), [p], names=self.names,
                                                 english=english).facts
                          if f.supported and f.span[1] <= len(text)} for p in self.all}
        heard_p = Passage("HEARD", "the customer's words", said, (), "conversation")
        # the caller's details and words, said as they are (exact) or with a comparator the
        # answer put before them (loose: the caller's still, unless in a promise)
        case, case_loose = self._supports(text, self.case, english)
        echoed, echoed_loose = self._supports(text, heard_p, english) if said else (set(), set())
        terms_fr = self._french_terms(text) if values_only else []
        promises = self._promises(text, facts, terms_fr)
        scenario = [self.kb.passages[p] for p in self.scenario_passages]

        out: list[tuple[tuple[int, int], FactCheck]] = []
        for f in facts:
            group = _group(f) if f.kind == "term" else ""
            clause = _clause_of(text, f.span)
            promise = promises.get(clause, False)
            if group in TIMING:
                ids = self._timing_in(scenario, group, text[clause[0]:clause[1]]) \
                    if promise else ()
                status = CORRECT if ids else TIME if not promise else WRONG
                out.append((f.span, FactCheck(f.text, f.kind, status, ids)))
                continue
            if f.kind == "term" and group not in BENEFITS:
                # Not a promise of its own ("fee", "limit", "each", "only"): said where a
                # passage uses the same word, judged by its values and promises around it.
                pool = scenario if group in SCENARIO_TERMS else self.all
                ids = tuple(p.id for p in pool if group in self.groups(p))
                in_case = group in self.groups(self.case)
                in_heard = bool(said) and group in self.groups(heard_p)
                status = CORRECT if ids else CASE if in_case else ECHO if (
                    in_heard and not promise) else WRONG
                out.append((f.span, FactCheck(f.text, f.kind, status, ids if status == CORRECT
                                              else ())))
                continue
            if f.kind == "name":
                # by its words, not by its span: a passage on its own can read a longer name
                # at the same place ("Family Unlimited" where all of them read "Unlimited")
                ids = tuple(p.id for p in self.all if f" {f.key} " in self.words(p))
            else:
                ids = tuple(pid for pid, spans in support.items() if f.span in spans)
            if not ids and values_only and f.kind == "number" and f.value is not None:
                # a French noun after the number is unknown to the verifier: compare the value
                ids = tuple(p.id for p in self.all if verify(f.value, [p]).ok)
            bare = f.kind == "duration" and f.value is None
            rate = bare and _is_rate(text, f.span, facts, values_only or promise)
            if rate:
                ids = self._rate_in(scenario, f.key)
            scoped = f.kind in VALUE_KINDS or group in SCENARIO_TERMS
            here = tuple(i for i in ids if i in self.scenario_passages) if scoped else ids
            if not here and group in BENEFITS:
                here = self._reread(text, f, scenario)
            compound = _COMPOUND.match(text, f.span[0]) if f.kind in ("number", "duration") \
                and f.value is not None else None
            if compound and compound.group(2).lower() in STOPWORDS["en"]:
                compound = None  # "a 5-day or ...": no noun after it
            if here:
                status, ids = CORRECT, ids or here  # re-read: the passages that say it then
            elif rate:  # "once a month", "12.50 dollars per week": a policy of its own
                status = WRONG
            elif (f.span in case and not (bare and promise)  # "the same day" is no timing
                  or f.span in case_loose and not promise):  # "after 5 full months"
                status = CASE
            elif (f.span in echoed or f.span in echoed_loose) and group not in BENEFITS \
                    and not promise:
                status = ECHO
            elif bare and not promise:
                status = TIME
            elif compound and not (promise if f.kind == "duration" else
                                   _unit(f) in self.counted):
                status = DESCRIBES  # "your 4-digit PIN", "our 24-hour line"
            else:
                status = WRONG
            own: tuple[str, ...] = ()
            if status == WRONG and not ids and f.kind == "term":
                ids = self._promised_in(f)
                own = self._promised_here(f)
            shown = _time_phrase(text, f.span) if bare and status == WRONG else \
                compound.group() if compound else f.text
            out.append((f.span, FactCheck(
                shown, f.kind, status, ids if status == CORRECT else (), f.value,
                _unit(f) if f.value is not None else "",
                elsewhere=ids if status == WRONG else (), differently=own)))
        for span, group, words in terms_fr:
            clause = _clause_of(text, span)
            promise = promises.get(clause, False)
            ids = tuple(p.id for p in scenario if any(
                re.search(rf"\b{re.escape(w)}", fold(p.full_text)) for w in words))
            if group in TIMING:
                ids = self._timing_in(scenario, group, text[clause[0]:clause[1]]) \
                    if promise else ()
                status = CORRECT if ids else TIME if not promise else WRONG
            else:
                status = CORRECT if ids else WRONG
            out.append((span, FactCheck(text[span[0]:span[1]], "term", status,
                                        ids if status == CORRECT else ())))
        out.sort(key=lambda x: x[0])
        checks = [self._states(c) for _, c in out]
        stated = tuple(k for k in dict.fromkeys(r.key for r in self.required)
                       if all(any(r.matches(c) for c in checks) for r in self.required
                              if r.key == k))
        return FactReport(tuple(checks), checked_as, stated, self.scenario_passages)

    def _supports(self, text: str, passage: Passage,
                  english: bool = True) -> tuple[set[tuple[int, int]], set[tuple[int, int]]]:
        """The spans of the answer's facts that `passage` (the caller's details or words)
        supports: as said, and once the answer's comparators are blanked."""
        def spans(t: str) -> set[tuple[int, int]]:
            return {f.span for f in verify(t, [passage], names=self.names,
                                           english=english).facts if f.supported}
        loose = _without_comparators(text)
        return spans(text), spans(loose) if loose != text else set()

    def _reread(self, text: str, fact: Fact, passages: Sequence[Passage]) -> tuple[str, ...]:
        """A promise word the verifier reads too literally, checked again without the words
        that do not change the promise. Used as a noun that names the topic, without saying
        what it is for ("*the refund* goes back to the card you paid with", not "a refund *of
        the fee*"), the words after it up to its first number or the end of its clause: the
        verifier reads "goes" and "paid" as what is refunded. A plain verb before it ("you'll
        *pay* no fee after 12 months"). What the answer says about the promise itself (its
        object, amount, timing right after it, conditions) is still compared."""
        blanked = []
        if _NOUN_BEFORE.search(text[:fact.span[0]]) and not _NOUN_OBJECT.match(text,
                                                                              fact.span[1]):
            end = _clause_of(text, fact.span)[1]
            end = min((_with_comparator(text, f.span[0]) for f in verify(text, []).facts
                       if f.value is not None and fact.span[1] <= f.span[0] < end), default=end)
            blanked.append(text[:fact.span[1]] + " " * (end - fact.span[1]) + text[end:])
        b = _PLAIN_VERB_BEFORE.search(text[:fact.span[0]])
        if b:
            blanked.append(text[:b.start(1)] + " " * (b.end(1) - b.start(1)) + text[b.end(1):])
        return tuple(p.id for p in passages if any(
            f.span == fact.span and f.supported
            for t in blanked for f in verify(t + self.details(p), [p], names=self.names).facts))

    def _states(self, fact: FactCheck) -> FactCheck:
        phrases = tuple(dict.fromkeys(r.phrase for r in self.required if r.matches(fact)))
        if not phrases:
            return fact
        return FactCheck(fact.text, fact.kind, fact.status, fact.passages, fact.value, fact.unit,
                         phrases, fact.elsewhere)

    @staticmethod
    def _french_terms(text: str) -> list[tuple[tuple[int, int], str, tuple[str, ...]]]:
        return [(m.span(), group, words) for pattern, group, words in _FR_TERMS
                for m in pattern.finditer(text)]

    @staticmethod
    def _promises(text: str, facts: Sequence[Fact],
                  terms_fr: Sequence[tuple[tuple[int, int], str, tuple[str, ...]]]
                  ) -> dict[tuple[int, int], bool]:
        """Each clause of the answer, and whether it promises something: a benefit term
        (refund, credit, waive, free...), money back, or a delivery."""
        out: dict[tuple[int, int], bool] = {}
        bounds, start = [], 0
        for m in _CLAUSE.finditer(text):
            bounds.append((start, m.start()))
            start = m.end()
        bounds.append((start, len(text)))
        for a, b in bounds:
            words = text[a:b]
            benefit = any(f.kind == "term" and _group(f) in BENEFITS and a <= f.span[0] < b
                          for f in facts) or any(g in BENEFITS and a <= s[0] < b
                                                 for s, g, _ in terms_fr)
            stems = {stem(w) for w in re.findall(r"[^\W\d_]+", words)}
            back = bool(_BACK.search(words)) and not _NOT_MONEY_BACK.search(words)
            out[(a, b)] = benefit or back or bool(stems & _PROMISE_STEMS)
        return out
