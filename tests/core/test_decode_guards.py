"""The guards that catch a Whisper decode looping on short or hard input (no model needed)."""

from copilot.asr.decode_guards import compression_ratio, cut_digit_loop, cut_loop, looks_looped


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


def test_digits_said_again_faster_than_anyone_reads_are_cut():
    # a PIN read in 1.9 s (3.4 s of audio), as Whisper base wrote it (heldout51 az09)
    assert cut_digit_loop("5502 5502 550 2 5502 550", 3.43) == "5502"
    assert cut_digit_loop("It's 12, 12, 12, 12, 12.", 1.0) == "It's 12"


def test_digits_at_a_speed_people_read_are_left_alone():
    # the same text over a time it could take to say
    assert cut_digit_loop("5502 5502 550 2 5502 550", 4.0) == "5502 5502 550 2 5502 550"
    # a card read at a speed people read, or faster, its groups of one digit repeating
    assert cut_digit_loop("4111 1111 1111 1111", 4.0) == "4111 1111 1111 1111"
    assert cut_digit_loop("4111 1111 1111 1111", 2.0) == "4111 1111 1111 1111"
    # many digits, said in few words, repeating nothing
    assert cut_digit_loop("$1,000,000 and $2,000,000", 1.0) == "$1,000,000 and $2,000,000"
    # a group said only twice, and single digits
    assert cut_digit_loop("552 552", 0.5) == "552 552"
    assert cut_digit_loop("4 4 4 4 4 4 4 4 4 4", 1.0) == "4 4 4 4 4 4 4 4 4 4"
    assert cut_digit_loop("", 0.0) == ""
