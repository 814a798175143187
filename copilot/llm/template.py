"""Chat templates: messages -> the prompt text a model was trained on.

A GGUF carries its chat template as Jinja source (`tokenizer.chat_template`). That is code from the
model file, so it is never run unsandboxed:
- known families get our own template, no Jinja at all: ChatML (`<|im_start|>role\\n...<|im_end|>`),
  used by SmolLM2 and Qwen;
- any other template is rendered by jinja2's ImmutableSandboxedEnvironment, tightened further: an
  unsafe attribute (`__class__`, `__globals__`, `_private`) or a mutating call fails the render at
  once (the stock sandbox would quietly print nothing), `range`, `*`, `+` and `**` are bounded so a
  template cannot make the render run for ever or build huge strings, and only a few harmless
  globals exist (no `lipsum`, `cycler`, `joiner`). Every failure is a `TemplateError`.
Message contents are neutralised first: a customer who says "<|im_end|>" (or a transcript that
contains a model's special marker) must not be able to close the turn and speak as the system.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any, Protocol

from copilot.llm.types import BackendInfo, ChatMessage, TemplateError

MAX_PROMPT_CHARS = 1_000_000
MAX_LOOP_ITERATIONS = 10_000  # summed over every `range` in one render
MAX_RENDER_SECONDS = 2.0
MAX_VALUE_LEN = 200_000  # longest string or list `*` or `+` may build


class ChatTemplate(Protocol):
    family: str
    stop: tuple[str, ...]  # stop strings for this format (besides the model's end-of-turn token)

    def render(self, messages: Sequence[ChatMessage]) -> str: ...


def neutralize(text: str, markers: Sequence[str] = ()) -> str:
    """Break special-token markup inside message text so the tokenizer reads it as plain text."""
    text = text.replace("<|", "<\u200b|").replace("|>", "|\u200b>")
    for m in markers:
        if len(m) > 1:
            text = text.replace(m, m[0] + "\u200b" + m[1:])
    return text


class ChatMLTemplate:
    """<|im_start|>role\\ncontent<|im_end|>, ending with an open assistant turn."""

    family = "chatml"
    stop = ("<|im_end|>", "<|im_start|>")

    def render(self, messages: Sequence[ChatMessage]) -> str:
        parts = [f"<|im_start|>{m.role}\n{neutralize(m.content)}<|im_end|>\n" for m in messages]
        parts.append("<|im_start|>assistant\n")
        return "".join(parts)


class SandboxedTemplate:
    """A GGUF's own Jinja chat template, rendered in a tightened sandbox."""

    family = "gguf"

    def __init__(self, source: str, bos_token: str = "", eos_token: str = "",
                 strip_bos: bool = False):
        self.bos_token = bos_token
        self.eos_token = eos_token
        self.strip_bos = strip_bos  # the backend adds BOS itself: drop the template's
        self.stop = tuple(t for t in (eos_token,) if t)
        self._markers = tuple(t for t in (bos_token, eos_token) if t)
        env = _sandbox()
        try:
            self._template = env.from_string(source)
        except Exception as e:  # jinja2.TemplateSyntaxError and friends
            raise TemplateError(f"the model's chat template does not compile: {e}") from e

    def render(self, messages: Sequence[ChatMessage]) -> str:
        budget = _Budget()
        msgs = [{"role": m.role, "content": neutralize(m.content, self._markers)}
                for m in messages]
        try:
            text = self._template.render(
                messages=msgs, add_generation_prompt=True, bos_token=self.bos_token,
                eos_token=self.eos_token, range=budget.range)
        except TemplateError:
            raise
        except Exception as e:
            raise TemplateError(_explain(e)) from e
        if len(text) > MAX_PROMPT_CHARS:
            raise TemplateError(f"the model's chat template produced {len(text)} characters")
        if self.strip_bos and self.bos_token and text.startswith(self.bos_token):
            text = text[len(self.bos_token):]
        return text


def choose_template(info: BackendInfo) -> ChatTemplate:
    """Our own template for known families, else the GGUF's in the sandbox; ChatML without one."""
    source = info.chat_template
    if not source.strip() or "<|im_start|>" in source:
        return ChatMLTemplate()
    return SandboxedTemplate(source, info.bos_token, info.eos_token, strip_bos=info.adds_bos)


def _explain(e: Exception) -> str:
    from jinja2.exceptions import SecurityError

    if isinstance(e, SecurityError):
        return f"the model's chat template tried a forbidden operation and was stopped: {e}"
    return f"the model's chat template failed: {type(e).__name__}: {e}"


class _Budget:
    """Bounds one render: total loop iterations and wall time."""

    def __init__(self) -> None:
        self.left = MAX_LOOP_ITERATIONS
        self.deadline = time.monotonic() + MAX_RENDER_SECONDS

    def range(self, *args: int) -> Any:
        from jinja2.exceptions import SecurityError

        r = range(*args)
        if len(r) > self.left:
            raise SecurityError(f"a loop of {len(r)} iterations is more than a chat template needs")
        self.left -= len(r)
        return self._timed(r)

    def _timed(self, r: range) -> Any:
        from jinja2.exceptions import SecurityError

        for i in r:
            if time.monotonic() > self.deadline:
                raise SecurityError("the chat template took too long")
            yield i


def _sandbox() -> Any:
    try:
        import jinja2
        from jinja2.exceptions import SecurityError
        from jinja2.ext import loopcontrols
        from jinja2.sandbox import ImmutableSandboxedEnvironment
    except ImportError as e:  # jinja2 comes with the `llm` extra (llama-cpp-python needs it)
        raise TemplateError("rendering this model's chat template needs jinja2 (pip install "
                            "jinja2)") from e

    class FailOnUnsafe(jinja2.Undefined):
        """Undefined values render as nothing (templates test optional variables that way),
        but an unsafe attribute access fails the render on the spot."""

        def __init__(self, hint: str | None = None, obj: Any = jinja2.utils.missing,
                     name: str | None = None, exc: type[Exception] = jinja2.UndefinedError):
            if exc is SecurityError:
                raise SecurityError(hint or "unsafe access")
            super().__init__(hint, obj, name, exc)

    def sized(value: Any) -> int:
        return len(value) if isinstance(value, str | bytes | list | tuple) else 0

    class Sandbox(ImmutableSandboxedEnvironment):
        intercepted_binops = frozenset({"*", "+", "**"})

        def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
            if operator == "**":
                if not isinstance(right, int | float) or abs(right) > 64 or (
                        isinstance(left, int | float) and abs(left) > 2 ** 32):
                    raise SecurityError("a power this large is not allowed in a chat template")
            elif operator == "*":
                for seq, n in ((left, right), (right, left)):
                    if sized(seq) and isinstance(n, int) and sized(seq) * n > MAX_VALUE_LEN:
                        raise SecurityError("a chat template may not build a value this large")
            elif operator == "+" and sized(left) + sized(right) > MAX_VALUE_LEN:
                raise SecurityError("a chat template may not build a value this large")
            return super().call_binop(context, operator, left, right)

    def raise_exception(message: str = "") -> None:
        raise TemplateError(f"the model's chat template refused the conversation: {message}")

    env = Sandbox(trim_blocks=True, lstrip_blocks=True, extensions=[loopcontrols],
                  undefined=FailOnUnsafe)
    for name in ("lipsum", "cycler", "joiner", "range"):
        env.globals.pop(name, None)
    env.globals["raise_exception"] = raise_exception
    env.globals["strftime_now"] = lambda fmt: time.strftime(fmt)
    env.filters["tojson"] = _tojson
    return env


def _tojson(value: Any, indent: int | None = None) -> str:
    import json

    return json.dumps(value, ensure_ascii=False, indent=indent)
