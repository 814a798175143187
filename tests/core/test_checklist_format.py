"""Checklist files: the bundled demo's loads, and every mistake a site can make in one is an
error that names the file, the item and the key (never a traceback, never a silent skip)."""

from __future__ import annotations

import pytest
from checklist_helpers import CHECKLIST, write_checklist

from copilot import paths
from copilot.assist.checklist import ChecklistError, load_checklists


def test_the_bundled_demo_checklist_has_every_kind_of_item():
    (demo,) = load_checklists(paths.sample_checklists())
    assert demo.id == "northwind-support" and demo.closing is not None
    kinds = {i.kind for i in demo.items}
    assert kinds == {"required", "optional", "ordered", "conditional"}
    verify = demo.item("verify-identity")
    assert verify is not None and verify.required and len(verify.phrases.examples) >= 3
    assert demo.item("account-details").after == "verify-identity"
    retention = demo.item("retention-offer")
    assert retention.when is not None and retention.when.speaker == "customer"
    assert demo.item("anything-else").closing


def test_a_folder_loads_every_file_and_one_file_loads_alone(tmp_path):
    write_checklist(tmp_path / "f")
    write_checklist(tmp_path / "f", CHECKLIST.replace('id = "support"', 'id = "other"'),
                    "other.toml")
    assert [c.id for c in load_checklists(tmp_path / "f")] == ["other", "support"]
    (one,) = load_checklists(tmp_path / "f" / "support.toml")
    assert one.title == "Support call" and [i.id for i in one.items][:2] == ["recorded", "verify"]


def test_defaults_id_from_the_file_name_and_required_true(tmp_path):
    path = write_checklist(tmp_path, '[[item]]\nid = "a"\ntext = "A"\nexamples = ["say a"]\n',
                           "greeting.toml")
    (c,) = load_checklists(path)
    assert (c.id, c.title, c.items[0].required, c.items[0].kind) == \
        ("greeting", "greeting", True, "required")


@pytest.mark.parametrize(("text", "expected"), [
    (CHECKLIST.replace('keywords = ["pin"]', 'keyword = ["pin"]'),
     "item 2 (verify): unknown key 'keyword'"),
    (CHECKLIST.replace('after = "verify"', 'after = "verfy"'),
     "item 3 (account): after = 'verfy' names no item"),
    (CHECKLIST.replace('after = "verify"', 'after = "account"'), "after makes a cycle"),
    (CHECKLIST.replace('id = "account"', 'id = "verify"'), "'verify' is used more than once"),
    (CHECKLIST.replace('required = false', 'required = "no"'),
     "item 3 (account): required must be true or false"),
    (CHECKLIST.replace('examples = ["Your last bill was fifty dollars."]', ''),
     "item 3 (account): examples must list at least one"),
    (CHECKLIST.replace('keywords = ["cancel*"]', 'speaker = "boss"'),
     "item 4 (retention) [item.when]: speaker must be one of customer, agent, any"),
    (CHECKLIST.replace('title = "Support call"', 'titel = "Support call"'),
     "unknown key 'titel'"),
    (CHECKLIST.replace('examples = ["Goodbye, have a nice day."]', 'examples = "Goodbye"'),
     "[closing]: examples must be a list of non-empty strings"),
    (CHECKLIST.replace('keywords = ["pin"]', 'needs = "pin"'),
     "item 2 (verify): needs must list the parts the item names"),
    (CHECKLIST.replace('keywords = ["pin"]', 'needs = ["pin"]'),
     "item 2 (verify): needs names one part: a compound item needs two or more"),
    (CHECKLIST.replace('keywords = ["pin"]', 'needs = ["account number", []]'),
     "item 2 (verify): needs must list the parts the item names"),
    (CHECKLIST.replace('keywords = ["pin"]', 'needs = ["account number", ["pin", 4]]'),
     "item 2 (verify): needs must list the parts the item names"),
    (CHECKLIST.replace('required = false', 'keyword_floor = 0.2'),
     "item 3 (account): keyword_floor must be a number from 0.3 to 0.8 (got 0.2)"),
    (CHECKLIST.replace('required = false', 'keyword_floor = "low"'),
     "item 3 (account): keyword_floor must be a number from 0.3 to 0.8"),
    (CHECKLIST.replace('required = false', 'keyword_floor = 0.45'),
     "item 3 (account): keyword_floor needs keywords"),
    ('id = "x"\n', "no items: add at least one [[item]]"),
    ('[item]\nid = "a"\n', "item must be written [[item]]"),
    ('id = "x"\n[[item\n', "not valid UTF-8 TOML"),
])
def test_mistakes_name_the_file_the_item_and_the_key(tmp_path, text, expected):
    path = write_checklist(tmp_path, text)
    with pytest.raises(ChecklistError) as e:
        load_checklists(path)
    assert str(path) in str(e.value) and expected in str(e.value)


def test_a_compound_item_lists_its_parts_each_a_keyword_or_keywords(tmp_path):
    path = write_checklist(tmp_path, CHECKLIST.replace(
        'keywords = ["pin"]', 'needs = ["account number", [" pin ", "passcode"]]'))
    (c,) = load_checklists(path)
    assert c.item("verify").needs == (("account number",), ("pin", "passcode"))
    assert c.item("recorded").needs == ()
    (demo,) = load_checklists(paths.sample_checklists())  # "(account number and PIN)"
    assert len(demo.item("verify-identity").needs) == 2


def test_missing_empty_and_clashing_sources_are_errors(tmp_path):
    with pytest.raises(ChecklistError, match="no such checklist file or folder"):
        load_checklists(tmp_path / "nowhere")
    (tmp_path / "empty").mkdir()
    with pytest.raises(ChecklistError, match="no checklist files"):
        load_checklists(tmp_path / "empty")
    write_checklist(tmp_path / "two", name="a.toml")
    write_checklist(tmp_path / "two", name="b.toml")
    with pytest.raises(ChecklistError, match="id 'support' is already used by"):
        load_checklists(tmp_path / "two")


def test_an_item_may_lower_how_close_a_piece_with_a_keyword_must_be(tmp_path):
    path = write_checklist(tmp_path, CHECKLIST.replace(
        'required = false', 'required = false\nkeywords = ["your bill"]\nkeyword_floor = 0.45'))
    (c,) = load_checklists(path)
    assert c.item("account").keyword_floor == 0.45
    assert c.item("verify").keyword_floor is None  # the matcher's default
