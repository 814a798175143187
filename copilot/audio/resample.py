"""Sample-rate conversion to 16 kHz with a windowed-sinc polyphase filter (numpy only).

Files arrive at 8, 22.05, 44.1 or 48 kHz and many devices only open at 44.1 or 48 kHz, while the
speech models want 16 kHz. One implementation serves both cases: `StreamingResampler` keeps the
input history between blocks, so a live stream fed in 10 ms pieces gives exactly the same samples
as resampling the whole recording at once (no clicks at block borders), and `resample()` is that
streamer fed in one go.

The filter is centred (zero phase), so output sample n is the signal at time n / sr_out: the call
clock needs no delay correction. The price is a look-ahead of about a millisecond before an output
sample can be computed, which `flush()` pays with zeros at the end.
"""

from __future__ import annotations

import math

import numpy as np

from .base import SAMPLE_RATE

# Pass band edge as a fraction of the lower Nyquist frequency: 16 kHz output keeps 0..7.2 kHz,
# which covers everything a phone line carries, and leaves room for the stop band before 8 kHz.
_ROLLOFF = 0.9
# Zero crossings of the sinc on each side: more is a sharper, longer filter. 16 with a Kaiser
# window (beta 8.6, about 85 dB side lobes) keeps aliases far below a phone line's noise floor.
_ZERO_CROSSINGS = 16
_KAISER_BETA = 8.6
# Outputs computed per numpy step: bounds the temporary (outputs x taps) gather matrices.
_CHUNK_OUT = 8192


class StreamingResampler:
    """Converts a 1-D float32 stream from `sr_in` to `sr_out`, block by block."""

    def __init__(self, sr_in: int, sr_out: int = SAMPLE_RATE) -> None:
        if sr_in <= 0 or sr_out <= 0:
            raise ValueError(f"sample rates must be positive, got {sr_in} -> {sr_out}")
        self.sr_in = int(sr_in)
        self.sr_out = int(sr_out)
        g = math.gcd(self.sr_in, self.sr_out)
        self._up = self.sr_out // g
        self._down = self.sr_in // g
        self._passthrough = self._up == self._down
        self._table, self._offsets, self._taps = _polyphase_table(self._up, self._down)
        # Input history with absolute sample indices; the stream starts after `taps` zeros so the
        # first outputs see silence, not garbage, before sample 0.
        self._buf = np.zeros(self._taps, dtype=np.float32)
        self._buf_start = -self._taps
        self._n_in = 0  # input samples fed so far
        self._n_out = 0  # output samples produced so far
        self._flushed = False

    @property
    def latency(self) -> float:
        """Seconds of input an output sample waits for (the filter's look-ahead)."""
        return 0.0 if self._passthrough else self._taps / 2 / self.sr_in

    def process(self, x: np.ndarray) -> np.ndarray:
        """Feed the next input samples; returns every output sample that is now complete."""
        if self._flushed:
            raise RuntimeError("resampler already flushed")
        x = np.asarray(x, dtype=np.float32).reshape(-1)
        self._n_in += len(x)
        if self._passthrough:
            self._n_out += len(x)
            return x.copy()
        self._buf = np.concatenate([self._buf, x])
        return self._produce(limit=None)

    def flush(self) -> np.ndarray:
        """End of stream: returns the remaining outputs, up to ceil(n_in * sr_out / sr_in) in all."""
        if self._flushed:
            return np.zeros(0, dtype=np.float32)
        self._flushed = True
        if self._passthrough:
            return np.zeros(0, dtype=np.float32)
        total = -(-self._n_in * self._up // self._down)  # ceil without floats
        self._buf = np.concatenate([self._buf, np.zeros(2 * self._taps, dtype=np.float32)])
        return self._produce(limit=total)

    def _produce(self, limit: int | None) -> np.ndarray:
        buf_end = self._buf_start + len(self._buf)
        # Output n needs input indices first(n) .. first(n) + taps - 1, where
        # first(n) = floor(n * down / up) - offset[phase(n)]; find the last n whose window is in.
        n_hi = (buf_end + 1) * self._up // self._down + 1
        if limit is not None:
            n_hi = min(n_hi, limit)
        n = np.arange(self._n_out, max(n_hi, self._n_out), dtype=np.int64)
        pos = n * self._down
        phase = pos % self._up
        first = pos // self._up - self._offsets[phase]
        ok = first + self._taps <= buf_end
        n, phase, first = n[ok], phase[ok], first[ok]  # `ok` is a prefix: first() is monotonic
        out = np.empty(len(n), dtype=np.float32)
        taps = np.arange(self._taps, dtype=np.int64)
        for i in range(0, len(n), _CHUNK_OUT):
            rows = slice(i, i + _CHUNK_OUT)
            idx = (first[rows] - self._buf_start)[:, None] + taps[None, :]
            out[rows] = np.einsum("ij,ij->i", self._buf[idx], self._table[phase[rows]])
        self._n_out += len(n)
        # Keep only the history the next output still needs.
        next_first = (self._n_out * self._down) // self._up - int(self._offsets.max())
        drop = max(0, min(next_first - self._buf_start, len(self._buf)))
        if drop:
            self._buf = self._buf[drop:]
            self._buf_start += drop
        return out


def resample(x: np.ndarray, sr_in: int, sr_out: int = SAMPLE_RATE) -> np.ndarray:
    """Resample a whole signal: 1-D, or 2-D (frames, channels) column by column. float32 out."""
    x = np.asarray(x, dtype=np.float32)
    if sr_in == sr_out:
        return x.copy()
    if x.ndim == 2:
        cols = [resample(x[:, c], sr_in, sr_out) for c in range(x.shape[1])]
        return np.stack(cols, axis=1) if cols else np.zeros((0, 0), dtype=np.float32)
    r = StreamingResampler(sr_in, sr_out)
    return np.concatenate([r.process(x), r.flush()])


def _polyphase_table(up: int, down: int) -> tuple[np.ndarray, np.ndarray, int]:
    """Coefficients per output phase for y[n] = sum_k table[phase, k] * x[first(n) + k].

    The prototype low-pass runs at the virtual rate sr_in * up; output n sits at position
    n * down on that grid, and input j at j * up. Its phase (n * down mod up) picks the taps.
    """
    if up == down:
        return np.ones((1, 1), dtype=np.float32), np.zeros(1, dtype=np.int64), 1
    cutoff = _ROLLOFF * 0.5 / max(up, down)  # cycles per virtual-rate sample
    half = math.ceil(_ZERO_CROSSINGS / (2 * cutoff))
    taps = (2 * half) // up + 2
    phases = np.arange(up, dtype=np.int64)
    # first input index relative to floor(pos / up) whose filter position is within `half`
    offsets = (half - phases) // up
    k = np.arange(taps, dtype=np.int64)
    # distance (virtual samples) from output position to input first+k
    t = phases[:, None] + (offsets[:, None] - k[None, :]) * up
    inside = np.abs(t) <= half
    window = np.zeros(t.shape)
    window[inside] = np.kaiser(2 * half + 1, _KAISER_BETA)[t[inside] + half]
    # Gain `up` makes up for the zeros a textbook up-sampler would insert between inputs.
    h = up * 2 * cutoff * np.sinc(2 * cutoff * t) * window
    return h.astype(np.float32), offsets, taps
