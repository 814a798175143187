"""A first pack.toml's mistakes are named with the key and what is expected (issue 14: building a
first pack from one's own knowledge base took six tries)."""

from __future__ import annotations

from pathlib import Path

import pytest

from models.packs import PackError, build
from models.packs.signing import keygen


def folder(tmp_path: Path, toml: str) -> Path:
    src = tmp_path / "site"
    (src / "kb").mkdir(parents=True)
    (src / "kb" / "a.md").write_text("## [A-1] Title\nText.\nApproved line: Text.\n")
    (src / "pack.toml").write_text(toml)
    return src


@pytest.mark.parametrize(("toml", "message"), [
    ('[pack]\nid = "site"\nversion = "1.0.0"\n[components.kb]\npath = "kb"\n',
     "go at the top level of pack.toml, not under [pack]"),
    ('id = "site"\nversion = 2\n[components.kb]\npath = "kb"\n',
     'version must be a quoted string such as "1.0.0" (got 2)'),
    ('id = "site"\nversion = "1.0.0"\n[kb]\npath = "kb"\n',
     "[kb] must be written [components.kb] in pack.toml"),
    ('version = "1.0.0"\n[components.kb]\npath = "kb"\n',
     "id is missing (a top-level key, before any [table])"),
])
def test_pack_toml_mistakes_name_the_key_and_the_fix(tmp_path, toml, message) -> None:
    with pytest.raises(PackError) as e:
        build(folder(tmp_path, toml), tmp_path / "site.tar")
    assert message in str(e.value)


def test_a_folder_without_pack_toml_says_what_it_needs(tmp_path) -> None:
    (tmp_path / "site").mkdir()
    with pytest.raises(PackError, match="needs a pack.toml naming the pack and its components"):
        build(tmp_path / "site", tmp_path / "site.tar")


def test_keygen_creates_a_missing_folder_privately(tmp_path) -> None:
    pub, _key = keygen(tmp_path / "keys" / "site.key")
    assert pub.is_file() and (tmp_path / "keys" / "site.key").is_file()
    assert (tmp_path / "keys").stat().st_mode & 0o077 == 0
