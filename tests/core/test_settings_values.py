"""A hand-edited settings file with a bad value: that setting keeps its default, the others are
used, and the front ends say which value was not used and why (never a traceback, never a
frozen window)."""

from __future__ import annotations

from pathlib import Path

from copilot import cli, site_policy
from copilot.settings import Settings

SAMPLE_KB = str(Path(__file__).resolve().parents[2] / "resources" / "kb" / "northwind")
BAD = """
[ui]
font_scale = 5
theme = "purple"
[asr]
threads = "two"
partial_interval = 1
final_beam_size = true
[assist]
disposition_codes = ["resolved", 3]
search = "dense"
[store]
retention_days = 30
"""


def test_a_bad_value_keeps_its_default_and_is_named_with_why(tmp_path):
    path = tmp_path / "settings.toml"
    path.write_text(BAD, encoding="utf-8")
    s = Settings.load(path)
    defaults = Settings()
    assert s.ui.font_scale == defaults.ui.font_scale and s.ui.theme == defaults.ui.theme
    assert s.asr.threads == defaults.asr.threads
    assert s.asr.final_beam_size == defaults.asr.final_beam_size  # true is not a number here
    assert s.assist.disposition_codes == defaults.assist.disposition_codes
    # Good values next to them are used; an int where a float is expected is fine.
    assert s.assist.search == "dense" and s.store.retention_days == 30
    assert s.asr.partial_interval == 1.0 and isinstance(s.asr.partial_interval, float)
    assert s.problems == [
        '[asr] threads = "two" is not a whole number; using 2',
        "[asr] final_beam_size = true is not a whole number; using 1",
        '[assist] disposition_codes = ["resolved", 3] is not a list of strings; using the default',
        "[ui] font_scale = 5 is out of range (0.8 to 2.0); using 1.0",
        '[ui] theme = "purple" is not one of system, light, dark; using "system"',
    ]


def test_a_good_file_has_no_problems_and_problems_are_never_saved(tmp_path):
    path = tmp_path / "settings.toml"
    path.write_text(BAD, encoding="utf-8")
    s = Settings.load(path)
    s.save(path)
    assert "problems" not in path.read_text(encoding="utf-8")
    again = Settings.load(path)
    assert again.problems == [] and again.ui.theme == "system"


def test_a_section_that_is_not_a_table_is_named(tmp_path):
    path = tmp_path / "settings.toml"
    path.write_text('ui = "dark"\n', encoding="utf-8")
    s = Settings.load(path)
    assert s.problems == ["[ui] is not a table; its defaults are used"]
    assert s.ui.theme == "system"


def test_the_settings_in_force_carry_the_problems_past_the_site_policy(tmp_path):
    path = tmp_path / "settings.toml"
    path.write_text(BAD, encoding="utf-8")
    s = site_policy.load_settings(path, site_policy.SitePolicy())
    assert len(s.problems) == 5


def test_a_command_says_which_values_were_not_used_and_still_runs(copilot_home, capsys):
    copilot_home.mkdir(parents=True)
    (copilot_home / "settings.toml").write_text(BAD, encoding="utf-8")
    assert cli.main(["kb", "ask", "--kb", SAMPLE_KB, "--mode", "keyword",
                     "can you waive the late fee"]) == 0
    err = capsys.readouterr().err
    assert 'copilot: settings: [ui] theme = "purple" is not one of system, light, dark' in err
    assert "Traceback" not in err


def test_a_misspelt_name_or_section_is_named_not_ignored(tmp_path):
    # A second walk-through: "require_sigend = true" left unsigned packs allowed, without a word
    path = tmp_path / "settings.toml"
    path.write_text("version = 1\n[packs]\nrequire_sigend = true\n[stor]\nencrypt = true\n",
                    encoding="utf-8")
    s = Settings.load(path)
    assert s.problems == ["[stor] is not a section of the settings; ignored",
                          "[packs] require_sigend is not a setting; ignored"]
    assert s.packs.require_signed is False


def test_pack_commands_say_the_settings_problems_too(copilot_home, capsys):
    copilot_home.mkdir(parents=True)
    (copilot_home / "settings.toml").write_text('[packs]\nrequire_signed = "yes"\n',
                                                encoding="utf-8")
    assert cli.main(["pack", "list"]) == 0
    err = capsys.readouterr().err
    assert 'copilot: settings: [packs] require_signed = "yes" is not true or false' in err
    assert cli.main(["pack", "activate", "demo@"]) == 2
    assert "is not a pack: give ID or ID@VERSION" in capsys.readouterr().err
