from copilot.asr.language import LanguageTracker


def test_fixed_language_wins():
    t = LanguageTracker("fr")
    t.observe({"en": 0.99}, 10)
    assert t.language == "fr"


def test_evidence_settles_and_outvotes_a_misjudged_utterance():
    t = LanguageTracker(settle_after=10)
    assert t.language is None
    t.observe({"fr": 0.9}, 4.0)
    t.observe({"zh": 0.6}, 2.0)  # one short utterance misjudged
    assert t.language is None
    assert t.prior()["fr"] > t.prior()["zh"]
    t.observe({"fr": 0.8}, 5.0)
    t.observe({"fr": 0.9}, 4.0)
    assert t.language == "fr"


def test_very_short_utterances_are_not_evidence():
    t = LanguageTracker(settle_after=1)
    t.observe({"de": 1.0}, 0.5)
    assert t.evidence == {}


def test_evidence_comes_from_the_raw_distribution_not_the_winner():
    t = LanguageTracker(settle_after=10)
    t.observe({"la": 0.6, "fr": 0.4}, 3.0)  # one misjudged utterance
    for _ in range(3):
        t.observe({"fr": 0.6, "la": 0.3}, 3.0)
    assert max(t.evidence, key=t.evidence.get) == "fr"
