"""Words a recognizer split, joined against the base's vocabulary before a search
(copilot/knowledge/rejoin.py)."""

from __future__ import annotations

import pytest

from copilot.knowledge import KnowledgeBase, Passage
from copilot.knowledge.rejoin import Rejoiner

BASE = [
    "Insurance claims and the refund of an overpayment",
    "Bank statements for the last seven years; a payment arrangement for an overdue bill",
    "Paperless billing; upgrade your plan; the supermarket voucher; a prepayment meter",
    "Pay each instalment on time; apart from that, along with the customer's account",
    "Your online account; we need the details of the start date",
    "The deposit is refunded; your points have an expiry date",
    "Compensation for a missed engineer visit; renew your membership; water to a smallholding",
]


def _stems(words: list[str]) -> dict[str, str]:
    # What the index's Porter stemmer does to the words these tests use.
    crude = {"needed": "need", "started": "start", "policies": "polici", "policy": "polici"}
    return {w: crude.get(w, w) for w in words}


@pytest.fixture
def rejoiner() -> Rejoiner:
    return Rejoiner(BASE, _stems)


@pytest.mark.parametrize(("said", "searched"), [
    ("how long does the re fund take", "how long does the refund take"),
    ("my house in surance", "my house insurance"),
    ("the super market voucher", "the supermarket voucher"),
    # Sound-alikes spelled nearly: one edit, or one per four letters.
    ("copies of old state mints please", "copies of old statements please"),
    ("I missed an in stall meant", "I missed an instalment"),
    ("set up a payment a range meant for my bill", "set up a payment arrangement for my bill"),
    ("I want pay per less billing", "I want paperless billing"),
    ("can i up grade to a bigger plan", "can i upgrade to a bigger plan"),
    # From six letters, two edits: a letter doubled or dropped at the seam as well.
    ("how much is the deep posit", "how much is the deposit"),
    ("do my points ex pier", "do my points expiry"),
    # Three pieces one sound off a long code: the seam's own sound ("pen station": an extra T).
    ("do i get come pen station for that", "do i get compensation for that"),
    # ... but never a word in front of the split glued on ("my" stays): too few sounds, or
    # another first letter
    ("can i renew my member ship", "can i renew my membership"),
    ("the pigs on my small holding", "the pigs on my smallholding"),
])
def test_split_words_are_joined(rejoiner: Rejoiner, said: str, searched: str) -> None:
    assert rejoiner.mend(said) == searched


@pytest.mark.parametrize("said", [
    "I need to pay",  # "needed": the first word inflected
    "I want to start a claim",  # "start": an article glued on
    "they said it per payment",  # "prepayment": a base word with an affix
    "I need a part for my phone",  # "apart": too short a join with a function word
    "it went a long way",  # "along"
    "add one line to my plan",  # "online": never a number
    "I'm moving house",  # a contraction is one word, never joined ("m moving")
    "the bank statements and the insurance",  # nothing was split
    "the payment arrangement",  # both are the base's words already
    "",
])
def test_what_was_not_split_is_left_alone(rejoiner: Rejoiner, said: str) -> None:
    assert rejoiner.mend(said) == said


def test_a_join_keeps_the_rest_of_the_caption_as_it_was(rejoiner: Rejoiner) -> None:
    said = "Um, the re fund? And, the in surance!"
    assert rejoiner.mend(said) == "Um, the refund? And, the insurance!"


def test_words_the_base_does_not_have_are_never_made_up() -> None:
    joins = Rejoiner(["Roaming in Canada"], _stems)
    assert joins.mend("the re fund and the in surance") == "the re fund and the in surance"
    assert joins.mend("I'm going to can a da") == "I'm going to canada"


_PASSAGES = [
    Passage("INS-1", "Home insurance claims",
            "Make a claim on your home insurance within 30 days of the damage.", (), "a.md"),
    Passage("BIL-1", "Paperless billing",
            "Switch to paperless billing in the app and get a 2 dollar discount.", (), "a.md"),
    Passage("CAR-1", "Courtesy car", "A courtesy car is given while yours is repaired.", (),
            "a.md"),
]


def test_a_split_question_finds_its_passage_by_keywords() -> None:
    with KnowledgeBase(_PASSAGES) as kb:
        hit = kb.search("how long have i got to make a claim on my house in surance")[0]
        assert hit.passage.id == "INS-1" and "insur" in hit.terms
        hit = kb.search("I want to sign up for pay per less")[0]
        assert hit.passage.id == "BIL-1" and hit.terms == ("paperless",)


def test_a_base_in_another_language_is_searched_as_said() -> None:
    with KnowledgeBase(_PASSAGES, lang="fr") as kb:
        assert kb._rejoiner is None
        assert all("insur" not in h.terms for h in kb.search("ma maison in surance"))
