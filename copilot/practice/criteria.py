"""Success criteria and forbidden moves: small rule objects judged on the exchanges so far.

Every rule reads the whole history (it is short) and says where it stands: a criterion is `met`,
`missed`, `pending` (not decided yet) or `n/a` (its situation never came up: the customer never
asked twice); a forbidden move is `violated` or `clear`. The session asks after each answer, so
the trainee hears about a met criterion or a violation at the turn it happened, and again with
`final=True` at the end, when a pending criterion becomes missed.

Phrase lists match whole words, case and accents ignored; a phrase ending in `*` matches words
that start with it ("rembours*"). Offers and requests in a sentence that negates them ("I can't
get a manager", "please don't read out your card number") do not count.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from copilot.assist.signals import find_cues
from copilot.knowledge.query import fold
from copilot.practice.factcheck import FactReport, required_facts
from copilot.practice.feedback import Tone, sentences
from copilot.practice.scenario import CriterionSpec, Scenario, shown_phrases

__all__ = ["Exchange", "Rule", "RuleResult", "asks_for_card", "build_rules", "find_phrase"]

MET, MISSED, PENDING, NA, VIOLATED, CLEAR = "met", "missed", "pending", "n/a", "violated", "clear"

IDENTITY_ASK = ("account number", "pin", "verif*", "confirm your identity", "security question",
                "date of birth", "numero de compte", "code pin", "identite")
ACCOUNT_DETAILS = ("i can see", "i see that", "i've filed", "i have filed", "i'll file",
                   "i will file", "filed a", "refund*", "your bill shows", "your balance",
                   "your account shows", "on your account", "your contract", "termination fee",
                   "late fee", "rembours*", "votre facture", "votre contrat", "frais de retard",
                   "je vois")
ESCALATION_OFFER = ("supervisor", "manager", "escalat*", "team leader", "senior colleague",
                    "superviseur", "responsable", "superieur")
_NEGATORS = {"no", "not", "never", "don't", "dont", "do not", "cannot", "can't", "cant",
             "won't", "without", "n't", "ne", "n'", "pas", "jamais", "sans", "unable"}
_CARD = re.compile(r"\b(?:(?:full |whole |complete |long )?card(?:'s)? (?:number|details|digits|"
                   r"info(?:rmation)?)|credit card|debit card|long number|security code|cvv|cvc"
                   r"|cv2|(?:three|3)[- ]digit code|numero de (?:la |votre )?carte|cryptogramme"
                   r"|code de securite)\b")
_NUMBER = re.compile(r"\b(?:the|your|that|this) (?:rest of the |whole |full |long )?"
                     r"(?:number|digits)\b|\bthe rest\b|\b(?:le|votre) numero\b")
_CARD_TALK = re.compile(r"\bcard\b|\bcarte\b|\[card")
_ASK = re.compile(r"\?|\b(?:give|read|tell|provide|need|have|what's|what is|could|can|may|would|"
                  r"confirm|spell|go ahead|send|type|donner|donnez|lire|lisez|dictez|"
                  r"communiquer|indiquer|indiquez)\b")


@dataclass(frozen=True)
class Exchange:
    """One agent answer and the customer line it answered."""

    n: int  # 1-based answer number
    customer: str
    agent: str  # already redacted
    facts: FactReport
    tone: Tone
    # The answer without what repeats the customer's own words (copilot/practice/echo.py):
    # what earns credit; a forbidden move counts in `agent`, whoever's words it repeats.
    own: str | None = None

    @property
    def credited(self) -> str:
        return self.agent if self.own is None else self.own


@dataclass(frozen=True)
class RuleResult:
    id: str
    label: str
    forbidden: bool
    status: str  # met | missed | pending | n/a ; violated | clear
    turn: int | None = None  # the answer where it was decided
    detail: str = ""

    @property
    def ok(self) -> bool:
        return self.status in (MET, NA, CLEAR)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "label": self.label, "forbidden": self.forbidden,
                "status": self.status, "turn": self.turn, "detail": self.detail}


def _pattern(phrase: str) -> re.Pattern[str]:
    p = fold(phrase.strip())
    tail = r"\w*" if p.endswith("*") else r"(?!\w)"
    return re.compile(r"(?<!\w)" + re.escape(p.rstrip("*")).replace(r"\ ", r"\s+") + tail)


def _negated(folded_sentence: str, at: int) -> bool:
    before = re.findall(r"[\w']+", folded_sentence[:at])[-5:]
    joined = " ".join(before)
    return any(w in _NEGATORS or w.endswith("n't") for w in before) or "do not" in joined \
        or bool(re.search(r"\bn'", folded_sentence[:at]))


def find_phrase(text: str, phrases: Sequence[str], *, negatable: bool = False) -> str | None:
    """The first phrase said in `text` (not in a sentence that negates it, if `negatable`)."""
    for sentence in sentences(fold(text).replace("\u2019", "'")):
        for phrase in phrases:
            for m in _pattern(phrase).finditer(sentence):
                if not (negatable and _negated(sentence, m.start())):
                    return m.group()
    return None


def asks_for_card(text: str, card_context: bool = False) -> str | None:
    """The sentence in which the agent asks for a card number or security code, if any.
    `card_context`: the caller has been talking about a card, so "read me the rest of the
    number" asks for it too."""
    for original in sentences(text):
        sentence = fold(original).replace("\u2019", "'")
        m = _CARD.search(sentence) or (_NUMBER.search(sentence) if card_context else None)
        if m and _ASK.search(sentence) and not _negated(sentence, m.start()):
            return original
    return None


class Rule(ABC):
    """One success criterion or forbidden move; each kind below says how it is judged."""

    def __init__(self, spec: CriterionSpec):
        self.spec = spec

    def result(self, status: str, turn: int | None = None, detail: str = "") -> RuleResult:
        return RuleResult(self.spec.id, self.spec.label, self.spec.forbidden, status, turn, detail)

    @abstractmethod
    def judge(self, history: Sequence[Exchange], final: bool = False) -> RuleResult: ...


class IdentityFirst(Rule):
    def judge(self, history: Sequence[Exchange], final: bool = False) -> RuleResult:
        ask = self.spec.options.get("ask", IDENTITY_ASK)
        details = self.spec.options.get("details", ACCOUNT_DETAILS)
        asked = next((x.n for x in history if find_phrase(x.credited, ask)), None)
        for x in history:
            said = find_phrase(x.agent, details)
            if said and (asked is None or x.n <= asked):
                return self.result(MISSED, x.n, f"account details (\"{said}\") at answer {x.n} "
                                                 "before the caller was verified")
            if asked is not None and x.n >= asked:
                break
        if asked is not None:
            return self.result(MET, asked, f"identity asked at answer {asked}")
        return self.result(MISSED if final else PENDING, None,
                           "the caller's identity was never verified" if final else "")


class States(Rule):
    """The criterion's facts were said, each in some answer. Its `required` facts are given to
    the FactChecker (session.fact_checker), which marks them in each answer's report."""

    def __init__(self, spec: CriterionSpec, kb: Any):
        super().__init__(spec)
        self.required = required_facts(spec.options["facts"], kb.passages[spec.options["passage"]],
                                       where=f"criterion {spec.id!r}")

    def judge(self, history: Sequence[Exchange], final: bool = False) -> RuleResult:
        # The fact-check already judged which required phrases each answer stated
        # (RequiredFact.matches): the feedback on that answer shows the same judgement.
        found: dict[str, int] = {}
        for x in history:
            for r in self.required:
                if r.phrase not in found and r.said_in(x.facts):
                    found[r.phrase] = x.n
        missing = [p for p in dict.fromkeys(r.phrase for r in self.required) if p not in found]
        if not missing:
            return self.result(MET, max(found.values()), "stated " + ", ".join(found))
        if final:
            return self.result(MISSED, None, "never stated: " + ", ".join(missing))
        return self.result(PENDING)


class Says(Rule):
    def judge(self, history: Sequence[Exchange], final: bool = False) -> RuleResult:
        phrases, by = self.spec.options["any"], self.spec.options.get("by_turn")
        for x in history:
            said = find_phrase(x.agent if self.spec.forbidden else x.credited, phrases,
                               negatable=True)
            if said:
                if self.spec.forbidden:
                    return self.result(VIOLATED, x.n, f"said \"{said}\" at answer {x.n}")
                if by is None or x.n <= by:
                    return self.result(MET, x.n, f"said \"{said}\" at answer {x.n}")
            if not self.spec.forbidden and by is not None and x.n >= by:
                return self.result(MISSED, x.n, f"not said by answer {by}")
        if self.spec.forbidden:
            return self.result(CLEAR)
        return self.result(MISSED if final else PENDING, None,
                           "never said: " + shown_phrases(phrases) if final else "")


class EscalationWhenAsked(Rule):
    def judge(self, history: Sequence[Exchange], final: bool = False) -> RuleResult:
        times = self.spec.options.get("times", 2)
        offer = self.spec.options.get("offer", ESCALATION_OFFER)
        asks = 0
        offered_at = None
        for x in history:
            if any(c.request for c in find_cues(x.customer)):
                asks += 1
            if asks and offered_at is None and find_phrase(x.credited, offer, negatable=True):
                offered_at = x.n
            if asks >= times:
                if offered_at is not None:
                    return self.result(MET, offered_at, f"escalation offered at answer "
                                                        f"{offered_at}")
                return self.result(MISSED, x.n, f"the customer asked {times} times and no "
                                                f"escalation was offered (answer {x.n})")
        if final:
            return self.result(NA, None, f"the customer did not ask {times} times")
        return self.result(PENDING)


class ToneCue(Rule):
    def judge(self, history: Sequence[Exchange], final: bool = False) -> RuleResult:
        cue = self.spec.options["cue"]
        for x in history:
            if cue == "plain" and not x.tone.plain:
                return self.result(MISSED, x.n, f"answer {x.n} is not in plain language")
            found = x.tone.apology if cue == "apology" else x.tone.empathy if cue == "empathy" \
                else ()
            if found:
                return self.result(MET, x.n, f"\"{found[0]}\" at answer {x.n}")
        if cue == "plain" and final and history:
            return self.result(MET, history[-1].n, "every answer in plain language")
        return self.result(MISSED if final else PENDING, None, f"no {cue}" if final else "")


class AsksCardNumber(Rule):
    def judge(self, history: Sequence[Exchange], final: bool = False) -> RuleResult:
        card_context = False
        for x in history:
            card_context = card_context or bool(_CARD_TALK.search(fold(x.customer)))
            sentence = asks_for_card(x.agent, card_context)
            if sentence:
                return self.result(VIOLATED, x.n, f"asked for card details at answer {x.n}: "
                                                  f"\"{sentence}\"")
        return self.result(CLEAR)


class UnsupportedPromise(Rule):
    def judge(self, history: Sequence[Exchange], final: bool = False) -> RuleResult:
        wrong = list(dict.fromkeys((x.n, f.text) for x in history for f in x.facts.wrong))
        if wrong:
            return self.result(VIOLATED, wrong[0][0], "not supported as said: " + "; ".join(
                f"\"{t}\" (answer {n})" for n, t in wrong))
        return self.result(CLEAR)


_KINDS: dict[str, type[Rule]] = {
    "identity_first": IdentityFirst, "says": Says, "escalation_when_asked": EscalationWhenAsked,
    "tone": ToneCue, "asks_card_number": AsksCardNumber, "unsupported_promise": UnsupportedPromise,
}


def build_rules(scenario: Scenario, kb: Any) -> list[Rule]:
    """The scenario's criteria, then its forbidden moves, as rule objects."""
    return [States(s, kb) if s.kind == "states" else _KINDS[s.kind](s) for s in scenario.rules]
