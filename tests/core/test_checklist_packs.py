"""Where a call's checklists come from: a model pack may carry them ([components.checklists],
a folder of checklist .toml files), the bundled demo has one that goes with the sample
knowledge base, `--checklists` names others; and `copilot replay` refuses a broken one with a
message naming the file and the key."""

from __future__ import annotations

from pathlib import Path

import pytest
from checklist_helpers import CHECKLIST, write_checklist
from packs_helpers import make_pack_dir

from copilot import active_pack, paths, resolver
from copilot.settings import Settings
from models.packs import PackRefused, PackStore, Policy, build, install
from models.packs.manifest import Manifest


class _Pack:
    def __init__(self, folder: Path | None) -> None:
        self.folder = folder

    def checklists_dir(self) -> Path | None:
        return self.folder


def test_the_demo_checklist_goes_with_the_sample_knowledge_only(monkeypatch, tmp_path):
    monkeypatch.setattr(active_pack, "active", lambda: None)
    s = Settings()
    assert resolver.checklists(s) == resolver.Choice(paths.sample_checklists(), resolver.BUNDLED)
    # A site's own knowledge is never checked against the demo's items.
    assert resolver.checklists(s, kb_dir=tmp_path) == resolver.Choice(None, "")
    assert resolver.checklists(s, "none").path is None
    mine = write_checklist(tmp_path / "mine")
    assert resolver.checklists(s, mine) == resolver.Choice(mine, resolver.EXPLICIT)


def test_an_active_pack_decides_even_when_it_has_none(monkeypatch, tmp_path):
    monkeypatch.setattr(active_pack, "active", lambda: _Pack(tmp_path / "cl"))
    assert resolver.checklists(Settings()) == resolver.Choice(tmp_path / "cl", resolver.PACK)
    monkeypatch.setattr(active_pack, "active", lambda: _Pack(None))
    assert resolver.checklists(Settings()).path is None  # not the demo's


def test_a_pack_carries_its_checklists(tmp_path):
    src = make_pack_dir(tmp_path, extra={"checklists/support.toml": CHECKLIST.encode()})
    with (src / "pack.toml").open("a", encoding="utf-8") as f:
        f.write('\n[components.checklists]\npath = "checklists"\n')
    out = build(src, tmp_path / "site.tar").path
    root = tmp_path / "packs"
    install(root, out, Policy())
    pack = PackStore(root).active()
    assert pack.checklists_dir() == root / "installed/site/1.0.0/checklists"
    assert (pack.checklists_dir() / "support.toml").read_text(encoding="utf-8") == CHECKLIST
    assert Manifest.parse(pack.manifest.to_toml()).checklists.path == "checklists"


def test_a_recipe_lays_the_checklists_out(tmp_path):
    kb = tmp_path / "kb"
    kb.mkdir()
    (kb / "a.md").write_text("# A\n\n## [A-01] A\nA.\n", encoding="utf-8")
    write_checklist(tmp_path / "lists")
    recipe = tmp_path / "r.toml"
    recipe.write_text('id = "r"\nversion = "1.0.0"\n[kb]\nsource = "path:kb"\n'
                      '[checklists]\nsource = "path:lists"\n', encoding="utf-8")
    result = build(recipe, tmp_path / "r.tar")
    assert result.manifest.checklists.path == "checklists"
    assert "checklists/support.toml" in result.manifest.files


def test_a_checklists_folder_without_checklist_files_is_refused(tmp_path):
    src = make_pack_dir(tmp_path, extra={"checklists/README.md": b"# none yet\n"})
    with (src / "pack.toml").open("a", encoding="utf-8") as f:
        f.write('\n[components.checklists]\npath = "checklists"\n')
    with pytest.raises(PackRefused, match="checklists folder 'checklists' has no checklist"):
        build(src, tmp_path / "site.tar")


def test_replay_refuses_a_broken_checklist_with_a_clear_message(tmp_path, capsys):
    from copilot.cli import main

    broken = write_checklist(tmp_path, CHECKLIST.replace("keywords = [\"pin\"]",
                                                         "keyword = [\"pin\"]"))
    code = main(["replay", str(tmp_path / "no.wav"), "--no-llm", "--no-store",
                 "--checklists", str(broken)])
    err = capsys.readouterr().err
    assert code != 0 and "Traceback" not in err
    assert str(broken) in err and "unknown key 'keyword'" in err
