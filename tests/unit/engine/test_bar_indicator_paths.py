"""The engine keeps indicator handles current the same way on every path: batch values over
known arrays (run_bar_arrays), streaming twins over a bar iterator (run_bars) and bar by bar
(on_bar, the live path)."""

from __future__ import annotations

import math
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import numpy as np
import pytest

from aitrader.core import events as ev
from aitrader.core.errors import StrategyError
from aitrader.core.ids import AccountId, InstrumentId
from aitrader.core.market_data import Bar
from aitrader.data.bar_arrays import BarArrays
from aitrader.portfolio.closed_trade import ClosedTrade
from aitrader.portfolio.trade_log import TradeLog
from aitrader.runtime.backtest import BacktestRequest, run_backtest
from aitrader.strategies.bar_indicators import (
    ATR,
    EMA,
    OBV,
    RSI,
    SMA,
    BarIndicator,
    Highest,
    IndicatorSpec,
)
from aitrader.strategies.base import Strategy
from aitrader.strategies.examples.sma_cross import SmaCross
from aitrader.testkit.bar_factory import random_walk_bars
from aitrader.testkit.engine_factory import (
    BAR_PATHS,
    BTC,
    SimHarness,
    btc_usdt,
    feed_bars,
    make_sim_engine,
)

D = Decimal
SPECS = (SMA(3), EMA(5), RSI(6), ATR(4), OBV(), Highest(7))


class Watcher(Strategy):
    """Registers SPECS in on_start, records every handle's value on each bar, and trades the
    SMA(3)/SMA(8) cross (long-only)."""

    def __init__(self, account_id: AccountId, iid: InstrumentId, strategy_id: str = "watcher"):
        super().__init__(strategy_id, account_id, [iid])
        self.handles: list[BarIndicator] = []
        self.seen: list[tuple[float, ...]] = []
        self._above: bool | None = None

    def on_start(self) -> None:
        self.handles = [self.indicator(spec) for spec in SPECS]
        self.slow = self.indicator(SMA(8))

    def on_bar(self, bar: Bar) -> None:
        self.seen.append(tuple(h.value for h in self.handles))
        fast, slow = self.handles[0].value, self.slow.value
        if fast != fast or slow != slow:
            return
        above, prev = fast > slow, self._above
        self._above = above
        if prev is None or above == prev:
            return
        pos = self.position()
        if above and pos == 0:
            self.buy("1")
        elif not above and pos > 0:
            self.sell(pos, reduce_only=True)


class LateWatcher(Watcher):
    """Registers its indicators on bar 10 (from on_bar) instead of on_start."""

    def on_start(self) -> None:
        pass

    def on_bar(self, bar: Bar) -> None:
        if len(self.seen) == 10:
            Watcher.on_start(self)
        if self.handles:
            super().on_bar(bar)
        else:
            self.seen.append(())


def engine_for(bars: BarArrays) -> SimHarness:
    """The engine run_backtest builds: lot 1e-8, no minimum notional, 0.1% fees."""
    return make_sim_engine(cash=D(10_000_000), maker_fee=D("0.001"), taker_fee=D("0.001"),
                           instrument=btc_usdt(lot_size=D("0.00000001"), min_notional=D(0)),
                           start_ns=int(bars.ts_ns[0]))


def feed(h: SimHarness, path: str, bars: BarArrays) -> None:
    feed_bars(h.engine, bars, BTC, path)


def run(path: str, bars: BarArrays, make: Callable[..., Strategy] = Watcher,
        ) -> tuple[Any, list[ClosedTrade], list[ev.OrderFilled]]:
    """Start a strategy on a fresh engine, feed it ``bars`` along ``path``."""
    h = engine_for(bars)
    log = TradeLog()
    h.engine.bus.subscribe(ev.OrderFilled, log.on_fill)
    fills = h.record(ev.OrderFilled)
    strategy = make(h.account_id, BTC)
    h.engine.add_strategy(strategy)
    h.engine.start()
    feed(h, path, bars)
    return strategy, log.closed, fills


def batch_values(bars: BarArrays, specs: tuple[IndicatorSpec, ...] = SPECS) -> np.ndarray:
    """The batch value of each spec on each bar: one row per bar."""
    return np.column_stack([s.compute(*(getattr(bars, f) for f in s.fields)) for s in specs])


def same_bits(a: Any, b: Any) -> bool:
    x, y = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    nan = np.isnan(x)
    return bool(x.shape == y.shape and np.array_equal(nan, np.isnan(y))
                and np.array_equal(x[~nan].view(np.uint64), y[~nan].view(np.uint64)))


@pytest.fixture(scope="module")
def bars() -> BarArrays:
    return random_walk_bars(1_500, seed=11)


def test_a_strategy_sees_the_same_values_and_makes_the_same_trades_on_every_path(bars) -> None:
    runs = {path: run(path, bars) for path in BAR_PATHS}
    strategy, trades, fills = runs["arrays"]
    assert len(trades) > 20  # the SMA cross traded: there is something to compare
    for path in ("iterator", "on_bar"):
        other, other_trades, other_fills = runs[path]
        assert same_bits(other.seen, strategy.seen), path
        assert other_trades == trades, path
        assert [(f.ts_event, f.side, f.last_qty, f.last_px) for f in other_fills] == \
            [(f.ts_event, f.side, f.last_qty, f.last_px) for f in fills], path


def test_sma_cross_trades_equal_in_run_backtest_and_streamed_through_run_bars(bars) -> None:
    params = {"fast": 4, "slow": 13, "quantity": "1"}
    result = run_backtest(BacktestRequest(
        bars=bars, symbol=BTC.symbol, venue=BTC.venue, strategy="sma_cross", params=params,
        fee_rate=D("0.001"), starting_cash=D(10_000_000), tick_size=D("0.01"),
        batch_indicators=True))
    assert len(result.trades) > 20
    for path in ("iterator", "on_bar"):
        _, trades, _ = run(path, bars, lambda a, i: SmaCross("bt", a, [i], params))
        assert trades == result.trades, path


def test_the_value_on_each_bar_is_the_batch_value_of_that_bar_and_never_a_later_one(bars) -> None:
    strategy, _, _ = run("arrays", bars)
    assert same_bits(strategy.seen, batch_values(bars))
    for cut in (1, 7, 100, 999):  # the data ending at bar cut - 1 gives the same value there
        assert same_bits(strategy.seen[cut - 1], batch_values(bars.slice(0, cut))[-1])
        short, _, _ = run("arrays", bars.slice(0, cut))
        assert same_bits(short.seen, strategy.seen[:cut])


def test_registering_a_spec_twice_returns_the_same_handle_also_after_a_restart(bars) -> None:
    h = engine_for(bars)
    strategy = Watcher(h.account_id, BTC)
    h.engine.add_strategy(strategy)
    h.engine.start()
    first = strategy.handles
    assert strategy.indicator(SMA(3)) is first[0]
    assert strategy.indicator(SMA(3), BTC) is first[0]
    feed(h, "arrays", bars.slice(0, 500))
    h.engine.strategies.stop(strategy.id)
    h.engine.strategies.start(strategy.id)  # on_start runs again
    assert all(a is b for a, b in zip(strategy.handles, first, strict=True))
    assert len(h.engine.indicators.handles(BTC)) == len(SPECS) + 1  # SMA(8) too
    feed(h, "arrays", bars.slice(500, len(bars)))
    assert same_bits([hd.value for hd in first], batch_values(bars)[-1])


def test_two_strategies_get_their_own_handles_with_the_same_values(bars) -> None:
    h = engine_for(bars)
    a, b = Watcher(h.account_id, BTC, "a"), Watcher(h.account_id, BTC, "b")
    for s in (a, b):
        h.engine.add_strategy(s)
    h.engine.start()
    assert a.handles[0] is not b.handles[0]
    feed(h, "arrays", bars)
    assert same_bits(a.seen, b.seen)


@pytest.mark.parametrize("path", BAR_PATHS)
def test_a_handle_registered_during_a_run_is_fed_by_its_twin_from_the_next_bar(path, bars
                                                                              ) -> None:
    strategy, _, _ = run(path, bars, LateWatcher)
    seen = strategy.seen
    assert seen[:10] == [()] * 10
    assert all(math.isnan(v) for v in seen[10])  # registered on bar 10, after its update
    assert same_bits(seen[11:], batch_values(bars.slice(11, len(bars))))


def test_an_indicator_of_an_instrument_no_venue_trades_stops_the_strategy_with_an_error(
        bars) -> None:
    class OtherInstrument(Watcher):
        def on_start(self) -> None:
            self.indicator(SMA(3), InstrumentId("ETH/USDT", "SIM"))

    h = engine_for(bars)
    errors = h.record(ev.StrategyErrored)
    strategy = OtherInstrument(h.account_id, BTC)
    h.engine.add_strategy(strategy)
    h.engine.start()
    assert [(e.callback, e.error) for e in errors] == [
        ("on_start", "StrategyError: unknown instrument ETH/USDT@SIM")]
    assert not h.engine.strategies.is_running(strategy.id)


@pytest.mark.parametrize("then", ["iterator", "on_bar", "arrays"])
def test_bars_after_an_array_run_continue_the_values_of_one_unbroken_run(then, bars) -> None:
    h = engine_for(bars)
    strategy = Watcher(h.account_id, BTC)
    h.engine.add_strategy(strategy)
    h.engine.start()
    feed(h, "arrays", bars.slice(0, 600))
    feed(h, "arrays", bars.slice(600, 900))
    feed(h, then, bars.slice(900, len(bars)))  # a streamed twin first catches up on 900 bars
    assert same_bits(strategy.seen, batch_values(bars))


def test_a_handle_that_already_streamed_keeps_streaming_through_an_array_run(bars) -> None:
    h = engine_for(bars)
    strategy = Watcher(h.account_id, BTC)
    h.engine.add_strategy(strategy)
    h.engine.start()
    feed(h, "on_bar", bars.slice(0, 300))
    feed(h, "arrays", bars.slice(300, len(bars)))
    assert same_bits(strategy.seen, batch_values(bars))


def test_an_instrument_without_indicators_costs_the_loop_no_handle_work(bars) -> None:
    h = engine_for(bars)
    # no strategy, no handle: nothing to compute
    h.engine.run_bar_arrays(bars, BTC, batch_indicators=True)
    assert h.engine.indicators.handles(BTC) == ()
    assert h.engine.indicators.streams(BTC) == []


def test_an_array_run_hands_out_batch_values_without_feeding_the_twins(bars) -> None:
    strategy, _, _ = run("arrays", bars)
    sma = strategy.handles[0]
    assert not math.isnan(sma.value)
    assert math.isnan(sma.twin.value)  # type: ignore[attr-defined]  # StreamingSMA's value
    assert not sma.twin.ready  # type: ignore[attr-defined]  # the twin never saw a bar


def test_an_indicator_asked_for_in_init_is_refused_with_a_hint_to_use_on_start() -> None:
    class Eager(Watcher):
        def __init__(self, account_id: AccountId, iid: InstrumentId) -> None:
            super().__init__(account_id, iid)
            self.indicator(SMA(3))

    with pytest.raises(StrategyError, match=r"^strategy watcher: no engine yet to compute "
                       r"\('sma', 'close', 3\); register indicators in on_start$"):
        Eager(AccountId("test"), BTC)


@pytest.mark.parametrize(("batch", "streamed"), [(None, True), (False, True), (True, False)])
def test_a_short_array_run_streams_its_indicators_unless_told_to_batch(
        bars, batch, streamed) -> None:
    short = bars.slice(0, 60)  # far below BATCH_MIN_BARS
    h = engine_for(short)
    strategy = Watcher(h.account_id, BTC)
    h.engine.add_strategy(strategy)
    h.engine.start()
    assert h.engine.run_bar_arrays(short, BTC, batch_indicators=batch) == len(short)
    sma3 = strategy.handles[0].twin
    assert (len(sma3._window) == 3) is streamed  # the twin saw the bars, or batch did the work
    assert same_bits(strategy.seen, batch_values(short))
