"""The site policy: a TOML file only an administrator can write, whose keys override and lock
settings on this computer (docs/site-policy.md).

    /etc/agent-copilot/policy.toml    the default place
    COPILOT_SITE_POLICY=FILE          another file, only where the default one does not exist

It is read at start-up (every command, the window) and wherever settings are loaded
(`load_settings`). `SitePolicy.apply` is the one place its values are put into a Settings;
the pack rules it adds (packs_only, allowed_packs) are enforced by copilot/pack_trust.py.

A regulated site prefers no copilot to an unlocked one, so anything wrong with the file (not
TOML, an unknown key, a wrong type, unreadable, writable by everyone) is a SitePolicyError
naming the file and the key, and the front ends refuse to start rather than run without it.
"""

from __future__ import annotations

import copy
import fnmatch
import logging
import os
import re
import stat
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from copilot import logs, paths
from copilot.errors import UserError
from copilot.settings import MAX_RETENTION_DAYS, Settings

__all__ = ["ENV", "KEYS", "SYSTEM_PATH", "SitePolicy", "SitePolicyError", "UnreadableSettings",
           "load", "load_settings", "policy_path", "save_settings"]

log = logging.getLogger(__name__)

SYSTEM_PATH = Path("/etc/agent-copilot/policy.toml")
ENV = "COPILOT_SITE_POLICY"
PACK_PATTERN = re.compile(r"^[a-z0-9._*?\[\]!-]{1,64}$")

# Each policy key: its type as the docs and messages say it, and the settings it locks
# ("section.field"). allowed_packs locks no setting: pack_trust reads it from the policy.
KEYS: dict[str, tuple[str, tuple[str, ...]]] = {
    "require_signed": ("true or false", ("packs.require_signed",)),
    "trusted_keys": ("a list of public keys", ("packs.trusted_keys",)),
    "packs_only": ("true or false", ("asr.model", "llm.model", "assist.kb_dir", "assist.mt_dir",
                                     "assist.encoder")),
    "allowed_packs": ("a list of pack ids or patterns", ()),
    "retention_days": (f"a whole number of days from 0 to {MAX_RETENTION_DAYS}",
                       ("store.retention_days",)),
    "redaction_patterns": ("a list of regular expressions", ("redaction.extra_patterns",)),
    "content_debug": ("true or false", ("logging.content_debug",)),
    "encrypt_store": ("true or false", ("store.encrypt",)),
    "handoff_destinations": ("a list of team names", ("handoff.destinations",)),
}


class UnreadableSettings(UserError):
    """The settings file on disk cannot be read: it is not saved over (save_settings)."""


class SitePolicyError(UserError):
    """The site policy file is missing where named, unreadable, unsafe or malformed."""


@dataclass(frozen=True)
class SitePolicy:
    """The policy's keys (None: not set by the site). `path` is the file they came from (None
    when there is no policy file). `content_debug_by_env`: the environment variable
    COPILOT_SITE_NO_CONTENT_DEBUG forbids content debug (it wins over the file)."""

    path: Path | None = None
    require_signed: bool | None = None
    trusted_keys: tuple[str, ...] | None = None
    packs_only: bool | None = None
    allowed_packs: tuple[str, ...] | None = None
    retention_days: int | None = None
    redaction_patterns: tuple[str, ...] | None = None
    content_debug: bool | None = None
    encrypt_store: bool | None = None
    handoff_destinations: tuple[str, ...] | None = None
    content_debug_by_env: bool = False

    def sets(self, key: str) -> bool:
        """Whether the site decided `key` (a policy key). packs_only = false decides nothing."""
        value = getattr(self, key)
        return bool(value) if key == "packs_only" else value is not None

    @property
    def active(self) -> bool:
        return any(self.sets(k) for k in KEYS)

    def where(self, key: str) -> str:
        """Who set `key`, for messages: "require_signed in the site policy /etc/...". """
        if key == "content_debug" and self.content_debug_by_env:
            return f"the environment variable {logs.SITE_FORBIDS_ENV}"
        return f"{key} in the site policy {self.path}"

    def locks(self) -> dict[str, str]:
        """The settings the site locks ("section.field") and the policy key that locks each."""
        return {target: key for key, (_, targets) in KEYS.items() if self.sets(key)
                for target in targets}

    def rules(self) -> list[str]:
        """The policy's rules in words, for the Settings dialog's note above its pages ([]
        without a policy)."""
        rules = []
        if self.require_signed is not None:
            rules.append("only signed packs" if self.require_signed else "unsigned packs allowed")
        if self.trusted_keys is not None:
            rules.append(f"{len(self.trusted_keys)} trusted signing key(s)")
        if self.packs_only:
            rules.append("knowledge and models only from the active pack")
        if self.allowed_packs is not None:
            rules.append("packs allowed: " + (", ".join(self.allowed_packs) or "none"))
        if self.retention_days is not None:
            rules.append(f"calls kept {self.retention_days} days" if self.retention_days
                         else "calls kept until deleted")
        if self.redaction_patterns is not None:
            rules.append(f"{len(self.redaction_patterns)} extra redaction pattern(s)")
        if self.content_debug is not None and self.path is not None:
            rules.append("content debug " + ("on" if self.content_debug else "off"))
        if self.encrypt_store is not None:
            rules.append("call store encrypted" if self.encrypt_store else
                         "call store not encrypted")
        return rules

    def apply(self, settings: Settings) -> Settings:
        """A copy of `settings` with every locked value the site's. The one place the policy
        reaches Settings."""
        s = copy.deepcopy(settings)
        for target, key in self.locks().items():
            section, name = target.split(".")
            value = "" if key == "packs_only" else getattr(self, key)
            setattr(getattr(s, section), name, list(value) if isinstance(value, tuple) else value)
        return s

    def allows_pack(self, pack_id: str) -> bool:
        return self.allowed_packs is None or any(
            fnmatch.fnmatchcase(pack_id, pattern) for pattern in self.allowed_packs)


def policy_path() -> tuple[Path, bool]:
    """(the policy file, whether COPILOT_SITE_POLICY named it). Where the system file exists
    it is the policy whatever the variable says: an agent could otherwise escape the site's
    policy by pointing the variable at an empty file."""
    named = os.environ.get(ENV, "").strip()
    if named and SYSTEM_PATH.exists() and Path(named).expanduser() != SYSTEM_PATH:
        log.warning("%s is ignored: the system's site policy exists", ENV)
        return SYSTEM_PATH, False
    if named:
        return Path(named).expanduser(), True
    return SYSTEM_PATH, False


def load() -> SitePolicy:
    """The site policy in force (an empty one when there is no file). Raises SitePolicyError."""
    path, named = policy_path()
    env_forbids = logs.site_forbids_content_debug()
    try:
        st = path.stat()
        raw = path.read_bytes()
    except FileNotFoundError:
        if named:
            raise SitePolicyError(f"{ENV} names the site policy {path}, which does not exist; "
                                  "the copilot does not start without its site's policy") from None
        return SitePolicy(content_debug=False if env_forbids else None,
                          content_debug_by_env=env_forbids)
    except OSError as e:
        raise SitePolicyError(f"cannot read the site policy {path} ({e.strerror or e}); the "
                              "copilot does not start without its site's policy") from e
    _check_writers(path, st, system=not named)
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise SitePolicyError(f"the site policy {path} is not valid TOML: {e}") from e
    values = {key: _value(path, key, data[key]) for key in data}
    if env_forbids:  # the administrator's environment variable forbids, whatever the file says
        values["content_debug"] = False
    return SitePolicy(path=path, content_debug_by_env=env_forbids, **values)


def _check_writers(path: Path, st: os.stat_result, *, system: bool) -> None:
    """Refuse a policy an agent could rewrite: writable by every user, or (the system file)
    owned by the ordinary user running the copilot."""
    if st.st_mode & stat.S_IWOTH:
        raise SitePolicyError(f"the site policy {path} can be changed by every user of this "
                              "computer; make it writable by an administrator only (chmod 644)")
    uid = os.getuid() if hasattr(os, "getuid") else 0
    if system and uid != 0 and st.st_uid == uid:
        raise SitePolicyError(f"the site policy {path} belongs to the user running the copilot, "
                              "who could change it; make an administrator own it (sudo chown "
                              f"root: {path})")


def _value(path: Path, key: str, value: Any) -> Any:
    """One key, checked and normalised; a SitePolicyError naming the file and the key."""
    where = f"the site policy {path}"
    if key not in KEYS:
        if isinstance(value, dict):
            raise SitePolicyError(f"{where}: [{key}] is a table, but policy keys are written at "
                                  "the top level (e.g. require_signed = true), not in sections")
        raise SitePolicyError(f"{where}: unknown key {key!r} (known: {', '.join(KEYS)})")
    expected = KEYS[key][0]
    bad = SitePolicyError(f"{where}: {key} must be {expected} (got {value!r:.80})")
    if expected == "true or false":
        if not isinstance(value, bool):
            raise bad
        return value
    if key == "retention_days":
        if isinstance(value, bool) or not isinstance(value, int) or \
                not 0 <= value <= MAX_RETENTION_DAYS:
            raise bad
        return value
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise bad
    items = tuple(v.strip() for v in value)
    for n, item in enumerate(items, start=1):
        problem = _item_problem(key, item)
        if problem:
            raise SitePolicyError(f"{where}: {key} item {n} ({item!r:.80}) {problem}")
    return items


def _item_problem(key: str, item: str) -> str:
    if key == "trusted_keys":
        from models.packs import PackError
        from models.packs.signing import parse_public_key

        try:
            parse_public_key(item)
        except PackError as e:
            return f"is not a usable public key: {e}"
    elif key == "allowed_packs":
        if not PACK_PATTERN.match(item):
            return ("is not a pack id or pattern (lowercase letters, digits, '.', '_', '-', "
                    "and * ? [ ] as in site-*)")
    elif key == "handoff_destinations":
        if not item:
            return "is empty"
    elif key == "redaction_patterns":
        try:
            re.compile(item)
        except re.error as e:
            return f"is not a valid regular expression: {e}"
    return ""


def load_settings(path: Path | None = None, policy: SitePolicy | None = None) -> Settings:
    """The settings in force: the settings file (`path`, default the data folder's) with the
    site policy applied. ValueError for a broken settings file, SitePolicyError for the policy."""
    policy = policy if policy is not None else load()
    on_disk = Settings.load(path if path is not None else paths.settings_path())
    for problem in on_disk.problems:
        log.warning("settings: %s", problem)
    return policy.apply(on_disk)  # a copy: the problems go with it


def save_settings(settings: Settings, path: Path, policy: SitePolicy) -> Settings:
    """Write `settings` to `path`, keeping the file's own value of every locked setting (an
    edit cannot replace it, and the site's value is not copied into the agent's file: lifting
    the policy gives the agent's choice back). Returns the settings in force after the save."""
    try:
        on_disk = Settings.load(path)
    except ValueError as e:
        # Never written over: the settings were loaded as defaults, so a save would replace
        # what the window does not show (the call store's encryption and key, the packs'
        # signing rules) with defaults, silently (a second walk-through did just that).
        raise UnreadableSettings(
            f"{e}. Saving would replace it, and with it settings this window does not show "
            "(the call store's encryption, pack signing). Fix that line in the file, or move "
            "the file aside to start from the defaults") from e
    kept = copy.deepcopy(settings)
    for target in policy.locks():
        section, name = target.split(".")
        setattr(getattr(kept, section), name, copy.deepcopy(getattr(getattr(on_disk, section),
                                                                    name)))
    kept.save(path)
    return policy.apply(kept)
