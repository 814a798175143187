"""Peak RSS sampling around a block of code."""

from __future__ import annotations

import numpy as np
from waiting import wait_until

from copilot.bench.memory import MB, PeakRss, ru_maxrss_bytes


def test_peak_sees_a_temporary_allocation():
    with PeakRss(interval=0.01) as mem:
        block = np.ones(80 * MB // 8)  # 80 MB, touched so it is resident
        seen = mem.samples
        assert wait_until(lambda: mem.samples >= seen + 2)  # sampled while it is held
        del block
    assert mem.samples >= 2
    assert mem.peak_bytes - mem.start_bytes > 60 * MB
    assert mem.end_bytes < mem.peak_bytes  # freed again, the peak remembers it
    assert mem.ru_maxrss_bytes >= mem.peak_bytes * 0.9  # lifetime peak: an upper bound
    d = mem.to_dict()
    assert d["growth_mb"] > 60 and d["peak_rss_mb"] >= d["start_rss_mb"]


def test_short_block_still_measured():
    with PeakRss() as mem:
        pass
    assert mem.peak_bytes >= mem.start_bytes > 0
    assert ru_maxrss_bytes() > 0
