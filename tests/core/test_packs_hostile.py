"""The hostile pack corpus: every pack here is refused with a clear message, and the installed
packs folder is byte-identical afterwards (its whole tree is hashed before and after)."""

from __future__ import annotations

import io
import pickle
import tarfile
import zipfile
from pathlib import Path

import pytest
from packs_helpers import (
    build_pack,
    ct2_bin,
    gguf_bytes,
    make_pack_dir,
    rewrite_tar,
    tar_file,
    tree_state,
)

from copilot.pack_policy import sandbox_check
from models.packs import Limits, PackRefused, Policy, install, keygen, trusted_set


@pytest.fixture
def root(tmp_path) -> Path:
    """A packs folder with site@1.1.0 installed and active."""
    r = tmp_path / "packs"
    install(r, build_pack(tmp_path / "good", "site", "1.1.0"), Policy())
    return r


def _good(tmp_path: Path) -> Path:
    return build_pack(tmp_path / "src", "site", "1.2.0")


def _edit_member(name: str, change):
    def edit(entries):
        return [(i, change(d) if i.name == name else d) for i, d in entries]
    return edit


def flipped_byte(tmp: Path) -> Path:
    def flip(d: bytes) -> bytes:
        return d[:100] + bytes([d[100] ^ 1]) + d[101:]
    return rewrite_tar(_good(tmp), tmp / "h.tar", _edit_member("asr/tiny/model.bin", flip))


def extra_file(tmp: Path) -> Path:
    return rewrite_tar(_good(tmp), tmp / "h.tar", lambda e: e + [tar_file("kb/extra.md", b"x")])


def missing_file(tmp: Path) -> Path:
    return rewrite_tar(_good(tmp), tmp / "h.tar",
                       lambda e: [x for x in e if x[0].name != "kb/billing.md"])


def traversal(tmp: Path) -> Path:
    return rewrite_tar(_good(tmp), tmp / "h.tar",
                       lambda e: e + [tar_file("../../evil.md", b"owned")])


def absolute_path(tmp: Path) -> Path:
    return rewrite_tar(_good(tmp), tmp / "h.tar", lambda e: e + [tar_file("/tmp/evil.md", b"x")])


def symlink(tmp: Path) -> Path:
    def add(entries):
        link = tarfile.TarInfo("kb/passwd.md")
        link.type, link.linkname = tarfile.SYMTYPE, "/etc/passwd"
        return entries + [(link, None)]
    return rewrite_tar(_good(tmp), tmp / "h.tar", add)


def hardlink(tmp: Path) -> Path:
    def add(entries):
        link = tarfile.TarInfo("kb/copy.md")
        link.type, link.linkname = tarfile.LNKTYPE, "kb/billing.md"
        return entries + [(link, None)]
    return rewrite_tar(_good(tmp), tmp / "h.tar", add)


def device(tmp: Path) -> Path:
    def add(entries):
        dev = tarfile.TarInfo("kb/null.md")
        dev.type, dev.devmajor, dev.devminor = tarfile.CHRTYPE, 1, 3
        return entries + [(dev, None)]
    return rewrite_tar(_good(tmp), tmp / "h.tar", add)


def duplicate(tmp: Path) -> Path:
    return rewrite_tar(_good(tmp), tmp / "h.tar",
                       lambda e: e + [tar_file("kb/billing.md", b"# other\n")])


def case_clash(tmp: Path) -> Path:
    return rewrite_tar(_good(tmp), tmp / "h.tar", lambda e: e + [tar_file("KB/billing.md", b"x")])


def tampered_manifest(tmp: Path) -> Path:
    """Signed by the trusted key, then the manifest edited: the signature no longer matches."""
    pack = build_pack(tmp / "src", "site", "1.2.0", sign=tmp / "site.key")
    return rewrite_tar(pack, tmp / "h.tar", _edit_member(
        "pack.toml", lambda d: d.replace(b'description = "test pack"', b'description = "evil"')))


def untrusted_signer(tmp: Path) -> Path:
    keygen(tmp / "other.key")
    return build_pack(tmp / "src", "site", "1.2.0", sign=tmp / "other.key")


def unsigned_when_required(tmp: Path) -> Path:
    return _good(tmp)


def downgrade(tmp: Path) -> Path:
    return build_pack(tmp / "src", "site", "1.0.9")


def oversized(tmp: Path) -> Path:
    return build_pack(tmp / "src", "site", "1.2.0",
                      extra={"asr/tiny/big.bin": ct2_bin(300_000)})


def too_big_in_all(tmp: Path) -> Path:
    return build_pack(tmp / "src", "site", "1.2.0",
                      extra={f"kb/p{i}.md": b"x" * 100_000 for i in range(6)})


def hostile_template(tmp: Path) -> Path:
    return build_pack(tmp / "src", "site", "1.2.0", template=(
        "{{ ''.__class__.__mro__[1].__subclasses__() }}{{ '<|im_start|>' }}"))


def hidden_branch_template(tmp: Path) -> Path:
    return build_pack(tmp / "src", "site", "1.2.0", template=(
        "{% if messages|length > 99 %}{{ cycler.__init__.__globals__.os.popen('id').read() }}"
        "{% endif %}{% for m in messages %}{{ m['content'] }}{% endfor %}"))


def attr_filter_template(tmp: Path) -> Path:
    return build_pack(tmp / "src", "site", "1.2.0", template="{{ messages|attr('__class__') }}")


def runaway_template(tmp: Path) -> Path:
    """Nothing forbidden by name: only rendering in the sandbox finds the endless loop."""
    return build_pack(tmp / "src", "site", "1.2.0", template=(
        "{% for i in range(10000000) %}{{ i }}{% endfor %}"))


def pickle_as_bin(tmp: Path) -> Path:
    payload = pickle.dumps({"weights": [1, 2, 3]}, protocol=4)
    return build_pack(tmp / "src", "site", "1.2.0", extra={"asr/tiny/model.bin": payload})


def torch_file(tmp: Path) -> Path:
    return build_pack(tmp / "src", "site", "1.2.0", extra={"asr/tiny/weights.pt": b"\x80\x02x"})


def zip_in_bin(tmp: Path) -> Path:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("archive/data.pkl", b"\x80\x04.")
    return build_pack(tmp / "src", "site", "1.2.0", extra={"mt/fr-en/model.bin": buf.getvalue()})


def script_as_text(tmp: Path) -> Path:
    return build_pack(tmp / "src", "site", "1.2.0",
                      extra={"kb/notes.txt": b"#!/bin/sh\nrm -rf ~\n"})


def executable(tmp: Path) -> Path:
    return build_pack(tmp / "src", "site", "1.2.0", extra={"llm/helper.json": b"\x7fELF\x02\x01"})


def not_gguf(tmp: Path) -> Path:
    d = make_pack_dir(tmp / "src", "site", "1.2.0")
    (d / "llm/tiny.gguf").write_bytes(b"NOPE" + b"x" * 100)
    from models.packs import build
    return build(d, tmp / "h.tar").path


def zip_bomb(tmp: Path) -> Path:
    good = make_pack_dir(tmp / "src", "site", "1.2.0")
    out = tmp / "h.zip"
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for p in sorted(good.rglob("*")):
            if p.is_file():
                z.write(p, p.relative_to(good).as_posix())
        z.writestr("kb/bomb.md", b"\0" * (20 << 20))
    return out


def zip_symlink(tmp: Path) -> Path:
    out = tmp / "h.zip"
    with zipfile.ZipFile(out, "w") as z:
        info = zipfile.ZipInfo("kb/link.md")
        info.create_system, info.external_attr = 3, (0o120777 << 16)
        z.writestr(info, "/etc/passwd")
    return out


def compressed_tar(tmp: Path) -> Path:
    out = tmp / "h.tar.gz"
    with tarfile.open(out, "w:gz") as t:
        t.add(make_pack_dir(tmp / "src", "site", "1.2.0"), arcname=".")
    return out


def file_and_folder(tmp: Path) -> Path:
    return rewrite_tar(_good(tmp), tmp / "h.tar", lambda e: e + [tar_file("kb", b"x")])


def bad_manifest_types(tmp: Path) -> Path:
    return rewrite_tar(_good(tmp), tmp / "h.tar", _edit_member(
        "pack.toml", lambda d: d.replace(b'id = "site"', b'id = "../site"')))


CASES = [
    (flipped_byte, "does not match its SHA-256", {}),
    (extra_file, "does not list", {}),
    (missing_file, "missing", {}),
    (traversal, "escapes", {}),
    (absolute_path, "absolute path", {}),
    (symlink, "symbolic link", {}),
    (hardlink, "hard link", {}),
    (device, "not a regular file", {}),
    (duplicate, "appears twice", {}),
    (case_clash, "differ only in case", {}),
    (tampered_manifest, "signature does not match", {"trusted": True}),
    (untrusted_signer, "does not trust", {"trusted": True}),
    (unsigned_when_required, "not signed", {"require_signed": True}),
    (downgrade, "older than site@1.1.0", {}),
    (oversized, "limit of .* per file", {"limits": Limits(max_file_bytes=200_000)}),
    (too_big_in_all, "more than the limit", {"limits": Limits(max_total_bytes=500_000)}),
    (hostile_template, "tries to reach '__", {}),
    (hidden_branch_template, "tries to reach", {}),
    (attr_filter_template, "tries to reach '__class__'", {}),
    (runaway_template, "loop of 10000000 iterations", {}),
    (pickle_as_bin, "pickle", {}),
    (torch_file, r"\.pt file", {}),
    (zip_in_bin, "zip archive", {}),
    (script_as_text, "a script", {}),
    (executable, "ELF executable", {}),
    (not_gguf, "not a GGUF", {}),
    (zip_bomb, "zip bomb", {}),
    (zip_symlink, "symbolic link", {}),
    (compressed_tar, "compressed tar", {}),
    (file_and_folder, "both a file and a folder", {}),
    (bad_manifest_types, "id '../site'", {}),
]


@pytest.mark.parametrize("make, message, opts", CASES, ids=[c[0].__name__ for c in CASES])
def test_hostile_pack_is_refused_and_nothing_changes(tmp_path, root, make, message, opts):
    _pub_path, pub = keygen(tmp_path / "site.key")
    policy = Policy(trusted_keys=trusted_set([pub]) if opts.get("trusted") else frozenset(),
                    require_signed=opts.get("require_signed", False),
                    limits=opts.get("limits", Limits()), check_template=sandbox_check)
    hostile = make(tmp_path)
    before = tree_state(root)
    with pytest.raises(PackRefused, match=message):
        install(root, hostile, policy)
    assert tree_state(root) == before


def test_refused_first_install_leaves_no_packs_folder(tmp_path):
    root = tmp_path / "fresh" / "packs"
    with pytest.raises(PackRefused, match="does not match its SHA-256"):
        install(root, flipped_byte(tmp_path), Policy())
    assert not root.exists()


def test_a_pickle_refused_by_content_even_under_an_allowed_name(tmp_path):
    # protocol 2 pickles (torch's legacy format) start with \x80\x02
    hostile = build_pack(tmp_path / "src", "site", "1.0.0",
                         extra={"mt/fr-en/model.bin": pickle.dumps([1], protocol=2)})
    with pytest.raises(PackRefused, match="pickle"):
        install(tmp_path / "packs", hostile, Policy())


def test_truncated_gguf_metadata_is_refused(tmp_path):
    d = make_pack_dir(tmp_path / "src")
    (d / "llm/tiny.gguf").write_bytes(gguf_bytes()[:40])
    from models.packs import build

    pack = build(d, tmp_path / "t.tar").path
    with pytest.raises(PackRefused, match="truncated"):
        install(tmp_path / "packs", pack, Policy())
