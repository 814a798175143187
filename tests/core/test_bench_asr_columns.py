"""`copilot bench asr` reports echoes and card digits leaked, per call and per run, in the table
and in --json. No model: the runs are replaced by hand-made captions scored with the bench's own
functions; what is checked is what the command does with them (which call gets its secrets, the
sums, "-" where a count does not apply)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from copilot.bench import asr_bench
from copilot.events import Caption

DATA = Path(__file__).resolve().parents[1] / "data" / "calls"
CARD_CALL = DATA / "cards" / "02_two_breaths_mastercard.flac"  # has a .expect.json
PLAIN_CALL = DATA / "outage_follow_up.wav"  # has none


def _cap(channel: str, start: float, end: float, text: str, final: bool = True) -> Caption:
    return Caption(id=f"{channel}{start}", final=final, channel=channel, start=start, end=end,
                   at=end + 0.3, lang="en", text=text)


class _Engine:
    def __init__(self, *args) -> None:
        pass

    def __enter__(self) -> _Engine:
        return self

    def __exit__(self, *exc) -> None:
        pass


def _live(audio, engine, ref, cmap, langs, options=None, *, known=None, **kw):
    # The card call: one echo ("Got it" twice) and the first four digits shown in a partial.
    if Path(audio) == CARD_CALL:
        captions = [_cap("agent", 19.2, 21.0, "Got it. Got it. Anything else I need?"),
                    _cap("customer", 11.4, 12.5, "Five four two five", final=False),
                    _cap("customer", 11.4, 14.1, "[card number],")]
    else:
        captions = [_cap("agent", 0.5, 4.3, "Good morning, Northwind Mobile, this is Riley.")]
    res = asr_bench.RunResult("live", events=captions)
    res.finals = [c for c in captions if c.final]
    res.echoes = asr_bench.score_echoes(ref, res.finals, cmap)
    res.card_leaks = asr_bench.count_leaks(captions, known)
    return res


def _offline(audio, engine, ref, cmap, langs):
    res = asr_bench.RunResult("offline")
    res.echoes = asr_bench.score_echoes(ref, [], cmap)
    return res


@pytest.fixture
def bench(monkeypatch, copilot_home, capsys):
    import copilot.asr.model_paths as model_paths
    import copilot.asr.whisper_engine as whisper_engine

    monkeypatch.setattr(model_paths, "resolve_whisper_model", lambda *a: copilot_home / "m")
    monkeypatch.setattr(model_paths, "pack_languages", lambda *a: ())
    monkeypatch.setattr(whisper_engine, "WhisperEngine", _Engine)
    monkeypatch.setattr(asr_bench, "run_live", _live)
    monkeypatch.setattr(asr_bench, "run_offline", _offline)

    def run(*args: str) -> str:
        from copilot.cli.entry import main

        assert main(["bench", "asr", str(CARD_CALL), str(PLAIN_CALL), "--peer", "none",
                     *args]) == 0
        return capsys.readouterr().out
    return run


def test_the_json_has_both_counts_per_call_and_per_run(bench):
    report = json.loads(bench("--json"))
    card, plain = (f["runs"] for f in report["files"])
    assert (card["live"]["echoes"], card["live"]["card_digits_leaked"]) == (1, 1)
    assert card["live"]["echo_turns"] == [
        {"channel": "agent", "turn_start": 19.154, "repeats": ["got it"]}]
    assert (plain["live"]["echoes"], plain["live"]["card_digits_leaked"]) == (0, None)
    # The offline batch redacts nothing and shows nothing: no leak count, even on a card call.
    assert (card["offline"]["echoes"], card["offline"]["card_digits_leaked"]) == (0, None)
    total = report["total"]
    assert (total["live"]["echoes"], total["live"]["card_digits_leaked"]) == (1, 1)
    assert (total["offline"]["echoes"], total["offline"]["card_digits_leaked"]) == (0, None)


def test_the_table_has_both_columns_and_a_line_per_call(bench):
    lines = bench().splitlines()
    head = next(line for line in lines if line.startswith("run"))
    assert head.split()[-3:] == ["echoes", "card", "leaks"]
    rows = {line.split()[0]: line.split() for line in lines}
    assert rows["live"][-2:] == ["1", "1"] and rows["offline"][-2:] == ["0", "-"]
    assert rows["02_two_breaths_mastercard.flac"][1:] == ["1/1", "0/-"]
    assert rows["outage_follow_up.wav"][1:] == ["0/-", "0/-"]
