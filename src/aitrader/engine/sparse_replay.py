"""The bar loop of a backtest over columns that skips the bars nobody acts on.

When every strategy that takes an instrument's bars declared a wake condition (see
:mod:`aitrader.strategies.wake`) over indicator handles batch-computed for the run, the engine
knows in advance on which bars some strategy decides. A bar between those changes nothing the
run can observe unless an order works at the venue (the venue must match it against the bar),
so the loop visits only the bars where a strategy wakes and, while orders work, every bar. The
equity curve does not need the skipped bars: the backtest rebuilds it from the fills.

Each visited bar goes through the steps of the dense loop in the same order (clock, venue,
mark, indicator values, strategies), and after the run the clock, the mark and every handle
stand on the last bar, as after the dense loop. A strategy that joins the instrument's routes
mid-run without a mask (or a handle registered mid-run) turns skipping off for the rest of
the run: the loop then visits every bar.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import numpy.typing as npt

from aitrader.core.errors import DataError
from aitrader.core.ids import InstrumentId
from aitrader.core.market_data import Bar
from aitrader.core.ports import Venue
from aitrader.data.bar_arrays import F64, BarArrays
from aitrader.engine.clock import SimClock
from aitrader.engine.indicator_feed import ArrayRun
from aitrader.strategies.bar_indicators import BarIndicator
from aitrader.strategies.base import Strategy
from aitrader.strategies.wake import Mask

Routes = Mapping[InstrumentId, tuple[Strategy, ...]]


def wake_masks(strategies: tuple[Strategy, ...], run: ArrayRun, n: int
               ) -> dict[Strategy, Mask] | None:
    """Each strategy's wake mask over a run of ``n`` bars, or None when one of them cannot say
    in advance (no wake condition, or one that reads a handle the run did not batch-compute)."""
    conditions = [(s, s.wake) for s in strategies]
    ready = [(s, wake) for s, wake in conditions
             if wake is not None and all(h in run.values for h in wake.handles)]
    if len(ready) < len(conditions):
        return None
    masks: dict[Strategy, Mask] = {}
    for strategy, wake in ready:  # batch() moves each condition to the run's end
        mask = wake.batch(run.values.__getitem__)
        if mask.shape != (n,):
            raise ValueError(f"strategy {strategy.id}: its wake condition gave "
                             f"{mask.shape} values for the run")
        masks[strategy] = mask
    return masks


def replay_sparse(
    bars: BarArrays,
    iid: InstrumentId,
    clock: SimClock,
    venue: Venue,
    marks: dict[InstrumentId, float],
    routes: Routes,
    streams: list[BarIndicator],
    run: ArrayRun,
    masks: dict[Strategy, Mask],
    fail: Callable[[Strategy, str, Exception], None],
) -> int:
    """Visit the bars where a strategy wakes or an order works; returns how many bars the run
    covered (all of them)."""
    n = len(bars)
    ts = bars.ts_ns
    tf = bars.timeframe_ns
    if n == 0:
        return 0
    if int(ts[0]) + tf < clock.ns or bool(np.any(ts[1:] < ts[:-1])):
        raise DataError(f"{iid}: bar times go backwards (at or after {clock.ns})")
    wake_at: list[int] = np.flatnonzero(np.logical_or.reduce(list(masks.values()))).tolist() \
        if masks else []
    batched = [(h, run.values[h]) for h in run.handles]
    venue_bar = venue.on_bar
    pending = venue.pending_for(iid)
    current = routes.get(iid, ())
    gates = [(s, masks.get(s)) for s in current]
    every_bar = any(mask is None for _, mask in gates) or len(streams) > len(batched)
    order = list(masks)  # row[6 + len(batched) + m] is whether strategy order[m] wakes
    rows = _Rows([bars.ts_ns, bars.open, bars.high, bars.low, bars.close, bars.volume,
                  *(values for _, values in batched), *(masks[s] for s in order)], wake_at)
    wakes_at = {s: 6 + len(batched) + m for m, s in enumerate(order)}
    i = 0 if pending or every_bar or not wake_at else wake_at[0]
    k = 0
    while i < n:
        row = rows.row(i)
        t_open: int = row[0]
        bar = Bar(iid, t_open, t_open + tf, row[1], row[2], row[3], row[4], row[5])
        clock.ns = t_open + tf
        if pending:
            venue_bar(bar)
        marks[iid] = bar.close
        for col, (handle, _) in enumerate(batched, 6):
            handle.value = row[col]
        if len(streams) > len(batched):  # registered mid-run: streamed from its twin
            for handle in streams[len(batched):]:
                handle.value = handle.feed(bar)
        for strategy, mask in gates:
            try:
                if mask is None:
                    wake = strategy.wake
                    if wake is not None and not wake.step():
                        continue
                elif not row[wakes_at[strategy]]:
                    continue
                strategy.on_bar(bar)
            except Exception as exc:  # a bug stops that strategy only
                fail(strategy, "on_bar", exc)
        if routes.get(iid, ()) is not current:  # started, stopped or failed while on this bar
            current = routes.get(iid, ())
            gates = [(s, masks.get(s)) for s in current]
            every_bar = every_bar or any(mask is None for _, mask in gates)
        every_bar = every_bar or len(streams) > len(batched)
        i += 1
        if pending or every_bar:
            continue
        k = bisect_left(wake_at, i, k)
        i = wake_at[k] if k < len(wake_at) else n
    _end_on_last_bar(bars, iid, clock, marks, batched)
    return n


def _end_on_last_bar(bars: BarArrays, iid: InstrumentId, clock: SimClock,
                     marks: dict[InstrumentId, float],
                     batched: list[tuple[BarIndicator, F64]]) -> None:
    """Leave the clock, the mark and the handles where the dense loop would: on the last bar."""
    last = len(bars) - 1
    clock.ns = max(clock.ns, bars.ts_ns.item(last) + bars.timeframe_ns)
    marks[iid] = bars.close.item(last)
    for handle, values in batched:
        handle.value = values.item(last)


class _Rows:
    """One bar's inputs (ts, OHLCV, each handle's value, each strategy's wake) as a list: for
    the bars the loop will most likely visit (each wake bar and the bar after it, where a
    market order fills) gathered from the columns once, as Python values; for any other bar
    read from the columns when visited. Visits must come in increasing bar order."""

    def __init__(self, columns: list[npt.NDArray[Any]], wake_at: list[int]) -> None:
        n = len(columns[0])
        likely = np.zeros(n + 1, dtype=np.bool_)
        wake = np.asarray(wake_at, dtype=np.int64)
        likely[wake] = True
        likely[wake + 1] = True  # the bar after a wake bar, where a market order fills
        at = np.flatnonzero(likely[:n])
        self._columns = columns
        self._at: list[int] = at.tolist()
        self._gathered: list[list[Any]] = [column[at].tolist() for column in columns]
        self._next = 0  # the first gathered position not behind the last visit

    def row(self, i: int) -> list[Any]:
        """The inputs of bar ``i``."""
        at = self._at
        j = self._next
        while j < len(at) and at[j] < i:
            j += 1
        self._next = j
        if j < len(at) and at[j] == i:
            return [column[j] for column in self._gathered]
        return [column.item(i) for column in self._columns]
