"""Customer signals: the customer's words only, negation-aware, decaying, one escalation offer."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from copilot.assist.signals import SignalSettings, SignalTracker, find_cues
from copilot.events import AGENT, CUSTOMER, MONO, Caption

CALLS = Path(__file__).resolve().parents[2].parent / "shared" / "testdata" / "calls"


def caption(text: str, channel: str = CUSTOMER, n: int = 1, final: bool = True) -> Caption:
    return Caption(f"c{n}", final, channel, float(n), float(n) + 1, float(n) + 1.5, "en", text)


def call_signals(name: str) -> list[tuple[str, str, float, tuple[str, ...], str]]:
    """(caption id, kind, level, words, speaker) for every signal of a test call's exact turns.
    The .json names the channel of each turn `speaker` ("agent" / "customer")."""
    turns = json.loads((CALLS / f"{name}.json").read_text(encoding="utf-8"))["turns"]
    tracker = SignalTracker()
    out = []
    for n, t in enumerate(turns):
        cap = Caption(f"c{n}", True, t["speaker"], t["start"], t["end"], t["end"] + 0.7,
                      t["lang"], t["text"])
        out += [(s.of, s.kind, s.level, s.words, t["speaker"]) for s in tracker.feed(cap)]
    return out


def kinds(signals) -> list[str]:
    return [s.kind for s in signals]


# -- the test calls --------------------------------------------------------------------------

def test_billing_call_frustration_on_the_customer_turn_that_says_so() -> None:
    out = call_signals("billing_refund")
    # the cue, then (no words) its fading after calm customer turns
    assert [(o[0], o[1], bool(o[3])) for o in out] == [("c5", "frustration", True),
                                                       ("c10", "frustration", False)]
    _, _, level, words, speaker = out[0]
    assert speaker == "customer"
    assert "second time" in words and any("frustrated" in w for w in words)
    assert 0.6 <= level <= 1.0


def test_device_call_cancel_threat_is_an_escalation_cue_not_an_offer() -> None:
    out = [o for o in call_signals("device_limit") if o[3]]
    assert [(o[0], o[1]) for o in out] == [("c3", "escalation")]
    assert out[0][3] == ("want to cancel",) and out[0][2] == 0.5


def test_french_cancellation_request_is_one_cue_and_the_fee_question_none() -> None:
    out = [o for o in call_signals("cancel_french") if o[3]]
    assert [(o[0], o[1]) for o in out] == [("c1", "escalation")]
    assert "résilier" in out[0][3][0]


@pytest.mark.parametrize("name", ["roaming_spanish", "student_discount"])
def test_calm_calls_give_no_signal(name: str) -> None:
    assert call_signals(name) == []


def test_agent_turns_of_every_test_call_give_nothing_even_as_customer_words() -> None:
    """Sanity of the fixture: the calls' agent lines hold no cue a customer could trigger."""
    for path in sorted(CALLS.glob("*.json")):
        for t in json.loads(path.read_text(encoding="utf-8"))["turns"]:
            if t["speaker"] == AGENT:
                assert find_cues(t["text"]) == [], (path.name, t["text"])


# -- never the agent ---------------------------------------------------------------------------

ANGRY = "This is RIDICULOUS!!! I'm fed up, I want your manager, I'll call my lawyer. F*** this."


def test_agent_and_mono_lines_full_of_cues_yield_nothing_and_change_nothing() -> None:
    tracker = SignalTracker()
    for n in range(6):
        assert tracker.feed(caption(ANGRY, AGENT, n)) == []
        assert tracker.feed(caption(ANGRY, MONO, n)) == []
    assert tracker.levels == {"frustration": 0.0, "escalation": 0.0}
    assert not tracker.offered
    assert find_cues(ANGRY)  # the very same words on the customer's channel are cues
    assert kinds(tracker.feed(caption(ANGRY, CUSTOMER, 7))) == ["frustration", "escalation"]


def test_partial_captions_are_ignored() -> None:
    tracker = SignalTracker()
    assert tracker.feed(caption(ANGRY, final=False)) == []
    assert tracker.levels["frustration"] == 0.0


# -- the lexicon -----------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "That's not a problem at all.",
    "I'm not angry, I just want to understand the bill.",
    "No, I'm not frustrated, thanks for checking.",
    "I don't want to cancel my account, I want to add a line.",
    "I don't need a manager, you've been great.",
    "No es ridículo, solo quiero saber el precio.",
    "Ce n'est pas ridicule, je voulais juste savoir.",
    "Can you text me the PIN by SMS?",
    "Sure, it's [card number].",
    "Thanks! That's great!",
    "Conozco el plan, gracias.",
])
def test_not_cues(text: str) -> None:
    assert find_cues(text) == []


@pytest.mark.parametrize("text, kind, words", [
    ("This is ridiculous.", "frustration", "ridiculous"),
    ("Honestly this is unacceptable.", "frustration", "unacceptable"),
    ("It is not acceptable.", "frustration", "not acceptable"),
    ("This is the third time I call about this.", "frustration", "third time"),
    ("I've been waiting for forty minutes.", "frustration", "I've been waiting"),
    ("Nobody ever calls me back.", "frustration", "nobody"),
    ("I'm fed up with this company.", "frustration", "fed up"),
    ("What the f*** is going on.", "frustration", "f***"),
    ("This is bullshit.", "frustration", "b*******"),
    ("I said STOP charging me.", "frustration", "STOP"),
    ("Why?!", "frustration", "?!"),
    ("I want to speak to a supervisor.", "escalation", "supervisor"),
    ("I will file a complaint.", "escalation", "complaint"),
    ("My lawyer will hear about this.", "escalation", "lawyer"),
    ("I'm going to the ombudsman.", "escalation", "ombudsman"),
    ("Then cancel my account.", "escalation", "cancel my account"),
    ("J'en ai marre, c'est inadmissible.", "frustration", "j'en ai marre"),
    ("Je veux parler à un responsable.", "escalation", "un responsable"),
    ("Estoy harto, es la tercera vez que llamo.", "frustration", "tercera vez"),
    ("Quiero hablar con el gerente.", "escalation", "gerente"),
    ("Voy a poner una queja.", "escalation", "queja"),
])
def test_cues(text: str, kind: str, words: str) -> None:
    found = [(c.kind, c.words.casefold()) for c in find_cues(text)]
    assert (kind, words.casefold()) in found


def test_swearing_is_reported_masked() -> None:
    words = [c.words for c in find_cues("this is fucking useless")]
    assert words == ["useless", "f******"]


# -- levels, decay, the escalation offer ----------------------------------------------------

def test_level_rises_with_more_cues_and_decays_over_calm_customer_turns() -> None:
    (mild,) = SignalTracker().feed(caption("This is the second time.", n=1))
    tracker = SignalTracker()
    (strong,) = tracker.feed(caption("Honestly I'm fed up, this is ridiculous.", n=2))
    assert 0 < mild.level < strong.level <= 1
    levels = []
    for n in range(3, 7):
        out = tracker.feed(caption("Okay. What are my options?", n=n))
        levels.append(tracker.levels["frustration"])
        assert all(s.words == () for s in out)
    assert levels == sorted(levels, reverse=True) and levels[-1] < 0.25


def test_a_faded_level_is_announced_once_with_no_words() -> None:
    tracker = SignalTracker()
    tracker.feed(caption("This is ridiculous.", n=1))
    faded = [s for n in range(2, 8) for s in tracker.feed(caption("Okay.", n=n))]
    assert len(faded) == 1 and faded[0].kind == "frustration" and faded[0].words == ()
    assert faded[0].level < SignalSettings().clear_below


def test_agent_turns_do_not_decay_the_customer_level() -> None:
    tracker = SignalTracker()
    tracker.feed(caption("This is ridiculous.", n=1))
    before = tracker.levels["frustration"]
    for n in range(2, 6):
        tracker.feed(caption("Okay, I understand, let me check.", AGENT, n))
    assert tracker.levels["frustration"] == before


def test_repeated_frustration_raises_offer_escalation_once() -> None:
    tracker = SignalTracker()
    first = tracker.feed(caption("This is the second time this happens.", n=1))
    assert "offer_escalation" not in kinds(first)
    tracker.feed(caption("Okay.", n=2))
    second = tracker.feed(caption("I'm really frustrated now.", n=3))
    assert kinds(second) == ["frustration", "offer_escalation"]
    offer = second[-1]
    assert offer.of == "c3" and set(offer.words) == {"second time", "frustrated"}
    assert offer.to_dict()["type"] == "signal" and offer.to_dict()["words"] == list(offer.words)
    later = [s for n in range(4, 9)
             for s in tracker.feed(caption("This is ridiculous, I'm fed up!!", n=n))]
    assert "offer_escalation" not in kinds(later)
    assert kinds(later).count("frustration") == 5


def test_repeated_request_for_a_manager_raises_the_offer() -> None:
    tracker = SignalTracker()
    assert kinds(tracker.feed(caption("Can I talk to your manager?", n=1))) == ["escalation"]
    tracker.feed(caption("Fine.", n=2))
    assert kinds(tracker.feed(caption("I asked for a supervisor.", n=3))) == [
        "escalation", "offer_escalation"]


def test_frustration_far_apart_does_not_raise_the_offer() -> None:
    tracker = SignalTracker(SignalSettings(window=3))
    tracker.feed(caption("This is ridiculous.", n=1))
    for n in range(2, 5):
        tracker.feed(caption("Okay.", n=n))
    assert "offer_escalation" not in kinds(tracker.feed(caption("I'm fed up.", n=5)))


def test_churn_threats_alone_are_not_heated() -> None:
    tracker = SignalTracker()
    out = [s for n, text in enumerate(["I want to cancel my account.",
                                       "If not, I'll cancel my contract."], start=1)
           for s in tracker.feed(caption(text, n=n))]
    assert kinds(out) == ["escalation", "escalation"]


def test_reset_starts_a_new_call() -> None:
    tracker = SignalTracker()
    tracker.feed(caption("This is ridiculous.", n=1))
    tracker.feed(caption("This is ridiculous.", n=2))
    assert tracker.offered
    tracker.reset()
    assert not tracker.offered and tracker.levels["frustration"] == 0.0


def test_signal_event_shape_matches_the_contract() -> None:
    (s,) = SignalTracker().feed(caption("This is unacceptable.", n=12))
    d = s.to_dict()
    assert d == {"type": "signal", "of": "c12", "kind": "frustration", "level": d["level"],
                 "words": ["unacceptable"], "at": 13.5}
    assert 0 < d["level"] <= 1
