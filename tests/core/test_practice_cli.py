"""`copilot practice` through copilot.cli.main: scripted answers, JSON, interactive typing,
progress, and clear refusals (live call running, no microphone, bad input)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from copilot.cli import main
from copilot.locks import live_call
from copilot.practice.scenario import scenarios_dir

ANSWERS = scenarios_dir() / "answers"


@pytest.fixture(autouse=True)
def home(copilot_home: Path) -> Path:
    return copilot_home


def run_json(capsys, *args: str) -> dict:
    assert main(["practice", *args, "--customer", "script", "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_list(capsys):
    assert main(["practice", "--list"]) == 0
    out = capsys.readouterr().out
    assert "duplicate_charge" in out and "[fr]" in out
    assert main(["practice", "--list", "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) >= 5


def test_scripted_good_run_json_is_stored(capsys, home):
    card = run_json(capsys, "duplicate_charge", "--answers",
                    str(ANSWERS / "duplicate_charge.good.txt"))
    assert card["passed"] is True and card["score"] == 1.0 and card["session_id"] == 1
    assert {c["status"] for c in card["criteria"]} == {"met"}
    assert card["response_seconds"]["median"] is None  # scripted: not measured
    assert (home / "practice.sqlite3").exists()
    assert not (home / "calls.sqlite3").exists()  # practice stays out of the call database


def test_scripted_bad_run_text(capsys):
    assert main(["practice", "card_number", "--customer", "script", "--answers",
                 str(ANSWERS / "card_number.bad.txt")]) == 0
    out = capsys.readouterr().out
    assert "CUSTOMER: Hi, I need to pay" in out and "[card number]" in out
    assert "violated: Never asks for the full card number" in out
    assert "[!] Never asks for the full card number or security code: violated" in out
    assert "score 0%  not passed" in out and "saved as practice session 1" in out


def test_timed_answers_and_leftovers(capsys, tmp_path):
    answers = tmp_path / "a.txt"
    lines = (ANSWERS / "one_device.good.txt").read_text().splitlines()
    answers.write_text("\n".join(f"[{4 + i}s] {ln}" for i, ln in enumerate(lines))
                       + "\nOne answer too many.\n")
    card = run_json(capsys, "one_device", "--answers", str(answers), "--no-save")
    assert card["response_seconds"] == {"median": 5.5, "max": 7.0, "slow_answers": 0}
    assert card["session_id"] is None


def test_progress_across_sessions(capsys):
    for name in ("duplicate_charge.bad.txt", "duplicate_charge.good.txt"):
        run_json(capsys, "duplicate_charge", "--answers", str(ANSWERS / name))
    assert main(["practice", "--progress", "duplicate_charge", "--json"]) == 0
    (p,) = json.loads(capsys.readouterr().out)
    assert p["attempts"] == 2 and p["passed"] == 1 and p["last_score"] == 1.0
    assert p["trend"] > 0
    assert main(["practice", "--progress"]) == 0
    out = capsys.readouterr().out
    assert "2 session(s), 1 passed" in out and "1/2  Verifies identity" in out


def test_progress_with_nothing_stored(capsys):
    assert main(["practice", "--progress"]) == 0
    assert "no practice sessions stored yet" in capsys.readouterr().out


def test_interactive_typing(capsys, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO(
        "Which plan are you on?\n\nYour plan lets you use up to 5 devices at the same time.\n"
        "/quit\n"))
    assert main(["practice", "one_device", "--customer", "script"]) == 0
    out = capsys.readouterr().out
    assert "Family Unlimited" in out  # the reveal answered the question
    assert "the answer is empty; try again" in out
    assert "response time" in out and "stopped before the customer was done" in out


def test_interactive_typing_with_json_prints_only_the_json(capsys, monkeypatch):
    # The prompt went to standard output before the JSON ("YOU: YOU: {"): a walk-through.
    monkeypatch.setattr("sys.stdin", io.StringIO("Which plan are you on?\n/quit\n"))
    assert main(["practice", "one_device", "--customer", "script", "--json", "--no-save"]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)["scenario"] == "one_device"
    assert "YOU: " in captured.err


def test_a_scripted_answer_with_a_card_number_is_shown_masked(capsys, tmp_path):
    answers = tmp_path / "answers.txt"
    answers.write_text("My card is 4539 1488 0343 6467, is that the one?\n", encoding="utf-8")
    assert main(["practice", "card_number", "--customer", "script", "--no-save",
                 "--answers", str(answers)]) == 0
    out = capsys.readouterr().out
    assert "4539" not in out and "[card ending 6467]" in out


def test_a_scripted_answer_is_shown_with_the_sites_own_redaction(capsys, home, tmp_path):
    home.mkdir(parents=True, exist_ok=True)
    (home / "settings.toml").write_text('[redaction]\nextra_patterns = ["MEM-\\\\d+"]\n',
                                        encoding="utf-8")
    answers = tmp_path / "answers.txt"
    answers.write_text("Your member ID MEM-88412 is on the account.\n", encoding="utf-8")
    assert main(["practice", "one_device", "--customer", "script", "--no-save",
                 "--answers", str(answers)]) == 0
    out = capsys.readouterr().out
    assert "MEM-88412" not in out and "[REDACTED]" in out


def test_refused_during_a_live_call(capsys):
    with live_call():
        assert main(["practice", "one_device", "--customer", "script", "--answers",
                     str(ANSWERS / "one_device.good.txt")]) == 2
    assert "live call is running" in capsys.readouterr().err


def test_voice_without_a_microphone_is_a_clear_error(capsys, monkeypatch):
    monkeypatch.setattr("copilot.audio.devices.list_devices", lambda: [])
    assert main(["practice", "one_device", "--customer", "script", "--voice"]) == 2
    err = capsys.readouterr().err
    assert "--voice needs a microphone" in err and "no audio input devices found" in err


@pytest.mark.parametrize("args, message", [
    (["nope"], "no scenario named 'nope'"),
    ([], "name a SCENARIO"),
    (["one_device", "--answers", "missing.txt"], "cannot read the answers file"),
    (["one_device", "--answers", "x.txt", "--voice"], "either --answers FILE or --voice"),
])
def test_bad_input(capsys, args, message):
    assert main(["practice", *args, "--customer", "script"]) == 2
    assert message in capsys.readouterr().err


def _drifting_llm(monkeypatch):
    """The customer's LLM: every line it writes drifts from the scripted beat."""
    import copilot.cli.practice as cli_practice
    from copilot.llm.engine import LlmEngine
    from copilot.llm.fake import ScriptedBackend

    def customer_llm(choice, settings, stack, quiet):
        backend = ScriptedBackend(["I am switching to another carrier tomorrow."] * 5)
        return stack.enter_context(LlmEngine(lambda: backend))

    monkeypatch.setattr(cli_practice, "_customer_llm", customer_llm)


def test_text_output_shows_trainees_no_diagnostics_json_keeps_them(capsys, monkeypatch):
    """Issue 15: why the model's line was not used is for --json (and the log), not for the
    trainee reading the conversation."""
    _drifting_llm(monkeypatch)
    good = str(ANSWERS / "duplicate_charge.good.txt")
    assert main(["practice", "duplicate_charge", "--answers", good, "--no-save"]) == 0
    out = capsys.readouterr()
    said = out.out + out.err
    assert "CUSTOMER: I don't want excuses" in said  # the scripted line was said
    for internal in ("not used", "drifts", "rejected", "switching to another carrier"):
        assert internal not in said, internal
    assert main(["practice", "duplicate_charge", "--answers", good, "--no-save", "--json"]) == 0
    card = json.loads(capsys.readouterr().out)
    rejected = [t for t in card["transcript"] if t.get("rejected")]
    assert rejected and rejected[0]["source"] == "script"
    assert rejected[0]["rejected"][0]["reason"] == "drifts from the scripted line"
