"""`copilot kb check` and the lint `pack build` runs: a knowledge folder's mistakes are found
before they ship (issue 14: `## BW-02 Payment plans` built and installed with no warning, and that
passage silently did not exist)."""

from __future__ import annotations

from pathlib import Path

import pytest
from packs_helpers import make_pack_dir

from copilot.cli.entry import main
from copilot.knowledge.lint import ERROR, WARNING, check_folder
from copilot.knowledge.parse import KnowledgeError, load_folder
from copilot.pack_content import check_or_raise as check_pack
from copilot.paths import sample_kb
from models.packs import build

GOOD = """# Billing

## [BW-01] Payment plans
A balance can be spread over 3 monthly payments.
Approved line: We can spread your balance over 3 monthly payments.
"""


def write(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def kinds(folder: Path) -> list[tuple[str, str]]:
    return [(f.level, f.where) for f in check_folder(folder)]


def test_the_bundled_knowledge_base_is_clean() -> None:
    assert check_folder(sample_kb()) == []


def test_a_heading_without_brackets_is_an_error_and_a_load_warning(tmp_path: Path) -> None:
    kb = write(tmp_path / "kb", {"a.md": GOOD + "\n## BW-02 Late fees\nA late fee is 5 dollars.\n"
                                          "Approved line: The late fee is 5 dollars.\n"})
    [f] = check_folder(kb)
    assert (f.level, f.where) == (ERROR, "a.md:7")
    assert "write `## [BW-02] Late fees`" in f.message
    _passages, warnings = load_folder(kb)  # `kb ask` and the status bar say so too
    assert any("looks like a passage but has no brackets" in w for w in warnings)


def test_ordinary_section_headings_are_not_mistaken_for_passages(tmp_path: Path) -> None:
    kb = write(tmp_path / "kb", {"a.md": "## Step 2 of the process\n\n" + GOOD +
                                         "\n## Billing FAQ\nNothing here.\n"})
    assert check_folder(kb) == []


def test_duplicates_numbers_not_in_the_passage_and_missing_lines(tmp_path: Path) -> None:
    kb = write(tmp_path / "kb", {
        "a.md": GOOD + "\n## [BW-03] Fees\nA fee of 5 dollars applies once.\n"
                       "Approved line: The fee is 7 dollars, charged one time.\n",
        "b.md": "## [bw-01] Again\nSomething else entirely about payments.\n"})
    found = check_folder(kb)
    assert [(f.level, f.where) for f in found] == [
        (ERROR, "a.md:7"), (ERROR, "b.md:1"), (WARNING, "b.md:1")]
    assert "“7 dollars”" in found[0].message and "“one”" not in found[0].message
    assert "duplicate passage ID [bw-01]" in found[1].message
    assert "no approved line" in found[2].message


def test_near_duplicate_passages_are_a_warning(tmp_path: Path) -> None:
    text = ("Customers travelling abroad can buy the travel day pass, which costs 12 dollars "
            "for each day it is used and includes calls, texts and data.")
    kb = write(tmp_path / "kb", {"a.md": f"## [T-1] Travel pass\n{text}\nApproved line: ok.\n\n"
                                         f"## [T-2] Travel day pass\n{text} Ask in store.\n"
                                         "Approved line: ok.\n"})
    [f] = check_folder(kb)
    assert f.level == WARNING and "[T-1] and [T-2]" in f.message


def test_a_customer_question_under_two_passages_is_a_warning(tmp_path: Path) -> None:
    kb = write(tmp_path / "kb", {"a.md": "## [A-1] Late fees\nA late fee is 5 dollars.\n"
                                         "Customers ask: why is my bill higher?\n"
                                         "Approved line: The late fee is 5 dollars.\n\n"
                                         "## [A-2] Paper bills\nA paper bill costs 2 dollars.\n"
                                         "Customers ask: Why is my bill  higher\n"
                                         "Customers ask: do you still post bills?\n"
                                         "Approved line: A paper bill costs 2 dollars.\n"})
    [f] = check_folder(kb)
    assert f.level == WARNING and f.where == "a.md:6" and "[A-1] and [A-2]" in f.message


def test_kb_check_command_exit_codes(tmp_path: Path, capsys) -> None:
    assert main(["kb", "check", str(sample_kb())]) == 0
    bad = write(tmp_path / "kb", {"a.md": "## BW-02 Plans\nText.\n"})
    assert main(["kb", "check", str(bad)]) == 1
    out = capsys.readouterr().out
    assert "a.md:1: error:" in out and "1 error, 0 warnings" in out


def test_pack_build_refuses_a_knowledge_base_with_errors(tmp_path: Path) -> None:
    src = make_pack_dir(tmp_path)
    (src / "kb" / "late.md").write_text("## BW-02 Late fees\nA late fee is 5 dollars.\n")
    with pytest.raises(KnowledgeError, match="looks like a passage but has no brackets"):
        build(src, tmp_path / "site.tar", check=check_pack)
    assert not (tmp_path / "site.tar").exists()
    (src / "kb" / "late.md").write_text("## [BW-02] Late fees\nA late fee is 5 dollars.\n")
    result = build(src, tmp_path / "site.tar", check=check_pack)
    assert any("no approved line" in w for w in result.warnings)  # warnings do not stop it


def test_pack_build_checks_a_knowledge_folder_named_otherwise(tmp_path: Path) -> None:
    src = tmp_path / "site"
    write(src / "knowledge", {"a.md": "## BW-02 Late fees\nA late fee is 5 dollars.\n"})
    (src / "pack.toml").write_text('id = "site"\nversion = "1.0.0"\n\n[components.kb]\n'
                                   'path = "knowledge"\n')
    with pytest.raises(KnowledgeError, match="looks like a passage"):
        build(src, tmp_path / "site.tar", check=check_pack)


def test_a_loaded_base_never_suggests_a_line_kb_check_calls_an_error(tmp_path: Path) -> None:
    # A second walk-through: a folder given with --kb, whose approved line states a fee and a
    # time its passage does not, had that line served as "verified (approved line)".
    from copilot.assist.suggest import suggest
    from copilot.knowledge.base import KnowledgeBase

    kb_dir = write(tmp_path / "kb", {"a.md": GOOD + (
        "\n## [RET-04] Late returns\nItems returned late are charged a late return fee.\n"
        "Approved line: The late return fee is 15 pounds and you have 14 days.\n"
        "Approved line: Items returned late are charged a late return fee.\n")})
    with KnowledgeBase.load(kb_dir, mode="keyword") as kb:
        assert kb.passages["RET-04"].approved_lines == (
            "Items returned late are charged a late return fee.",)
        (warning,) = [w for w in kb.warnings if "RET-04" in w]
        assert "approved line not used" in warning and "“15 pounds”" in warning
        assert kb.passages["BW-01"].approved_lines  # a sound line stays
        result = suggest("what's the fee for returning late?", kb)
    assert all("15 pounds" not in s.text for s in result.suggestions)
