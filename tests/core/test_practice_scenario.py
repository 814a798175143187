"""Scenario files: the bundled ones load and fit the sample knowledge base; bad files are
refused with a message that names the file and the problem."""

from __future__ import annotations

import pytest

from copilot.practice.scenario import (
    ScenarioError,
    find_scenario,
    list_scenarios,
    load_scenario,
    parse_scenario,
)

REQUIRED = {"duplicate_charge", "one_device", "cancellation", "late_fee_fr", "card_number"}


def test_bundled_scenarios_load_and_fit_the_sample_knowledge_base(kb):
    scenarios = list_scenarios()
    assert {s.id for s in scenarios} >= REQUIRED
    for s in scenarios:
        s.check_against(kb)  # passages exist, required facts are stated by their passage
        assert s.customer.opening and s.customer.closing and s.criteria
        assert {f.kind for f in s.forbidden} >= {"unsupported_promise"}
    assert find_scenario("late_fee_fr").language == "fr"
    assert any(r.fixed for r in find_scenario("duplicate_charge").customer.script)


def test_find_by_name_or_path(tmp_path):
    s = find_scenario("card_number")
    assert find_scenario(str(s.path)).id == "card_number"
    with pytest.raises(ScenarioError, match="no scenario named 'nope'.*duplicate_charge"):
        find_scenario("nope")


MINIMAL = {
    "title": "t", "passages": ["BILL-01"],
    "customer": {"name": "N", "goal": "g", "opening": "Hi.", "closing": "Bye."},
    "criteria": [{"kind": "states", "passage": "BILL-01", "facts": ["5 business days"]}],
}


def _with(**changes):
    data = {k: (dict(v) if isinstance(v, dict) else v) for k, v in MINIMAL.items()}
    for key, value in changes.items():
        if "." in key:
            table, sub = key.split(".")
            data[table][sub] = value
        elif value is None:
            data.pop(key)
        else:
            data[key] = value
    return data


def test_minimal_scenario_parses_with_defaults():
    s = parse_scenario(MINIMAL, "mini")
    assert s.id == "mini" and s.language == "en" and s.forbidden == ()
    assert s.criteria[0].id == "states" and "5 business days" in s.criteria[0].label


@pytest.mark.parametrize("changes, message", [
    ({"titel": "x"}, r"unknown key\(s\) titel"),
    ({"customer.moood": "x"}, r"\[customer\]: unknown key\(s\) moood"),
    ({"customer.language": "de"}, "language 'de' is not supported"),
    ({"criteria": []}, "at least one"),
    ({"criteria": [{"kind": "dance"}]}, r"\[\[criteria\]\] #1: unknown kind 'dance'"),
    ({"criteria": [{"kind": "states", "passage": "BILL-01"}]}, "needs `facts`"),
    ({"criteria": [{"kind": "tone", "cue": "shouting"}]}, "tone cue 'shouting'"),
    ({"criteria": [{"kind": "says", "any": ["a"]}, {"kind": "says", "any": ["b"]}]},
     "duplicate criterion ids: says"),
    ({"forbidden": [{"kind": "tone", "cue": "apology"}]}, "unknown kind 'tone'"),
    ({"passages": "BILL-01"}, "`passages` must be a list"),
    ({"customer": None}, r"missing \[customer\]"),
    ({"customer.opening": ""}, "`opening` must be a non-empty string"),
    ({"criteria": [{"kind": "says", "any": ["a"], "by_turn": 0}]}, "at least 1"),
])
def test_invalid_scenarios_are_refused_with_the_reason(changes, message):
    with pytest.raises(ScenarioError, match=message):
        parse_scenario(_with(**changes), "bad")


def test_checked_against_the_knowledge_base(kb):
    with pytest.raises(ScenarioError, match="BILL-99 are not in the knowledge base"):
        parse_scenario(_with(passages=["BILL-99"]), "bad").check_against(kb)
    wrong = [{"kind": "states", "passage": "BILL-01", "facts": ["10 business days"]}]
    with pytest.raises(ScenarioError, match=r"\[BILL-01\] does not state '10 business days'"):
        parse_scenario(_with(criteria=wrong), "bad").check_against(kb)
    vague = [{"kind": "states", "passage": "BILL-01", "facts": ["quickly"]}]
    with pytest.raises(ScenarioError, match="states no number"):
        parse_scenario(_with(criteria=vague), "bad").check_against(kb)


def test_file_errors(tmp_path):
    with pytest.raises(ScenarioError, match="scenario file not found"):
        load_scenario(tmp_path / "missing.toml")
    with pytest.raises(ScenarioError, match="is a folder: give a scenario's .toml file"):
        load_scenario(tmp_path)  # (it said "scenario file not found": a second walk-through)
    bad = tmp_path / "broken.toml"
    bad.write_text("title = [unclosed", encoding="utf-8")
    with pytest.raises(ScenarioError, match="broken.toml is not valid TOML"):
        load_scenario(bad)
