"""A backtest over columns skips the bars nobody acts on, and that changes nothing: the same
on_bar calls, values, orders, fills and end state as the bar-by-bar paths."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from aitrader.core import events as ev
from aitrader.core.enums import LIMIT
from aitrader.core.errors import DataError
from aitrader.core.ids import AccountId, InstrumentId
from aitrader.core.market_data import Bar
from aitrader.data.bar_arrays import BarArrays
from aitrader.engine import sparse_replay
from aitrader.portfolio.closed_trade import ClosedTrade
from aitrader.portfolio.trade_log import TradeLog
from aitrader.runtime.backtest import BacktestRequest, run_backtest
from aitrader.strategies.bar_indicators import EMA, SMA
from aitrader.strategies.base import Strategy
from aitrader.strategies.wake import Crossed
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


class CrossWaker(Strategy):
    """Wakes on SMA(3)/SMA(8) crosses, records what it saw, trades long-only with a limit
    order below the close (so orders work for several bars) and fails on ``fail_at``."""

    def __init__(self, account_id: AccountId, iid: InstrumentId, strategy_id: str = "waker",
                 fail_at: int = -1) -> None:
        super().__init__(strategy_id, account_id, [iid])
        self.seen: list[tuple[int, float, float, float]] = []
        self.fail_at = fail_at

    def on_start(self) -> None:
        self.fast = self.indicator(SMA(3))
        self.slow = self.indicator(SMA(8))
        self.wake_on(Crossed(self.fast, self.slow))

    def on_bar(self, bar: Bar) -> None:
        self.seen.append((bar.ts_event, bar.close, self.fast.value, self.slow.value))
        if len(self.seen) == self.fail_at:
            raise RuntimeError("boom")
        pos = self.position()
        if self.fast.value > self.slow.value and pos == 0:
            self.cancel_all()
            self.buy("1", order_type=LIMIT, price=bar.close * 0.999)
        elif self.fast.value <= self.slow.value and pos > 0:
            self.cancel_all()
            self.sell(pos, reduce_only=True)


class LateRegistrar(CrossWaker):
    """Registers one more handle from on_bar, on its 5th wake: skipping must stop there."""

    def on_bar(self, bar: Bar) -> None:
        super().on_bar(bar)
        if len(self.seen) == 5:
            self.late = self.indicator(EMA(4))


class EveryBar(Strategy):
    """No wake condition: sees every bar."""

    def __init__(self, account_id: AccountId, iid: InstrumentId) -> None:
        super().__init__("every", account_id, [iid])
        self.count = 0

    def on_bar(self, bar: Bar) -> None:
        self.count += 1


def engine_for(bars: BarArrays) -> SimHarness:
    return make_sim_engine(cash=D(10_000_000), instrument=btc_usdt(min_notional=D(0)),
                           start_ns=int(bars.ts_ns[0]))


def run(path: str, bars: BarArrays, *makers: Callable[[AccountId, InstrumentId], Strategy]
        ) -> tuple[SimHarness, list[Any], list[ClosedTrade], list[tuple[Any, ...]]]:
    h = engine_for(bars)
    log = TradeLog()
    h.engine.bus.subscribe(ev.OrderFilled, log.on_fill)
    fills = h.record(ev.OrderFilled)
    strategies = [make(h.account_id, BTC) for make in makers]
    for s in strategies:
        h.engine.add_strategy(s)
    h.engine.start()
    feed_bars(h.engine, bars, BTC, path)
    return h, strategies, log.closed, [(f.ts_event, f.side, f.last_qty, f.last_px) for f in fills]


def end_state(h: SimHarness, strategies: list[Any]) -> tuple[Any, ...]:
    return (h.clock.now_ns(), h.portfolio.mark_store()[BTC], h.portfolio.equity(h.account_id),
            [(s.fast.value, s.slow.value) for s in strategies if hasattr(s, "fast")],
            [o.status for o in h.engine.orders.orders()])


@pytest.fixture(scope="module")
def bars() -> BarArrays:
    return random_walk_bars(3_000, seed=5)


@pytest.fixture
def visits(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The bars the skipping loop visits (it builds one Bar per visited bar)."""
    seen: list[int] = []

    def counting_bar(*args: Any) -> Bar:
        seen.append(args[1])
        return Bar(*args)

    monkeypatch.setattr(sparse_replay, "Bar", counting_bar)
    return seen


def test_skipping_bars_changes_no_call_value_order_fill_or_end_state(bars, visits) -> None:
    runs = {path: run(path, bars, CrossWaker) for path in BAR_PATHS}
    h, (strategy,), trades, fills = runs["arrays"]
    assert len(trades) > 20 and len(strategy.seen) < len(bars) // 4
    assert len(visits) < len(bars) // 2  # the loop skipped bars: the point of it
    for path in ("iterator", "on_bar"):
        other_h, (other,), other_trades, other_fills = runs[path]
        assert other.seen == strategy.seen, path
        assert other_trades == trades and other_fills == fills, path
        assert end_state(other_h, [other]) == end_state(h, [strategy]), path


def test_a_strategy_without_a_wake_condition_gets_every_bar_and_nobody_skips(bars, visits
                                                                            ) -> None:
    _, (waker, every), trades, fills = run("arrays", bars, CrossWaker, EveryBar)
    _, (dense_waker, _), dense_trades, dense_fills = run("iterator", bars, CrossWaker, EveryBar)
    assert every.count == len(bars)
    assert visits == []  # the bar-by-bar loop ran
    assert waker.seen == dense_waker.seen and trades == dense_trades and fills == dense_fills


def test_a_failing_strategy_stops_and_the_other_goes_on_as_bar_by_bar(bars) -> None:
    def failing(a: AccountId, i: InstrumentId) -> Strategy:
        return CrossWaker(a, i, "failing", fail_at=7)

    sparse = run("arrays", bars, failing, CrossWaker)
    dense = run("iterator", bars, failing, CrossWaker)
    h = sparse[0]
    assert not h.engine.strategies.is_running(sparse[1][0].id)
    assert len(sparse[1][0].seen) == 7
    assert [s.seen for s in sparse[1]] == [s.seen for s in dense[1]]
    assert sparse[2:] == dense[2:]
    assert end_state(h, sparse[1]) == end_state(dense[0], dense[1])


def test_a_handle_registered_mid_run_turns_skipping_off_and_streams_from_the_next_bar(bars,
                                                                                      visits
                                                                                      ) -> None:
    sparse = run("arrays", bars, LateRegistrar)
    dense = run("iterator", bars, LateRegistrar)
    late, dense_late = sparse[1][0], dense[1][0]
    assert late.seen == dense_late.seen and sparse[2:] == dense[2:]
    assert late.late.value == dense_late.late.value
    fifth = bars.ts_ns.tolist().index(late.seen[4][0])
    assert visits[-(len(bars) - fifth):] == bars.ts_ns.tolist()[fifth:]  # every bar from there


def test_run_backtest_of_sma_cross_with_brackets_is_the_same_skipping_or_not(bars) -> None:
    def backtest(batch: bool) -> Any:
        return run_backtest(BacktestRequest(
            bars=bars, symbol=BTC.symbol, venue=BTC.venue, strategy="sma_cross",
            params={"fast": 4, "slow": 13, "quantity": "1", "stop_loss_pct": 0.001,
                    "take_profit_pct": 0.002},
            starting_cash=D(10_000_000), tick_size=D("0.01"), batch_indicators=batch))

    sparse, dense = backtest(True), backtest(False)
    assert len(sparse.trades) > 20
    assert sparse.trades == dense.trades
    assert sparse.equity.tolist() == dense.equity.tolist()
    assert (sparse.orders, sparse.fills, sparse.final_cash) == \
        (dense.orders, dense.fills, dense.final_cash)


def test_bars_that_start_before_the_clock_are_refused(bars) -> None:
    h, _, _, _ = run("arrays", bars, CrossWaker)
    with pytest.raises(DataError, match="backwards"):
        h.engine.run_bar_arrays(bars, BTC, batch_indicators=True)
