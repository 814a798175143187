"""The LLM engine takes the active pack's GGUF with the context size and chat template the pack
declares; a GGUF named in settings keeps the settings' context and its own template."""

from __future__ import annotations

from pathlib import Path

import pytest
from packs_helpers import build_pack

from copilot import active_pack
from copilot.llm.engine import LlmEngine
from copilot.llm.fake import ScriptedBackend
from copilot.llm.template import ChatMLTemplate
from copilot.settings import LlmSettings
from models.packs import Policy, install


@pytest.fixture
def loaded(monkeypatch):
    """Capture the options the engine would load llama.cpp with; load a scripted model."""
    import copilot.llm.llama as llama

    seen: list = []

    def fake_backend(options):
        seen.append(options)
        return ScriptedBackend(["OK"])

    monkeypatch.setattr(llama, "LlamaBackend", fake_backend)
    return seen


def _install(tmp_path: Path, template: str) -> None:
    src = build_pack(tmp_path / "b", "site", "1.0.0")
    if template != "embedded":  # rebuild the source with another declared template
        pack_dir = next((tmp_path / "b").glob("*-src"))
        toml = pack_dir / "pack.toml"
        toml.write_text(toml.read_text().replace('chat_template = "embedded"',
                                                 f'chat_template = "{template}"'))
        from models.packs import build
        src = tmp_path / "rebuilt.tar"
        build(pack_dir, src)
    install(active_pack.packs_root(), src, Policy())


def test_the_pack_sets_context_and_template(tmp_path, copilot_home, loaded):
    _install(tmp_path, "chatml")
    with LlmEngine.from_settings(LlmSettings(context=4096)) as engine:
        engine.wait_ready(10)
        assert isinstance(engine._template, ChatMLTemplate)
    (opts,) = loaded
    assert opts.context == 1024 and opts.model_path.name == "tiny.gguf"


def test_a_model_in_settings_keeps_the_settings_context(tmp_path, copilot_home, loaded):
    _install(tmp_path, "chatml")
    gguf = tmp_path / "mine.gguf"
    gguf.write_bytes(b"GGUF")
    with LlmEngine.from_settings(LlmSettings(model=str(gguf), context=4096)) as engine:
        engine.wait_ready(10)
        assert engine._template is None  # the GGUF's own template, chosen at load
    (opts,) = loaded
    assert opts.context == 4096 and opts.model_path == gguf
