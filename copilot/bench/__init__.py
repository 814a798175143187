"""Measuring the live pipeline: word error rate, caption latency, memory, and a peer to compare with.

Bench code is never imported by the engine; heavy or optional libraries are imported lazily.
"""
