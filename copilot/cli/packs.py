"""`copilot pack ...`: make, sign, verify, install and switch model packs (models/packs/).

    copilot pack keygen --out KEY                      KEY (private, 0600) and KEY.pub
    copilot pack build DIR-or-RECIPE --out FILE [--sign KEY]
    copilot pack verify FILE | --installed [ID[@VERSION]]
    copilot pack install FILE [--force] [--no-activate]
    copilot pack install-demo [--sign KEY]              build + install models/recipes/demo.toml
    copilot pack list [--json]
    copilot pack activate ID[@VERSION]
    copilot pack rollback
    copilot pack remove ID[@VERSION] [--force]

Packs are installed in $COPILOT_HOME/packs; verification follows [packs] in the settings
(trusted_keys, require_signed, size limits) and the site policy (docs/site-policy.md), which
also decides which packs may be activated; `activate` and `rollback` refuse a pack the rules do
not accept.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import tomllib
from pathlib import Path
from typing import Any

from copilot import active_pack, pack_policy, pack_trust, paths
from copilot.settings import Settings
from copilot.text.plural import plural

DEMO_RECIPE = Path(__file__).resolve().parents[2] / "models" / "recipes" / "demo.toml"


def register(sub: argparse._SubParsersAction) -> None:
    pack = sub.add_parser(
        "pack", help="model packs: build, sign, verify, install, activate, roll back",
        description="A pack bundles the speech model, language model, translation models and "
                    "knowledge base a site uses, with a SHA-256 for every file, optionally "
                    "signed (Ed25519). Installs verify everything first and change nothing on "
                    "failure.")
    cmds = pack.add_subparsers(dest="pack_command", required=True, metavar="COMMAND")

    p = cmds.add_parser("keygen", help="create a signing key pair")
    p.add_argument("--out", required=True, metavar="KEY", help="private key file (KEY.pub too)")
    p.set_defaults(func=cmd_keygen)

    p = cmds.add_parser("build", help="build a pack from a folder or a recipe")
    p.add_argument("source", metavar="DIR-or-RECIPE")
    p.add_argument("--out", required=True, metavar="FILE", help="the pack (.tar or .zip)")
    p.add_argument("--sign", metavar="KEY", help="sign with this private key")
    p.set_defaults(func=cmd_build)

    p = cmds.add_parser("verify", help="verify a pack without installing it, or re-check an "
                                       "installed one")
    p.add_argument("pack", metavar="FILE", nargs="?")
    p.add_argument("--installed", metavar="ID[@VERSION]", nargs="?", const="", default=None,
                   help="re-hash an installed pack's files and check its signature (default: "
                        "the active pack); at start-up only their sizes are checked")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=cmd_verify)

    p = cmds.add_parser("install", help="verify and install a pack, and make it active")
    p.add_argument("pack", metavar="FILE")
    p.add_argument("--force", action="store_true",
                   help="allow a downgrade or replacing a changed pack of the same version")
    p.add_argument("--no-activate", action="store_true", help="install without activating")
    p.set_defaults(func=cmd_install)

    p = cmds.add_parser("install-demo", help="build and install the demo pack (skipped when "
                                             "already installed)")
    p.add_argument("--sign", metavar="KEY", help="sign with this private key")
    p.add_argument("--recipe", default=str(DEMO_RECIPE), help=argparse.SUPPRESS)
    p.set_defaults(func=cmd_install_demo)

    p = cmds.add_parser("list", help="installed packs (* = active)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=cmd_list)

    p = cmds.add_parser("activate", help="make an installed pack active")
    p.add_argument("ref", metavar="ID[@VERSION]")
    p.set_defaults(func=cmd_activate)

    p = cmds.add_parser("rollback", help="go back to the previously active pack")
    p.set_defaults(func=cmd_rollback)

    p = cmds.add_parser("remove", help="remove an installed pack (all versions, or one)")
    p.add_argument("ref", metavar="ID[@VERSION]")
    p.add_argument("--force", action="store_true", help="also when it is the active pack")
    p.set_defaults(func=cmd_remove)


def _errors() -> tuple[type[Exception], ...]:
    from copilot.knowledge.parse import KnowledgeError
    from copilot.pack_content import PackContentError
    from models.packs import PackError

    return (PackError, KnowledgeError, PackContentError)


def _run(fn: Any, *a: Any, **kw: Any) -> Any:
    from copilot.errors import UserError

    try:
        return fn(*a, **kw)
    except _errors() as e:
        raise UserError(str(e)) from e


def _settings() -> Settings:
    # (common.load_settings: the settings' problems are said here too, a mistyped
    # require_signed above all)
    from copilot.cli.common import load_settings

    return load_settings()


def _policy() -> Any:
    return _run(pack_policy.policy, _settings().packs)


def _ref(text: str) -> tuple[str, str | None]:
    from copilot.errors import UserError

    pack_id, at, version = text.partition("@")
    if (at and not version.strip()) or not pack_id.strip():
        raise UserError(f"{text!r} is not a pack: give ID or ID@VERSION (copilot pack list)")
    return pack_id, version or None


class _Progress:
    """Progress on stderr: a rewritten line on a terminal, a line per 10% otherwise."""

    def __init__(self, what: str):
        self.what, self.last, self.tty = what, -1, sys.stderr.isatty()
        self.t0 = time.monotonic()

    def __call__(self, *args: Any) -> None:
        phase, done, total = args if len(args) == 3 else (self.what, *args)
        pct = int(100 * done / total) if total else 100
        step = pct if self.tty else pct // 10 * 10
        if (phase, step) == self.last:
            return
        self.last = (phase, step)
        msg = f"{phase}: {pct:3d}% ({done / 1e6:.0f} of {total / 1e6:.0f} MB)"
        if self.tty:
            print("\r" + msg, end="\n" if pct >= 100 else "", file=sys.stderr, flush=True)
        else:
            print(msg, file=sys.stderr, flush=True)


def cmd_keygen(args: argparse.Namespace) -> int:
    from models.packs import keygen

    pub_path, pub = _run(keygen, Path(args.out))
    print(f"private key: {args.out} (keep it secret; mode 0600)")
    print(f"public key:  {pub_path}")
    print(f"add to the sites' settings: [packs] trusted_keys = [\"{pub}\"]")
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    from copilot.pack_content import check_or_raise
    from models.packs import build

    r = _run(build, args.source, args.out, sign_key=args.sign, models_dir=paths.models_dir(),
             progress=_Progress("build"), check=check_or_raise)
    for w in r.warnings:
        print(f"  {w}")  # each names its file, line and level
    print(f"built {r.manifest.label}: {r.path} ({r.size / 1e6:.0f} MB, "
          f"{plural(len(r.manifest.files), 'file')}, {'signed' if r.signed else 'unsigned'})")
    return 0


def cmd_verify(args: argparse.Namespace) -> int:
    from models.packs import verify_only

    v = _run(verify_only, _verify_target(args), _policy(), progress=_Progress("verify"))
    m = v.manifest
    report = {"ok": True, "id": m.id, "version": m.version, "files": len(m.files),
              "bytes": m.total_size, "signed_by": v.signer.key if v.signer else None,
              "trusted": bool(v.signer and v.signer.trusted), "warnings": v.warnings}
    if args.json:
        print(json.dumps(report))
    else:
        print(f"{m.label}: OK ({plural(len(m.files), 'file')}, {m.total_size / 1e6:.0f} MB, "
              f"{_signed_text(v.signer)})")
        for w in v.warnings:
            print(f"  warning: {w}")
    return 0


def _verify_target(args: argparse.Namespace) -> Any:
    """The pack file or folder to verify: FILE, or an installed pack's folder."""
    from copilot.errors import UserError

    if args.installed is None:
        if not args.pack:
            raise UserError("give a pack FILE to verify, or --installed [ID[@VERSION]]")
        return args.pack
    if args.pack:
        raise UserError("give either a pack FILE or --installed, not both")
    store = active_pack.store()
    pack = _run(store.get, *_ref(args.installed)) if args.installed else _run(store.active)
    if pack is None:
        raise UserError("no pack is active (copilot pack list)")
    return pack.path


def _signed_text(signer: Any) -> str:
    if signer is None:
        return "unsigned"
    return f"signed by {'a trusted key' if signer.trusted else 'an unknown key'} {signer.key}"


def cmd_install(args: argparse.Namespace) -> int:
    from models.packs import install

    r = _run(install, active_pack.packs_root(), args.pack, _policy(), force=args.force,
             activate=not args.no_activate, progress=_Progress("verify"))
    _print_install(r)
    return 0


def _print_install(r: Any) -> None:
    print(f"{r.pack.label}: {r.status}{', active' if r.activated else ''}")
    for w in r.warnings:
        print(f"  warning: {w}")
    for label in r.removed:
        print(f"  removed old version {label}")


def cmd_install_demo(args: argparse.Namespace) -> int:
    """Build the demo pack and install it; does nothing (but activate) when that version is
    already installed, so `./dev demo` may call it every time."""
    from copilot.errors import UserError
    from models.packs import build, install

    recipe = Path(args.recipe)
    try:
        doc = tomllib.loads(recipe.read_text(encoding="utf-8"))
        pack_id, version = str(doc["id"]), str(doc["version"])
    except (OSError, tomllib.TOMLDecodeError, KeyError) as e:
        raise UserError(f"cannot read the demo recipe {recipe}: {e}") from e
    store = active_pack.store()
    if any(p.id == pack_id and p.version == version and p.manifest is not None
           for p in _run(store.list)):
        pack = _run(pack_trust.activate, store, pack_id, version)
        print(f"{pack.label}: already installed, active")
        return 0
    policy = _policy()  # bad settings fail before minutes of building
    if policy.check_id is not None:  # and so does an id the site policy does not allow
        _run(policy.check_id, pack_id)
    tmp = paths.home() / f".demo-pack-{os.getpid()}.tar"
    try:
        _run(build, recipe, tmp, sign_key=args.sign, models_dir=paths.models_dir(),
             progress=_Progress("build"))
        r = _run(install, active_pack.packs_root(), tmp, policy, progress=_Progress("verify"))
    finally:
        tmp.unlink(missing_ok=True)
    _print_install(r)
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    store = active_pack.store()
    packs = _run(store.list)
    active = _run(store.active)
    current = active.label if active else None
    rule = _run(pack_trust.rule, _settings().packs)
    if args.json:
        print(json.dumps({"active": current, "packs": [_describe(p, p.label == current, rule)
                                                       for p in packs]}))
        return 0
    if not packs:
        print("no packs installed (copilot pack install FILE, or copilot pack install-demo)")
    for p in packs:
        mark = "*" if p.label == current else " "
        damage = p.damage()  # (a file lost or truncated shows here, not only at first use)
        if damage:
            print(f"{mark} {p.label}  DAMAGED: {damage}")
            continue
        m = p.manifest
        print(f"{mark} {p.label}  {m.created}  {pack_trust.signature(p, rule.trusted).text}  "
              f"{_components(p)}  {m.description}")
        refused = pack_trust.problem(p, rule)
        if refused:  # a supervisor sees at once which packs this site would not use
            print(f"    refused here: {refused}")
    return 0


def _components(p: Any) -> str:
    m = p.manifest
    parts = [f"asr: {', '.join(a.name for a in m.asr)}"] if m.asr else []
    parts += [f"llm: {m.llm.name}"] if m.llm else []
    parts += [f"mt: {', '.join(t.name for t in m.mt)}"] if m.mt else []
    parts += ["kb"] if m.kb else []
    parts += [f"encoder: {m.encoder.name}"] if m.encoder else []
    return "[" + "; ".join(parts) + "]"


def _describe(p: Any, is_active: bool, rule: Any) -> dict[str, Any]:
    sig = pack_trust.signature(p, rule.trusted)
    d: dict[str, Any] = {"id": p.id, "version": p.version, "active": is_active,
                         "path": str(p.path), "signed": p.signed, "signature": sig.state,
                         "signed_by": sig.key or None, "error": p.damage() or None}
    if p.manifest is not None:
        m = p.manifest
        d.update(created=m.created, description=m.description,
                 asr=[a.name for a in m.asr], llm=m.llm.name if m.llm else None,
                 mt=[t.name for t in m.mt], kb=bool(m.kb),
                 encoder=m.encoder.name if m.encoder else None, bytes=m.total_size,
                 refused=pack_trust.problem(p, rule) or None)
    return d


def cmd_activate(args: argparse.Namespace) -> int:
    pack = _run(pack_trust.activate, active_pack.store(), *_ref(args.ref))
    print(f"{pack.label}: active")
    return 0


def cmd_rollback(args: argparse.Namespace) -> int:
    pack = _run(pack_trust.rollback, active_pack.store())
    print(f"{pack.label}: active (rolled back)")
    return 0


def cmd_remove(args: argparse.Namespace) -> int:
    pack_id, version = _ref(args.ref)
    removed = _run(active_pack.store().remove, pack_id, version, force=args.force)
    for p in removed:
        print(f"removed {p.label}")
    return 0
