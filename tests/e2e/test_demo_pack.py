"""The real demo pack: built from the PyPI model packages and the sample knowledge base by
`copilot pack install-demo`, installed into a fresh data folder, and then what the engines
resolve and load by default comes from the pack."""

from __future__ import annotations

import importlib.util
import time
import tomllib
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e
# The demo recipe's version: bumped whenever the pack changes.
DEMO_VERSION = tomllib.loads((Path(__file__).resolve().parents[2] / "models" / "recipes" /
                                "demo.toml").read_text(encoding="utf-8"))["version"]


def test_demo_pack_is_built_installed_and_used_by_default(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("COPILOT_HOME", str(tmp_path / "home"))
    from copilot import active_pack
    from copilot.asr.model_paths import resolve_whisper_model
    from copilot.assist.assembly import resolve_kb_dir
    from copilot.cli import main
    from copilot.llm.engine import _model_path
    from copilot.settings import Settings

    t0 = time.monotonic()
    assert main(["pack", "install-demo"]) == 0
    took = time.monotonic() - t0
    assert f"demo@{DEMO_VERSION}: installed, active" in capsys.readouterr().out
    root = tmp_path / "home" / "packs" / "installed" / "demo" / DEMO_VERSION
    pack = active_pack.active()
    assert pack.label == active_pack.label() == f"demo@{DEMO_VERSION}"
    manifest = pack.manifest
    assert [a.name for a in manifest.asr] == ["base", "tiny.en"]
    assert manifest.llm.chat_template == "chatml" and manifest.kb is not None
    assert manifest.encoder.name == "all-minilm-l6-v2"
    assert active_pack.encoder_dir() == root / "encoder" / "all-minilm-l6-v2"

    whisper = resolve_whisper_model()
    assert whisper == root / "asr" / "base"
    gguf = _model_path("")
    assert gguf == root / "llm" / "SmolLM2-135M-Instruct.Q4_1.gguf"
    assert resolve_kb_dir(Settings()) == root / "kb"
    assert not list((tmp_path / "home").glob(".demo-pack-*"))  # the built archive is gone

    from copilot.asr.whisper_engine import WhisperEngine

    with WhisperEngine(whisper, "int8", 2) as engine:  # the pack's copy loads as a model
        assert engine.multilingual
    from copilot.knowledge.encoder import SentenceEncoder

    with SentenceEncoder(active_pack.encoder_dir()) as enc:  # and so does the encoder
        a, b = enc.embed(["I was charged twice", "there is a duplicate payment on my bill"])
        assert enc.dim == 384 and float(a @ b) > 0.4
    if importlib.util.find_spec("llama_cpp") is not None:
        from copilot.llm.engine import LlmEngine
        from copilot.settings import LlmSettings

        with LlmEngine.from_settings(LlmSettings()) as llm:
            info = llm.wait_ready(120)
            assert "<|im_start|>" in info.chat_template

    t1 = time.monotonic()
    assert main(["pack", "install-demo"]) == 0  # idempotent: nothing rebuilt
    assert "already installed" in capsys.readouterr().out
    with capsys.disabled():
        print(f"\n[packs] demo pack: {manifest.total_size / 1e6:.0f} MB, build+install "
              f"{took:.1f} s, second run {time.monotonic() - t1:.2f} s")
