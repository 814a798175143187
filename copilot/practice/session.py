"""One practice call: the simulated customer speaks, the trainee answers, feedback follows.

A plain-Python object with no threads of its own, so the CLI drives it from a loop and the
app's Practice tab from a worker thread (the LLM, when there is one, runs on its own thread):

    session = PracticeSession(scenario, kb, llm=engine)
    line = session.opening()                  # the customer's first words
    while not line.last:
        result = session.answer(text)         # TurnFeedback + the customer's next line
        line = result.customer
    card = session.finish()                   # Scorecard; PracticeStore().save(card)

Every answer is redacted first (Principle 4 holds in practice too: a card number typed by a
trainee is never stored, shown back, or given to the model). The response time is the time
from the customer's line to the answer on `clock`, unless the caller measured it (`seconds`:
the app knows when the trainee started typing or speaking).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from copilot.knowledge.base import KnowledgeBase, Translator
from copilot.knowledge.typed_language import foreign_language, guess_language
from copilot.practice.criteria import (
    MET,
    MISSED,
    PENDING,
    VIOLATED,
    Exchange,
    Rule,
    States,
    build_rules,
)
from copilot.practice.customer import CustomerOptions, CustomerTurn, SimulatedCustomer
from copilot.practice.echo import echoed, without
from copilot.practice.factcheck import FactChecker
from copilot.practice.feedback import ToneOptions, tone_of
from copilot.practice.scenario import Scenario
from copilot.practice.scorecard import Scorecard, TurnFeedback, TurnResult
from copilot.privacy.redaction import CARD_ENDING, Redactor
from copilot.text.languages import language_name

__all__ = ["PracticeError", "PracticeOptions", "PracticeSession", "answer_language",
           "fact_checker"]


def fact_checker(scenario: Scenario, kb: KnowledgeBase, rules: Sequence[Rule] | None = None,
                 translator: Translator | None = None) -> FactChecker:
    """The fact-check of a practice call in `scenario`, given the facts its criteria require
    (so each answer's report says which it stated: the feedback and the scorecard read that
    one judgement). The evaluator (factcheck_eval) builds it the same way."""
    rules = build_rules(scenario, kb) if rules is None else rules
    required = [r for rule in rules if isinstance(rule, States) for r in rule.required]
    return FactChecker(kb, scenario.passages, [*scenario.case_facts, scenario.customer.name],
                       translator=translator, required=required, lang=scenario.language)


def answer_language(text: str, kb: KnowledgeBase, scenario: Scenario) -> str:
    """The language an answer is checked in: the knowledge base's or the scenario's."""
    langs = tuple(dict.fromkeys((kb.lang, scenario.language)))
    if len(langs) == 1:
        return kb.lang
    return guess_language(text, langs) or kb.lang


class PracticeError(Exception):
    """The session cannot do what was asked (answer before the opening, after the end...)."""


@dataclass(frozen=True)
class PracticeOptions:
    tone: ToneOptions = field(default_factory=ToneOptions)
    customer: CustomerOptions = field(default_factory=CustomerOptions)
    timed: bool = True  # False: no response time unless given (scripted answers)


class PracticeSession:
    def __init__(self, scenario: Scenario, kb: KnowledgeBase, llm: Any = None, *,
                 clock: Callable[[], float] = time.monotonic,
                 options: PracticeOptions | None = None,
                 translator: Translator | None = None, redactor: Redactor | None = None,
                 guard: Any = None, now: Callable[[], datetime] = lambda: datetime.now(UTC)):
        """`llm`: a copilot.llm.engine.LlmEngine voicing the customer (None: the script alone).
        `guard`: a guard.PracticeGuard whose check() stops practice when a live call starts.
        `translator`: checks answers in another language than the knowledge base's fully
        (otherwise only their numbers and units are checked)."""
        scenario.check_against(kb)
        self.scenario, self.kb = scenario, kb
        self.options = options or PracticeOptions()
        self.customer = SimulatedCustomer(scenario, llm, self.options.customer)
        self.rules = build_rules(scenario, kb)
        self.checker = fact_checker(scenario, kb, self.rules, translator)
        self._redactor = redactor or Redactor()
        self._clock, self._now, self._guard = clock, now, guard
        self._started = now()
        self._customer_turns: list[CustomerTurn] = []
        self._exchanges: list[Exchange] = []
        self._answers: list[TurnFeedback] = []
        self._status = {r.spec.id: PENDING for r in self.rules}
        self._asked_at: float | None = None
        self._card: Scorecard | None = None

    @property
    def done(self) -> bool:
        """The customer has said the closing line (or finish() was called)."""
        return self._card is not None or self.customer.done

    @property
    def answers(self) -> list[TurnFeedback]:
        return list(self._answers)

    @property
    def customer_turns(self) -> list[CustomerTurn]:
        return list(self._customer_turns)

    def opening(self) -> CustomerTurn:
        """The customer's first line (the same object when asked again)."""
        self._check_guard()
        if not self._customer_turns:
            self._show(self.customer.opening())
        return self._customer_turns[0]

    def answer(self, text: str, *, seconds: float | None = None) -> TurnResult:
        """Judge one answer (typed, or transcribed from speech) and get the customer's reply."""
        self._check_guard()
        if not self._customer_turns:
            raise PracticeError("the customer has not spoken yet: call opening() first")
        if self.done:
            raise PracticeError("this practice call is over: call finish() for the scorecard")
        if not text or not text.strip():
            raise PracticeError("the answer is empty")
        if seconds is None and self.options.timed and self._asked_at is not None:
            seconds = max(0.0, self._clock() - self._asked_at)
        safe = self.masked(text)
        lang = answer_language(safe, self.kb, self.scenario)
        # An answer in a language the caller does not speak is said so, its words not checked
        # one by one against passages it cannot match ("Gebühr": "not in any passage").
        foreign = foreign_language(safe, (self.kb.lang, self.scenario.language))
        n = len(self._exchanges) + 1
        heard = [t.text for t in self._customer_turns]
        # What repeats the customer is theirs: judged on the rest (copilot/practice/echo.py).
        repeated = echoed(safe, heard)
        own = without(safe, repeated)
        # The last four digits a card mask keeps are no policy fact ("6467" was flagged as
        # "not in any passage"); blanked, same length, for the fact-check only.
        facts = self.checker.check(
            "." if foreign else CARD_ENDING.sub(_blank_digits, own) or ".", lang, heard=heard)
        tone = tone_of(safe, self.options.tone)
        exchange = Exchange(n, self._customer_turns[-1].text, safe, facts, tone, own=own)
        self._exchanges.append(exchange)
        changes = []
        for rule in self.rules:
            result = rule.judge(self._exchanges)
            if result.status != self._status[rule.spec.id] and result.status in (MET, MISSED,
                                                                                 VIOLATED):
                changes.append(result)
            self._status[rule.spec.id] = result.status
        slow = seconds is not None and seconds > self.options.tone.slow_seconds
        notes = [f"not counted: it repeats the customer's words (\"{r}\")" for r in repeated]
        if foreign:
            notes.append(_foreign_note(foreign, self.kb.lang, self.scenario.language))
        if CARD_ENDING.search(safe):
            notes.append("a card number in your answer: never read a customer's card details "
                         "back (it is masked here and in what is kept)")
        notes += self._notes(facts, tone, changes, seconds, slow, checked=not foreign)
        feedback = TurnFeedback(n, exchange.customer, safe, lang, seconds, slow, facts, tone,
                                tuple(changes), tuple(notes))
        self._answers.append(feedback)
        reply = self._show(self.customer.reply(safe))
        return TurnResult(feedback, reply)

    def masked(self, text: str) -> str:
        """An answer as it is judged, kept and shown: redacted with the site's rules. A typed
        or spoken answer is complete: the final rules, not the ones that hide a partial
        caption's digits in case a card follows ("back on your card within 5 days")."""
        return self._redactor.redact(text.strip(), final=True).text

    def finish(self) -> Scorecard:
        """The scorecard (pending criteria become missed). May be called before the end: the
        scorecard then says `completed=False`."""
        if self._card is None:
            results = tuple(r.judge(self._exchanges, final=True) for r in self.rules)
            self._card = Scorecard(
                self.scenario.id, self.scenario.title, self._started.isoformat(
                    timespec="seconds"), self._now().isoformat(timespec="seconds"),
                self.customer.done, tuple(self._customer_turns), tuple(self._answers), results)
        return self._card

    # -- helpers ---------------------------------------------------------------------------
    def _show(self, turn: CustomerTurn) -> CustomerTurn:
        # The scripted caller may read out a card number: shown masked, as a live caption is.
        safe = self._redactor.redact(turn.text, final=True).text
        if safe != turn.text:
            turn = CustomerTurn(safe, turn.source, turn.lang, turn.last, turn.rejected)
        self._customer_turns.append(turn)
        self._asked_at = self._clock()
        return turn

    def _check_guard(self) -> None:
        if self._guard is not None:
            self._guard.check()

    def _notes(self, facts: Any, tone: Any, changes: list, seconds: float | None,
               slow: bool, *, checked: bool = True) -> list[str]:
        out = [f"{'met' if c.status == MET else c.status}: {c.label}"
               + (f" ({c.detail})" if c.detail else "") for c in changes]
        # the facts a trainee is shown (FactReport.correct: values and names; terms such as
        # "fee" and units without a number are in to_dict(), for --json, only)
        out += [f"policy fact: \"{f.text}\" ({', '.join(facts.where(f))})" for f in facts.correct]
        out += list(dict.fromkeys(_wrong_note(f) for f in facts.wrong))  # each said once
        if facts.limited_to and checked:
            out.append(f"facts checked as {facts.checked_as}: {facts.limited_to}")
        out += tone.notes(self.options.tone)
        if seconds is not None:
            out.append(f"response time {seconds:.1f} s" + (" (slow)" if slow else ""))
        return out


def _blank_digits(m: re.Match[str]) -> str:
    return re.sub(r"\d", "x", m.group())


def _wrong_note(f: Any) -> str:
    """What the trainee reads of a fact no passage of the call supports as said."""
    if f.kind == "rule":
        return (f"a rule no passage of this call states: \"{f.text}\" (no passage says "
                f"{', '.join(f.unsaid)})")
    if f.differently:
        return (f"not as this call's passage says it: \"{f.text}\" "
                f"({', '.join(f.differently)} says it with other conditions)")
    if f.elsewhere:
        return (f"not in this call's passages: \"{f.text}\" ({', '.join(f.elsewhere)} "
                f"{'says' if len(f.elsewhere) == 1 else 'say'} it about something else)")
    return f"not in any passage: \"{f.text}\""


def _foreign_note(found: str, base: str, caller: str) -> str:
    """What a trainee is told of an answer in a language neither the caller nor the policies
    use: "this answer is in German: the customer speaks French (answer in French or English)"."""
    ways = " or ".join(language_name(x) for x in dict.fromkeys((caller, base)))
    return (f"this answer is in {language_name(found)}: the customer speaks "
            f"{language_name(caller)} (answer in {ways}); its facts were not checked")
