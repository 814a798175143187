"""Event dataclasses: the contract between engine, CLI, UI and store.

Times are seconds on the call clock (0 = start of the call audio). `at` is when the event was
emitted, on the same clock. `to_json()` gives exactly the JSON-lines shape of docs/architecture.md.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from typing import Any

AGENT = "agent"
CUSTOMER = "customer"
MONO = "mono"


@dataclass(frozen=True)
class Caption:
    id: str
    final: bool
    channel: str
    start: float
    end: float
    at: float
    lang: str
    text: str
    # Words of `text` the recognizer was unsure of (a final's words whose least likely token
    # was under copilot.asr.whisper_engine.UNSURE_BELOW); () when none or not measured. Always
    # a subset of the words of `text` outside placeholders: replacing the text (redaction,
    # payment mode) drops the words it no longer has, so this never keeps what was masked.
    unsure: tuple[str, ...] = ()
    # A final shown again with a safer text: redaction learned from a later caption that this
    # one held part of a card number (copilot/privacy/redaction.py). Replaces the final with
    # the same id; it is not new speech.
    amended: bool = False
    type: str = field(default="caption", init=False)

    def __post_init__(self) -> None:
        if self.unsure:
            object.__setattr__(self, "unsure", _still_said(self.unsure, self.text))

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        for k in ("start", "end", "at"):
            d[k] = round(d[k], 3)
        if self.unsure:
            d["unsure"] = list(self.unsure)
        else:
            del d["unsure"]  # the contract's shape when nothing was unsure
        if not self.amended:
            del d["amended"]  # likewise: only an amendment says so
        return {"type": d.pop("type"), **d}

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False)


def _still_said(words: tuple[str, ...], text: str) -> tuple[str, ...]:
    """The words whose letter/digit parts are all in `text` outside "[...]" placeholders."""
    parts = set(re.findall(r"[^\W_]+", re.sub(r"\[[^\[\]]*\]", " ", text)))
    return tuple(w for w in words
                 if (mine := set(re.findall(r"[^\W_]+", w))) and mine <= parts)


@dataclass(frozen=True)
class Notice:
    """Something the operator should know that is not a caption (dropped audio, a fallback)."""

    kind: str
    message: str
    at: float
    type: str = field(default="notice", init=False)

    def to_dict(self) -> dict[str, Any]:
        return {"type": self.type, "kind": self.kind, "message": self.message,
                "at": round(self.at, 3)}

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False)


def _rounded(d: dict[str, Any]) -> dict[str, Any]:
    return {k: (round(v, 3) if k in ("at", "start", "end", "score", "level")
                and isinstance(v, float) else v) for k, v in d.items()}


@dataclass(frozen=True)
class _Json:
    """JSON helpers shared by the assistance events (the shapes of docs/architecture.md's event contracts)."""

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        return {"type": d.pop("type"), **_rounded(d)}

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False)


@dataclass(frozen=True)
class Translation(_Json):
    of: str  # the caption id
    lang: str  # the translation's language
    text: str
    at: float
    engine: str = ""  # ct2 | whisper | llm
    type: str = field(default="translation", init=False)


@dataclass(frozen=True)
class PassageRef:
    id: str
    title: str
    score: float
    # The passage's sentence that answers the question (or its approved line): what the card
    # shows, instead of the passage's first characters.
    answer: str = ""
    # False: a candidate, shown for the agent to pick from; no line rests on it.
    confident: bool = True
    # True: the caller reports a promise ("your website said ..."); the card is the passage to
    # check the claim against, never a line (copilot/knowledge/claims.py).
    claim: bool = False


@dataclass(frozen=True)
class Knowledge(_Json):
    of: str
    passages: tuple[PassageRef, ...]
    at: float
    type: str = field(default="knowledge", init=False)

    def to_dict(self) -> dict[str, Any]:
        return {"type": self.type, "of": self.of,
                "passages": [{"id": p.id, "title": p.title, "score": round(p.score, 3),
                              "answer": p.answer, "confident": p.confident}
                             for p in self.passages], "at": round(self.at, 3)}


@dataclass(frozen=True)
class SuggestionEvent(_Json):
    of: str
    text: str
    sources: tuple[str, ...]
    grounded: bool
    at: float
    origin: str = ""  # approved_line | adapted (+ a passage sentence) | reworded (LLM) | abstain
    rank: int = 1  # 1 = the first line offered
    # The same line in the customer's language, for the agent to read out (an update of the
    # event with the same `of` and `rank`); "" when none.
    translation: str = ""
    translation_lang: str = ""
    pack: str = ""  # the model pack ("id@version") the line came from; "" = none installed
    type: str = field(default="suggestion", init=False)

    def to_dict(self) -> dict[str, Any]:
        d = super().to_dict()
        d["sources"] = list(self.sources)
        return d


@dataclass(frozen=True)
class Summary(_Json):
    version: int
    sections: dict[str, Any]  # reason: str, facts/actions/next: list[str]
    at: float
    type: str = field(default="summary", init=False)


@dataclass(frozen=True)
class Signal(_Json):
    of: str
    kind: str  # frustration | escalation | offer_escalation
    level: float  # 0..1
    words: tuple[str, ...]
    at: float
    type: str = field(default="signal", init=False)

    def to_dict(self) -> dict[str, Any]:
        d = super().to_dict()
        d["words"] = list(self.words)
        return d


@dataclass(frozen=True)
class AfterCallNote(_Json):
    """At hang-up: a draft note the agent edits, and a disposition code from the settings' list."""

    note: str
    disposition: str
    at: float
    edited: bool = False  # the agent changed the AI draft's text or disposition
    saved: bool = False  # the agent saved it (reviewed); False: a draft, AI's or kept on close
    type: str = field(default="after_call", init=False)


@dataclass(frozen=True)
class Ask(_Json):
    """A question the agent typed into the window's search box during a call. The knowledge and
    suggestion events it brought follow it with `of` = this `id` ("ask-3"), so they are told
    apart from the ones a customer caption brought (whose `of` is a caption id, "c12")."""

    id: str
    question: str  # redacted like a caption before it is searched, stored or shown
    at: float
    type: str = field(default="ask", init=False)


@dataclass(frozen=True)
class Handoff(_Json):
    """A note for the agent who takes the call over (a transfer or an escalation), laid out
    from the running summary, the customer signals and the lines the agent used
    (copilot/assist/handoff.py). The window stores each copy or save of it; `copilot replay
    --handoff-at` emits the copilot's draft. The newest event with an `id` is that note."""

    id: str  # "handoff-1"
    destination: str  # one of the settings' [handoff] destinations
    note: str  # the text the agent copies (redacted, the agent's edits included)
    sections: dict[str, Any]  # reason, facts, tried, told, open (lists but reason), signal
    at: float
    summary_version: int = 0  # the summary event the note was made from; 0 = none yet
    action: str = "draft"  # draft (the copilot's, unreviewed) | copied | saved (by the agent)
    edited: bool = False  # the agent changed the text (a new destination alone is no edit)
    type: str = field(default="handoff", init=False)


@dataclass(frozen=True)
class ChecklistEvent(_Json):
    """The live checklist (copilot/assist/checklist/, docs/checklists.md). `kind`: items (the
    checklist of the call, at its start), applies (a conditional item came up), tick / untick,
    order (an item done before the one it comes after), closing (the call nears its end:
    `open` = required items not done), end (every item's state, at hang-up). Keys that do not
    belong to the kind are left out of the JSON."""

    kind: str
    checklist: str  # the checklist's id
    at: float
    item: str = ""  # the item's id
    of: str = ""  # the caption that ticked the item, brought it up or closed the call
    text: str = ""  # that caption's (redacted) text; for `items`, the checklist's title
    words: str = ""  # the part of it that said the item
    by: str = ""  # copilot (recognized in the call) | agent (ticked or unticked by hand)
    score: float | None = None  # the meaning match's cosine, for `copilot` ticks
    after: str = ""  # for `order`: the item that should have been done first
    open: tuple[str, ...] = ()  # for `closing` and `end`: required items not done
    items: tuple[dict[str, Any], ...] = ()  # for `items` and `end`: one object per item
    type: str = field(default="checklist", init=False)

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"type": self.type, "kind": self.kind, "checklist": self.checklist}
        for key in ("item", "of", "text", "words", "by", "score", "after"):
            value = getattr(self, key)
            if value not in ("", None):
                d[key] = round(value, 3) if key == "score" else value
        if self.kind in ("closing", "end"):
            d["open"] = list(self.open)
        if self.kind in ("items", "end"):
            d["items"] = [dict(i) for i in self.items]
        d["at"] = round(self.at, 3)
        return d


AssistEvent = (Translation | Knowledge | SuggestionEvent | Summary | Signal | AfterCallNote
               | Ask | Handoff | ChecklistEvent)

# Everything a session's listeners receive (the CLI's printer, the window's bridge, the store).
Event = Caption | Notice | AssistEvent
