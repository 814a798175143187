"""The line decided on all the gate's evidence at once (copilot/knowledge/line_model.py,
hybrid.judge): which evidence earns a line, which takes one back, and what stays as the rules
left it."""

from __future__ import annotations

import numpy as np

from copilot.knowledge import hybrid, line_model
from copilot.knowledge.line_model import Evidence

# Six passages; the caller's turn is about passage 0.
DENSE = np.array([0.74, 0.58, 0.55, 0.40, 0.35, 0.30])


def _evidence(*, pieces=(0.80, 0.62, 0.60), keyword=((0, 4.0), (1, 1.0)), words=14,
              dense=DENSE, with_issue=False) -> Evidence:
    return Evidence(dense, dense - 0.05, keyword, 1.6, pieces, with_issue, words)


def _decision(verdict: str, reason: str = "") -> hybrid.Decision:
    order = tuple(int(i) for i in np.argsort(-DENSE, kind="stable"))
    shown = (order[0],) if verdict == hybrid.CONFIDENT else order[:2]
    return hybrid.Decision(verdict, order, shown, reason, order[:2])


def test_the_model_reads_every_feature_it_was_fit_on():
    f = line_model.features(_evidence(), 0)
    assert len(f) == len(line_model.FEATURES) == len(line_model.MEAN) == \
        len(line_model.SCALE) == len(line_model.WEIGHTS)


def test_everything_pointing_one_way_earns_a_line():
    assert line_model.probability(_evidence(), 0) >= line_model.LINE_MIN


def test_word_pieces_preferring_another_passage_take_the_line_away():
    doubted = _evidence(pieces=(0.60, 0.80, 0.62))
    assert line_model.probability(doubted, 0) < line_model.LINE_MIN
    assert line_model.probability(doubted, 0) < line_model.probability(_evidence(), 0)


def test_keywords_finding_another_passage_lower_the_probability():
    elsewhere = _evidence(keyword=((1, 4.0), (0, 1.0)))
    assert line_model.probability(elsewhere, 0) < line_model.probability(_evidence(), 0)


def test_a_two_word_turn_says_less_than_a_sentence():
    assert line_model.probability(_evidence(words=2), 0) < \
        line_model.probability(_evidence(words=14), 0)


def test_a_passage_outside_the_three_read_closely_is_far_from_a_line():
    assert line_model.probability(_evidence(), 5) < 0.5


def test_judge_gives_the_line_the_rules_left_unsure_with_its_own_reason():
    judged = hybrid.judge(_decision(hybrid.CANDIDATES), DENSE, _evidence())
    assert (judged.verdict, judged.shown, judged.reason) == (hybrid.CONFIDENT, (0,), "evidence")


def test_judge_keeps_the_rules_reason_for_a_line_it_agrees_with():
    judged = hybrid.judge(_decision(hybrid.CONFIDENT, "agree"), DENSE, _evidence())
    assert (judged.verdict, judged.reason) == (hybrid.CONFIDENT, "agree")


def test_judge_takes_back_a_line_the_evidence_doubts_and_leaves_the_cards():
    doubted = _evidence(pieces=(0.60, 0.80, 0.62), keyword=((1, 4.0),), words=3)
    judged = hybrid.judge(_decision(hybrid.CONFIDENT, "strong"), DENSE, doubted)
    assert judged.verdict == hybrid.CANDIDATES and judged.reason == ""
    assert judged.shown == hybrid._candidates(DENSE, judged.order)
    assert judged.order == _decision(hybrid.CONFIDENT).order


def test_judge_leaves_an_unsure_gate_unsure_when_the_evidence_is_weak():
    weak = _evidence(pieces=(0.55, 0.54, 0.53), keyword=(), words=3,
                     dense=np.array([0.50, 0.49, 0.48, 0.40, 0.35, 0.30]))
    unsure = _decision(hybrid.CANDIDATES)
    assert hybrid.judge(unsure, DENSE, weak) is unsure


def test_a_base_of_fewer_passages_than_the_model_reads_keeps_the_rules():
    dense = np.array([0.85, 0.40])
    ev = Evidence(dense, None, ((0, 4.0),), 1.6, None, False, 6)
    line = hybrid.Decision(hybrid.CONFIDENT, (0, 1), (0,), "agree", (0,))
    assert hybrid.judge(line, dense, ev) is line
