"""The guards that catch a Whisper decode looping on short or hard input (no model needed)."""

from copilot.asr.decode_guards import compression_ratio, cut_loop, looks_looped


def test_ordinary_sentences_are_not_loops():
    for text in ["How long will it take to get my money back?",
                 "Thank you for calling Northwind Mobile, my name is Sam.",
                 "no no", "Est-ce qu'il y a des frais si je résilie maintenant ?", "",
                 # said twice, then carried on: speech, not a loop
                 "I want to cancel, I want to cancel my order.",
                 # numbers repeat by nature
                 "The account number is 4 4 4 4 1 2 3 4.",
                 "My number is five five five, five five five, five five five"]:
        assert not looks_looped(text), text
        assert cut_loop(text) == text


def test_repeated_words_and_echoed_beginnings_are_loops():
    assert looks_looped("time time time time time time time time")
    assert looks_looped("Let me see what we have. Let me see, what we have! Let me see...")
    assert looks_looped("and so my fellow Americans. And so, my")
    assert looks_looped("It's 4111, 1111, It's 4111, 1111, It's 4111")


def test_cut_keeps_what_came_before_the_repetition():
    assert cut_loop("and so my fellow Americans. And so, my") == "and so my fellow Americans."
    assert cut_loop("Let me see what we have. Let me see, what we have! Let me see... What we "
                    "have!") == "Let me see what we have."
    assert cut_loop("Yes please. I want the refund I want the refund I want") == \
        "Yes please. I want the refund"


def test_compression_ratio_flags_repetition():
    assert compression_ratio("la " * 60) > 2.4
    assert compression_ratio("How long will it take to get my money back?") < 2.4
