"""Pack manifests, versions, signing and trust, GGUF metadata, lying sizes, the `copilot pack`
commands and model resolution from the active pack."""

from __future__ import annotations

import base64
import io
import json
import os
import stat
import tarfile

import pytest
from packs_helpers import PLAIN, build_pack, gguf_bytes, make_pack_dir

from models.packs import (
    Manifest,
    PackError,
    PackRefused,
    Policy,
    build,
    gguf_meta,
    install,
    keygen,
    trusted_set,
    verify_pack,
    version_key,
)
from models.packs.archive import Limits, Member, PackSource
from models.packs.manifest import FileEntry
from models.packs.verify import _stream


def test_version_order():
    order = ["0.9", "1.0.0-rc.1", "1.0.0-rc.2", "1.0", "1.0.1", "1.2.0", "1.10.0", "2"]
    assert sorted(order, key=version_key) == order
    assert version_key("1.2") == version_key("1.2.0")
    for bad in ("", "v1", "1..2", "1.2.3.4.5", "1.0-", "latest"):
        with pytest.raises(PackRefused):
            version_key(bad)


def test_manifest_round_trip_and_strict_fields(tmp_path):
    pack = build_pack(tmp_path, "site", "1.0.0")
    with tarfile.open(pack) as t:
        names = t.getnames()
        raw = t.extractfile("pack.toml").read()
    assert names[0] == "pack.toml"
    m = Manifest.parse(raw)
    assert (m.id, m.version, m.llm.context, m.asr[0].languages) == ("site", "1.0.0", 1024, ("en",))
    assert Manifest.parse(m.to_toml()) == m
    bad = raw.replace(b"size = ", b"size = -", 1)
    with pytest.raises(PackRefused, match="needs sha256"):
        Manifest.parse(bad)
    with pytest.raises(PackRefused, match="format"):
        Manifest.parse(raw.replace(b"format = 1", b"format = 99"))
    with pytest.raises(PackRefused, match="asr 'tiny' needs"):
        Manifest.parse(raw.replace(b'"asr/tiny/config.json"', b'"asr/tiny/other.json"'))


def test_build_refuses_a_component_without_its_files(tmp_path):
    d = make_pack_dir(tmp_path)
    (d / "asr/tiny/model.bin").unlink()
    with pytest.raises(PackRefused, match="asr/tiny/model.bin"):
        build(d, tmp_path / "x.tar")
    with pytest.raises(PackError, match="must end in .tar or .zip"):
        build(d, tmp_path / "x.tgz")
    assert not list(tmp_path.glob("*.tar")) and not list(tmp_path.glob(".x.tar*"))


def test_keygen_writes_a_private_key_only_its_owner_can_read(tmp_path):
    pub_path, pub = keygen(tmp_path / "site.key")
    assert stat.S_IMODE(os.stat(tmp_path / "site.key").st_mode) == 0o600
    assert pub_path.read_text().split()[-1] == pub
    raw = base64.b64decode(pub)
    assert trusted_set([pub]) == trusted_set([raw.hex()]) == trusted_set([str(pub_path)]) \
        == {raw}
    with pytest.raises(PackError, match="already exists"):
        keygen(tmp_path / "site.key")
    with pytest.raises(PackError, match="not an Ed25519 public key"):
        trusted_set(["not-a-key"])


def test_signed_pack_from_a_trusted_key(tmp_path):
    _, pub = keygen(tmp_path / "site.key")
    pack = build_pack(tmp_path, "site", "1.0.0", sign=tmp_path / "site.key")
    v = verify_pack(pack, Policy(trusted_keys=trusted_set([pub]), require_signed=True))
    assert v.signer.trusted and v.signer.key == pub and v.warnings == []
    r = install(tmp_path / "packs", pack, Policy(trusted_keys=trusted_set([pub]),
                                                 require_signed=True))
    assert r.pack.signed and r.warnings == []


def test_signed_by_an_unknown_key_is_a_warning_only_where_no_key_is_listed(tmp_path):
    keygen(tmp_path / "dev.key")
    pack = build_pack(tmp_path, "site", "1.0.0", sign=tmp_path / "dev.key")
    v = verify_pack(pack, Policy())
    assert not v.signer.trusted and "not in [packs] trusted_keys" in v.warnings[0]
    with pytest.raises(PackRefused, match="does not trust"):
        verify_pack(pack, Policy(require_signed=True))


def test_a_forged_key_field_cannot_borrow_trust(tmp_path):
    """The .sig names the trusted key but was made with another: refused."""
    _, trusted = keygen(tmp_path / "site.key")
    keygen(tmp_path / "evil.key")
    pack = build_pack(tmp_path, "site", "1.0.0", sign=tmp_path / "evil.key")
    out = tmp_path / "forged.tar"
    with tarfile.open(pack) as src, tarfile.open(out, "w", format=tarfile.PAX_FORMAT) as dst:
        for m in src.getmembers():
            data = src.extractfile(m).read()
            if m.name == "pack.toml.sig":
                doc = json.loads(data)
                doc["key"] = trusted
                data = json.dumps(doc).encode()
                m.size = len(data)
            dst.addfile(m, io.BytesIO(data))
    with pytest.raises(PackRefused, match="signature does not match"):
        verify_pack(out, Policy(trusted_keys=trusted_set([trusted])))


def test_gguf_metadata_is_read_without_loading_the_model():
    f = io.BytesIO(gguf_bytes(PLAIN))
    assert gguf_meta.chat_template(f, "m.gguf") == PLAIN
    assert gguf_meta.chat_template(io.BytesIO(gguf_bytes(None)), "m.gguf") == ""
    huge = bytearray(gguf_bytes(PLAIN))
    # the first key's length field: claim an 8 TB string
    huge[24:32] = (1 << 43).to_bytes(8, "little")
    with pytest.raises(PackRefused, match="metadata string"):
        gguf_meta.chat_template(io.BytesIO(bytes(huge)), "m.gguf")
    with pytest.raises(PackRefused, match="GGUF version 9"):
        gguf_meta.chat_template(io.BytesIO(gguf_bytes(PLAIN, version=9)), "m.gguf")


def test_a_plain_embedded_template_passes_static_and_sandbox_checks(tmp_path):
    from copilot.pack_policy import sandbox_check

    pack = build_pack(tmp_path, "site", "1.0.0", template=PLAIN)
    install(tmp_path / "packs", pack, Policy(check_template=sandbox_check))


class _LyingSource(PackSource):
    """A source whose header says 10 bytes while the content runs on."""

    kind = "test"

    def __init__(self):
        super().__init__(None, Limits())  # type: ignore[arg-type]
        self.members = {"kb/a.md": Member("kb/a.md", 10)}

    def open(self, name):
        return io.BytesIO(b"x" * 5000)


def test_reading_stops_when_a_file_runs_past_its_declared_size(tmp_path):
    with pytest.raises(PackRefused, match="more bytes than its manifest entry"):
        _stream(_LyingSource(), "kb/a.md", FileEntry("0" * 64, 10), tmp_path)


# -- the commands -----------------------------------------------------------------------------
@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("COPILOT_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


def _cli(*args: str) -> int:
    from copilot.cli import main

    return main(["pack", *args])


def test_pack_commands_end_to_end(tmp_path, home, capsys):
    key = tmp_path / "site.key"
    assert _cli("keygen", "--out", str(key)) == 0
    pub = (tmp_path / "site.key.pub").read_text().split()[-1]
    (home / "settings.toml").write_text(
        f'[packs]\ntrusted_keys = ["{pub}"]\nrequire_signed = true\n')
    for v in ("1.0.0", "1.1.0"):
        src = make_pack_dir(tmp_path, "site", v)
        assert _cli("build", str(src), "--out", str(tmp_path / f"{v}.tar"), "--sign",
                    str(key)) == 0
    unsigned = build_pack(tmp_path / "u", "site", "2.0.0")
    capsys.readouterr()
    assert _cli("verify", str(tmp_path / "1.0.0.tar"), "--json") == 0
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] and report["trusted"] and report["version"] == "1.0.0"
    assert _cli("install", str(tmp_path / "1.0.0.tar")) == 0
    assert _cli("install", str(tmp_path / "1.1.0.tar")) == 0
    assert _cli("install", str(unsigned)) == 2
    assert "not signed" in capsys.readouterr().err
    assert _cli("install", str(tmp_path / "1.0.0.tar")) == 0  # already installed: activates
    assert _cli("activate", "site@1.1.0") == 0
    assert _cli("rollback") == 0
    capsys.readouterr()
    assert _cli("list", "--json") == 0
    listing = json.loads(capsys.readouterr().out)
    assert listing["active"] == "site@1.0.0"
    assert [(p["version"], p["signed"]) for p in listing["packs"]] == [("1.0.0", True),
                                                                       ("1.1.0", True)]
    assert _cli("remove", "site") == 2
    assert "is the active pack" in capsys.readouterr().err
    assert _cli("remove", "site@1.1.0") == 0
    assert _cli("list") == 0
    assert "* site@1.0.0" in capsys.readouterr().out


def test_model_resolution_prefers_settings_then_the_active_pack(tmp_path, home):
    from copilot import active_pack
    from copilot.asr.model_paths import NoModelError, resolve_whisper_model
    from copilot.assist.assembly import AssistSetupError, resolve_kb_dir
    from copilot.llm.engine import _model_path
    from copilot.llm.types import ModelLoadError
    from copilot.settings import Settings

    assert active_pack.label() == "" and active_pack.gguf() is None
    install(home / "packs", build_pack(tmp_path, "site", "1.0.0"), Policy())
    root = home / "packs/installed/site/1.0.0"
    assert active_pack.label() == "site@1.0.0"
    assert resolve_whisper_model() == root / "asr/tiny"
    assert resolve_whisper_model("", str(root / "asr/tiny")) == root / "asr/tiny"
    assert _model_path("") == root / "llm/tiny.gguf"
    assert _model_path("/x/other.gguf") == __import__("pathlib").Path("/x/other.gguf")
    cfg = Settings()
    assert resolve_kb_dir(cfg) == root / "kb"
    cfg.assist.kb_dir = str(tmp_path / "mykb")
    assert resolve_kb_dir(cfg) == tmp_path / "mykb"
    assert active_pack.mt_dir() == root / "mt"
    (root / "llm/tiny.gguf").unlink()  # damaged: say so, never fall back silently
    with pytest.raises(NoModelError, match="damaged"):
        resolve_whisper_model()
    with pytest.raises(ModelLoadError, match="damaged"):
        _model_path("")
    with pytest.raises(AssistSetupError, match="damaged"):
        resolve_kb_dir(Settings())
    assert active_pack.label() == "site@1.0.0"


def test_packs_settings_section(tmp_path):
    from copilot.settings import Settings

    p = tmp_path / "settings.toml"
    p.write_text('[packs]\ntrusted_keys = ["abc"]\nrequire_signed = true\nmax_file_mb = 10\n')
    s = Settings.load(p)
    assert (s.packs.trusted_keys, s.packs.require_signed, s.packs.max_file_mb) == (
        ["abc"], True, 10)
    s.save(p)
    assert Settings.load(p).packs == s.packs


def test_verify_installed_rehashes_the_files_and_checks_the_signature(tmp_path, home, capsys):
    key = tmp_path / "site.key"
    assert _cli("keygen", "--out", str(key)) == 0
    pub = (tmp_path / "site.key.pub").read_text().split()[-1]
    (home / "settings.toml").write_text(f'[packs]\ntrusted_keys = ["{pub}"]\n')
    assert _cli("verify", "--installed") == 2
    assert "no pack is active" in capsys.readouterr().err
    src = make_pack_dir(tmp_path, "site", "1.0.0")
    assert _cli("build", str(src), "--out", str(tmp_path / "p.tar"), "--sign", str(key)) == 0
    assert _cli("install", str(tmp_path / "p.tar")) == 0
    capsys.readouterr()
    assert _cli("verify", "--installed", "--json") == 0
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] and report["trusted"] and report["id"] == "site"
    assert _cli("verify", "--installed", "site@1.0.0") == 0
    assert "site@1.0.0: OK" in capsys.readouterr().out
    # A changed byte keeps the size, so the start-up check misses it; this does not.
    model = home / "packs/installed/site/1.0.0/asr/tiny/model.bin"
    data = bytearray(model.read_bytes())
    data[100] ^= 0xFF
    model.write_bytes(bytes(data))
    assert _cli("verify", "--installed") == 2
    assert "model.bin" in capsys.readouterr().err
    assert _cli("verify") == 2
    assert "--installed" in capsys.readouterr().err
    assert _cli("verify", str(tmp_path / "p.tar"), "--installed") == 2
    assert _cli("verify", "--installed", "other") == 2


def test_a_damaged_installed_copy_is_listed_so_and_installing_it_again_repairs_it(
        tmp_path, home, capsys):
    # A second walk-through: a truncated file left `pack list` saying nothing, and the advised
    # "install it again" answered "already installed" and changed nothing.
    pack = build_pack(tmp_path, "site", "1.0.0")
    assert _cli("install", str(pack)) == 0
    model = home / "packs/installed/site/1.0.0/asr/tiny/model.bin"
    model.write_bytes(model.read_bytes()[:10])
    capsys.readouterr()
    assert _cli("list") == 0
    assert "site@1.0.0  DAMAGED: " in capsys.readouterr().out
    assert _cli("list", "--json") == 0
    assert "model.bin" in json.loads(capsys.readouterr().out)["packs"][0]["error"]
    assert _cli("verify", "--installed") == 2  # (not "in the archive": there is none)
    assert "is 10 bytes in the folder but" in capsys.readouterr().err
    assert _cli("install", str(pack)) == 0
    assert "site@1.0.0: repaired" in capsys.readouterr().out
    assert _cli("list") == 0
    assert "DAMAGED" not in capsys.readouterr().out
    assert _cli("install", str(pack)) == 0  # whole again: nothing to do
    assert "site@1.0.0: already installed" in capsys.readouterr().out
