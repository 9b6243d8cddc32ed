"""Replay of a real crash day through the engine with the risk engine on, and the strategies
the scenarios use. BTCUSDT on 2022-06-13 (Binance spot 1m) opened at 26,574.53 and closed at
22,487.41 (-15.4%), with an intraday low of 21,925.77 (-18.5% from the high)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np

from aitrader.core.account import Account
from aitrader.core.enums import AccountType, AssetClass, OrderType
from aitrader.core.events import CircuitBreakerReset, CircuitBreakerTripped, OrderFilled
from aitrader.core.ids import AccountId, InstrumentId
from aitrader.core.instrument import Instrument
from aitrader.core.market_data import Bar
from aitrader.core.order import Order
from aitrader.data.bar_arrays import BarArrays
from aitrader.engine.clock import SimClock
from aitrader.engine.trading_engine import TradingEngine
from aitrader.portfolio.portfolio import Portfolio
from aitrader.portfolio.trade_log import TradeLog
from aitrader.risk.config import RiskConfig
from aitrader.risk.risk_engine import RiskEngine
from aitrader.strategies.base import Strategy, StrategyParams
from aitrader.venues.simulated.exchange import SimulatedExchange
from aitrader.venues.simulated.fill_models import FeeModel, NoSlippage

BTC = InstrumentId("BTC/USDT", "SIM")
ACCOUNT = AccountId("crash")
CASH = 100_000.0
NS = 1_000_000_000


def utc_ns(text: str) -> int:
    """ISO time (UTC) as ns."""
    return int(datetime.fromisoformat(text).replace(tzinfo=UTC).timestamp()) * NS


def load_window(shared_data: Path, start: str, end: str) -> BarArrays:
    """Real BTCUSDT 1m bars with ``start <= open < end``."""
    from aitrader.storage.bar_files import load_bars

    path = shared_data / "crypto" / "binance_spot_1m" / "BTCUSDT" / "BTCUSDT_1m_2022.parquet"
    return load_bars(path).bars.between(utc_ns(start), utc_ns(end))


def without(bars: BarArrays, start: str, end: str) -> BarArrays:
    """The bars with those opening in ``[start, end)`` removed (a feed outage)."""
    keep = (bars.ts_ns < utc_ns(start)) | (bars.ts_ns >= utc_ns(end))
    return BarArrays(bars.ts_ns[keep], bars.open[keep], bars.high[keep], bars.low[keep],
                     bars.close[keep], bars.volume[keep], timeframe_ns=bars.timeframe_ns)


class HoldParams(StrategyParams):
    """How much to buy and hold."""

    qty: Decimal = Decimal(3)


class HoldAndProbe(Strategy):
    """Buys ``qty`` on the first bar and holds it; on every bar it replaces a tiny resting buy far
    below the market (a probe that never fills) to see whether new entries pass."""

    name = "hold_and_probe"
    Params = HoldParams

    def on_start(self) -> None:
        self.probes: list[tuple[int, Order]] = []
        self.bought = False

    def on_bar(self, bar: Bar) -> None:
        if not self.bought:
            self.buy(self.params.qty)
            self.bought = True
            return
        for _, probe in self.probes[-1:]:
            if probe.is_open:
                self.cancel(probe.client_order_id)
        order = self.buy(Decimal("0.001"), order_type=OrderType.LIMIT, price=bar.close * 0.5)
        self.probes.append((bar.ts_init, order))


class RoundTrips(Strategy):
    """Buys 1 when flat and sells after ``hold`` bars: a steady stream of trades."""

    name = "round_trips"
    hold = 10

    def on_start(self) -> None:
        self.held_bars = 0
        self.entries: list[tuple[int, Order]] = []

    def on_bar(self, bar: Bar) -> None:
        if self.ctx.open_orders(self.id):
            return
        if self.position() == 0:
            self.entries.append((bar.ts_init, self.buy(Decimal(1))))
            self.held_bars = 0
            return
        self.held_bars += 1
        if self.held_bars >= self.hold:
            self.close_position()


@dataclass
class Replay:
    """One replay's engine and what it recorded."""

    engine: TradingEngine
    risk: RiskEngine
    strategy: Strategy
    trades: TradeLog
    trips: list[CircuitBreakerTripped] = field(default_factory=list)
    resets: list[CircuitBreakerReset] = field(default_factory=list)
    fills: list[OrderFilled] = field(default_factory=list)


def replay(bars: BarArrays, strategy: Strategy, config: RiskConfig) -> Replay:
    """Run ``strategy`` on ``bars`` with a 100k USDT cash account, no fees, full risk engine."""
    inst = Instrument(BTC, AssetClass.CRYPTO, "BTC", "USDT", Decimal("0.01"),
                      Decimal("0.00001"), min_notional=Decimal(5))
    clock = SimClock(int(bars.ts_ns[0]))
    portfolio = Portfolio()
    portfolio.add_account(Account(ACCOUNT, "SIM", "USDT", {"USDT": Decimal(int(CASH))},
                                  AccountType.CASH))
    venue = SimulatedExchange("SIM", [inst], clock, portfolio, FeeModel(Decimal(0), Decimal(0)),
                              NoSlippage())
    risk = RiskEngine(portfolio, clock, config)
    engine = TradingEngine(clock, {"SIM": venue}, portfolio, risk)
    log = TradeLog({BTC: inst.multiplier})
    out = Replay(engine, risk, strategy, log)
    engine.bus.subscribe(OrderFilled, log.on_fill)
    engine.bus.subscribe(OrderFilled, out.fills.append)
    engine.bus.subscribe(CircuitBreakerTripped, out.trips.append)
    engine.bus.subscribe(CircuitBreakerReset, out.resets.append)
    engine.add_strategy(strategy)
    engine.start()
    engine.run_bars(bars.iter_bars(BTC))
    engine.stop()
    return out


def close_times(bars: BarArrays) -> np.ndarray[Any, np.dtype[np.int64]]:
    """Each bar's ``ts_init`` (its close)."""
    return bars.ts_ns + bars.timeframe_ns
