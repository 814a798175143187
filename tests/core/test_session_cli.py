"""The `copilot transcribe` / `listen` command around a session: printing, Ctrl-C, errors as one
line, settings turned into a session (queue size, languages). Fakes only: no model is loaded."""

from __future__ import annotations

import argparse
import io
import logging
import os
import signal
import threading

import pytest

# Shared fakes (pytest puts this folder on sys.path: tests/ is not a package).
from test_session_failures import FakeSource, FakeTranscriber

import copilot.call.session as session_mod
from copilot import cli
from copilot.asr import model_paths
from copilot.audio.base import AudioError
from copilot.call import build
from copilot.call.build import check_languages, queue_blocks
from copilot.call.request import CallRequest
from copilot.call.session import CallResult, SessionError
from copilot.cli import printing
from copilot.cli import transcribe as transcribe_cmd
from copilot.cli.printing import CaptionPrinter
from copilot.errors import UserError
from copilot.events import Caption, Notice
from copilot.settings import Settings
from models import pypi_models


def caption(cid="c1", text="hello there", final=True, start=1.0):
    return Caption(cid, final, "customer", start, start + 2, start + 3, "en", text)


class TtyOut(io.StringIO):
    def isatty(self) -> bool:
        return True


class PipeOut(io.StringIO):
    def write(self, s: str) -> int:
        raise BrokenPipeError(32, "Broken pipe")


# -- the printer --------------------------------------------------------------------------------

def test_printer_stops_the_session_when_the_reader_goes_away():
    stops = []
    printer = CaptionPrinter(jsonl=True, out=PipeOut(), on_broken=lambda: stops.append(1))
    printer(caption())
    printer(caption("c2"))
    assert printer.broken and stops == [1]


def test_printer_partial_fits_the_terminal_and_shows_the_newest_words(monkeypatch):
    monkeypatch.setattr(printing, "_columns", lambda: 40)
    out = TtyOut()
    printer = CaptionPrinter(jsonl=False, out=out)
    printer(caption(text="word " * 30 + "latest", final=False))
    line = out.getvalue().split("\x1b[2K")[-1]
    assert len(line) <= 38 and line.endswith("latest …")
    assert line == "[00:01.0] Customer: …word latest …"


def test_printer_clears_a_retracted_partial():
    out = TtyOut()
    printer = CaptionPrinter(jsonl=False, out=out)
    printer(caption(text="uh", final=False))
    printer(caption(text="", final=True))
    assert out.getvalue().endswith("\r\x1b[2K")
    printer(caption("c2", "hello"))
    assert out.getvalue().endswith("hello\n")
    assert "\n\n" not in out.getvalue()  # the retraction printed no empty line


# -- settings into a session ---------------------------------------------------------------------

def test_queue_blocks_follow_queue_seconds_and_channels():
    assert queue_blocks(10.0, 2) == 667  # 10 s / 30 ms, for each of two channels
    assert queue_blocks(10.0, 1) == 334
    assert queue_blocks(0, 2) == 16  # never zero (an unbounded Queue)


class FakeEngine:
    def __init__(self, languages=("en",)) -> None:
        self.languages = languages
        self.closed = False

    def close(self) -> None:
        self.closed = True


def test_a_language_the_model_lacks_is_refused():
    with pytest.raises(UserError, match=r"'fr' \(--lang\).*tiny-model.*knows: en"):
        check_languages({"agent": "fr", "customer": "fr"}, FakeEngine(), "tiny-model",
                        from_request=True)
    with pytest.raises(UserError, match=r"settings asr.customer_lang"):
        check_languages({"agent": "en", "customer": "de"}, FakeEngine(), "m", from_request=False)
    check_languages({"agent": "en", "customer": ""}, FakeEngine(), "m", from_request=False)
    # a language's name instead of its code: the refusal says what to give
    with pytest.raises(UserError, match=r"'french'.*give its code, e.g. 'fr'"):
        check_languages({"agent": "en", "customer": "french"}, FakeEngine(), "m",
                        from_request=True)


def test_listen_offers_no_replay_pace() -> None:
    import argparse

    parser = argparse.ArgumentParser()
    transcribe_cmd.register(parser.add_subparsers())
    with pytest.raises(SystemExit):
        parser.parse_args(["listen", "--realtime"])
    assert parser.parse_args(["listen"]).realtime is True
    assert parser.parse_args(["transcribe", "x.wav", "--realtime"]).realtime is True


def _request(**kw) -> CallRequest:
    return CallRequest(**{**dict(audio="call.wav", store=False, realtime=True), **kw})


def _args(**kw) -> argparse.Namespace:
    base = dict(audio="call.wav", model="", channels=None, swap=False, lang="", no_store=True,
                title="", realtime=True, jsonl=True)
    return argparse.Namespace(**{**base, **kw})


@pytest.fixture
def fake_engine(monkeypatch, copilot_home):
    import copilot.asr.whisper_engine as we

    engines: list[FakeEngine] = []

    def make_engine(path, compute_type="int8", threads=2):
        engines.append(FakeEngine())
        return engines[-1]

    monkeypatch.setattr(we, "WhisperEngine", make_engine)
    monkeypatch.setattr(model_paths, "resolve_whisper_model", lambda *a: "tiny-model")
    monkeypatch.setattr(session_mod, "StreamingTranscriber", FakeTranscriber)
    return engines


def test_build_session_sizes_the_queue_from_settings(fake_engine, copilot_home):
    copilot_home.mkdir(parents=True, exist_ok=True)
    (copilot_home / "settings.toml").write_text("[audio]\nqueue_seconds = 3.0\n")
    session, store, engine = build.build_session(
        Settings.load(copilot_home / "settings.toml"), _request(), [],
        make_source=lambda r, s: FakeSource())
    assert session.blocks._q.maxsize == queue_blocks(3.0, 2) == 200
    assert store is None and not engine.closed


def test_build_session_closes_the_engine_when_a_later_step_fails(fake_engine):
    with pytest.raises(UserError, match="'fr'"):
        build.build_session(Settings(), _request(lang="fr"), [],
                            make_source=lambda r, s: FakeSource())
    assert fake_engine[0].closed


# -- running the command -------------------------------------------------------------------------

class ScriptedSession:
    def __init__(self, run) -> None:
        self._run = run
        self.stopped = threading.Event()

    def stop(self) -> None:
        self.stopped.set()

    def run(self) -> CallResult:
        return self._run(self)


def _command(monkeypatch, run):
    engine = FakeEngine()
    session = ScriptedSession(run)
    monkeypatch.setattr(build, "build_session",
                        lambda settings, request, listeners, make_source=None, assist=None:
                        (session, None, engine))
    return session, engine


def test_first_ctrl_c_stops_gracefully_and_prints_the_summary(monkeypatch, capsys):
    before = signal.getsignal(signal.SIGINT)

    def run(session):
        os.kill(os.getpid(), signal.SIGINT)
        assert session.stopped.wait(5)  # stop() was called, no KeyboardInterrupt
        return CallResult(call_id=7, finals=3)

    session, engine = _command(monkeypatch, run)
    assert transcribe_cmd.cmd_transcribe(_args()) == 0
    err = capsys.readouterr().err
    assert "Ctrl-C again to abort" in err and "3 final captions, stored as call 7" in err
    assert engine.closed
    assert signal.getsignal(signal.SIGINT) is before  # restored


def test_second_ctrl_c_aborts(monkeypatch):
    def run(session):
        os.kill(os.getpid(), signal.SIGINT)
        session.stopped.wait(5)
        os.kill(os.getpid(), signal.SIGINT)
        threading.Event().wait(5)  # the handler raises KeyboardInterrupt here
        raise AssertionError("not aborted")

    _command(monkeypatch, run)
    with pytest.raises(KeyboardInterrupt):
        transcribe_cmd.cmd_transcribe(_args())


def test_audio_failure_becomes_a_user_error(monkeypatch):
    def run(session):
        raise AudioError("input device 3 stopped delivering audio (unplugged?)")

    _, engine = _command(monkeypatch, run)
    with pytest.raises(UserError, match="unplugged"):
        transcribe_cmd.cmd_transcribe(_args())
    assert engine.closed


def test_store_failure_is_one_line_and_exit_1(monkeypatch, capsys):
    def run(session):
        raise SessionError("the call was stopped because saving the call failed: disk full")

    _command(monkeypatch, run)
    assert transcribe_cmd.cmd_transcribe(_args()) == 1
    assert capsys.readouterr().err.strip() == (
        "copilot: the call was stopped because saving the call failed: disk full")


def test_notice_is_printed_as_one_line():
    out = io.StringIO()
    CaptionPrinter(jsonl=False, out=out)(Notice("audio_dropped", "1.0 s dropped", 3.0))
    assert out.getvalue() == "[audio_dropped] 1.0 s dropped\n"


# -- errors reaching the user -------------------------------------------------------------------

def _not_installed():
    raise pypi_models.ModelNotInstalled("Whisper tiny.en is not installed (pip install ...)")


def test_explicit_model_names_that_are_not_installed(monkeypatch, copilot_home):
    monkeypatch.setattr(pypi_models, "whisper_tiny_en", _not_installed)
    with pytest.raises(model_paths.NoModelError, match="tiny.en is not installed"):
        model_paths.resolve_whisper_model("tiny.en")

    def disk_full(models_dir):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(pypi_models, "whisper_base", disk_full)
    for choice in ("base", ""):
        with pytest.raises(model_paths.NoModelError, match="No space left on device"):
            model_paths.resolve_whisper_model(choice)


def test_incomplete_base_packages_are_not_installed(monkeypatch, tmp_path):
    monkeypatch.setattr(pypi_models, "_package_dir", lambda name: tmp_path / name)
    with pytest.raises(pypi_models.ModelNotInstalled, match="incompletely installed"):
        pypi_models.whisper_base(tmp_path / "models")
    assert not (tmp_path / "models").exists()


@pytest.fixture
def fresh_logs():
    """logs.setup() follows COPILOT_HOME (a new home moves the log); restore the level after."""
    root = logging.getLogger("copilot")
    level = root.level
    yield
    root.setLevel(level)


def test_unexpected_error_is_one_line_with_the_traceback_in_the_log(
        monkeypatch, copilot_home, fresh_logs, capsys):
    def boom(args):
        raise RuntimeError("something impossible")

    monkeypatch.setattr(transcribe_cmd, "cmd_transcribe", boom)
    assert cli.main(["transcribe", "x.wav"]) == 1
    err = capsys.readouterr().err
    log_file = copilot_home / "logs" / "copilot.log"
    assert err == (f"copilot: unexpected error: RuntimeError: something impossible; "
                   f"details in {log_file}\n")
    text = log_file.read_text()
    assert "Traceback" in text and "something impossible" in text


def test_unusable_data_folder_is_one_line(monkeypatch, tmp_path, fresh_logs, capsys):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    monkeypatch.setenv("COPILOT_HOME", str(blocker / "home"))
    assert cli.main(["transcribe", "x.wav"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("copilot: cannot use the data folder") and err.count("\n") == 1


def test_printer_says_when_a_caption_is_shown_again_with_more_masked():
    import dataclasses
    import json

    out = io.StringIO()
    printer = CaptionPrinter(jsonl=False, out=out)
    printer(caption(text="it's six oh one one"))
    printer(dataclasses.replace(caption(text="it's [card number]"), amended=True))
    assert out.getvalue().splitlines() == [
        "[00:01.0] Customer: it's six oh one one",
        "[00:01.0] Customer: (corrected, more masked) it's [card number]"]
    out = io.StringIO()
    CaptionPrinter(jsonl=True, out=out)(dataclasses.replace(caption(), amended=True))
    assert json.loads(out.getvalue())["amended"] is True
    assert "amended" not in caption().to_dict()
