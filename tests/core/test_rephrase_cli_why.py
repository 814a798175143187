"""`copilot rephrase --llm` says why the local model's rewording was declined in the draft's own
words (RephraseResult.llm_why), as the window's draft box does; --json keeps the diagnostic
reason (the fact keys) for scripts and adds the plain one."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

import pytest

from copilot.cli import main
from copilot.llm.engine import LlmEngine
from copilot.llm.fake import ScriptedBackend

NORTHWIND = Path(__file__).resolve().parents[2].parent / "shared" / "testdata" / "kb" / "northwind"
DRAFT = "The duplicate is refunded within 5 business days."
REWRITE = "The duplicate will be refunded soon."
PLAIN = "it left out \u201c5 business days\u201d from your draft"
DIAGNOSTIC = "drops a fact of the draft: within 5 business day"


@pytest.fixture
def scripted_llm(monkeypatch: pytest.MonkeyPatch) -> None:
    """The command's LLM answers REWRITE, which loses the draft's "5 business days"."""
    def open_llm(stack: contextlib.ExitStack) -> LlmEngine:
        backend = ScriptedBackend([REWRITE])
        return stack.enter_context(LlmEngine(lambda: backend))

    monkeypatch.setattr("copilot.cli.rephrase.open_llm", open_llm)


def test_the_text_output_says_the_reason_in_the_drafts_words(copilot_home, capsys,
                                                             scripted_llm) -> None:
    assert main(["rephrase", DRAFT, "--kb", str(NORTHWIND), "--llm"]) == 0
    out = capsys.readouterr().out
    assert PLAIN in out, out
    assert "drops a fact" not in out and "business day," not in out
    assert f"rejected LLM draft ({PLAIN}): {REWRITE}" in out
    assert "5 business days" in out.splitlines()[1]  # the rules' text is what is shown


def test_json_keeps_the_diagnostic_reason(copilot_home, capsys, scripted_llm) -> None:
    assert main(["rephrase", DRAFT, "--kb", str(NORTHWIND), "--llm", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["rejected_drafts"][0]["reason"] == DIAGNOSTIC
    assert f"the LLM's rewrite was not used ({DIAGNOSTIC})" in out["notes"]
    assert out["llm_why"] == PLAIN


def test_a_flagged_timing_is_named_a_timing_on_the_command_line(copilot_home, capsys) -> None:
    # the final walk-through: `copilot rephrase "We can refund it right now."` printed
    # 'term "now"', where the window says "timing"
    assert main(["rephrase", "We can refund it right now.", "--kb", str(NORTHWIND)]) == 0
    out = capsys.readouterr().out
    assert 'WARNING: timing "now"' in out and 'term "now"' not in out
