"""The fact-check's evaluation (copilot.practice.factcheck_eval) on the development part of
tests/data/practice/factcheck_answers.jsonl: no correct answer flagged, every invented policy
fact caught, for the invented words. The held-out part is not asserted here: it is checked once,
by hand, and its figures are in BENCHMARKS.md."""

from __future__ import annotations

import collections
import json

import pytest

from copilot.practice.factcheck_eval import DEFAULT_SET, load_cases, run_eval


def test_the_set_is_large_enough_and_split() -> None:
    cases = load_cases(DEFAULT_SET, "all")
    count = collections.Counter((c.scenario, c.label) for c in cases)
    scenarios = {c.scenario for c in cases}
    assert len(scenarios) >= 5
    assert all(count[(s, label)] >= 30 for s in scenarios for label in ("good", "bad")), count
    held = sum(c.split == "heldout" for c in cases)
    assert 0.25 <= held / len(cases) <= 0.4
    assert all(c.invented for c in cases if c.label == "bad")
    assert len({c.id for c in cases}) == len(cases)


def test_dev_no_correct_answer_flagged_and_every_invented_fact_caught(kb) -> None:
    report = run_eval(kb, load_cases(DEFAULT_SET, "dev"))
    f = report.figures()
    assert f["good"] >= 100 and f["bad"] >= 100
    assert [r.to_dict() for r in report.false_alarms] == []
    assert [r.to_dict() for r in report.missed] == []
    assert [r.to_dict() for r in report.wrong_reason] == []
    assert f["precision"] == 1.0 and f["recall"] == 1.0


def test_the_evaluator_reports_false_alarms_and_misses(kb, tmp_path) -> None:
    """It can fail: a correct answer labelled bad is a miss, an invented one labelled good a
    false alarm, and a flag on another word than the invented one is not the right reason."""
    rows = [
        {"id": "a", "scenario": "one_device", "split": "dev", "label": "bad",
         "answer": "Every plan allows up to 5 devices at the same time.", "invented": ["5"]},
        {"id": "b", "scenario": "one_device", "split": "dev", "label": "good",
         "answer": "Every plan allows up to 3 devices at the same time."},
        {"id": "c", "scenario": "duplicate_charge", "split": "dev", "label": "bad",
         "answer": "You'll get a 50 dollar credit within 5 business days.",
         "invented": ["5 business days"]},
        {"id": "d", "scenario": "one_device", "split": "heldout", "label": "good",
         "answer": "Which plan are you on?"},
    ]
    path = tmp_path / "set.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    report = run_eval(kb, load_cases(path, "dev"))
    assert [r.case.id for r in report.missed] == ["a"]
    assert [r.case.id for r in report.false_alarms] == ["b"]
    assert [r.case.id for r in report.wrong_reason] == ["c"]
    f = report.figures()
    assert f["answers"] == 3 and f["precision"] == 0.5 and f["recall"] == 0.5


def test_invented_words_may_be_one_phrase_or_a_list(kb, tmp_path) -> None:
    """A set written with `"invented": "3 devices"` names that phrase, not its letters."""
    row = {"id": "a", "scenario": "one_device", "split": "dev", "label": "bad",
           "answer": "Every plan allows up to 3 devices at the same time."}
    path = tmp_path / "set.jsonl"
    path.write_text(json.dumps({**row, "invented": "3 devices"}) + "\n"
                    + json.dumps({**row, "id": "b", "invented": ["3 devices"]}) + "\n",
                    encoding="utf-8")
    cases = load_cases(path, "dev")
    assert [c.invented for c in cases] == [("3 devices",), ("3 devices",)]
    report = run_eval(kb, cases)
    assert [r.right_reason for r in report.results] == [True, True]


@pytest.mark.parametrize(("n", "good", "bad"), [(2, 100, 97), (3, 100, 85), (4, 100, 94),
                                                (5, 99, 88), (6, 99, 82), (7, 97, 85),
                                                (8, 96, 88), (9, 91, 81),
                                                # 10: 78 -> 77 at stop 47, a right fee
                                                # (87.50 at five full months) no longer
                                                # flagged beside a channel it misses
                                                (10, 93, 79), (11, 97, 82),
                                                # 14: 90 -> 89 at stop 45, a number a
                                                # passage denies no longer supports it
                                                # ("The forum said one device": the forum's
                                                # claim, from a turn the set does not give)
                                                (12, 92, 77), (13, 98, 82), (14, 95, 82),
                                                # 17: 80 -> 79 at stop 56, "the only thing
                                                # is" a caveat's opener, no scope (the
                                                # invented rule after it has one unsaid word)
                                                (15, 92, 81), (16, 92, 83), (17, 92, 79),
                                                (18, 87, 84), (19, 94, 87),
                                                (20, 82, 87), (21, 94, 88),
                                                # 23: 82 -> 81 at stop 55, "isn't" no longer
                                                # an unsaid word of its own ("as long as your
                                                # account isn't in arrears": one unsaid word)
                                                # 22: 92 -> 91 at stop 57, "set one up for
                                                # the tablet" a pronoun (the invented login
                                                # per device was caught by that "one" alone)
                                                (22, 86, 91), (23, 94, 81),
                                                (24, 96, 88), (25, 92, 90), (26, 97, 85),
                                                (27, 96, 85), (28, 98, 86), (29, 97, 89),
                                                (30, 97, 87), (31, 97, 84), (32, 95, 84),
                                                (33, 98, 79), (34, 97, 79), (35, 90, 80),
                                                (36, 92, 86), (37, 91, 82), (38, 90, 81),
                                                (39, 94, 77), (40, 92, 80),
                                                # 42, 43: one fewer caught at stop 60,
                                                # "inside the first year" the passage's
                                                # 12 months (both were caught on a
                                                # correct fact, not their invention)
                                                (41, 88, 84), (42, 88, 86), (43, 98, 79),
                                                (44, 89, 92), (45, 91, 82),
                                                # 32, 33, 45: one fewer caught at stop 55,
                                                # what is left of "don't", "won't" no longer
                                                # an unsaid word ("so you won't need to ring
                                                # us to cancel": one unsaid word, "ring")
                                                (46, 93, 84), (47, 98, 81), (48, 97, 81),
                                                (49, 95, 88), (50, 98, 74),
                                                (51, 93, 80), (52, 94, 74),
                                                (53, 88, 84), (54, 83, 88),
                                                (55, 92, 89),
                                                (56, 90, 84), (57, 96, 91), (58, 84, 79),
                                                (59, 91, 84)])
def test_later_sets_keep_what_they_reached(kb, n, good, bad) -> None:
    """factcheck_heldout2..59.jsonl (200 answers each, written blind by helpers, each run once
    before the fixes it led to: BENCHMARKS.md, "Practice fact-check on two sets written later")
    are development material since; the checker keeps at least what it reached on them."""
    path = DEFAULT_SET.with_name(f"factcheck_heldout{n}.jsonl")
    report = run_eval(kb, load_cases(path, f"heldout{n}"))
    f = report.figures()
    assert (f["good"], f["bad"]) == (100, 100)
    assert f["good_passed"] >= good, [r.case.id for r in report.false_alarms]
    assert f["flagged_bad"] >= bad, [r.case.id for r in report.missed]
