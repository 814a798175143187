"""An expected error in a window call (a 0-byte recording) is told in the window's banner and the
log, without a Python traceback anywhere (issue 15: the terminal printed one)."""

from __future__ import annotations

import logging

from test_call_services import _wait_for

import ui.call_runner as cr


def test_a_zero_byte_recording_fails_clearly_and_logs_no_traceback(copilot_home, tmp_path,
                                                                    caplog):
    empty = tmp_path / "empty.wav"
    empty.write_bytes(b"")
    posted: list = []
    runner = cr.CallRunner(posted.append, cr.RunnerOptions(
        kb_dir=str(tmp_path / "no-kb"), use_llm=False, model=str(tmp_path / "no-model")))
    runner.load()
    _wait_for(posted, cr.NO_MODEL)
    with caplog.at_level(logging.DEBUG):
        runner.start(cr.CallSource(cr.FILE, path=str(empty)))
        state = _wait_for(posted, cr.FAILED)
        runner._thread.join(10)
    runner.close()
    assert "empty.wav" in state.message or "no Whisper model" in state.message
    assert "Traceback" not in state.message
    failures = [r for r in caplog.records if r.name.startswith("ui.")
                and r.levelno >= logging.WARNING]
    assert failures and all(r.exc_info is None for r in failures), failures
