"""The LocalAgreement peer: feeding, errors, and a short real run (e2e, needs tiny.en).

The real runs fail, not skip, when the shared test data, Whisper tiny.en or faster-whisper
(all installed by `./dev setup`) are missing. Only the `package` policy's peer may be absent:
`./dev setup` carries on without whisper-streaming when it does not install."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from copilot.bench import latency, wer
from copilot.bench.peer_localagreement import (
    PeerOptions,
    load_channels,
    peer_available,
    run_peer,
)
from copilot.bench.references import find_reference

JFK = Path("speech") / "en" / "jfk.flac"  # in the shared test data


def _tiny_en() -> Path:
    from models import pypi_models

    try:
        return pypi_models.whisper_tiny_en()
    except pypi_models.ModelNotInstalled as e:
        pytest.fail(f"{e}; ./dev setup installs it")


def _needs_faster_whisper() -> None:
    if not peer_available():
        pytest.fail("faster-whisper is not importable (a dependency of the project: ./dev setup)")


def test_load_channels_maps_columns_and_resamples(tmp_path):
    t = np.arange(8000) / 8000
    stereo = np.stack([0.5 * np.sin(2 * np.pi * 300 * t), np.zeros_like(t)], axis=1)
    path = tmp_path / "s.wav"
    sf.write(path, stereo.astype(np.float32), 8000)
    out = load_channels(path, {"agent": 0, "customer": 1, "mono": None})
    assert {k: len(v) for k, v in out.items()} == {"agent": 16000, "customer": 16000,
                                                   "mono": 16000}
    assert np.abs(out["customer"]).max() < 1e-6
    assert np.abs(out["mono"]).max() == pytest.approx(np.abs(out["agent"]).max() / 2, rel=0.05)
    assert len(load_channels(path, {"agent": 0}, limit=0.5)["agent"]) == 8000
    with pytest.raises(ValueError, match="no column 2"):
        load_channels(path, {"agent": 2})


def test_bad_arguments_fail_before_any_model_loads(tmp_path):
    assert isinstance(peer_available(), bool)
    assert isinstance(peer_available("package"), bool)
    audio = tmp_path / "never-read.wav"
    with pytest.raises(ValueError, match="policy"):
        run_peer(audio, tmp_path, {"mono": None}, opts=PeerOptions(policy="nope"))
    if peer_available():
        with pytest.raises(FileNotFoundError, match="model.bin"):
            run_peer(audio, tmp_path, {"mono": None})


def _check_run(caps, ref_text: str, max_wer: float) -> None:
    finals = [c for c in caps if c.final]
    assert finals and all(c.channel == "mono" for c in caps)
    text = " ".join(c.text for c in sorted(finals, key=lambda c: c.start))
    assert wer.wer(ref_text, text).wer <= max_wer, text
    assert all(c.at >= c.end - 0.5 for c in finals)  # nothing is committed before it is said


@pytest.mark.e2e
def test_ufal_policy_real_time_on_a_short_clip(testdata):
    _needs_faster_whisper()
    jfk = testdata / JFK
    ref = find_reference(jfk)
    caps = run_peer(jfk, _tiny_en(), {"mono": None}, realtime=True, langs={"mono": "en"})
    _check_run(caps, ref.text_by_channel["mono"], 0.35)
    assert any(not c.final for c in caps)  # the unconfirmed tail shows as partials
    turn = latency.score([ref.turns[0]], caps)
    assert turn.unmatched_turns == 0 and turn.max is not None and turn.max >= 0.0


@pytest.mark.e2e
@pytest.mark.skipif(not peer_available("package"), reason="whisper-streaming not installed "
                    "(optional: ./dev setup goes on without it)")
def test_package_policy_runs_the_port_as_shipped(testdata):
    jfk = testdata / JFK
    ref = find_reference(jfk)
    caps = run_peer(jfk, _tiny_en(), {"mono": None}, realtime=False, langs={"mono": "en"},
                    opts=PeerOptions(policy="package"))
    _check_run(caps, ref.text_by_channel["mono"], 0.5)
