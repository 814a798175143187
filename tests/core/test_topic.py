"""When a turn read with its issue gets a line (copilot/knowledge/topic.py, 3a-b), and how a
follow-up is read with its issue (hybrid.with_context). Scripted searches stand in for the base:
each rule is about which passages the turn alone and the turns together rank, not about text."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from fake_encoder import P
from scripted_base import ScriptedBase

from copilot.knowledge.base import Hit
from copilot.knowledge.hybrid import with_context
from copilot.knowledge.topic import Conversation


def _hit(pid, *, relevant=False, card=False, followed=False):
    return Hit(P(pid, pid, "text."), 0.0, relevant, 0.0, dense=0.6, candidate=card,
               followed=followed or card or relevant)


def _none(pid):
    return _hit(pid)  # ranked, but too far to follow


def _line(conv, turn):
    hits = conv.search(turn)
    return (hits[0].passage.id, hits[0].reason) if hits and hits[0].relevant else None


# -- 3b: another passage, the only card, that the follow-up moved the issue to ------------------

RAISE = "I'm sending a parcel to my son in Australia for Christmas."
CHEAPER = "How long will it take to get there on the cheaper service?"  # names its subject


@pytest.mark.parametrize("second_followed, line", [(True, ("INT-01", "topic")), (False, None)])
def test_the_passage_the_raising_turn_followed_second_gets_its_line_when_alone(second_followed,
                                                                             line):
    conv = Conversation(ScriptedBase({
        (RAISE,): [_hit("INT-08", card=True), _hit("INT-01", card=second_followed), _none("X")],
        (CHEAPER,): [_hit("TRK-07", followed=True), _hit("INT-01", followed=True)],
        (RAISE, CHEAPER): [_hit("INT-01", card=True), _none("INT-07")]}))
    conv.search(RAISE)
    assert conv.passage == "INT-08" and conv.other == ("INT-01" if second_followed else None)
    assert _line(conv, CHEAPER) == line


CREDIT = "I had to cancel my Standard fare and now I've got a credit."
USE_IT = "How long do I have to use it?"  # points back at the issue
FLEX = "What if I'd bought Flex?"  # a new condition: names its own subject


@pytest.mark.parametrize("turn, second_card, line", [
    (USE_IT, False, ("CRED-02", "topic")),
    (USE_IT, True, None),  # two cards: the follow-up did not single one out
    (FLEX, False, None),  # its own words, not the issue, chose the card
])
def test_a_turn_that_points_back_gets_the_line_of_the_one_card_its_issue_shows(turn, second_card,
                                                                               line):
    conv = Conversation(ScriptedBase({
        (CREDIT,): [_hit("REF-03", card=True), _hit("CRED-03", card=True), _none("REF-04")],
        (turn,): [_none("MILE-03"), _none("MILE-04")],
        (CREDIT, turn): [_hit("CRED-02", card=True), _hit("REF-03", card=second_card)]}))
    conv.search(CREDIT)
    assert _line(conv, turn) == line


def test_the_topics_own_passage_as_the_only_card_needs_the_issue_established():
    # 3a is unchanged: a pointing follow-up that shows the topic's passage alone, after a turn
    # that showed it with another card, gets no line (9 sets: 1 more right, 3 wrong lines)
    cut, notice = "I got a letter saying you're going to cut me off", "how much notice is that?"
    conv = Conversation(ScriptedBase({
        (cut,): [_hit("OUT-03", card=True), _hit("CON-02", card=True)],
        (notice,): [_none("BIL-07")],
        (cut, notice): [_hit("OUT-03", card=True), _none("CON-02")]}))
    conv.search(cut)
    assert _line(conv, notice) is None


# -- how a follow-up is read with its issue ------------------------------------------------------

def test_a_follow_up_is_read_with_its_issue_only():
    # "will I get that money back?" after a break-in: alone it is close to the order-refund
    # passage (row 0); with the issue, the break-in passage (row 1) is first
    alone, together = np.array([0.66, 0.30, 0.2]), np.array([0.60, 0.64, 0.2])
    assert list(with_context(alone, together, 2, True)) == list(together)
    assert list(with_context(np.array([0.40, 0.3, 0.2]), together, 2, False)) == list(together)


def test_a_turn_that_stands_alone_keeps_the_better_of_both_readings():
    alone, together = np.array([0.66, 0.30, 0.2]), np.array([0.60, 0.64, 0.2])
    assert list(with_context(alone, together, 5, True)) == [0.66, 0.64, 0.2]
    assert list(with_context(alone, together, 2, False)) == [0.66, 0.64, 0.2]
    far = np.array([0.40, 0.80, 0.2])  # the context alone would carry the old topic
    assert list(with_context(alone, far, 5, False)) == list(alone)


# -- 1: a follow-up's line by the word pieces alone, checked against its issue -----------------

LOUNGE = "I've booked the Lounge for Saturday night."
CHILD = "Can my 10-year-old come with us?"


def _own_line(pid, reason):
    return replace(_hit(pid, relevant=True), reason=reason)


@pytest.mark.parametrize("reason, together_first, line", [
    # the pieces alone read the turn's few words as the age ratings; with its issue, the Lounge
    ("pieces", "PRC-08", ("PRC-08", "topic")),
    ("pieces", "ACS-07", ("ACS-07", "pieces")),  # the issue agrees: the line stands
    ("agree", "PRC-08", ("ACS-07", "agree")),  # keywords and meaning together: the line stands
])
def test_a_follow_up_confident_only_by_the_word_pieces_is_read_with_its_issue(reason,
                                                                             together_first,
                                                                             line):
    other = "ACS-07" if together_first == "PRC-08" else "PRC-08"
    conv = Conversation(ScriptedBase({
        (LOUNGE,): [_hit("PRC-08", card=True), _none("X")],
        (CHILD,): [_own_line("ACS-07", reason), _none("PRC-08")],
        (LOUNGE, CHILD): [_hit(together_first, card=True), _none(other)]}))
    conv.search(LOUNGE)
    assert _line(conv, CHILD) == line


def test_a_new_subject_is_not_read_with_the_issue_before_it():
    turn = "Oh, another thing: can my 10-year-old come to a 12A film?"
    conv = Conversation(ScriptedBase({
        (LOUNGE,): [_hit("PRC-08", card=True), _none("X")],
        (turn,): [_own_line("ACS-07", "pieces"), _none("PRC-08")],
        (LOUNGE, turn): [_hit("PRC-08", card=True), _none("ACS-07")]}))
    conv.search(LOUNGE)
    assert _line(conv, turn) == ("ACS-07", "pieces")
