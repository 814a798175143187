"""Rephrase: tone rules with no model, LLM drafts only when they keep the facts, unsupported
facts always flagged, translation guarded; `copilot rephrase`."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from copilot.assist.rephrase import LLM, REPHRASE_KEY, RULES, RephraseResult, rephrase
from copilot.assist.rephrase_rules import apply_tone, normalise
from copilot.cli import main
from copilot.knowledge.base import KnowledgeBase
from copilot.knowledge.verify import verify
from copilot.llm.engine import LlmEngine
from copilot.llm.fake import ScriptedBackend

NORTHWIND = Path(__file__).resolve().parents[2].parent / "shared" / "testdata" / "kb" / "northwind"
DEVICES = "Your plan lets you use up to 5 devices at the same time."
NO_CASING = (frozenset(), {})


@pytest.fixture(scope="module")
def kb():
    with KnowledgeBase.load(NORTHWIND) as base:
        yield base


def scripted(*scripts: str) -> tuple[LlmEngine, ScriptedBackend]:
    backend = ScriptedBackend(list(scripts))
    return LlmEngine(lambda: backend), backend


def unsupported_texts(r: RephraseResult) -> list[str]:
    return [f.text for f in r.unsupported]


def tone(text: str, name: str) -> str:
    return apply_tone(normalise(text, NO_CASING), name, lambda s: bool(verify(s, []).facts))


# -- grounding -------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["calm", "formal", "brief"])
def test_an_invented_refund_rule_is_flagged_in_every_tone(kb, name) -> None:
    r = rephrase("Don't worry, you'll get a full refund within 90 days!!", kb, name)
    assert r.flagged and r.origin == RULES
    assert "90 days" in unsupported_texts(r) and "refund" in unsupported_texts(r)
    assert "90 days" in r.text  # flagged, never silently dropped


def test_a_supported_fact_passes_and_cites_its_passage(kb) -> None:
    r = rephrase(DEVICES, kb)
    assert not r.flagged and r.unsupported == ()
    assert r.sources == ("DEV-01",)
    (fact,) = r.facts
    assert fact.text == "5" and fact.supported and r.fact_sources == (("DEV-01",),)


def test_the_wrong_number_for_a_real_policy_is_flagged(kb) -> None:
    r = rephrase("Your plan lets you use up to 3 devices at the same time.", kb)
    assert r.flagged and unsupported_texts(r) == ["3"]


def test_two_policies_in_one_draft_are_each_checked(kb) -> None:
    r = rephrase("You can cancel at any time, and the Travel Day Pass costs 12 dollars per day.",
                 kb)
    assert not r.flagged, unsupported_texts(r)
    assert set(r.sources) == {"CAN-01", "ROAM-02"}


def test_a_draft_with_no_policy_fact_is_not_flagged_and_cites_nothing(kb) -> None:
    r = rephrase("Let me check that for you, bear with me please.", kb)
    assert not r.flagged and r.facts == () and r.sources == ()


def test_every_unsupported_fact_of_the_result_is_listed(kb) -> None:
    drafts = ["Obviously you should have paid on time!! The late fee is 25 dollars.",
              "I'll give you 30% off for 6 months and a free phone.",
              "As I said, Mexico roaming is unlimited and the day pass is free."]
    for d in drafts:
        r = rephrase(d, kb)
        cited = [h.passage for h in r.hits if h.relevant]
        again = verify(r.text, cited, names=())
        assert {f.text for f in again.unsupported} <= set(unsupported_texts(r)), d
        assert r.flagged


# -- tone rules (no model) -------------------------------------------------------------------

def test_calm_drops_blame_absolutes_shouting_and_bangs(kb) -> None:
    r = rephrase("Obviously you should have read the contract!! As I already said, you can "
                 "CANCEL at any time.", kb, "calm")
    assert r.text == "You can cancel at any time."
    assert not r.flagged


def test_calm_softens_blame_that_carries_a_fact() -> None:
    out = tone("You should have paid within 5 business days.", "calm")
    assert out == "It's best to have paid within 5 business days."


def test_formal_expands_contractions_and_makes_requests_polite() -> None:
    out = tone("Yeah, I can't waive it. Send me the photo. We'll call you, it's fine.", "formal")
    assert out == ("Yes, I cannot waive it. Please send me the photo. We will call you, "
                   "it is fine.")
    assert "'" not in out


def test_brief_drops_filler_and_repeats_but_keeps_facts() -> None:
    draft = ("Um, so basically I just wanted to let you know that the duplicate amount is "
             "refunded within 5 business days. The duplicate amount is refunded within 5 "
             "business days.")
    out = tone(draft, "brief")
    assert out == "The duplicate amount is refunded within 5 business days."
    assert len(out) < len(tone(draft, "calm"))


def test_shouted_words_take_the_knowledge_base_casing_and_acronyms_stay(kb) -> None:
    r = rephrase("The FAMILY UNLIMITED plan allows up to 10 devices, confirm your PIN.", kb,
                 "formal")
    assert "Family Unlimited" in r.text and "PIN" in r.text


def test_bad_input_is_refused_with_a_clear_message(kb) -> None:
    with pytest.raises(ValueError, match="tone"):
        rephrase(DEVICES, kb, "angry")
    with pytest.raises(ValueError, match="empty"):
        rephrase("   ", kb)


# -- the LLM ---------------------------------------------------------------------------------

def test_an_llm_draft_that_keeps_the_facts_is_accepted(kb) -> None:
    engine, backend = scripted("Good news: you can use up to 5 devices at the same time on "
                               "your plan.")
    with engine:
        r = rephrase("your plan lets you use up to 5 devices at the same time!!", kb, llm=engine)
    assert r.origin == LLM and not r.flagged
    assert r.text == "Good news: you can use up to 5 devices at the same time on your plan."
    assert r.sources == ("DEV-01",)
    assert len(backend.prompts) == 1 and "up to 5 devices" in backend.prompts[0]


def test_an_llm_draft_with_an_invented_number_is_rejected(kb) -> None:
    engine, _ = scripted("You can use up to 10 devices at the same time, free for 30 days.")
    with engine:
        r = rephrase(DEVICES, kb, llm=engine)
    assert r.origin == RULES and r.text == DEVICES and not r.flagged
    (rejected,) = r.rejected_drafts
    assert "drops a fact" in rejected.reason or "adds facts" in rejected.reason
    assert any("not used" in n for n in r.notes)


def test_an_llm_draft_that_adds_an_unsupported_fact_is_rejected(kb) -> None:
    engine, _ = scripted(DEVICES + " You also get 20 GB free.")
    with engine:
        r = rephrase(DEVICES, kb, llm=engine)
    assert r.origin == RULES and r.text == DEVICES
    assert r.rejected_drafts[0].reason.startswith("adds facts no passage supports")
    assert {"20", "free"} <= {f.text for f in r.rejected_drafts[0].unsupported}


def test_an_llm_draft_that_drops_the_agents_unsupported_fact_is_rejected(kb) -> None:
    """Dropping it would hide it: the agent wrote it and must see the flag."""
    engine, _ = scripted("You will get your money back soon.")
    with engine:
        r = rephrase("You'll get a full refund within 90 days.", kb, llm=engine)
    assert r.origin == RULES and r.flagged and "90 days" in unsupported_texts(r)
    assert "drops a fact" in r.rejected_drafts[0].reason


def test_the_llm_rewrite_follows_the_tone_rules_too(kb) -> None:
    engine, _ = scripted("Rewritten: I can't change it, but you can use up to 5 devices at the "
                         "same time!!")
    with engine:
        r = rephrase(DEVICES, kb, "formal", llm=engine)
    assert r.origin == LLM
    assert r.text == "I cannot change it, but you can use up to 5 devices at the same time."


def test_a_looping_or_failing_llm_leaves_the_rules_text(kb) -> None:
    engine, _ = scripted("I'm sorry, " * 60)
    with engine:
        r = rephrase(DEVICES, kb, llm=engine)
    assert r.origin == RULES and r.text == DEVICES and r.rejected_drafts == ()
    assert any("not used" in n for n in r.notes)

    def broken():
        raise OSError("model file is corrupt")

    with LlmEngine(broken) as dead:
        r = rephrase(DEVICES, kb, llm=dead)
    assert r.origin == RULES and any("LLM failed" in n for n in r.notes)


def test_requests_use_the_rephrase_key(kb) -> None:
    engine, backend = scripted(DEVICES)
    seen = []
    original = engine.generate

    def spy(*a, **kw):
        seen.append(kw.get("key"))
        return original(*a, **kw)

    engine.generate = spy  # type: ignore[method-assign]
    with engine:
        rephrase(DEVICES, kb, llm=engine)
    assert seen == [REPHRASE_KEY]


# -- translation -----------------------------------------------------------------------------

class DictTranslator:
    def __init__(self, table: dict[str, str]) -> None:
        self.table = table
        self.calls: list[tuple[str, str, str]] = []

    def translate(self, text: str, src: str, tgt: str) -> str:
        self.calls.append((text, src, tgt))
        return self.table[text]


def test_translated_after_the_check(kb) -> None:
    fr = "Votre forfait permet d'utiliser jusqu'à 5 appareils en même temps."
    t = DictTranslator({DEVICES: fr})
    r = rephrase(DEVICES, kb, target_lang="fr", translator=t)
    assert r.text == fr and r.lang == "fr" and r.text_en == DEVICES
    assert t.calls == [(DEVICES, "en", "fr")] and not r.flagged


def test_a_translation_that_changes_a_number_is_not_shown(kb) -> None:
    t = DictTranslator({DEVICES: "Votre forfait permet d'utiliser jusqu'à 50 appareils."})
    r = rephrase(DEVICES, kb, target_lang="fr", translator=t)
    assert r.text == DEVICES and r.lang == "en"
    assert any("lost or changed 5" in n for n in r.notes)


def test_no_translator_says_so_and_returns_english(kb) -> None:
    r = rephrase(DEVICES, kb, target_lang="es")
    assert r.text == DEVICES and r.lang == "en"
    assert any("no translator" in n for n in r.notes)


# -- the command -----------------------------------------------------------------------------

def test_cli_json(copilot_home, capsys) -> None:
    code = main(["rephrase", "Obviously you'll get a FULL refund within 90 days!!",
                 "--kb", str(NORTHWIND), "--tone", "formal", "--json"])
    assert code == 0
    out = json.loads(capsys.readouterr().out)
    assert out["flagged"] is True and out["tone"] == "formal" and out["origin"] == "rules"
    assert out["text"] == "You will get a full refund within 90 days."
    assert {"90 days", "refund"} <= {f["text"] for f in out["unsupported"]}
    assert out["passages"] and out["passages"][0]["id"] == "BILL-01"


def test_cli_text_shows_the_line_the_passages_and_a_warning_per_unsupported_fact(
        copilot_home, capsys) -> None:
    code = main(["rephrase", "You can cancel at ANY time, and roaming in Mexico is free for "
                 "90 days!!", "--kb", str(NORTHWIND), "--lang", "fr"])
    out = capsys.readouterr().out
    assert code == 0
    assert "You can cancel at any time" in out and "[CAN-01]" in out
    warnings = [line for line in out.splitlines() if line.startswith("WARNING")]
    assert any('"90 days"' in w for w in warnings)
    assert re.search(r"note: no translator is installed for en->fr", out)


def test_cli_bad_input(copilot_home, capsys, tmp_path) -> None:
    assert main(["rephrase", "hello", "--kb", str(tmp_path / "missing")]) == 2
    assert "not found" in capsys.readouterr().err
    assert main(["rephrase", "  ", "--kb", str(NORTHWIND)]) == 2
    assert "empty" in capsys.readouterr().err


def test_a_tone_rule_that_changed_a_fact_would_be_caught(kb, monkeypatch) -> None:
    """The safety net behind the rules: if one ever rewrote a number, the draft is kept."""
    from copilot.assist import rephrase as module

    monkeypatch.setattr(module, "apply_tone", lambda text, tone, has_fact: text.replace("5", "6"))
    r = rephrase(DEVICES + "!!", kb)
    assert r.text == DEVICES + "!" and not r.flagged
    assert any("would have changed a fact" in n for n in r.notes)
