"""`copilot kb check`: what is wrong with a knowledge folder before it goes into a pack.

A passage that does not parse does not exist for the copilot, silently; an approved line that
states a number its passage does not is left out of every loaded base (it would tell customers
what the policy does not say: `without_overstated_lines`); two
passages saying nearly the same thing split the evidence and make the copilot abstain where it
should answer. Errors stop `pack build`; warnings are shown.

Checks:
- a level-2 heading that looks like a passage but is not one (`## BW-02 Payment plans`,
  `## [BW 02] ...`): error;
- duplicate passage IDs (also across files, case-insensitively): error;
- a file that cannot be read, a folder with no passage: error;
- an approved line stating a number, amount, duration or percentage that its passage's text does
  not state: error;
- a passage without an approved line (the copilot can show its card but never suggest a line):
  warning;
- a passage with no text: warning;
- two passages whose titles and texts share most of their words (near duplicates): warning;
- the same "Customers ask:" line under two passages (it points search at both): warning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

from copilot.knowledge.parse import KnowledgeError, Passage, parse_markdown
from copilot.knowledge.query import content_words
from copilot.text.plural import plural

__all__ = ["ERROR", "WARNING", "Finding", "check_folder", "check_or_raise", "errors"]

ERROR, WARNING = "error", "warning"
# Share of the smaller passage's content words found in the other one above which two passages
# are reported as near duplicates. The sample base's closest pair (two roaming passages sharing
# a paragraph of wording) is at 0.62; 0.8 flags copies with a few words changed.
NEAR_DUPLICATE = 0.8
_NUMERIC = ("number", "amount", "duration", "percentage")
# A quick look before the verifier's reading (a knowledge base is checked at every load): a line
# whose numbers are all digits its passage's text holds states none the text does not; one with
# a number in words, or digits the text lacks, is read properly.
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_NUMBER_WORD = re.compile(r"\b(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven"
                          r"|twelve|(?:thir|four|fif|six|seven|eigh|nine)teen"
                          r"|(?:twen|thir|for|fif|six|seven|eigh|nine)ty|hundred|thousand|half"
                          r"|once|twice|single|double)\b", re.I)


def _numbers_found(line: str, text_numbers: set[str]) -> bool:
    return not _NUMBER_WORD.search(line) and set(_NUMBER.findall(line)) <= text_numbers
# A bare "one" is as often a pronoun ("a one-off", "arranging one") as a count: reported only
# with a unit ("one day", "one line" are durations and amounts).
# A parser warning that means a passage was lost (the others are about passages that exist).
_LOST = re.compile(r"is not a passage|looks like a passage")


@dataclass(frozen=True)
class Finding:
    level: str  # ERROR | WARNING
    where: str  # "file.md:12" or "file.md" or the folder
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.level}: {self.message}"


def errors(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.level == ERROR]


def check_folder(folder: str | Path, lang: str = "en") -> list[Finding]:
    """Every finding for the knowledge folder, in file and line order."""
    root = Path(folder).expanduser()
    if not root.is_dir():
        return [Finding(ERROR, str(root), "not a folder of Markdown files")]
    found: list[Finding] = []
    passages: list[tuple[Passage, int]] = []
    for path in sorted(p for p in root.rglob("*.md") if p.is_file()):
        source = path.relative_to(root).as_posix()
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as e:
            found.append(Finding(ERROR, source, f"cannot be read: {e}"))
            continue
        parsed, notes = parse_markdown(text, source)
        for note in notes:
            where, _, message = note.partition(": ")
            level = ERROR if _LOST.search(message) else WARNING
            found.append(Finding(level, where, message))
        lines = _heading_lines(text)
        passages += [(p, lines.get(p.id, 0)) for p in parsed]
    if not passages and not found:
        found.append(Finding(ERROR, str(root), "no passages: expected .md files with "
                                               "`## [ID] Title` sections"))
    found += _duplicates(passages)
    for p, line in passages:
        found += _passage(p, f"{p.source}:{line}" if line else p.source)
    found += _near_duplicates([p for p, _ in passages], lang)
    found += _shared_asks(passages)
    return sorted(found, key=_order)


def _order(f: Finding) -> tuple[str, int]:
    file, _, line = f.where.partition(":")
    return file, int(line) if line.isdigit() else 0


def _heading_lines(text: str) -> dict[str, int]:
    out: dict[str, int] = {}
    for n, line in enumerate(text.splitlines(), start=1):
        m = re.match(r"^##\s+\[([^\]]+)\]", line)
        if m:
            out.setdefault(m.group(1), n)
    return out


def _duplicates(passages: list[tuple[Passage, int]]) -> list[Finding]:
    seen: dict[str, Passage] = {}
    out = []
    for p, line in passages:
        key = p.id.casefold()
        if key in seen:
            out.append(Finding(ERROR, f"{p.source}:{line}", f"duplicate passage ID [{p.id}] "
                               f"(also in {seen[key].source})"))
        else:
            seen[key] = p
    return out


def _passage(p: Passage, where: str) -> list[Finding]:
    out = []
    if not p.approved_lines:
        out.append(Finding(WARNING, where, f"[{p.id}] has no approved line: its card can be "
                                           "shown, but no line suggested from it"))
    for _line, what in overstated(p):
        out.append(Finding(ERROR, where, f"[{p.id}] approved line states {what}, a number "
                                         "its passage text does not: the line would tell "
                                         "customers something the policy does not say"))
    return out


def overstated(p: Passage) -> list[tuple[str, str]]:
    """The approved lines of `p` that state a number its title and text do not, each with those
    numbers in words (for `kb check`'s error, and for the loaded base, which never suggests
    such a line: KnowledgeBase.load). The line must not vouch for itself: its numbers are
    looked up in the title and text only, by value (the wording around them may differ: "up
    to 2" in the line, "2" in the text)."""
    from copilot.knowledge.verify import verify

    text_numbers = set(_NUMBER.findall(f"{p.title} {p.text}"))
    lines = [x for x in p.approved_lines if not _numbers_found(x, text_numbers)]
    if not lines:
        return []
    plain = replace(p, approved_lines=())
    values = {f.value for f in verify(plain.full_text, [plain]).facts if f.value}
    out = []
    for line in lines:
        stated = [f for f in verify(line, [plain]).facts
                  if f.kind in _NUMERIC and f.value and f.value not in values
                  and not (f.kind == "number" and f.text.lower() == "one")]
        if stated:
            out.append((line, ", ".join(f"\u201c{f.text}\u201d" for f in stated)))
    return out


def _near_duplicates(passages: list[Passage], lang: str) -> list[Finding]:
    words = [set(content_words(f"{p.title} {p.text}", lang)) for p in passages]
    out = []
    for i, a in enumerate(passages):
        for j in range(i + 1, len(passages)):
            small = min(len(words[i]), len(words[j]))
            if small < 5:
                continue  # too short to call two passages copies of each other
            share = len(words[i] & words[j]) / small
            if share >= NEAR_DUPLICATE:
                b = passages[j]
                out.append(Finding(WARNING, b.source, f"[{a.id}] and [{b.id}] share "
                                                      f"{share:.0%} of their words: merge them, "
                                                      "or make each say what the other does not"))
    return out


def _shared_asks(passages: list[tuple[Passage, int]]) -> list[Finding]:
    first: dict[str, Passage] = {}
    out = []
    for p, line in passages:
        for ask in p.asks:
            key = " ".join(ask.casefold().rstrip("?.! ").split())
            other = first.setdefault(key, p)
            if other is not p:
                out.append(Finding(WARNING, f"{p.source}:{line}" if line else p.source,
                                   f"[{other.id}] and [{p.id}] both have the customer question "
                                   f"\u201c{ask}\u201d: keep it under the passage that answers it"))
    return out


def check_or_raise(folder: str | Path, lang: str = "en") -> list[Finding]:
    """The warnings, or KnowledgeError listing the errors (for `pack build`)."""
    found = check_folder(folder, lang)
    bad = errors(found)
    if bad:
        raise KnowledgeError(f"the knowledge base in {folder} has {plural(len(bad), 'error')}:\n"
                             + "\n".join(f"  {f}" for f in bad))
    return found


def without_overstated_lines(passages: list[Passage]) -> tuple[list[Passage], list[str]]:
    """The passages without the approved lines that state a number their passage does not
    (`copilot kb check` calls those errors: overstated), and a warning for each; every loaded
    base goes through it (KnowledgeBase.load). A pack refuses such a base at build; a folder
    given by settings or --kb is loaded as it is, and a line that tells customers what the
    policy does not say must never be suggested as verified: its passage's card is still
    shown (a second walk-through saw one served)."""
    out, warnings = [], []
    for p in passages:
        bad = overstated(p)
        if bad:
            gone = {line for line, _ in bad}
            p = replace(p, approved_lines=tuple(x for x in p.approved_lines if x not in gone))
            warnings += [f"[{p.id}] approved line not used: it states {what}, a number its "
                         "passage text does not (copilot kb check)" for _, what in bad]
        out.append(p)
    return out, warnings
