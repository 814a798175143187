"""The llama.cpp backend (llama-cpp-python): a GGUF model behind our small Backend protocol.

llama_cpp is imported when a model is loaded, which the engine does on its owner thread, so
importing this module (and opening the window) costs nothing. Everything here runs on that one
thread.

Prompt reuse: the Llama object keeps the evaluated tokens of its last request and only the part
of a new prompt after the longest common prefix is evaluated, so refreshes that keep the same
leading text (system prompt, knowledge passages, earlier turns) and change only the end cost a
fraction of a cold request (measured: 0.14 s instead of 12 s for a 1,000-token prompt). Requests
of different kinds interleaved (summary, suggestion, summary) would each lose the other's prefix;
`prompt_cache_entries` keeps that many saved states in RAM (llama-cpp-python's LlamaRAMCache,
bounded by count: its byte capacity ignores the logits it also copies, n_batch x vocabulary x 4
bytes). Measured with SmolLM2 and 900-token prompts: about 75 MB per entry at batch 128 (130 MB
at 512; prompt speed was the same), and a prefix seen two requests earlier came back in 0.4 s
instead of 4.9 s.

Cancelling: prompt evaluation on 2 cores runs at about 100 tokens/s, so a cold long prompt takes
seconds. The uncached part of the prompt is evaluated here in chunks of `prefill_chunk` tokens,
checking the request's cancel flag between chunks; llama.cpp itself then finds the prompt
evaluated and only samples.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from copilot.llm.types import BackendInfo, Chunk, GenerationOptions, ModelLoadError, PromptStats


@dataclass(frozen=True)
class LlamaOptions:
    """How to load a GGUF (llama_cpp.Llama takes about sixty arguments; these are ours)."""

    model_path: Path
    threads: int = 2
    context: int = 2048
    batch: int = 128  # tokens per decode; also the logits rows a cached state copies
    gpu_layers: int = 0  # -1: all layers, when llama-cpp-python was built with a GPU backend
    prompt_cache_entries: int = 0  # saved states kept in RAM; 0: only the live prefix is reused
    prefill_chunk: int = 128  # prompt tokens evaluated between two looks at the cancel flag


class LlamaBackend:
    def __init__(self, opts: LlamaOptions):
        path = Path(opts.model_path)
        if not path.is_file():
            raise ModelLoadError(f"no GGUF model at {path}")
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        # llama.cpp's OpenMP threads spin while they wait for each other. On 2 cores shared with
        # ASR, a spinning thread steals the core its partner needs: measured with one core busy,
        # 2 threads gave 5.7 tokens/s spinning and 43-45 passive (1 thread: 44-51). libgomp reads
        # this when it loads, i.e. at the import below (unless something loaded it earlier).
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
        try:
            import llama_cpp
        except ImportError as e:
            raise ModelLoadError(
                "the LLM runtime is not installed (pip install llama-cpp-python==0.3.36)") from e
        threads = max(1, opts.threads)
        try:
            self._llm = llama_cpp.Llama(
                model_path=str(path), n_ctx=opts.context, n_batch=min(opts.batch, opts.context),
                n_threads=threads, n_threads_batch=threads, n_gpu_layers=opts.gpu_layers,
                verbose=False)
        except (ValueError, RuntimeError, OSError) as e:
            raise ModelLoadError(f"cannot load the GGUF model at {path}: {e}") from e
        if opts.prompt_cache_entries > 0:
            self._llm.set_cache(_counted_cache(llama_cpp.LlamaRAMCache, opts.prompt_cache_entries))
        self._lib = llama_cpp
        self._chunk = max(16, opts.prefill_chunk)
        self._pending: tuple[str, list[int]] | None = None
        meta = {str(k): str(v) for k, v in (self._llm.metadata or {}).items()}
        self.info = BackendInfo(
            name=meta.get("general.name") or path.stem,
            context=self._llm.n_ctx(),
            chat_template=meta.get("tokenizer.chat_template", ""),
            bos_token=self._token_text(self._llm.token_bos()),
            eos_token=self._token_text(self._llm.token_eos()),
            adds_bos=self._adds_bos(meta),
            metadata=meta,
            file=path.name,
        )

    def _adds_bos(self, meta: Mapping[str, str]) -> bool:
        model = getattr(self._llm, "_model", None)  # what the completion call itself consults
        if model is not None and hasattr(model, "add_bos_token"):
            return bool(model.add_bos_token())
        return meta.get("tokenizer.ggml.add_bos_token", "false") == "true"

    def _token_text(self, token: int) -> str:
        if token < 0:
            return ""
        return self._llm.detokenize([token], special=True).decode("utf-8", errors="replace")

    def _tokens(self, prompt: str) -> list[int]:
        # What llama-cpp-python's completion does with a text prompt (special markup parsed).
        if self._pending is not None and self._pending[0] == prompt:
            return self._pending[1]
        bos = [self._llm.token_bos()] if self.info.adds_bos else []
        tokens = bos + self._llm.tokenize(prompt.encode("utf-8"), add_bos=False, special=True)
        self._pending = (prompt, tokens)
        return tokens

    def _evaluated(self, tokens: list[int]) -> int:
        llm = self._llm
        return llm.longest_token_prefix(llm.input_ids[:llm.n_tokens].tolist(), tokens)

    def prepare(self, prompt: str) -> PromptStats:
        tokens = self._tokens(prompt)
        reused = self._evaluated(tokens)
        if self._llm.cache is not None:
            try:
                state = self._llm.cache[tokens]
                reused = max(reused, self._llm.longest_token_prefix(
                    state.input_ids[:state.n_tokens].tolist(), tokens))
            except KeyError:
                pass
        return PromptStats(tokens=len(tokens), reused=reused)

    def _prefill(self, tokens: list[int], cancel: threading.Event | None) -> bool:
        """Evaluate all but the last prompt token, a chunk at a time; False when cancelled."""
        llm = self._llm
        n = self._evaluated(tokens)
        if llm.cache is not None:
            try:
                state = llm.cache[tokens]
                if llm.longest_token_prefix(state.input_ids[:state.n_tokens].tolist(),
                                            tokens) > n:
                    llm.load_state(state)
                    n = self._evaluated(tokens)
            except KeyError:
                pass
        n = min(n, len(tokens) - 1)
        if n < llm.n_tokens:  # keep the common prefix, drop the rest
            mem = self._lib.llama_get_memory(llm.ctx)
            if mem is not None and self._lib.llama_memory_seq_rm(mem, -1, n, -1):
                llm.n_tokens = n
            else:  # a memory that cannot be cut (recurrent models): start over
                llm.reset()
                n = 0
        while n < len(tokens) - 1:
            if cancel is not None and cancel.is_set():
                return False
            end = min(n + self._chunk, len(tokens) - 1)
            llm.eval(tokens[n:end])
            n = end
        return True

    def stream(self, prompt: str, opts: GenerationOptions, schema: Mapping[str, Any] | None,
               cancel: threading.Event | None = None) -> Iterator[Chunk]:
        grammar = None
        if schema is not None:
            try:
                grammar = self._lib.LlamaGrammar.from_string(_gbnf(json.dumps(schema)),
                                                             verbose=False)
            except Exception as e:  # the converter raises plain exceptions on unsupported schemas
                raise ValueError(f"the JSON schema cannot be turned into a grammar: {e}") from e
        tokens = self._tokens(prompt)
        self._pending = None
        if not self._prefill(tokens, cancel):
            return
        it = self._llm.create_completion(
            tokens, max_tokens=opts.max_tokens, temperature=opts.temperature, top_p=opts.top_p,
            stop=list(opts.stop), repeat_penalty=opts.repeat_penalty, seed=opts.seed,
            grammar=grammar, stream=True)
        try:
            for part in it:
                choice = part["choices"][0]
                yield Chunk(choice["text"], choice.get("finish_reason"))
        finally:
            it.close()  # stops generation when the engine stops reading

    def close(self) -> None:
        llm, self._llm = getattr(self, "_llm", None), None
        if llm is not None:
            llm.close()


def _counted_cache(base: type, entries: int) -> Any:
    """llama-cpp-python's RAM cache, holding at most `entries` states (least recent dropped)."""

    class CountedCache(base):  # type: ignore[misc, valid-type]
        def __setitem__(self, key: Any, value: Any) -> None:
            super().__setitem__(key, value)
            while len(self.cache_state) > entries:
                self.cache_state.popitem(last=False)

    return CountedCache(capacity_bytes=1 << 62)


@lru_cache(maxsize=32)
def _gbnf(schema_json: str) -> str:
    from llama_cpp.llama_grammar import json_schema_to_gbnf

    return json_schema_to_gbnf(schema_json)
