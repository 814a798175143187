"""The LLM runtime with the real SmolLM2-135M (llama-cpp-python): text, streaming, cancelling,
JSON-schema output, prompt reuse. Speeds are measured and printed, never asserted; only that a
shared prefix is reused."""

from __future__ import annotations

import importlib.util
import threading
import time

import pytest
from waiting import wait_until

from copilot.llm.engine import GenerationOptions, LlmEngine
from copilot.llm.json_output import schema_errors
from copilot.settings import LlmSettings

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(importlib.util.find_spec("llama_cpp") is None,
                       reason="llama-cpp-python is not installed "
                              "(pip install llama-cpp-python==0.3.36)"),
]

GREEDY = GenerationOptions(max_tokens=48, temperature=0.0)


def report(capsys, line: str) -> None:
    with capsys.disabled():
        print(f"\n[llm] {line}")


@pytest.fixture(scope="module")
def engine():
    with LlmEngine.from_settings(LlmSettings()) as e:
        e.wait_ready(120)
        yield e


@pytest.fixture(scope="module")
def policies(testdata) -> str:
    """About 1,000 tokens of real policy text: a long shared prefix, as in a suggestion prompt."""
    kb = testdata / "kb" / "northwind"
    text = "\n\n".join(p.read_text(encoding="utf-8") for p in sorted(kb.glob("*.md"))
                       if p.name != "README.md")
    assert len(text) > 3000
    return text


def test_loads_the_installed_model_with_our_chatml_template(engine):
    info = engine.wait_ready()
    assert info.context == 2048
    assert "<|im_start|>" in info.chat_template  # SmolLM2's own template: ChatML family ...
    assert engine.template_family == "chatml"  # ... so ours is used, no Jinja runs


def test_short_chat_completion_returns_text(engine, capsys):
    result = engine.generate([
        {"role": "system", "content": "You are a helpful assistant. Answer in one short sentence."},
        {"role": "user", "content": "What is the capital of France?"},
    ], GREEDY)
    report(capsys, f"chat: {result.text!r} ({result.finish_reason}, {result.tokens} tokens)")
    assert result.text.strip()
    assert result.finish_reason in ("stop", "length", "loop")
    assert "<|im_end|>" not in result.text and "<|im_start|>" not in result.text


def test_streaming_calls_back_each_token_and_measures_speed(engine, capsys):
    pieces: list[str] = []
    threads: set[int] = set()

    def on_token(piece: str) -> None:
        pieces.append(piece)
        threads.add(threading.get_ident())

    opts = GenerationOptions(max_tokens=64, temperature=0.0, loop_guard=False)
    result = engine.generate([{"role": "user", "content": "Write a short paragraph about the "
                                                           "sea."}], opts, on_token=on_token)
    assert len(pieces) == result.tokens >= 8
    assert "".join(pieces) == result.text
    assert threading.get_ident() not in threads and len(threads) == 1
    report(capsys, f"speed: {result.tokens_per_second:.1f} tokens/s over {result.tokens} tokens "
                   f"(first token after {result.first_token_seconds:.2f} s, "
                   f"{result.prompt_tokens} prompt tokens, {engine.wait_ready().name})")


def test_cancel_stops_generation_within_a_token(engine):
    seen: list[str] = []

    def on_token(piece: str) -> None:
        seen.append(piece)
        if len(seen) == 5:
            engine.cancel("story")  # from the owner thread itself: just sets the flag

    opts = GenerationOptions(max_tokens=200, temperature=0.8, seed=7, loop_guard=False)
    result = engine.generate([{"role": "user", "content": "Tell me a long story about a cat."}],
                             opts, key="story", on_token=on_token)
    assert result.cancelled
    assert result.tokens == len(seen) <= 6


def test_newer_request_with_the_same_key_supersedes_the_running_one(engine):
    started = threading.Event()
    opts = GenerationOptions(max_tokens=200, temperature=0.8, seed=3, loop_guard=False)

    def on_token(_piece: str) -> None:
        started.set()

    stale = engine.submit([{"role": "user", "content": "Tell me a long story about a dog."}],
                          opts, key="suggestion", on_token=on_token)
    assert started.wait(60)
    fresh = engine.submit([{"role": "user", "content": "Say hello."}], GREEDY, key="suggestion")
    old = stale.result(60)
    assert old.cancelled and old.tokens < 200
    assert not fresh.result(60).cancelled


def test_superseding_a_request_still_evaluating_a_long_prompt(engine, policies, capsys):
    """A cold 1,000-token prompt takes seconds on 2 cores; a newer request must not wait for it:
    the stale one's prompt evaluation is cut short, chunk by chunk, not run to its end."""
    notes = "Answer from these notes.\n\n" + policies[::-1]  # a prefix no other test evaluates
    stale = engine.submit([{"role": "system", "content": notes},
                           {"role": "user", "content": "Summarise."}], GREEDY, key="suggestion")
    assert wait_until(stale.running)  # evaluating its prompt
    t0 = time.monotonic()
    # The newer request shares the stale one's long prefix, so its `reused_prompt_tokens` tell
    # how much of the stale prompt had been evaluated when it was superseded.
    fresh = engine.submit([{"role": "system", "content": notes},
                           {"role": "user", "content": "Say hi."}], GREEDY, key="suggestion")
    # Hang guards only: with the suite's other workers on the same 2 cores, llama.cpp's two
    # threads wait on each other at every step, and this prompt took over 120 s (alone: 18 s).
    old = stale.result(300)
    waited = time.monotonic() - t0
    new = fresh.result(600)
    assert old.cancelled and old.tokens == 0
    assert not new.cancelled
    report(capsys, f"cancel during prompt evaluation: stale request gone {waited:.2f} s after "
                   f"the newer one arrived ({old.prompt_tokens}-token prompt, "
                   f"{new.reused_prompt_tokens} tokens of it evaluated)")
    # Evaluated to the end, the shared prefix (all but the few tokens of the user turn) would
    # have been reused whole.
    assert new.reused_prompt_tokens < old.prompt_tokens - 64


def test_json_schema_output_parses_and_matches(engine, capsys):
    schema = {
        "type": "object",
        "properties": {
            "topic": {"enum": ["billing", "roaming", "device", "account", "other"]},
            "urgent": {"type": "boolean"},
            "reason": {"type": "string", "maxLength": 60},
        },
        "required": ["topic", "urgent", "reason"],
        "additionalProperties": False,
    }
    messages = [
        {"role": "system", "content": "Classify the customer's request. Reply with JSON only: "
                                      '{"topic": ..., "urgent": true|false, "reason": "..."}'},
        {"role": "user", "content": "I was charged twice on my last bill and I need the money "
                                    "back today!"},
    ]
    out = engine.generate_json(messages, schema, GenerationOptions(max_tokens=64, temperature=0))
    report(capsys, f"json: {out}")
    assert schema_errors(out, schema) == []


def test_second_request_sharing_a_long_prefix_reuses_it(engine, policies, capsys):
    system = {"role": "system",
              "content": "You help a phone agent. Use only these policies.\n\n" + policies}
    opts = GenerationOptions(max_tokens=8, temperature=0.0)
    cold = engine.generate([system, {"role": "user", "content": "Can I get a refund?"}], opts)
    warm = engine.generate([system, {"role": "user", "content": "What about roaming fees?"}],
                           opts)
    speedup = cold.first_token_seconds / warm.first_token_seconds
    report(capsys, f"prompt reuse: {cold.prompt_tokens} prompt tokens; first token cold "
                   f"{cold.first_token_seconds:.3f} s, sharing the prefix "
                   f"{warm.first_token_seconds:.3f} s ({warm.reused_prompt_tokens} tokens reused):"
                   f" {speedup:.1f}x faster")
    assert cold.prompt_tokens > 500
    # Behaviour, not speed: the cold request evaluated its prompt (only the template's opening
    # was there), the warm one reused the shared prefix.
    assert cold.reused_prompt_tokens < 20
    assert warm.reused_prompt_tokens >= warm.prompt_tokens - 20


def test_ram_cache_keeps_prefixes_of_interleaved_requests(policies, capsys):
    """Summary and suggestion prompts alternate during a call: each would evict the other's
    prefix. With a RAM cache a prefix seen two requests ago is restored instead of re-evaluated."""
    text = policies
    first = {"role": "system", "content": "Suggest a reply.\n\n" + text}
    other = {"role": "system", "content": "Summarise the call.\n\n" + text[::-1]}
    opts = GenerationOptions(max_tokens=4, temperature=0.0)
    ttft: dict[int, float] = {}
    reused: dict[int, int] = {}
    prompt = 0
    for entries in (0, 3):
        with LlmEngine.from_settings(LlmSettings(), prompt_cache_entries=entries) as e:
            e.wait_ready(120)
            e.generate([first, {"role": "user", "content": "one"}], opts)
            e.generate([other, {"role": "user", "content": "two"}], opts)
            again = e.generate([first, {"role": "user", "content": "three"}], opts)
            ttft[entries] = again.first_token_seconds or 0.0
            reused[entries], prompt = again.reused_prompt_tokens, again.prompt_tokens
    report(capsys, f"interleaved prefix: first token {ttft[0]:.3f} s without a RAM cache, "
                   f"{ttft[3]:.3f} s with 3 entries; tokens reused {reused[0]} / {reused[3]} "
                   f"of {prompt}")
    # Behaviour, not speed: with the cache the first prompt's prefix comes back whole; without
    # it, only what the two prompts' openings share.
    assert reused[3] >= prompt - 20
    assert reused[0] < prompt / 4
