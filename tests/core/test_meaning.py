"""Retrieval by meaning with the call's context: the hybrid decision, the conversation's topic,
cards that answer, the vector cache. A hashed bag-of-words encoder stands in for the real one
(tests/e2e/test_meaning_real.py runs all-MiniLM-L6-v2)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from fake_encoder import PASSAGES, HashEncoder, P
from scripted_base import ScriptedBase

from copilot.knowledge import hybrid
from copilot.knowledge.base import Hit, KnowledgeBase
from copilot.knowledge.topic import Conversation
from copilot.knowledge.vectors import PassageVectors, VectorCache, units_of


@pytest.fixture
def kb(tmp_path):
    with KnowledgeBase(PASSAGES, encoder=HashEncoder(),
                       cache=VectorCache(tmp_path / "v.sqlite3")) as base:
        yield base


# -- the decision --------------------------------------------------------------------------------

def test_a_line_needs_agreement_or_a_clear_lead():
    dense = np.array([0.58, 0.54, 0.10])
    assert hybrid.decide(dense, 0, 2.0, 1.6).verdict == hybrid.CONFIDENT  # keywords agree
    assert hybrid.decide(dense, 0, 2.0, 1.6).reason == "agree"
    assert hybrid.decide(dense, 1, 2.0, 1.6).verdict == hybrid.CANDIDATES  # they disagree
    assert hybrid.decide(dense, 0, 1.0, 1.6).verdict == hybrid.CANDIDATES  # too little evidence
    assert hybrid.decide(dense, 0, 2.0, 1.6, use_keywords=False).verdict == hybrid.CANDIDATES
    strong = hybrid.decide(np.array([0.70, 0.60, 0.1]), None, 0.0, 1.6)
    assert (strong.verdict, strong.reason) == (hybrid.CONFIDENT, "strong")
    clear = hybrid.decide(np.array([0.42, 0.20, 0.1]), None, 0.0, 1.6)
    assert (clear.verdict, clear.reason) == (hybrid.CONFIDENT, "clear")


def test_a_strong_score_gives_no_line_when_the_keywords_find_another_passage():
    # A near miss: the meaning leads with a neighbour whose words the caller did not use.
    dense = np.array([0.75, 0.68, 0.1])
    assert hybrid.decide(dense, 1, 2.5, 1.6).verdict == hybrid.CANDIDATES
    # Keyword evidence too weak to call the other passage relevant: no disagreement.
    assert hybrid.decide(dense, 1, 1.0, 1.6).reason == "strong"
    # A lead clear of every other passage still gives a line whatever the keywords say.
    lead = hybrid.decide(np.array([0.80, 0.60, 0.1]), 1, 2.5, 1.6)
    assert (lead.verdict, lead.reason) == (hybrid.CONFIDENT, "clear")


def test_two_close_passages_are_candidates_and_weak_ones_nothing():
    close = hybrid.decide(np.array([0.60, 0.58, 0.40]), None, 0.0, 1.6)
    assert close.verdict == hybrid.CANDIDATES and close.shown == (0, 1)
    apart = hybrid.decide(np.array([0.60, 0.50, 0.40]), None, 0.0, 1.6)
    assert apart.verdict == hybrid.CANDIDATES and apart.shown == (0,)
    assert hybrid.decide(np.array([0.30, 0.29]), None, 0.0, 1.6).verdict == hybrid.NOTHING


def test_a_passage_too_weak_for_a_card_may_still_be_the_calls_topic():
    """Between TOPIC_MIN and CANDIDATE_MIN nothing is shown, but the call may follow it."""
    weak = hybrid.decide(np.array([0.50, 0.40, 0.10]), None, 0.0, 1.6)
    assert weak.verdict == hybrid.NOTHING and weak.shown == () and weak.followed == (0,)
    assert hybrid.decide(np.array([0.40, 0.30]), None, 0.0, 1.6).followed == ()
    shown = hybrid.decide(np.array([0.60, 0.50, 0.10]), None, 0.0, 1.6)
    assert shown.shown == (0,) and shown.followed == (0,)


def test_customer_phrasings_choose_cards_but_a_line_needs_the_passage_text():
    # With "Customers ask:" lines passage 0 scores 0.70 (strong on its own), but by its text
    # alone passage 1 leads: the phrasings alone never put a line in the agent's mouth.
    dense, text = np.array([0.70, 0.62, 0.1]), np.array([0.50, 0.55, 0.1])
    d = hybrid.decide(dense, None, 0.0, 1.6, text_only=text)
    assert (d.verdict, d.shown) == (hybrid.CANDIDATES, (0,))
    # The text alone ranks it first but is not confident: keyword agreement still gives a line.
    text = np.array([0.50, 0.48, 0.1])
    assert hybrid.decide(dense, None, 0.0, 1.6, text_only=text).verdict == hybrid.CANDIDATES
    agree = hybrid.decide(dense, 0, 2.0, 1.6, text_only=text)
    assert (agree.verdict, agree.reason) == (hybrid.CONFIDENT, "agree")
    # The text alone is confident for the same passage: its reason is given.
    clear = hybrid.decide(dense, None, 0.0, 1.6, text_only=np.array([0.45, 0.20, 0.1]))
    assert (clear.verdict, clear.reason) == (hybrid.CONFIDENT, "clear")
    # Without phrasings (text_only=None) nothing changes.
    assert hybrid.decide(dense, None, 0.0, 1.6).reason == "strong"


def test_phrasings_that_single_a_passage_out_give_a_line_unless_keywords_point_elsewhere():
    # Strong with the phrasings and well ahead of the next passage (0.75 vs 0.63), and the text
    # alone also ranks it first (though not confidently): a line, reason "asks".
    dense, text = np.array([0.75, 0.63, 0.1]), np.array([0.50, 0.48, 0.1])
    d = hybrid.decide(dense, None, 0.0, 1.6, text_only=text)
    assert (d.verdict, d.shown, d.reason) == (hybrid.CONFIDENT, (0,), "asks")
    # Keyword search finds another passage relevant (a near miss naming its neighbour's
    # policy words): the two sources disagree, so no line, only the card.
    veto = hybrid.decide(dense, 1, 2.0, 1.6, text_only=text)
    assert (veto.verdict, veto.shown) == (hybrid.CANDIDATES, (0,))
    # ... but a keyword match too weak to be relevant does not veto.
    assert hybrid.decide(dense, 1, 1.0, 1.6, text_only=text).reason == "asks"
    # Not far enough ahead (0.75 vs 0.68), or the text alone prefers another passage: no line.
    close = np.array([0.75, 0.68, 0.1])
    assert hybrid.decide(close, None, 0.0, 1.6, text_only=text).verdict == hybrid.CANDIDATES
    other = np.array([0.48, 0.50, 0.1])
    assert hybrid.decide(dense, None, 0.0, 1.6, text_only=other).verdict == hybrid.CANDIDATES
    # Below the strong level a lead of the phrasings gives a line only when it is clear.
    low = np.array([0.60, 0.48, 0.1])
    assert hybrid.decide(low, None, 0.0, 1.6, text_only=text).verdict == hybrid.CANDIDATES


def test_phrasings_far_ahead_give_a_line_even_where_the_text_alone_hesitates():
    # 0.20 ahead of every other passage by the callers' phrasings: a line, whatever the text
    # alone prefers (policy prose is far from how callers talk), unless keyword search finds
    # another passage relevant.
    dense, text = np.array([0.65, 0.45, 0.1]), np.array([0.40, 0.42, 0.1])
    d = hybrid.decide(dense, None, 0.0, 1.6, text_only=text)
    assert (d.verdict, d.shown, d.reason) == (hybrid.CONFIDENT, (0,), "asks")
    assert hybrid.decide(dense, 1, 2.0, 1.6, text_only=text).verdict == hybrid.CANDIDATES
    # Just short of ASKS_CLEAR_MARGIN ahead: a card to pick from, no line.
    lead = hybrid.ASKS_CLEAR_MARGIN - 0.01
    assert hybrid.decide(np.array([0.60, 0.60 - lead, 0.1]), None, 0.0, 1.6,
                         text_only=text).verdict == hybrid.CANDIDATES
    assert hybrid.decide(np.array([0.60, 0.60 - lead - 0.02, 0.1]), None, 0.0, 1.6,
                         text_only=text).verdict == hybrid.CONFIDENT


def test_customer_phrasings_are_units_but_not_of_the_text_score():
    asked = replace(P("FEE-01", "Late fees", "One late fee can be waived a year.", ""),
                    asks=("why did you charge me for paying late",))
    vec = PassageVectors([asked, PASSAGES[0]], HashEncoder())
    assert vec.has_asks and not PassageVectors(PASSAGES, HashEncoder()).has_asks
    q = vec.embed(["why did you charge me for paying late"])[0]
    assert vec.scores(q)[0] > vec.scores(q, policy_only=True)[0]


# -- vectors -------------------------------------------------------------------------------------

def test_a_passage_is_searched_by_its_sentences_titled():
    units = units_of(PASSAGES[0])
    assert "Duplicate charges" in units
    assert "A duplicate charge is refunded within 5 business days." in units
    assert "Duplicate charges. The customer gets a confirmation email." in units
    assert PASSAGES[0].approved_lines[0] in units


def test_vectors_are_embedded_once_and_only_what_changed_again(tmp_path):
    cache, enc = VectorCache(tmp_path / "v.sqlite3"), HashEncoder()
    first = PassageVectors(PASSAGES, enc, model_id="m", cache=cache)
    assert first.embedded == sum(len(units_of(p)) for p in PASSAGES)
    again = PassageVectors(PASSAGES, enc, model_id="m", cache=cache)
    assert again.embedded == 0 and np.allclose(again.vectors, first.vectors)
    changed = [PASSAGES[0], P("FEE-01", "Late fees", "Two late fees can be waived.", ""), PASSAGES[2]]
    assert PassageVectors(changed, enc, model_id="m", cache=cache).embedded == 2
    assert PassageVectors(PASSAGES, enc, model_id="other", cache=cache).embedded == first.embedded


def test_an_unwritable_cache_only_costs_a_re_embedding(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    cache = VectorCache(blocker / "v.sqlite3")  # its folder is a file
    assert PassageVectors(PASSAGES, HashEncoder(), cache=cache).embedded > 0


def test_scores_blend_the_best_two_units():
    vec = PassageVectors(PASSAGES, HashEncoder())
    q = vec.embed(["late fee waived"])[0]
    scores = vec.scores(q)
    assert int(np.argmax(scores)) == 1 and scores.shape == (3,)


# -- the conversation ----------------------------------------------------------------------------

def test_a_follow_up_finds_the_issue_it_follows(kb):
    conv = Conversation(kb)
    first = conv.search("I was charged twice, a duplicate charge on my bill")
    assert first[0].passage.id == "REF-01" and first[0].relevant
    follow = conv.search("how long does that take?")
    assert follow and follow[0].passage.id == "REF-01" and follow[0].relevant


def test_a_clear_new_issue_starts_a_new_topic(kb):
    conv = Conversation(kb)
    conv.search("I was charged twice, a duplicate charge on my bill")
    new = conv.search("Also, can you waive my late fee? The late fee was waived once before")
    assert new[0].passage.id == "FEE-01" and new[0].relevant
    assert conv.passage == "FEE-01" and conv.turns[-1].startswith("Also")


def test_a_turn_that_says_it_changes_the_subject_is_not_read_as_a_follow_up(kb):
    # "how long does that take?" follows the duplicate charge; said as a new subject it is
    # searched alone, finds nothing confident, and the old topic gives it no line
    conv = Conversation(kb)
    conv.search("I was charged twice, a duplicate charge on my bill")
    hits = conv.search("Oh and separately, how long does that take?")
    assert not (hits and hits[0].relevant)
    assert conv.turns == ["Oh and separately, how long does that take?"]
    again = Conversation(kb)
    again.search("I was charged twice, a duplicate charge on my bill")
    assert again.search("And how long does that take?")[0].relevant  # no cue: a follow-up


def test_small_talk_changes_nothing(kb):
    conv = Conversation(kb)
    conv.search("I was charged twice, a duplicate charge on my bill")
    assert conv.search("okay") == [] and conv.search("uh huh") == []
    assert conv.passage == "REF-01"


def _card(pid, *, candidate=True, followed=True):
    return Hit(P(pid, pid, "text."), 0.0, False, 0.0, dense=0.6, candidate=candidate,
               followed=followed)


@pytest.mark.parametrize("second_card, promoted", [(False, True), (True, False)])
def test_a_passage_shown_alone_for_two_turns_of_one_issue_gets_its_line(second_card, promoted):
    raise_it, follow = "I bought a couch that arrived broken", "How long have I got?"
    together = [_card("FRD-02"), _card("FRD-03", candidate=second_card)]
    conv = Conversation(ScriptedBase({
        (raise_it,): [_card("FRD-02"), _card("FRD-03", candidate=False)],
        (follow,): [_card("OTHER", candidate=False, followed=False)],
        (raise_it, follow): together}))
    first = conv.search(raise_it)
    assert first[0].candidate and not first[0].relevant  # the first turn: a card, no line
    hits = conv.search(follow)
    assert hits[0].passage.id == "FRD-02"
    assert (hits[0].relevant, hits[0].reason) == ((True, "topic") if promoted else (False, ""))


def test_replay_is_turn_by_turn(kb):
    hits = Conversation.replay(kb, ["a duplicate charge on my bill", "how long does that take?"])
    assert hits[0].passage.id == "REF-01"


# -- cards that answer ---------------------------------------------------------------------------

def test_the_card_shows_the_sentence_that_answers(kb):
    p = kb.passages["REF-01"]
    assert "email" in kb.answer(p, ["a duplicate charge", "will I get a confirmation email?"])
    keyword_only = KnowledgeBase(PASSAGES)
    assert keyword_only.answer(p, ["duplicate charge", "how many business days?"]) == \
        "A duplicate charge is refunded within 5 business days."
    assert keyword_only.answer(p, []) == "A duplicate charge is refunded within 5 business days."


def test_without_an_encoder_search_is_by_keywords(tmp_path):
    kb = KnowledgeBase(PASSAGES)
    assert kb.mode == "keyword" and kb.vectors is None
    with pytest.raises(Exception, match="needs a sentence encoder"):
        KnowledgeBase(PASSAGES, mode="hybrid")


# -- the live pipeline ---------------------------------------------------------------------------

def test_the_live_card_carries_the_answer_and_whether_a_line_rests_on_it(kb):
    from copilot.assist.pipeline import AssistPipeline
    from copilot.events import Caption, Knowledge, SuggestionEvent

    class Clock:
        def now(self) -> float:
            return 1.0

    events: list = []
    p = AssistPipeline(kb, Clock(), events.append).start()
    p.on_event(Caption("c1", True, "customer", 0.0, 1.0, 1.0, "en",
                       "I was charged twice, a duplicate charge on my bill"))
    p.on_event(Caption("c2", True, "customer", 2.0, 3.0, 3.0, "en", "how long does that take?"))
    p.finish(10)
    cards = {e.of: e for e in events if isinstance(e, Knowledge)}
    assert cards["c2"].passages[0].id == "REF-01" and cards["c2"].passages[0].confident
    assert "5 business days" in cards["c2"].passages[0].answer
    assert cards["c2"].to_dict()["passages"][0]["answer"] == cards["c2"].passages[0].answer
    line = next(e for e in events if isinstance(e, SuggestionEvent) and e.of == "c2")
    assert line.sources == ("REF-01",)


def test_what_the_agent_used_reaches_the_summary(kb):
    from copilot.assist.pipeline import AssistPipeline
    from copilot.events import Caption, Summary

    class Clock:
        def now(self) -> float:
            return 5.0

    class Recorder:
        def __init__(self) -> None:
            self.actions: list = []

        def on_caption(self, *a, **k):
            return []

        def on_tick(self, now):
            return []

        def finish(self, now):
            return []

        def on_agent_action(self, action, ids, now, *, of="", text=""):
            self.actions.append((action, ids, of, text))
            return [Summary(1, {"sources": ids}, now)]

    events: list = []
    p = AssistPipeline(kb, Clock(), events.append)
    p.summary = Recorder()
    p.start()
    p.on_event(Caption("c1", True, "customer", 0.0, 1.0, 1.0, "en", "a duplicate charge"))
    p.on_agent_action("used", ["REF-01"], of="c1", text="The duplicate charge comes back.")
    p.finish(10)
    assert p.summary.actions == [("used", ["REF-01"], "c1", "The duplicate charge comes back.")]
    assert any(isinstance(e, Summary) and e.sections == {"sources": ["REF-01"]} for e in events)


def test_a_candidate_passage_gets_a_card_but_never_a_line(kb):
    """Grounded or silent: when two passages compete, the agent picks from the cards; no line
    is put in their mouth from either."""
    from copilot.assist.suggest import lines_for
    from copilot.knowledge.base import Hit

    hits = [Hit(kb.passages["REF-01"], 0.0, False, 0.0, dense=0.61, candidate=True),
            Hit(kb.passages["FEE-01"], 0.0, False, 0.0, dense=0.60, candidate=True)]
    result = lines_for(["something about my bill"], hits, kb)
    assert result.abstained and result.sources == []
    assert all(h.shown for h in result.hits)
    confident = [Hit(kb.passages["REF-01"], 0.0, True, 2.0, dense=0.7, reason="agree")]
    assert lines_for(["a duplicate charge"], confident, kb).sources == ["REF-01"]


# -- a passage the caller sets aside -------------------------------------------------------------

def test_a_passage_named_only_to_be_set_aside_is_a_card_not_a_line(kb):
    # Both the encoder and the keywords find the late-fee passage from its own words, but the
    # caller says the question is not about it.
    plain = kb.search("can you waive my late fee?")
    assert plain[0].passage.id == "FEE-01" and plain[0].relevant
    aside = kb.search("it's not the late fee, can you waive my late fee on the other bill?")
    assert aside[0].passage.id == "FEE-01" and aside[0].relevant  # named outside the phrase too
    hits = kb.search("can you waive it, like with the late fee?")
    assert hits[0].passage.id == "FEE-01"
    assert (hits[0].relevant, hits[0].candidate, hits[0].reason) == (False, True, "contrast")
    # An opening that denies it is not even searched (contrast.corrected): no line from it.
    hits = kb.search("not the late fee: can you waive the other one?")
    assert not any(h.relevant for h in hits)

