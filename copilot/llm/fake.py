"""A scripted backend: the LLM engine without a model, for tests and for demos with no model pack.

`scripts` is a list with one script per request, in order (the last one repeats); a script is
a string (streamed a word at a time) or a list of pieces. A callable chooses the script from the
prompt instead. Stop strings and max_tokens are honoured like
llama.cpp does. It records what the engine did to it (prompts, options, threads, closing) so tests
can check the engine's promises.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

from copilot.llm.types import BackendInfo, Chunk, GenerationOptions, PromptStats

Script = Sequence[str] | str


def pieces_of(script: Script) -> list[str]:
    return re.findall(r"\S+\s*|\s+", script) if isinstance(script, str) else list(script)


class ScriptedBackend:
    def __init__(self, scripts: Sequence[Script] | Callable[[str], Script] = ("OK",), *,
                 delay: float = 0.0, prefill_delay: float = 0.0, context: int = 2048, chat_template: str = "",
                 name: str = "scripted"):
        self._scripts = scripts
        self._next = 0
        self.delay = delay  # seconds per piece, to simulate generation speed
        self.prefill_delay = prefill_delay  # seconds of prompt evaluation per request
        self.info = BackendInfo(name=name, context=context, chat_template=chat_template)
        self.prompts: list[str] = []
        self.options: list[GenerationOptions] = []
        self.schemas: list[Mapping[str, Any] | None] = []
        self.threads: set[int] = set()
        self.produced = 0  # pieces produced, over all requests
        self.closed = False
        self._last_prompt = ""

    def _script_for(self, prompt: str) -> list[str]:
        if callable(self._scripts):
            return pieces_of(self._scripts(prompt))
        scripts = list(self._scripts)
        script = scripts[min(self._next, len(scripts) - 1)]
        self._next += 1
        return pieces_of(script)

    def prepare(self, prompt: str) -> PromptStats:
        self.threads.add(threading.get_ident())
        reused = 0
        for a, b in zip(self._last_prompt, prompt, strict=False):
            if a != b:
                break
            reused += 1
        return PromptStats(tokens=max(1, len(prompt) // 4), reused=reused // 4)

    def stream(self, prompt: str, opts: GenerationOptions, schema: Mapping[str, Any] | None,
               cancel: threading.Event | None = None) -> Iterator[Chunk]:
        self.threads.add(threading.get_ident())
        self.prompts.append(prompt)
        self.options.append(opts)
        self.schemas.append(schema)
        self._last_prompt = prompt
        pieces = self._script_for(prompt)
        if self.prefill_delay:  # prompt evaluation, cancellable between chunks like llama's
            for _ in range(10):
                if cancel is not None and cancel.is_set():
                    return
                time.sleep(self.prefill_delay / 10)
        text = ""
        for i, piece in enumerate(pieces):
            if i >= opts.max_tokens:
                yield Chunk("", "length")
                return
            if self.delay:
                time.sleep(self.delay)
            self.produced += 1
            text += piece
            hits = [text.index(s) for s in opts.stop if s and s in text]
            if hits:
                cut = min(hits) - (len(text) - len(piece))
                if cut > 0:
                    yield Chunk(piece[:cut])
                yield Chunk("", "stop")
                return
            yield Chunk(piece)
        yield Chunk("", "stop")

    def close(self) -> None:
        self.threads.add(threading.get_ident())
        self.closed = True
