"""Card numbers read aloud by a neural voice, through the real live pipeline (issue 13).

Each call of tests/data/calls/cards/ (a customer reading a payment card in one, two or three
breaths, in pairs, with "oh" for zero, with a correction, with no cue word, with the security code
and the expiry date; made with Piper by tools/render_calls.py) is replayed paced like a live call,
so partial captions happen, through Whisper base, redaction, the store and the listeners, with a
fresh data folder and every logger at DEBUG written to a file. Then, with the call's known card
numbers and secrets (NAME.expect.json) and the independent checker copilot/bench/card_leaks.py:

- no caption shown, partial or final (every event published, as the JSON-lines printer and the
  terminal printer wrote them), holds more than the last four digits of a card, nor a security
  code or expiry date;
- neither does the store: its rows read back through SQL (4-digit rule), and the raw bytes of the
  database file, its -wal and -journal (6-digit rule, see card_leaks), both while the store is still
  open after the call (every WAL frame still there) and after it is closed;
- nor any log line (copilot.log and the DEBUG capture of every logger);
- and the test cannot pass by masking everything: each "visible" number (an order or account
  number) is in some final caption (misheard by a digit, as Whisper wrote it), and each card shows up as its "[card ending NNNN]" placeholder
  unless the recognizer misheard it. Misheard is decided from what Whisper wrote before redaction
  (the transcriber's own output, recorded on its way to the session): consecutive digit runs of
  one speaker's final captions that make exactly the card's digits, or not (`_heard`). Whisper's
  words are printed for every call, and a misheard card is named, never silently passed over.

Paced replay: at COPILOT_CARD_SPEED times real time (default 1.0: the 12 calls are 5 minutes of
audio, about 5 min 15 s of test on 2 cores; the source and the call clock both honour the factor). Audio dropped because the ASR fell behind is reported as a failure: it
would make the check prove less.
"""

from __future__ import annotations

import io
import json
import logging
import os
import sqlite3
import time
from pathlib import Path

import pytest

from copilot.bench.card_leaks import Leak, bytes_leaks, digit_runs, leaks
from copilot.events import Caption

CARDS_DIR = Path(__file__).resolve().parents[1] / "data" / "calls" / "cards"
CALLS = sorted(p.stem for p in CARDS_DIR.glob("*.txt"))
SPEED = float(os.environ.get("COPILOT_CARD_SPEED", "1.0"))


def report(capsys, line: str) -> None:
    with capsys.disabled():
        print(f"\n[cards] {line}")


class _DebugLogs:
    """Every logger at DEBUG into one file (no timestamps: fewer numbers that are not the call's)
    for the duration of a call; the previous levels and handlers are put back after."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.handler = logging.FileHandler(path, encoding="utf-8")
        self.handler.setLevel(logging.DEBUG)
        self.handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
        self.root = logging.getLogger()
        self.copilot = logging.getLogger("copilot")

    def __enter__(self) -> _DebugLogs:
        from copilot import logs

        self.levels = (self.root.level, self.copilot.level)
        self.copilot_log = logs.setup(logging.DEBUG)  # the app's own log file, in the fresh home
        self.copilot.setLevel(logging.DEBUG)
        self.root.setLevel(logging.DEBUG)
        self.root.addHandler(self.handler)
        return self

    def __exit__(self, *exc) -> None:
        self.root.removeHandler(self.handler)
        self.handler.close()
        self.root.setLevel(self.levels[0])
        self.copilot.setLevel(self.levels[1])
        for h in list(self.copilot.handlers):  # logs.setup's handler points into tmp_path
            if getattr(h, "baseFilename", "") == str(self.copilot_log):
                self.copilot.removeHandler(h)
                h.close()


def _store_texts(db: Path) -> list[str]:
    """Every text value of every table, read back through SQL."""
    out: list[str] = []
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        for table in tables:
            for row in conn.execute(f'SELECT * FROM "{table}"'):
                out.extend(str(v) for v in row if isinstance(v, str))
    return out


def _store_files(home: Path) -> list[Path]:
    db = home / "calls.sqlite3"
    return [db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-journal")]


def _heard(card: str, finals: list[Caption]) -> bool:
    """Did Whisper write this card's digits? True when consecutive digit runs of one speaker's
    final captions (in order, across captions: a card read in breaths) make exactly the card.
    Exactly: "4242 42 42 42 42 | 4242, 4242" holds 4242424242424242 but is 20 digits, which no
    redactor should take for that card."""
    for channel in {c.channel for c in finals}:
        pieces = [r.digits for c in finals if c.channel == channel for r in digit_runs(c.text)]
        for i in range(len(pieces)):
            joined = ""
            for piece in pieces[i:]:
                joined += piece
                if joined == card:
                    return True
                if not card.startswith(joined):
                    break
    return False


def _problems(found: list[Leak], where: str) -> list[str]:
    return [f"LEAK in {where}: {leak}" for leak in found]


@pytest.mark.parametrize("name", CALLS)
def test_card_read_aloud_never_leaks(name, base_engine, tmp_path, monkeypatch, capsys):
    from copilot.call.build import build_session
    from copilot.call.request import CallRequest
    from copilot.cli.common import load_settings
    from copilot.cli.printing import CaptionPrinter

    audio = CARDS_DIR / f"{name}.flac"
    assert audio.is_file(), f"{audio} missing: render it with tools/render_calls.py"
    expect = json.loads((CARDS_DIR / f"{name}.expect.json").read_text())
    cards, secrets, visible = expect["cards"], expect["secrets"], expect["visible"]

    home = tmp_path / "home"
    monkeypatch.setenv("COPILOT_HOME", str(home))
    events: list = []
    jsonl, terminal = io.StringIO(), io.StringIO()
    problems: list[str] = []
    started = time.monotonic()
    with _DebugLogs(tmp_path / "debug.log") as captured:
        request = CallRequest(audio=str(audio), realtime=True, speed=SPEED, title=name)
        session, store, _engine = build_session(
            load_settings(), request,
            [events.append, CaptionPrinter(True, jsonl), CaptionPrinter(False, terminal)],
            engine=base_engine)
        assert store is not None
        # What Whisper wrote, before redaction: only to tell a misheard card from a missed one.
        raw: list = []
        to_session = session.transcriber.emit

        def record(event) -> None:
            raw.append(event)
            to_session(event)

        session.transcriber.emit = record
        try:
            result = session.run()
            # The store is still open: every WAL frame written during the call is on disk.
            problems += _problems(bytes_leaks(_store_files(home), cards, secrets),
                                  "store files (open)")
        finally:
            store.close()
    elapsed = time.monotonic() - started

    captions = [e for e in events if isinstance(e, Caption)]
    partials = [c for c in captions if not c.final]
    finals = [c for c in captions if c.final and c.text]
    report(capsys, f"{name}: {elapsed:.1f} s wall, {len(partials)} partials, {len(finals)} "
                   f"finals, {result.dropped_seconds:.1f} s audio dropped")
    for c in finals:
        report(capsys, f"  {c.channel:8} {'(amended) ' if c.amended else ''}{c.text}")

    # Shown: every event as published, and as the two printers wrote them.
    problems += _problems(leaks([c.text for c in partials], cards, secrets), "partial captions")
    problems += _problems(leaks([c.text for c in captions if c.final], cards, secrets),
                          "final captions")
    problems += _problems(leaks([e.to_json() for e in events if not isinstance(e, Caption)],
                                cards, secrets), "other events")
    problems += _problems(leaks(jsonl.getvalue().splitlines(), cards, secrets), "--jsonl output")
    problems += _problems(leaks(terminal.getvalue().splitlines(), cards, secrets),
                          "terminal output")
    # Stored: through SQL, then the raw bytes once closed.
    problems += _problems(leaks(_store_texts(home / "calls.sqlite3"), cards, secrets),
                          "store rows")
    problems += _problems(bytes_leaks(_store_files(home), cards, secrets), "store files (closed)")
    # Logged.
    for log_file in (captured.path, captured.copilot_log):
        problems += _problems(leaks(log_file.read_text(encoding="utf-8").splitlines(), cards,
                                    secrets), f"log {log_file.name}")

    # Not by masking everything: the numbers that must stay are there, and each card is named
    # by its last four.
    final_text = "\n".join(c.text for c in finals)
    runs = [r.digits for r in digit_runs(final_text)]
    assert any(isinstance(c, Caption) for c in raw), "the transcriber's output was not recorded"
    raw_finals = sorted((c for c in raw if isinstance(c, Caption) and c.final and c.text),
                        key=lambda c: c.start)
    report(capsys, "  Whisper wrote (customer, before redaction): " + " | ".join(
        c.text for c in raw_finals if c.channel == "customer"))
    raw_runs = [r.digits for c in raw_finals for r in digit_runs(c.text)]
    for number in visible:
        if any(number in r for r in runs):
            continue
        if any(number in r for r in raw_runs):
            problems.append(f"VISIBLE number {number} is in no final caption, though Whisper "
                            f"wrote it")
            continue
        # Misheard (a digit more or less): what Whisper wrote in its place must stay visible.
        written = [r for r in raw_runs if abs(len(r) - len(number)) <= 1 and r[:3] == number[:3]]
        report(capsys, f"  MISHEARD visible {number}: Whisper wrote {written or 'nothing like it'}")
        if not written:
            problems.append(f"VISIBLE number {number}: Whisper wrote nothing like it, so the "
                            f"call cannot show that numbers stay visible")
        problems += [f"VISIBLE number {number}, as Whisper wrote it ({r}), is in no final "
                     f"caption" for r in written if not any(r in x for x in runs)]
    for card in cards:
        if f"[card ending {card[-4:]}]" in final_text:
            continue
        if _heard(card, raw_finals):
            problems.append(f"NO [card ending {card[-4:]}] in any final caption, though Whisper "
                            f"wrote the card's digits")
        else:
            report(capsys, f"  MISHEARD {card}: Whisper did not write its digits, so no "
                           f"[card ending {card[-4:]}] is required")
    if not partials:
        problems.append("no partial caption at all: the replay was not paced like a live call")
    if result.dropped_seconds > 0:
        problems.append(f"{result.dropped_seconds:.1f} s of audio dropped (ASR fell behind)")

    for p in problems:
        report(capsys, f"  {p}")
    assert not problems, f"{name}:\n" + "\n".join(problems)
