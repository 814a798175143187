"""Rephrase: tone rules with no model, LLM drafts only when they keep the facts, unsupported
facts always flagged, translation guarded; `copilot rephrase`."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from copilot.assist.call_context import CallContext
from copilot.assist.pipeline import AssistPipeline
from copilot.assist.rephrase import LLM, REPHRASE_KEY, RULES, RephraseResult, rephrase
from copilot.assist.rephrase_rules import apply_tone, normalise
from copilot.cli import main
from copilot.events import Caption
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


def test_what_the_agent_says_of_themselves_is_said_anew_never_dropped(kb) -> None:
    # A walk-through got an empty line back for each (and Copy emptied the clipboard).
    assert rephrase("There is nothing I can do.", kb, "calm").text == \
        "I'm not able to change that."
    r = rephrase("Calm down, there is nothing I can do, it's company policy.", kb, "calm")
    assert r.text == "I'm not able to change that, it's company policy."
    assert tone("That's not my problem.", "calm") == "I understand."


def test_a_draft_that_is_all_blame_leaves_nothing_and_says_so(kb) -> None:
    from copilot.assist.rephrase import NOTHING_LEFT

    for draft in ("Calm down.", "Obviously! As I already said."):
        r = rephrase(draft, kb, "calm")
        assert r.text == "" and NOTHING_LEFT in r.notes, (draft, r.text)
        assert main(["rephrase", draft, "--kb", str(NORTHWIND)]) == 0


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


# -- in a call: the call's passage and the customer's own figures ---------------------------

# The bundled demo call (resources/calls/demo_call.wav) as the recognizer wrote it.
DEMO_CALL = [
    ("agent", "Thank you for calling Northwind Mobile. My name is Sam, how can I help you today?"),
    ("customer", "Hi Sam, I was charged twice for my phone bill this month and want the extra "
                 "payment back."),
    ("agent", "I'm sorry about that. Can i have the account number please?"),
    ("customer", "Sure, at 742-931 the charge was $49.25 on March 3rd."),
    ("agent", "Thank you. I can see both payments of $49 on March 3rd."),
    ("customer", "This is the second time this has happened and honestly I'm getting really "
                 "frustrated."),
    ("customer", "How long will it take to get my money back?"),
]
ABOUT_THE_CALL = "I'm sorry about that, I'll get the 49 dollars back to you."


class _Clock:
    def now(self) -> float:
        return 0.0


def call_context(kb, said=DEMO_CALL) -> CallContext:
    """The context the window's draft box gets: the live pipeline's, after the call's turns."""
    pipeline = AssistPipeline(kb, _Clock(), lambda e: None).start()
    for n, (channel, text) in enumerate(said):
        pipeline.on_event(Caption(f"c{n}", True, channel, n * 5.0, n * 5.0 + 4, n * 5.0 + 4.5,
                                  "en", text))
    pipeline.finish(30)
    assert pipeline.errors == 0
    return pipeline.context


def test_a_draft_about_the_call_is_checked_against_the_calls_passage(kb) -> None:
    alone = rephrase(ABOUT_THE_CALL, kb)  # searched on its own, as before: nothing relevant
    assert not any(h.relevant for h in alone.hits) and "49 dollars" in unsupported_texts(alone)
    context = call_context(kb)
    assert context.passage == "BILL-01"
    r = rephrase(ABOUT_THE_CALL, kb, context=context)
    assert [h.passage.id for h in r.hits if h.relevant][:1] == ["BILL-01"]
    assert not any("no passage" in n for n in r.notes)
    # The customer's own figure is theirs, not a policy fact: neither flagged nor listed as one.
    assert not r.flagged and r.facts == () and [f.text for f in r.from_call] == ["49 dollars"]
    assert any("said in the call" in n and "49 dollars" in n for n in r.notes)
    # Searching the draft never changes the call's topic.
    assert call_context(kb) == context


def test_after_a_detour_a_draft_about_the_calls_issue_still_finds_its_passage(kb) -> None:
    """As at the end of the demo call: the card-number question moved the topic to BILL-03;
    the agent then writes about the refund, the issue the call established first."""
    context = call_context(kb, [
        ("customer", "I was charged twice for my phone bill this month, I want the extra "
                     "payment back."),
        ("agent", "I'm sorry about that, let me look."),
        ("customer", "Also, should I give you my card number over the phone?")])
    assert context.passage == "BILL-03" and [i for i, _ in context.issues] == ["BILL-01",
                                                                               "BILL-03"]
    r = rephrase(ABOUT_THE_CALL, kb, context=context)
    assert [(h.passage.id, h.reason) for h in r.hits if h.relevant] == [("BILL-01", "topic")]
    assert not any("no passage" in n for n in r.notes)


def test_in_a_call_the_customers_figures_pass_and_policy_is_still_checked(kb) -> None:
    context = call_context(kb)
    r = rephrase("For account 742931, the 49.25 dollars charged on March 3rd will be back "
                 "within 5 business days.", kb, context=context)
    assert not r.flagged, unsupported_texts(r)
    assert [f.text for f in r.from_call] == ["742931", "49.25 dollars", "March", "3rd"]
    # the policy fact, checked against the call's passage
    assert [(f.text, s) for f, s in zip(r.facts, r.fact_sources, strict=True)
            if f.kind == "duration"] == [("5 business days", ("BILL-01",))]
    # Figures the call never stated, and policy whoever said it first, are flagged as ever.
    r = rephrase("You'll get 100 dollars back within 3 business days.", kb, context=context)
    assert set(unsupported_texts(r)) == {"100 dollars", "3 business days"} and not r.from_call


@pytest.mark.parametrize(("said", "draft", "flagged"), [
    # asked for, not stated: a wish is not the customer's detail
    ("Can you refund me 100 dollars for this?", "I'll refund the 100 dollars today.",
     "100 dollars"),
    # hearsay about the policy
    ("I read online that the fee is 30 dollars.", "The fee is 30 dollars.", "30 dollars"),
])
def test_a_customers_wish_or_hearsay_is_not_a_figure_of_theirs(kb, said, draft, flagged) -> None:
    context = call_context(kb, [("customer", "I was charged twice for my bill this month."),
                                ("customer", said)])
    r = rephrase(draft, kb, context=context)
    assert flagged in unsupported_texts(r) and r.from_call == ()


def test_an_agents_earlier_policy_claim_is_still_checked(kb) -> None:
    """The agent's own sentence that states a policy term is the agent's policy, not the
    customer's detail: repeating it in a draft is checked like any policy fact."""
    context = call_context(kb, [("customer", "I was charged twice for my bill this month."),
                                ("agent", "There's a refund fee of 30 dollars.")])
    r = rephrase("The refund fee is 30 dollars.", kb, context=context)
    assert "30 dollars" in unsupported_texts(r) and r.from_call == ()


def test_an_llm_rewrite_may_keep_the_customers_figure(kb) -> None:
    engine, _ = scripted("I'm sorry about that; I'll make sure the 49 dollars comes back to you.")
    with engine:
        r = rephrase(ABOUT_THE_CALL, kb, llm=engine, context=call_context(kb))
    assert r.origin == LLM and not r.flagged and [f.text for f in r.from_call] == ["49 dollars"]


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
