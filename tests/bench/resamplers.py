"""Our streaming resampler against PyAV's (libswresample), 48 kHz -> 16 kHz fed in 10 ms blocks:
where an impulse comes out, how much output is held back, aliasing of tones near and above 8 kHz,
and speed. The measurement behind BENCHMARKS.md "Libraries instead of hand-written code":

    .venv/bin/python tests/bench/resamplers.py
"""

from __future__ import annotations

import time

import av
import numpy as np

from copilot.audio.resample import StreamingResampler

SR = 48000
BLOCK = 480  # 10 ms


def tone(freq: float, secs: float = 2.0) -> np.ndarray:
    t = np.arange(int(SR * secs)) / SR
    return (0.5 * np.sin(2 * np.pi * freq * t)).astype(np.float32)


def _frame(x: np.ndarray) -> av.AudioFrame:
    frame = av.AudioFrame.from_ndarray(x[None, :], format="flt", layout="mono")
    frame.sample_rate = SR
    return frame


def pyav_stream(x: np.ndarray) -> np.ndarray:
    rs = av.AudioResampler(format="flt", layout="mono", rate=16000)
    out = [o.to_ndarray().reshape(-1) for i in range(0, len(x), BLOCK)
           for o in rs.resample(_frame(x[i:i + BLOCK]))]
    out += [o.to_ndarray().reshape(-1) for o in rs.resample(None)]
    return np.concatenate(out)


def ours_stream(x: np.ndarray) -> np.ndarray:
    rs = StreamingResampler(SR)
    out = [rs.process(x[i:i + BLOCK]) for i in range(0, len(x), BLOCK)]
    return np.concatenate([*out, rs.flush()])


def held_back_ms(name: str) -> float:
    x = tone(1000, 0.5)
    if name == "ours":
        rs = StreamingResampler(SR)
        got = sum(len(rs.process(x[i:i + BLOCK])) for i in range(0, len(x), BLOCK))
    else:
        av_rs = av.AudioResampler(format="flt", layout="mono", rate=16000)
        got = sum(o.samples for i in range(0, len(x), BLOCK)
                  for o in av_rs.resample(_frame(x[i:i + BLOCK])))
    return (8000 - got) / 16000 * 1000


def main() -> None:
    impulse = np.zeros(SR * 2, np.float32)
    impulse[SR] = 1.0
    for name, fn in (("ours", ours_stream), ("pyav", pyav_stream)):
        y = fn(impulse)
        print(f"{name}: an impulse at 1.000 s comes out at {np.argmax(np.abs(y)) / 16000:.4f} s; "
              f"{len(y)} output samples (32000 expected); held back after 0.5 s fed: "
              f"{held_back_ms(name):.1f} ms")
        for freq in (1000, 7900, 8100, 9000):
            y = fn(tone(freq))[2000:-2000]
            spec = np.abs(np.fft.rfft(y * np.hanning(len(y))))
            print(f"   {freq} Hz tone -> output level {20 * np.log10(spec.max() / (len(y) / 4)):.1f} dB")
        t0 = time.perf_counter()
        fn(tone(440, 60.0))
        print(f"   60 s in 10 ms blocks: {1000 * (time.perf_counter() - t0):.0f} ms")


if __name__ == "__main__":
    main()
