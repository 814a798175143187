"""One call's checklists: final captions in, `checklist` events out (copilot/events.py).

`Checklists` holds what lasts across calls (the checklist files with their examples embedded);
`CallChecklists` follows one call: an item ticks itself the first time the agent's final caption
says it (match.py; an item that `needs` several parts, "account number and PIN", once the agent
has said every part, in this caption or earlier ones), a conditional item starts to apply when
its trigger is said (by the customer, unless the file says otherwise), an item done before the
item it comes `after` is flagged when it happens, and when the call nears its end (a farewell, or
an item marked `closing` such as "anything else I can help with") the required items still open
are reported, and again at hang-up. The agent may tick or untick any item by hand; that is
recorded as `by: agent`.

A mono call's captions are not told apart by speaker: they may tick items and bring conditions
up. Nothing here blocks on anything but the encoder (one batch per caption, milliseconds).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from copilot.assist.checklist.format import ANY, AUTO, CUSTOMER, MANUAL, Checklist, Item
from copilot.assist.checklist.match import (
    HINT,
    Encoder,
    Match,
    PhraseSet,
    negated,
    pieces,
    reports_done,
)
from copilot.assist.checklist.names import known_words, without_names
from copilot.assist.checklist.note import note_section
from copilot.assist.checklist.readers import ANSWERING, PRESUMING, READERS, VETOES
from copilot.assist.checklist.wording import normalise
from copilot.events import AGENT, MONO, Caption, ChecklistEvent
from copilot.text.sentences import sentences

__all__ = ["CallChecklists", "Checklists", "ItemState", "Said"]

log = logging.getLogger(__name__)


class Checklists:
    """The checklists of a site, ready to match: every item's examples (and its passage's
    approved lines, when it names one), conditions and farewells embedded once. Without an
    encoder, items are only ticked by hand (`automatic` is False)."""

    def __init__(self, checklists: Sequence[Checklist], encoder: Encoder | None,
                 approved_lines: Callable[[str], Sequence[str]] | None = None) -> None:
        self.checklists = tuple(checklists)
        self.encoder = encoder
        self.warnings: list[str] = []
        self.keep: frozenset[str] = frozenset()  # names of the site's, not a person's
        self.anchors: tuple[Any, ...] = ()  # every keyword: where a run-on clause is cut
        self._items: dict[tuple[str, str], PhraseSet] = {}
        self._when: dict[tuple[str, str], PhraseSet] = {}
        self._closing: dict[str, PhraseSet] = {}
        if encoder is None:
            if self.checklists:
                self.warnings.append("no sentence encoder: checklist items are not ticked "
                                     "automatically (tick them by hand)")
            return
        self.keep = known_words([t for c in self.checklists for t in _texts(c)])
        for c in self.checklists:
            for item in c.items:
                extra = list(approved_lines(item.passage)) if (item.passage and approved_lines) \
                    else []
                if item.passage and approved_lines and not extra:
                    self.warnings.append(f"checklist {c.id}, item {item.id}: passage "
                                         f"{item.passage} is not in the knowledge base (or has "
                                         "no approved line)")
                self._items[(c.id, item.id)] = PhraseSet(item.phrases, encoder, extra,
                                                         item.needs, self.keep,
                                                         reports_apart=True,
                                                         keyword_floor=item.keyword_floor,
                                                         keyword_always=item.closing)
                if item.when is not None:
                    self._when[(c.id, item.id)] = PhraseSet(item.when.phrases, encoder,
                                                            keep=self.keep)
            if c.closing is not None:
                self._closing[c.id] = PhraseSet(c.closing, encoder, keep=self.keep)
        sets = [*self._items.values(), *self._when.values(), *self._closing.values()]
        self.anchors = tuple(dict.fromkeys(p for ps in sets for p in ps.patterns))

    @property
    def vocabulary(self) -> tuple[str, ...]:
        """Every checklist's `vocabulary`, once each (format.Checklist.vocabulary)."""
        return tuple(dict.fromkeys(w for c in self.checklists for w in c.vocabulary))

    @property
    def automatic(self) -> bool:
        return self.encoder is not None

    def embed(self, units: Sequence[str]) -> Any:
        assert self.encoder is not None
        return self.encoder.embed([without_names(u, self.keep) for u in units])

    def read(self, text: str) -> Said | None:
        """A caption's pieces (match.pieces, cut at every keyword too), embedded in one batch;
        None when it has no words."""
        units, parents = pieces(text, self.anchors)
        return Said(units, parents, self.embed(units)) if units else None

    def says(self, checklist: str, item: str, said: Said, *,
             floor: float | None = None) -> Match | None:
        ps = self._items.get((checklist, item))
        return ps.best(said.units, said.vectors, floor=floor, parents=said.parents) \
            if ps is not None else None

    def pieces(self, checklist: str, item: str, said: Said,
               name: str = "", own_voice: bool = False) -> tuple[list[Match], frozenset[int]]:
        """Every piece that says the item, and the parts of its `needs` they say. `name`: the
        agent's own name, when known; `own_voice`: the agent's channel alone (match.PhraseSet
        .matches)."""
        ps = self._items.get((checklist, item))
        if ps is None:
            return [], frozenset()
        found = ps.matches(said.units, said.vectors, parents=said.parents, name=name,
                           own_voice=own_voice)
        return found, ps.parts_in(found)

    def parts_of(self, checklist: str, item: str, found: Sequence[Match]) -> frozenset[int]:
        ps = self._items.get((checklist, item))
        return ps.parts_in(found) if ps is not None else frozenset()

    def brings_up(self, checklist: str, item: str, said: Said, text: str = "",
                  reader: str = "") -> Match | None:
        """The piece that brings the item up, or the words its `reader` reads in `text` (the
        condition's `unless` words still veto: "I switched to you from Bluewave")."""
        ps = self._when.get((checklist, item))
        if ps is None:
            return None
        m = ps.best(said.units, said.vectors, parents=said.parents)
        veto = VETOES.get(reader)
        if m is not None and veto is not None and veto(m.words):
            m = None  # what the condition's reader knows it is not (readers.VETOES)
        if m is None and reader:
            words = READERS[reader](text)
            if words and not any(w.search(normalise(text)) for w in ps.unless):
                m = Match(words, 0.0, reader=reader)
        return m

    def farewell(self, checklist: str, said: Said) -> Match | None:
        ps = self._closing.get(checklist)
        return ps.best(said.units, said.vectors, parents=said.parents) if ps is not None \
            else None

    def call(self, agent_name: str = "") -> CallChecklists:
        """One call's checklists; `agent_name`: the agent's own name, when the desk knows it
        (`[asr] agent_name`)."""
        return CallChecklists(self, agent_name)


@dataclass(frozen=True)
class Said:
    """One caption as matching sees it: its pieces, the piece each was cut from, and their
    embeddings (rows of unit length)."""

    units: list[str]
    parents: list[int]
    vectors: Any


@dataclass
class ItemState:
    item: Item
    applies: bool
    done: bool = False
    by: str = ""
    of: str = ""
    text: str = ""  # the caption that ticked it
    words: str = ""
    at: float | None = None
    score: float | None = None
    out_of_order: bool = False
    brought_up_by: str = ""  # the caption that made a conditional item apply
    hinted: bool = False  # the agent said something close to it (match.HINT), maybe it
    parts: set[int] = field(default_factory=set)  # of item.needs, said so far
    agent_captions_since: int = -1  # the agent's captions since it was done (-1: not done)

    def as_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"id": self.item.id, "required": self.item.required,
                             "applies": self.applies, "done": self.done}
        if self.done:
            d.update(by=self.by, at=round(self.at or 0.0, 3))
            if self.of:
                d["of"] = self.of
        if self.out_of_order:
            d["out_of_order"] = True
        return d


@dataclass
class _CallList:
    checklist: Checklist
    states: dict[str, ItemState] = field(default_factory=dict)
    closed: bool = False  # the closing event was sent

    def open_required(self) -> list[str]:
        return [s.item.id for s in self.states.values()
                if s.item.required and s.applies and not s.done]


class CallChecklists:
    """The checklists of one call. Every method returns the events to emit, in order."""

    def __init__(self, prepared: Checklists, agent_name: str = "") -> None:
        self.prepared = prepared
        self.agent_name = agent_name.strip()
        self.lists = [_CallList(c, {i.id: ItemState(i, applies=i.when is None) for i in c.items})
                      for c in prepared.checklists]
        # The items others come after: only for them is a near miss worth remembering.
        self._firsts = {c.id: {i.after for i in c.items if i.after} for c in prepared.checklists}
        # Per channel, a caption that stopped at a comma: the speaker paused mid-sentence ("If
        # you stay with us," / "I give $10 off every month ..."), so the readers read it joined
        # to the next one (the examples' meaning match reads each caption as it is).
        self._unfinished: dict[str, str] = {}

    def start(self, now: float) -> list[ChecklistEvent]:
        """The call's checklists, for the window to lay out and the store to keep."""
        return [ChecklistEvent("items", cl.checklist.id, now, text=cl.checklist.title,
                               items=tuple(_describe(i) for i in cl.checklist.items))
                for cl in self.lists]

    def on_caption(self, caption: Caption, now: float, text: str | None = None) -> list[Any]:
        """A final caption (already redacted). `text`: the words to match when they are not
        the caption's own (a customer's caption translated to the base's language)."""
        if not self.prepared.automatic or not caption.final:
            return []
        words = caption.text if text is None else text
        said = self.prepared.read(words)
        if said is None:
            return []
        out: list[Any] = []
        joined = f"{self._unfinished.get(caption.channel, '')} {words}".strip()
        self._unfinished[caption.channel] = words if _UNFINISHED.search(words) else ""
        for cl in self.lists:
            out += self._conditions(cl, caption, said, now, joined)
            if caption.channel == AGENT:
                for state in cl.states.values():
                    if state.done and not _ACKNOWLEDGES.fullmatch(words):
                        state.agent_captions_since += 1
            if caption.channel in (AGENT, MONO):
                out += self._ticks(cl, caption, said, now, joined)
        return out

    def _conditions(self, cl: _CallList, caption: Caption, said: Said, now: float,
                    text: str) -> list[Any]:
        out = []
        for state in cl.states.values():
            cond = state.item.when
            if cond is None or state.applies or not _heard_from(cond.speaker, caption.channel):
                continue
            m = self.prepared.brings_up(cl.checklist.id, state.item.id, said, text, cond.reader)
            if m is None:
                continue
            state.applies, state.brought_up_by = True, caption.id
            log.info("checklist %s: item %s applies (caption %s, score %.2f%s)",
                     cl.checklist.id, state.item.id, caption.id, m.score,
                     f", {m.reader}" if m.reader else "")
            out.append(ChecklistEvent("applies", cl.checklist.id, now, item=state.item.id,
                                      of=caption.id, text=caption.text, words=m.words,
                                      score=None if m.reader else m.score))
        return out

    def _ticks(self, cl: _CallList, caption: Caption, said: Said, now: float,
               text: str) -> list[Any]:
        out: list[Any] = []
        closing = False
        hinted: list[ItemState] = []  # known only after this caption: an item said in the
        for state in cl.states.values():  # same breath as its prerequisite is still flagged
            if state.done:
                continue
            if not state.applies:
                presumed = PRESUMING.get(state.item.reader)
                words = presumed(text) if presumed is not None else None
                if words:  # the offer says the item came up (readers.PRESUMING)
                    log.info("checklist %s: item %s ticked by caption %s (%s, presumes it "
                             "came up)", cl.checklist.id, state.item.id, caption.id,
                             state.item.reader)
                    out += self._tick(cl, state, now, AUTO, caption,
                                      Match(words, 0.0, reader=state.item.reader))
                continue
            found, parts = self.prepared.pieces(cl.checklist.id, state.item.id, said,
                                                self.agent_name, caption.channel == AGENT)
            veto = VETOES.get(state.item.reader)
            if veto is not None:  # what the item's reader knows it is not (readers.VETOES)
                found = [f for f in found if not veto(_sentence_of(text, f.words))]
            m = max(found, key=lambda f: f.score, default=None)
            if m is None and state.item.reader:  # a built-in reader (readers.py)
                words = self._reader(cl, state, caption)(text)
                m = Match(words, 0.0, reader=state.item.reader) if words else None
            if m is not None and state.item.needs:  # a compound item: every part, or no tick
                state.parts |= parts
                # The words shown: the piece that says the most parts (then the closest).
                m = max(found, key=lambda f: (len(self.prepared.parts_of(
                    cl.checklist.id, state.item.id, [f])), f.score))
                if len(state.parts) < len(state.item.needs):
                    log.info("checklist %s: item %s said in part (%d of %d parts) by caption "
                             "%s", cl.checklist.id, state.item.id, len(state.parts),
                             len(state.item.needs), caption.id)
                    if state.item.id in self._firsts[cl.checklist.id]:
                        hinted.append(state)  # it came close: no order flag for what follows
                    continue
            if m is None and state.parts and caption.channel == AGENT:
                m = self._last_part(cl, state, text)
            if m is None:
                if state.item.id in self._firsts[cl.checklist.id] and not state.hinted and \
                        self.prepared.says(cl.checklist.id, state.item.id, said,
                                           floor=HINT) is not None:
                    hinted.append(state)
                continue
            log.info("checklist %s: item %s ticked by caption %s (score %.2f, keyword %s%s)",
                     cl.checklist.id, state.item.id, caption.id, m.score, bool(m.keyword),
                     f", {m.reader}" if m.reader else "")
            out += self._tick(cl, state, now, AUTO, caption, m)
            closing = closing or state.item.closing
        for state in hinted:
            state.hinted = True
        if not cl.closed and (closing or self.prepared.farewell(cl.checklist.id, said)):
            cl.closed = True
            out.append(ChecklistEvent("closing", cl.checklist.id, now, of=caption.id,
                                      open=tuple(cl.open_required())))
        return out

    def _last_part(self, cl: _CallList, state: ItemState, text: str) -> Match | None:
        """The last part of a compound item said alone, in a few words, once the agent has said
        the others ("So what's the account number?" then "Lovely, and the PIN."): the
        recognizer may write it too far in meaning from the examples to match ("and the pen",
        "And the P Ryan.": blind call sets 51, 53, 55 and 56), but said so, it is that part."""
        if len(_WORD.findall(text)) > LAST_PART_WORDS or negated(text) or reports_done(text):
            return None  # ("Not the PIN.", "PIN's reset.")
        said = Match(text.strip(), 0.0)
        rest = self.prepared.parts_of(cl.checklist.id, state.item.id, [said]) - state.parts
        if not rest or len(state.parts | rest) < len(state.item.needs):
            return None
        state.parts |= rest
        return said

    @staticmethod
    def _reader(cl: _CallList, state: ItemState, caption: Caption) -> Callable[[str], Any]:
        """The item's built-in reader; for the agent's first caption after the item it comes
        `after` was done, its reading of what the agent then tells (readers.ANSWERING)."""
        first = cl.states.get(state.item.after) if state.item.after else None
        answering = ANSWERING.get(state.item.reader)
        if answering is not None and first is not None and caption.channel == AGENT and \
                first.agent_captions_since == 1:
            return answering
        return READERS[state.item.reader]

    def _tick(self, cl: _CallList, state: ItemState, now: float, by: str,
              caption: Caption | None = None, m: Match | None = None) -> list[Any]:
        state.done, state.by, state.at = True, by, now
        state.agent_captions_since = 0
        state.of = caption.id if caption is not None else ""
        state.text = caption.text if caption is not None else ""
        state.words = m.words if m is not None else ""
        state.score = m.score if m is not None and not m.reader else None  # a reader: none
        state.applies = True  # ticking a conditional item by hand says it came up
        out: list[Any] = [ChecklistEvent("tick", cl.checklist.id, now, item=state.item.id,
                                         of=state.of, text=state.text, words=state.words,
                                         by=by, score=state.score)]
        first = cl.states.get(state.item.after) if state.item.after else None
        if first is not None and first.applies and not first.done and not first.hinted:
            state.out_of_order = True
            log.info("checklist %s: item %s done before %s", cl.checklist.id, state.item.id,
                     first.item.id)
            out.append(ChecklistEvent("order", cl.checklist.id, now, item=state.item.id,
                                      of=state.of, after=first.item.id))
        return out

    def manual(self, checklist: str, item: str, done: bool, now: float) -> list[Any]:
        """The agent ticked (done) or unticked an item by hand; unknown ids are ignored (the
        window's checklist is the one this call started with)."""
        cl = next((c for c in self.lists if c.checklist.id == checklist), None)
        state = cl.states.get(item) if cl is not None else None
        if cl is None or state is None or state.done == done:
            return []
        if done:
            return self._tick(cl, state, now, MANUAL)
        state.done, state.by, state.of, state.text, state.words = False, "", "", "", ""
        state.at, state.score, state.out_of_order = None, None, False
        state.agent_captions_since = -1
        return [ChecklistEvent("untick", cl.checklist.id, now, item=item, by=MANUAL)]

    def finish(self, now: float) -> list[ChecklistEvent]:
        """At hang-up (the audio ended or the agent pressed Stop): every item's state and the
        required items still open."""
        return [ChecklistEvent("end", cl.checklist.id, now, open=tuple(cl.open_required()),
                               items=tuple(s.as_dict() for s in cl.states.values()))
                for cl in self.lists]

    def states(self) -> list[tuple[Checklist, list[ItemState]]]:
        return [(cl.checklist, list(cl.states.values())) for cl in self.lists]

    def note(self) -> str:
        """The after-call note's checklist section (note.py)."""
        return note_section(self.states())


# A compound item's last part said alone: in at most this many words (_last_part).
LAST_PART_WORDS = 5
_WORD = re.compile(r"[\w'-]+")
_UNFINISHED = re.compile(r",\s*$")
# A caption that only acknowledges ("Lovely, so.", "Thanks.", "Okay, one moment."): the agent has
# not yet said what follows the item just done, so it is not the "first caption" after it
# (readers.ANSWERING; blind call set 48: "Lovely, so." | "Six lines sharing 40 gigs ...").
_ACKNOWLEDGES = re.compile(
    r"(?:\W*\b(?:okay|ok|alright|all right|right|lovely|great|perfect|brilliant|cheers|thanks"
    r"|thank you|got it|sure|yes|yeah|yep|so|um+|uh+|er|hmm+|and|now|one moment|just a moment"
    r"|bear with me|let me (?:see|check|look))\b)*\W*", re.I)


def _texts(c: Checklist) -> list[str]:
    """Every phrase of a checklist, for the names it uses (names.known_words)."""
    phrases = [i.phrases for i in c.items] + [i.when.phrases for i in c.items if i.when] + \
        ([c.closing] if c.closing is not None else [])
    return [c.title, *(i.text for i in c.items),
            *(t for p in phrases for t in (*p.examples, *p.unlike))]


def _heard_from(speaker: str, channel: str) -> bool:
    if speaker == ANY or channel == MONO:
        return True
    return channel == (CUSTOMER if speaker == CUSTOMER else AGENT)


def _describe(item: Item) -> dict[str, Any]:
    d: dict[str, Any] = {"id": item.id, "text": item.text, "required": item.required}
    if item.after:
        d["after"] = item.after
    if item.when is not None:
        d["conditional"] = True
    if item.closing:
        d["closing"] = True
    return d


def _sentence_of(text: str, words: str) -> str:
    """The sentence of `text` the examples' matched piece `words` is part of, for a reader's
    veto: "your plan is eighteen dollars" says nothing of the account alone, its sentence
    "Okay, your plan is eighteen dollars, last month you used forty minutes." does (blind call
    set 50). Another sentence of the caption may still offer something ("You can have a loyalty
    discount. Your plan is eighteen dollars."). The piece itself when no sentence holds it."""
    low = words.lower().strip(" .,!?")
    return next((s for s in sentences(text) if low and low in s.lower()), words)
