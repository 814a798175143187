"""How well live checklists tick themselves: precision and recall of the automatic ticks per
kind of item, on recorded calls with known answers (tests/data/calls/checklist/).

Each call is a script rendered with a neural voice (tools/render_calls.py): NAME.flac, its timing
file NAME.json (every turn's start and end) and NAME.expect.json, written with the script and
before the matcher was tuned:

    {"ticks":   {"ITEM": [TURN, ...]},   the turns (1-based, all turns) that say the item
     "maybe":   {"ITEM": [TURN, ...]},   turns where a tick is acceptable but not required
     "applies": {"ITEM": [TURN, ...]},   customer turns that bring a conditional item up
     "order":   ["ITEM", ...],           items whose order must be flagged as violated
     "closing": [TURN, ...]}             turns where the call may be seen to near its end

A folder's agents.json (call name -> name) says what each call's agent would have set as their
own name (`[asr] agent_name`): the name they give in the call, or one they never say ("Morgan")
when they give none, as a desk always has one. The replay uses it unless told not to.

A final caption belongs to the turn of its speaker it overlaps most. An item's first automatic
tick is a true positive when its caption is one of the item's turns; at a "maybe" turn it is
neither right nor wrong (but a required turn before it was missed); anywhere else it is a false
positive, and an expected item that never ticks (or ticks wrongly) is a false negative. The same
rule scores conditions (`applies`), order violations and the first closing notice. Every
checklist item of every call counts: an item a call does not say must stay unticked.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from copilot.events import Caption, ChecklistEvent

__all__ = ["BenchCall", "Outcome", "caption_pairs", "load_calls", "replay", "replay_script",
           "score_call", "table", "turn_of"]

TP, FP, FN, NEUTRAL = "tp", "fp", "fn", "neutral"
ROWS = ("required", "optional", "ordered", "conditional", "all items", "conditions",
        "order flags", "closing")


@dataclass(frozen=True)
class BenchCall:
    name: str
    audio: Path
    turns: tuple[dict[str, Any], ...]  # speaker, start, end, text (the timing file's)
    expect: dict[str, Any]
    agent_name: str = ""  # the agent's own name, as their desk has it (agents.json)


@dataclass(frozen=True)
class Outcome:
    call: str
    row: str  # one of ROWS
    what: str  # the item (or "closing")
    result: str  # tp | fp | fn | neutral, or "" when nothing was expected nor ticked
    turn: int | None = None  # where it ticked (None: it did not)
    detail: str = ""


def load_calls(folder: Path) -> list[BenchCall]:
    out = []
    agents_file = Path(folder) / "agents.json"
    agents = json.loads(agents_file.read_text(encoding="utf-8")) if agents_file.exists() else {}
    for expect in sorted(Path(folder).glob("*.expect.json")):
        name = expect.name.removesuffix(".expect.json")
        timing = json.loads((expect.parent / f"{name}.json").read_text(encoding="utf-8"))
        out.append(BenchCall(name, expect.parent / timing.get("audio", f"{name}.flac"),
                             tuple(timing["turns"]),
                             json.loads(expect.read_text(encoding="utf-8")),
                             str(agents.get(name, ""))))
    return out


def turn_of(caption: Caption, turns: Sequence[dict[str, Any]]) -> int | None:
    """The 1-based turn of the caption's speaker it overlaps most (None: none)."""
    best, best_overlap = None, 0.0
    for n, t in enumerate(turns, 1):
        if caption.channel not in ("mono", t["speaker"]):
            continue
        overlap = min(caption.end, t["end"]) - max(caption.start, t["start"])
        if overlap > best_overlap:
            best, best_overlap = n, overlap
    return best


def _judge(call: str, row: str, what: str, turn: int | None, expected: Sequence[int],
           maybe: Sequence[int] = ()) -> list[Outcome]:
    if turn is None:
        return [Outcome(call, row, what, FN if expected else "", None)]
    if turn in expected:
        return [Outcome(call, row, what, TP, turn)]
    out = [Outcome(call, row, what, NEUTRAL if turn in maybe else FP, turn)]
    if expected:
        out.append(Outcome(call, row, what, FN, turn, "ticked elsewhere first"))
    return out


def score_call(call: BenchCall, events: Iterable[Any], items: dict[str, str]) -> list[Outcome]:
    """The outcomes of one call's events; `items` maps each item id to its kind."""
    captions: dict[str, Caption] = {}
    first_tick: dict[str, str] = {}
    first_applies: dict[str, str] = {}
    flagged: dict[str, str] = {}
    closing: str | None = None
    for e in events:
        if isinstance(e, Caption) and e.final and e.text:
            captions[e.id] = e
        elif isinstance(e, ChecklistEvent):
            if e.kind == "tick" and e.by == "copilot":
                first_tick.setdefault(e.item, e.of)
            elif e.kind == "applies":
                first_applies.setdefault(e.item, e.of)
            elif e.kind == "order":
                flagged.setdefault(e.item, e.of)
            elif e.kind == "closing" and closing is None:
                closing = e.of

    def where(caption_id: str | None) -> int | None:
        cap = captions.get(caption_id or "")
        return turn_of(cap, call.turns) if cap is not None else None

    x = call.expect
    out: list[Outcome] = []
    for item, kind in items.items():
        tick = first_tick.get(item)
        expected, maybe = x.get("ticks", {}).get(item, []), x.get("maybe", {}).get(item, [])
        for row in (kind, "all items"):
            out += _judge(call.name, row, item, where(tick) if tick else None, expected, maybe)
        if kind == "conditional":
            came = first_applies.get(item)
            out += _judge(call.name, "conditions", item, where(came) if came else None,
                          x.get("applies", {}).get(item, []))
    for item in items:
        want = item in x.get("order", [])
        got = item in flagged
        result = TP if want and got else FP if got else FN if want else ""
        out.append(Outcome(call.name, "order flags", item, result, where(flagged.get(item))))
    out += _judge(call.name, "closing", "closing", where(closing) if closing else None,
                  x.get("closing", []))
    return out


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None


def table(outcomes: Iterable[Outcome]) -> dict[str, Counts]:
    rows = {r: Counts() for r in ROWS}
    for o in outcomes:
        c = rows[o.row]
        if o.result == TP:
            c.tp += 1
        elif o.result == FP:
            c.fp += 1
            c.misses.append(f"{o.call} {o.what}: wrong tick at turn {o.turn}")
        elif o.result == FN:
            c.fn += 1
            c.misses.append(f"{o.call} {o.what}: missed"
                            + (f" ({o.detail})" if o.detail else ""))
    return rows


def format_table(rows: dict[str, Counts], title: str) -> list[str]:
    def pct(v: float | None) -> str:
        return "  -  " if v is None else f"{v:.3f}"

    out = [title, f"{'kind':<12} {'TP':>4} {'FP':>4} {'FN':>4}  precision  recall"]
    for name, c in rows.items():
        out.append(f"{name:<12} {c.tp:>4} {c.fp:>4} {c.fn:>4}  {pct(c.precision):>9}  "
                   f"{pct(c.recall):>6}")
    return out


def replay(call: BenchCall, settings: Any, assist: Any, engine: Any, *,
           realtime: bool = False, agent_name: bool = True) -> list[Any]:
    """The call through the live pipeline (not stored; paced like a live call with
    `realtime`): every event, in order. `assist` is AssistBuild.factory, `engine` a loaded
    WhisperEngine (kept open by the caller). `agent_name`: with the call's agent's own name
    set (agents.json), as their desk would have it."""
    from copilot.call.build import build_session
    from copilot.call.request import CallRequest

    if agent_name and call.agent_name:
        settings = copy.deepcopy(settings)
        settings.asr.agent_name = call.agent_name
    events: list[Any] = []
    request = CallRequest(audio=str(call.audio), store=False, realtime=realtime)
    session, _store, _engine = build_session(settings, request, [events.append],
                                             assist=assist, engine=engine)
    session.run()
    return events


def replay_script(call: BenchCall, checklists: Any) -> list[Any]:
    """The call's script instead of its audio: each turn one final caption, as said (no
    recognizer, so no misheard words and no turns cut or merged); `checklists` is
    AssistBuild.checklists. What the readers make of the words alone: a ceiling for the
    audio run, and seconds instead of minutes for a whole corpus."""
    call_lists = checklists.call(call.agent_name)
    events: list[Any] = list(call_lists.start(0.0))
    for n, turn in enumerate(call.turns, 1):
        caption = Caption(id=f"t{n}", final=True, channel=turn["speaker"], start=turn["start"],
                          end=turn["end"], at=turn["end"], lang="en", text=turn["text"])
        events.append(caption)
        events += call_lists.on_caption(caption, turn["end"])
    end = call.turns[-1]["end"] + 1.0 if call.turns else 0.0
    return events + list(call_lists.finish(end))


def trace(call: BenchCall, events: Iterable[Any]) -> list[str]:
    """One line per checklist event that matters, with the turn it came from (for reading a
    run, not for scoring)."""
    turns: dict[str, int | None] = {}
    out = []
    for e in events:
        if isinstance(e, Caption) and e.final and e.text:
            turns[e.id] = turn_of(e, call.turns)
        elif isinstance(e, ChecklistEvent) and e.kind in ("tick", "applies", "order", "closing"):
            what = e.item or ",".join(e.open)
            score = f" {e.score:.2f}" if e.score is not None else ""
            out.append(f"{call.name} turn {turns.get(e.of)}: {e.kind} {what}{score} "
                       f"{e.words!r}")
    return out


def caption_pairs(call: BenchCall, events: Iterable[Any]) -> dict[str, tuple[str, str]]:
    """Per channel, (what the script says, what the final captions say): for the captions'
    word error rate beside the ticks (copilot.bench.wer; the captions are redacted, so a
    number read aloud counts as misheard whatever Whisper wrote)."""
    said: dict[str, list[str]] = {}
    for t in call.turns:
        said.setdefault(t["speaker"], []).append(t["text"])
    heard: dict[str, list[str]] = {}
    for e in events:
        if isinstance(e, Caption) and e.final and e.text:
            heard.setdefault(e.channel, []).append(e.text)
    return {ch: (" ".join(words), " ".join(heard.get(ch, []))) for ch, words in said.items()}
