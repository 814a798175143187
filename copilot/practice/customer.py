"""The simulated customer: the scenario's script, voiced by the local LLM when it behaves.

Each reply is chosen in this order:
1. a fact the agent just asked for (a reveal whose trigger words the agent used), verbatim:
   facts are never left to a model;
2. the next scripted beat. A `fixed` beat is said verbatim (criteria depend on it); another one
   may be reworded by the LLM, held to the persona with a strict prompt. Its line is kept only
   when it passes `check_line`: not empty, not looped or cut short, not too long, not sounding
   like the agent, in the persona's language, not repeating an earlier line, and stating no
   number, amount or duration the persona does not know (no invented policy, no secret told
   before it was asked for). Otherwise the beat's own words are used and the rejected line is
   kept with its reason;
3. once the script is done, the closing line, and the conversation ends.

So every scenario runs the same with no model, with SmolLM2-135M, or with a larger model.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from copilot import logs
from copilot.knowledge.parse import Passage
from copilot.knowledge.query import content_words
from copilot.knowledge.typed_language import guess_language
from copilot.knowledge.verify import stem, verify
from copilot.practice.criteria import find_phrase
from copilot.practice.feedback import sentences, words_of
from copilot.practice.scenario import Beat, Persona, Scenario
from copilot.text.languages import language_name

log = logging.getLogger(__name__)

__all__ = ["CustomerOptions", "CustomerTurn", "RejectedLine", "SimulatedCustomer", "check_line"]

OPENING, REVEAL, SCRIPT, LLM, CLOSING = "opening", "reveal", "script", "llm", "closing"
CUSTOMER_KEY = "practice-customer"
# Lines only the agent would say. A small model asked to play the customer drifts into the
# other role ("How can I help you today?") or writes both sides of the dialogue.
_AGENT_LIKE = re.compile(
    r"\b(?:how (?:can|may) i (?:help|assist)|thank you for calling|is there anything else i can"
    r"|i(?:'ll| will) (?:transfer|file|refund|waive|escalate)|let me (?:check|look) (?:that|your"
    r"|into)|our policy|your account (?:shows|number is)|i can (?:help|offer) you"
    r"|as (?:an|your) agent|customer service representative|comment puis-je vous aider"
    r"|merci d'avoir appel|je vais (?:transf[ée]rer|rembourser)|notre politique"
    r"|(?:help|assist|assure) you|here to help|resolve (?:this|your|the)|your (?:issue|concern|"
    r"request)|i apologi[sz]e for|our (?:secure|app|policy|policies|payment|team|plans?|store|"
    r"website|service|records)|je (?:peux|vais) vous aider|votre demande)\b", re.I)
_SPEAKER = r"^\s*(?:customer|client|caller|cliente|you|me{})\s*:\s*"
_OTHER_SPEAKER = re.compile(r"\b(?:agent|assistant|representative|conseiller|user)\s*:", re.I)
_VALUE_KINDS = ("number", "amount", "duration", "percentage")


@dataclass(frozen=True)
class RejectedLine:
    text: str
    reason: str


@dataclass(frozen=True)
class CustomerTurn:
    text: str
    source: str  # opening | reveal | script | llm | closing
    lang: str
    last: bool = False  # the customer ends the conversation with this line
    rejected: tuple[RejectedLine, ...] = ()

    def to_dict(self) -> dict[str, object]:
        return {"text": self.text, "source": self.source, "lang": self.lang, "last": self.last,
                "rejected": [{"text": r.text, "reason": r.reason} for r in self.rejected]}


@dataclass(frozen=True)
class CustomerOptions:
    max_tokens: int = 60
    temperature: float = 0.0  # greedy: the same agent answers give the same practice call
    timeout: float = 60.0  # seconds to wait for one line before the script takes over
    max_sentences: int = 3
    history_turns: int = 6  # the last exchanges shown to the model


@dataclass
class SimulatedCustomer:
    scenario: Scenario
    llm: Any = None  # a copilot.llm.engine.LlmEngine; None = the script alone
    options: CustomerOptions = field(default_factory=CustomerOptions)

    def __post_init__(self) -> None:
        self._beat = 0
        self._revealed: list[int] = []
        self._said: list[str] = []
        self._history: list[tuple[str, str]] = []  # (speaker, text)
        self.done = False

    @property
    def persona(self) -> Persona:
        return self.scenario.customer

    def opening(self) -> CustomerTurn:
        return self._turn(self.persona.opening, OPENING)

    def reply(self, agent_text: str) -> CustomerTurn:
        """The customer's answer to what the agent said (already redacted)."""
        if self.done:
            raise RuntimeError("the customer has already ended the conversation")
        self._history.append(("Agent", agent_text))
        for i, reveal in enumerate(self.persona.reveals):
            if i not in self._revealed and find_phrase(agent_text, reveal.when):
                self._revealed.append(i)
                return self._turn(reveal.say, REVEAL)
        if self._beat >= len(self.persona.script):
            self.done = True
            return self._turn(self.persona.closing, CLOSING, last=True)
        beat = self.persona.script[self._beat]
        self._beat += 1
        if beat.fixed or self.llm is None:
            return self._turn(beat.text, SCRIPT)
        line, rejected = self._from_llm(beat)
        if line is None:
            return self._turn(beat.text, SCRIPT, rejected=rejected)
        return self._turn(line, LLM)

    # -- the model ------------------------------------------------------------------------
    def messages(self, beat: Beat) -> list[dict[str, str]]:
        p = self.persona
        lang = language_name(p.language)
        known = " ".join(p.knows + tuple(self.persona.reveals[i].say for i in self._revealed))
        system = (
            f"You are {p.name}, a customer phoning your mobile phone company. You are the "
            f"customer, never the agent: you do not offer help and you never state company "
            f"policy, prices, fees or time limits. Mood: {p.mood}. Your goal: {p.goal}. What "
            f"you know: {known} Speak {lang} only. Reply with one or two short sentences, "
            f"your own words only, no names or labels.")
        recent = self._history[-2 * self.options.history_turns:]
        talk = "\n".join(f"{'Agent' if s == 'Agent' else 'You'}: {t}" for s, t in recent)
        return [{"role": "system", "content": system},
                {"role": "user", "content": f"{talk}\n\nSay this to the agent in your own "
                                            f"words, in {lang}: \"{beat.text}\""}]

    def _from_llm(self, beat: Beat) -> tuple[str | None, tuple[RejectedLine, ...]]:
        from copilot.llm.types import GenerationOptions, LlmError

        o = self.options
        try:
            result = self.llm.generate(
                self.messages(beat), GenerationOptions(
                    max_tokens=o.max_tokens, temperature=o.temperature,
                    stop=("\n\n", "Agent:", "AGENT:")), key=CUSTOMER_KEY, timeout=o.timeout)
        except (LlmError, TimeoutError) as e:  # a failed model costs nothing but its line
            log.warning("practice customer: the LLM failed (%s); scripted line used", e)
            return None, (RejectedLine("", f"the model failed: {e}"),)
        if result.cancelled or result.looped or result.finish_reason == "length":
            reason = "looped" if result.looped else "cut short" if not result.cancelled \
                else "cancelled"
            return None, (RejectedLine(result.text.strip(), reason),)
        text = clean_line(result.text, self.persona.name)
        reason = check_line(text, beat.text, self.scenario, self._known_facts(beat), self._said,
                            self.options.max_sentences)
        if reason:
            log.info("practice customer line rejected: %s; %d words", logs.reason_code(reason),
                     logs.words(text))
            logs.content(log, "practice customer line rejected (%s): %r", reason, text)
            return None, (RejectedLine(text, reason),)
        return text, ()

    def _known_facts(self, beat: Beat) -> Passage:
        p = self.persona
        # Not the case facts: they hold details the caller gives only when asked.
        text = "\n".join([p.goal, p.opening, *p.knows, beat.text,
                          *(p.reveals[i].say for i in self._revealed),
                          *(b.text for b in p.script[:self._beat])])
        return Passage("PERSONA", p.name, text, (), "scenario")

    def _turn(self, text: str, source: str, *, last: bool = False,
              rejected: tuple[RejectedLine, ...] = ()) -> CustomerTurn:
        self._said.append(text)
        self._history.append(("Customer", text))
        return CustomerTurn(text, source, self.persona.language, last, rejected)


def clean_line(text: str, name: str = "") -> str:
    """The model's line without the wrapping small models add: a speaker label, quotes, and
    anything after another speaker's label (an invented next turn)."""
    text = text.strip().split("\n")[0]
    names = "".join("|" + re.escape(n) for n in (name, name.split()[0] if name else "") if n)
    text = re.sub(_SPEAKER.format(names), "", text, flags=re.I)
    m = _OTHER_SPEAKER.search(text)
    if m:
        text = text[:m.start()]
    return text.strip().strip('"\u201c\u201d').strip()


def check_line(text: str, beat: str, scenario: Scenario, known: Passage,
               earlier: Sequence[str], max_sentences: int = 3) -> str | None:
    """Why a model's customer line must not be used, or None when it may."""
    if not words_of(text):
        return "empty"
    if len(sentences(text)) > max_sentences or len(text) > 2 * len(beat) + 160:
        return "too long"
    if _AGENT_LIKE.search(text):
        return "sounds like the agent"
    lang = guess_language(text)
    if lang is not None and lang != scenario.language:
        return f"not in the persona's language ({lang}, expected {scenario.language})"
    if scenario.language != "en" and lang is None and len(words_of(text)) > 4:
        return f"not recognisably in the persona's language ({scenario.language})"
    if not _keeps_beat(text, beat, scenario.language):
        return "drifts from the scripted line"
    mine = set(w.lower() for w in words_of(text))
    for line in earlier:
        theirs = set(w.lower() for w in words_of(line))
        if mine and len(mine & theirs) / len(mine | theirs) >= 0.8:
            return "repeats an earlier line"
    if scenario.language == "en":  # the verifier reads English numbers and units only
        invented = [f.text for f in verify(text, [known]).unsupported if f.kind in _VALUE_KINDS]
    else:
        digits = set(re.findall(r"\d+(?:[.,]\d+)?", known.full_text))
        invented = [d for d in re.findall(r"\d+(?:[.,]\d+)?", text) if d not in digits]
    if invented:
        return "states what the persona does not know: " + ", ".join(invented)
    if beat.rstrip().endswith("?") and "?" not in text:
        # The question the trainee must answer is the turn's point: a rewording that keeps
        # its words but not the question ("I'm so sorry, I can't believe you've charged me
        # twice" for "When exactly do I get my money back?", seen in the walk-through) leaves
        # the trainee nothing to answer.
        return "drops the scripted question"
    return None


def _keeps_beat(text: str, beat: str, lang: str) -> bool:
    """A rewording keeps at least two of the scripted line's content words (all of them when
    it has fewer): small models otherwise answer something else entirely, or repeat the
    opening."""
    wanted = {stem(w) for w in content_words(beat, lang)}
    got = {stem(w) for w in content_words(text, lang)}
    return len(wanted & got) >= min(2, len(wanted))
