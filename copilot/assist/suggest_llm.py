"""The local LLM as a suggestion adapter: it may reword an approved line for the conversation.

Its draft is only ever a candidate: `suggest.check_draft` keeps it when every fact in it is in
the cited passage and no number of the approved line was lost; otherwise the approved line
stays. The prompt puts the passage first and the conversation last, so that consecutive
requests about the same passage share a long prefix the runtime can reuse (prompt cache).

Small models (SmolLM2-135M) mostly fail the check: they loop, invent a second speaker or add
numbers. The cleanup below only removes the wrapping such models add ("Agent:", quotes); it never
edits the content, which is the verifier's business.
"""

from __future__ import annotations

import re
from concurrent.futures import Future
from dataclasses import dataclass

from copilot.knowledge.parse import Passage
from copilot.llm.engine import GenerationOptions, LlmEngine, LlmResult

SUGGESTION_KEY = "suggestion"
_SYSTEM = ("You help a customer-service agent on a phone call. Rewrite the approved line so it "
           "answers the customer naturally. Keep every number, amount, duration and condition "
           "of the approved line. Add no fact that the policy does not state. Reply with the "
           "rewritten line only, one or two sentences.")
_SPEAKER = re.compile(r"^\s*(?:agent|assistant|rewritten line|line|answer)\s*:\s*", re.I)


@dataclass(frozen=True)
class LineAdapterOptions:
    max_tokens: int = 64
    temperature: float = 0.0  # a rewording, not creative writing: greedy is steadier
    priority: int = 0  # before summaries (1): the agent is waiting for the line
    timeout: float = 20.0  # for the blocking `adapt` (the CLI)


class LlmLineAdapter:
    """`suggest.Adapter` backed by the LLM runtime (blocking), plus `submit` for the live
    pipeline, which must not wait: the approved line is shown first and a verified rewording
    replaces it when it arrives."""

    def __init__(self, engine: LlmEngine, options: LineAdapterOptions | None = None) -> None:
        self.engine = engine
        self.options = options or LineAdapterOptions()

    def messages(self, customer_text: str, approved_line: str, passage: Passage) -> list[dict]:
        policy = f"Policy [{passage.id}] {passage.title}:\n{passage.text.strip()}"
        return [
            {"role": "system", "content": f"{_SYSTEM}\n\n{policy}"},
            {"role": "user", "content": f"Approved line: {approved_line}\n"
                                        f"Customer said: {customer_text.strip()}"},
        ]

    def _opts(self) -> GenerationOptions:
        o = self.options
        return GenerationOptions(max_tokens=o.max_tokens, temperature=o.temperature,
                                 stop=("\n\n", "Customer:"))

    def submit(self, customer_text: str, approved_line: str, passage: Passage) -> Future[LlmResult]:
        """A newer submit cancels an older one still queued or running (same key)."""
        return self.engine.submit(self.messages(customer_text, approved_line, passage),
                                  self._opts(), key=SUGGESTION_KEY, priority=self.options.priority)

    def adapt(self, customer_text: str, approved_line: str, passage: Passage) -> str | None:
        result = self.engine.generate(self.messages(customer_text, approved_line, passage),
                                      self._opts(), key=SUGGESTION_KEY,
                                      priority=self.options.priority,
                                      timeout=self.options.timeout)
        return draft_of(result)


def draft_of(result: LlmResult) -> str | None:
    """The usable text of a generation, or None (cancelled, looped, cut short, empty)."""
    if result.cancelled or result.looped or result.finish_reason == "length":
        return None
    text = _SPEAKER.sub("", result.text.strip()).strip().strip('"\u201c\u201d').strip()
    return text or None
