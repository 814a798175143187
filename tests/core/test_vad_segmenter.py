"""The utterance segmenter's state machine, fed made-up probabilities (no model)."""

import numpy as np

from copilot.asr.vad import WINDOW, SegmenterOptions, UtteranceSegmenter

W = WINDOW / 16000


def windows(*runs: tuple[float, float]) -> np.ndarray:
    """runs of (probability, seconds)."""
    return np.concatenate([np.full(round(s / W), p, np.float32) for p, s in runs])


def bounds(events):
    """The start and end events (pauses announced before an end left out)."""
    return [e for e in events if e.kind != "pause"]


def test_one_utterance_with_padding_and_end_after_silence():
    seg = UtteranceSegmenter(SegmenterOptions(pad_before=0.3, pad_after=0.1, min_silence=0.4))
    ev = bounds(seg.push(windows((0.0, 2.0), (0.9, 1.5), (0.0, 1.0)), 0.0))
    assert [e.kind for e in ev] == ["start", "end"]
    assert abs(ev[0].time - 1.7) < 0.05  # 2.0 - pad_before
    assert abs(ev[1].time - 3.6) < 0.05  # end of voice + pad_after
    assert not seg.in_speech


def test_short_bursts_are_not_utterances():
    seg = UtteranceSegmenter(SegmenterOptions(min_speech=0.25))
    ev = seg.push(windows((0.0, 1.0), (0.9, 0.1), (0.0, 1.0), (0.9, 0.1), (0.0, 1.0)), 0.0)
    assert ev == []


def test_a_short_word_dipping_under_the_onset_bar_is_an_utterance():
    """"Bye." on a phone line (a call of the checklist sets): Silero scored it 0.32, 0.27, 0.33,
    0.39, 0.43, 0.24, never a quarter second above 0.3 in one run."""
    seg = UtteranceSegmenter(SegmenterOptions(threshold=0.3, neg_threshold=0.15, min_speech=0.25))
    word = np.array([0.32, 0.27, 0.33, 0.39, 0.43, 0.24, 0.28, 0.2, 0.3], np.float32)
    ev = bounds(seg.push(np.concatenate([windows((0.0, 1.0)), word, windows((0.0, 1.0))]), 0.0))
    assert [e.kind for e in ev] == ["start", "end"]
    # a dip under the hysteresis bar still breaks the run: two clicks are no word
    seg = UtteranceSegmenter(SegmenterOptions(threshold=0.3, neg_threshold=0.15, min_speech=0.25))
    clicks = np.array([0.35, 0.4, 0.35, 0.1, 0.35, 0.4, 0.35], np.float32)
    assert seg.push(np.concatenate([windows((0.0, 1.0)), clicks, windows((0.0, 1.0))]), 0.0) == []


def test_short_pause_does_not_end_and_hysteresis_holds():
    seg = UtteranceSegmenter(SegmenterOptions(min_silence=0.4, threshold=0.5, neg_threshold=0.2))
    # 0.3 s pause is shorter than min_silence; 0.3 probability is above neg_threshold
    ev = bounds(seg.push(windows((0.9, 1.0), (0.0, 0.3), (0.9, 1.0), (0.3, 1.0), (0.0, 0.6)),
                         0.0))
    assert [e.kind for e in ev] == ["start", "end"]
    assert ev[1].time > 3.2


def test_long_monologue_is_cut():
    seg = UtteranceSegmenter(SegmenterOptions(max_utterance=5.0, threshold=0.5))
    probs = np.tile(windows((0.9, 0.5), (0.4, 0.1)), 20)  # 12 s of speech, dips below threshold
    ev = seg.push(probs, 0.0)
    assert [e.kind for e in ev][:2] == ["start", "end"]
    assert ev[1].time - ev[0].time <= 5.7


def test_next_utterance_never_reaches_into_the_previous_one():
    seg = UtteranceSegmenter(SegmenterOptions(pad_before=1.0, min_silence=0.4))
    ev = bounds(seg.push(windows((0.9, 1.0), (0.0, 0.5), (0.9, 1.0), (0.0, 0.6)), 0.0))
    assert [e.kind for e in ev] == ["start", "end", "start", "end"]
    assert ev[2].time >= ev[1].time


def test_force_end_closes_open_speech():
    seg = UtteranceSegmenter()
    seg.push(windows((0.9, 1.0)), 0.0)
    assert seg.in_speech
    ev = seg.force_end(1.0)
    assert [e.kind for e in ev] == ["end"] and ev[0].time <= 1.0


def test_unbroken_speech_is_cut_before_whisper_window_ends():
    seg = UtteranceSegmenter(SegmenterOptions(max_utterance=15.0))
    ev = seg.push(windows((0.95, 70.0)), 0.0)
    starts = [e.time for e in ev if e.kind == "start"]
    ends = [e.time for e in ev if e.kind == "end"]
    assert len(ends) >= 2
    assert all(e - s <= 28.5 for s, e in zip(starts, ends, strict=False))


def test_a_pause_is_announced_before_it_ends_the_utterance_with_the_same_end():
    seg = UtteranceSegmenter(SegmenterOptions(min_silence=0.4, early_end=0.15, pad_after=0.1))
    ev = seg.push(windows((0.9, 1.0), (0.0, 1.0)), 0.0)
    assert [e.kind for e in ev] == ["start", "pause", "end"]
    assert ev[1].time == ev[2].time  # the end the final will have: decode it meanwhile
    # The pause is announced once the silence reaches min_silence - early_end, not before.
    live = UtteranceSegmenter(SegmenterOptions(min_silence=0.4, early_end=0.15))
    assert [e.kind for e in live.push(windows((0.9, 1.0), (0.0, 0.2)), 0.0)] == ["start"]
    assert [e.kind for e in live.push(windows((0.0, 0.1)), 1.2)] == ["pause"]


def test_a_voice_that_comes_back_after_an_announced_pause_gets_a_new_one():
    seg = UtteranceSegmenter(SegmenterOptions(min_silence=0.4, early_end=0.15))
    ev = seg.push(windows((0.9, 1.0), (0.0, 0.3), (0.9, 1.0), (0.0, 1.0)), 0.0)
    assert [e.kind for e in ev] == ["start", "pause", "pause", "end"]
    assert ev[1].time < ev[2].time == ev[3].time
    quiet = UtteranceSegmenter(SegmenterOptions(early_end=0.0))
    assert "pause" not in [e.kind for e in quiet.push(windows((0.9, 1.0), (0.0, 1.0)), 0.0)]


def test_a_one_word_turn_rising_through_the_hysteresis_band_is_an_utterance():
    """"PIN?" on a phone line (blind call sets 61 and 62): Silero scored it 0.14, 0.24, then
    0.38 ... 0.35, 0.12: seven windows above the onset bar's run, 0.22 s, under min_speech; the
    window just before, above the hysteresis bar only, completes it (reach_back)."""
    pin = np.array([0.14, 0.24, 0.38, 0.43, 0.36, 0.33, 0.42, 0.44, 0.35, 0.12, 0.1], np.float32)
    seg = UtteranceSegmenter(SegmenterOptions(threshold=0.3, neg_threshold=0.15, min_speech=0.25))
    ev = bounds(seg.push(np.concatenate([windows((0.0, 1.0)), pin, windows((0.0, 1.0))]), 0.0))
    assert [e.kind for e in ev] == ["start", "end"]
    assert abs(ev[0].onset - (1.0 + W)) < 0.01  # the voice heard from the 0.24 window
    # without the reach back the same word is lost
    seg = UtteranceSegmenter(SegmenterOptions(threshold=0.3, neg_threshold=0.15, min_speech=0.25,
                                              reach_back=0.0))
    assert seg.push(np.concatenate([windows((0.0, 1.0)), pin, windows((0.0, 1.0))]), 0.0) == []
    # and a long hum in the band before a click reaches back no further than reach_back
    hum_click = np.concatenate([np.full(30, 0.2, np.float32), np.array([0.4, 0.4], np.float32)])
    seg = UtteranceSegmenter(SegmenterOptions(threshold=0.3, neg_threshold=0.15, min_speech=0.25,
                                              reach_back=0.1))
    assert seg.push(np.concatenate([windows((0.0, 1.0)), hum_click, windows((0.0, 1.0))]),
                    0.0) == []
