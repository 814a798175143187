"""How closely a paced replay follows the wall clock, and how fast stop() and a full queue answer.
The wall-clock figures behind what tests/core/test_audio_sources.py and test_audio_devices.py
check on a fake clock or by behaviour (BENCHMARKS.md "Replay pacing"):

    .venv/bin/python tests/bench/replay_pacing.py [--seconds 5] [--runs 3]

- pacing: a two-channel replay at speed 1 and 4; for every block, how late it was offered after
  its last sample was due (wall time since the start minus block end / speed), and the whole
  run against the audio's length;
- stop: from stop() to the end of the source's thread, during a paced replay;
- full queue: one BlockQueue.offer() on a full queue, and one capture callback that drops.
"""

from __future__ import annotations

import argparse
import statistics
import threading
import time

import numpy as np

from copilot.audio.base import FRAME_SAMPLES, SAMPLE_RATE, AudioBlock, BlockQueue
from copilot.audio.capture import DeviceCapture
from copilot.audio.channels import ChannelMap
from copilot.audio.synthetic import SyntheticSource, tone


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f} ms"


def _pct(values: list[float], q: float) -> float:
    return float(np.percentile(values, q))


def pacing(seconds: float, speed: float) -> tuple[list[float], float]:
    """(lateness of every block in seconds, wall seconds of the whole run)."""
    source = SyntheticSource({"agent": tone(seconds), "customer": tone(seconds, 700)},
                             realtime=True, speed=speed)
    out = BlockQueue(max_blocks=100_000)
    late: list[float] = []
    offer = out.offer

    def timed_offer(block: AudioBlock) -> bool:
        late.append(time.perf_counter() - t0 - block.end / speed)
        return offer(block)

    out.offer = timed_offer
    t0 = time.perf_counter()
    source.run(out)
    return late, time.perf_counter() - t0


def stop_latency() -> float:
    source = SyntheticSource({"agent": tone(30), "customer": tone(30)}, realtime=True)
    out = BlockQueue(max_blocks=100_000)
    thread = threading.Thread(target=source.run, args=(out,))
    thread.start()
    while out.qsize() < 10:  # under way
        time.sleep(0.001)
    t0 = time.perf_counter()
    source.stop()
    thread.join()
    return time.perf_counter() - t0


def full_queue_offer(n: int = 10_000) -> float:
    out = BlockQueue(max_blocks=1)
    block = AudioBlock("agent", 0.0, np.zeros(FRAME_SAMPLES, dtype=np.float32))
    out.offer(block)
    t0 = time.perf_counter()
    for _ in range(n):
        out.offer(block)
    return (time.perf_counter() - t0) / n


def dropping_callback(n: int = 2_000) -> float:
    """A 10 ms 48 kHz stereo PortAudio callback whose blocks all drop (the queue is full)."""
    out = BlockQueue(max_blocks=1)
    out.offer(AudioBlock("agent", 0.0, np.zeros(FRAME_SAMPLES, dtype=np.float32)))
    capture = DeviceCapture(ChannelMap("stereo").split, ("agent", "customer"), 48000, out)
    chunk = (np.random.default_rng(0).standard_normal((480, 2)) * 0.1).astype(np.float32)
    t0 = time.perf_counter()
    for _ in range(n):
        capture.callback(chunk, 480, None, None)
    return (time.perf_counter() - t0) / n


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seconds", type=float, default=5.0, help="audio per paced run")
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    frame = FRAME_SAMPLES / SAMPLE_RATE
    for speed in (1.0, 4.0):
        late: list[float] = []
        walls: list[float] = []
        for _ in range(args.runs):
            got, wall = pacing(args.seconds, speed)
            late += got
            walls.append(wall)
        audio = -(-args.seconds // frame) * frame / speed  # the padded length, at this speed
        print(f"pacing x{speed:g}: {len(late)} blocks over {args.runs} runs of {args.seconds:g} s; "
              f"offered after due: p50 {_ms(_pct(late, 50))}, p95 {_ms(_pct(late, 95))}, "
              f"max {_ms(max(late))}, earliest {_ms(min(late))}; run {statistics.median(walls):.3f} s "
              f"for {audio:.3f} s of paced audio (median)")
    stops = [stop_latency() for _ in range(args.runs)]
    print(f"stop: source thread ended {_ms(statistics.median(stops))} after stop() "
          f"(median of {args.runs}, max {_ms(max(stops))})")
    print(f"full queue: offer() {full_queue_offer() * 1e6:.2f} us; a dropping 10 ms 48 kHz "
          f"stereo capture callback {dropping_callback() * 1e6:.1f} us")


if __name__ == "__main__":
    main()
