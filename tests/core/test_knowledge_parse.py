"""Reading a knowledge folder: passages, approved lines, and clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from copilot.knowledge.answer import choices
from copilot.knowledge.base import KnowledgeBase
from copilot.knowledge.parse import KnowledgeError, load_folder, parse_markdown
from copilot.knowledge.vectors import units_of

NORTHWIND = Path(__file__).resolve().parents[2].parent / "shared" / "testdata" / "kb" / "northwind"


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_sections_approved_lines_and_sources(tmp_path: Path) -> None:
    write(tmp_path, "billing.md", """# Billing
Intro text that belongs to no passage.

## [BILL-01] Double charges
Refunded within 5 business days.
**Approved line:** The money is back within 5 business days.
Second paragraph of policy.
- Approved line: Or you may say this.

### Notes
Still part of BILL-01.

## [BILL-02]   Late fees  ##
One fee waived per year.
""")
    write(tmp_path, "sub/devices.md", "## [DEV-01] Devices\nUp to 5 devices.\n")
    passages, warnings = load_folder(tmp_path)
    assert warnings == []
    assert [p.id for p in passages] == ["BILL-01", "BILL-02", "DEV-01"]
    bill = passages[0]
    assert bill.title == "Double charges"
    assert bill.approved_lines == ("The money is back within 5 business days.",
                                   "Or you may say this.")
    assert "Approved line" not in bill.text
    assert "Second paragraph of policy." in bill.text and "Still part of BILL-01." in bill.text
    assert "Intro text" not in bill.text
    assert passages[1].title == "Late fees" and passages[1].approved_lines == ()
    assert passages[2].source == "sub/devices.md"
    assert "The money is back" in bill.full_text


def test_heading_in_code_fence_is_text_and_bad_heading_is_warned() -> None:
    passages, warnings = parse_markdown(
        "## [A-1] Real\ntext\n```\n## [FAKE] not a heading\nApproved line: no\n```\n"
        "## [bad id!] Typo\nlost text\n", "x.md")
    assert [p.id for p in passages] == ["A-1"]
    assert "## [FAKE]" in passages[0].text and passages[0].approved_lines == ()
    assert len(warnings) == 1 and "x.md:7" in warnings[0]


def test_northwind_parses() -> None:
    passages, warnings = load_folder(NORTHWIND)
    assert warnings == []
    assert len(passages) == 10
    assert all(len(p.approved_lines) == 1 for p in passages)
    by_id = {p.id: p for p in passages}
    assert by_id["ROAM-02"].title == "International day pass"
    assert by_id["ROAM-02"].source == "roaming.md"


def test_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(KnowledgeError, match="not found"):
        KnowledgeBase.load(tmp_path / "nope")


def test_file_instead_of_folder(tmp_path: Path) -> None:
    f = write(tmp_path, "a.md", "## [A] a\nx\n")
    with pytest.raises(KnowledgeError, match="not a folder"):
        load_folder(f)


def test_no_passages(tmp_path: Path) -> None:
    write(tmp_path, "README.md", "# Just a readme\n\nNo sections.\n")
    with pytest.raises(KnowledgeError, match="no passages"):
        load_folder(tmp_path)


def test_duplicate_ids_name_both_files(tmp_path: Path) -> None:
    write(tmp_path, "a.md", "## [BILL-01] One\nx\n")
    write(tmp_path, "b.md", "## [bill-01] Other\ny\n")
    with pytest.raises(KnowledgeError, match=r"duplicate passage ID \[bill-01\] in a\.md and b\.md"):
        load_folder(tmp_path)


def test_duplicate_ids_in_one_file(tmp_path: Path) -> None:
    write(tmp_path, "a.md", "## [X] One\nx\n## [X] Two\ny\n")
    with pytest.raises(KnowledgeError, match=r"\[X\] twice in a\.md"):
        load_folder(tmp_path)


def test_not_utf8_file_is_named(tmp_path: Path) -> None:
    write(tmp_path, "a.md", "## [A] ok\nx\n")
    (tmp_path / "latin.md").write_bytes("## [B] caf\xe9\n".encode("latin-1"))
    with pytest.raises(KnowledgeError, match=r"cannot read .*latin\.md: not UTF-8"):
        load_folder(tmp_path)


def test_unreadable_file_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, "a.md", "## [A] a\nx\n")
    secret = write(tmp_path, "secret.md", "## [B] b\ny\n")
    real = Path.read_text

    def read_text(self: Path, *args: object, **kwargs: object) -> str:
        if self == secret:  # chmod 0 does not stop root, so refuse the read here
            raise PermissionError(13, "Permission denied", str(self))
        return real(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "read_text", read_text)
    with pytest.raises(KnowledgeError, match=r"cannot read .*secret\.md: Permission denied"):
        load_folder(tmp_path)


def test_bom_is_ignored(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_bytes("\ufeff## [A] Title\ntext\n".encode())
    passages, _ = load_folder(tmp_path)
    assert passages[0].id == "A"


def test_direct_construction_rejects_duplicates() -> None:
    from copilot.knowledge.parse import Passage

    p = Passage("A", "t", "x", (), "a.md")
    with pytest.raises(KnowledgeError, match="duplicate passage IDs: A"):
        KnowledgeBase([p, p])
    with pytest.raises(KnowledgeError, match="at least one passage"):
        KnowledgeBase([])


def test_customers_ask_lines_are_searched_but_never_policy(tmp_path: Path) -> None:
    passages, warnings = parse_markdown(
        "## [BILL-01] Double charges\n"
        "The duplicate amount is refunded within 5 business days.\n"
        "Customers ask: there's the same charge on my bill twice\n"
        "- **Customer asks:** you took the money two times\n"
        "Customers ask:\n"
        "Approved line: The money is back within 5 business days.\n", "b.md")
    bill = passages[0]
    assert bill.asks == ("there's the same charge on my bill twice", "you took the money two times")
    assert "twice" not in bill.text and "Customers ask" not in bill.text
    # Not policy: a grounding check may not rely on it, a card may not show it.
    assert "twice" not in bill.full_text
    assert all("twice" not in c for c in choices(bill))
    assert "there's the same charge on my bill twice" in units_of(bill)
    assert len(warnings) == 1 and "b.md:5" in warnings[0] and "Customers ask" in warnings[0]
    # Inside a fence it is text, like an approved line.
    fenced, _ = parse_markdown("## [A] T\n```\nCustomers ask: x\n```\n", "f.md")
    assert fenced[0].asks == () and "Customers ask: x" in fenced[0].text
