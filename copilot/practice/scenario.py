"""Practice scenarios: one TOML file each (resources/scenarios/*.toml), loaded and validated.

A scenario is the simulated customer (persona, opening line, scripted beats, facts revealed only
when asked), the knowledge passages that apply, and what the trainee is judged on: success
criteria and forbidden moves (criteria.py). Everything a small model cannot be trusted with is
scripted here, so every scenario runs to the end with no model at all.

Validation is strict on purpose: an unknown key is a typo that would silently drop a criterion,
so it is an error naming the file and the key. `check_against(kb)` then checks the scenario
against a knowledge base: its passages exist, and every fact a criterion requires is one the
cited passage states (a scenario may not train agents to say what the policy does not).
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from copilot import paths
from copilot.practice.errors import ScenarioError

__all__ = ["CriterionSpec", "Persona", "Reveal", "Scenario", "ScenarioError", "Beat",
           "find_scenario", "list_scenarios", "load_scenario", "scenarios_dir"]

LANGUAGES = ("en", "fr", "es")
# The rule kinds criteria.py implements; forbidden moves use the last three.
CRITERIA_KINDS = ("identity_first", "states", "says", "escalation_when_asked", "tone")
FORBIDDEN_KINDS = ("asks_card_number", "unsupported_promise", "says")


@dataclass(frozen=True)
class Reveal:
    """A fact the customer gives only when the agent's words hit one of `when` (any of them,
    case and accents ignored)."""

    when: tuple[str, ...]
    say: str
    fact: str = ""  # what it reveals, in a few words (the LLM prompt keeps it secret until then)


@dataclass(frozen=True)
class Beat:
    """One scripted customer line. `fixed` lines are said verbatim even with an LLM customer,
    because a criterion depends on them (asking for a manager, reading out a card number)."""

    text: str
    fixed: bool = False


@dataclass(frozen=True)
class Persona:
    name: str
    mood: str
    language: str
    goal: str
    knows: tuple[str, ...]
    opening: str
    closing: str
    script: tuple[Beat, ...]
    reveals: tuple[Reveal, ...]


@dataclass(frozen=True)
class CriterionSpec:
    """A criterion or forbidden move as written in the file; criteria.py builds the rule."""

    id: str
    kind: str
    label: str
    forbidden: bool
    options: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Scenario:
    id: str
    title: str
    summary: str
    passages: tuple[str, ...]
    customer: Persona
    case_facts: tuple[str, ...]  # the caller's own account details: the agent may repeat them
    criteria: tuple[CriterionSpec, ...]
    forbidden: tuple[CriterionSpec, ...]
    path: Path | None = None

    @property
    def language(self) -> str:
        return self.customer.language

    @property
    def rules(self) -> tuple[CriterionSpec, ...]:
        return self.criteria + self.forbidden

    def check_against(self, kb: Any) -> None:
        """Raise ScenarioError unless every passage and every required fact is in `kb`
        (a copilot.knowledge.base.KnowledgeBase)."""
        from copilot.practice.factcheck import required_facts  # verifier: loaded when used

        where = self.path or self.id
        missing = [p for p in self.passages if p not in kb.passages]
        if missing:
            raise ScenarioError(
                f"{where}: passage(s) {', '.join(missing)} are not in the knowledge base "
                f"(it has {', '.join(sorted(kb.passages))})")
        for spec in self.criteria:
            if spec.kind != "states":
                continue
            pid = spec.options["passage"]
            if pid not in kb.passages:
                raise ScenarioError(f"{where}: criterion {spec.id!r} cites passage {pid!r}, "
                                    "which is not in the knowledge base")
            required_facts(spec.options["facts"], kb.passages[pid], where=f"{where}: criterion "
                                                                          f"{spec.id!r}")


def scenarios_dir() -> Path:
    return paths.resources() / "scenarios"


def list_scenarios(folder: Path | None = None) -> list[Scenario]:
    folder = folder or scenarios_dir()
    return [load_scenario(p) for p in sorted(folder.glob("*.toml"))]


def find_scenario(name: str, folder: Path | None = None) -> Scenario:
    """A scenario by file path, or by name (file stem or id) among the bundled ones."""
    p = Path(name).expanduser()
    if p.suffix == ".toml" or p.exists():
        return load_scenario(p)
    folder = folder or scenarios_dir()
    candidate = folder / f"{name}.toml"
    if candidate.is_file():
        return load_scenario(candidate)
    known = list_scenarios(folder)
    for s in known:
        if s.id == name:
            return s
    raise ScenarioError(f"no scenario named {name!r}; available: "
                        f"{', '.join(s.id for s in known) or '(none)'} (or give a .toml path)")


def load_scenario(path: str | Path) -> Scenario:
    path = Path(path)
    if path.is_dir():
        raise ScenarioError(f"{path} is a folder: give a scenario's .toml file, or its name "
                            "(copilot practice --list)")
    if not path.is_file():
        raise ScenarioError(f"scenario file not found: {path}")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise ScenarioError(f"{path} is not valid TOML: {e}") from e
    return parse_scenario(data, path.stem, path)


def parse_scenario(data: Mapping[str, Any], default_id: str = "scenario",
                   path: Path | None = None) -> Scenario:
    r = _Reader(data, str(path or default_id))
    r.only("id", "title", "summary", "passages", "customer", "case", "criteria", "forbidden")
    cust = r.table("customer")
    cust.only("name", "mood", "language", "goal", "knows", "opening", "closing", "script",
              "reveals")
    lang = cust.text("language", "en")
    if lang not in LANGUAGES:
        cust.fail(f"language {lang!r} is not supported (one of {', '.join(LANGUAGES)})")
    beats = []
    for b in cust.tables("script"):
        b.only("text", "fixed")
        beats.append(Beat(b.text("text"), b.flag("fixed")))
    reveals = []
    for v in cust.tables("reveals"):
        v.only("when", "say", "fact")
        reveals.append(Reveal(tuple(v.texts("when", required=True)), v.text("say"),
                              v.text("fact", "")))
    persona = Persona(cust.text("name"), cust.text("mood", "neutral"), lang, cust.text("goal"),
                      tuple(cust.texts("knows")), cust.text("opening"), cust.text("closing"),
                      tuple(beats), tuple(reveals))
    case = r.table("case", required=False)
    case.only("facts")
    passages = tuple(r.texts("passages", required=True))
    criteria = _specs(r, "criteria", CRITERIA_KINDS, forbidden=False)
    forbidden = _specs(r, "forbidden", FORBIDDEN_KINDS, forbidden=True)
    if not criteria:
        r.fail("a scenario needs at least one [[criteria]] entry")
    ids = [s.id for s in criteria + forbidden]
    dup = sorted({i for i in ids if ids.count(i) > 1})
    if dup:
        r.fail(f"duplicate criterion ids: {', '.join(dup)} (give each an `id`)")
    return Scenario(r.text("id", default_id), r.text("title"), r.text("summary", ""), passages,
                    persona, tuple(case.texts("facts")), criteria, forbidden, path)


_OPTIONS = {  # kind -> (allowed option keys, required ones)
    "identity_first": ({"ask", "details"}, set()),
    "states": ({"passage", "facts"}, {"passage", "facts"}),
    "says": ({"any", "by_turn"}, {"any"}),
    "escalation_when_asked": ({"times", "offer"}, set()),
    "tone": ({"cue"}, {"cue"}),
    "asks_card_number": (set(), set()),
    "unsupported_promise": (set(), set()),
}
_TONE_CUES = ("apology", "empathy", "plain")


def _specs(r: _Reader, key: str, kinds: tuple[str, ...], *,
           forbidden: bool) -> tuple[CriterionSpec, ...]:
    out = []
    for t in r.tables(key):
        kind = t.text("kind")
        if kind not in kinds:
            t.fail(f"unknown kind {kind!r} (expected one of {', '.join(kinds)})")
        allowed, required = _OPTIONS[kind]
        t.only("id", "kind", "label", *allowed)
        opts: dict[str, Any] = {}
        for k in sorted(allowed):
            if k not in t.data:
                if k in required:
                    t.fail(f"kind {kind!r} needs `{k}`")
                continue
            if k in ("ask", "details", "any", "facts", "offer"):
                opts[k] = tuple(t.texts(k, required=True))
            elif k in ("by_turn", "times"):
                opts[k] = t.integer(k)
            else:
                opts[k] = t.text(k)
        if kind == "tone" and opts["cue"] not in _TONE_CUES:
            t.fail(f"tone cue {opts['cue']!r} is not one of {', '.join(_TONE_CUES)}")
        cid = t.text("id", kind)
        out.append(CriterionSpec(cid, kind, t.text("label", _default_label(kind, opts)),
                                 forbidden, opts))
    return tuple(out)


def shown_phrases(phrases: Sequence[str]) -> str:
    """Phrases as a trainee reads them: "waive… / remove the fee", not the file's match
    pattern "waive* / remove the fee"."""
    return " / ".join(p[:-1] + "…" if p.endswith("*") else p for p in phrases)


def _default_label(kind: str, opts: Mapping[str, Any]) -> str:
    return {
        "identity_first": "Verifies identity before discussing account details",
        "states": f"States {', '.join(opts.get('facts', ()))} as in {opts.get('passage', '')}",
        "says": f"Says: {shown_phrases(opts.get('any', ()))}",
        "escalation_when_asked": "Offers escalation when the customer asks twice",
        "tone": f"Tone: {opts.get('cue', '')}",
        "asks_card_number": "Never asks for the full card number or security code",
        "unsupported_promise": "Never promises what no passage supports",
    }[kind]


class _Reader:
    """Typed access to one TOML table, with errors that say where."""

    def __init__(self, data: Any, where: str):
        if not isinstance(data, Mapping):
            raise ScenarioError(f"{where}: expected a table, got {type(data).__name__}")
        self.data, self.where = data, where

    def fail(self, msg: str) -> None:
        raise ScenarioError(f"{self.where}: {msg}")

    def only(self, *keys: str) -> None:
        extra = sorted(set(self.data) - set(keys))
        if extra:
            self.fail(f"unknown key(s) {', '.join(extra)} (allowed: {', '.join(keys)})")

    def text(self, key: str, default: str | None = None) -> str:
        v = self.data.get(key, default)
        if v is None:
            self.fail(f"missing `{key}`")
        if not isinstance(v, str) or (not v.strip() and default is None):
            self.fail(f"`{key}` must be a non-empty string")
        return v.strip()

    def texts(self, key: str, required: bool = False) -> list[str]:
        v = self.data.get(key, [])
        if not isinstance(v, list) or not all(isinstance(x, str) and x.strip() for x in v):
            self.fail(f"`{key}` must be a list of non-empty strings")
        if required and not v:
            self.fail(f"`{key}` must list at least one entry")
        return [x.strip() for x in v]

    def flag(self, key: str) -> bool:
        v = self.data.get(key, False)
        if not isinstance(v, bool):
            self.fail(f"`{key}` must be true or false")
        return v

    def integer(self, key: str) -> int:
        v = self.data.get(key)
        if not isinstance(v, int) or isinstance(v, bool) or v < 1:
            self.fail(f"`{key}` must be a whole number of at least 1")
        return int(v)

    def table(self, key: str, required: bool = True) -> _Reader:
        if key not in self.data and not required:
            return _Reader({}, f"{self.where} [{key}]")
        if key not in self.data:
            self.fail(f"missing [{key}] table")
        return _Reader(self.data[key], f"{self.where} [{key}]")

    def tables(self, key: str) -> Iterable[_Reader]:
        v = self.data.get(key, [])
        if not isinstance(v, list):
            self.fail(f"`{key}` must be an array of tables ([[{key}]])")
        return [_Reader(x, f"{self.where} [[{key}]] #{i}") for i, x in enumerate(v, start=1)]
