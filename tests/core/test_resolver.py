"""One rule for every model and the knowledge base: explicit > settings > the active pack >
the bundled default, the same for the command line, the window, practice and the benchmarks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from copilot import active_pack, paths, resolver
from copilot.cli import main
from copilot.settings import Settings


def _kb(folder: Path, pid: str, title: str, text: str) -> Path:
    folder.mkdir(parents=True)
    (folder / "site.md").write_text(f"# Site\n\n## [{pid}] {title}\n{text}\n"
                                    f"Approved line: {text}\n", encoding="utf-8")
    return folder


@pytest.fixture
def pack_kb(monkeypatch, tmp_path):
    """An active pack whose knowledge base holds one passage the sample does not have."""
    folder = _kb(tmp_path / "pack-kb", "SITE-01", "Parking permits for visitors",
                 "Visitor parking permits are issued at the front desk for 3 days.")
    monkeypatch.setattr(active_pack, "kb_dir", lambda: folder)
    return folder


def test_the_rule_in_order(tmp_path):
    pack, bundled = tmp_path / "pack", tmp_path / "bundled"
    assert resolver.choose("x", "y", lambda: pack, lambda: bundled) == \
        resolver.Choice(Path("x"), resolver.EXPLICIT)
    assert resolver.choose("", "y", lambda: pack, lambda: bundled).origin == resolver.SETTINGS
    assert resolver.choose("", "", lambda: pack, lambda: bundled) == \
        resolver.Choice(pack, resolver.PACK)
    assert resolver.choose("", "", lambda: None, lambda: bundled).origin == resolver.BUNDLED
    assert not resolver.choose("", "", lambda: None, lambda: None).found


def test_knowledge_base_defaults(pack_kb, monkeypatch):
    assert resolver.knowledge_base(Settings()) == resolver.Choice(pack_kb, resolver.PACK)
    s = Settings()
    s.assist.kb_dir = "/site/kb"
    assert resolver.knowledge_base(s).path == Path("/site/kb")
    monkeypatch.setattr(active_pack, "kb_dir", lambda: None)
    assert resolver.knowledge_base(Settings()).path == paths.sample_kb()


def test_a_damaged_pack_is_reported_not_replaced(monkeypatch):
    def damaged():
        raise active_pack.PackUnusable("pack demo@1: kb/billing.md is missing")

    monkeypatch.setattr(active_pack, "kb_dir", damaged)
    with pytest.raises(resolver.PackUnusable, match="missing"):
        resolver.knowledge_base(Settings())


def test_kb_ask_and_suggest_use_the_active_packs_knowledge_without_kb(pack_kb, capsys):
    assert main(["kb", "ask", "can my visitors get a parking permit", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["passages"][0]["id"] == "SITE-01"
    assert main(["suggest", "my visitors need a parking permit", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["suggestions"][0]["sources"] == ["SITE-01"]
    assert main(["kb", "ask", "parking permit for visitors"]) == 0
    assert f"knowledge base {pack_kb} (from the active pack)" in capsys.readouterr().err


def test_practice_uses_the_active_packs_knowledge(pack_kb, capsys):
    # The pack's base lacks the scenario's passages: practice must say so, which proves it
    # read the pack's base and not the bundled sample (it used to ignore the pack).
    assert main(["practice", "duplicate_charge", "--customer", "script", "--json"]) == 2
    assert "SITE-01" in capsys.readouterr().err

