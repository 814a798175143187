"""tools/blind_kit.py: a blind writer's kit rebuilt from the repository holds what the writing
protocol names, the next set's number and an unused prefix, and none of the matching detail the
writer must not tune their words to."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CALLS = ROOT / "tests" / "data" / "calls" / "checklist"


def _kit(kind: str, out: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "tools" / "blind_kit.py"), kind, str(out)],
                          capture_output=True, text=True, check=False)


def test_the_checklist_kit_names_the_next_set_and_hides_how_items_are_recognized(tmp_path):
    assert _kit("checklist", tmp_path / "kit").returncode == 0
    kit = tmp_path / "kit"
    newest = max(int(m[1]) for p in CALLS.iterdir() if (m := re.fullmatch(r"heldout(\d+)", p.name)))
    readme = (kit / "README.md").read_text(encoding="utf-8")
    prefix = re.search(r"\(prefix `([a-z]+)`\)", readme)[1]
    assert f"set {newest + 1} " in readme
    used = {p.name.split("_")[0].rstrip("0123456789") for p in CALLS.glob("*/*.txt")}
    assert prefix not in used
    assert (kit / "expectations_protocol.md").read_bytes() == (CALLS / "WRITING.md").read_bytes()
    items = (kit / "items.md").read_text(encoding="utf-8")
    checklist = tomllib.loads((ROOT / "resources" / "checklists" / "northwind_support.toml")
                              .read_text(encoding="utf-8"))
    assert len(checklist["item"]) == 6
    for item in checklist["item"]:
        assert f'id = "{item["id"]}"' in items
        for example in item.get("examples", []):
            assert example not in items  # the sentences the matcher compares against
    topics = (kit / "earlier_topics.md").read_text(encoding="utf-8")
    assert f"## heldout{newest} " in topics


def test_a_kit_is_never_written_over(tmp_path):
    (tmp_path / "kit").mkdir()
    (tmp_path / "kit" / "mine.txt").write_text("a writer's draft", encoding="utf-8")
    done = _kit("answers", tmp_path / "kit")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.count("\n") == 1 and "is not empty" in done.stderr


def test_the_retrieval_kits_hold_the_base_then_only_its_asks_free_copy(tmp_path):
    data = ROOT / "tests" / "data"
    newest = max(int(m[1]) for p in data.iterdir()
                 if (m := re.fullmatch(r"heldout(\d+)", p.name)) and (p / "questions.jsonl").exists())
    assert _kit("retrieval-base", tmp_path / "base").returncode == 0
    base = tmp_path / "base"
    assert f"retrieval set {newest + 1} " in (base / "README.md").read_text(encoding="utf-8")
    assert (base / "make_noasks.py").read_bytes() == (ROOT / "tools" / "make_noasks.py").read_bytes()
    passage = (base / "format_passage.md").read_text(encoding="utf-8")
    assert len(re.findall(r"^## \[", passage, re.M)) == 1 and "Customers ask:" in passage
    assert not any(p.suffix == ".jsonl" for p in base.rglob("*"))  # no question of any set
    # The questions' writer gets the base without the asks its author wrote.
    written = data / f"heldout{newest}"
    run = subprocess.run([sys.executable, str(ROOT / "tools" / "blind_kit.py"),
                          "retrieval-questions", str(tmp_path / "q"), "--base", str(written)],
                         capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr
    copied = sorted((tmp_path / "q" / "kb_noasks").glob("*.md"))
    assert [p.name for p in copied] == sorted(p.name for p in (written / "kb").glob("*.md"))
    assert not any("Customers ask:" in p.read_text(encoding="utf-8") for p in copied)
    assert not (tmp_path / "q" / "kb").exists()


def test_the_questions_kit_without_a_base_is_one_line_of_error(tmp_path):
    run = _kit("retrieval-questions", tmp_path / "q")
    assert run.returncode == 1 and "needs --base" in run.stderr and "Traceback" not in run.stderr
    assert not (tmp_path / "q").exists()
