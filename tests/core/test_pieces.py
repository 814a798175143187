"""The second reading by word pieces (copilot/knowledge/pieces.py, hybrid.second_reading): when
it may turn an unsure gate into a line, and how the pieces are kept."""

from __future__ import annotations

import numpy as np
import pytest
from fake_encoder import PASSAGES, HashEncoder, P, PieceHashEncoder

from copilot.knowledge import hybrid
from copilot.knowledge.base import KnowledgeBase
from copilot.knowledge.pieces import PieceIndex, atoms_of, reads_pieces
from copilot.knowledge.vectors import PassageVectors, VectorCache, units_of


def _unsure(dense):
    """What the gate decides without the second reading: candidates, best dense score first."""
    order = tuple(int(i) for i in np.argsort(-np.asarray(dense), kind="stable"))
    shown = hybrid._candidates(np.asarray(dense), order)
    return hybrid.Decision(hybrid.CANDIDATES if shown else hybrid.NOTHING, order, shown, "",
                           hybrid._followed(np.asarray(dense), order))


def _read(scores):
    return lambda rows: np.asarray([scores[r] for r in rows], dtype=np.float32)


def _scores(index, text, rows):
    """The index's second-reading scores of `rows` for `text`, its pieces embedded as a query's."""
    _, (query,) = index.embed([text])
    return index.scores(query, rows)


def test_a_clear_lead_of_the_pieces_makes_the_dense_first_confident():
    dense = np.array([0.60, 0.58, 0.40])
    d = hybrid.second_reading(_unsure(dense), dense, _read([0.70, 0.55, 0.50]))
    assert (d.verdict, d.shown, d.reason) == (hybrid.CONFIDENT, (0,), "pieces")


@pytest.mark.parametrize(("pieces", "shown"), [([0.70, 0.60, 0.50], (0,)),
                                               ([0.70, 0.69, 0.20], (0, 1))])
def test_a_lead_under_the_threshold_gives_no_line(pieces, shown):
    dense = np.array([0.60, 0.58, 0.40])
    d = hybrid.second_reading(_unsure(dense), dense, _read(pieces))
    assert (d.verdict, d.shown) == (hybrid.CANDIDATES, shown)


def test_the_pieces_may_put_a_close_second_first():
    dense = np.array([0.60, 0.58, 0.40])
    d = hybrid.second_reading(_unsure(dense), dense, _read([0.50, 0.70, 0.50]))
    assert d.verdict == hybrid.CONFIDENT and d.order[:2] == (1, 0) and d.shown == (1,)


def test_not_a_second_far_behind_nor_a_weak_first():
    dense = np.array([0.60, 0.50, 0.40])  # the second is 0.10 behind: beyond the spread
    d = hybrid.second_reading(_unsure(dense), dense, _read([0.50, 0.70, 0.50]))
    assert d.verdict == hybrid.CANDIDATES and d.reason == ""  # a card at most, never a line
    weak = np.array([0.44, 0.43, 0.40])  # under PIECES_MIN: nothing is read at all
    decision = _unsure(weak)

    def unread(rows):
        raise AssertionError("pieces read for a weak first")

    assert hybrid.second_reading(decision, weak, unread) is decision


def test_of_two_candidate_cards_the_one_the_pieces_prefer_is_shown_alone():
    dense = np.array([0.60, 0.58, 0.40])
    d = hybrid.second_reading(_unsure(dense), dense, _read([0.50, 0.55, 0.45]))
    assert (d.verdict, d.shown, d.order[0], d.reason) == (hybrid.CANDIDATES, (1,), 1, "")
    assert d.followed == (0, 1)  # both stay plausible topics for the call
    close = _unsure(dense)  # a lead under PIECES_CARD_LEAD: both cards stay
    assert hybrid.second_reading(close, dense, _read([0.50, 0.51, 0.45])) is close


def test_a_single_card_gives_way_to_the_passage_the_pieces_prefer_behind_it():
    # The third is 0.07 behind the first: too far for a line (PIECES_SPREAD), near enough
    # (PIECES_MIN) to be the card the agent sees instead of the dense first.
    dense = np.array([0.60, 0.50, 0.53])
    decision = _unsure(dense)
    assert decision.shown == (0,)
    d = hybrid.second_reading(decision, dense, _read([0.50, 0.40, 0.56]))
    assert (d.verdict, d.shown, d.order[0], d.reason) == (hybrid.CANDIDATES, (2,), 2, "")
    low = np.array([0.60, 0.50, 0.44])  # under PIECES_MIN: the dense first stays the card
    assert hybrid.second_reading(_unsure(low), low, _read([0.50, 0.40, 0.56])).shown == (0,)
    nothing = np.array([0.52, 0.50, 0.47])  # no card to show: the pieces do not make one
    assert hybrid.second_reading(_unsure(nothing), nothing,
                                 _read([0.40, 0.40, 0.56])).verdict == hybrid.NOTHING


def test_a_confident_line_stands_when_the_pieces_prefer_it_too():
    dense = np.array([0.80, 0.50, 0.40])
    confident = hybrid.Decision(hybrid.CONFIDENT, (0, 1, 2), (0,), "clear", (0,))
    assert hybrid.second_reading(confident, dense, _read([0.60, 0.59, 0.1])) is confident


def test_a_confident_line_is_taken_back_when_the_pieces_prefer_another():
    # A near miss fools the sentence vectors and the keywords alike; the closer reading
    # prefers the neighbour, by however little: no line, a card to check.
    dense = np.array([0.80, 0.50, 0.40])
    confident = hybrid.Decision(hybrid.CONFIDENT, (0, 1, 2), (0,), "agree", (0,))
    d = hybrid.second_reading(confident, dense, _read([0.60, 0.61, 0.1]))
    assert (d.verdict, d.shown, d.reason) == (hybrid.CANDIDATES, (0,), "")
    # by a card's lead, the neighbour is the card
    d = hybrid.second_reading(confident, dense, _read([0.60, 0.66, 0.1]))
    assert (d.verdict, d.shown) == (hybrid.CANDIDATES, (1,))
    # ... and when the pieces single the neighbour out, close behind, it gets the line
    close = np.array([0.70, 0.68, 0.40])
    d = hybrid.second_reading(hybrid.Decision(hybrid.CONFIDENT, (0, 1, 2), (0,), "agree", (0,)),
                              close, _read([0.50, 0.70, 0.40]))
    assert (d.verdict, d.shown, d.reason) == (hybrid.CONFIDENT, (1,), "pieces")


def test_atoms_are_the_title_sentences_lines_and_asks_once_each():
    p = P("REF-01", "Duplicate charges.", "A duplicate charge is refunded. It takes 5 days.",
          "It takes 5 days.")
    assert atoms_of(p) == ["Duplicate charges", "A duplicate charge is refunded.",
                           "It takes 5 days."]


def test_rare_pieces_weigh_more_and_exact_pieces_score_highest():
    index = PieceIndex(PASSAGES, PieceHashEncoder(), model_id="m")
    late, the = PieceHashEncoder.piece_id("late"), PieceHashEncoder.piece_id("the")
    # "late" is in one passage's atoms only; "the" in several.
    assert index.weight(np.array([late]))[0] > index.weight(np.array([the]))[0]
    scores = _scores(index, "late fee waived", [0, 1, 2])
    assert int(np.argmax(scores)) == 1 and scores[1] == pytest.approx(1.0, abs=1e-3)
    assert _scores(index, "", [0, 1]).tolist() == [0.0, 0.0]


def test_pieces_are_computed_once_and_give_the_vector_index_its_atoms(tmp_path):
    cache, enc = VectorCache(tmp_path / "v.sqlite3"), PieceHashEncoder()
    atoms = {a for p in PASSAGES for a in atoms_of(p)}
    first = PieceIndex(PASSAGES, enc, model_id="m", cache=cache)
    assert first.embedded == len(atoms)
    # The atoms' sentence vectors came with their pieces: only the composite units are left.
    units = {u for p in PASSAGES for u in units_of(p)}
    assert PassageVectors(PASSAGES, enc, model_id="m", cache=cache).embedded == \
        len(units - atoms)
    again = PieceIndex(PASSAGES, enc, model_id="m", cache=cache)
    assert again.embedded == 0
    calls = enc.piece_calls
    assert np.allclose(_scores(again, "late fee waived", [0, 1, 2]),
                       _scores(first, "late fee waived", [0, 1, 2]), atol=1e-3)
    assert enc.piece_calls == calls + 2  # the two queries only: the passages' came from disk


def test_pieces_lost_from_the_cache_are_computed_again(tmp_path):
    cache = VectorCache(tmp_path / "v.sqlite3")
    index = PieceIndex(PASSAGES, PieceHashEncoder(), model_id="m", cache=cache)
    before = _scores(index, "late fee waived", [1])
    index._memory.clear()
    cache._db.execute("DELETE FROM pieces")
    assert np.allclose(_scores(index, "late fee waived", [1]), before, atol=1e-3)


def test_an_unwritable_cache_keeps_the_second_reading_working(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    index = PieceIndex(PASSAGES, PieceHashEncoder(), model_id="m",
                       cache=VectorCache(blocker / "v.sqlite3"))
    assert int(np.argmax(_scores(index, "late fee waived", [0, 1, 2]))) == 1


def test_a_base_reads_pieces_only_with_an_encoder_that_gives_them():
    assert not reads_pieces(HashEncoder()) and reads_pieces(PieceHashEncoder())
    assert KnowledgeBase(PASSAGES, encoder=HashEncoder()).pieces is None
    assert KnowledgeBase(PASSAGES, encoder=PieceHashEncoder()).pieces is not None
    assert KnowledgeBase(PASSAGES).pieces is None


def test_a_read_only_cache_made_before_the_pieces_still_gives_its_vectors(tmp_path,
                                                                          monkeypatch):
    import sqlite3
    import types

    from copilot.knowledge import vectors

    path = tmp_path / "v.sqlite3"
    enc = PieceHashEncoder()
    PassageVectors(PASSAGES, enc, model_id="m", cache=VectorCache(path))
    db = sqlite3.connect(path)  # as an older version left it: vectors, no pieces
    db.execute("DROP TABLE pieces")
    db.commit()
    db.close()
    # Opened read-only (a file mode alone does not stop root, who may run the tests).
    read_only = types.SimpleNamespace(
        Error=sqlite3.Error, Connection=sqlite3.Connection,
        connect=lambda p, **kw: sqlite3.connect(f"file:{p}?mode=ro", uri=True, **kw))
    monkeypatch.setattr(vectors, "sqlite3", read_only)
    cache = VectorCache(path)
    assert PassageVectors(PASSAGES, enc, model_id="m", cache=cache).embedded == 0
    index = PieceIndex(PASSAGES, enc, model_id="m", cache=cache)
    assert int(np.argmax(_scores(index, "late fee waived", [0, 1, 2]))) == 1
