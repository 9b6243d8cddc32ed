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


def freeze_startup_heap(gen0_threshold: int = 7_000) -> None:
    """For a long-running server once it has started: everything built so far (modules, ORM
    metadata, pydantic validators, the app) lives for the whole process, so collect once and
    move it to the permanent generation, where full collections no longer walk it — those
    walks over a few million start-up objects are the server's longest pauses. A larger
    gen-0 threshold than the default 700 collects less often for request garbage that mostly
    dies young anyway. Not undone: call it once, from the server's start-up."""
    gc.collect()
    gc.freeze()
    _, gen1, gen2 = gc.get_threshold()
    gc.set_threshold(gen0_threshold, gen1, gen2)
