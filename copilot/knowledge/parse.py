"""Reading a knowledge folder: Markdown files whose `## [ID] Title` sections are passages.

A passage runs from its heading to the next heading of level 1 or 2 (a `###` sub-heading stays
inside it). A line starting with `Approved line:` (bold or bulleted is fine) is wording the agent
may say verbatim; it is kept apart from the policy text, one physical line each, so that a
following paragraph can never become "approved" by accident. A line starting with
`Customers ask:` is how callers put the question this passage answers ("there's the same charge
on my bill twice"): search matches what a caller says against it, but it is not policy, so no
card shows it and no fact may be grounded on it. Headings inside fenced code blocks are not
headings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path


class KnowledgeError(Exception):
    """The knowledge folder cannot be used (missing, empty, duplicate IDs, unreadable file)."""


@dataclass(frozen=True)
class Passage:
    id: str
    title: str
    text: str  # the policy text of the section, without its approved lines
    approved_lines: tuple[str, ...]
    source: str  # the file it came from, relative to the knowledge folder
    # How callers ask for it, in their words: searched, never shown or cited (not policy).
    asks: tuple[str, ...] = ()

    @property
    def full_text(self) -> str:
        """Everything the passage states: what a grounding check may rely on."""
        return "\n".join([self.title, self.text, *self.approved_lines])


_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_PASSAGE_HEADING = re.compile(r"^\[([A-Za-z0-9][A-Za-z0-9_.\-]*)\]\s*(.*)$")
_APPROVED = re.compile(r"^\s*(?:[-*+]\s+)?(?:\*\*|__)?approved line:(?:\*\*|__)?\s*(.*)$",
                       re.IGNORECASE)
_ASKS = re.compile(r"^\s*(?:[-*+]\s+)?(?:\*\*|__)?customers? asks?:(?:\*\*|__)?\s*(.*)$",
                   re.IGNORECASE)
_FENCE = re.compile(r"^\s*(```|~~~)")
# A heading starting like a passage ID but without brackets ("## BW-02 Payment plans"): almost
# surely a passage whose brackets were forgotten, which would otherwise silently not exist.
_BARE_ID = re.compile(r"^[A-Za-z]{1,12}[-_.]?\d{1,6}[A-Za-z]?(?:\s|$)")


@dataclass
class _Draft:
    id: str
    title: str
    line: int
    body: list[str]
    approved: list[str]
    asks: list[str]


def parse_markdown(text: str, source: str) -> tuple[list[Passage], list[str]]:
    """The passages of one Markdown document, and warnings about headings that look like
    passages but are not (so a typo does not silently drop a policy)."""
    passages: list[Passage] = []
    warnings: list[str] = []
    cur: _Draft | None = None
    in_fence = False

    def close() -> None:
        nonlocal cur
        if cur is not None:
            body = "\n".join(cur.body).strip()
            if not body and not cur.approved:  # asks alone state no policy
                warnings.append(f"{source}:{cur.line}: passage [{cur.id}] has no text")
            passages.append(Passage(cur.id, cur.title, body, tuple(cur.approved), source,
                                    tuple(cur.asks)))
        cur = None

    for n, line in enumerate(text.splitlines(), start=1):
        if _FENCE.match(line):
            in_fence = not in_fence
        heading = None if in_fence else _HEADING.match(line)
        if heading and len(heading.group(1)) <= 2:
            close()
            if len(heading.group(1)) == 2:
                m = _PASSAGE_HEADING.match(heading.group(2))
                if m:
                    cur = _Draft(m.group(1), m.group(2).strip(), n, [], [], [])
                elif heading.group(2).startswith("["):
                    warnings.append(f"{source}:{n}: heading {line.strip()!r} is not a passage "
                                    "(expected `## [ID] Title`, ID of letters, digits, - _ .)")
                elif _BARE_ID.match(heading.group(2)):
                    ident, _, rest = heading.group(2).partition(" ")
                    warnings.append(f"{source}:{n}: heading {line.strip()!r} looks like a "
                                    f"passage but has no brackets: write `## [{ident}] "
                                    f"{rest.strip()}`")
            continue
        if cur is None:
            continue
        approved = None if in_fence else _APPROVED.match(line)
        asked = None if in_fence or approved else _ASKS.match(line)
        if asked:
            if asked.group(1).strip():
                cur.asks.append(asked.group(1).strip())
            else:
                warnings.append(f"{source}:{n}: empty \"Customers ask:\" line in [{cur.id}]")
        elif approved:
            wording = approved.group(1).strip()
            if wording:
                cur.approved.append(wording)
            else:
                warnings.append(f"{source}:{n}: empty approved line in [{cur.id}]")
        else:
            cur.body.append(line.rstrip())
    close()
    return passages, warnings


def load_folder(folder: str | Path) -> tuple[list[Passage], list[str]]:
    """All passages of the `*.md` files under `folder` (sub-folders included, in path order)."""
    root = Path(folder).expanduser()
    if not root.exists():
        raise KnowledgeError(f"knowledge folder not found: {root}")
    if not root.is_dir():
        raise KnowledgeError(f"not a folder: {root} (give the folder holding the .md files)")
    try:
        files = sorted(p for p in root.rglob("*.md") if p.is_file())
    except OSError as e:
        raise KnowledgeError(f"cannot list {root}: {e}") from e

    passages: list[Passage] = []
    warnings: list[str] = []
    seen: dict[str, Passage] = {}
    for path in files:
        source = path.relative_to(root).as_posix()
        try:
            text = path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError as e:
            raise KnowledgeError(f"cannot read {path}: not UTF-8 text ({e.reason} at byte "
                                 f"{e.start})") from e
        except OSError as e:
            raise KnowledgeError(f"cannot read {path}: {e.strerror or e}") from e
        found, notes = parse_markdown(text, source)
        warnings.extend(notes)
        for p in found:
            # IDs are cited to the agent and stored with calls: "bill-01" and "BILL-01" would be
            # the same citation to a reader, so they clash too.
            key = p.id.casefold()
            if key in seen:
                first = seen[key]
                where = (f"twice in {source}" if first.source == source
                         else f"in {first.source} and {source}")
                raise KnowledgeError(f"duplicate passage ID [{p.id}] {where}")
            seen[key] = p
            passages.append(p)
    if not passages:
        raise KnowledgeError(f"no passages in {root}: expected .md files with `## [ID] Title` "
                             f"sections ({len(files)} .md file(s) found)")
    return passages, warnings
