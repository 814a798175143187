"""A supervisor builds a signed pack with a knowledge base and a practice scenario from the docs
alone: the walkthrough of docs/packs.md (steps 1 to 11) is run as written, with the scenario and
answers of docs/scenarios.md ("A complete example"), and every output the page shows must be
what the commands print (keys, dates, the data folder and decimals normalised).

The docs are the test's only script: a step that no longer works, or prints something else
than the page says, fails here.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from copilot import paths

REPO = Path(__file__).resolve().parents[2]
PACKS_MD = REPO / "docs" / "packs.md"
SCENARIOS_MD = REPO / "docs" / "scenarios.md"
DOC_HOME = "/tmp/tmp.EtAgZHXZ5Z"  # the data folder of the run the page shows


def _section(text: str, start: str, end: str) -> str:
    i = text.index(start)
    return text[i:text.index(end, i)]


def _fenced(text: str, after: str, lang: str) -> str:
    """The first ```lang block after the line containing `after`."""
    i = text.index(after)
    m = re.compile(rf"^```{lang}\n(.*?)^```\n", re.M | re.S).search(text, i)
    assert m, f"no ```{lang} block after {after!r}"
    return m.group(1)


def _steps(walk: str) -> list[tuple[str, str, list[str]]]:
    """("sh", script, []) for a fenced shell block, ("cmd", command, expected lines) for an
    indented `$ command` and the indented output under it, in the page's order."""
    steps: list[tuple[str, str, list[str]]] = []
    lines = walk.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("```sh"):
            j = lines.index("```", i + 1)
            steps.append(("sh", "\n".join(lines[i + 1:j]) + "\n", []))
            i = j + 1
            continue
        if line.startswith("    $ "):
            cmd, expected = line[6:], []
            i += 1
            while i < len(lines) and lines[i].startswith("    ") and \
                    not lines[i].startswith("    $ "):
                expected.append(lines[i][4:])
                i += 1
            steps.append(("cmd", cmd, expected))
            continue
        i += 1
    return steps


def _normal(text: str, home: str) -> str:
    text = text.replace(home, "HOME").replace(DOC_HOME, "HOME")
    text = re.sub(r"[A-Za-z0-9+/]{43}=", "KEY", text)
    text = re.sub(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", "TIME", text)
    text = re.sub(r"\d+\.\d+", "N", text)  # scores and sizes; counts stay exact
    return re.sub(r"[ \t]+", " ", text)


def test_the_pack_walkthrough_with_a_scenario_runs_as_written(tmp_path):
    shared_models = paths.models_dir()  # the session's: the encoder is converted once
    home = tmp_path / "home"
    home.mkdir()
    (home / "models").symlink_to(shared_models, target_is_directory=True)
    work = tmp_path / "work"
    (work / "scenarios").mkdir(parents=True)
    scen = SCENARIOS_MD.read_text(encoding="utf-8")
    (work / "scenarios" / "late_fee.toml").write_text(
        _fenced(scen, "## A complete example", "toml"), encoding="utf-8")
    (work / "answers-good.txt").write_text(_fenced(scen, "A scripted run", ""), encoding="utf-8")
    env = {**os.environ, "COPILOT_HOME": str(home),
           "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    env.pop("COPILOT_SITE_POLICY", None)

    walk = _section(PACKS_MD.read_text(encoding="utf-8"),
                    "## Walkthrough: a first pack from your own knowledge base", "## Common errors")
    steps = _steps(walk)
    assert sum(kind == "cmd" for kind, _, _ in steps) >= 20  # the whole walk was found
    for kind, text, expected in steps:
        if kind == "sh":
            r = subprocess.run(["bash", "-euo", "pipefail", "-c", text], cwd=work, env=env,
                               capture_output=True, text=True, timeout=120)
            assert r.returncode == 0, f"{text}\n{r.stderr}"
            continue
        r = subprocess.run(["bash", "-c", text], cwd=work, env=env, capture_output=True,
                           text=True, timeout=300)
        got = _normal(r.stdout + r.stderr, str(home))
        for want in expected:
            if want.strip() in ("", "...") or re.match(r"\s*(hashing|writing|verify):", want):
                continue  # elided lines and progress
            assert _normal(want, str(home)).strip() in got, (
                f"$ {text}\nexpected: {want}\ngot:\n{r.stdout}{r.stderr}")
