"""Ed25519 signatures over the exact bytes of `pack.toml`.

The signature covers the manifest bytes as stored, not a re-serialisation: the verifier checks it
before parsing a single field, so a parser quirk cannot make two readers see different manifests,
and the manifest's SHA-256 table then vouches for every other file.

`pack.toml.sig` is JSON: {"algorithm": "ed25519", "key": "<base64 public key>", "signature":
"<base64>"}. The key inside is only a hint of who signed; trust comes from the site's list.
Private keys are PKCS#8 PEM files (mode 0600); public keys are one line of base64 in `KEY.pub`.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
from dataclasses import dataclass
from pathlib import Path

from models.packs.errors import PackError, PackRefused

MAX_SIGNATURE_BYTES = 4096
PUB_PREFIX = "agent-copilot-ed25519 "


@dataclass(frozen=True)
class Signer:
    key: str  # base64 of the 32 raw public key bytes
    trusted: bool


def keygen(out: Path) -> tuple[Path, str]:
    """Write a new private key to `out` (0600) and its public key to `out.pub`."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    out = Path(out)
    pub_path = out.with_name(out.name + ".pub")
    if out.exists() or pub_path.exists():
        raise PackError(f"{out} or {pub_path} already exists; choose another name (an existing "
                        "key is never overwritten)")
    try:
        # The folder is created private too: it is where the site keeps its signing key.
        out.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as e:
        raise PackError(f"cannot create the folder {out.parent} for the key: "
                        f"{e.strerror or e}") from e
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    # Created 0600 from the start (O_EXCL): the private key is never readable by others, not even
    # for the moment between a write and a chmod.
    fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(pem)
    pub = _b64(key.public_key().public_bytes(serialization.Encoding.Raw,
                                             serialization.PublicFormat.Raw))
    pub_path.write_text(PUB_PREFIX + pub + "\n", encoding="ascii")
    return pub_path, pub


def load_private_key(path: Path):  # -> Ed25519PrivateKey
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    try:
        key = serialization.load_pem_private_key(Path(path).read_bytes(), password=None)
    except FileNotFoundError:
        raise PackError(f"no signing key at {path} (create one with `copilot pack keygen`)") \
            from None
    except (ValueError, TypeError) as e:
        raise PackError(f"{path} is not an unencrypted Ed25519 private key: {e}") from e
    if not isinstance(key, Ed25519PrivateKey):
        raise PackError(f"{path} is not an Ed25519 key")
    return key


def sign(manifest: bytes, key_path: Path) -> bytes:
    from cryptography.hazmat.primitives import serialization

    key = load_private_key(key_path)
    pub = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    doc = {"algorithm": "ed25519", "key": _b64(pub), "signature": _b64(key.sign(manifest))}
    return (json.dumps(doc, indent=1) + "\n").encode("ascii")


def parse_public_key(text: str) -> bytes:
    """32 raw bytes from base64, hex, a .pub file's line, or the path of a .pub file."""
    s = text.strip()
    if s.startswith(PUB_PREFIX):
        s = s[len(PUB_PREFIX):].strip()
    raw: bytes | None = None
    if len(s) == 64:
        try:
            raw = bytes.fromhex(s)
        except ValueError:
            raw = None
    if raw is None and len(s) == 44:
        try:
            raw = base64.b64decode(s, validate=True)
        except binascii.Error:
            raw = None
    if raw is None and (os.sep in s or s.endswith(".pub")):
        p = Path(s).expanduser()
        try:
            return parse_public_key(p.read_text(encoding="ascii").splitlines()[0])
        except (OSError, UnicodeDecodeError, IndexError) as e:
            raise PackError(f"cannot read the trusted key file {p}: {e}") from e
    if raw is None or len(raw) != 32:
        raise PackError(f"trusted key {text!r:.60} is not an Ed25519 public key (base64 or hex of "
                        "32 bytes, or a .pub file)")
    return raw


def trusted_set(keys: list[str] | tuple[str, ...]) -> frozenset[bytes]:
    return frozenset(parse_public_key(k) for k in keys)


def identify_signer(manifest: bytes, sig: bytes | None,
                    trusted: frozenset[bytes]) -> Signer | None:
    """Who signed the manifest: None when it is unsigned, a Signer (trusted or an unknown key)
    when a signature verifies. A signature that does not verify, or a malformed one, is always
    refused (the manifest was altered). Applies no site rule: check_signature does."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    if sig is None:
        return None
    if len(sig) > MAX_SIGNATURE_BYTES:
        raise PackRefused("pack.toml.sig is too large to be a signature")
    try:
        doc = json.loads(sig.decode("ascii"))
        if not isinstance(doc, dict) or doc.get("algorithm") != "ed25519":
            raise ValueError("algorithm must be ed25519")
        key = base64.b64decode(doc["key"], validate=True)
        signature = base64.b64decode(doc["signature"], validate=True)
        if len(key) != 32 or len(signature) != 64:
            raise ValueError("wrong key or signature length")
    except (UnicodeDecodeError, ValueError, KeyError, TypeError, binascii.Error) as e:
        raise PackRefused(f"pack.toml.sig is malformed ({e})") from e
    # A trusted key is tried whatever key the file names, so a forged "key" field cannot make a
    # genuine signature look untrusted, nor a fake one look trusted.
    candidates = [key] + [k for k in trusted if k != key]
    for k in candidates:
        try:
            Ed25519PublicKey.from_public_bytes(k).verify(signature, manifest)
        except InvalidSignature:
            continue
        return Signer(_b64(k), k in trusted)
    raise PackRefused("the pack's signature does not match its manifest (pack.toml was altered "
                      "or signed with another key)")


def check_signature(manifest: bytes, sig: bytes | None, trusted: frozenset[bytes],
                    require_signed: bool, *, require_signed_by: str = "[packs] require_signed",
                    trusted_keys_by: str = "[packs] trusted_keys",
                    ) -> tuple[Signer | None, list[str]]:
    """Who signed the manifest, or refusal. Returns (signer or None, warnings).

    - a signature that does not verify is always refused (the manifest was altered);
    - a valid signature from a key the site does not list ("an unknown key") is refused when
      the site lists keys or requires signing (else accepted with a warning: no worse than an
      unsigned pack);
    - an unsigned pack is refused when signing is required.
    `require_signed_by` and `trusted_keys_by` name where the site set those rules (a settings
    key, or the site policy file), so a refusal says what to change."""
    signer = identify_signer(manifest, sig, trusted)
    if signer is None:
        if require_signed:
            raise PackRefused("the pack is not signed, and this site requires signed packs "
                              f"({require_signed_by})")
        return None, ["the pack is not signed"]
    if signer.trusted:
        return signer, []
    if require_signed or trusted:
        raise PackRefused(f"the pack is signed by an unknown key ({signer.key}), which this site "
                          f"does not trust (add it to {trusted_keys_by} if it should)")
    return signer, [f"the pack is signed by an unknown key ({signer.key}): it is not in "
                    f"{trusted_keys_by}"]


def _b64(b: bytes) -> str:
    return base64.b64encode(b).decode("ascii")
