"""Cards an adversarial probe of the redactor got past it (BENCHMARKS.md, stop 44), each judged
by the independent leak checker (copilot/bench/card_leaks.py), not by the redactor itself: a
homophone for a digit ("for 012 ..."), groups read apart by words ("the next 8888"), a false
start before the card, a held number the caller did not go on with, and the rest of a card read
after a long pause."""

from __future__ import annotations

import pytest

from copilot.bench.card_leaks import leaks
from copilot.privacy import Redactor

VISA = "4012888888881881"
MC = "5555555555554444"
AMEX = "378282246310005"
DISCOVER = "6011000990139424"
JCB = "3530111333300000"


def finals(events: list[tuple[float, str, str]], hold: float = 4.0) -> dict[int, str]:
    """Feed (time, channel, text) finals as a call does (ticks every 0.5 s, amendments taken,
    flush at the end); return each caption's text as finally stored."""
    red = Redactor(hold_seconds=hold)
    stored: dict[int, str] = {}
    t = 0.0
    end = (events[-1][0] if events else 0.0) + hold + 1.0
    pending = list(enumerate(events))
    while t <= end:
        while pending and pending[0][1][0] <= t:
            key, (_, channel, text) = pending.pop(0)
            stored.update((k, r.text) for k, r in red.push_final(channel, key, text, now=t))
        stored.update((k, r.text) for _, k, r in red.tick(now=t))
        stored.update((k, r.text) for _, k, r in red.take_amendments())
        t += 0.5
    stored.update((k, r.text) for _, k, r in red.flush())
    assert sorted(stored) == list(range(len(events)))
    return stored


def assert_no_leak(texts, cards) -> None:
    found = leaks(list(texts), cards, [])
    assert not found, found


@pytest.mark.parametrize(("text", "card"), [
    # a homophone leading the number, inside it, after a filler, several of them
    ("It's for 012 8888 8888 1881.", VISA),
    ("Sure. For 012 8888 8888 1881.", VISA),
    ("It's 5555 5555 5555 for 444.", MC),
    ("five five five five, um, five five five five, um, five five five five, um, for four four "
     "four", MC),
    ("4012 ate 888 8888 1881", VISA),
    ("It's for 012, ate 888, ate 888, 1881.", VISA),
    ("It's 3782; ate 22463; 10005", AMEX),
    # groups read apart by words, or a false start just before the card
    ("The first four are 4012, the next 8888, then 8888, then 1881.", VISA),
    ("4012, got it? 8888, 8888, 1881", VISA),
    ("first 4012 second 8888 third 8888 fourth 1881", VISA),
    ("4012 followed by 8888 8888 1881", VISA),
    ("4012 8888, no sorry, 4012 8888 8888 1881.", VISA),
    ("6011 0009 9013, no, 6011 0009 9013 9424.", DISCOVER),
    # a false start joined to the card by words the number reader passes over ("sorry", "wait")
    ("It's 4012 8888, sorry, 4012 8888 8888 1881.", VISA),
    ("4012 88, sorry, 4012 8888 8888 1881", VISA),
    ("six oh one one, wait, six oh one one zero zero zero nine nine zero one three nine four "
     "two four", DISCOVER),
    ("3782 8224, hold on, 3782 822463 10005", AMEX),
    # a false start further back, a group read again after the card, a group as a number
    ("4012 8888, wait no, I think I'm reading it wrong, 4012 8888 8888 1881.", VISA),
    ("4012 8888 8888 1881, that's 4012 8888 at the start.", VISA),
    ("four thousand twelve, eight eight eight eight, eight eight eight eight, eighteen "
     "eighty-one", VISA),
])
def test_a_card_in_one_caption_never_shows_more_than_its_last_four(text: str, card: str) -> None:
    stored = finals([(0.0, "customer", text)])
    assert_no_leak(stored.values(), [card])
    assert_no_leak([Redactor().redact(text).text, Redactor().redact(text, final=True).text],
                   [card])


@pytest.mark.parametrize("events", [
    # held for a number the caller did not go on with, then read on
    [(0.0, "customer", "It's 4012 8888"), (1.0, "customer", "Hang on."),
     (2.0, "customer", "8888 1881.")],
    [(0.0, "customer", "4012 8888 8888"), (1.0, "customer", "Wait, wrong card.")],
    [(0.0, "customer", "It's 4012 8888 8888"), (1.0, "customer", "and the last four 1881.")],
    [(0.0, "customer", "3782 822463"), (1.0, "customer", "Hang on."), (3.0, "customer", "10005.")],
    # a correction over two captions
    [(0.0, "customer", "4012 8888"), (1.0, "customer", "no sorry, 4012 8888 8888 1881")],
    # the rest read after a pause longer than the redactor keeps a number in mind
    [(0.0, "customer", "4012 8888 8888"), (25.0, "customer", "1881 and that's it.")],
    # the first group, then the rest after the caller found the card (up to a minute)
    [(0.0, "customer", "Yeah it's 4012"), (0.5, "agent", "Okay, go on."),
     (40.0, "customer", "8888 8888 1881.")],
    [(0.0, "customer", "4012"), (25.0, "customer", "8888"), (50.0, "customer", "8888 1881.")],
    [(0.0, "customer", "for oh one two"),
     (30.0, "customer", "ate eight eight eight ate eight eight eight one eight eight one.")],
    # a false start far from the card, in the caption before it
    [(0.0, "customer", "4012 8888, wait no, let me start again,"),
     (1.5, "customer", "4012 8888 8888 1881.")],
    [(0.0, "customer", "3782 8224, sorry, I'm reading the wrong line, hang on,"),
     (6.0, "customer", "3782 822463 10005.")],
])
def test_a_card_read_in_pieces_never_shows_more_than_its_last_four(events) -> None:
    stored = finals(events)
    assert_no_leak(stored.values(), [VISA, AMEX])


@pytest.mark.parametrize("text", [
    # "though" for the "oh" of a zero between groups (a partial caption of the JCB e2e call,
    # which showed six of its digits under load)
    "353 though 1113 33",
    "3530 1113 3330 though, 000",
])
def test_a_card_begun_in_a_partial_shows_none_of_it(text: str) -> None:
    assert_no_leak([Redactor().redact(text).text], [JCB])
    assert_no_leak(finals([(0.0, "customer", text)]).values(), [JCB])


@pytest.mark.parametrize("text", [
    "I was waiting for 20 minutes.",
    "We're open from 9 to 5 on weekdays.",
    "It went from 120 to 150 dollars.",
    "Call me on 555 123 4567 for the delivery.",
    "My account is 123456 and the PIN 7890.",
    "Gate 104 to 108, then row 12.",
    "I paid 150 though 200 was due.",
    "It was 2019 though, not 2020.",
])
def test_numbers_with_those_words_around_them_stay(text: str) -> None:
    assert Redactor().redact(text, final=True).text == text
    assert finals([(0.0, "customer", text)])[0] == text


def test_a_number_named_before_a_card_in_the_same_breath_stays() -> None:
    # The false-start rule masks digits read right before a card; one a cue names is not one.
    text = "My account is 7429331, 4012 8888 8888 1881."
    assert Redactor().redact(text, final=True).text == "My account is 7429331, [card ending 1881]."


@pytest.mark.parametrize("events", [
    # named after it, or by where it is on the card
    [(0.0, "customer", "737 is the security code.")],
    [(0.0, "customer", "the last three on the back 737.")],
    [(0.0, "customer", "three numbers on the back, 737.")],
    # with a card read: "the back says", "the little number"
    [(0.0, "customer", "4012 8888 8888 1881, the back says 737.")],
    [(0.0, "customer", "4012 8888 8888 1881."), (2.0, "customer", "the little number is 737.")],
    [(0.0, "customer", "4012 8888 8888 1881."), (30.0, "customer", "the back says 737.")],
    # the caller turns the card over before reading it, in the same caption or the next
    [(0.0, "customer", "4012 8888 8888 1881, the CVV is, uh, hold on, let me flip it over, 737.")],
    [(0.0, "customer", "4012 8888 8888 1881."),
     (3.0, "customer", "The security code is, um, hang on, I have to turn it over, 737.")],
    [(0.0, "customer", "4012 8888 8888 1881."),
     (3.0, "customer", "The security code is, um, hang on, I have to turn it over,"),
     (6.0, "customer", "737.")],
])
def test_a_cards_code_named_after_it_or_by_its_place_is_masked(events) -> None:
    found = leaks(list(finals(events).values()), [VISA], ["737"])
    assert not found, found


def test_a_security_word_after_a_number_that_names_no_code_leaves_it() -> None:
    for text in ("Room 737 is the security office.", "Gate 104 is the security checkpoint."):
        assert finals([(0.0, "customer", text)])[0] == text


def test_a_code_looked_for_further_stops_at_another_cue_and_at_longer_numbers() -> None:
    # A security code may come up to CODE_REACH words after its cue; a cue of another kind
    # between them, or a number that far that is no code's length, keeps the number.
    for text in ("The CVV is on the back, hang on, actually my order number is 4567.",
                 "The security code is on the back of it, hang on, I moved house last year, it's "
                 "12345 now."):
        assert Redactor().redact(text, final=True).text == text


def test_a_code_looked_for_further_hides_its_first_digits_in_a_partial() -> None:
    for said in ("7", "73", "737"):
        text = "the CVV is, uh, hold on, let me flip it over, " + said
        assert Redactor().redact(text).text.endswith("[security code]")


def test_numbers_said_apart_that_could_not_begin_a_card_are_not_joined_after_20_s() -> None:
    # "2015" then a phone number whose digits make a Luhn-valid run with it: within 20 s they
    # may be taken for a card (a false mask costs a re-read); a year or a number starting with
    # 0 is not kept the minute a card's first group is (issuers' ranges)
    events = [(0.0, "customer", "We moved here in 2015"),
              (30.0, "customer", "07700 900468 is my mobile.")]
    assert finals(events) == {0: "We moved here in 2015", 1: "07700 900468 is my mobile."}
    # "four thousand" as a sum stays as said
    assert Redactor().redact("It cost four thousand pounds.", final=True).text == \
        "It cost four thousand pounds."


def test_a_cards_code_answered_after_the_caller_found_the_card_is_masked() -> None:
    stored = finals([(0.0, "customer", "4012 8888 8888 1881."),
                     (5.0, "agent", "And the security code?"),
                     (8.0, "customer", "Let me find my glasses."),
                     (30.0, "customer", "Found it, 737.")])
    found = leaks(list(stored.values()), [VISA], ["737"])
    assert not found, found
    # without a card read, the cue lasts as it did: a number long after it is no code
    stored = finals([(0.0, "agent", "What's the security code on the voucher?"),
                     (30.0, "customer", "It's room 737.")])
    assert stored[1] == "It's room 737."
