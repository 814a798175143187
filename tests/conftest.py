from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# The suite never reads or writes the developer's real data folder: their settings, calls or
# active model pack would otherwise change what "the default" resolves to in a test. Tests
# that need a data folder of their own still take the `copilot_home` fixture.
_SESSION_HOME = tempfile.mkdtemp(prefix="copilot-tests-home-")
os.environ["COPILOT_HOME"] = _SESSION_HOME
atexit.register(shutil.rmtree, _SESSION_HOME, True)

REPO = Path(__file__).resolve().parents[1]
TESTDATA = REPO.parent / "shared" / "testdata"


@pytest.fixture(scope="session")
def testdata() -> Path:
    if not TESTDATA.is_dir():
        pytest.fail(f"shared test data not found at {TESTDATA}")
    return TESTDATA


@pytest.fixture
def copilot_home(tmp_path, monkeypatch) -> Path:
    home = tmp_path / "home"
    monkeypatch.setenv("COPILOT_HOME", str(home))
    return home


@pytest.fixture(autouse=True)
def _qt_garbage_on_the_ui_thread(request):
    """A test with Qt objects collects cycles on the UI thread only, as the window does
    (ui/main_thread_gc.py): left to Python, a test's job or recognizer thread could collect an
    earlier test's widgets and crash the worker. At the end, one collection here, on the test's
    own thread, after pytest-qt has closed the test's widgets."""
    if not {"qtbot", "qapp"} & set(request.fixturenames):
        yield
        return
    from ui import main_thread_gc

    collector = main_thread_gc.install(request.getfixturevalue("qapp"))
    yield
    collector.stop()
