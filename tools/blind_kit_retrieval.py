"""The two kits of a blind retrieval set (tests/data/heldoutNN), written by two helpers so that no
caller's phrasing the base's author wrote can reach the questions (tools/blind_kit.py).

`retrieval-base`: the base's writer gets the newest set's README down to its tables (the shape),
one passage (the format), its "How this base was written" section, every earlier set's business
(not to be reused) and make_noasks.py, and writes a base of about 50 passages with four
"Customers ask:" lines each, and its kb_noasks/ copy. `retrieval-questions --base DIR`: the
questions' writer gets that base's README and kb_noasks/ only, and the newest set's questions
section with seven of its lines (the protocol and format), and writes 90 questions.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from blind_kit_common import KitError, numbered

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
# The seven example questions: spread over the file, with its first follow-up and its last line.
EXAMPLE_LINES = (0, 14, 29, 44, 59)

BASE_BRIEF = """\
# Writer's kit: the knowledge base of blind retrieval set {n} (phase 1 of 2)

You are a blind writer of test material for a customer-service copilot that finds the passage of
a company's knowledge base answering a caller's question. The set you write is used once to
measure it, so you must not see the project's code, docs, tests, other test data or git history.
Read only the files of this folder (with `cat`).

## Read

`format_readme_top.md` (the top of another set's README: the shape of yours),
`format_passage.md` (one passage, the exact format), `format_how_written.md` (the shape of the
"How this base was written" section), `earlier_businesses.md` (businesses you must not reuse),
`make_noasks.py` (run it, do not change it).

## Write, in `set/` under this folder

- A fictitious business not in `earlier_businesses.md` and not a telecom operator, with a
  contact centre that real callers phone (pick something with many rules that differ by case).
  Six Markdown files `kb/*.md`, 50 to 54 passages in all (8 or 9 a file), each passage exactly
  as in `format_passage.md`: `## [PFX-NN] Title`, four `Customers ask:` lines (as real callers
  speak), one line of policy of 3-4 sentences with invented numbers, names, prices and times,
  and one `Approved line:` whose every number appears in the passage's title or policy.
  Each file: an H1 and a one-line summary under it. One ID prefix a file, IDs numbered in order.
- Deliberately many near duplicates with different rules (three or four kinds of the same
  thing: several kinds of cancellation or refund with different timescales, fees by tier,
  waiting periods of different things), as real bases have. Invented names for products,
  tiers, the app, teams, towns, an independent complaints scheme. Real-world names only with
  invented rules.
- `kb_noasks/`: run `python3 make_noasks.py` as its docstring says, on your folder; check with
  `diff` that only the `Customers ask:` lines differ.
- `README.md` in the shape of `format_readme_top.md` (first line `# NAME — ... knowledge base
  (test material)`, then a line `**Held-out retrieval set {n}: not run yet.**`), its `## Files`
  and `## Passages` tables, and a `## How this base was written` section in the shape of
  `format_how_written.md` saying exactly what you read and the checks you ran (write your own
  small checks: format, four asks each, numbers of approved lines in the policy, the highest
  content-word overlap between two passages). No questions and no `## Questions` section: a
  second writer does that from `kb_noasks/` alone.

Do not run the copilot or any of the project's tools. Reply with a short summary: the business,
the passages' count, the near-duplicate groups, the checks' results.
"""

QUESTIONS_BRIEF = """\
# Writer's kit: the questions of blind retrieval set {n} (phase 2 of 2)

You are a blind writer of test questions for a customer-service copilot that finds the passage of
a company's knowledge base answering a caller's question. The set is used once to measure it, so
you must not see the project's code, docs, tests, other test data or git history. Read only the
files of this folder (with `cat`).

## Read

`readme_of_this_base.md` (the base's README), the files of `kb_noasks/` (the base, without the
example caller questions its author wrote: do not look for them anywhere), and
`format_questions.md` (another set's questions section and seven of its lines: the protocol and
the JSON format; none of its phrasings may be reused).

## Write, in this folder

- `questions.jsonl`: 90 caller questions, one JSON object a line with `utterance`, `expect` (a
  list holding the one passage ID that answers it, or `[]`), `kind` and, for follow-ups only,
  `context` (1 or 2 earlier caller turns, oldest first). The kinds and counts as in
  `format_questions.md` (direct 12, paraphrase 26, misheard 10, near_miss 12 of which 2 expect
  none, unanswerable 15 of which about half cite a policy someone else reported, follow_up 15 of
  which the last 3 change topic mid-call and the last expects none). Every passage expected at
  least once.
- Be demanding: real callers on the phone, their own situation, their own words (tired, in a
  hurry, cross, unsure), paraphrases that avoid the passage's key terms, misheard as a
  phone-line speech recognizer writes (lower case, no punctuation, split and wrong words), near
  misses that share distinctive words with one passage but are answered by its neighbour (use
  the base's near-duplicate rules), follow-ups that only make sense with their context.
- Check the file with a small script of your own (valid JSON, the keys, the counts, expected
  IDs exist, every passage expected, misheard lower case without punctuation, context only on
  follow-ups), then check each expected ID by hand against the passage, and each `[]` against
  all the files.
- `questions_section.md`: a `## Questions` section in the shape of the one in
  `format_questions.md` (the table of kinds with examples, the counts, what you read, the checks
  and their results), saying the questions were written blind.

Do not run the copilot or any tool of the project. Reply with a short summary: the counts, the
checks' results, anything you were unsure of.
"""


def retrieval_sets() -> list[tuple[int, Path]]:
    """(N, folder) of every retrieval set with questions (tests/data/heldout is the first)."""
    sets = [(n, d) for n, d in numbered(DATA, "heldout*") if (d / "questions.jsonl").exists()]
    if (DATA / "heldout" / "questions.jsonl").exists():
        sets.insert(0, (1, DATA / "heldout"))
    if not sets:
        raise KitError(f"no retrieval sets (heldoutNN/questions.jsonl) in {DATA}")
    return sets


def section(readme: str, start: str, end: str | None = None) -> str:
    """`readme` from the line starting `start` up to (not including) the line starting `end`."""
    m = re.search(rf"^{re.escape(start)}.*$", readme, re.M)
    if m is None:
        raise KitError(f"the newest set's README has no line starting {start!r}")
    rest = readme[m.start():]
    stop = re.search(rf"^{re.escape(end)}", rest, re.M) if end else None
    return rest[:stop.start()] if stop else rest


def base_kit() -> dict[str, str]:
    sets = retrieval_sets()
    n, newest = sets[-1]
    readme = (newest / "README.md").read_text(encoding="utf-8")
    first = sorted((newest / "kb").glob("*.md"))[0].read_text(encoding="utf-8")
    heads = [m.start() for m in re.finditer(r"^## \[", first, re.M)]
    if len(heads) < 2:
        raise KitError(f"{newest / 'kb'}: a file with fewer than two passages")
    businesses = [(d / "README.md").read_text(encoding="utf-8").splitlines()[0].lstrip("# ")
                  for _, d in sets]
    return {
        "README.md": BASE_BRIEF.format(n=n + 1),
        "format_readme_top.md": section(readme, "# ", "## Files"),
        "format_passage.md": "# Format: one passage of another set's base (its company, topics "
                             "and wording must not be reused)\n\n" + first[:heads[1]],
        "format_how_written.md": section(readme, "## How this base was written", "## Questions"),
        "earlier_businesses.md": "# Businesses of the earlier sets (do not reuse any, nor a "
                                 "mobile or telecom operator: the product's demo company is one)"
                                 "\n\n" + "\n".join(f"- {b[:110]}" for b in businesses) + "\n",
        "make_noasks.py": (ROOT / "tools" / "make_noasks.py").read_text(encoding="utf-8"),
    }


def questions_kit(base: Path | None) -> dict[str, str]:
    if base is None or not (base / "README.md").is_file() or not (base / "kb_noasks").is_dir():
        raise KitError("retrieval-questions needs --base, the folder the base's writer wrote "
                       "(README.md and kb_noasks/)")
    sets = retrieval_sets()
    n, newest = sets[-1]
    lines = (newest / "questions.jsonl").read_text(encoding="utf-8").splitlines()
    follow = next((i for i, line in enumerate(lines) if json.loads(line).get("context")), None)
    picks = sorted({i for i in (*EXAMPLE_LINES, follow, len(lines) - 1)
                    if i is not None and i < len(lines)})
    readme = (newest / "README.md").read_text(encoding="utf-8")
    files = {
        "README.md": QUESTIONS_BRIEF.format(n=n + 1),
        "readme_of_this_base.md": (base / "README.md").read_text(encoding="utf-8"),
        "format_questions.md": "# Another set's questions section and seven of its lines "
                               "(format and protocol only: its phrasings must not be reused)"
                               "\n\n" + section(readme, "## Questions") + "\n```\n"
                               + "\n".join(lines[i] for i in picks) + "\n```\n",
    }
    for p in sorted((base / "kb_noasks").glob("*.md")):
        files[f"kb_noasks/{p.name}"] = p.read_text(encoding="utf-8")
    return files
