"""The LocalAgreement-2 policy, driven by a scripted fake transcriber (no model)."""

from __future__ import annotations

import numpy as np

from copilot.bench.localagreement import SAMPLE_RATE, Hypotheses, LocalAgreement, TimedWord


def words(spec: str, t0: float = 0.0, step: float = 0.5) -> list[TimedWord]:
    """' a b c' -> words 0.5 s apart starting at t0 (call clock), Whisper-style leading spaces."""
    return [TimedWord(t0 + i * step, t0 + (i + 1) * step, " " + w)
            for i, w in enumerate(spec.split())]


class Script:
    """Returns the next scripted hypothesis (call-clock times), shifted to the buffer's clock."""

    def __init__(self, hyps: list[tuple[list[TimedWord], list[float]]]) -> None:
        self.hyps = list(hyps)
        self.la: LocalAgreement | None = None
        self.prompts: list[str] = []
        self.lengths: list[float] = []

    def __call__(self, audio: np.ndarray, prompt: str):
        self.prompts.append(prompt)
        self.lengths.append(len(audio) / SAMPLE_RATE)
        ws, ends = self.hyps.pop(0)
        off = self.la.offset
        return ([TimedWord(w.start - off, w.end - off, w.text) for w in ws],
                [e - off for e in ends])


def run(hyps, trim_seconds=15.0, seconds_per_step=1.0):
    script = Script(hyps)
    la = LocalAgreement(script, trim_seconds=trim_seconds)
    script.la = la
    out = []
    for _ in range(len(hyps)):
        la.insert_audio(np.zeros(int(seconds_per_step * SAMPLE_RATE), np.float32))
        out.append("".join(w.text for w in la.step()))
    return la, script, out


def test_commits_the_prefix_two_hypotheses_agree_on():
    la, _, out = run([(words("hello"), []), (words("hello world"), []),
                      (words("hello world again"), [])])
    assert out == ["", " hello", " world"]
    assert [w.text for w in la.tail] == [" again"]
    assert [w.text for w in la.finish()] == [" again"]
    assert la.tail == []


def test_disagreement_stops_the_commit():
    la, _, out = run([(words("a b c"), []), (words("a x c"), [])])
    assert out == ["", " a"]
    assert [w.text for w in la.tail] == [" x", " c"]


def test_trims_at_a_committed_segment_and_prompts_with_what_scrolled_out():
    first = words("one two three", 0.0)  # one segment ending at 1.5
    second = words("four five", 2.0)  # a second segment, still being spoken
    hyp = (first + second, [1.5, 3.0])
    la, script, out = run([hyp, hyp, (words("four five six", 2.0), [3.5])],
                          trim_seconds=1.5)
    assert out == ["", " one two three four five", ""]
    assert [w.text for w in la.tail] == [" six"]
    # After the second pass the buffer (2 s) exceeded 1.5 s: cut at the end of "three".
    assert la.offset == 1.5
    assert script.lengths == [1.0, 2.0, 1.5]
    assert script.prompts[2] == " one two three"  # committed before the cut: the prompt


def test_repeated_committed_words_are_not_committed_twice():
    h = Hypotheses()
    h.insert(words("a b"), 0.0)
    h.confirm()
    h.insert(words("a b c"), 0.0)
    assert [w.text for w in h.confirm()] == [" a", " b"]
    # A pass whose first word starts right at the last commit repeats " b": it is dropped.
    h.insert([TimedWord(0.95, 1.0, " b")] + words("c d", 1.0), 0.0)
    assert [w.text for w in h.confirm()] == [" c"]
    assert [w.text for w in h.tail] == [" d"]


def test_words_before_the_committed_time_are_ignored():
    h = Hypotheses()
    h.insert(words("a b"), 0.0)
    h.confirm()
    h.insert(words("a b"), 0.0)
    h.confirm()  # commits a b, last_time 1.0
    h.insert(words("z", 0.2) + words("c", 1.0), 0.0)  # "z" at 0.2 is stale
    assert h.confirm() == []
    assert [w.text for w in h.tail] == [" c"]
