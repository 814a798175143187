"""A checklist's `vocabulary` (the site's words, docs/checklists.md) reaches Whisper as a prompt
for the agent's English captions only: read and validated from the file, gathered over the
checklists, handed from the assistance build to the streaming options, and never given to a
decode in another language or to the customer's or a mono channel."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pytest
from checklist_helpers import CHECKLIST, write_checklist

from copilot import paths
from copilot.asr.decode_options import DecodeOptions, vocabulary_prompt
from copilot.asr.streaming_options import StreamingOptions
from copilot.asr.whisper_engine import RETRY_PAD, WhisperEngine, _prompted, _stopped_short
from copilot.assist.checklist import ChecklistError, load_checklists
from copilot.assist.checklist.tracker import Checklists
from copilot.call.build import _stream_options
from copilot.settings import Settings


def _with_vocabulary(text: str) -> str:
    return CHECKLIST.replace('title = "Support call"', f'title = "Support call"\n{text}')


def test_a_checklist_names_its_words_and_none_by_default(tmp_path):
    (c,) = load_checklists(write_checklist(tmp_path, _with_vocabulary(
        'vocabulary = [" Northwind Mobile ", "PIN"]')))
    assert c.vocabulary == ("Northwind Mobile", "PIN")
    (plain,) = load_checklists(write_checklist(tmp_path / "b"))
    assert plain.vocabulary == ()


@pytest.mark.parametrize(("text", "expected"), [
    ('vocabulary = "PIN"', "vocabulary must be a list of non-empty strings"),
    ('vocabulary = ["PIN", ""]', "vocabulary must be a list of non-empty strings"),
    ("vocabulary = [" + ", ".join(f'"w{i}"' for i in range(21)) + "]",
     "vocabulary lists at most 20 words"),
    ('vocabulary = ["' + "x" * 41 + '"]', "vocabulary lists at most 20 words"),
])
def test_a_vocabulary_that_cannot_be_a_hint_is_refused_naming_the_file(tmp_path, text,
                                                                       expected):
    path = write_checklist(tmp_path, _with_vocabulary(text))
    with pytest.raises(ChecklistError) as e:
        load_checklists(path)
    assert str(path) in str(e.value) and expected in str(e.value)


def test_the_words_of_every_checklist_are_gathered_once(tmp_path):
    write_checklist(tmp_path, _with_vocabulary('vocabulary = ["Northwind Mobile", "PIN"]'))
    write_checklist(tmp_path, _with_vocabulary('vocabulary = ["PIN", "eSIM"]').replace(
        'id = "support"', 'id = "other"'), "other.toml")
    prepared = Checklists(load_checklists(tmp_path), None)
    assert prepared.vocabulary == ("PIN", "eSIM", "Northwind Mobile")  # files in name order


def test_the_demo_checklist_names_the_words_its_security_check_needs():
    (demo,) = load_checklists(paths.sample_checklists())
    assert {"PIN", "account number"} <= set(demo.vocabulary)


def test_the_prompt_is_a_plain_list():
    assert vocabulary_prompt(("Northwind Mobile", "account number", "PIN")) == \
        "Northwind Mobile, account number, PIN."
    assert vocabulary_prompt(()) == ""


@pytest.mark.parametrize(("channel", "final", "prompt"), [
    ("agent", True, "Northwind Mobile, PIN."),
    ("agent", False, "Northwind Mobile, PIN."),
    ("customer", True, ""),
    ("mono", True, ""),
])
def test_only_the_agents_channel_is_given_the_words(channel, final, prompt):
    opts = StreamingOptions(agent_vocabulary=("Northwind Mobile", "PIN"))
    decode = opts.decode_for(channel, final)
    assert decode.prompt == prompt
    assert decode.prompt_lang == ("en" if prompt else "")
    base = opts.final_decode if final else opts.partial_decode
    assert decode.beam_size == base.beam_size and decode.min_tokens == base.min_tokens


def test_without_words_the_options_are_the_plain_ones():
    opts = StreamingOptions()
    assert opts.decode_for("agent", True) is opts.final_decode
    assert opts.decode_for("agent", False) is opts.partial_decode


@pytest.mark.parametrize(("prompt_lang", "lang", "given"), [
    ("en", "en", True), ("en", "fr", False), ("", "fr", True)])
def test_a_prompt_goes_only_with_a_decode_in_its_language(prompt_lang, lang, given):
    assert _prompted(DecodeOptions(prompt="PIN.", prompt_lang=prompt_lang), lang) is given
    assert not _prompted(DecodeOptions(prompt="", prompt_lang=prompt_lang), lang)


@dataclass
class _Assist:
    translate_skip: tuple[str, ...] = ()
    vocabulary: tuple[str, ...] = ()


def test_the_call_takes_the_words_from_its_assistance(copilot_home, tmp_path):
    opts = _stream_options(Settings(), _Assist(vocabulary=("PIN",)), tmp_path)
    assert opts.agent_vocabulary == ("PIN",)
    assert _stream_options(Settings(), None, tmp_path).agent_vocabulary == ()


def test_the_agents_own_name_joins_the_words(copilot_home, tmp_path):
    s = Settings.from_dict({"asr": {"agent_name": " Priya "}})
    assert _stream_options(s, _Assist(vocabulary=("PIN",)), tmp_path).agent_vocabulary == \
        ("PIN", "Priya")
    assert _stream_options(s, None, tmp_path).agent_vocabulary == ("Priya",)  # no checklist
    assert "Priya" in _stream_options(s, None, tmp_path).decode_for("agent", True).prompt
    assert not _stream_options(s, None, tmp_path).decode_for("customer", True).prompt
    wrong = Settings.from_dict({"asr": {"agent_name": 7}})
    assert wrong.asr.agent_name == "" and "[asr] agent_name = 7 is not a string" in \
        wrong.problems[0]
    long = Settings.from_dict({"asr": {"agent_name": "x" * 41}})  # it weighs on every prompt
    assert long.asr.agent_name == "" and "is longer than 40 characters" in long.problems[0]
    assert Settings.from_dict({"asr": {"agent_name": "x" * 40}}).asr.agent_name == "x" * 40


class _Engine(WhisperEngine):
    """The engine's own `transcribe` around stand-ins for the model's passes: a prompted decode
    answers `prompted`, a bare one `bare`."""

    def __init__(self, prompted: str, bare: str, padded: str = "", *,
                 longer: str | None = None) -> None:  # no model loaded
        self.answers = {True: prompted, False: bare}
        self.padded = padded  # what the standard 30 s window reads
        self.longer = longer  # what a decode with RETRY_PAD seconds of padding reads
        self.asked: list[str] = []  # each pass's prompt, "+pad" for the longer padding
        self.languages = ("en", "fr")

    def _features(self, audio, pad_seconds):
        return audio, pad_seconds

    def _encode(self, features):
        return features

    def _generate(self, encoded, lang, duration, opts, task="transcribe", audio=None):
        retry = encoded[1] == RETRY_PAD
        self.asked.append(opts.prompt + ("+pad" if retry else ""))
        if retry and self.longer is not None:
            return self.longer, -0.2, 0.01, "direct", ()
        return self.answers[bool(opts.prompt)], -0.2, 0.01, "direct", ()

    def _padded(self, audio, lang, opts, task="transcribe"):
        self.asked.append("padded")
        return self.padded, -0.3, 0.02, "padded", ()


SIX_SECONDS = np.zeros(6 * 16000, dtype=np.float32)
FOUR_SECONDS = np.zeros(4 * 16000, dtype=np.float32)
PROMPTED = DecodeOptions(prompt="Northwind Mobile, PIN.", prompt_lang="en")


def test_a_prompted_decode_that_stops_after_the_first_sentence_is_redone_without_it():
    engine = _Engine("I understand.", "I understand. I could also send you a free booster.")
    t = engine.transcribe(SIX_SECONDS, "en", PROMPTED)
    assert t.text == "I understand. I could also send you a free booster."
    assert engine.asked == ["Northwind Mobile, PIN.", "Northwind Mobile, PIN.+pad", ""]


def test_a_final_that_stops_short_is_read_further_with_more_padding_first():
    """With a second of silence after it Whisper ended "Northwind Mobile, Wilfred speaking.
    Calls here are recorded." after its first sentence, prompt or not; with three it went on."""
    whole = "Northwind Mobile, Wilfred speaking. Calls here are recorded."
    engine = _Engine("Northwind Mobile, Wilfred speaking.", "Northwind Mobile, Wilford speaking.",
                     longer=whole)
    t = engine.transcribe(FOUR_SECONDS, "en", PROMPTED)
    assert t.text == whole and engine.asked == ["Northwind Mobile, PIN.",
                                                "Northwind Mobile, PIN.+pad"]
    # not a partial (allow_padded=False), nor a decode whose words already fill the seconds
    engine = _Engine("Northwind Mobile, Wilfred speaking.", "", longer=whole)
    assert engine.transcribe(FOUR_SECONDS, "en", replace(PROMPTED, allow_padded=False)).text == \
        "Northwind Mobile, Wilfred speaking."
    engine = _Engine("Northwind Mobile, Wilfred speaking, how can I help?", "", longer=whole)
    engine.transcribe(FOUR_SECONDS, "en", PROMPTED)
    assert engine.asked == ["Northwind Mobile, PIN."]


def test_a_prompted_decode_that_covers_the_speech_is_kept_alone():
    engine = _Engine("Can I take your account number and PIN to confirm it's you?",
                     "Can I take your account number and pion to confirm it's you?")
    t = engine.transcribe(SIX_SECONDS, "en", PROMPTED)
    assert "PIN" in t.text and engine.asked == ["Northwind Mobile, PIN."]


@pytest.mark.parametrize("bare", ["Hmm.", "I understand you. Okay.",
                                  "Account number, then P Diane."])
def test_the_bare_decode_is_kept_only_when_it_says_clearly_more(bare):
    engine = _Engine("Account number, PIN.", bare)
    assert engine.transcribe(SIX_SECONDS, "en", PROMPTED).text == "Account number, PIN."
    assert engine.asked == ["Northwind Mobile, PIN.", "Northwind Mobile, PIN.+pad", "",
                            "padded"]  # still short: read on


def test_a_decode_that_stops_at_the_first_pause_is_read_on_in_the_standard_window():
    whole = "I'll text you the link. I'm Wilma, by the way. Anything else I can help with?"
    engine = _Engine("", "I'll text you the link.", padded=whole)
    t = engine.transcribe(SIX_SECONDS, "en", DecodeOptions())
    assert t.text == whole and t.path == "padded"
    # ... not when the window's text loops, says hardly more, or the padded path is not allowed
    for padded in ("I'll text you the link. " + "One, two, " * 20, "I'll text you the link, okay."):
        engine = _Engine("", "I'll text you the link.", padded=padded)
        assert engine.transcribe(SIX_SECONDS, "en", DecodeOptions()).text == \
            "I'll text you the link."
    engine = _Engine("", "I'll text you the link.", padded=whole)
    assert engine.transcribe(SIX_SECONDS, "en", DecodeOptions(allow_padded=False)).text == \
        "I'll text you the link."
    assert engine.asked == [""]


@pytest.mark.parametrize(("text", "seconds", "short"), [
    ("I understand.", 6.0, True),
    ("Okay, so I can look into that.", 6.7, True),  # 7 words in 6.7 s: it stopped early
    ("Okay, so I can look into that, I just need your PIN.", 6.7, False),
    ("Yes.", 1.0, False),  # too short to tell
    ("Bye now.", 2.6, False),  # a farewell with its lead-in
    ("Enjoy the new phone, bye.", 4.8, False),
    # an account number read out: each digit is a word said
    ("342 066 TVI-1212", 5.64, False),
    ("393-008-DIN-8181", 5.86, False),
])
def test_stopping_short_is_fewer_words_than_the_seconds_could_hold(text, seconds, short):
    assert _stopped_short(text, seconds) is short
