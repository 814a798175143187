"""Suggested lines: approved line first, adapter drafts only when verified, abstain otherwise;
the eval bars on the Northwind set; `copilot suggest`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from copilot.assist import suggest_eval
from copilot.assist.suggest import (
    ADAPTED,
    APPROVED,
    PassageSentenceAdapter,
    Suggestion,
    suggest,
)
from copilot.cli import main
from copilot.knowledge.base import KnowledgeBase
from copilot.knowledge.parse import Passage
from copilot.settings import AssistSettings, Settings

KB = Path(__file__).resolve().parents[2].parent / "shared" / "testdata" / "kb"
NORTHWIND = KB / "northwind"
EVAL = KB / "northwind_eval.jsonl"
LATE_FEE = "I paid late by two days, can you remove the late fee?"


@pytest.fixture(scope="module")
def kb():
    with KnowledgeBase.load(NORTHWIND) as base:
        yield base


class FixedAdapter:
    """A stand-in for the LLM: always answers with the same draft, and records its calls."""

    def __init__(self, draft: str | None) -> None:
        self.draft = draft
        self.calls: list[tuple[str, str, str]] = []

    def adapt(self, customer_text: str, approved_line: str, passage: Passage) -> str | None:
        self.calls.append((customer_text, approved_line, passage.id))
        return self.draft


class BrokenAdapter:
    def adapt(self, customer_text: str, approved_line: str, passage: Passage) -> str | None:
        raise RuntimeError("model crashed")


# -- approved line, adapter, abstention -----------------------------------------------------

def test_approved_line_verbatim_without_adapter(kb) -> None:
    r = suggest(LATE_FEE, kb)
    assert not r.abstained and len(r.suggestions) == 1
    s = r.suggestions[0]
    assert s.text == kb.passages["BILL-02"].approved_lines[0]
    assert s.sources == ("BILL-02",) and s.origin == APPROVED
    assert s.grounded and s.verified and not s.rejected_drafts
    assert {f.text for f in s.facts} >= {"12-month", "waive"}


def test_adapter_that_invents_policy_is_rejected(kb) -> None:
    for draft, invented in [
        ("Sure! We can waive all late fees on your account.", "all"),
        ("I can waive this late fee and the next 3 too, once in any 12-month period.", "3"),
        ("Good news: late fees are always free for loyal customers, one-time or not, "
         "in any 12-month period.", "always"),
    ]:
        fake = FixedAdapter(draft)
        s = suggest(LATE_FEE, kb, adapter=fake).suggestions[0]
        assert fake.calls == [(LATE_FEE, kb.passages["BILL-02"].approved_lines[0], "BILL-02")]
        assert s.text == kb.passages["BILL-02"].approved_lines[0] and s.origin == APPROVED
        assert s.grounded and s.verified
        [rejected] = s.rejected_drafts
        assert rejected.draft == draft and rejected.reason == "unsupported facts"
        assert invented in {f.text for f in rejected.unsupported}


def test_adapter_that_rephrases_faithfully_is_accepted(kb) -> None:
    draft = ("Sorry about that! I can waive this late fee as a one-time courtesy; "
             "we can do that once in any twelve-month period.")
    s = suggest(LATE_FEE, kb, adapter=FixedAdapter(draft)).suggestions[0]
    assert s.text == draft and s.origin == ADAPTED
    assert s.sources == ("BILL-02",) and s.grounded and s.verified and not s.rejected_drafts


def test_adapter_that_drops_a_condition_is_rejected(kb) -> None:
    # The verifier already refuses "waive" without the "one-time" it comes with...
    s = suggest(LATE_FEE, kb, adapter=FixedAdapter("I can waive this late fee for you.")
                ).suggestions[0]
    assert s.origin == APPROVED and s.rejected_drafts[0].reason == "unsupported facts"
    # ... and a draft whose every fact is true but which leaves out the price is no better.
    draft = "Outside North America you can use the Travel Day Pass."
    s = suggest("I'm travelling to Japan, what does it cost per day?", kb,
                adapter=FixedAdapter(draft)).suggestions[0]
    assert s.origin == APPROVED and s.sources == ("ROAM-02",)
    [rejected] = s.rejected_drafts
    assert rejected.unsupported == () and "12 dollars" in rejected.reason
    assert rejected.reason.startswith("drops a fact of the approved line")


def test_adapter_that_loops_fails_or_says_nothing(kb) -> None:
    approved = kb.passages["BILL-02"].approved_lines[0]
    s = suggest(LATE_FEE, kb, adapter=FixedAdapter("I'm sorry, " * 200)).suggestions[0]
    assert s.text == approved and s.rejected_drafts[0].reason == "too long for a rephrasing"
    for adapter in (BrokenAdapter(), FixedAdapter(None), FixedAdapter("  "),
                    FixedAdapter(approved)):
        s = suggest(LATE_FEE, kb, adapter=adapter).suggestions[0]
        assert s.text == approved and s.origin == APPROVED and not s.rejected_drafts


def test_abstains_when_nothing_is_relevant(kb) -> None:
    adapter = FixedAdapter("Students get 30% off!")
    r = suggest("Do you have a student discount?", kb, adapter=adapter)
    assert r.abstained and adapter.calls == []
    [s] = r.suggestions
    assert s.text == AssistSettings().abstain_text and s.abstained
    assert s.sources == () and s.grounded is False and s.verified is True
    own = AssistSettings(abstain_text="Let me check that for you.")
    assert suggest("Is there a loyalty bonus?", kb, settings=own).suggestions[0].text == \
        "Let me check that for you."
    # An abstention that promises something is still shown, but not as verified.
    risky = AssistSettings(abstain_text="Let me check; I'll call you back within 24 hours.")
    assert suggest("Is there a loyalty bonus?", kb, settings=risky).suggestions[0].verified \
        is False


def test_passage_without_approved_line_gives_no_line(tmp_path: Path) -> None:
    fee = ("## [FEE-01] Paper bill fee\nA paper bill costs 2 dollars per month.\n\n"
           "## [X-01] Other\nSomething else entirely.\n")
    opt_out = ("## [FEE-02] Paper bill opt out\nCustomers can switch off the paper bill fee "
               "online.\nApproved line: You can switch off paper bills online at any time.\n")
    question = "Why is there a paper bill fee on my bill?"
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "kb.md").write_text(fee, encoding="utf-8")
    with KnowledgeBase.load(tmp_path / "a") as small:
        assert small.search(question)[0].relevant
        assert suggest(question, small).abstained  # no line is composed from policy text
    (tmp_path / "a" / "more.md").write_text(opt_out, encoding="utf-8")
    with KnowledgeBase.load(tmp_path / "a") as small:
        assert small.search(question)[0].passage.id == "FEE-01"
        r = suggest(question, small)
        assert [s.sources for s in r.suggestions] == [("FEE-02",)]
        assert r.suggestions[0].text == "You can switch off paper bills online at any time."


def test_second_suggestion_only_when_close_and_relevant(kb) -> None:
    unlock = "I want to use my phone with another carrier, can you unlock it?"
    assert [s.sources for s in suggest(unlock, kb).suggestions] == [("DEV-02",)]
    loose = AssistSettings(second_min_ratio=0.0)
    assert [s.sources for s in suggest(unlock, kb, settings=loose).suggestions] == [
        ("DEV-02",), ("CAN-02",)]
    one = AssistSettings(second_min_ratio=0.0, max_suggestions=1)
    assert len(suggest(unlock, kb, settings=one).suggestions) == 1


def test_window_of_captions(kb) -> None:
    r = suggest(["Hi, it's about my bill.", "I was charged twice this month."], kb)
    assert r.suggestions[0].sources == ("BILL-01",)


def test_passage_sentence_adapter_adds_the_named_plan(kb) -> None:
    r = suggest("How many devices can I use on Family Unlimited?", kb,
                adapter=PassageSentenceAdapter())
    s = r.suggestions[0]
    assert s.origin == ADAPTED and s.verified and s.sources == ("DEV-01",)
    assert s.text.startswith(kb.passages["DEV-01"].approved_lines[0])
    assert "Family Unlimited plan allows up to 10 devices" in s.text
    plain = suggest("How many devices can I use on my plan?", kb,
                    adapter=PassageSentenceAdapter())
    assert plain.suggestions[0].origin == APPROVED


def test_event_shape(kb) -> None:
    s = suggest(LATE_FEE, kb).suggestions[0]
    assert s.to_event("c12", 15.00049) == {
        "type": "suggestion", "of": "c12", "text": s.text, "sources": ["BILL-02"],
        "grounded": True, "at": 15.0}
    ab = suggest("Do you have a student discount?", kb)
    assert ab.to_events("c3", 2.0) == [{
        "type": "suggestion", "of": "c3", "text": AssistSettings().abstain_text,
        "sources": [], "grounded": False, "at": 2.0}]


def test_settings_round_trip(tmp_path: Path) -> None:
    s = Settings()
    s.assist.abstain_text = 'Let me check "that" for you.'
    s.assist.second_min_ratio = 0.5
    s.save(tmp_path / "s.toml")
    back = Settings.load(tmp_path / "s.toml")
    assert back.assist == s.assist


# -- the eval bars ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def report(kb):
    from copilot.assist.translate.service import SearchTranslator

    return suggest_eval.run_eval(kb, suggest_eval.load_cases(EVAL),
                                     PassageSentenceAdapter(), translator=SearchTranslator())


def test_eval_no_invented_policy(report, kb) -> None:
    shown = [s for r in report.results for s in r.result.suggestions if not s.abstained]
    assert shown
    assert [(r.case.utterance, r.violations) for r in report.results if r.violations] == []
    assert all(s.verified and s.grounded and s.sources for s in shown)
    # The same bar without any adapter: approved lines only.
    plain = suggest_eval.run_eval(kb, suggest_eval.load_cases(EVAL))
    assert not [r for r in plain.results if r.violations]


def test_eval_abstains_on_every_unanswerable(report) -> None:
    un = [r for r in report.results if not r.case.expect]
    assert len(un) >= 5
    assert [r.case.utterance for r in un if not r.result.abstained] == []


def test_eval_cites_expected_passage_and_mentions_facts_english(report) -> None:
    en = report.answerable("en")
    assert len(en) >= 10
    assert sum(r.cited for r in en) / len(en) >= 0.9, [r.case.utterance for r in en
                                                       if not r.cited]
    assert [r.case.utterance for r in en if not r.mentions] == []
    assert sum(bool(r.case.must_mention) for r in en) >= 3


def test_eval_cites_expected_passage_french_and_spanish(report, kb) -> None:
    foreign = [r for r in report.answerable() if report.lang_of(r) != kb.lang]
    assert {report.lang_of(r) for r in foreign} == {"fr", "es"}
    assert all(r.cited for r in foreign)


def test_independent_check_catches_invented_numbers(kb) -> None:
    bad = Suggestion("You get 30 days to pay, no fee.", ("BILL-02",), True, True, ADAPTED)
    found = suggest_eval.violations(bad, kb, ("no fee",))
    assert "says 'no fee'" in found and "number 30 is in no cited passage" in found
    words = Suggestion("It takes forty days.", ("BILL-01",), True, True, ADAPTED)
    assert suggest_eval.violations(words, kb) == ["number 40 is in no cited passage"]


# -- the command --------------------------------------------------------------------------------

@pytest.fixture
def home(copilot_home: Path) -> Path:
    copilot_home.mkdir(parents=True, exist_ok=True)
    return copilot_home


def test_cli_suggest_text(home, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["suggest", LATE_FEE, "--kb", str(NORTHWIND)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("1. [BILL-02] verified (approved line)")
    assert "I can waive this late fee" in out
    assert main(["suggest", "Do you have a student discount?", "--kb", str(NORTHWIND)]) == 0
    out = capsys.readouterr().out
    assert "abstains" in out and AssistSettings().abstain_text in out


def test_cli_suggest_json_uses_settings(home, capsys: pytest.CaptureFixture[str]) -> None:
    s = Settings()
    s.assist.abstain_text = "One moment, let me check."
    s.save(home / "settings.toml")
    assert main(["suggest", "Is there a loyalty bonus?", "--kb", str(NORTHWIND), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["abstained"] is True
    assert data["suggestions"][0]["text"] == "One moment, let me check."
    assert main(["suggest", "How many devices can I use on Family Unlimited?", "--kb",
                 str(NORTHWIND), "--json"]) == 0
    [line] = json.loads(capsys.readouterr().out)["suggestions"]
    assert line["sources"] == ["DEV-01"] and line["verified"] and line["origin"] == "adapted"
    assert {"kind": "number", "text": "10", "supported": True} in line["facts"]


def test_cli_suggest_eval(home, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["suggest", "--eval", str(EVAL), "--kb", str(NORTHWIND)]) == 0
    out = capsys.readouterr().out
    assert "answerable en: 12 questions, expected passage cited 100.0%" in out
    assert "unanswerable: 6 questions, abstained 100.0%" in out
    assert "with an invented policy fact: 0" in out
    assert main(["suggest", "--eval", str(EVAL), "--kb", str(NORTHWIND), "--json",
                 "--adapter", "none"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["summary"]["suggestions"]["with_violation"] == 0
    assert data["summary"]["unanswerable"]["abstained"] == 1.0


def test_cli_suggest_usage_errors(home, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["suggest", "--kb", str(NORTHWIND)]) == 2
    assert "give either an UTTERANCE or --eval" in capsys.readouterr().err
    assert main(["suggest", "hi", "--eval", str(EVAL), "--kb", str(NORTHWIND)]) == 2
    assert main(["suggest", "hi", "--kb", str(home / "missing")]) == 2
    assert "not found" in capsys.readouterr().err
