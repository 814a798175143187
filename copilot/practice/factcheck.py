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
- tally: a count of what the answer itself lists, when the call says as many ("two ways to
  pay: the app or the secure line", "the tablet and the phone make 2 devices"): not a value the
  trainee promises; each item is checked as the rest of the answer (copilot/practice/counts.py).
  What is left of a limit ("2 lines, so room for 3 more") is arithmetic (arithmetic.py);
- wrong: nothing supports it. That is the "promised what no policy allows" of the issue.

The quantifiers "all" and "any" set a rule's scope, read as the passages read them ("all our
plans" is correct where a passage says "every Northwind plan"), unless counts.scope_free says
they set none.

Besides the verifier's facts, a clause that states a rule, channel or requirement in words none
of the call's passages nor the caller uses is a fact of kind "rule", always wrong
(copilot/practice/invented_rules.py: "you'll need to register the card in a store first"), and
so are an item added to a passage's list ("your account number, your PIN and your date of
birth": listed_items.py) and a step put before the one a passage makes it wait for (step_order).

A promise word used as a noun that names the topic ("*the refund* goes back to the card you
paid with") is correct where a passage of the scenario makes that promise (same polarity): what
the answer says about it (how much, how soon) is checked as facts of their own. "A refund *of
the fee*" says what it is for, and is compared as the verifier compares it. A wrong promise
word names the passages that make that promise about something else (BILL-01, BILL-08 for
"refund"), not "no passage".

What each status means is decided here, one fact at a time (FactChecker._judge). The statuses
and the report are in fact_report, with the required facts of a criterion:
`RequiredFact.matches` judges them, once, for the per-answer feedback and the scorecard alike.
What the call's passages say (their promise groups, words, detail numbers, schedules, counts) is
computed once per call by call_passages, which FactChecker extends. What the customer stated
(what an echo may repeat) is read by customer_statements; where a fact stands in the answer (its
clause, whether that clause promises, time phrases and rates, compounds) by answer_clauses.

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
from collections.abc import Sequence
from dataclasses import dataclass, replace

from copilot.knowledge.parse import Passage
from copilot.knowledge.query import STOPWORDS, fold
from copilot.knowledge.verify import BENEFITS, Fact, verify
from copilot.practice import counts
from copilot.practice.answer_clauses import (
    _COMPOUND,
    _NOUN_AMOUNT,
    _NOUN_BEFORE,
    _NOUN_OBJECT,
    _PLAIN_VERB_BEFORE,
    QUANTIFIERS,
    _clause_of,
    _group,
    _is_rate,
    _promises,
    _same_range,
    _time_phrase,
    _with_comparator,
    rate_in,
    timing_in,
)
from copilot.practice.answer_shorthand import currency_sign, with_units
from copilot.practice.answer_text import (
    _english_values,
    _identifiers,
    _joined_money,
    _mask,
    _unit,
    _without_comparators,
    french_terms,
)
from copilot.practice.arithmetic import counts_other_things, with_worked_steps
from copilot.practice.call_passages import CallPassages
from copilot.practice.counts import Vocabulary, scope_free, tallies
from copilot.practice.customer_statements import statements
from copilot.practice.derived_values import with_derived_values
from copilot.practice.fact_report import (
    CASE,
    CORRECT,
    DESCRIBES,
    ECHO,
    TALLY,
    TIME,
    VALUE_KINDS,
    WRONG,
    FactCheck,
    FactReport,
    RequiredFact,
    required_facts,
)
from copilot.practice.french_rules import french_rules
from copilot.practice.invented_rules import invented_rules
from copilot.practice.listed_items import added_items
from copilot.practice.restated import ABSOLUTES, all_restated, no_promise, restated_in
from copilot.practice.step_order import order_reversed

__all__ = ["FactCheck", "FactChecker", "FactReport", "RequiredFact", "required_facts",
           "statements"]

# Verifier term groups that give the caller something (copilot.knowledge.verify.BENEFITS):
# never an echo, and what makes a time phrase next to them a policy promise.
TIMING = frozenset({"immediately", "today", "tomorrow"})
# Term groups that must be stated by the scenario's own passages (values too): the promises,
# their timing, and the absolutes that widen a rule ("always", "every", "only").
SCENARIO_TERMS = BENEFITS | TIMING | frozenset({"automatic", "always", "never", "all", "every",
                                                "any", "only", "once", "twice"})


@dataclass(frozen=True)
class _Answer:
    """One answer as FactChecker.check reads it: its English text and facts, and what may
    support them (spans of the text)."""
    text: str
    facts: list[Fact]
    checked_as: str
    values_only: bool
    english: bool
    said: str  # what the customer stated so far
    heard_p: Passage  # the same, as a passage to verify against
    support: dict[str, set[tuple[int, int]]]  # passage id -> spans it supports
    case: set[tuple[int, int]]
    case_loose: set[tuple[int, int]]
    echoed: set[tuple[int, int]]
    echoed_loose: set[tuple[int, int]]
    terms_fr: list[tuple[tuple[int, int], str, tuple[str, ...]]]
    promises: dict[tuple[int, int], bool]  # clause -> does it promise something
    scenario: list[Passage]
    vocabulary: Vocabulary
    tallied: set[tuple[int, int]]
    labelled: set[tuple[int, int]]


class FactChecker(CallPassages):
    """Checks answers against one knowledge base for one scenario (the passages' side:
    call_passages)."""

    def check(self, text: str, lang: str = "en", heard: Sequence[str] = ()) -> FactReport:
        """The facts of one answer in `lang`; `heard`: what the customer said so far in the
        conversation, the line this answer replies to included."""
        a = self._read(text, lang, heard)
        text = a.text
        out = [(f.span, c) for f in a.facts if (c := self._judge(f, a)) is not None]
        out += self._french_checks(text, a.terms_fr, a.promises, a.scenario)
        out = with_derived_values(  # worked out from the call's figures, in words
            text, a.facts, out, self.schedules, [self.case.full_text, a.said],
            lambda s: any(v and x < s[1] and s[0] < y for (x, y), v in a.promises.items()))
        out = with_worked_steps(text, a.facts, out)
        if a.english:
            out += self._rules(text, a.said, a.scenario, out)
        elif lang == "fr":  # read without a translator (copilot/practice/french_rules.py)
            out += [(r.span, FactCheck(r.text, "rule", WRONG, (), unsaid=r.unsaid))
                    for r in french_rules(text, self._said_here, [*self._said_here, a.said])]
        out.sort(key=lambda x: x[0])
        checks = [self._states(c) for _, c in out]
        stated = tuple(k for k in dict.fromkeys(r.key for r in self.required)
                       if all(any(r.matches(c) for c in checks) for r in self.required
                              if r.key == k))
        return FactReport(tuple(checks), a.checked_as, stated, self.scenario_passages)

    def _read(self, text: str, lang: str, heard: Sequence[str]) -> _Answer:
        """The answer in English, its facts, and everything that may support them."""
        text = _mask(text)
        values_only = False
        checked_as = "en"
        if lang != "en":
            if self.translator is not None:
                text, checked_as = self.translator.translate(text, lang, "en"), "translated"
            else:
                text, checked_as, values_only = _english_values(text), f"values only ({lang})", True
        sign = currency_sign(text, self.case.full_text)  # the call's currency: "$"
        text = with_units(_joined_money(text, sign), sign)
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
        # the caller's account number or PIN read back, whatever word follows it: "votre compte
        # 6120 4471 est vérifié", "account 7730 1198 and PIN 2580 check out"
        # (answer_text._identifiers)
        case |= _identifiers(facts, self.case)
        echoed |= _identifiers(facts, heard_p) if said else set()
        terms_fr = french_terms(text) if values_only else []
        # what the call names (its passages, the caller's details and statements): a count of
        # the answer's own list of such things is a tally (copilot/practice/counts.py)
        vocabulary = Vocabulary([*self._said_here, said])
        # the caller's own things, asked about or not ("what about my laptop?")
        caller = Vocabulary([self.case.full_text, *heard])
        return _Answer(
            text, facts, checked_as, values_only, english, said, heard_p, support,
            case, case_loose, echoed, echoed_loose, terms_fr, _promises(text, facts, terms_fr),
            [self.kb.passages[p] for p in self.scenario_passages], vocabulary,
            tallies(text, facts, vocabulary, caller) if english else set(),
            counts.labels(text) if english else set())

    def _judge(self, f: Fact, a: _Answer) -> FactCheck | None:
        """One fact's status, or None when it is none ("I can't promise", "a second one")."""
        text = a.text
        group = _group(f) if f.kind == "term" else ""
        clause = _clause_of(text, f.span)
        if no_promise(text, clause, f.span, group):  # "I can't promise (it today)"
            return None
        promise = a.promises.get(clause, False)
        if group in TIMING:
            ids = timing_in(a.scenario, group, text[slice(*clause)]) if promise else ()
            return FactCheck(f.text, f.kind, CORRECT if ids else TIME if not promise else WRONG,
                             ids)
        if f.kind == "term" and group in QUANTIFIERS and \
                scope_free(text, f.span, group, a.vocabulary) or \
                f.kind == "number" and (not promise and counts.definite_one(text, f.span)
                                        or counts.pronoun_one(text, f.span)
                                        or f.span in a.labelled):
            return None
        if f.kind == "term" and group not in BENEFITS:
            return self._judge_term(f, group, promise, a)
        return self._judge_value(f, group, promise, a)

    def _judge_term(self, f: Fact, group: str, promise: bool, a: _Answer) -> FactCheck:
        """A word that is no promise of its own ("fee", "limit", "each", "only"): said where a
        passage uses the same word, judged by its values and promises around it."""
        text = a.text
        pool = a.scenario if group in SCENARIO_TERMS else self.all
        ids = tuple(p.id for p in pool if group in self.groups(p))
        if not ids and group == "all":
            # "all our plans" where a passage says "every Northwind plan"
            ids = tuple(p.id for p in a.scenario if _same_range(text, f.span, p.full_text))
            ids = ids or all_restated(text, f.span, a.scenario)  # "..., that's all"
        elif not ids and group in ABSOLUTES:
            ids = restated_in(text, f.span, group, a.scenario)  # "only applies in..."
        in_case = group in self.groups(self.case)
        in_heard = bool(a.said) and group in self.groups(a.heard_p)
        status = CORRECT if ids else CASE if in_case else ECHO if (
            in_heard and not promise) else WRONG
        return FactCheck(f.text, f.kind, status, ids if status == CORRECT else ())

    def _judge_value(self, f: Fact, group: str, promise: bool, a: _Answer) -> FactCheck:
        """A value, a name or a promise word: stated by a passage (of the scenario, for values
        and promises), the caller's own, an echo, a bare time, a description, a tally, or
        wrong."""
        text = a.text
        if f.kind == "name":
            # by its words, not by its span: a passage on its own can read a longer name
            # at the same place ("Family Unlimited" where all of them read "Unlimited")
            ids = tuple(p.id for p in self.all if f" {f.key} " in self.words(p))
        else:
            ids = tuple(pid for pid, spans in a.support.items() if f.span in spans)
        if not ids and a.values_only and f.kind == "number" and f.value is not None:
            # a French noun after the number is unknown to the verifier: compare the value
            ids = tuple(p.id for p in self.all if verify(f.value, [p]).ok)
        bare = f.kind == "duration" and f.value is None
        rate = bare and _is_rate(text, f.span, a.facts, a.values_only or promise)
        if rate:
            ids = rate_in(a.scenario, f.key)
        scoped = f.kind in VALUE_KINDS or group in SCENARIO_TERMS
        here = tuple(i for i in ids if i in self.scenario_passages) if scoped else ids
        if not here and group in BENEFITS:
            here = self._reread(text, f, a.scenario)
        compound = _COMPOUND.match(text, f.span[0]) if f.kind in ("number", "duration") \
            and f.value is not None else None
        if compound and compound.group(2).lower() in STOPWORDS["en"]:
            compound = None  # "a 5-day or ...": no noun after it
        if here:
            status, ids = CORRECT, ids or here  # re-read: the passages that say it then
        elif rate:  # "once a month", "12.50 dollars per week": a policy of its own
            status = WRONG
        elif (f.span in a.case and not (bare and promise)  # "the same day" is no timing
              and not counts_other_things(text, f, self.case.full_text)
              or f.span in a.case_loose and not promise):  # "after 5 full months"
            status = CASE
        elif (f.span in a.echoed or f.span in a.echoed_loose) and group not in BENEFITS \
                and not promise:
            status = ECHO
        elif bare and not promise:
            status = TIME
        elif compound and not (promise if f.kind == "duration" else
                               _unit(f) in self.counted):
            status = DESCRIBES  # "your 4-digit PIN", "our 24-hour line"
        elif f.span in a.tallied:
            status = TALLY  # "two ways to pay: the app or the secure line"
        else:
            status = WRONG
        own: tuple[str, ...] = ()
        if status == WRONG and f.kind == "term":
            # Named with the call's own passage that makes the promise on other terms, also
            # when another passage supports it as said: "no fee at all if you cancel this
            # month" is CAN-01's "no fee" after 12 months, not BILL-06's (the walk-through read
            # "BILL-06, ROAM-01 say it about something else" of a cancellation call).
            ids = ids or self.promised_in(f)
            own = self.promised_here(f)
        shown = _time_phrase(text, f.span) if bare and status == WRONG else \
            compound.group() if compound else \
            _with_negator(text, f.span) if status == WRONG and f.kind == "term" else f.text
        return FactCheck(shown, f.kind, status, ids if status == CORRECT else (), f.value,
                         _unit(f) if f.value is not None else "",
                         elsewhere=ids if status == WRONG else (), differently=own)

    def _french_checks(self, text: str,
                       terms_fr: list[tuple[tuple[int, int], str, tuple[str, ...]]],
                       promises: dict[tuple[int, int], bool], scenario: Sequence[Passage],
                       ) -> list[tuple[tuple[int, int], FactCheck]]:
        """The French promise words of an answer checked for its values only: stated by a
        passage of the call, or wrong; a time word as in English (TIME unless it promises)."""
        out = []
        for span, group, words in terms_fr:
            clause = _clause_of(text, span)
            promise = promises.get(clause, False)
            ids = tuple(p.id for p in scenario if any(
                re.search(rf"\b{re.escape(w)}", fold(p.full_text)) for w in words))
            if group in TIMING:
                ids = timing_in(scenario, group, text[clause[0]:clause[1]]) \
                    if promise else ()
                status = CORRECT if ids else TIME if not promise else WRONG
            else:
                status = CORRECT if ids else WRONG
            out.append((span, FactCheck(text[span[0]:span[1]], "term", status,
                                        ids if status == CORRECT else ())))
        return out

    def _rules(self, text: str, said: str, scenario: Sequence[Passage],
               found: Sequence[tuple[tuple[int, int], FactCheck]],
               ) -> list[tuple[tuple[int, int], FactCheck]]:
        """The facts of kind "rule" of an English answer, always wrong (module docstring)."""
        # An item added to a list a passage of the call gives (listed_items.py): the narrowest
        # report, so a cue's whole clause around it ("I'll need your account number, your PIN
        # and your date of birth") is not reported as well.
        added = [(a.span, FactCheck(a.text, "rule", WRONG, (), unsaid=a.unsaid))
                 for a in added_items(text, self._said_here[:-1])]

        def holds_added(span: tuple[int, int]) -> bool:
            return any(span[0] <= a[0] and a[1] <= span[1] for a, _ in added)

        # A rule, channel or requirement in words none of the call's passages nor the
        # caller uses (copilot/practice/invented_rules.py).
        out = [(r.span, FactCheck(r.text, "rule", WRONG, (), unsaid=r.unsaid))
               for r in invented_rules(text, [*self._said_here, said]) if not holds_added(r.span)]
        # A step put before the one a passage makes it wait for (step_order.py).
        out += [(r.span, FactCheck(r.text, "rule", WRONG, (r.passage,)))
                for r in order_reversed(text, scenario)]
        # The added items, unless a rule found before these (step order, or a fact's own check)
        # already holds one.
        ruled = [s for s, c in (*found, *out) if c.kind == "rule"]
        out += [(s, c) for s, c in added
                if not any(r[0] <= s[0] and s[1] <= r[1] for r in ruled)]
        return out

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
        object, amount, timing right after it, conditions) is still compared: said with its
        amount ("ur refund *of 49 bucks* lands back on..."), the amount is a fact of its own,
        blanked here with the rest of the clause."""
        blanked = []
        noun = _NOUN_BEFORE.search(text[:fact.span[0]])
        if noun and _NOUN_AMOUNT.match(text, fact.span[1]):
            end = _clause_of(text, fact.span)[1]
            blanked.append(text[:fact.span[1]] + " " * (end - fact.span[1]) + text[end:])
        elif noun and not _NOUN_OBJECT.match(text, fact.span[1]):
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
        return replace(fact, states=phrases)


# A word that negates the promise word after it ("no fee", "not charged", "without a fee").
_NEGATOR_BEFORE = re.compile(r"\b(?:no|not|never|without|zero)\s+(?:(?:a|an|any|the)\s+)?$",
                             re.I)


def _with_negator(text: str, span: tuple[int, int]) -> str:
    """A wrong promise word as the trainee reads it back: with the word that negates it ("no
    fee", not "fee", which the answer never promised)."""
    m = _NEGATOR_BEFORE.search(text, max(0, span[0] - 16), span[0])
    return text[m.start() if m else span[0]:span[1]]

