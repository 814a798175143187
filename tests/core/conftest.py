"""Fixtures the fast tests share."""

from __future__ import annotations

import pytest

from copilot import paths
from copilot.knowledge.base import KnowledgeBase


@pytest.fixture(scope="module")
def kb():
    """The bundled sample knowledge base (Northwind), opened once per test module. A module that
    needs another base defines its own `kb`, which takes precedence."""
    with KnowledgeBase.load(paths.sample_kb()) as k:
        yield k
