"""What the command line and the reports say to a person: counts in words ("1 call", never
"1 calls") and an expected error as one clean line, without a class name (issue 15)."""

from __future__ import annotations

import io
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from copilot.cli import main
from copilot.events import Caption
from copilot.paths import database_path
from copilot.store.db import CallStore
from copilot.text.plural import noun, plural


@pytest.mark.parametrize(("n", "expected"), [
    (0, "0 calls"), (1, "1 call"), (2, "2 calls"), (1234, "1,234 calls")])
def test_plural(n: int, expected: str) -> None:
    assert plural(n, "call") == expected


def test_plural_with_its_own_plural_form() -> None:
    assert plural(1, "entry", "entries") == "1 entry"
    assert plural(3, "entry", "entries") == "3 entries"
    assert noun(1, "line shown", "lines shown") == "line shown"
    assert noun(2, "line shown", "lines shown") == "lines shown"


@pytest.fixture
def one_call(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> int:
    """A desk with one finished call of one line."""
    monkeypatch.setenv("COPILOT_HOME", str(tmp_path))
    with CallStore(database_path()) as store:
        call = store.start_call("demo.wav", title="Billing",
                                started_at=datetime.now(UTC) - timedelta(hours=1))
        store.add_segment(call, Caption("c1", True, "agent", 0.5, 2.0, 2.2, "en", "Hello."))
        store.end_call(call)
    return call


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_deleting_a_call_of_one_segment_says_one_segment(one_call: int, monkeypatch,
                                                          capsys) -> None:
    monkeypatch.setattr(sys, "stdin", _Terminal("n\n"))
    assert main(["calls", "delete", str(one_call)]) == 1
    assert f"Delete call {one_call} (Billing, 1 segment)?" in capsys.readouterr().out


def test_a_report_of_one_call_says_one_call(one_call: int, tmp_path: Path, capsys) -> None:
    out = tmp_path / "desk.csv"
    assert main(["report", "--out", str(out)]) == 0
    assert "csv report of 1 call written to" in capsys.readouterr().out
    assert out.read_text(encoding="utf-8").startswith("# Agent Copilot desk report: 1 call, ")


def test_a_report_tile_of_one_is_singular(one_call: int) -> None:
    from copilot.report import desk_report
    from copilot.report.render import render

    html = render(desk_report(database_path()), "html")
    assert "<b>1</b><span>call</span>" in html and "<span>calls</span>" not in html


def test_kb_check_counts_one_error_in_words(tmp_path: Path, capsys) -> None:
    kb = tmp_path / "kb"
    kb.mkdir()
    (kb / "a.md").write_text("## BW-02 Plans\nText.\n", encoding="utf-8")
    assert main(["kb", "check", str(kb)]) == 1
    assert f"{kb}: 1 error, 0 warnings" in capsys.readouterr().out.splitlines()


def test_replaying_a_zero_byte_file_says_only_what_is_wrong(tmp_path: Path, monkeypatch,
                                                            capsys) -> None:
    """A real 0-byte file through the command's entry point: one line, no class name, no
    traceback, exit status 2 (an expected error)."""
    monkeypatch.setenv("COPILOT_HOME", str(tmp_path / "home"))
    empty = tmp_path / "EMPTY.wav"
    empty.write_bytes(b"")
    assert main(["replay", str(empty), "--no-llm"]) == 2
    captured = capsys.readouterr()
    assert captured.err == f"copilot: audio file {empty} is empty (0 bytes)\n"
    assert "UserError" not in captured.out + captured.err
