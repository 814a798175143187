"""The site policy file (copilot/site_policy.py): every key parsed and checked, a malformed file
refused with the file and the key named (and every command refuses to start), the locked values
put into the settings in one place, a save that never writes over a locked value, and an
environment variable that cannot point an agent away from the administrator's file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from copilot import site_policy
from copilot.settings import Settings
from copilot.site_policy import SitePolicyError

PUB = "HIHU+2DlPVZMrU4lbOArLI04jRf9E6oFwePwZzsHU5U="


@pytest.fixture
def policy_file(tmp_path, copilot_home, monkeypatch):
    """Write the site policy and name it in COPILOT_SITE_POLICY (as the tests' stand-in for
    /etc/agent-copilot/policy.toml); returns the writer."""
    path = tmp_path / "site" / "policy.toml"
    path.parent.mkdir()

    def write(text: str):
        path.write_text(text, encoding="utf-8")
        monkeypatch.setenv(site_policy.ENV, str(path))
        return path

    return write


def _cli(*args: str) -> int:
    from copilot.cli import main

    return main(list(args))


def test_no_policy_file_is_no_policy(copilot_home, monkeypatch):
    monkeypatch.delenv(site_policy.ENV, raising=False)
    monkeypatch.delenv("COPILOT_SITE_NO_CONTENT_DEBUG", raising=False)
    p = site_policy.load()
    assert p.path is None and not p.active and p.locks() == {}
    s = Settings()
    s.store.retention_days = 12
    assert p.apply(s) == s


def test_every_key_is_parsed_and_locks_its_settings(policy_file):
    path = policy_file(f'''
require_signed = true
trusted_keys = ["{PUB}"]
packs_only = true
allowed_packs = ["site-*", "northwind-kb"]
retention_days = 90
redaction_patterns = ["ACC-\\\\d{{6}}"]
content_debug = false
encrypt_store = true
handoff_destinations = ["Billing team", "Fraud desk"]
''')
    p = site_policy.load()
    assert p.path == path and p.active
    assert (p.require_signed, p.trusted_keys, p.packs_only) == (True, (PUB,), True)
    assert p.allowed_packs == ("site-*", "northwind-kb") and p.encrypt_store is True
    assert p.allows_pack("site-kb") and p.allows_pack("northwind-kb")
    assert not p.allows_pack("demo")
    assert p.locks() == {
        "packs.require_signed": "require_signed", "packs.trusted_keys": "trusted_keys",
        "asr.model": "packs_only", "llm.model": "packs_only", "assist.kb_dir": "packs_only",
        "assist.mt_dir": "packs_only", "assist.encoder": "packs_only",
        "store.retention_days": "retention_days",
        "redaction.extra_patterns": "redaction_patterns",
        "logging.content_debug": "content_debug", "store.encrypt": "encrypt_store",
        "handoff.destinations": "handoff_destinations"}
    mine = Settings()
    mine.assist.kb_dir, mine.llm.model, mine.asr.model = "/home/agent/kb", "/x.gguf", "base"
    mine.store.retention_days, mine.logging.content_debug = 3000, True
    mine.redaction.extra_patterns = []
    s = p.apply(mine)
    assert (s.assist.kb_dir, s.llm.model, s.asr.model, s.assist.encoder) == ("", "", "", "")
    assert (s.packs.require_signed, s.packs.trusted_keys) == (True, [PUB])
    assert s.store.retention_days == 90 and s.logging.content_debug is False
    assert s.store.encrypt is True  # the call store opens encrypted (copilot/store/options.py)
    assert s.redaction.extra_patterns == ["ACC-\\d{6}"]
    assert s.handoff.destinations == ["Billing team", "Fraud desk"]
    assert mine.store.retention_days == 3000  # apply() works on a copy
    assert "retention_days in the site policy " + str(path) == p.where("retention_days")


def test_the_settings_in_force_are_the_files_with_the_policy(policy_file, copilot_home):
    policy_file("retention_days = 30\n")
    copilot_home.mkdir(parents=True, exist_ok=True)
    (copilot_home / "settings.toml").write_text("[store]\nretention_days = 0\n"
                                                "[ui]\ntheme = \"dark\"\n")
    s = site_policy.load_settings()
    assert s.store.retention_days == 30 and s.ui.theme == "dark"
    from copilot.cli.common import load_settings

    assert load_settings().store.retention_days == 30  # what every command uses


@pytest.mark.parametrize("text, expected", [
    ("require_sigend = true\n", "unknown key 'require_sigend'"),
    ("[packs]\nrequire_signed = true\n", "[packs] is a table"),
    ('require_signed = "yes"\n', "require_signed must be true or false"),
    ("retention_days = -1\n", "retention_days must be a whole number"),
    ("retention_days = 99999\n", "retention_days must be a whole number"),
    ("retention_days = true\n", "retention_days must be a whole number"),
    ('trusted_keys = "abc"\n', "trusted_keys must be a list"),
    ('trusted_keys = ["abc"]\n', "trusted_keys item 1 ('abc') is not a usable public key"),
    ('allowed_packs = ["Site KB"]\n', "allowed_packs item 1 ('Site KB') is not a pack id"),
    ('redaction_patterns = ["ACC-(\\\\d"]\n', "redaction_patterns item 1"),
    ("packs_only = 1\n", "packs_only must be true or false"),
    ("encrypt_store = 'no'\n", "encrypt_store must be true or false"),
    ('handoff_destinations = "Billing"\n', "handoff_destinations must be a list of team names"),
    ('handoff_destinations = ["Billing", " "]\n', "handoff_destinations item 2 ('') is empty"),
    ("require_signed = \n", "is not valid TOML"),
])
def test_a_malformed_policy_names_the_file_and_the_key(policy_file, text, expected):
    path = policy_file(text)
    with pytest.raises(SitePolicyError) as e:
        site_policy.load()
    assert expected in str(e.value) and str(path) in str(e.value)


def test_every_command_refuses_to_start_on_a_malformed_policy(policy_file, capsys):
    path = policy_file("retention_dayz = 30\n")
    assert _cli("calls", "list") == 2
    err = capsys.readouterr().err
    assert f"the site policy {path}: unknown key 'retention_dayz'" in err
    assert "Traceback" not in err


def test_the_window_refuses_to_start_on_a_malformed_policy(policy_file, capsys):
    from ui import app

    path = policy_file("require_signed = 1\n")
    assert app.main([]) == 2
    err = capsys.readouterr().err
    assert "copilot app:" in err and str(path) in err and "require_signed" in err


def test_a_named_policy_that_does_not_exist_is_refused(tmp_path, copilot_home, monkeypatch):
    monkeypatch.setenv(site_policy.ENV, str(tmp_path / "nowhere.toml"))
    with pytest.raises(SitePolicyError, match="nowhere.toml, which does not exist"):
        site_policy.load()


def test_a_policy_every_user_may_write_is_refused(policy_file):
    path = policy_file("require_signed = true\n")
    os.chmod(path, 0o666)
    with pytest.raises(SitePolicyError, match="changed by every user"):
        site_policy.load()


def test_the_variable_cannot_replace_the_administrators_file(tmp_path, monkeypatch,
                                                             copilot_home):
    system = tmp_path / "etc" / "policy.toml"
    system.parent.mkdir()
    system.write_text("retention_days = 30\n")
    empty = tmp_path / "empty.toml"
    empty.write_text("")
    monkeypatch.setattr(site_policy, "SYSTEM_PATH", system)
    monkeypatch.setenv(site_policy.ENV, str(empty))
    assert site_policy.policy_path() == (system, False)
    # The system file is owned by this (ordinary) user here, who could rewrite it: refused.
    if os.getuid() != 0:
        with pytest.raises(SitePolicyError, match="belongs to the user running the copilot"):
            site_policy.load()
    monkeypatch.setattr(site_policy, "_check_writers", lambda *a, **k: None)
    assert site_policy.load().retention_days == 30


def test_the_content_debug_variable_is_part_of_the_policy(copilot_home, monkeypatch,
                                                           policy_file):
    from copilot import logs

    monkeypatch.delenv(site_policy.ENV, raising=False)
    monkeypatch.setenv("COPILOT_SITE_NO_CONTENT_DEBUG", "1")
    p = site_policy.load()
    assert p.content_debug is False and p.locks() == {"logging.content_debug": "content_debug"}
    assert p.where("content_debug") == "the environment variable COPILOT_SITE_NO_CONTENT_DEBUG"
    mine = Settings()
    mine.logging.content_debug = True
    assert p.apply(mine).logging.content_debug is False
    assert not logs.content_debug_allowed(True)  # the variable alone still forbids it
    # Forbidding wins over a policy file that allows it.
    policy_file("content_debug = true\n")
    assert site_policy.load().content_debug is False
    monkeypatch.delenv("COPILOT_SITE_NO_CONTENT_DEBUG")
    assert site_policy.load().content_debug is True


def test_saving_keeps_the_files_own_value_of_a_locked_setting(policy_file, tmp_path):
    policy_file('retention_days = 90\nredaction_patterns = ["ACC-\\\\d{6}"]\n')
    path = tmp_path / "settings.toml"
    path.write_text("[store]\nretention_days = 30\n")
    policy = site_policy.load()
    edited = site_policy.load_settings(path, policy)
    edited.store.retention_days = 5  # an edit of a locked value (a script, a stale dialog)
    edited.redaction.extra_patterns = []
    edited.ui.theme = "dark"
    in_force = site_policy.save_settings(edited, path, policy)
    on_disk = Settings.load(path)
    assert on_disk.store.retention_days == 30 and on_disk.redaction.extra_patterns == []
    assert on_disk.ui.theme == "dark"  # what is not locked is saved as edited
    assert in_force.store.retention_days == 90
    assert in_force.redaction.extra_patterns == ["ACC-\\d{6}"]


def test_every_policy_field_is_a_documented_key():
    from dataclasses import fields

    names = {f.name for f in fields(site_policy.SitePolicy)} - {"path", "content_debug_by_env"}
    assert names == set(site_policy.KEYS)
    doc = (Path(__file__).resolve().parents[2] / "docs" / "site-policy.md").read_text(
        encoding="utf-8")
    for key in site_policy.KEYS:
        assert f"`{key}`" in doc, key


def test_no_front_end_reads_the_settings_without_the_policy():
    """Every place that loads the settings file goes through site_policy.load_settings, so a
    new command or window cannot forget the site's locks."""
    repo = Path(__file__).resolve().parents[2]
    offenders = [str(p.relative_to(repo)) for folder in ("copilot", "ui")
                 for p in (repo / folder).rglob("*.py")
                 if "Settings.load(" in p.read_text(encoding="utf-8")
                 and p.name not in ("settings.py", "site_policy.py")]
    assert offenders == []


def test_an_unreadable_settings_file_is_never_saved_over(tmp_path):
    # A second walk-through: one typo in the file, the window loaded the defaults, and a save
    # from the Settings dialog replaced the file, turning the call store's encryption and the
    # packs' signing rules off without a word.
    path = tmp_path / "settings.toml"
    text = ('[store]\nencrypt = true\nkey_file = "/keys/store.key"\n[packs]\n'
            'require_signed = true\n[ui]\ntheme = "dark\n')
    path.write_text(text, encoding="utf-8")
    edited = Settings()
    edited.ui.font_scale = 1.5
    with pytest.raises(site_policy.UnreadableSettings, match="not valid TOML.*move the file"):
        site_policy.save_settings(edited, path, site_policy.SitePolicy())
    assert path.read_text(encoding="utf-8") == text
