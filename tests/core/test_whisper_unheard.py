"""The words the audio does not hold (issue 13): where an echo decoded past the end of the speech
begins, from an alignment of the decoded words to the audio. The word starts below are real
alignments of Whisper base decodes (CTranslate2 `align`), as "word@seconds"."""

from __future__ import annotations

import numpy as np
import pytest

from copilot.asr.streaming import options_from_settings
from copilot.asr.unheard_words import unheard_start, voiced_seconds, word_starts
from copilot.asr.whisper_engine import DecodeOptions
from copilot.settings import AsrSettings


def _split(aligned: str) -> tuple[list[str], list[float]]:
    pairs = [x.rsplit("@", 1) for x in aligned.split()]
    return [w for w, _ in pairs], [float(s) for _, s in pairs]


def kept(aligned: str, end: float, first_unheard: bool = False) -> str:
    words, starts = _split(aligned)
    k = unheard_start(words, starts, end, first_unheard)
    return " ".join(words if k is None else words[:k])


def test_an_exact_echo_piled_on_the_last_frame_goes():
    assert kept("Just@0.00 once@2.18 .@2.54 Just@2.54 once@2.54 .@2.54", 2.89) == "Just once ."
    assert kept("Order@0.00 882@2.18 .@2.92 Order@2.92 882@2.92", 3.43) == "Order 882 ."


def test_a_paraphrased_echo_goes_where_the_new_sentence_starts():
    said = ("Clean@0.00 and@2.16 the@2.50 replacement@2.72 of@3.14 last@3.52 well@3.78 ,@4.30 "
            "42@4.70 high@4.80 -treat@4.80 .@4.80 ")
    echo = ("Clean@4.80 and@4.80 the@4.80 redraignment@4.80 of@4.80 last@4.80 well@4.80 "
            "already@4.80 too@4.86 high@5.10 treat@5.30 .@5.64")
    assert kept(said + echo, 5.8) == kept(said, 5.8) == " ".join(_split(said)[0])


def test_a_restart_of_the_first_words_is_cut_without_a_full_stop():
    assert kept("March@0.00 3rd@2.26 March@2.26 3rd@2.26", 2.95) == "March 3rd"
    assert kept("A@0.00 cold@1.98 in@2.32 beef@2.42 ham@2.70 and@2.92 a@3.20 cold@3.20 in@3.20 "
                "beef@3.20 Ham@3.20 and@3.20 a@3.20 cold@3.40", 3.43) == "A cold in beef ham and"


def test_three_empty_words_are_an_echo_even_without_a_sentence_or_a_restart():
    assert kept("I@0.00 want@2.00 to@2.30 pay@2.60 the@2.90 bill@2.90 now@2.90 please@2.90",
                3.0) == "I want to pay"


def test_words_squeezed_together_inside_real_speech_stay():
    for aligned, end in [
        ("No@0.00 ,@2.28 I'm@2.56 not@2.94 good@2.94 .@3.14", 3.75),
        ("We@0.00 are@2.14 sorry@2.24 for@2.44 the@2.68 inconvenience@2.80 ,@3.60 and@3.98 "
         "a@4.12 Lord@4.24 will@4.40 get@4.62 you@4.84 right@5.04 after@5.20 I@5.40 am@5.82 "
         "applied@5.82 a@5.82 credit@6.00 of@6.28 25@6.52 dollars@7.00", 13.5),
        ("The@0.00 partial@2.06 ones@2.36 to@2.62 the@2.84 home@2.90 ,@3.12 they@3.34 "
         "arrive@3.36 on@3.58 Monday@3.80 in@4.14 the@4.32 figs@4.34 .@4.92", 4.97),
    ]:
        assert kept(aligned, end) == " ".join(_split(aligned)[0])


def test_a_short_last_sentence_after_words_that_hold_audio_stays():
    # "Bye" keeps the VAD's tail; it follows a word with audio, so it is no run of its own.
    aligned = "Thank@0.00 you@2.10 .@2.40 Bye@2.40 .@2.45"
    assert kept(aligned, 2.9) == " ".join(_split(aligned)[0])


def test_a_first_word_without_voice_is_judged_too():
    # "$40. $40.": the first "$40." holds only the pre-roll, the second the voice.
    aligned = "$40@0.00 .@2.50 $40@2.50 .@2.90"
    assert kept(aligned, 3.0) == " ".join(_split(aligned)[0])
    assert kept(aligned, 3.0, first_unheard=True) == "$40 ."


def test_the_first_word_is_never_dropped():
    assert kept("It's@0.00 421@2.20 .@2.90", 3.0, first_unheard=True) == "It's 421 ."
    assert kept("Hello@0.00 ?@2.00 Hello@2.00 Hello@2.00 Hello@2.00", 2.01,
                first_unheard=True) == "Hello ?"
    for one in ("Hello@0.00 ?@2.20", "?@0.00", ""):
        assert unheard_start(*_split(one), 3.0, True) is None


def test_voiced_seconds_counts_the_frames_near_the_loudest():
    rate = 16000
    t = np.arange(int(0.5 * rate)) / rate
    voice = 0.3 * np.sin(2 * np.pi * 200 * t)
    hiss = 0.003 * np.random.default_rng(1).standard_normal(2 * rate)  # 40 dB under the voice
    audio = np.concatenate([hiss, voice, np.zeros(rate // 2)]).astype(np.float32)
    assert voiced_seconds(audio, 2.0) == 0.0
    assert abs(voiced_seconds(audio, 2.2) - 0.2) < 0.021
    assert abs(voiced_seconds(audio, 10.0) - 0.5) < 0.021
    assert voiced_seconds(np.zeros(100, np.float32), 1.0) == 0.0


def test_word_starts_from_the_alignment_path():
    # (token index, 20 ms encoder frame) along the path; a token starts where it first appears.
    path = [(0, 0), (0, 1), (1, 100), (1, 101), (2, 110), (3, 120), (4, 130)]
    assert word_starts(path, [1, 2, 1]) == [0.0, 2.0, 2.4]
    assert word_starts(path[:2], [1, 1]) == [0.0, 0.0]  # a short path: the last start repeats
    assert word_starts([], [2]) == [0.0]


def test_finals_and_partials_drop_unheard_words_by_default():
    opts = options_from_settings(AsrSettings())
    assert DecodeOptions().drop_unheard
    assert opts.final_decode.drop_unheard and opts.partial_decode.drop_unheard


@pytest.mark.parametrize("first, longer, kept", [
    # read further: the same words, then the sentence the first decode left out
    ("Northwind Mobile, Wilfred speaking.", "Northwind Mobile, Wilfred speaking. Call Hero "
     "recorded", True),
    # run on past the speech instead: other words, a restart, a loop, too little more
    ("$40.", "14 Northern 14 Northern", False),
    ("Yes, please.", "Yes, please. Yes, clean, thank you.", False),
    ("Thanks.", "Thanks. Thanks. Thanks. Thanks.", False),
    ("Okay, goodbye.", "Okay, goodbye. Bye.", False),
])
def test_a_decode_read_further_is_kept_only_when_it_continues(first, longer, kept):
    from copilot.asr.whisper_engine import _continues

    assert _continues(first, longer) is kept
