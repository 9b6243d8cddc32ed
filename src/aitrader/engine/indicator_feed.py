"""The engine's indicator handles: one per strategy, instrument and spec, moved on each bar.

A handle's value comes from one of two places, bit for bit the same:

* **its streaming twin**, fed the bar's fields (live, paper, and any iterator of bars);
* **batch values** computed once over the columns of :meth:`TradingEngine.run_bar_arrays`,
  for every handle whose twin has seen no bar when the run starts (those registered in
  ``on_start``). Handles already streaming keep streaming through such a run.

A handle registered while bars are being processed (from ``on_bar``, say) gets its first value
from its twin on the next bar of its instrument, on either path — so the same strategy code sees
the same values in a backtest and live; register in ``on_start`` to see every bar.

A handle that was batch-computed has a twin that never saw those bars: on the first bar it must
stream (an iterator replayed after an array run), its twin is first caught up on the columns it
missed. A run that raises counts as seen in full.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from functools import partial
from typing import cast

import numpy as np

from aitrader.core.ids import InstrumentId, StrategyId
from aitrader.core.market_data import Bar
from aitrader.data.bar_arrays import F64, BarArrays
from aitrader.strategies.bar_indicators import BarIndicator, IndicatorSpec


class IndicatorFeed:
    """Owns every BarIndicator handle and keeps its ``value`` current before strategies decide."""

    def __init__(self) -> None:
        self._handles: dict[tuple[StrategyId, InstrumentId, Hashable], BarIndicator] = {}
        # per instrument, every handle in registration order: lists changed in place, never
        # replaced, so the bar loop may hold one (see streams)
        self._streams: dict[InstrumentId, list[BarIndicator]] = {}
        # handles whose twin has seen no bar, with the array runs they were batch-computed over
        self._unfed: dict[BarIndicator, list[BarArrays]] = {}

    def register(self, strategy_id: StrategyId, instrument_id: InstrumentId,
                 spec: IndicatorSpec) -> BarIndicator:
        """The strategy's handle of ``spec`` on the instrument (the same one when asked again)."""
        key = (strategy_id, instrument_id, spec.key)
        handle = self._handles.get(key)
        if handle is None:
            handle = self._handles[key] = BarIndicator(spec)
            handle.feed = self._first_feed(handle)
            self._unfed[handle] = []
            self.streams(instrument_id).append(handle)
        return handle

    def handles(self, instrument_id: InstrumentId) -> tuple[BarIndicator, ...]:
        """Every handle of an instrument, in registration order."""
        return tuple(self._streams.get(instrument_id, ()))

    def streams(self, instrument_id: InstrumentId) -> list[BarIndicator]:
        """Live view (changed in place, never replaced): the instrument's handles. A loop that
        holds it sets ``handle.value = handle.feed(bar)`` for each on each of its bars."""
        streams = self._streams.get(instrument_id)
        if streams is None:
            streams = self._streams[instrument_id] = []
        return streams

    def on_bar(self, bar: Bar) -> None:
        """Move the streaming handles of the bar's instrument to this bar."""
        streams = self._streams.get(bar.instrument_id)
        if streams:
            for handle in streams:
                handle.value = handle.feed(bar)

    # --- array runs ---------------------------------------------------------------------------
    def begin_arrays(self, instrument_id: InstrumentId, bars: BarArrays) -> ArrayRun:
        """Batch-compute over ``bars`` every handle of the instrument whose twin has seen no
        bar (after the runs it was batch-computed over before); returns those handles and their
        values, for :meth:`ArrayRun.stream` and :meth:`end_arrays`."""
        computed: dict[tuple[Hashable, int], F64] = {}
        run = ArrayRun()
        for handle in self.streams(instrument_id):
            runs = self._unfed.get(handle)
            if runs is None:
                continue  # its twin is streaming already: it goes on streaming
            spec = handle.spec
            shared = (spec.key, len(runs))  # handles of one key missed the same runs
            values = computed.get(shared)
            if values is None:
                offset = sum(len(run) for run in runs)
                columns = [_joined([*runs, bars], name) for name in spec.fields]
                out = spec.compute(*columns)
                if len(out) != offset + len(bars):
                    raise ValueError(f"indicator {spec.key} returned {len(out)} values for "
                                     f"{offset + len(bars)} bars")
                values = computed[shared] = out[offset:]
            run.add(handle, values)
        return run

    def end_arrays(self, run: ArrayRun, bars: BarArrays) -> None:
        """After an array run: the batch-computed handles stream again, their twins behind by
        ``bars`` (caught up on their first streamed bar)."""
        for handle in run.handles:
            self._unfed[handle].append(bars)
            handle.feed = self._first_feed(handle)

    # --- streaming ----------------------------------------------------------------------------
    def _first_feed(self, handle: BarIndicator) -> Callable[[Bar], float]:
        """The feeder of a handle whose twin has seen no bar: it catches the twin up on the
        array runs the handle was batch-computed over, then streams and steps aside."""

        def first(bar: Bar) -> float:
            update = handle.twin.update
            for run in self._unfed.pop(handle, ()):
                for row in zip(*(getattr(run, name).tolist() for name in handle.spec.fields),
                               strict=True):
                    update(*row)
            stream = handle.feed = handle.spec.reader(handle.twin)
            return stream(bar)

        return first


def _joined(runs: list[BarArrays], name: str) -> F64:
    """One column of consecutive runs as one array (no copy for a single run)."""
    if len(runs) == 1:
        column: F64 = getattr(runs[0], name)
        return column
    return np.concatenate([getattr(run, name) for run in runs])


class ArrayRun:
    """The handles batch-computed for one array run and their values over it."""

    def __init__(self) -> None:
        self.handles: list[BarIndicator] = []
        self.values: dict[BarIndicator, F64] = {}

    def add(self, handle: BarIndicator, values: F64) -> None:
        """Record ``values`` (one per bar of the run) as the handle's."""
        self.handles.append(handle)
        self.values[handle] = values

    def stream(self) -> None:
        """Make each handle's ``feed`` hand out its values bar by bar from the run's first bar
        (for a loop that visits every bar)."""
        for handle in self.handles:
            # next(values, bar): the value of this bar, all in C (one value per bar, so the
            # default is never returned)
            values = iter(self.values[handle].tolist())
            handle.feed = cast(Callable[[Bar], float], partial(next, values))
