"""Real small models (from the PyPI model packages), loaded once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

E2E_DIR = Path(__file__).parent


def pytest_collection_modifyitems(config, items) -> None:
    """Every test under tests/e2e runs real models: mark it `e2e`, so `-m "not e2e"` leaves them
    all out (a `pytestmark` in a conftest marks nothing)."""
    for item in items:
        if E2E_DIR in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def models_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("models")


@pytest.fixture(scope="session")
def base_model(models_dir) -> Path:
    from models.pypi_models import whisper_base

    return whisper_base(models_dir)


@pytest.fixture(scope="session")
def tiny_model() -> Path:
    from models.pypi_models import whisper_tiny_en

    return whisper_tiny_en()


@pytest.fixture(scope="session")
def base_engine(base_model):
    from copilot.asr.whisper_engine import WhisperEngine

    with WhisperEngine(base_model, "int8", 2) as engine:
        yield engine


@pytest.fixture(scope="session")
def tiny_engine(tiny_model):
    from copilot.asr.whisper_engine import WhisperEngine

    with WhisperEngine(tiny_model, "int8", 2) as engine:
        yield engine
