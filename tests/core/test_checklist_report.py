"""Live checklists in the supervisor's report: each call's `checklist` events become the
`checklist` metrics rows (one per call and item that applied) and the calls' counts, a tick the
agent made in the wrap-up counts, and no word of what ticked an item is exported."""

from __future__ import annotations

import dataclasses

import pyarrow.parquet as pq

from copilot import paths
from copilot.assist.checklist import load_checklists
from copilot.assist.checklist.tracker import Checklists
from copilot.events import ChecklistEvent
from copilot.report import Who, desk_metrics, desk_report, export_desk, site_report
from copilot.report.render import render
from copilot.store.db import CallStore

WORDS = "this call is recorded for quality"


def _call_with_a_checklist(db) -> int:
    with CallStore(db) as store:
        cid = store.start_call("call.flac", "", {})
        events = [
            ChecklistEvent("items", "support", 0.0, text="Support call", items=(
                {"id": "recorded", "text": "Say it", "required": True},)),
            ChecklistEvent("tick", "support", 3.0, item="recorded", of="c1",
                           text=f"Hello, {WORDS}.", words=WORDS, by="copilot", score=0.9),
            ChecklistEvent("end", "support", 40.0, open=("verify",), items=(
                {"id": "recorded", "required": True, "applies": True, "done": True,
                 "by": "copilot", "at": 3.0, "of": "c1"},
                {"id": "verify", "required": True, "applies": True, "done": False},
                {"id": "name", "required": False, "applies": True, "done": False},
                {"id": "retention", "required": True, "applies": False, "done": False})),
            # In the wrap-up the agent ticks what the copilot missed (ui/checklist_flow.py).
            ChecklistEvent("tick", "support", 55.0, item="name", by="agent"),
        ]
        for e in events:
            store.add_event(cid, e.type, e.at, e.to_dict())
        store.end_call(cid, "completed")
    return cid


def test_the_state_at_hang_up_and_the_wrap_up_ticks_become_rows(tmp_path):
    db = tmp_path / "calls.sqlite3"
    cid = _call_with_a_checklist(db)
    m = desk_metrics(db, Who("desk-1"))
    (call,) = m.calls.to_pylist()
    assert (call["checklist_items"], call["checklist_done"]) == (3, 2)  # not the retention
    rows = {r["item"]: r for r in m.checklist.to_pylist()}
    assert set(rows) == {"recorded", "verify", "name"}
    assert (rows["recorded"]["done_by"], rows["recorded"]["done_at"]) == ("copilot", 3.0)
    assert (rows["name"]["done_by"], rows["name"]["done_at"], rows["name"]["required"]) == \
        ("agent", 55.0, False)
    assert rows["verify"]["done"] is False and rows["verify"]["done_by"] is None
    assert all(r["call_id"] == cid and r["checklist"] == "support" for r in rows.values())


def test_the_report_shows_completion_per_item_and_no_words(tmp_path):
    db = tmp_path / "calls.sqlite3"
    _call_with_a_checklist(db)
    report = desk_report(db)
    table = report.tables["checklists"]
    got = {r["item_id"]: (r["item_text"], r["calls"], r["done"]) for r in table.as_dicts()}
    # "recorded" in the checklist's words; the others were not laid out by the call: their ids
    assert got == {"name": ("name", 1, 1), "recorded": ("Say it", 1, 1),
                   "verify": ("verify", 1, 0)}
    assert "out of order" in table.note  # what its last column counts
    out = tmp_path / "share" / "desk-1"
    export_desk(db, out, Who("desk-1"))
    files = sorted(out.glob("*.parquet"))
    assert {p.name.split(".")[1] for p in files} == {"calls", "checklist"}  # no card shown
    for p in files:
        assert WORDS not in str(pq.read_table(p).to_pylist())
        assert WORDS.encode() not in p.read_bytes()


def _ordered_call(store: CallStore, *, flagged: bool, verified: bool) -> None:
    cid = store.start_call("call.flac", "", {})
    items = ({"id": "verify", "text": "Verify", "required": True},
             {"id": "account", "text": "Account after", "required": False, "after": "verify"})
    account = {"id": "account", "required": False, "applies": True, "done": True,
               "by": "copilot", "at": 9.0, "of": "c3"}
    if flagged:
        account["out_of_order"] = True
    for e in (ChecklistEvent("items", "support", 0.0, text="Support call", items=items),
              ChecklistEvent("end", "support", 40.0, items=(
                  {"id": "verify", "required": True, "applies": True, "done": verified,
                   **({"by": "copilot", "at": 20.0, "of": "c5"} if verified else {})},
                  account))):
        store.add_event(cid, e.type, e.at, e.to_dict())
    store.end_call(cid, "completed")


def test_an_ordered_item_done_out_of_order_is_counted_so(tmp_path):
    """A supervisor's walk-through: "discuss the account only after the caller is verified" read
    100 % done on calls where it was done first, or where the check never came."""
    db = tmp_path / "calls.sqlite3"
    with CallStore(db) as store:
        _ordered_call(store, flagged=True, verified=True)  # done first, flagged at the time
        _ordered_call(store, flagged=False, verified=False)  # the check never came
        _ordered_call(store, flagged=False, verified=True)  # in order
    m = desk_metrics(db, Who("desk-1"))
    order = sorted((r["call_id"], r["item"], r["out_of_order"]) for r in m.checklist.to_pylist())
    assert [o for _, item, o in order if item == "account"] == [True, True, False]
    assert {o for _, item, o in order if item == "verify"} == {None}  # no order of its own
    rows = {r["item_id"]: r for r in desk_report(db).tables["checklists"].as_dicts()}
    assert (rows["account"]["done"], rows["account"]["out_of_order"]) == (3, 2)
    assert rows["verify"]["out_of_order"] == 0
    # required or not, beside each item (the walk-through could not tell them apart)
    assert (rows["verify"]["required"], rows["account"]["required"]) == (True, False)



def _northwind_call(store: CallStore, texts: dict[str, str] | None = None) -> None:
    """A call with the bundled Northwind checklist laid out as the window does it (the tracker's
    `items` event, with each item's words), two items ticked by hand; `texts` rewords items."""
    (checklist,) = load_checklists(paths.sample_checklists() / "northwind_support.toml")
    call = Checklists([checklist], None).call()
    cid = store.start_call("call.flac", "", {})
    events = call.start(0.0)
    if texts:
        events = [dataclasses.replace(e, items=tuple(
            {**it, "text": texts.get(it["id"], it["text"])} for it in e.items)) for e in events]
    events += call.manual(checklist.id, "recorded-line", True, 5.0)
    events += call.manual(checklist.id, "verify-identity", True, 20.0)
    events += call.finish(60.0)
    for e in events:
        store.add_event(cid, e.type, e.at, e.to_dict())
    store.end_call(cid, "completed")


def test_the_report_names_each_item_in_its_checklists_words_with_its_id_beside(tmp_path):
    """A supervisor's walk-through read ids ("verify-identity") where the checklist gives words:
    each item in the words the agent reads (the newest call's, for a reworded checklist), the
    id in the column beside it, in every format and in the export."""
    db = tmp_path / "calls.sqlite3"
    with CallStore(db) as store:
        _northwind_call(store, {"verify-identity": "Check who is calling"})  # the older wording
        _northwind_call(store)
    table = desk_report(db).tables["checklists"]
    assert table.columns[:3] == ["checklist", "item_text", "item_id"]
    rows = {r["item_id"]: r for r in table.as_dicts()}
    assert rows["verify-identity"]["item_text"] == "Verify the caller (account number and PIN)"
    assert rows["recorded-line"]["item_text"] == "Tell the customer the call is recorded"
    assert (rows["verify-identity"]["calls"], rows["verify-identity"]["done"]) == (2, 2)
    html = render(desk_report(db), "html")
    assert "<td class=\"t\">Verify the caller (account number and PIN)</td>" \
           "<td class=\"t\">verify-identity</td>" in html
    assert "Check who is calling" not in html  # the checklist was reworded since
    out = tmp_path / "share" / "desk-1"
    export_desk(db, out, Who("desk-1"))
    (file,) = out.glob("*.checklist.*.parquet")
    texts = {(r["item"], r["item_text"]) for r in pq.read_table(file).to_pylist()}
    assert ("recorded-line", "Tell the customer the call is recorded") in texts
    site = {r["item_id"]: r["item_text"]
            for r in site_report([str(out)]).tables["checklists"].as_dicts()}
    assert site["verify-identity"] == "Verify the caller (account number and PIN)"


def test_the_report_lists_a_checklists_items_in_its_order_under_its_title(tmp_path):
    """A supervisor's walk-through: the Checklist column read "northwind-support" and the items
    came sorted by id ("account-details" first), not as the agent sees them in the window."""
    db = tmp_path / "calls.sqlite3"
    with CallStore(db) as store:
        _northwind_call(store)
    (checklist,) = load_checklists(paths.sample_checklists() / "northwind_support.toml")
    window = [i.id for i in checklist.items if i.when is None]  # those that applied
    out = tmp_path / "share" / "desk-1"
    export_desk(db, out, Who("desk-1"))
    for report in (desk_report(db), site_report([str(out)])):
        rows = report.tables["checklists"].as_dicts()
        assert [r["item_id"] for r in rows] == window != sorted(window)
        assert {r["checklist"] for r in rows} == {"Northwind support call"}
    (file,) = out.glob("*.checklist.*.parquet")
    places = {r["item"]: r["item_place"] for r in pq.read_table(file).to_pylist()}
    assert places["recorded-line"] == 1 + [i.id for i in checklist.items].index("recorded-line")
