"""Packaging without building anything: where an installed app finds its resources, the install
script's refusals, the bundle builder's small decisions, and the desktop entry. The real build,
install and offline run are in tests/e2e/test_offline_bundle.py."""

from __future__ import annotations

import configparser
import importlib.machinery
import importlib.util
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PACKAGING = REPO / "packaging"


def _builder():
    loader = importlib.machinery.SourceFileLoader("build_offline_bundle",
                                                  str(PACKAGING / "build-offline-bundle"))
    spec = importlib.util.spec_from_loader(loader.name, loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


def _paths_module(root: Path):
    """copilot/paths.py loaded from a copy at ROOT/copilot/paths.py (an install's layout)."""
    (root / "copilot").mkdir(parents=True)
    shutil.copy2(REPO / "copilot" / "paths.py", root / "copilot" / "paths.py")
    spec = importlib.util.spec_from_file_location("paths_copy", root / "copilot" / "paths.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_an_installed_package_uses_its_own_resources_over_a_stray_folder(tmp_path):
    site = tmp_path / "site-packages"
    paths = _paths_module(site)
    (site / "resources").mkdir()  # some other distribution's top-level "resources"
    (site / "copilot" / "resources" / "kb").mkdir(parents=True)
    assert paths.resources() == site / "copilot" / "resources"


def test_a_checkout_uses_the_repository_resources(tmp_path):
    paths = _paths_module(tmp_path)
    assert paths.resources() == tmp_path / "resources"
    from copilot import paths as real

    assert real.resources() == REPO / "resources"  # this checkout (editable install)
    assert (real.resources() / "icons" / "chevron-down.svg").is_file()


@pytest.fixture
def install_sh(tmp_path) -> Path:
    target = tmp_path / "bundle" / "install.sh"
    target.parent.mkdir()
    _builder()._install_script(target, "9.8.7", "3.11", "demo.pack.tar")
    return target


def _fake_pythons(folder: Path, version: str, venv_ok: bool) -> None:
    folder.mkdir(exist_ok=True)
    script = ("#!/bin/sh\n"
              f'case "$*" in *"import venv"*) exit {0 if venv_ok else 1} ;; esac\n'
              f"echo {version}\n")
    for name in ("python3", "python3.11"):
        (folder / name).write_text(script)
        (folder / name).chmod(0o755)


@pytest.mark.parametrize("version, venv_ok, expect", [
    ("3.9", True, "Python 3.11 is required"),
    ("3.12", True, "apt-get install python3.11 python3.11-venv"),
    ("3.11", False, "no working venv module"),
])
def test_install_refuses_a_python_it_cannot_use(install_sh, tmp_path, version, venv_ok, expect):
    fake = tmp_path / "bin"
    _fake_pythons(fake, version, venv_ok)
    env = dict(os.environ, PATH=f"{fake}:/usr/bin:/bin", PYTHON=str(fake / "python3"))
    run = subprocess.run([str(install_sh), "--prefix", str(tmp_path / "app")],
                         capture_output=True, text=True, env=env)
    assert run.returncode == 1 and expect in run.stderr, run.stderr
    assert not (tmp_path / "app").exists()  # nothing created before the checks pass


def test_install_script_is_filled_in_and_explains_itself(install_sh):
    text = install_sh.read_text()
    assert 'VERSION="9.8.7"' in text and 'PACK="demo.pack.tar"' in text
    assert "@" + "VERSION@" not in text and "@" + "PACK@" not in text
    run = subprocess.run([str(install_sh), "-h"], capture_output=True, text=True)
    assert run.returncode == 0 and "--no-index" in run.stdout and "--prefix" in run.stdout
    run = subprocess.run([str(install_sh), "--bogus"], capture_output=True, text=True)
    assert run.returncode == 1 and "unknown option: --bogus" in run.stderr


def test_builder_prints_usage():
    run = subprocess.run([sys.executable, str(PACKAGING / "build-offline-bundle"), "-h"],
                         capture_output=True, text=True)
    assert run.returncode == 0 and "usage: packaging/build-offline-bundle" in run.stdout


def test_builder_reads_the_pinned_llama_version_and_glibc_floor():
    b = _builder()
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    assert b._llama_requirement(project) == ("llama-cpp-python", "0.3.36")
    with pytest.raises(b.BuildError):
        b._llama_requirement({"optional-dependencies": {"llm": ["llama-cpp-python>=0.3"]}})
    assert b._glibc_needed([
        "numpy-2.4.6-cp311-cp311-manylinux_2_27_x86_64.manylinux_2_28_x86_64.whl",
        "cffi-2.1.1-cp311-cp311-manylinux2014_x86_64.manylinux_2_17_x86_64.whl",
        "jinja2-3.1.6-py3-none-any.whl"]) == "2.27"
    assert b._glibc_needed(["x-1-cp310-abi3-manylinux_2_34_x86_64.whl"]) == "2.34"
    assert b._wheel_tags("llama_cpp_python-0.3.36-py3-none-linux_x86_64.whl") == {
        "py3-none-linux_x86_64"}


def test_desktop_entry_starts_the_window_with_its_icon():
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # keys are case-sensitive
    entry.read(PACKAGING / "agent-copilot.desktop")
    e = entry["Desktop Entry"]
    scripts = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["scripts"]
    assert e["Type"] == "Application" and e["Exec"] in scripts
    assert scripts[e["Exec"]] == "ui.app:main"
    assert (PACKAGING / "icons" / f"{e['Icon']}.svg").is_file()
    assert e["Terminal"] == "false" and e["Categories"].endswith(";")
