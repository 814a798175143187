"""Signed end to end (issue 14, "Measured"): each way an agent or a stale state used to get
unsigned or unwanted knowledge and models past `require_signed`, the site's trusted keys or the
site policy is tried again on real packs built and signed with the project's own tooling, and
is refused with a message that names the rule and where it is set (no traceback)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from packs_helpers import build_pack

from copilot import paths, resolver, site_policy
from copilot.settings import Settings
from models.packs import keygen

WAV = str(paths.resources() / "calls" / "demo_call.wav")


@pytest.fixture
def site(tmp_path, copilot_home, monkeypatch):
    """A machine with a signing key, a site pack signed by it, an unsigned pack, a pack signed
    by a stranger, an agent's own knowledge folder, and a way to write the site policy."""
    copilot_home.mkdir(parents=True)
    monkeypatch.delenv(site_policy.ENV, raising=False)
    monkeypatch.delenv("COPILOT_SITE_NO_CONTENT_DEBUG", raising=False)

    class Site:
        home = copilot_home
        policy = tmp_path / "policy.toml"
        key = tmp_path / "keys" / "site.key"
        _, pub = keygen(key)
        stranger = tmp_path / "keys" / "stranger.key"
        keygen(stranger)
        signed = build_pack(tmp_path / "signed", "site-kb", "1.0.0", sign=key)
        unsigned = build_pack(tmp_path / "unsigned", "demo", "1.0.0")
        foreign = build_pack(tmp_path / "foreign", "site-kb", "2.0.0", sign=stranger)
        own_kb = tmp_path / "agent-kb"

        def write_policy(self, text: str) -> Path:
            self.policy.write_text(text, encoding="utf-8")
            monkeypatch.setenv(site_policy.ENV, str(self.policy))
            return self.policy

        def settings(self, text: str) -> None:
            (copilot_home / "settings.toml").write_text(text, encoding="utf-8")

    s = Site()
    s.own_kb.mkdir()
    (s.own_kb / "mine.md").write_text("# Mine\n\n## [OWN-01] Refunds\nRefunds take 1 day.\n"
                                      "Approved line: Refunds take one day.\n")
    return s


def cli(*args: str) -> int:
    from copilot.cli import main

    return main(list(args))


def refused(capsys, *words: str) -> str:
    err = capsys.readouterr().err
    assert "Traceback" not in err and "unexpected error" not in err, err
    for w in words:
        assert w in err, (w, err)
    return err


# -- [assist] kb_dir, --kb and --model: nothing unsigned whatever the path -------------------

def test_an_unsigned_kb_dir_in_the_settings_is_refused_under_require_signed(site, capsys):
    site.write_policy(f'require_signed = true\ntrusted_keys = ["{site.pub}"]\n')
    assert cli("pack", "install", str(site.signed)) == 0
    assert cli("kb", "ask", "refund", "--mode", "keyword", "--json") == 0  # the pack's: fine
    assert "BILL-01" in capsys.readouterr().out
    # The Settings dialog's Browse button wrote an agent's own folder into the settings.
    site.settings(f'[assist]\nkb_dir = "{site.own_kb}"\n')
    assert cli("kb", "ask", "refund", "--mode", "keyword") == 2
    refused(capsys, str(site.own_kb), "[assist] kb_dir", "not part of an installed signed pack",
            f"require_signed in the site policy {site.policy}")
    assert cli("replay", WAV, "--no-llm", "--no-store") == 2
    refused(capsys, "[assist] kb_dir", str(site.policy))
    # ...and the window: nothing loads from it, and its label says no knowledge is usable.
    label = resolver.knowledge_label(site_policy.load_settings())
    assert label == "site-kb@1.0.0 (knowledge: none usable)"


def test_require_signed_from_the_settings_alone_holds_too(site, capsys):
    site.settings(f'[packs]\nrequire_signed = true\ntrusted_keys = ["{site.pub}"]\n'
                  f'[assist]\nkb_dir = "{site.own_kb}"\n')
    assert cli("pack", "install", str(site.signed)) == 0
    assert cli("kb", "ask", "refund") == 2
    refused(capsys, "[packs] require_signed in the settings", "settings.toml")


def test_kb_and_model_options_are_refused_under_require_signed(site, capsys):
    site.write_policy(f'require_signed = true\ntrusted_keys = ["{site.pub}"]\n')
    assert cli("pack", "install", str(site.signed)) == 0
    for args in (("kb", "ask", "refund", "--kb", str(site.own_kb)),
                 ("suggest", "refund please", "--kb", str(site.own_kb)),
                 ("replay", WAV, "--kb", str(site.own_kb), "--no-llm", "--no-store")):
        assert cli(*args) == 2, args
        refused(capsys, "--kb", str(site.own_kb), str(site.policy))
    own_model = site.own_kb.parent / "my-whisper"
    own_model.mkdir()
    (own_model / "model.bin").write_bytes(b"\0" * 16)
    for args in (("replay", WAV, "--no-llm"), ("transcribe", WAV), ("listen",)):
        assert cli(*args, "--model", str(own_model), "--no-store") == 2, args
        refused(capsys, "--model", str(own_model), "speech model", str(site.policy))
    # A folder inside the installed signed pack is the pack's: accepted.
    pack_kb = site.home / "packs/installed/site-kb/1.0.0/kb"
    assert cli("kb", "ask", "refund", "--kb", str(pack_kb), "--mode", "keyword") == 0


def test_the_window_refuses_kb_and_model_options_the_site_forbids(site, capsys):
    from ui import app

    site.write_policy(f'require_signed = true\ntrusted_keys = ["{site.pub}"]\n')
    assert app.main(["--kb", str(site.own_kb)]) == 2
    refused(capsys, "copilot app:", "--kb", str(site.policy))
    assert app.main(["--model", "/opt/whisper-folder"]) == 2
    refused(capsys, "--model", str(site.policy))


def test_the_bundled_sample_knowledge_is_not_used_where_signing_is_required(site, capsys):
    site.write_policy("require_signed = true\n")
    assert cli("kb", "ask", "refund") == 2  # no pack active: it used to fall back to the sample
    refused(capsys, "bundled sample knowledge base is not a signed pack", str(site.policy))


# -- install, activate, rollback -------------------------------------------------------------

def test_activate_and_rollback_refuse_an_unsigned_pack_under_require_signed(site, capsys):
    assert cli("pack", "install", str(site.unsigned)) == 0  # before the site's policy
    site.write_policy(f'require_signed = true\ntrusted_keys = ["{site.pub}"]\n')
    assert cli("pack", "install", str(site.signed)) == 0
    capsys.readouterr()
    assert cli("pack", "activate", "demo") == 2
    refused(capsys, "demo@1.0.0 is not signed", f"require_signed in the site policy "
                                                f"{site.policy}")
    assert cli("pack", "rollback") == 2  # back to the unsigned demo: refused
    refused(capsys, "demo@1.0.0 is not signed")
    assert cli("pack", "list", "--json") == 0
    listing = json.loads(capsys.readouterr().out)
    assert listing["active"] == "site-kb@1.0.0"  # nothing changed
    demo = next(p for p in listing["packs"] if p["id"] == "demo")
    assert demo["signature"] == "unsigned" and "not signed" in demo["refused"]


def test_an_unsigned_pack_activated_before_the_policy_is_not_used(site, capsys):
    assert cli("pack", "install", str(site.unsigned)) == 0
    site.write_policy("require_signed = true\n")
    assert cli("kb", "ask", "refund") == 2
    refused(capsys, "demo@1.0.0 is not signed", str(site.policy))
    with pytest.raises(resolver.PackUnusable, match="not signed"):
        resolver.llm_model(site_policy.load_settings().llm)
    from copilot.asr.model_paths import NoModelError, resolve_whisper_model

    with pytest.raises(NoModelError, match="not signed"):
        resolve_whisper_model()


def test_a_pack_signed_by_an_unknown_key_is_reported_as_such_everywhere(site, capsys):
    # Default settings: installed with a warning that says what it is...
    assert cli("pack", "verify", str(site.foreign)) == 0
    assert "signed by an unknown key" in capsys.readouterr().out
    assert cli("pack", "install", str(site.foreign)) == 0
    assert "signed by an unknown key" in capsys.readouterr().out
    assert cli("pack", "list") == 0
    assert "site-kb@2.0.0  " in (out := capsys.readouterr().out)
    assert "signed by an unknown key" in out
    # ...and refused where the site lists its keys: at install, at use and at activation.
    site.write_policy(f'trusted_keys = ["{site.pub}"]\n')
    assert cli("pack", "install", str(site.foreign), "--force") == 2
    refused(capsys, "signed by an unknown key", f"trusted_keys in the site policy {site.policy}")
    assert cli("kb", "ask", "refund") == 2
    refused(capsys, "site-kb@2.0.0 is signed by an unknown key")
    assert cli("pack", "install", str(site.signed), "--force") == 0
    capsys.readouterr()
    assert cli("pack", "activate", "site-kb@2.0.0") == 2
    refused(capsys, "signed by an unknown key")
    assert cli("pack", "list") == 0
    out = capsys.readouterr().out
    assert "* site-kb@1.0.0" in out and "signed by a trusted key" in out
    assert "refused here: site-kb@2.0.0 is signed by an unknown key" in out


def test_only_the_packs_the_site_allows_are_installed_activated_or_used(site, capsys):
    assert cli("pack", "install", str(site.unsigned)) == 0  # "demo", before the policy
    site.write_policy('allowed_packs = ["site-*"]\n')
    assert cli("kb", "ask", "refund") == 2  # the active demo is no longer used
    refused(capsys, "'demo' is not one this site allows", str(site.policy))
    assert cli("pack", "install", str(build_pack(site.home.parent / "d2", "demo", "1.1.0"))) == 2
    refused(capsys, "'demo' is not one this site allows", "allowed_packs = site-*")
    assert cli("pack", "install", str(site.signed)) == 0
    assert cli("pack", "activate", "demo") == 2
    refused(capsys, "not one this site allows")
    assert cli("pack", "install-demo") == 2  # the demo recipe's id is "demo"
    refused(capsys, "not one this site allows")


# -- packs_only ------------------------------------------------------------------------------

def test_packs_only_takes_knowledge_and_models_from_the_pack_alone(site, capsys):
    site.write_policy("packs_only = true\n")
    site.settings(f'[assist]\nkb_dir = "{site.own_kb}"\n[llm]\nmodel = "/x/own.gguf"\n'
                  '[asr]\nmodel = "base"\n')
    assert cli("pack", "install", str(site.unsigned)) == 0  # unsigned is fine: not required
    s = site_policy.load_settings()
    assert (s.assist.kb_dir, s.llm.model, s.asr.model) == ("", "", "")  # locked to the pack's
    assert resolver.knowledge_base(s).origin == resolver.PACK
    capsys.readouterr()
    assert cli("kb", "ask", "refund", "--kb", str(site.own_kb)) == 2
    refused(capsys, "--kb", "packs_only", str(site.policy))
    assert cli("transcribe", WAV, "--model", "base", "--no-store") == 2
    refused(capsys, "'base' (--model)", "packs_only")
    with pytest.raises(resolver.PackUnusable, match="packs_only"):
        resolver.llm_model(s.llm, "/x/own.gguf")
    assert cli("pack", "remove", "demo", "--force") == 0
    assert cli("kb", "ask", "refund") == 2  # no pack: not the bundled sample either
    refused(capsys, "bundled sample", "packs_only")


# -- where the knowledge comes from ----------------------------------------------------------

def test_the_label_says_when_the_settings_knowledge_overrides_the_pack(site):
    from models.packs import Policy, install

    install(site.home / "packs", site.unsigned, Policy())
    site.settings(f'[assist]\nkb_dir = "{site.own_kb}"\n')
    s = site_policy.load_settings()
    assert resolver.knowledge_label(s) == f"demo@1.0.0 (knowledge: {site.own_kb.resolve()})"
    assert resolver.knowledge_label(Settings()) == "demo@1.0.0"
    other = site.own_kb.parent / "other-kb"
    assert resolver.knowledge_label(s, other) == f"demo@1.0.0 (knowledge: {other.resolve()})"
