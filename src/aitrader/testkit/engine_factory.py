"""Build a real engine on a SimClock with one account, one instrument and the simulator."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeVar

from aitrader.core.account import Account
from aitrader.core.commands import SubmitOrder
from aitrader.core.enums import AccountType, AssetClass, OrderSide, OrderType
from aitrader.core.ids import AccountId, InstrumentId, StrategyId
from aitrader.core.instrument import Instrument
from aitrader.core.market_data import Bar
from aitrader.core.order import Order
from aitrader.data.bar_arrays import BarArrays
from aitrader.engine.clock import SimClock
from aitrader.engine.trading_engine import TradingEngine
from aitrader.portfolio.portfolio import Portfolio
from aitrader.risk.pre_trade import PreTradeRisk
from aitrader.strategies.base import Strategy
from aitrader.venues.simulated.exchange import SimulatedExchange
from aitrader.venues.simulated.fill_models import FeeModel, NoSlippage, SlippageModel

E = TypeVar("E")
MINUTE_NS = 60_000_000_000
BTC = InstrumentId("BTC/USDT", "SIM")


def btc_usdt(**overrides: object) -> Instrument:
    """BTC/USDT on SIM with Binance-like precision (tick 0.01, lot 0.00001, min notional 5)."""
    fields: dict[str, object] = {
        "id": BTC, "asset_class": AssetClass.CRYPTO, "base_currency": "BTC",
        "quote_currency": "USDT", "tick_size": Decimal("0.01"), "lot_size": Decimal("0.00001"),
        "min_notional": Decimal(5),
    }
    fields.update(overrides)
    return Instrument(**fields)  # type: ignore[arg-type]  # keys checked by Instrument itself


@dataclass
class SimHarness:
    """The parts of a test engine, exposed for assertions."""

    engine: TradingEngine
    venue: SimulatedExchange
    portfolio: Portfolio
    clock: SimClock
    risk: PreTradeRisk
    instrument: Instrument
    account_id: AccountId

    def bar(self, o: float, h: float, lo: float, c: float, v: float = 1.0) -> Bar:
        """Feed the next one-minute bar (opening where the clock is) and return it."""
        start = self.clock.now_ns()
        bar = Bar(self.instrument.id, start, start + MINUTE_NS, o, h, lo, c, v)
        self.engine.on_bar(bar)
        return bar

    def submit(self, side: OrderSide, kind: OrderType, qty: str | Decimal,
               strategy: str = "s", **terms: Any) -> Order:
        """Submit an order for strategy ``strategy`` on the harness's instrument and account."""
        sid = StrategyId(strategy)
        orders = self.engine.orders
        return orders.submit(SubmitOrder(orders.next_order_id(sid), sid, self.account_id,
                                         self.instrument.id, side, kind, Decimal(qty), **terms))

    def record(self, topic: type[E]) -> list[E]:
        """A list that collects every message of ``topic`` published from now on."""
        seen: list[E] = []
        self.engine.bus.subscribe(topic, seen.append)
        return seen

    def add(self, strategy_factory: Callable[[AccountId, InstrumentId], Strategy]) -> Strategy:
        """Add and start a strategy built by ``factory(account_id, instrument_id)``."""
        strategy = strategy_factory(self.account_id, self.instrument.id)
        self.engine.add_strategy(strategy)
        self.engine.strategies.start_all()
        return strategy


def make_sim_engine(
    cash: Decimal = Decimal(100_000),
    instrument: Instrument | None = None,
    maker_fee: Decimal = Decimal("0.0002"),
    taker_fee: Decimal = Decimal("0.001"),
    slippage: SlippageModel | None = None,
    account_type: AccountType = AccountType.CASH,
    leverage: Decimal = Decimal(1),
    start_ns: int = 1_700_000_000 * 1_000_000_000 // MINUTE_NS * MINUTE_NS,
) -> SimHarness:
    """A complete engine: SimClock, portfolio with one account, the simulator, basic risk."""
    inst = instrument or btc_usdt()
    clock = SimClock(start_ns)
    portfolio = Portfolio()
    account_id = AccountId("test")
    portfolio.add_account(Account(account_id, inst.id.venue, inst.quote_currency,
                                  {inst.quote_currency: cash}, account_type, leverage))
    venue = SimulatedExchange(inst.id.venue, [inst], clock, portfolio,
                              FeeModel(maker_fee, taker_fee), slippage or NoSlippage())
    risk = PreTradeRisk(portfolio)
    engine = TradingEngine(clock, {inst.id.venue: venue}, portfolio, risk)
    return SimHarness(engine, venue, portfolio, clock, risk, inst, account_id)


BAR_PATHS = ("arrays", "iterator", "on_bar")
"""The ways bars reach an engine: columns (run_bar_arrays, batched), an iterator (run_bars),
and one by one (on_bar, the live path)."""


def feed_bars(engine: TradingEngine, bars: BarArrays, instrument_id: InstrumentId,
              path: str) -> None:
    """Drive ``engine`` through ``bars`` along one of :data:`BAR_PATHS`."""
    if path == "arrays":
        seen = engine.run_bar_arrays(bars, instrument_id, batch_indicators=True)
    elif path == "iterator":
        seen = engine.run_bars(bars.iter_bars(instrument_id))
    elif path == "on_bar":
        seen = 0
        for bar in bars.iter_bars(instrument_id):
            engine.on_bar(bar)
            seen += 1
    else:
        raise ValueError(f"path must be one of {', '.join(BAR_PATHS)}, was {path!r}")
    if seen != len(bars):
        raise AssertionError(f"{path}: the engine saw {seen} of {len(bars)} bars")
