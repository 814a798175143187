"""The independent card-leak checker (copilot/bench/card_leaks.py), and the card-reading test set
it is used with (tests/data/calls/cards/): every script really reads its cards and secrets, and
its visible numbers are not mistaken for either."""

from __future__ import annotations

import ast
import json
import re
import sqlite3
from pathlib import Path

import pytest

from copilot.bench import card_leaks
from copilot.bench.card_leaks import bytes_leaks, card_exposure, digit_runs, leaks

VISA = "4111111111111111"
MC = "5555555555554444"
AMEX = "378282246310005"
CARDS_DIR = Path(__file__).resolve().parents[1] / "data" / "calls" / "cards"
CALLS = sorted(p.stem for p in CARDS_DIR.glob("*.txt"))


def luhn(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


def runs(text: str) -> list[str]:
    return [r.digits for r in digit_runs(text)]


# ---- reading digits -----------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("It's 4111, 1111, 1111, 1111.", ["4111111111111111"]),
    ("4111-1111-1111-1111", ["4111111111111111"]),
    ("4111 1111\n1111 1111", ["4111111111111111"]),  # a caption boundary inside the number
    ("four one one one, one one one one", ["41111111"]),
    ("Forty one eleven, eleven eleven", ["41111111"]),
    ("forty-two forty-two", ["4242"]),
    ("six oh one one, oh oh oh nine", ["60110009"]),
    ("expires oh four twenty eight", ["0428"]),
    ("expires 04/28", ["0428"]),
    ("seven hundred thirty seven", ["737"]),
    ("seven hundred and thirty seven", ["737"]),
    ("double five triple two", ["55222"]),
    ("forty", ["40"]),
    ("1111 and 737", ["1111", "737"]),  # another word ends a run
    ("[card ending 1111], code 737", ["737"]),  # placeholders are not read
    ("account 742-931", ["742931"]),
    ("It's for 1111, 1111", ["411111111"]),  # "four" heard as "for"
    ("expires all for 28", ["428"]),
    ("ending 1111 for 49 dollars", ["1111", "449"]),  # a homophone only starts a run
    ("I'd like to pay for my pass", []),
    ("It's for [card number].", []),
])
def test_digit_runs(text, expected):
    assert runs(text) == expected


@pytest.mark.parametrize("text", [
    "2026-05-10 10:23:45,123 INFO copilot.call.session: call 1 started",
    "stats {'asr_seconds': 5.411111234, 'partials': 19}",
    "\"started_at\": \"2026-05-10T10:23:45.123456+00:00\"",
    "final c4 customer 10.12-15.06 (23 chars)",
])
def test_machine_numbers_are_not_runs_of_a_card(text):
    assert leaks([text], [VISA, "5105105105105100"], []) == []


def test_run_spans_point_into_the_text():
    text = "ok so it's 4111 1111, thanks"
    (run,) = digit_runs(text)
    assert text[run.start:run.end] == "4111 1111"


# ---- the card rule ------------------------------------------------------------------------------

@pytest.mark.parametrize("text, card, shown", [
    ("It's 4111 1111", VISA, "41111111"),
    ("4111", VISA, "4111"),  # the first group alone
    ("11111", VISA, "11111"),  # five digits where four may be shown
    ("one one one one, one one one one", VISA, "11111111"),
    ("5555", MC, "5555"),
    ("5444", MC, "5444"),  # a digit from before the last four
    ("3782 822463", AMEX, "3782822463"),
    ("so that's 510 510 5105", "5105105105105100", "5105105105"),
    ("it's for 1111, 1111, 1111", VISA, "4111111111111"),  # "four" heard as "for"
])
def test_card_leaks(text, card, shown):
    (leak,) = leaks([text], [card], [])
    assert (leak.kind, leak.of, leak.shown) == ("card", card, shown)
    assert leak.where == "text 0" and leak.excerpt.strip()


@pytest.mark.parametrize("text, card", [
    ("[card ending 1111]", VISA),
    ("Thanks, that's the card ending 1111.", VISA),  # the last four also occur inside the card
    ("the card ending one one one one", VISA),
    ("The card ending [card ending 4444] is charged", MC),
    ("ending 4444", MC),
    ("It's [card number] and [card ending 0005].", AMEX),
    ("I'd like to pay 49 dollars, that's 49.99 with tax", VISA),
    ("order 831527", "6011111111111117"),
    ("123", VISA),  # too short to say anything
])
def test_no_card_leak(text, card):
    assert leaks([text], [card], []) == []


def test_card_exposure_is_the_longest_piece():
    assert card_exposure("99411119", VISA) == "41111"
    assert card_exposure("1111", VISA) == ""
    assert card_exposure("0005", AMEX) == ""
    assert card_exposure("10005", AMEX) == "10005"


# ---- the secret rule ----------------------------------------------------------------------------

@pytest.mark.parametrize("text, secret", [
    ("The security code is 737.", "737"),
    ("security code seven three seven", "737"),
    ("CVV 4 0 2", "402"),
    ("expires 04/28", "0428"),
    ("expires 4/28", "0428"),  # the leading zero dropped
    ("expires oh four twenty eight", "0428"),
    ("and it expires all for 28.", "0428"),  # as Whisper wrote "oh four twenty eight"
    ("and 0428.", "0428"),
])
def test_secret_leaks(text, secret):
    (leak,) = leaks([text], [], [secret])
    assert (leak.kind, leak.of) == ("secret", secret)


@pytest.mark.parametrize("text, secret", [
    ("The security code is [security code].", "737"),
    ("expires April 2028", "0428"),  # month names are not parsed (documented limit)
    ("it's 1428", "0428"),  # the bare form only counts as a whole run
    ("two", "2"),  # secrets shorter than 3 digits are never looked for
])
def test_no_secret_leak(text, secret):
    assert leaks([text], [], [secret]) == []


def test_digits_split_by_spaces_still_join():
    assert [x.of for x in leaks(["code 73 7"], [], ["737"])] == ["737"]


def test_leaks_checks_every_text_and_names_it():
    found = leaks(["hello", "card 4111 1111", "code 737", "[card ending 1111]"], [VISA], ["737"])
    assert [(x.where, x.kind) for x in found] == [("text 1", "card"), ("text 2", "secret")]
    assert "4111 1111" in str(found[0])


def test_formatted_inputs_are_cleaned():
    assert leaks(["4111 1111"], ["4111-1111-1111-1111"], []) != []
    assert leaks(["0428"], [], ["04/28"]) != []


# ---- raw bytes ----------------------------------------------------------------------------------

def _db(path: Path, texts: list[str]) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("CREATE TABLE IF NOT EXISTS t (x TEXT, y REAL, z TEXT)")
        for t in texts:
            conn.execute("INSERT INTO t VALUES (?, ?, ?)", (t, 12.411111, "2026-05-10T10:23:45"))


def test_bytes_leak_found_in_a_database(tmp_path):
    db = tmp_path / "calls.sqlite3"
    _db(db, ["Sure.", "It's 4111, 1111, 1111, 1111.", "The security code is 737."])
    found = bytes_leaks([db, tmp_path / "calls.sqlite3-wal", tmp_path / "calls.sqlite3-journal"],
                        [VISA], ["737"])
    assert {x.kind for x in found} == {"card", "secret"}
    assert all(str(db) in x.where for x in found)


def test_bytes_clean_database_has_no_leak(tmp_path):
    db = tmp_path / "calls.sqlite3"
    _db(db, ["It's [card ending 1111].", "The security code is [security code].",
             "Thanks, the card ending 1111 is charged.", "order 831527"])
    assert bytes_leaks([db, tmp_path / "missing-wal"], [VISA, "6011111111111117"], ["737"]) == []


def test_bytes_need_six_digits_of_a_card(tmp_path):
    f = tmp_path / "blob"
    f.write_bytes(b"\x00\x01id 4111\x00\xff\xfe 41111\x00")
    assert bytes_leaks([f], [VISA], []) == []
    f.write_bytes(b"\x00\x01 4111 11\x00")
    (leak,) = bytes_leaks([f], [VISA], [])
    assert leak.shown == "411111"


def test_bytes_spoken_words_and_binary_noise(tmp_path):
    f = tmp_path / "blob"
    f.write_bytes(b"\x13\x00\x81text five five five five, five five\x00\x00" + bytes(range(256)))
    (leak,) = bytes_leaks([f], [MC], [])
    assert leak.shown == "555555"


def test_undecodable_bytes_end_a_run(tmp_path):
    f = tmp_path / "blob"
    f.write_bytes(b"411\xff111\x80111")
    assert bytes_leaks([f], [VISA], []) == []


# ---- the module is engine code: standard library only ------------------------------------------

def test_card_leaks_uses_the_standard_library_only():
    tree = ast.parse(Path(card_leaks.__file__).read_text())
    imported = {n.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import)
                for n in node.names}
    imported |= {node.module.split(".")[0] for node in ast.walk(tree)
                 if isinstance(node, ast.ImportFrom) and node.module}
    assert imported <= {"__future__", "re", "collections", "dataclasses", "pathlib"}


# ---- the test set ---------------------------------------------------------------------------------

def _expect(name: str) -> dict:
    return json.loads((CARDS_DIR / f"{name}.expect.json").read_text())


def _turns(name: str, speaker: str) -> list[str]:
    lines = (CARDS_DIR / f"{name}.txt").read_text().splitlines()
    return [line[2:].strip() for line in lines if line.startswith(f"{speaker}:")]


def test_the_set_has_enough_calls():
    assert len(CALLS) >= 12
    assert all(re.fullmatch(r"\d\d_[a-z0-9_]+", n) for n in CALLS)


@pytest.mark.parametrize("name", CALLS)
def test_call_script_reads_what_it_expects(name):
    expect = _expect(name)
    assert set(expect) == {"cards", "secrets", "visible"}
    assert expect["cards"], "a card-reading call reads a card"
    for card in expect["cards"]:
        assert luhn(card) and len(card) in (15, 16), card
    customer = "\n".join(_turns(name, "C"))
    script = (CARDS_DIR / f"{name}.txt").read_text()
    # The voice reads what is written: numbers in words, never typed digits.
    assert not re.search(r"[0-9]", "".join(_turns(name, "A") + _turns(name, "C")))
    # The customer really reads each card (in one run across their turns; with a correction,
    # "no wait", its two halves), each secret and each visible number...
    said = runs(customer)
    for card in expect["cards"]:
        if "no wait" in customer.lower():
            assert any(card[:8] in r for r in said) and any(card[8:] in r for r in said), card
        else:
            assert any(card in r for r in said), f"{card} is not read in {name}: {said}"
    for secret in expect["secrets"]:
        assert leaks([customer], [], [secret]), f"{secret} is not said in {name}"
    for number in expect["visible"]:
        assert any(number in r for r in runs(customer)), f"{number} is not said in {name}"
    # ... and a visible number is neither a card's digits nor a secret.
    assert leaks(expect["visible"], expect["cards"], expect["secrets"]) == []
    # The agent may say the last four, nothing more.
    assert leaks(_turns(name, "A"), expect["cards"], expect["secrets"]) == []
    assert "# title:" in script


@pytest.mark.parametrize("name", CALLS)
def test_call_audio_is_rendered_and_current(name):
    import hashlib

    timing = json.loads((CARDS_DIR / f"{name}.json").read_text())
    assert (CARDS_DIR / f"{name}.flac").is_file()
    assert not (CARDS_DIR / f"{name}.wav").exists()
    assert timing["voice"] == "piper" and timing["phone"] is True
    assert 15 <= timing["duration"] <= 35
    digest = hashlib.sha256((CARDS_DIR / f"{name}.txt").read_bytes()).hexdigest()
    assert timing["script_sha256"] == digest, "script changed: run tools/render_calls.py"
