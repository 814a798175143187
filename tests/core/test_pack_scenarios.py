"""Packs carry practice scenarios for their own knowledge base: built only when every scenario
fits the pack's base (and every checklist parses), offered first with the pack active, and the
bundled scenarios a site's base cannot serve listed as not available with the reason instead of
failing when started."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from copilot.cli.entry import main
from copilot.knowledge.base import KnowledgeBase
from copilot.pack_content import PackContentError, check_or_raise
from copilot.paths import sample_kb, sample_scenarios
from copilot.practice.catalog import find_offered, offers
from copilot.practice.scenario import ScenarioError
from models.packs import PackRefused, PackStore, Policy, build, install

SITE_KB = """# Billing

## [BIL-01] Late payment fee
A bill paid after its due date gets a late payment fee of 8 dollars.
The agent can waive one late payment fee per account in any 12-month period.
Approved line: I can waive this late fee as a one-time courtesy; we can do this once in any 12-month period.
"""

SCENARIO = """id = "site_late_fee"
title = "Late fee"
passages = ["BIL-01"]

[customer]
name = "Robin Hale"
goal = "have the late fee removed"
opening = "I was charged a late fee, can you remove it?"
closing = "Thanks, bye."

[[criteria]]
id = "fee_condition"
kind = "states"
passage = "BIL-01"
facts = ["12-month period"]
"""

PACK_TOML = """id = "site"
version = "1.0.0"

[components.kb]
path = "kb"

[components.scenarios]
path = "scenarios"
"""


def site_pack(root: Path, scenario: str = SCENARIO, pack_toml: str = PACK_TOML) -> Path:
    src = root / "site-pack"
    (src / "kb").mkdir(parents=True)
    (src / "scenarios").mkdir()
    (src / "kb" / "billing.md").write_text(SITE_KB, encoding="utf-8")
    (src / "scenarios" / "late_fee.toml").write_text(scenario, encoding="utf-8")
    (src / "pack.toml").write_text(pack_toml, encoding="utf-8")
    return src


def test_a_pack_with_a_scenario_builds_installs_and_names_its_folder(tmp_path):
    r = build(site_pack(tmp_path), tmp_path / "site.tar", check=check_or_raise)
    assert r.manifest.scenarios is not None and r.manifest.scenarios.path == "scenarios"
    assert "scenarios/late_fee.toml" in r.manifest.files
    pack = install(tmp_path / "packs", r.path, Policy()).pack
    assert (pack.scenarios_dir() / "late_fee.toml").is_file()
    assert PackStore(tmp_path / "packs").active().scenarios_dir() == pack.scenarios_dir()


def test_a_scenario_citing_what_the_packs_base_lacks_stops_the_build(tmp_path):
    bad = SCENARIO.replace('passages = ["BIL-01"]', 'passages = ["BIL-01", "BIL-09"]')
    with pytest.raises(PackContentError, match=r"late_fee.toml: passage\(s\) BIL-09 are not"):
        build(site_pack(tmp_path, bad), tmp_path / "site.tar", check=check_or_raise)
    assert not (tmp_path / "site.tar").exists()
    # A fact its passage does not state stops it too.
    wrong = SCENARIO.replace('facts = ["12-month period"]', 'facts = ["6-month period"]')
    with pytest.raises(PackContentError, match="does not state '6-month period'"):
        build(site_pack(tmp_path / "b", wrong), tmp_path / "b.tar", check=check_or_raise)


def test_scenarios_need_the_packs_own_knowledge_base(tmp_path):
    no_kb = 'id = "site"\nversion = "1.0.0"\n\n[components.scenarios]\npath = "scenarios"\n'
    with pytest.raises(PackRefused, match=r"needs \[components.kb\]"):
        build(site_pack(tmp_path, pack_toml=no_kb), tmp_path / "site.tar")


def test_a_checklist_that_cannot_be_used_stops_the_build(tmp_path):
    src = site_pack(tmp_path)
    (src / "checklists").mkdir()
    (src / "checklists" / "x.toml").write_text('title = "X"\n[[item]]\nlabel = ""\n')
    (src / "pack.toml").write_text(PACK_TOML + '\n[components.checklists]\npath = "checklists"\n')
    with pytest.raises(PackContentError, match="checklists: .*x.toml"):
        build(src, tmp_path / "site.tar", check=check_or_raise)


def test_the_packs_scenarios_come_first_and_the_bundled_ones_say_why_not(tmp_path):
    src = site_pack(tmp_path)
    folders = [(src / "scenarios", "pack"), (sample_scenarios(), "bundled")]
    with KnowledgeBase.load(src / "kb") as kb:
        found = offers(folders, kb)
    assert found[0].scenario.id == "site_late_fee" and found[0].origin == "pack"
    assert found[0].available
    bundled = {o.scenario.id: o for o in found[1:]}
    assert set(bundled) == {"cancellation", "card_number", "duplicate_charge", "late_fee_fr",
                            "one_device"}
    assert all(o.origin == "bundled" and not o.available for o in bundled.values())
    assert "passage(s) DEV-01 are not in the knowledge base" in bundled["one_device"].unavailable
    # With the sample base the bundled ones are available (and the site's is not).
    with KnowledgeBase.load(sample_kb()) as kb:
        again = {o.scenario.id: o for o in offers(folders, kb)}
    assert again["one_device"].available and not again["site_late_fee"].available


def test_a_pack_scenario_with_a_bundled_id_replaces_it_and_names_find_the_packs_first(tmp_path):
    src = site_pack(tmp_path, SCENARIO.replace('id = "site_late_fee"', 'id = "one_device"'))
    folders = [(src / "scenarios", "pack"), (sample_scenarios(), "bundled")]
    found = offers(folders, None)
    assert [o.origin for o in found if o.scenario.id == "one_device"] == ["pack"]
    assert find_offered("one_device", folders).passages == ("BIL-01",)
    assert find_offered("late_fee", folders).id == "one_device"  # by file name
    assert find_offered("cancellation", folders).id == "cancellation"
    with pytest.raises(ScenarioError, match="no scenario named 'nope'; available: one_device"):
        find_offered("nope", folders)


def test_practice_list_shows_the_active_packs_scenario_and_why_others_are_not_available(
        tmp_path, copilot_home, capsys):
    r = build(site_pack(tmp_path), tmp_path / "site.tar", check=check_or_raise)
    assert main(["pack", "install", str(r.path)]) == 0
    capsys.readouterr()
    assert main(["practice", "--list"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("site_late_fee") and out[0].endswith("(the pack)")
    assert out[1].startswith("cancellation") and out[1].endswith("(bundled)")
    assert "not available with the knowledge base in" in out[2]
    assert out[2].endswith("passage(s) CAN-01, CAN-02, ID-01 are not in the knowledge base")
    # Starting one anyway says why, without a traceback.
    assert main(["practice", "cancellation", "--customer", "script", "--no-save",
                 "--answers", str(_answers(tmp_path))]) != 0
    err = capsys.readouterr().err
    assert "CAN-01, CAN-02, ID-01 are not in the knowledge base" in err
    assert "Traceback" not in err


def _answers(tmp_path: Path) -> Path:
    p = tmp_path / "answers.txt"
    p.write_text("Hello.\n", encoding="utf-8")
    return p


def test_a_copied_bundled_scenario_builds_with_the_sample_base(tmp_path):
    # The sample base and one of its scenarios, as a pack: the bundled scenario fits.
    src = tmp_path / "demo-like"
    shutil.copytree(sample_kb(), src / "kb")
    (src / "scenarios").mkdir()
    shutil.copy(sample_scenarios() / "one_device.toml", src / "scenarios")
    (src / "pack.toml").write_text(PACK_TOML.replace('"site"', '"demo-like"'))
    assert build(src, tmp_path / "d.tar", check=check_or_raise).manifest.scenarios is not None
