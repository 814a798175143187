"""Rephrase with the real SmolLM2-135M: whatever the small model writes, no unsupported policy
fact is ever returned unflagged. How often its rewrite is used, and how long it takes, are
printed, never asserted."""

from __future__ import annotations

import importlib.util
import re
import time

import pytest

from copilot.assist.rephrase import LLM, rephrase
from copilot.knowledge.base import KnowledgeBase
from copilot.knowledge.verify import known_names, verify
from copilot.llm.engine import LlmEngine
from copilot.settings import LlmSettings

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(importlib.util.find_spec("llama_cpp") is None,
                       reason="llama-cpp-python is not installed "
                              "(pip install llama-cpp-python==0.3.36)"),
]

# (draft, tone, an unsupported fact the agent wrote, which must stay flagged, or None)
DRAFTS = [
    ("Obviously you should have checked your bill!! The duplicate amount is refunded in full "
     "within 5 business days.", "calm", None),
    ("Don't worry, you'll get a full refund within 90 days, I promise!!", "calm", "90 days"),
    ("Yeah, you can cancel at any time, and after 12 months there's no fee.", "formal", None),
    ("um so basically your plan lets you use up to 5 devices at the same time, so your phone "
     "and tablet are both fine.", "brief", None),
    ("I can give you 30 percent off for students, it's a special deal.", "formal", "30 percent"),
    ("As I already said, the Travel Day Pass costs 12 dollars per day of use.", "brief", None),
]
_DIGITS = re.compile(r"\d+(?:\.\d+)?")


@pytest.fixture(scope="module")
def engine():
    with LlmEngine.from_settings(LlmSettings()) as e:
        e.wait_ready(120)
        yield e


@pytest.fixture(scope="module")
def kb(testdata):
    with KnowledgeBase.load(testdata / "kb" / "northwind") as base:
        yield base


def test_no_unsupported_fact_is_returned_unflagged(engine, kb, capsys) -> None:
    names = known_names(kb.passages.values())
    all_text = " ".join(p.full_text for p in kb.passages.values())
    used = 0
    for draft, tone, invented in DRAFTS:
        t0 = time.perf_counter()
        r = rephrase(draft, kb, tone, llm=engine)
        seconds = time.perf_counter() - t0
        used += r.origin == LLM
        with capsys.disabled():
            print(f"\n[rephrase] {tone} {r.origin} {seconds:.1f}s flagged={r.flagged}: {r.text!r}")
            for d in r.rejected_drafts:
                print(f"[rephrase]   rejected ({d.reason}): {d.draft!r}")
        # 1. The verifier, run again on what is returned: each unsupported fact is flagged.
        cited = [h.passage for h in r.hits if h.relevant]
        again = verify(r.text_en, cited, names=names)
        flagged = {f.text for f in r.unsupported}
        assert {f.text for f in again.unsupported} <= flagged, (draft, r.text)
        assert r.flagged == bool(r.unsupported)
        # 2. Independently of the verifier: a number no passage of the base states is flagged.
        known = set(_DIGITS.findall(all_text))
        for n in _DIGITS.findall(r.text_en):
            if n not in known:
                assert any(n in f.text for f in r.unsupported), (n, r.text)
        # 3. What the agent invented is kept and flagged, never dropped.
        if invented:
            assert r.flagged and invented.split()[0] in r.text_en
            assert any(invented.split()[0] in f.text for f in r.unsupported)
        # 4. The tone holds whoever wrote the text.
        assert "!!" not in r.text
        if tone == "formal":
            assert not re.search(r"\b\w+(n't|'re|'ll|'ve|'m)\b", r.text), r.text
    with capsys.disabled():
        print(f"[rephrase] LLM rewrite used for {used} of {len(DRAFTS)} drafts")
