"""A caller reporting what they were told gets cards to check it against, never a line
(copilot/knowledge/claims.py)."""

from __future__ import annotations

import pytest
from fake_encoder import PASSAGES, HashEncoder

from copilot.knowledge.base import KnowledgeBase
from copilot.knowledge.claims import reports_claim
from copilot.knowledge.topic import Conversation
from copilot.knowledge.vectors import VectorCache


@pytest.mark.parametrize("turn", [
    "Your website said I could pause my line for three months",
    "the web site says there's no fee for that",
    "The guy at the Elm Street branch said seniors get it free",
    "A woman in your store told me you'd match any price",
    "your advert said the first month is free",
    "An email from you promised a $50 credit",
    "I was told on the phone last week that the fee would be dropped",
    "we were promised a refund by Friday",
    "I read on your site that you take half off for a year upfront",
    "I saw in the app that transfers are instant now",
    "According to your website it's free for students",
    "they told me it would be waived",
    "one of your reps assured me there'd be no charge",
    "The app said my late fee gets refunded automatically",
    "The chap I spoke to last week said you'd send me a voucher",
    "some bloke on your helpline told me it was free",
    "The parking warden told me I had 60 days to appeal",
    "the lad at reception told me I'd get a month free",
    "One of your engineers promised a new meter by Friday",
])
def test_reported_promises_are_claims(turn: str) -> None:
    assert reports_claim(turn)


@pytest.mark.parametrize("turn", [
    "How long until I get my money back?",
    "What's the limit on claims?",
    "and what do I pay for a claim on that?",
    "My account isn't locked, I can sign in fine, but checkout says I'm locked out",
    "I'd like to file a claim for my cracked screen",
    "The app keeps crashing when I open it",
    "I said I wanted to cancel, not pause",
    "I was charged twice this month",
    "Can you tell me what the late fee is?",
    "My son says his phone won't turn on",
    "Do you have a store on Main Street?",
    "My lad's phone says it has no signal",  # "lad" is as often a son: not a source
    "A man rang from your security team and told me to move my savings",  # an instruction
    "I told the driver to leave it by the door",
])
def test_ordinary_questions_are_not_claims(turn: str) -> None:
    assert not reports_claim(turn)


def test_other_languages_are_searched_as_before() -> None:
    assert not reports_claim("Your website said it was free", lang="fr")


@pytest.fixture
def kb(tmp_path):
    with KnowledgeBase(PASSAGES, encoder=HashEncoder(),
                       cache=VectorCache(tmp_path / "v.sqlite3")) as base:
        yield base


def test_a_claim_about_a_topic_shows_its_card_without_a_line(kb) -> None:
    asked = kb.search("I was charged twice, a duplicate charge on my bill")
    assert asked[0].passage.id == "REF-01" and asked[0].relevant  # a line, asked plainly
    claimed = kb.search("Your website said a duplicate charge on my bill is refunded twice")
    assert claimed[0].passage.id == "REF-01"
    assert not claimed[0].relevant and claimed[0].candidate and claimed[0].shown
    assert claimed[0].reason == "claim"
    assert not any(h.relevant for h in claimed)


def test_a_claim_is_not_made_a_line_by_the_topic_it_follows(kb) -> None:
    conv = Conversation(kb)
    first = conv.search("I was charged twice, a duplicate charge on my bill")
    assert first[0].relevant
    # A short turn on the same issue would normally carry its line ("topic").
    follow = conv.search("they told me that takes a day")
    assert follow and follow[0].passage.id == "REF-01"
    assert not follow[0].relevant and follow[0].candidate


def test_keyword_search_keeps_the_same_rule() -> None:
    with KnowledgeBase(PASSAGES) as base:
        plain = base.search("duplicate charge refund")
        claimed = base.search("the guy in the store said a duplicate charge refund is instant")
    assert plain[0].relevant
    assert claimed[0].passage.id == plain[0].passage.id
    assert not claimed[0].relevant and claimed[0].candidate


def test_a_claim_gets_its_own_abstention_and_its_card_says_so(kb) -> None:
    from copilot.assist.card_events import knowledge_event
    from copilot.assist.suggest import lines_for
    from copilot.settings import AssistSettings

    cfg = AssistSettings()
    said = ("Your website said a duplicate charge on my bill is refunded twice",)
    hits = kb.search(said[0])
    result = lines_for(said, hits, kb, settings=cfg)
    (line,) = result.suggestions
    assert line.abstained and line.text == cfg.claim_text and line.verified and not line.sources
    card = knowledge_event(kb, "c1", hits, said, 1.0)
    assert card.passages[0].id == "REF-01" and card.passages[0].claim
    assert not card.passages[0].confident
    # A plain question keeps the plain abstention wording when nothing is relevant.
    plain = lines_for(("what is the weather like",), [], kb, settings=cfg)
    assert plain.suggestions[0].text == cfg.abstain_text
