"""Reference transcripts: call JSON, MANIFEST.tsv rows, call scripts, and auto-discovery."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from copilot.bench.references import (
    ReferenceNotFound,
    find_reference,
    load_call_json,
    load_reference,
    strip_speaker_tags,
)

HEADER = "file\tlanguage\tseconds\tsample_rate\tchannels\tspeakers\tsource\tlicense\ttranscript\n"


def _call(tmp_path: Path, stem: str = "call") -> Path:
    data = {"channels": {"agent": 0, "customer": 1}, "duration": 9.0, "turns": [
        {"speaker": "customer", "lang": "fr", "start": 3.0, "end": 5.0, "text": "Bonjour."},
        {"speaker": "agent", "lang": "en", "start": 0.5, "end": 2.5, "text": "Hello there."},
        {"speaker": "agent", "lang": "en", "start": 6.0, "end": 8.0, "text": "How can I help?"},
    ]}
    (tmp_path / f"{stem}.wav").write_bytes(b"RIFF")
    path = tmp_path / f"{stem}.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def _manifest(root: Path, rows: list[tuple[str, str, str, str]]) -> Path:
    lines = [f"{f}\t{lang}\t{sec}\t16000\t1\t1\trepo\tMIT\t{text}\n" for f, lang, sec, text in rows]
    path = root / "MANIFEST.tsv"
    path.write_text(HEADER + "".join(lines), encoding="utf-8")
    return path


def test_call_json_gives_timed_turns_per_channel(tmp_path):
    ref = load_call_json(_call(tmp_path))
    assert ref.timed
    assert ref.channels == ["agent", "customer"]  # column order, not order of appearance
    assert ref.text_by_channel == {"agent": "Hello there. How can I help?",
                                   "customer": "Bonjour."}
    assert [(t.channel, t.start, t.end) for t in ref.turns][0] == ("customer", 3.0, 5.0)
    assert ref.lang_of("customer") == "fr" and ref.lang_of("agent") == "en"
    assert ref.mixed_text() == "Hello there. Bonjour. How can I help?"


def test_sibling_json_is_found(tmp_path):
    _call(tmp_path)
    _manifest(tmp_path, [("call.wav", "en", "9", "ignored because the json wins")])
    assert find_reference(tmp_path / "call.wav").timed


def test_manifest_row_found_in_a_parent_folder(tmp_path):
    sub = tmp_path / "en" / "set"
    sub.mkdir(parents=True)
    (sub / "a.flac").write_bytes(b"x")
    _manifest(tmp_path, [("en/set/a.flac", "en", "4.5", "[Diane] Hello? [Sheila] Hi there."),
                         ("en/set/b.flac", "en", "2", "Other.")])
    ref = find_reference(sub / "a.flac")
    assert not ref.timed
    assert ref.text_by_channel == {"mono": "Hello? Hi there."}
    assert (ref.turns[0].start, ref.turns[0].end) == (0.0, 4.5)


def test_manifest_left_right_tags_become_stereo_channels(tmp_path):
    (tmp_path / "s.wav").write_bytes(b"x")
    _manifest(tmp_path, [("s.wav", "en", "5", "[left channel] He began. [right channel] Far.")])
    ref = find_reference(tmp_path / "s.wav")
    assert ref.text_by_channel == {"agent": "He began.", "customer": "Far."}


def test_explicit_reference_by_type(tmp_path):
    call = _call(tmp_path)
    assert load_reference(tmp_path / "call.wav", call).timed
    script = tmp_path / "script.txt"
    script.write_text("# title: x\n# lang: es\nA: Hola.\nC: Buenos dias.\nA: Adios.\n",
                      encoding="utf-8")
    ref = load_reference(tmp_path / "call.wav", script)
    assert ref.text_by_channel == {"agent": "Hola. Adios.", "customer": "Buenos dias."}
    assert ref.lang_of("agent") == "es" and not ref.timed
    plain = tmp_path / "plain.txt"
    plain.write_text("[Bob] Just words.\n", encoding="utf-8")
    assert load_reference(tmp_path / "call.wav", plain).text_by_channel == {"mono": "Just words."}


def test_missing_reference_is_a_clear_error(tmp_path):
    (tmp_path / "lonely.wav").write_bytes(b"x")
    with pytest.raises(ReferenceNotFound, match="--ref"):
        find_reference(tmp_path / "lonely.wav")
    _manifest(tmp_path, [("other.wav", "en", "1", "x")])
    with pytest.raises(ReferenceNotFound, match="lonely.wav"):
        find_reference(tmp_path / "lonely.wav")
    bad = tmp_path / "bad.json"
    bad.write_text("{}", encoding="utf-8")
    with pytest.raises(ReferenceNotFound):
        load_reference(tmp_path / "lonely.wav", bad)


def test_strip_speaker_tags():
    assert strip_speaker_tags("[Diane] Hello?  [Sheila] Hi.") == "Hello? Hi."


def test_shared_testdata_references(testdata):
    ref = find_reference(testdata / "calls" / "billing_refund.wav")
    assert ref.timed and ref.channels == ["agent", "customer"]
    assert "seven four two nine three one" in ref.text_by_channel["customer"]
    jfk = find_reference(testdata / "speech" / "en" / "jfk.flac")
    assert jfk.text_by_channel["mono"].startswith("And so my fellow Americans")
    stereo = find_reference(testdata / "speech" / "conversation" / "stereo_diarization.wav")
    assert stereo.text_by_channel["customer"] == "The horizon seems extremely distant."
    pyannote = find_reference(testdata / "speech" / "conversation" / "pyannote_sample.wav")
    assert "[" not in pyannote.text_by_channel["mono"]
    assert find_reference(testdata / "calls" / "cancel_french.wav").lang_of("customer") == "fr"
