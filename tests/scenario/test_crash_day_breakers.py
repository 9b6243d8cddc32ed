"""Replaying the real BTCUSDT crash of 2022-06-13 (Binance spot 1m): each circuit breaker trips
on the bar an independent calculation from the candles says it must, and no new entry passes
while the halt lasts (reducing orders still do)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from crash_day import (
    BTC,
    CASH,
    HoldAndProbe,
    RoundTrips,
    close_times,
    load_window,
    replay,
    utc_ns,
    without,
)

from aitrader.core.enums import OrderStatus
from aitrader.data.bar_arrays import BarArrays
from aitrader.risk.config import BreakerConfig, RiskConfig

pytestmark = pytest.mark.realdata
START, END = "2022-06-12T22:00", "2022-06-14T00:00"  # two hours of warm-up, then the crash day
CRASH_DAY = (utc_ns("2022-06-13T00:00"), utc_ns("2022-06-14T00:00"))
QUIET = BreakerConfig(max_consecutive_losses=None, volatility_multiple=None)
NO_LOSS_LIMITS = {"daily_loss_limit": Decimal(1), "max_drawdown": Decimal(1)}


@pytest.fixture(scope="module")
def bars(shared_data: Path) -> BarArrays:
    window = load_window(shared_data, START, END)
    assert len(window) == 26 * 60  # the real day has no gaps
    day = window.between(*CRASH_DAY)
    assert day.close[-1] / day.open[0] - 1 < -0.15  # it really crashed: -15.4% open to close
    return window


def _hold_equity(bars: BarArrays, qty: float) -> np.ndarray:
    """Equity per bar close of buy-and-hold: bought at the second bar's open, no fees."""
    fill = bars.open[1]
    eq = CASH + qty * (bars.close - fill)
    eq[0] = CASH
    return eq


def _assert_entries_denied_while_halted(probes: list, since: int, until: int | None,
                                        breaker: str) -> None:
    during = [o for ts, o in probes if ts >= since and (until is None or ts < until)]
    assert during, "the strategy did not try to enter during the halt"
    assert all(o.status is OrderStatus.DENIED for o in during)
    assert all(f"circuit breaker {breaker}" in o.events[-1].reason for o in during)
    before = [o for ts, o in probes if ts < since]
    assert before and all(o.status is not OrderStatus.DENIED for o in before)


def test_daily_loss_trips_on_the_first_bar_five_percent_below_the_days_start(
        bars: BarArrays) -> None:
    strat = HoldAndProbe("hold", "crash", [BTC], {"qty": "3"})
    run = replay(bars, strat, RiskConfig(price_collar=None, daily_loss_limit=Decimal("0.05"),
                                         max_drawdown=Decimal(1), breakers=QUIET))
    ts = close_times(bars)
    eq = _hold_equity(bars, 3.0)
    day_start = eq[np.searchsorted(ts, CRASH_DAY[0])]  # equity at 00:00 UTC
    hit = np.flatnonzero((ts > CRASH_DAY[0]) & ((day_start - eq) / day_start >= 0.05))[0]
    [trip] = run.trips
    assert (trip.breaker, trip.scope) == ("daily_loss", "account:crash")
    assert trip.ts_event == ts[hit]
    assert CRASH_DAY[0] < trip.ts_event < CRASH_DAY[1]
    assert trip.until_ns == CRASH_DAY[1]  # the next 00:00 UTC reset
    _assert_entries_denied_while_halted(strat.probes, trip.ts_event, trip.until_ns, "daily_loss")
    [(_, at_reset)] = [(ts, o) for ts, o in strat.probes if ts == trip.until_ns]
    assert at_reset.status is OrderStatus.ACCEPTED  # the new UTC day lifts the halt
    assert [r.reason for r in run.resets] == ["cool-down passed"]
    assert run.engine.portfolio.net_quantity(run.strategy.account_id, BTC) == 3  # no adds


def test_max_drawdown_trips_on_the_first_bar_ten_percent_below_the_peak_and_flattens(
        bars: BarArrays) -> None:
    strat = HoldAndProbe("hold", "crash", [BTC], {"qty": "3"})
    cfg = RiskConfig(price_collar=None, daily_loss_limit=Decimal(1),
                     max_drawdown=Decimal("0.10"),
                     breakers=QUIET.model_copy(update={"flatten_on": frozenset({"max_drawdown"})}))
    run = replay(bars, strat, cfg)
    ts = close_times(bars)
    eq = _hold_equity(bars, 3.0)
    # the fill itself is one more reading: the new position marked at the previous close
    readings = np.r_[eq[0], CASH + 3.0 * (bars.close[0] - bars.open[1]), eq[1:]]
    peak = np.maximum.accumulate(readings)[1:]
    peak[0] = max(peak[0], eq[0])
    hit = np.flatnonzero((peak - eq) / peak >= 0.10)[0]
    [trip] = run.trips
    assert trip.breaker == "max_drawdown" and trip.until_ns == 0 and trip.flatten
    assert trip.ts_event == ts[hit]
    assert CRASH_DAY[0] < trip.ts_event < CRASH_DAY[1]
    _assert_entries_denied_while_halted(strat.probes, trip.ts_event, None, "max_drawdown")
    # flatten: the position was sold at the open of the bar after the trip
    [exit_fill] = [f for f in run.fills if f.side.value == "SELL"]
    assert exit_fill.last_px == Decimal(str(bars.open[hit + 1]))
    assert run.engine.portfolio.positions() == []


def test_volatility_trips_when_a_true_range_exceeds_four_times_its_rolling_norm(
        bars: BarArrays) -> None:
    strat = HoldAndProbe("hold", "crash", [BTC], {"qty": "1"})
    cfg = RiskConfig(price_collar=None, **NO_LOSS_LIMITS,
                     breakers=BreakerConfig(max_consecutive_losses=None, volatility_multiple=4.0,
                                            volatility_window=120, volatility_cooldown_s=900))
    run = replay(bars, strat, cfg)
    # independent reference: true range over the previous close, its EWMA (span 120), the ratio
    # of each bar to the norm before it, after a full window of bars
    prev = pd.Series(bars.close).shift(1)
    tr = pd.concat([pd.Series(bars.high), prev], axis=1).max(axis=1) - \
        pd.concat([pd.Series(bars.low), prev], axis=1).min(axis=1)
    rel = (tr / prev).iloc[1:]
    norm = rel.ewm(alpha=2 / 121, adjust=False).mean()
    ratio = (rel / norm.shift(1)).to_numpy()
    idx = np.arange(1, len(bars))
    hits = idx[(idx >= 120) & (ratio > 4.0)]
    ts = close_times(bars)
    first = run.trips[0]
    assert (first.breaker, first.scope) == ("volatility", f"instrument:{BTC}")
    assert first.ts_event == ts[hits[0]]
    assert CRASH_DAY[0] <= first.ts_event < CRASH_DAY[1]
    assert first.until_ns == first.ts_event + 900 * 10**9
    _assert_entries_denied_while_halted(strat.probes, first.ts_event, first.until_ns,
                                        "volatility")
    lifted = [r for r in run.resets if r.ts_event >= first.until_ns]
    assert lifted and lifted[0].reason == "cool-down passed"
    # every later trip is also a bar the reference flags, never one it does not
    assert {t.ts_event for t in run.trips} <= set(ts[hits].tolist())


def test_a_run_of_losing_round_trips_trips_the_account_after_the_fourth_loss(
        bars: BarArrays) -> None:
    strat = RoundTrips("trips", "crash", [BTC])
    cfg = RiskConfig(price_collar=None, **NO_LOSS_LIMITS,
                     breakers=BreakerConfig(max_consecutive_losses=4, volatility_multiple=None,
                                            losses_cooldown_s=3600))
    run = replay(bars, strat, cfg)
    closed = run.trades.closed
    opens = dict(zip(bars.ts_ns.tolist(), bars.open.tolist(), strict=True))
    for t in closed:  # every trade is at real opens (fills at the next bar's open)
        assert float(t.entry_price) == opens[t.entry_ts_ns]
    streak, expected = 0, None
    for t in closed:
        streak = streak + 1 if t.pnl < 0 else 0
        if streak == 4:
            expected = t.exit_ts_ns
            break
    first = run.trips[0]
    assert first.breaker == "consecutive_losses" and "4 losing trades" in first.reason
    assert first.ts_event == expected
    entries_during = [o for ts, o in strat.entries if first.ts_event <= ts < first.until_ns]
    assert entries_during and all(o.status is OrderStatus.DENIED for o in entries_during)
    assert not [t for t in closed if first.ts_event <= t.entry_ts_ns < first.until_ns]


def test_a_ten_minute_feed_outage_trips_stale_data_on_the_first_bar_after_it(
        bars: BarArrays) -> None:
    gappy = without(bars, "2022-06-13T14:00", "2022-06-13T14:10")
    strat = HoldAndProbe("hold", "crash", [BTC], {"qty": "1"})
    cfg = RiskConfig(price_collar=None, **NO_LOSS_LIMITS,
                     breakers=BreakerConfig(max_consecutive_losses=None, volatility_multiple=None,
                                            stale_data_s=300, stale_cooldown_s=60))
    run = replay(gappy, strat, cfg)
    [trip] = run.trips
    assert trip.breaker == "stale_data" and "no market data for 600 s" in trip.reason
    assert trip.ts_event == utc_ns("2022-06-13T14:11")  # the close of the 14:10 bar
    [probe_at_trip] = [o for ts, o in strat.probes if ts == trip.ts_event]
    assert probe_at_trip.status is OrderStatus.DENIED
    [reset] = run.resets
    assert reset.ts_event == utc_ns("2022-06-13T14:12")
    after = [o for ts, o in strat.probes if ts >= reset.ts_event]
    assert after and after[0].status is not OrderStatus.DENIED
