"""`copilot calls ...` through copilot.cli.main, on a real database under COPILOT_HOME: plain,
and encrypted as the settings and the environment ask ([store] encrypt, COPILOT_STORE_KEY_FILE)."""

from __future__ import annotations

import io
import json
import os
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from store_kinds import KINDS, StoreKind, make_kind

from copilot.cli import main
from copilot.events import Caption
from copilot.paths import database_path
from copilot.store.options import KEY_FILE_ENV


@pytest.fixture(params=KINDS)
def store_kind(request: pytest.FixtureRequest, tmp_path: Path,
               monkeypatch: pytest.MonkeyPatch) -> StoreKind:
    kind = make_kind(request.param, tmp_path)
    if kind.encrypted:  # what a site does: the setting on, the key in a file the service names
        (tmp_path / "settings.toml").write_text("[store]\nencrypt = true\n", encoding="utf-8")
        monkeypatch.setenv(KEY_FILE_ENV, str(kind.options.key.path))
    return kind


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, store_kind: StoreKind) -> Path:
    monkeypatch.setenv("COPILOT_HOME", str(tmp_path))
    return tmp_path


@pytest.fixture
def calls(home: Path, store_kind: StoreKind):
    """Three calls: a completed one with a transcript, an untitled one, and one still active
    (its recording store stays open, as a running session's does, for the whole test)."""
    with store_kind.open(database_path()) as store:
        refund = store.start_call("calls/billing.wav", title="Billing refund",
                                  started_at=datetime(2025, 3, 1, 9, 30, tzinfo=UTC))
        store.add_segment(refund, Caption("c1", True, "agent", 0.5, 3.25, 3.6, "en",
                                          "Northwind, how can I help?"))
        store.add_segment(refund, Caption("c2", True, "customer", 6.445, 12.9, 13.6, "en",
                                          "I was charged twice."))
        store.add_event(refund, "translation", 13.9, {"of": "c2", "text": "..."})
        store.end_call(refund)
        untitled = store.start_call("USB headset + softphone monitor")
        store.end_call(untitled)
        live = store.start_call("mic", title="Live one")
        assert database_path() == home / "calls.sqlite3"
        yield {"refund": refund, "untitled": untitled, "live": live}


class Terminal(io.StringIO):
    """Standard input that claims to be a terminal, with the user's typed answer."""

    def isatty(self) -> bool:
        return True


def test_list_shows_aligned_columns(calls: dict[str, int], capsys: pytest.CaptureFixture) -> None:
    assert main(["calls", "list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    header, rows = lines[0], lines[1:]
    assert header.split() == ["ID", "STARTED", "DURATION", "STATUS", "SEGMENTS", "TITLE", "/",
                              "SOURCE"]
    assert len(rows) == 3
    assert "Billing refund" in rows[0] and "completed" in rows[0]
    # no title: named as the window's History names it, from its source
    assert f"Call {calls['untitled']} (USB headset + softphone monitor)" in rows[1]
    assert "active" in rows[2] and "Live one" in rows[2]
    # Every row puts its status and its title under the header's columns.
    status_col, title_col = header.index("STATUS"), header.index("TITLE")
    for row, status, title in zip(rows, ["completed", "completed", "active"],
                                  ["Billing refund", f"Call {calls['untitled']} (USB headset",
                                   "Live one"], strict=True):
        assert row[status_col:].startswith(status)
        assert row[title_col:].startswith(title)
    segments_end = header.index("SEGMENTS") + len("SEGMENTS")
    assert [r[:segments_end].split()[-1] for r in rows] == ["2", "0", "0"]  # right-aligned


def test_list_on_an_empty_home(home: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["calls", "list"]) == 0
    assert "No calls" in capsys.readouterr().out


def test_show_prints_details_and_transcript(calls: dict[str, int],
                                            capsys: pytest.CaptureFixture) -> None:
    assert main(["calls", "show", str(calls["refund"])]) == 0
    out = capsys.readouterr().out
    assert "Billing refund" in out and "calls/billing.wav" in out and "completed" in out
    assert "[00:00.5] Agent: Northwind, how can I help?" in out
    assert "[00:06.4] Customer: I was charged twice." in out


@pytest.mark.parametrize("command", ["show", "export", "delete"])
def test_unknown_id_is_a_clear_error(calls: dict[str, int], command: str,
                                     capsys: pytest.CaptureFixture) -> None:
    assert main(["calls", command, "999", *(["--yes"] if command == "delete" else [])]) == 2
    assert "no call with id 999" in capsys.readouterr().err


def test_export_formats_to_stdout(calls: dict[str, int], capsys: pytest.CaptureFixture) -> None:
    call = str(calls["refund"])
    assert main(["calls", "export", call, "--format", "srt"]) == 0
    assert "00:00:06,445 --> 00:00:12,900\nCustomer: I was charged twice." in capsys.readouterr().out
    assert main(["calls", "export", call, "--format", "vtt"]) == 0
    assert capsys.readouterr().out.startswith("WEBVTT\n\n00:00:00.500 --> 00:00:03.250\n")
    assert main(["calls", "export", call, "--format", "txt"]) == 0
    assert capsys.readouterr().out.endswith("[00:06.4] Customer: I was charged twice.\n")
    assert main(["calls", "export", call, "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["call"]["title"] == "Billing refund" and len(doc["segments"]) == 2
    assert doc["events"][0]["type"] == "translation"


def test_export_to_a_file_takes_the_format_from_its_suffix(
        calls: dict[str, int], tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    out = tmp_path / "refund.vtt"
    assert main(["calls", "export", str(calls["refund"]), "--out", str(out)]) == 0
    assert out.read_text(encoding="utf-8").startswith("WEBVTT")
    assert capsys.readouterr().out == ""
    assert main(["calls", "export", str(calls["refund"]), "--out",
                 str(tmp_path / "missing-dir" / "x.txt")]) == 2
    assert "cannot write" in capsys.readouterr().err


def test_export_says_when_it_replaces_a_file_and_leaves_nothing_half_written(
        calls: dict[str, int], tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    out = tmp_path / "refund.txt"
    out.write_text("an earlier export", encoding="utf-8")
    assert main(["calls", "export", str(calls["refund"]), "--out", str(out)]) == 0
    assert "replaced the file of that name" in capsys.readouterr().err
    assert "I was charged twice." in out.read_text(encoding="utf-8")
    assert main(["calls", "export", str(calls["refund"]), "--out", str(tmp_path / "new.txt")]) == 0
    assert "replaced" not in capsys.readouterr().err
    folder = tmp_path / "a-folder"
    folder.mkdir()
    assert main(["calls", "export", str(calls["refund"]), "--out", str(folder)]) == 2
    assert "cannot write" in capsys.readouterr().err
    assert folder.is_dir() and not list(tmp_path.glob("*.part"))


def test_delete_without_a_terminal_needs_yes(store_kind: StoreKind, calls: dict[str, int],
                                             capsys: pytest.CaptureFixture) -> None:
    call = calls["refund"]
    assert main(["calls", "delete", str(call)]) == 2  # pytest's stdin is not a terminal
    assert "--yes" in capsys.readouterr().err
    assert main(["calls", "delete", str(call), "--yes"]) == 0
    assert f"Deleted call {call}" in capsys.readouterr().out
    with store_kind.open(database_path()) as store:
        assert store.get_call(call) is None
        assert [c.id for c in store.list_calls()] == [calls["untitled"], calls["live"]]


@pytest.mark.parametrize(("answer", "code", "kept"), [("y\n", 0, False), ("\n", 1, True),
                                                       ("nope\n", 1, True)])
def test_delete_asks_on_a_terminal(store_kind: StoreKind, calls: dict[str, int],
                                   monkeypatch: pytest.MonkeyPatch,
                                   capsys: pytest.CaptureFixture, answer: str, code: int,
                                   kept: bool) -> None:
    monkeypatch.setattr(sys, "stdin", Terminal(answer))
    assert main(["calls", "delete", str(calls["untitled"])]) == code
    assert "cannot be undone" in capsys.readouterr().out
    with store_kind.open(database_path()) as store:
        assert (store.get_call(calls["untitled"]) is not None) is kept


def test_active_call_is_not_deleted(store_kind: StoreKind, calls: dict[str, int],
                                    capsys: pytest.CaptureFixture) -> None:
    assert main(["calls", "delete", str(calls["live"]), "--yes"]) == 2
    assert "still active" in capsys.readouterr().err
    with store_kind.open(database_path()) as store:
        assert store.get_call(calls["live"]) is not None


def test_corrupt_database_is_reported_with_its_path(home: Path,
                                                    capsys: pytest.CaptureFixture) -> None:
    (home / "calls.sqlite3").write_bytes(b"\x00garbage" * 200)
    assert main(["calls", "list"]) == 2
    assert str(home / "calls.sqlite3") in capsys.readouterr().err


def test_a_crashed_recording_is_marked_interrupted_by_the_next_store_opened(
        store_kind: StoreKind, home: Path, capsys) -> None:
    import subprocess
    import sys

    # A process that starts a call and dies without ending it (as after SIGKILL).
    code = ("import os; from copilot.store.db import CallStore;"
            " from copilot.cli.common import load_settings;"
            " from copilot.store.options import options_from_settings;"
            " s = CallStore(os.environ['DB'],"
            "               options=options_from_settings(load_settings().store));"
            " print(s.start_call('mic', title='Crashed')); os._exit(0)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env={**os.environ, "DB": str(database_path())}, check=True)
    crashed = int(out.stdout)
    with store_kind.open(database_path()) as store:  # any store opened afterwards
        assert store.get_call(crashed).status == "interrupted"
        live = store.start_call("mic", title="Still recording")
        with store_kind.open(database_path()) as other:  # a second process's view, the owner alive
            assert other.get_call(live).status == "active"
    assert main(["calls", "delete", str(crashed), "--yes"]) == 0
