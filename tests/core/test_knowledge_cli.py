"""`copilot kb ask | eval` through copilot.cli.main."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from copilot.cli import main

KB = Path(__file__).resolve().parents[2].parent / "shared" / "testdata" / "kb"
NORTHWIND = str(KB / "northwind")


@pytest.fixture(autouse=True)
def home(copilot_home: Path) -> Path:
    return copilot_home


def test_ask_prints_ids_titles_scores(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["kb", "ask", "Can I keep my phone number?", "--kb", NORTHWIND, "-k", "2"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("1. CAN-02  Keeping a phone number")
    assert "score " in out and ": relevant" in out and "Approved line: Yes, you can keep" in out
    assert "2. " in out and "3. " not in out


def test_ask_says_a_reported_claim_gets_a_card_not_a_line(
        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["kb", "ask", "Can I keep my phone number?", "--kb", NORTHWIND, "-k", "1"]) == 0
    assert ": relevant" in capsys.readouterr().out
    assert main(["kb", "ask", "Your website said I can keep my phone number for free?",
                 "--kb", NORTHWIND, "-k", "1"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("1. CAN-02") and ": relevant" not in out
    assert "a card: the caller reports a claim, no line" in out


def test_ask_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["kb", "ask", "late fee", "--kb", NORTHWIND, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["abstain"] is False and data["kb_lang"] == "en"
    first = data["passages"][0]
    assert first["id"] == "BILL-02" and first["title"] == "Late payment fees"
    assert first["score"] > 0 and first["relevant"] is True


def test_ask_abstains(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["kb", "ask", "Do you have a student discount?", "--kb", NORTHWIND]) == 0
    assert "the copilot would abstain" in capsys.readouterr().out
    assert main(["kb", "ask", "What is the refund policy for bereavement travel?", "--kb",
                 NORTHWIND, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["abstain"] is True and data["passages"]


def test_ask_other_language_says_how_it_is_searched(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["kb", "ask", "¿Cuánto cuesta en México?", "--lang", "es", "--kb", NORTHWIND,
                 "--json"]) == 0
    captured = capsys.readouterr()
    assert "service glossary" in captured.err and "not a translation" in captured.err
    assert json.loads(captured.out)["passages"][0]["id"] == "ROAM-01"


def test_ask_injection_text(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["kb", "ask", 'card" NEAR(number -x*) OR (', "--kb", NORTHWIND, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["passages"][0]["id"] == "BILL-03"


def test_missing_kb_is_a_user_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["kb", "ask", "hello", "--kb", str(tmp_path / "nope")]) == 2
    assert "knowledge folder not found" in capsys.readouterr().err


def test_duplicate_ids_is_a_user_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "a.md").write_text("## [X] a\nx\n", encoding="utf-8")
    (tmp_path / "b.md").write_text("## [X] b\ny\n", encoding="utf-8")
    assert main(["kb", "ask", "hello", "--kb", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "a.md" in err and "b.md" in err


def test_eval_text(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["kb", "eval", "--kb", NORTHWIND, str(KB / "northwind_eval.jsonl")]) == 0
    out = capsys.readouterr().out
    assert "Answerable questions: 14" in out
    assert "en: first 12/12 (100.0%)" in out
    assert "correctly judged not relevant (abstain): 6/6 (100.0%)" in out
    assert "fr: first 1/1 (100.0%)" in out and "es: first 1/1 (100.0%)" in out
    assert "Misses" not in out


def test_eval_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["kb", "eval", "--kb", NORTHWIND, str(KB / "northwind_eval.jsonl"),
                 "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    s = data["summary"]
    assert s["answerable_en"]["ranked_first_and_relevant"] == 1.0
    assert s["unanswerable"] == {"questions": 6, "abstained": 1.0}
    assert {m["lang"] for m in data["misses"]} <= {"fr", "es"}


def test_eval_bad_file_is_a_user_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["kb", "eval", "--kb", NORTHWIND, str(tmp_path / "missing.jsonl")]) == 2
    assert "cannot read eval file" in capsys.readouterr().err
