"""`copilot bench asr` scoring: each run against what it should output. The live run redacts by
design, so its reference is redacted like a live call; the offline run and the peers do not."""

from __future__ import annotations

from copilot.audio.channels import ChannelMap
from copilot.bench.asr_bench import _score_wer, redact_like_live
from copilot.bench.references import Reference, Turn
from copilot.events import Caption

CARD_WORDS = "four one one one, one one one one, one one one one, one one one one"


def _ref() -> Reference:
    return Reference([
        Turn("agent", 0.0, 2.0, "Can I help?"),
        Turn("customer", 3.0, 6.0, "Should I give you my card number?"),
        Turn("customer", 7.0, 12.0, f"It's {CARD_WORDS}. Thanks."),
    ])


def _cap(channel: str, start: float, text: str) -> Caption:
    return Caption(id=f"c{start}", final=True, channel=channel, start=start, end=start + 1,
                   at=start + 1, lang="en", text=text)


def _heard(agent: str = "Can I help?", card: str = CARD_WORDS, mono: bool = False) -> list:
    """The reference call as a recogniser returned it, with these words changed."""
    agent_ch, customer_ch = ("mono", "mono") if mono else ("agent", "customer")
    return [_cap(agent_ch, 0.0, agent),
            _cap(customer_ch, 3.0, "Should I give you my card number?"),
            _cap(customer_ch, 7.0, f"It's {card}. Thanks.")]


def test_a_card_number_said_in_words_is_redacted_across_captions() -> None:
    # The number is split over two captions, as a live caller's pause splits it.
    out = redact_like_live([("customer", 1.0, "My card is four one one one one one one one"),
                            ("customer", 2.0, "one one one one one one one one.")])
    assert out == {"customer": "My card is [card number] [card ending 1111]."}


def test_redacted_live_text_scores_like_the_reference_said_in_full() -> None:
    cmap = ChannelMap("stereo")
    live_raw = _heard()
    # What the live pipeline shows: the card number masked, all else the same words.
    shown = [_cap(c.channel, c.start, redact_like_live([(c.channel, c.end, c.text)])[c.channel])
             for c in live_raw]
    assert "[card ending 1111]" in shown[2].text
    live = _score_wer(_ref(), shown, cmap, redacted=True)
    offline = _score_wer(_ref(), live_raw, cmap)  # unredacted, against the script as it is
    assert live["customer"].errors == 0 and offline["customer"].errors == 0
    assert live["agent"].errors == 0
    # Neither is let off the other's form: redacted text against the plain script costs words.
    assert _score_wer(_ref(), shown, cmap)["customer"].errors > 0
    assert _score_wer(_ref(), live_raw, cmap, redacted=True)["customer"].errors > 0


def test_a_misheard_card_number_still_costs_words() -> None:
    cmap = ChannelMap("stereo")
    # 19 digits, live: not a valid card, so masked as a bare card number, losing the last four.
    heard = _heard(card="[card number]")
    scores = _score_wer(_ref(), heard, cmap, redacted=True)
    assert scores["customer"].errors > 0
    assert scores["agent"].errors == 0


def test_other_words_are_scored_unchanged() -> None:
    cmap = ChannelMap("stereo")
    heard = _heard(agent="Can I yelp?")
    scores = _score_wer(_ref(), heard, cmap)
    assert (scores["agent"].errors, scores["agent"].ref_words) == (1, 3)
    assert scores["customer"].errors == 0


def test_a_cue_on_one_channel_masks_the_other_as_in_a_live_call() -> None:
    # The agent asks for the security code; the customer's digits are masked live, so the
    # reference must be too, or a perfect transcript would be charged for the redaction.
    cmap = ChannelMap("stereo")
    ref = Reference([Turn("agent", 0.0, 2.0, "What is the security code on the back?"),
                     Turn("customer", 3.0, 5.0, "Sure, it is 737.")])
    shown = [_cap("agent", 0.0, "What is the security code on the back?"),
             _cap("customer", 3.0, "Sure, it is [security code].")]
    scores = _score_wer(ref, shown, cmap, redacted=True)
    assert scores["customer"].errors == 0 and scores["agent"].errors == 0
    # Each channel redacted on its own would have kept "737" (6 words) in the reference.
    assert scores["customer"].ref_words == 5


def test_mono_scores_every_turn_as_one_speaker() -> None:
    cmap = ChannelMap("mono")
    heard = _heard(mono=True)
    scores = _score_wer(_ref(), heard, cmap)
    assert set(scores) == {"mono"} and scores["mono"].errors == 0
