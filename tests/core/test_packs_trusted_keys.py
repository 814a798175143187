"""A signature is checked against every trusted key, whatever key the signature file names: a
site with several trusted keys accepts a pack signed by any of them, and a forged "key" field
cannot make a genuine signature untrusted nor a stranger's look trusted."""

from __future__ import annotations

import base64
import json

import pytest

from models.packs import signing
from models.packs.errors import PackRefused

MANIFEST = b'id = "site"\nversion = "1.0.0"\n'


@pytest.fixture
def keys(tmp_path):
    made = {}
    for name in ("a", "b", "c"):
        private = tmp_path / f"{name}.key"
        _pub_path, public = signing.keygen(private)
        made[name] = (private, signing.parse_public_key(public))
    return made


def _forge_key_field(sig: bytes, key: bytes) -> bytes:
    doc = json.loads(sig)
    doc["key"] = base64.b64encode(key).decode()
    return json.dumps(doc).encode()


def test_a_pack_signed_by_any_trusted_key_is_accepted(keys):
    trusted = frozenset({keys["a"][1], keys["b"][1]})
    for name in ("a", "b"):
        signer, warnings = signing.check_signature(
            MANIFEST, signing.sign(MANIFEST, keys[name][0]), trusted, require_signed=True)
        assert signer is not None and signer.trusted and warnings == []


def test_a_forged_key_field_does_not_hide_a_trusted_signer(keys):
    trusted = frozenset({keys["a"][1], keys["b"][1]})
    sig = _forge_key_field(signing.sign(MANIFEST, keys["b"][0]), keys["c"][1])
    signer, _ = signing.check_signature(MANIFEST, sig, trusted, require_signed=True)
    assert signer is not None and signer.trusted
    assert signer.key == base64.b64encode(keys["b"][1]).decode()


def test_a_strangers_signature_naming_a_trusted_key_is_refused(keys):
    trusted = frozenset({keys["a"][1], keys["b"][1]})
    sig = _forge_key_field(signing.sign(MANIFEST, keys["c"][0]), keys["a"][1])
    with pytest.raises(PackRefused, match="does not match"):
        signing.check_signature(MANIFEST, sig, trusted, require_signed=True)


def test_an_altered_manifest_is_refused_whoever_signed_it(keys):
    trusted = frozenset({keys["a"][1]})
    sig = signing.sign(MANIFEST, keys["a"][0])
    with pytest.raises(PackRefused):
        signing.check_signature(MANIFEST + b"# changed\n", sig, trusted, require_signed=False)
