"""The engine's shape, checked: no import cycle among its modules (the layers themselves are
import-linter's contracts in pyproject, run by ./dev test), and no engine module imports the
command line."""

from __future__ import annotations

import grimp  # installed with import-linter (dev): ./dev setup installs it
import pytest


@pytest.fixture(scope="module")
def graph():
    return grimp.build_graph("copilot", "models")


def _cycles(graph) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on: set[str] = set()
    stack: list[str] = []
    out: list[list[str]] = []
    counter = 0
    for root in sorted(graph.modules):
        if root in index:
            continue
        work = [(root, iter(sorted(graph.find_modules_directly_imported_by(root))))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on.add(root)
        while work:
            v, children = work[-1]
            for w in children:
                if w not in index:
                    index[w] = low[w] = counter
                    counter += 1
                    stack.append(w)
                    on.add(w)
                    work.append((w, iter(sorted(graph.find_modules_directly_imported_by(w)))))
                    break
                if w in on:
                    low[v] = min(low[v], index[w])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[v])
                if low[v] == index[v]:
                    group = []
                    while True:
                        w = stack.pop()
                        on.discard(w)
                        group.append(w)
                        if w == v:
                            break
                    if len(group) > 1:
                        out.append(sorted(group))
    return out


def test_no_import_cycle_in_the_engine(graph):
    assert _cycles(graph) == []


def test_no_engine_module_imports_the_command_line(graph):
    engine = {m for m in graph.modules if not m.startswith("copilot.cli")}
    importers = {m for m in engine
                 if any(i.startswith("copilot.cli") for i in graph.find_modules_directly_imported_by(m))}
    assert importers == set()


def test_the_cycle_finder_finds_one():
    class Graph:
        modules = {"a", "b", "c"}

        @staticmethod
        def find_modules_directly_imported_by(m):
            return {"a": {"b"}, "b": {"a"}, "c": {"a"}}[m]

    assert _cycles(Graph()) == [["a", "b"]]
