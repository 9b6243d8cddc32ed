"""The lookahead guard passes every registered strategy on real candles and catches one that
reads bars it has not been given yet."""

from __future__ import annotations

import inspect
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from aitrader.cli.main import app
from aitrader.core.market_data import Bar
from aitrader.data.bar_arrays import BarArrays
from aitrader.runtime.lookahead_check import check_lookahead
from aitrader.strategies.base import Strategy
from aitrader.strategies.examples.sma_cross import SmaCross
from aitrader.strategies.registry import StrategyRegistry

pytestmark = pytest.mark.realdata
BTC_2024 = "crypto/binance_spot_1m/BTCUSDT/BTCUSDT_1m_2024.parquet"


@pytest.fixture(scope="module")
def bars(shared_data: Path) -> BarArrays:
    """The first 5,000 minutes of 2024: enough for every built-in to trade (mtf needs 30 h)."""
    df = pd.read_parquet(shared_data / BTC_2024).iloc[:5000]
    ts = df["open_time"].dt.as_unit("ns").astype("int64").to_numpy()
    cols = [np.ascontiguousarray(df[c].to_numpy(dtype=np.float64))
            for c in ("open", "high", "low", "close", "volume")]
    return BarArrays(ts, *cols, timeframe_ns=60_000_000_000)


def _bar_driven(name: str) -> bool:
    """Strategies that decide on bars; book/tick-driven ones (dom_imbalance) replay L2 feeds and
    have their own truncated-feed test in tests/unit/strategies/dom."""
    return StrategyRegistry.default().get(name).on_bar is not Strategy.on_bar


BAR_DRIVEN = [n for n in StrategyRegistry.default().names() if _bar_driven(n)]


def test_only_book_driven_strategies_are_left_to_their_own_lookahead_tests() -> None:
    others = set(StrategyRegistry.default().names()) - set(BAR_DRIVEN)
    assert others <= {"dom_imbalance"}


@pytest.mark.parametrize("name", BAR_DRIVEN)
def test_every_registered_strategy_decides_the_same_without_the_future(name, bars) -> None:
    report = check_lookahead(name, bars)
    assert report.changes == []
    assert report.decisions > 0, f"{name} made no decision on 5,000 real minutes: nothing checked"
    assert len(report.cuts) >= 10


def _the_runs_bars() -> BarArrays:
    """Cheat: find the BarArrays the backtest is replaying in a caller's frame."""
    for frame in inspect.stack():
        found = frame.frame.f_locals.get("bars")
        if isinstance(found, BarArrays):
            return found
    raise AssertionError("no bars in the call stack")


class PeekingStrategy(Strategy):
    """Buys when the *next* bar closes higher, sells when it closes lower."""

    name = "peeker"

    def on_start(self) -> None:
        self._bars = _the_runs_bars()
        self._i = -1

    def on_bar(self, bar: Bar) -> None:
        self._i += 1
        nxt = self._i + 1
        rises = nxt < len(self._bars) and self._bars.close[nxt] > bar.close
        if rises and self.position() == 0:
            self.buy(Decimal(1))
        elif not rises and self.position() > 0:
            self.sell(self.position())


def test_a_strategy_reading_the_next_bar_is_caught_at_the_cut(bars) -> None:
    report = check_lookahead("peeker", bars, registry=StrategyRegistry([PeekingStrategy]))
    assert not report.passed
    change = report.changes[0]
    # cut after a buy: with the data ending at that bar, there is no next close to peek at
    assert change.bar == change.cut - 1
    assert change.full is not None and change.full.action == "submit"
    assert change.truncated is None or change.truncated != change.full


class FlattenOnStop(SmaCross):
    """sma_cross that also closes its position when stopped (at the end of data)."""

    name = "sma_flatten"

    def on_stop(self) -> None:
        self.close_position()


def test_orders_sent_from_on_stop_are_not_decisions_on_the_last_bar(bars) -> None:
    report = check_lookahead("sma_flatten", bars, registry=StrategyRegistry([FlattenOnStop]))
    assert report.passed and report.decisions > 100


def test_the_command_reports_no_lookahead_and_exits_zero(shared_data) -> None:
    result = CliRunner().invoke(app, [
        "lookahead-check", "mean_reversion", "--data", str(shared_data / BTC_2024),
        "--start", "2024-01-01", "--end", "2024-01-03", "--cuts", "5", "--spaced", "2",
    ])
    assert result.exit_code == 0, result.output
    assert "mean_reversion:" in result.output and "no lookahead found" in result.output


def test_the_command_names_an_unknown_strategy_and_exits_two(shared_data) -> None:
    result = CliRunner().invoke(app, [
        "lookahead-check", "nope", "--data", str(shared_data / BTC_2024),
        "--start", "2024-01-01", "--end", "2024-01-02",
    ])
    assert result.exit_code == 2
    assert "unknown strategy 'nope'" in result.output
