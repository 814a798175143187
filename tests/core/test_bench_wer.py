"""WER: the normaliser's canonical forms and hand-computed edit counts."""

from __future__ import annotations

import pytest

from copilot.bench.wer import WerResult, combine, corpus_wer, normalize, wer


@pytest.mark.parametrize("a, b", [
    ("742-931", "seven four two nine three one"),
    ("742931", "742 931"),
    ("$49", "forty nine dollars"),
    ("49 dollars", "forty-nine dollars"),
    ("fourty nine dollars", "$49"),
    ("March 3rd", "march third"),
    ("the 21st", "the twenty first"),
    ("a hundred", "100"),
    ("one hundred and twenty three", "123"),
    ("two thousand and five", "2005"),
    ("two thousand twenty four", "2024"),
    ("nineteen ninety nine", "1999"),
    ("fourteen fifty-five", "1455"),
    ("four oh five", "405"),
    ("oh five five five", "0555"),
    ("double five two", "552"),
    ("1,000 people", "one thousand people"),
    ("twelve hundred", "1200"),
    ("3.5%", "three point five percent"),
    ("It\u2019s fine.", "it's fine"),
    ("Um, I think so.", "I think so"),
    ("OK then", "okay then"),
])
def test_equivalent_spellings_normalise_alike(a, b):
    assert normalize(a) == normalize(b)


def test_canonical_form_is_single_digits():
    assert normalize("Sure, it's 742-931. The charge was $49 on March 3rd.") == [
        "sure", "it's", "7", "4", "2", "9", "3", "1", "the", "charge", "was", "4", "9",
        "dollars", "on", "march", "3"]


def test_oh_is_zero_only_inside_digit_runs():
    assert normalize("Oh, hello.") == ["oh", "hello"]
    assert normalize("oh one more thing")[0] == "oh"
    assert normalize("five oh") == ["5", "0"]
    assert normalize("twenty oh five") == ["2", "0", "0", "5"]


def test_number_grouping_keeps_values():
    # "forty nine" is 49, not 40 + 9; "four nine" is two digits. Both are "4 9" as tokens.
    assert normalize("forty nine") == normalize("four nine") == ["4", "9"]
    assert normalize("forty") == ["4", "0"]
    assert normalize("three hundred thousand") == ["3", "0", "0", "0", "0", "0"]


def test_other_languages_fold_case_punctuation_and_accents():
    assert normalize("Sous le consulat, il devient « conservateur » des forêts.", "fr") == [
        "sous", "le", "consulat", "il", "devient", "conservateur", "des", "forets"]
    assert normalize("Está en la Straße", "es") == ["esta", "en", "la", "strasse"]
    assert normalize("L\u2019homme", "fr") == ["l'homme"]
    # Number words are left alone outside English; digits are still split one by one.
    assert normalize("quarante-neuf 1.000", "fr") == ["quarante", "neuf", "1", "0", "0", "0"]


def test_identical_is_zero():
    assert wer("the cat sat", "The cat sat.") == WerResult(0, 3, 0.0, 0, 0, 0)


def test_one_deletion():
    r = wer("the cat sat on the mat", "the cat sat on mat")
    assert (r.errors, r.ref_words, r.dels, r.sub, r.ins) == (1, 6, 1, 0, 0)
    assert r.wer == pytest.approx(1 / 6)


def test_one_insertion_and_one_substitution():
    assert wer("the cat sat", "the cat sat down").ins == 1
    r = wer("the cat sat", "the dog sat")
    assert (r.sub, r.ins, r.dels, r.wer) == (1, 0, 0, pytest.approx(1 / 3))


def test_substitution_plus_deletion():
    r = wer("a b c d e", "a x c e")
    assert (r.sub, r.dels, r.ins, r.errors) == (1, 1, 0, 2)
    assert r.wer == pytest.approx(0.4)


def test_two_insertions():
    r = wer("a b c", "a b x c y")
    assert (r.ins, r.sub, r.dels) == (2, 0, 0)


def test_empty_sides():
    assert wer("a b c", "").dels == 3
    assert wer("a b c", "").wer == 1.0
    r = wer("", "x y")
    assert (r.ins, r.ref_words, r.wer) == (2, 0, 2.0)
    assert wer("", "").wer == 0.0


def test_numbers_are_scored_per_digit():
    r = wer("my number is seven four two", "my number is 742 9")
    assert (r.errors, r.ins) == (1, 1)
    r = wer("the charge was forty nine dollars", "the charge was $59")
    assert (r.errors, r.sub) == (1, 1)  # only the tens digit is wrong


def test_corpus_wer_sums_errors_over_words():
    r = corpus_wer([("a b c d", "a b c d"), ("x y", "x z")])
    assert (r.errors, r.ref_words) == (1, 6)
    assert r.wer == pytest.approx(1 / 6)  # not the mean of 0 and 0.5
    mixed = corpus_wer([("la forêt", "la foret", "fr"), ("forty nine", "49")])
    assert mixed.errors == 0
    assert combine([]) == WerResult(0, 0, 0.0, 0, 0, 0)
