"""The simulated customer with a scripted LLM backend: good lines are used, every kind of bad
line falls back to the scenario's script, fixed beats and revealed facts never reach the
model."""

from __future__ import annotations

import pytest

from copilot import paths
from copilot.llm.engine import LlmEngine
from copilot.llm.fake import ScriptedBackend
from copilot.practice.customer import SimulatedCustomer, clean_line
from copilot.practice.scenario import find_scenario
from copilot.practice.session import PracticeOptions, PracticeSession

ASK_ID = "Could you confirm your account number and your 4-digit account PIN?"
BEAT = "I don't want excuses. When exactly do I get my money back?"


def engine(*scripts):
    backend = ScriptedBackend(list(scripts))
    return LlmEngine(lambda: backend), backend


def test_a_good_llm_line_is_used_and_the_prompt_holds_the_persona():
    llm, backend = engine("No excuses please. When will my money actually be back?")
    with llm:
        c = SimulatedCustomer(find_scenario("duplicate_charge"), llm)
        c.opening()
        turn = c.reply("I'm sorry to hear that.")
    assert turn.source == "llm" and turn.text == "No excuses please. When will my money " \
                                                  "actually be back?"
    assert turn.rejected == ()
    prompt = backend.prompts[0]
    assert "Dana Reyes" in prompt and "never the agent" in prompt and BEAT in prompt
    assert "5501 2234" not in prompt  # a secret the caller has not been asked for yet


@pytest.mark.parametrize("line, reason", [
    ("How can I help you today? I can see your money back request.", "sounds like the agent"),
    ("I'm here to help you with your money back, no excuses.", "sounds like the agent"),
    ("Je ne veux pas d'excuses, quand est-ce que je récupère mon argent ?",
     "not in the persona's language"),
    ("No excuses. I want my money back within 3 days, that is your rule.",
     "states what the persona does not know: 3 days"),
    ("No excuses! When is my money back? My account is 5501 2234.",
     "states what the persona does not know"),
    ("I am switching to another carrier tomorrow.", "drifts from the scripted line"),
    # the scripted question's words kept, the question gone (the walk-through)
    ("No excuses, I'm so sorry, I can't believe I have to wait for my money back.",
     "drops the scripted question"),
    ("I've just looked at my bank statement and you've charged me twice for March! This is "
     "ridiculous, I want my money back.", "repeats an earlier line"),
    ("No excuses. Money back. When? Today? Tomorrow? Now?", "too long"),
    ("Agent: I will refund you today.", "empty"),
    ("I want my money back when exactly " * 12, "looped"),
])
def test_bad_llm_lines_fall_back_to_the_script(line, reason):
    llm, _ = engine(line)
    with llm:
        c = SimulatedCustomer(find_scenario("duplicate_charge"), llm)
        c.opening()
        turn = c.reply("I'm sorry to hear that.")
    assert turn.source == "script" and turn.text == BEAT
    assert len(turn.rejected) == 1 and turn.rejected[0].reason.startswith(reason)


def test_fixed_beats_and_reveals_never_reach_the_model():
    llm, backend = engine("Look, no excuses: when exactly is my money back?")
    with llm:
        c = SimulatedCustomer(find_scenario("duplicate_charge"), llm)
        c.opening()
        assert c.reply(ASK_ID).source == "reveal"
        assert c.reply("I've filed a correction.").source == "llm"
        manager = c.reply("It will be back within 5 business days.")
        again = c.reply("I understand.")
        closing = c.reply("I will transfer you to my supervisor.")
    assert manager.source == again.source == "script" and "manager" in manager.text
    assert closing.source == "closing" and closing.last and c.done
    assert len(backend.prompts) == 1
    with pytest.raises(RuntimeError, match="ended"):
        c.reply("Anything else?")


def test_facts_are_revealed_only_when_asked():
    c = SimulatedCustomer(find_scenario("duplicate_charge"))
    c.opening()
    first = c.reply("I'm sorry about that.")
    assert first.source == "script" and "5501" not in first.text
    second = c.reply("Could you verify your identity for me?")
    assert second.source == "reveal" and "5501 2234" in second.text
    third = c.reply("And your account number again?")  # told once; the script goes on
    assert third.source == "script"


def test_a_failing_model_costs_only_its_line():
    llm, _ = engine("unused")
    llm.close()
    c = SimulatedCustomer(find_scenario("duplicate_charge"), llm)
    c.opening()
    turn = c.reply("Sorry about that.")
    assert turn.source == "script" and turn.text == BEAT
    assert turn.rejected[0].reason.startswith("the model failed")


def test_french_persona_keeps_french_lines_only():
    scenario = find_scenario("late_fee_fr")
    for line, source in [
        ("C'est la première fois, vraiment. Vous pouvez faire quelque chose pour moi ?", "llm"),
        ("It is the first time this happens, can you do something?", "script"),
    ]:
        llm, _ = engine(line)
        with llm:
            c = SimulatedCustomer(scenario, llm)
            c.opening()
            turn = c.reply("Je suis désolée.")
        assert turn.source == source, turn.rejected


def test_session_with_an_llm_customer_still_scores_the_agent(kb):
    llm, backend = engine("How may I assist you today?")  # always in the wrong role
    good = (paths.resources() / "scenarios" / "answers" / "cancellation.good.txt")
    replies = [ln for ln in good.read_text().splitlines() if ln and not ln.startswith("#")]
    with llm:
        s = PracticeSession(find_scenario("cancellation"), kb, llm,
                            options=PracticeOptions(timed=False))
        s.opening()
        for text in replies:
            s.answer(text)
        card = s.finish()
    assert card.passed
    scripted = [t for t in card.customer_turns if t.rejected]
    assert scripted and all(t.source == "script" for t in scripted)
    assert len(backend.prompts) == 2  # the two unfixed beats; reveals never asked the model


def test_clean_line_drops_labels_and_invented_turns():
    assert clean_line('Dana: "When do I get it back?"', "Dana Reyes") == "When do I get it back?"
    assert clean_line("Customer: Fine. Agent: Thank you!") == "Fine."
    assert clean_line("First line\nAgent: second") == "First line"
