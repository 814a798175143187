"""The assistance benchmark: which event answers which caption, and how late; the search modes
side by side on a question set; the synthetic knowledge base of the scale run."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fake_encoder import HashEncoder

from copilot.assist.suggest import PassageSentenceAdapter
from copilot.bench import kb_scale
from copilot.bench.assist_bench import compare_modes, open_mode_bases, spread, stage_latencies
from copilot.events import Caption, Knowledge, PassageRef, SuggestionEvent, Summary, Translation
from copilot.knowledge.base import KnowledgeBase
from copilot.knowledge.evaluate import EvalCase
from copilot.knowledge.parse import load_folder, parse_markdown


def cap(cid, at, channel="customer", final=True):
    return Caption(cid, final, channel, at - 2, at - 0.5, at, "en", "words")


def test_each_stage_is_timed_from_the_caption_it_answers():
    events = [
        cap("c1", 10.0),
        Knowledge("c1", (PassageRef("A", "t", 1.0),), 10.01),
        SuggestionEvent("c1", "line", ("A",), True, 10.02, "approved_line", 1),
        SuggestionEvent("c1", "line 2", ("B",), True, 10.03, "approved_line", 2),  # not first
        cap("a1", 11.0, channel="agent"),  # agent captions are not answered
        Summary(1, {}, 12.0),
        SuggestionEvent("c1", "reworded", ("A",), True, 13.5, "reworded", 1),
        cap("c2", 20.0),
        cap("c3", 22.0),
        Translation("c3", "en", "x", 22.3, "whisper"),
        Summary(2, {}, 23.0),  # one refresh takes in both captions
        Knowledge("zz", (), 24.0),  # answers no known caption
        cap("c4", 30.0),  # no summary followed: not counted
        cap("c5", 31.0, final=False),
    ]
    got = stage_latencies(events)
    assert [round(x, 3) for x in got["knowledge"]] == [0.01]
    assert [round(x, 3) for x in got["suggestion"]] == [0.02]
    assert [round(x, 3) for x in got["reworded"]] == [3.5]
    assert [round(x, 3) for x in got["summary"]] == [2.0, 3.0, 1.0]
    assert [round(x, 3) for x in got["translation"]] == [0.3]


def test_spread_reports_percentiles_and_count():
    s = spread([0.1, 0.2, 0.3, 0.4, 1.0])
    assert s["n"] == 5 and s["p50"] == 0.3 and s["max"] == 1.0
    assert spread([]) == {"n": 0, "p50": None, "p95": None, "max": None}


# -- search modes side by side, and the knowledge base at scale --------------------------------

TINY = """# Tiny
## [FEE-01] Late payment fee
A bill paid after its due date gets a late fee of 8 dollars.
Approved line: A bill paid after the due date has a late fee of 8 dollars.

## [ROAM-01] Roaming in Mexico
Calls and texts in Mexico are included in every plan.
Approved line: Calls and texts in Mexico are included in your plan.

## [PIN-01] Resetting the account PIN
A forgotten PIN is reset in the app after a 6-digit code is texted.
Approved line: I've texted a 6-digit code; read it back and choose a new PIN.
"""

CASES = [
    EvalCase("Is there a late fee if I pay my bill after the due date?", ("FEE-01",), None, 1,
             kind="direct"),
    EvalCase("Are calls in Mexico included in my plan?", ("ROAM-01",), None, 2, kind="direct"),
    EvalCase("What is the weather like on Mars today?", (), None, 3, kind="unanswerable"),
    EvalCase("and how much is it?", ("FEE-01",), None, 4, kind="follow_up",
             context=("I paid my bill late, after the due date",)),
]


def _bases(encoder):
    passages, _ = parse_markdown(TINY, "tiny.md")
    return {m: KnowledgeBase(passages, encoder=None if m == "keyword" else encoder, mode=m)
            for m in ("keyword", "dense", "hybrid")}


def test_modes_are_reported_side_by_side_per_kind():
    bases = _bases(HashEncoder())
    try:
        out = compare_modes(bases, CASES, PassageSentenceAdapter())
    finally:
        for kb in bases.values():
            kb.close()
    assert out["questions"] == 4
    assert list(out["modes"]) == ["keyword", "dense", "hybrid"]
    assert list(out["by_kind"]) == ["direct", "unanswerable", "follow_up"]
    fields = {"questions", "answerable", "first_line_right", "silent", "silent_answerable",
              "wrong_line", "wrong_card", "card_has_answer", "passage_right_first",
              "unanswerable", "abstained_unanswerable"}
    for mode, m in out["modes"].items():
        assert m["search"] == mode and m["passages"] == 3
        assert set(m["total"]) == fields
        assert {"retrieval", "suggestions", "retrieval_ms_per_question"} <= set(m)
        assert m["suggestions"]["by_kind"].keys() == out["by_kind"].keys()
        # The kinds add up to the totals.
        for key in fields:
            assert sum(out["by_kind"][k][mode][key] for k in out["by_kind"]) == m["total"][key]
        assert m["total"]["answerable"] == 3 and m["total"]["unanswerable"] == 1
    assert out["by_kind"]["direct"]["keyword"]["first_line_right"] == 2
    assert out["by_kind"]["unanswerable"]["keyword"]["abstained_unanswerable"] == 1


def test_the_report_prints(capsys):
    from copilot.cli.bench_assist import _print_modes

    bases = _bases(HashEncoder())
    try:
        out = compare_modes(bases, CASES, PassageSentenceAdapter())
    finally:
        for kb in bases.values():
            kb.close()
    _print_modes({"file": "x.jsonl", **out})
    text = capsys.readouterr().out
    assert "first line right" in text and "wrong card" in text
    assert re.search(r"^unanswerable +1 +- +- +-", text, re.M)
    assert text.count("abstained on unanswerable") == 3


def test_mode_bases_share_one_encoder(tmp_path, monkeypatch):
    monkeypatch.setenv("COPILOT_HOME", str(tmp_path / "home"))
    (tmp_path / "kb").mkdir()
    (tmp_path / "kb" / "tiny.md").write_text(TINY, encoding="utf-8")
    encoder = HashEncoder()
    hybrid = KnowledgeBase.load(tmp_path / "kb", encoder=encoder, mode="hybrid")
    bases, warnings, owned = open_mode_bases(None, tmp_path / "kb",
                                             ["keyword", "dense", "hybrid"], reuse=hybrid)
    try:
        assert list(bases) == ["keyword", "dense", "hybrid"] and not warnings
        assert bases["hybrid"] is hybrid and hybrid not in owned
        assert bases["dense"].mode == "dense" and bases["dense"].vectors.encoder is encoder
        assert bases["keyword"].mode == "keyword" and bases["keyword"].vectors is None
    finally:
        for kb in owned:
            kb.close()
        hybrid.close()


@pytest.fixture(scope="module")
def sample():
    passages, _ = load_folder(Path(__file__).resolve().parents[2] / "resources/kb/northwind")
    return passages


def test_synthetic_base_has_n_distinct_passages_that_parse(sample, tmp_path):
    n = 2 * len(sample) + 17  # the sample comes round more than twice
    folder = kb_scale.write_synthetic_base(tmp_path / "kb", sample, n)
    passages, warnings = load_folder(folder)
    assert len(passages) == n and not warnings
    assert len({p.id for p in passages}) == n
    assert len({p.full_text for p in passages}) == n
    assert len({p.title for p in passages}) == n
    assert all(p.text and p.approved_lines for p in passages)
    # No product name of the sample is left, and it is the same every time.
    assert not any(name in p.full_text for p in passages for name in kb_scale.KNOWN_NAMES)
    assert kb_scale.synthetic_markdown(sample, n) == kb_scale.synthetic_markdown(sample, n)


def test_turns_are_taken_from_the_cases_until_the_count():
    convs = kb_scale.turns_from_cases(CASES, 11)
    assert sum(len(c) for c in convs) == 11
    assert convs[3] == ("I paid my bill late, after the due date", "and how much is it?")
    assert convs[4] == (CASES[0].utterance,)  # round again


def test_scale_run_reports_its_figures(sample, tmp_path):
    encoder = HashEncoder()
    convs = kb_scale.turns_from_cases(CASES, 8)
    out = kb_scale.run_scale(sample, 60, convs, lambda: encoder, work_dir=tmp_path,
                             warm_rss=lambda folder, cache: {"cache": cache.is_file()})
    assert out["passages"] == 60 and out["units"] > 60
    assert out["embedded_first"] == out["units"] and out["embedded_second"] == 0
    assert out["turn_ms"]["n"] == 8 and out["turn_ms"]["p95"] >= out["turn_ms"]["p50"]
    assert out["rss_mb"]["after_first_load"] > 0
    assert out["rss_mb_warm_start"] == {"cache": True}
    assert out["targets"] == kb_scale.TARGETS
    assert list(tmp_path.iterdir()) == []  # the temporary base is gone


def test_the_warm_start_child_runs_the_parents_code_from_any_folder(tmp_path, monkeypatch):
    # `python -m` looks in the current folder first: another checkout's copilot there must not
    # be the code measured.
    decoy = tmp_path / "elsewhere" / "copilot"
    decoy.mkdir(parents=True)
    (decoy / "__init__.py").write_text("raise ImportError('the decoy copilot was imported')\n")
    monkeypatch.chdir(decoy.parent)
    out = kb_scale.warm_rss_child(tmp_path / "kb", tmp_path / "cache.sqlite3",
                                  tmp_path / "no-encoder")
    assert "decoy" not in out["error"]
    assert "not a sentence-encoder folder" in out["error"]
