"""Garbage-collector settings for long simulated runs."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def relaxed_gc(gen0_threshold: int = 50_000) -> Iterator[None]:
    """During a backtest the heap only grows (orders, fills, events are kept), so the default
    gen-0 threshold of 700 makes the collector rescan it thousands of times. Freeze what
    exists before the run and collect less often; everything is restored afterwards."""
    before = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(gen0_threshold, before[1], before[2])
    try:
        yield
    finally:
        gc.set_threshold(*before)
        gc.unfreeze()
