"""The demo checklist's items for a blind writer's kit (tools/blind_kit.py): what each item is,
from the checklist's TOML, without the examples and settings that decide how it is recognized.
"""

from __future__ import annotations

import json
import textwrap
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHECKLIST_TOML = ROOT / "resources" / "checklists" / "northwind_support.toml"
# What items.md quotes of each checklist table; every other key (examples, keywords, unlike,
# readers, thresholds) is matching detail a blind writer must not tune their wording to.
SHOWN_KEYS = ("id", "title", "vocabulary", "text", "required", "after", "closing")


def wrap(paragraph: str, indent: str = "") -> str:
    """Markdown prose at the project's 100 columns."""
    return textwrap.fill(paragraph, width=100, subsequent_indent=indent,
                         break_long_words=False, break_on_hyphens=False)


def toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    return json.dumps(value, ensure_ascii=False)


def when_comments(raw: str) -> list[str]:
    """The comment right above each `[item.when]` table: the file's own words for its condition."""
    found, comment = [], []
    for line in raw.splitlines():
        stripped = line.strip()
        if stripped.startswith("#"):
            comment.append(stripped.lstrip("#").strip())
        elif stripped == "[item.when]":
            found.append(" ".join(comment))
            comment = []
        else:
            comment = []
    return found


def holds_tables(value: object) -> bool:
    """A table (`[name]`) or an array of tables (`[[name]]`), not a plain value."""
    return isinstance(value, dict) or (
        isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)
    )


def structure(table: dict, header: str, conditions: list[str]) -> list[str]:
    """A table's shown keys in file order, `...` where anything else stands, then its tables.
    `conditions` (the comments above each `[item.when]`) is consumed in file order."""
    out = [header] if header else []
    for key, value in table.items():
        if holds_tables(value):
            continue
        if key in SHOWN_KEYS:
            out.append(f"{key} = {toml_value(value)}")
        elif key == "needs":
            groups = ", ".join(f'[ ...ways of saying "{g[0]}"... ]' for g in value)
            out.append(f"needs = [{groups}]")
        if key not in SHOWN_KEYS and out[-1:] != ["..."]:
            out.append("...")
    for key, value in table.items():
        if isinstance(value, dict):
            name = f"{header.strip('[]')}.{key}" if header else key
            comment = conditions.pop(0) if key == "when" and conditions else ""
            out += ["", *([f"# {comment}"] if comment else []), *structure(value, f"[{name}]", [])]
        elif holds_tables(value):
            for sub in value:
                out += ["", *structure(sub, f"[[{key}]]", conditions)]
    return out


def items_md() -> str:
    raw = CHECKLIST_TOML.read_text(encoding="utf-8")
    data = tomllib.loads(raw)
    items = data.get("item", [])
    conditions = when_comments(raw)
    rel = CHECKLIST_TOML.relative_to(ROOT).as_posix()
    out = [
        f"# The demo checklist's items (`{data['id']}`)",
        "",
        wrap(f"The bundled demo checklist is `{rel}`: id `{data['id']}`, title "
             f"\"{data['title']}\". It goes with the Northwind Mobile sample (a mobile and "
             "broadband company's support desk). Every call you write is scored against all "
             f"{len(items)} of its items: an item a call does not say must stay unticked."),
        "",
        "Below is what the file says of each item, then its structure quoted. The file's example",
        "sentences, keywords, \"unlike\" sentences and other matching settings are left out on "
        "purpose:\nwrite the agents' words yourself, varied from call to call. What counts as "
        "saying each item,\nand what does not, is in `expectations_protocol.md` (\"The rules\") "
        "and `checklists.md`.",
        "",
        "## The items, in the order the checklist shows them",
        "",
    ]
    rows = []
    when_texts = iter(conditions)
    for number, item in enumerate(items, 1):
        required = "Required." if item.get("required", True) else "Optional (`required = false`)."
        notes, flags = [], []
        if "needs" in item:
            parts = ", ".join(f'"{g[0]}"' for g in item["needs"])
            every = "both" if len(item["needs"]) == 2 else f"all {len(item['needs'])}"
            notes.append(f"It names {len(item['needs'])} things ({parts}) and is done only once "
                         f"the agent has asked for {every}, in one turn or over several; one of "
                         "them alone leaves it not done.")
            flags.append(f"needs {every} parts: {parts}")
        if "after" in item:
            notes.append(f"**Order constraint:** `after = \"{item['after']}\"`: it must come only "
                         f"after `{item['after']}` is done. Done while `{item['after']}` is "
                         "still open, it is flagged as out of order, unless something the agent "
                         f"said before came close to `{item['after']}` (`checklists.md`, "
                         "\"Order\").")
            flags.append(f"`after = \"{item['after']}\"` (order flag if done before)")
        if "when" in item:
            said = next(when_texts, "") or "The item applies only once its condition comes up."
            notes.append(f"**Conditional** (it has an `[item.when]` table). {said} Until then "
                         "it is neither open nor reported, and it must not tick.")
            flags.append(f"conditional: {said.rstrip('.')}")
        if item.get("closing"):
            notes.append("A **closing item** (`closing = true`): saying it means the call is "
                         "near its end.")
            flags.append("`closing = true`")
        line = " ".join([f"{number}. **`{item['id']}`**: \"{item['text']}\".", required, *notes])
        out.append(wrap(line, indent="   "))
        out.append("")
        rows.append(f"| `{item['id']}` | {item['text']} | "
                    f"{'yes' if item.get('required', True) else 'no'} | {'; '.join(flags)} |")
    if "closing" in data:
        out += [
            "## The closing notice",
            "",
            "The file also has a `[closing]` table: the agent's farewells (its ways of saying "
            "goodbye are\nleft out too). When the agent says a farewell or a closing item, the "
            "call is taken to be near\nits end, and the required items still open are shown to "
            "the agent. In the expectations this is\nthe `closing` list (see "
            "`expectations_protocol.md`).",
            "",
        ]
    out += ["## Summary", "", "| id | text | required | order / condition / closing |",
            "|---|---|---|---|", *rows, ""]
    out += [
        "## The file's structure, quoted",
        "",
        wrap(f"The structural lines of `{rel}`, in file order (every example, keyword, "
             "`unlike`, reader and threshold line and every other comment left out; `...` marks "
             "where they stand):"),
        "",
        "```toml",
        *structure(data, "", list(conditions)),
        "```",
        "",
    ]
    if "vocabulary" in data:
        out += ["`vocabulary` is given to the speech recognizer for the agent's captions; it is "
                "not an item.", ""]
    return "\n".join(out)
