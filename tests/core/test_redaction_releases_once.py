"""Every final caption given to the redactor comes out exactly once (pushed, held then released by
a tick, or flushed at the end), whatever numbers are asked for and read around it. A caption
released twice was shown and stored twice: a caller's account number and PIN appeared two times
in the transcript when the agent's next line came while it was still the context of later digits.
"""

from __future__ import annotations

from collections import Counter

import pytest

from copilot.privacy.redaction import Redactor

# (channel, text, when the caption ended), as calls had them (heldout44 through the recognizer)
CALLS = {
    "agent digits, then another kind of number asked for": [
        ("agent", "Hello, Northwind Mobile. My name is Tomasz.", 5.9),
        ("customer", "Hi, the bill for our robots went up a lot.", 9.8),
        ("agent", "Yes, I see on this number 42 text in other ones this month. It makes $8.40",
         15.8),
        ("customer", "That's the robot texting its maker when something jams.", 19.4),
        ("agent", "I understand, for security. You tell me the account number in PIN?", 24.3),
        ("customer", "1-2-8-550, DIN6417.", 29.0),
        ("agent", "Thank you. I can add your text bundle, $2 in month and give back the 840", 34.9),
    ],
    "held digits released by the clock, then more digits": [
        ("agent", "Account number, then PIN.", 13.9),
        ("customer", "Account number 244 809 PIN 1337", 19.1),
        ("agent", "Thanks, USIM activated on that number Monday. Ending 441", 24.2),
        ("customer", "We did order a new SIM last week, but it was for a different phone.", 28.5),
        ("agent", "Right, wrong line. I'll switch it back in two minutes.", 33.5),
    ],
    "a card read over captions, then an order number asked for": [
        ("customer", "My card is 4111 1111", 10.0),
        ("customer", "1111 1111", 12.0),
        ("agent", "Thanks. And what's the order number on the email?", 14.0),
        ("customer", "It's 5512 3348", 17.0),
        ("agent", "Got it, order 5512 3348 is on its way.", 20.0),
    ],
}


def _released(lines: list[tuple[str, str, float]], tick_every: float = 0.5) -> Counter:
    red = Redactor()
    out: Counter = Counter()
    clock = 0.0
    for n, (channel, text, at) in enumerate(lines, 1):
        while clock + tick_every < at:  # the session's writer ticks while nothing is said
            clock += tick_every
            out.update(key for _ch, key, _r in red.tick(clock))
        clock = at
        out.update(key for key, _r in red.push_final(channel, f"c{n}", text, now=at))
    out.update(key for _ch, key, _r in red.flush())
    return out


@pytest.mark.parametrize("name", sorted(CALLS))
def test_each_caption_comes_out_once(name: str) -> None:
    released = _released(CALLS[name])
    assert released == Counter({f"c{n}": 1 for n in range(1, len(CALLS[name]) + 1)})


def test_the_context_is_not_released_again_when_another_number_is_asked_for() -> None:
    red = Redactor()
    assert [k for k, _ in red.push_final(
        "agent", "a", "I see 42 texts on this number this month. It makes $8.40", 15.8)] == ["a"]
    assert [k for k, _ in red.push_final(
        "agent", "b", "For security, tell me the account number and PIN.", 20.0)] == ["b"]
