"""`copilot bench asr`'s two counts on hand-made captions: echoes (captions that repeat what was
not said, copilot/bench/echoes.py, aligned to reference turns by asr_bench.score_echoes) and the
card digits a live run showed (asr_bench.count_leaks with a call's NAME.expect.json)."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

from copilot.audio.channels import ChannelMap
from copilot.bench import echoes
from copilot.bench.asr_bench import count_leaks, score_echoes
from copilot.bench.echoes import collapse_placeholders, ngram_size, repeated_unsaid
from copilot.bench.references import (
    KnownSecrets,
    Reference,
    ReferenceNotFound,
    Turn,
    find_secrets,
)
from copilot.events import Caption

STEREO, MONO = ChannelMap("stereo"), ChannelMap("mono")
CARDS_DIR = Path(__file__).resolve().parents[1] / "data" / "calls" / "cards"


def cap(channel: str, start: float, end: float, text: str, *, final: bool = True,
        amended: bool = False, id: str = "") -> Caption:
    return Caption(id=id or f"c{start}", final=final, channel=channel, start=start, end=end,
                   at=end + 0.3, lang="en", text=text, amended=amended)


# ---- the detector -----------------------------------------------------------------------------

def test_a_short_answer_said_once_and_shown_twice_is_an_echo():
    assert repeated_unsaid("Yes, please.", "Yes, clean. Yes, clean!") == [("yes",), ("clean",)]
    assert repeated_unsaid("Forty dollars.", "$40. $40.") == [("40",)]


def test_a_longer_sentence_is_judged_by_word_pairs():
    said = "It was about six hundred dollars. Can I get a refund now?"
    shown = "It was about $600. Can I get a different refunded now, it was about $400."
    assert repeated_unsaid(said, shown) == [("it", "was"), ("was", "about")]
    # A single word coming back in a longer sentence is not an echo; nor is a misheard word.
    assert not repeated_unsaid("Let me check the roaming options for the trip.",
                               "Let me catch the rolling options for the trip.")


def test_what_was_said_twice_may_be_shown_twice():
    assert not repeated_unsaid("Hello? Hello?", "Hello? Hello?")
    assert repeated_unsaid("Hello? Hello?", "Hello? Hello? Hello?") == [("hello",)]


def test_case_and_punctuation_do_not_matter():
    assert repeated_unsaid("thank you", "Thank you. THANK YOU!") == [("thank",), ("you",)]
    assert not repeated_unsaid("It's four four four.", "It's 444.")


def test_the_ngram_size_can_follow_the_words_as_said():
    assert ngram_size("Five four two five, two three three four,") == 2
    assert ngram_size("Forty dollars.") == 1
    # Rewritten, the card is one word; as said it is eight: pairs, so one placeholder per
    # caption of a turn cut in two is not an echo.
    assert repeated_unsaid("54252334", "ph_card_number ph_card_number")
    assert not repeated_unsaid("54252334", "ph_card_number ph_card_number", 2)


def test_placeholders_are_one_word_each():
    assert collapse_placeholders("It's [card ending 9903], thanks") == \
        "It's ph_card_ending_9903, thanks"
    assert collapse_placeholders("no placeholder [") == "no placeholder ["


def test_the_detector_uses_the_standard_library_only():
    tree = ast.parse(Path(echoes.__file__).read_text())
    imported = {n.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import)
                for n in node.names}
    imported |= {node.module.split(".")[0] for node in ast.walk(tree)
                 if isinstance(node, ast.ImportFrom) and node.module}
    assert imported <= {"__future__", "re", "collections"}


# ---- echoes of a run: captions aligned to reference turns --------------------------------------

def _ref(*turns: Turn, timed: bool = True) -> Reference:
    return Reference(list(turns), timed=timed)


CALL = _ref(Turn("agent", 0.0, 2.0, "How can I help?"),
            Turn("customer", 3.0, 6.0, "It was about six hundred dollars, can I get a refund?"),
            Turn("agent", 7.0, 9.0, "Sure."),
            Turn("customer", 10.0, 14.0, "Four two four two, four two four two, four two four "
                                         "two, four two four two."))


def test_an_echo_is_counted_for_its_turn_and_channel():
    finals = [cap("agent", 0.0, 2.0, "How can I help?"),
              cap("customer", 3.0, 6.2, "It was about $600, can I get a refund? It was about "
                                        "$400."),
              cap("agent", 7.0, 9.0, "Sure. Sure."),
              cap("customer", 10.0, 14.0, "4242 4242 4242 4242.")]
    found = score_echoes(CALL, finals, STEREO)
    assert found == [
        {"channel": "customer", "turn_start": 3.0, "repeats": ["it was", "was about"]},
        {"channel": "agent", "turn_start": 7.0, "repeats": ["sure"]}]


def test_numbers_written_as_digits_are_not_echoes_of_the_words_said():
    # "4242 4242 ..." repeats the word pair ("4242", "4242"), but the number was said once.
    assert score_echoes(CALL, [cap("customer", 10.0, 14.0, "4242 4242 4242 4242.")],
                        STEREO) == []
    # Said once, shown twice: an invented number is an echo.
    ref = _ref(Turn("customer", 0.0, 2.0, "Forty dollars."))
    assert len(score_echoes(ref, [cap("customer", 0.0, 2.0, "$40. $40.")], STEREO)) == 1


def test_a_turn_cut_in_two_is_joined_before_the_check():
    # The live pipeline cut the turn at a pause, and the second caption says the first again.
    finals = [cap("customer", 3.0, 4.5, "It was about $600,"),
              cap("customer", 4.6, 6.0, "it was about $600, can I get a refund?")]
    assert len(score_echoes(CALL, finals, STEREO)) == 1
    # A peer commits one word per caption: joined, its echo is seen as well.
    words = "How can I help? How can I".split()
    peer = [cap("agent", 0.2 * i, 0.2 * i + 0.2, w) for i, w in enumerate(words)]
    assert score_echoes(CALL, peer, STEREO)[0]["repeats"] == ["how can", "can i"]


def test_a_card_read_in_two_captions_redacted_twice_is_not_an_echo():
    finals = [cap("customer", 10.0, 11.8, "[card number],"),
              cap("customer", 12.0, 14.0, "[card ending 4242].")]
    assert score_echoes(CALL, finals, STEREO) == []
    both = [cap("customer", 10.0, 11.8, "[card number]"), cap("customer", 12.0, 14.0,
                                                                "[card number]")]
    assert score_echoes(CALL, both, STEREO) == []
    # The same words around a placeholder twice are an echo.
    twice = [cap("customer", 10.0, 14.0, "It's [card ending 4242]. It's [card ending 4242].")]
    assert score_echoes(CALL, twice, STEREO)[0]["repeats"] == ["it's ph_card_ending_4242"]


def test_captions_off_every_turn_and_empty_finals_are_not_judged():
    finals = [cap("customer", 20.0, 22.0, "Thank you. Thank you."),  # no turn there
              cap("agent", 7.0, 9.0, ""),
              cap("agent", 3.0, 6.0, "Sure. Sure.")]  # the agent said nothing then
    assert score_echoes(CALL, finals, STEREO) == []


def test_a_mono_run_is_aligned_with_every_speaker_s_turns():
    finals = [cap("mono", 0.0, 2.0, "How can I help? How can I help?"),
              cap("mono", 7.0, 9.0, "Sure.")]
    assert [e["turn_start"] for e in score_echoes(CALL, finals, MONO)] == [0.0]


def test_without_turn_times_echoes_are_not_counted():
    ref = _ref(Turn("agent", 0.0, 5.0, "Hello there."), timed=False)
    assert score_echoes(ref, [cap("agent", 0.0, 5.0, "Hello there. Hello there.")],
                        STEREO) is None


# ---- card digits shown -------------------------------------------------------------------------

KNOWN = KnownSecrets(("5425233430109903",), ("402",))


def test_every_caption_shown_is_checked_partial_final_and_amended():
    captions = [
        cap("customer", 11.0, 12.0, "Five four two five", final=False, id="u1"),  # 4 digits
        cap("customer", 11.0, 14.0, "[card number],", id="u1"),
        cap("customer", 16.0, 18.5, "3010 [card ending 9903].", id="u2"),  # "3010": a leak
        cap("customer", 16.0, 18.5, "[card ending 9903].", id="u2", amended=True),
        cap("customer", 21.7, 23.9, "The CVV is 402.", final=False, id="u3"),
        cap("customer", 21.7, 23.9, "The CVV is [security code].", id="u3"),
        cap("agent", 24.6, 27.7, "Thank you, the card ending 9903 is charged.", id="u4"),
    ]
    found = count_leaks(captions, KNOWN)
    assert [(leak.kind, leak.shown) for leak in found] == [
        ("card", "5425"), ("card", "3010"), ("secret", "402")]
    assert count_leaks(captions[1:2] + captions[3:4] + captions[5:], KNOWN) == []


def test_leaks_are_not_counted_when_the_secrets_are_unknown():
    assert count_leaks([cap("customer", 0.0, 1.0, "5425 2334 3010 9903")], None) is None


def test_the_secrets_beside_a_call_are_found(tmp_path):
    known = find_secrets(CARDS_DIR / "02_two_breaths_mastercard.flac")
    assert known == KnownSecrets(("5425233430109903",), ("402",), known.source)
    assert known.source.endswith("02_two_breaths_mastercard.expect.json")
    assert find_secrets(tmp_path / "call.wav") is None
    (tmp_path / "bad.expect.json").write_text(json.dumps({"cards": "4111111111111111"}))
    with pytest.raises(ReferenceNotFound, match="bad.expect.json"):
        find_secrets(tmp_path / "bad.flac")
    (tmp_path / "broken.expect.json").write_text("{")
    with pytest.raises(ReferenceNotFound):
        find_secrets(tmp_path / "broken.flac")
