"""Payment-mode intervals on the call clock (PaymentWindows): whether a caption was spoken while
payment mode was on, so that the call session (session.py) shows and stores it only as the
payment-mode placeholder, or not at all for a partial."""

from __future__ import annotations

import math
import threading

# Captions are cut by a VAD whose edges wobble by a few hundred ms: speech this close to a payment
# interval is treated as inside it (better to lose a word than keep a digit).
PAYMENT_MARGIN = 0.3


class PaymentWindows:
    """Payment-mode intervals on the call clock. Captions lag speech by seconds, so whether a
    caption is hidden depends on when it was *spoken*, not on when it is emitted."""

    def __init__(self, margin: float = PAYMENT_MARGIN) -> None:
        self.margin = margin
        self._spans: list[list[float]] = []  # [start, end]; end = inf while open
        self._lock = threading.Lock()

    def set(self, on: bool, now: float) -> None:
        with self._lock:
            is_open = bool(self._spans) and math.isinf(self._spans[-1][1])
            if on and not is_open:
                self._spans.append([now, math.inf])
            elif not on and is_open:
                self._spans[-1][1] = now

    @property
    def active(self) -> bool:
        with self._lock:
            return bool(self._spans) and math.isinf(self._spans[-1][1])

    def overlaps(self, start: float, end: float) -> bool:
        with self._lock:
            return any(start < e + self.margin and end > s - self.margin for s, e in self._spans)
