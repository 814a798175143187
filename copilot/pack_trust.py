"""Which packs, and which model and knowledge locations, this site accepts: the one rule behind
`pack install`, `activate` and `rollback`, the active pack's use, and every path a person can
name (--kb, --model, [assist] kb_dir and the model paths of the settings).

The rule is the settings' [packs] require_signed and trusted_keys with the site policy on top
(those two keys, plus packs_only and allowed_packs; copilot/site_policy.py). Where a pack or a
location is taken into use the rule is read from disk rather than handed down, so that no
caller can pass a laxer one: "nothing unsigned is used, whatever the path".

- require_signed: a pack must be signed by a trusted key, a path must lie inside such an
  installed pack, and the bundled sample knowledge base is not used (it is not the site's).
  The models bundled with the application (Whisper, SmolLM2, MiniLM from its Python packages)
  are part of the installed software and stay usable where the active pack has none.
- trusted_keys set: a pack signed by an unknown key is refused (as at install).
- packs_only: knowledge and models come from the active pack only: no path and no model name
  in the settings or on the command line, and no bundled sample knowledge.
- allowed_packs: only those ids may be installed, activated or used.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from pathlib import Path

from copilot import paths, site_policy
from copilot.errors import UserError
from copilot.settings import PacksSettings, Settings
from models.packs import InstalledPack, PackError, PackRefused, PackStore, trusted_set
from models.packs.manifest import MANIFEST, SIGNATURE
from models.packs.signing import identify_signer

__all__ = ["BAD", "TRUSTED", "UNKNOWN", "UNSIGNED", "NotAccepted", "Rule", "Signature",
           "activate", "check_bundled_knowledge", "check_location", "check_model_name",
           "check_pack", "problem", "rollback", "rule", "signature"]

UNSIGNED, TRUSTED, UNKNOWN, BAD = "unsigned", "trusted", "unknown key", "bad signature"
TEXTS = {UNSIGNED: "unsigned", TRUSTED: "signed by a trusted key",
         UNKNOWN: "signed by an unknown key", BAD: "bad signature"}


class NotAccepted(PackRefused):
    """A pack or a location this site's rules refuse (the message says which rule, and where
    it is set)."""


@dataclass(frozen=True)
class Rule:
    require_signed: bool
    trusted: frozenset[bytes]
    packs_only: bool
    site: site_policy.SitePolicy
    settings_path: Path

    def by(self, key: str) -> str:
        """Where [packs] `key` was decided: the site policy, else the settings file."""
        if self.site.sets(key):
            return self.site.where(key)
        return f"[packs] {key} in the settings {self.settings_path}"

    @property
    def strict(self) -> bool:
        """Locations named by a path, and the bundled sample knowledge, need the site's say."""
        return self.require_signed or self.packs_only

    def strict_reason(self) -> str:
        if self.packs_only:
            return (f"the site policy {self.site.path} allows knowledge and models only from "
                    "the active pack (packs_only)")
        return f"this site accepts only signed packs ({self.by('require_signed')})"

    def check_id(self, pack_id: str) -> None:
        if not self.site.allows_pack(pack_id):
            allowed = ", ".join(self.site.allowed_packs or ()) or "none"
            raise NotAccepted(f"the pack {pack_id!r} is not one this site allows (allowed_packs "
                              f"= {allowed} in the site policy {self.site.path})")


def rule(packs: PacksSettings | None = None) -> Rule:
    """The rule in force: `packs` (default: the settings file's) with the site policy applied.
    A broken settings or policy file is a NotAccepted: nothing is used without its rules."""
    try:
        site = site_policy.load()
        if packs is None:
            packs = site_policy.load_settings(policy=site).packs
        else:
            holder = Settings()
            holder.packs = copy.deepcopy(packs)
            packs = site.apply(holder).packs
        trusted = trusted_set(packs.trusted_keys)
    except (UserError, ValueError, PackError) as e:
        raise NotAccepted(f"the pack rules cannot be read: {e}") from e
    return Rule(require_signed=bool(packs.require_signed), trusted=trusted,
                packs_only=bool(site.packs_only), site=site, settings_path=paths.settings_path())


@dataclass(frozen=True)
class Signature:
    state: str  # UNSIGNED | TRUSTED | UNKNOWN | BAD
    key: str = ""  # base64 public key of the signer
    problem: str = ""  # BAD: why

    @property
    def text(self) -> str:
        return TEXTS[self.state]


def signature(pack: InstalledPack, trusted: frozenset[bytes]) -> Signature:
    """Who signed an installed pack's manifest, checked now (a small file: cheap enough for
    every use of the pack)."""
    try:
        manifest = (pack.path / MANIFEST).read_bytes()
        sig_path = pack.path / SIGNATURE
        sig = sig_path.read_bytes() if sig_path.is_file() else None
        signer = identify_signer(manifest, sig, trusted)
    except PackRefused as e:
        return Signature(BAD, problem=str(e))
    except OSError as e:
        return Signature(BAD, problem=f"cannot read its manifest: {e.strerror or e}")
    if signer is None:
        return Signature(UNSIGNED)
    return Signature(TRUSTED if signer.trusted else UNKNOWN, signer.key)


def check_pack(pack: InstalledPack, r: Rule) -> None:
    """Refuse (NotAccepted) an installed pack the rule does not accept."""
    r.check_id(pack.id)
    sig = signature(pack, r.trusted)
    if sig.state == BAD:
        raise NotAccepted(f"{pack.label} cannot be used: {sig.problem}")
    if sig.state == UNSIGNED and r.require_signed:
        raise NotAccepted(f"{pack.label} is not signed, and this site requires signed packs "
                          f"({r.by('require_signed')})")
    if sig.state == UNKNOWN and (r.require_signed or r.trusted):
        raise NotAccepted(f"{pack.label} is signed by an unknown key ({sig.key}), which this "
                          f"site does not trust ({r.by('trusted_keys')})")


def problem(pack: InstalledPack, r: Rule) -> str:
    """Why the rule refuses `pack` ("" when it accepts it): for listings."""
    try:
        check_pack(pack, r)
    except NotAccepted as e:
        return str(e)
    return ""


def activate(store: PackStore, pack_id: str, version: str | None = None,
             r: Rule | None = None) -> InstalledPack:
    """Make an installed pack active if the rule accepts it (checked under the store's lock)."""
    checked = r or rule()
    return store.activate(pack_id, version, check=lambda p: check_pack(p, checked))


def rollback(store: PackStore, r: Rule | None = None) -> InstalledPack:
    """Go back to the previous pack, unless the rule refuses it (then nothing changes)."""
    checked = r or rule()
    return store.rollback(check=lambda p: check_pack(p, checked))


def check_location(path: str | Path, what: str, named_by: str, r: Rule) -> None:
    """A model or knowledge folder named by a path (`named_by`: "--kb", "[assist] kb_dir in
    the settings"...). Under packs_only it is refused; under require_signed it must lie inside
    an installed pack the rule accepts."""
    if r.packs_only:
        raise NotAccepted(f"the {what} {path} ({named_by}) is refused: {r.strict_reason()}; "
                          "leave it empty to use the active pack's")
    if not r.require_signed:
        return
    pack = _installed_pack_holding(Path(path))
    if pack is None:
        raise NotAccepted(f"the {what} {path} ({named_by}) is not part of an installed signed "
                          f"pack, and {r.strict_reason()}; install it as a signed pack, or "
                          "leave the choice empty to use the active pack's")
    check_pack(pack, r)


def check_model_name(name: str, what: str, named_by: str, r: Rule) -> None:
    """A bundled model chosen by name ("base", "tiny.en"): refused under packs_only only (the
    bundled models are part of the installed application)."""
    if r.packs_only:
        raise NotAccepted(f"the {what} {name!r} ({named_by}) is refused: {r.strict_reason()}")


def check_bundled_knowledge(r: Rule) -> None:
    """The sample knowledge base shipped with the application is not the site's knowledge."""
    if r.strict:
        raise NotAccepted("the bundled sample knowledge base is not a signed pack, and "
                          f"{r.strict_reason()}; activate the site's pack")


def _installed_pack_holding(path: Path) -> InstalledPack | None:
    """The installed pack whose folder holds `path` (links resolved), None if none does."""
    root = paths.home() / "packs"
    try:
        rel = path.expanduser().resolve().relative_to((root / "installed").resolve())
    except (ValueError, OSError):
        return None
    if len(rel.parts) < 2:
        return None
    try:
        pack = PackStore(root).get(rel.parts[0], rel.parts[1])
        pack.check_files()
    except PackError:
        return None
    return pack
