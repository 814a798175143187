"""Checklist files: one TOML file per checklist, read and validated (docs/checklists.md).

    id = "northwind-support"          title = "Northwind support call"
    vocabulary = ["Northwind Mobile", "PIN"]   words the recognizer should write as written
    [closing]   examples, keywords, unlike, unless     farewells: the call is near its end
    [[item]]    id, text, required, examples, keywords, unlike, unless, needs, after, closing,
                passage, keyword_floor, reader
    [item.when] examples, keywords, unlike, unless, speaker, reader   the item applies once said

Validation is strict: an unknown key is a typo that would silently drop an item or a phrasing,
so it is an error naming the file, the item and the key. A checklist is compliance a site chose;
one that cannot be read is refused (ChecklistError), never skipped.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["AGENT", "ANY", "AUTO", "CUSTOMER", "MANUAL", "Checklist", "ChecklistError", "Condition", "Item",
           "Phrases", "load_checklists"]

CUSTOMER, AGENT, ANY = "customer", "agent", "any"
AUTO, MANUAL = "copilot", "agent"  # who ticked an item (the `checklist` event's `by`)
SPEAKERS = (CUSTOMER, AGENT, ANY)
ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
MAX_FILE_BYTES = 1 << 20
MAX_ITEMS = 100
MAX_PHRASES = 50  # per list: every example is embedded once per load
MAX_PHRASE_CHARS = 300
MAX_PARTS = 10  # parts an item may need (`needs`)

_TOP_KEYS = ("id", "title", "vocabulary", "closing", "item")
MAX_VOCABULARY = 20  # words given to Whisper with every agent caption (a prompt of a line)
_ITEM_KEYS = ("id", "text", "required", "examples", "keywords", "unlike", "unless", "needs",
              "after", "closing", "passage", "when", "keyword_floor", "reader")
# `keyword_floor`: how close in meaning a piece with one of the item's keywords must come to its
# examples (copilot/assist/checklist/match.py, WITH_KEYWORD by default). Bounded: below 0.30 a
# keyword alone would tick it, and meaning alone ticks at match.STRONG anyway.
KEYWORD_FLOOR_MIN, KEYWORD_FLOOR_MAX = 0.30, 0.80
# The built-in readers a file may name (`reader`); readers.READERS implements each. Named here,
# not imported: the readers use the matcher, which reads this module's Phrases.
READER_NAMES = ("account-facts", "leaving", "offers")
_PHRASE_KEYS = ("examples", "keywords", "unlike", "unless")
_WHEN_KEYS = (*_PHRASE_KEYS, "speaker", "reader")


class ChecklistError(Exception):
    """A checklist file cannot be used; the message names the file, the item and the key."""


@dataclass(frozen=True)
class Phrases:
    """How something is said: example sentences (matched by meaning), keywords that back a
    looser match (a trailing `*` matches any ending: "verif*"), and sentences that sound alike
    but must not match."""

    examples: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    unlike: tuple[str, ...] = ()
    # Words that say the opposite whatever the sentence means: a piece (or its clause) holding
    # one never matches ("switched *to you*" is joining, not leaving). Written like keywords.
    unless: tuple[str, ...] = ()


@dataclass(frozen=True)
class Condition:
    """When a conditional item starts to apply: `phrases` said by `speaker`."""

    phrases: Phrases
    speaker: str = CUSTOMER
    reader: str = ""  # a built-in reader that also brings it up ("leaving": readers.READERS)


@dataclass(frozen=True)
class Item:
    id: str
    text: str  # what the agent sees
    phrases: Phrases
    required: bool = True
    after: str = ""  # an item of the same checklist that must be done first
    when: Condition | None = None  # None: applies to every call
    closing: bool = False  # saying it means the call is near its end
    passage: str = ""  # a knowledge passage whose approved lines are more examples
    # The parts an item names that must all be said before it ticks itself ("account number
    # and PIN"): each part is a tuple of keywords, any one of which says that part.
    needs: tuple[tuple[str, ...], ...] = ()
    # A broad item (any fact of the caller's account) that examples cannot cover in every way
    # it is said: a piece with a keyword ticks it from this cosine (None: the matcher's default).
    keyword_floor: float | None = None
    # A built-in reader that also says it ("account-facts", "offers": readers.READERS), for an
    # item whose ways of being said examples cannot cover; "" for none.
    reader: str = ""

    @property
    def kind(self) -> str:
        """For the measurements: conditional, ordered, required or optional."""
        if self.when is not None:
            return "conditional"
        if self.after:
            return "ordered"
        return "required" if self.required else "optional"


@dataclass(frozen=True)
class Checklist:
    id: str
    title: str
    items: tuple[Item, ...]
    closing: Phrases | None = None
    source: Path | None = None
    # Words agents say on these calls that the recognizer should write as written here (the
    # site's names, "PIN"): copilot.asr gives them to Whisper with the agent's captions.
    vocabulary: tuple[str, ...] = ()

    def item(self, item_id: str) -> Item | None:
        return next((i for i in self.items if i.id == item_id), None)


def load_checklists(path: str | Path) -> tuple[Checklist, ...]:
    """Every checklist of a folder (its *.toml files, by name) or of one file."""
    p = Path(path)
    if p.is_dir():
        files = sorted(f for f in p.glob("*.toml") if f.is_file())
        if not files:
            raise ChecklistError(f"{p}: no checklist files (*.toml) in this folder")
    elif p.is_file():
        files = [p]
    else:
        raise ChecklistError(f"{p}: no such checklist file or folder")
    out = [_load_file(f) for f in files]
    seen: dict[str, Path | None] = {}
    for c in out:
        if c.id in seen:
            raise ChecklistError(f"{c.source}: id {c.id!r} is already used by {seen[c.id]}")
        seen[c.id] = c.source
    return tuple(out)


def _load_file(path: Path) -> Checklist:
    try:
        data = path.read_bytes()
    except OSError as e:
        raise ChecklistError(f"{path}: cannot read it: {e.strerror or e}") from e
    if len(data) > MAX_FILE_BYTES:
        raise ChecklistError(f"{path}: larger than {MAX_FILE_BYTES >> 20} MB")
    try:
        doc = tomllib.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as e:
        raise ChecklistError(f"{path}: not valid UTF-8 TOML: {e}") from e
    return _Reader(path).checklist(doc)


class _Reader:
    """Validation of one file; every message starts with the file and where in it."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def fail(self, where: str, message: str) -> ChecklistError:
        return ChecklistError(f"{self.path}: {where}{': ' if where else ''}{message}")

    def keys(self, table: Any, allowed: Iterable[str], where: str) -> dict[str, Any]:
        if not isinstance(table, dict):
            raise self.fail(where, "must be a table")
        extra = sorted(set(table) - set(allowed))
        if extra:
            raise self.fail(where, f"unknown key {', '.join(map(repr, extra))} (allowed: "
                            f"{', '.join(allowed)})")
        return table

    def text(self, table: dict[str, Any], key: str, where: str, *, default: str | None = None,
             limit: int = 200) -> str:
        v = table.get(key, default)
        if v is None:
            raise self.fail(where, f"{key} is missing")
        if not isinstance(v, str):
            raise self.fail(where, f"{key} must be a quoted string (got {v!r:.40})")
        v = v.strip()
        if default is None and not v:
            raise self.fail(where, f"{key} must not be empty")
        if len(v) > limit:
            raise self.fail(where, f"{key} must be at most {limit} characters")
        return v

    def strings(self, table: dict[str, Any], key: str, where: str) -> tuple[str, ...]:
        v = table.get(key, [])
        if not isinstance(v, list) or not all(isinstance(x, str) and x.strip() for x in v):
            raise self.fail(where, f"{key} must be a list of non-empty strings like "
                            f"[\"...\", \"...\"] (got {v!r:.60})")
        if len(v) > MAX_PHRASES:
            raise self.fail(where, f"{key} has more than {MAX_PHRASES} entries")
        long = next((x for x in v if len(x) > MAX_PHRASE_CHARS), None)
        if long is not None:
            raise self.fail(where, f"{key} has an entry longer than {MAX_PHRASE_CHARS} "
                            f"characters ({long[:40]!r}...)")
        return tuple(x.strip() for x in v)

    def phrases(self, table: dict[str, Any], where: str, *, need_examples: bool) -> Phrases:
        p = Phrases(self.strings(table, "examples", where), self.strings(table, "keywords", where),
                    self.strings(table, "unlike", where), self.strings(table, "unless", where))
        if need_examples and not p.examples:
            raise self.fail(where, "examples must list at least one way of saying it (it is "
                            "matched by meaning; keywords only back a match)")
        return p

    def needs(self, table: dict[str, Any], where: str) -> tuple[tuple[str, ...], ...]:
        """`needs = ["account number", ["pin", "passcode"]]`: each entry one part, a keyword
        or a list of keywords any of which says it."""
        v = table.get("needs", [])
        hint = ("needs must list the parts the item names, each a keyword or a list of "
                "keywords, like [\"account number\", [\"pin\", \"passcode\"]]")
        if not isinstance(v, list):
            raise self.fail(where, f"{hint} (got {v!r:.60})")
        if len(v) > MAX_PARTS:
            raise self.fail(where, f"needs has more than {MAX_PARTS} parts")
        parts = []
        for part in v:
            words = [part] if isinstance(part, str) else part
            if not isinstance(words, list) or not words or not all(
                    isinstance(w, str) and w.strip() for w in words):
                raise self.fail(where, f"{hint} (got {part!r:.60})")
            if len(words) > MAX_PHRASES or any(len(w) > MAX_PHRASE_CHARS for w in words):
                raise self.fail(where, f"needs has a part with more than {MAX_PHRASES} "
                                f"keywords or a keyword longer than {MAX_PHRASE_CHARS} "
                                "characters")
            parts.append(tuple(w.strip() for w in words))
        if len(parts) == 1:
            raise self.fail(where, "needs names one part: a compound item needs two or more "
                            "(for one, use keywords)")
        return tuple(parts)

    def flag(self, table: dict[str, Any], key: str, where: str, default: bool) -> bool:
        v = table.get(key, default)
        if not isinstance(v, bool):
            raise self.fail(where, f"{key} must be true or false (got {v!r:.40})")
        return v

    def checklist(self, doc: dict[str, Any]) -> Checklist:
        self.keys(doc, _TOP_KEYS, "")
        cid = self.text(doc, "id", "", default=self.path.stem, limit=64) or self.path.stem
        if not ID_RE.match(cid):
            raise self.fail("", f"id {cid!r} must be letters, digits, '.', '_' or '-' (at most 64)")
        title = self.text(doc, "title", "", default=cid) or cid
        vocabulary = self.strings(doc, "vocabulary", "")
        if len(vocabulary) > MAX_VOCABULARY or any(len(w) > 40 for w in vocabulary):
            raise self.fail("", f"vocabulary lists at most {MAX_VOCABULARY} words or short "
                            "phrases (at most 40 characters each): it is a hint to the speech "
                            "recognizer, not a list of phrasings")
        closing = None
        if "closing" in doc:
            table = self.keys(doc["closing"], _PHRASE_KEYS, "[closing]")
            closing = self.phrases(table, "[closing]", need_examples=True)
        raw = doc.get("item")
        if raw is None:
            raise self.fail("", "no items: add at least one [[item]]")
        if not isinstance(raw, list) or not all(isinstance(t, dict) for t in raw):
            raise self.fail("", "item must be written [[item]] (a list of tables)")
        if len(raw) > MAX_ITEMS:
            raise self.fail("", f"more than {MAX_ITEMS} items")
        items = tuple(self.item(t, n) for n, t in enumerate(raw, 1))
        self.check_items(items)
        return Checklist(cid, title, items, closing, self.path, vocabulary)

    def item(self, table: dict[str, Any], number: int) -> Item:
        where = f"item {number}"
        iid = table.get("id")
        if isinstance(iid, str) and iid.strip():
            where = f"item {number} ({iid.strip()})"
        self.keys(table, _ITEM_KEYS, where)
        iid = self.text(table, "id", where, limit=64)
        if not ID_RE.match(iid):
            raise self.fail(where, f"id {iid!r} must be letters, digits, '.', '_' or '-'")
        when = None
        if "when" in table:
            w = self.keys(table["when"], _WHEN_KEYS, f"{where} [item.when]")
            speaker = self.text(w, "speaker", f"{where} [item.when]", default=CUSTOMER)
            if speaker not in SPEAKERS:
                raise self.fail(f"{where} [item.when]",
                                f"speaker must be one of {', '.join(SPEAKERS)} (got {speaker!r})")
            when = Condition(self.phrases(w, f"{where} [item.when]", need_examples=True), speaker,
                             self.reader(w, f"{where} [item.when]"))
        return Item(iid, self.text(table, "text", where),
                    self.phrases(table, where, need_examples=True),
                    required=self.flag(table, "required", where, True),
                    after=self.text(table, "after", where, default="", limit=64),
                    when=when, closing=self.flag(table, "closing", where, False),
                    passage=self.text(table, "passage", where, default="", limit=64),
                    needs=self.needs(table, where),
                    keyword_floor=self.floor(table, where),
                    reader=self.reader(table, where))

    def reader(self, table: dict[str, Any], where: str) -> str:
        v = self.text(table, "reader", where, default="", limit=64)
        if v and v not in READER_NAMES:
            raise self.fail(where, f"reader must be one of {', '.join(READER_NAMES)} "
                            f"(got {v!r})")
        return v

    def floor(self, table: dict[str, Any], where: str) -> float | None:
        v = table.get("keyword_floor")
        if v is None:
            return None
        if isinstance(v, bool) or not isinstance(v, (int, float)) or \
                not KEYWORD_FLOOR_MIN <= v <= KEYWORD_FLOOR_MAX:
            raise self.fail(where, f"keyword_floor must be a number from {KEYWORD_FLOOR_MIN} to "
                            f"{KEYWORD_FLOOR_MAX} (got {v!r:.40})")
        if not table.get("keywords") and not table.get("needs"):
            raise self.fail(where, "keyword_floor needs keywords (or needs) to back a match; "
                            "without them it does nothing")
        return float(v)

    def check_items(self, items: tuple[Item, ...]) -> None:
        ids = [i.id for i in items]
        dup = sorted({i for i in ids if ids.count(i) > 1})
        if dup:
            raise self.fail("", f"item id {', '.join(map(repr, dup))} is used more than once")
        by_id = {i.id: i for i in items}
        for n, item in enumerate(items, 1):
            if item.after and item.after not in by_id:
                raise self.fail(f"item {n} ({item.id})", f"after = {item.after!r} names no "
                                f"item of this checklist (items: {', '.join(ids)})")
        for n, item in enumerate(items, 1):
            chain = [item.id]
            step = item
            while step.after:  # a cycle could never be done in order
                if step.after in chain:
                    raise self.fail(f"item {n} ({item.id})", "after makes a cycle ("
                                    + " -> ".join([*chain, step.after]) + ")")
                chain.append(step.after)
                step = by_id[step.after]
