"""The one-pass equity-curve kernels give numpy's floats bit for bit (NaNs included)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from aitrader.portfolio.curve_kernels import equity_from_fills, last_of_each_day, max_drawdown

TF = 60_000_000_000
DAY = 86_400 * 1_000_000_000


def numpy_equity(bar_ts, close, fill_ts, cash, qty, avg, start_cash):  # type: ignore[no-untyped-def]
    """The numpy formulation the kernel replaced (FillSnapshots.equity_curve before)."""
    n = len(bar_ts)
    c, q, a = np.full(n, start_cash), np.zeros(n), np.zeros(n)
    if len(fill_ts):
        idx = np.searchsorted(bar_ts, np.asarray(fill_ts, dtype=np.int64) - TF, side="left")
        keep = idx < n
        idx, rows = idx[keep], np.arange(len(fill_ts))[keep]
        if len(idx):
            last = np.full(n, -1, dtype=np.int64)
            last[idx] = rows
            np.maximum.accumulate(last, out=last)
            first = int(idx.min())
            at = last[first:]
            c[first:], q[first:], a[first:] = cash[at], qty[at], avg[at]
    return c + (close - a) * q, q != 0


def numpy_drawdown(equity):  # type: ignore[no-untyped-def]
    peaks = np.maximum.accumulate(equity)
    with np.errstate(all="ignore"):  # tiny peaks overflow the ratio to inf, as in the kernel
        dd = (peaks - equity) / np.where(peaks > 0, peaks, np.nan)
    return float(np.nanmax(dd)) if np.any(~np.isnan(dd)) else 0.0


prices = st.floats(-1e6, 1e6, allow_nan=False) | st.just(float("nan"))


@settings(max_examples=300, deadline=None)
@given(n=st.integers(1, 60), data=st.data())
def test_equity_from_fills_equals_the_numpy_formulation(n: int, data: st.DataObject) -> None:
    bar_ts = np.arange(n, dtype=np.int64) * TF + 1_700_000_000_000_000_000
    close = np.array(data.draw(st.lists(prices, min_size=n, max_size=n)))
    # fills in time order, several per bar, some after the last close
    offsets = sorted(data.draw(st.lists(st.integers(0, (n + 3) * TF), max_size=12)))
    fill_ts = np.asarray(offsets, dtype=np.int64) + bar_ts[0]
    m = len(fill_ts)
    cash = np.array(data.draw(st.lists(prices, min_size=m, max_size=m)))
    qty = np.array(data.draw(st.lists(st.sampled_from([0.0, 1.0, -2.5, 0.001]),
                                      min_size=m, max_size=m)))
    avg = np.array(data.draw(st.lists(prices, min_size=m, max_size=m)))
    got_eq, got_in = equity_from_fills(bar_ts, close, TF, fill_ts, cash, qty, avg, 10_000.0)
    want_eq, want_in = numpy_equity(bar_ts, close, fill_ts, cash, qty, avg, 10_000.0)
    np.testing.assert_array_equal(got_eq, want_eq)  # NaN == NaN here, and exact floats
    np.testing.assert_array_equal(got_in, want_in)


def test_the_last_fill_of_a_bar_wins_and_later_fills_change_nothing() -> None:
    bar_ts = np.arange(3, dtype=np.int64) * TF
    close = np.array([100.0, 110.0, 120.0])
    # a fill counts from the first close at or after it: bar 0 twice, bar 1, then after the end
    fill_ts = np.array([TF - 10, TF, 2 * TF, 9 * TF], dtype=np.int64)
    cash = np.array([1.0, 2.0, 3.0, 4.0])
    qty = np.array([1.0, 0.0, 2.0, 5.0])
    avg = np.array([90.0, 0.0, 100.0, 1.0])
    equity, held = equity_from_fills(bar_ts, close, TF, fill_ts, cash, qty, avg, 50.0)
    assert equity.tolist() == [2.0, 3.0 + 10.0 * 2, 3.0 + 20.0 * 2]
    assert held.tolist() == [False, True, True]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.floats(-1e3, 1e3, allow_nan=False) | st.just(float("nan")),
                min_size=1, max_size=50))
def test_max_drawdown_equals_the_numpy_formulation(values: list[float]) -> None:
    equity = np.array(values)
    assert max_drawdown(equity) == numpy_drawdown(equity)


def test_max_drawdown_of_a_known_curve() -> None:
    assert max_drawdown(np.array([100.0, 120.0, 90.0, 130.0, 117.0])) == 0.25
    assert max_drawdown(np.array([-5.0, -10.0])) == 0.0  # no positive peak: nothing to fall from


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 5 * DAY), min_size=0, max_size=40), st.booleans())
def test_last_of_each_day_equals_the_numpy_formulation(stamps: list[int], in_order: bool) -> None:
    ts = np.asarray(sorted(stamps) if in_order else stamps, dtype=np.int64)
    want = (np.append(np.flatnonzero(np.diff(ts // DAY)), len(ts) - 1) if len(ts)
            else np.empty(0, dtype=np.int64))
    np.testing.assert_array_equal(last_of_each_day(ts, DAY), want)
