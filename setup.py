"""Build hook only (everything else is in pyproject.toml): a wheel carries the repository's
resources/ (sample knowledge base, demo call, icons, practice scenarios) inside the package as
copilot/resources, where copilot.paths.resources() finds them once installed. The repository
keeps one resources/ folder at the top (DESIGN.md layout); an editable install reads it there,
so nothing is copied for one."""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

RESOURCES = Path(__file__).resolve().parent / "resources"


class BuildPyWithResources(build_py):
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        if not RESOURCES.is_dir():
            raise SystemExit(f"cannot build the wheel: {RESOURCES} is missing (incomplete "
                             "source tree?)")
        target = Path(self.build_lib) / "copilot" / "resources"
        shutil.rmtree(target, ignore_errors=True)  # a reused build/ keeps no deleted file
        shutil.copytree(RESOURCES, target, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", ".*"))


setup(cmdclass={"build_py": BuildPyWithResources})
